"""The saddle drawing shows beside the red-flag box where patients read it: JupyterLab (whose Markdown sanitizer drops
inline SVG) and the clinician's session view (Voila). PEMAT-P item 26, docs/pemat.md.

"Shows" is read from the page: the <img> survived the sanitizer, its data: image decoded (naturalWidth), it is
drawn at its size inside the red-flag blockquote, after the "now" list and above "Get help today". The box itself
looks like a warning (red border, light red background) and not like the grey "General information" quote; "Get help
today" has its own box, a dashed dark-orange frame on light amber.
"""

from __future__ import annotations

from sciatica_edu.facts import redflags

from .conftest import open_notebook

#: JS: where the drawing sits in its red-flag box, as drawn; null when the page has no such image.
WHERE_JS = """
(alt) => {
  const img = [...document.querySelectorAll('blockquote img')].find((i) => i.alt === alt);
  if (!img) return null;
  const box = img.closest('blockquote');
  const r = img.getBoundingClientRect(), b = box.getBoundingClientRect();
  const lists = [...box.querySelectorAll('ul')];
  const today = [...document.querySelectorAll('blockquote strong')]
    .find((s) => s.textContent.startsWith('Get help today'));
  return {natural: img.naturalWidth, width: r.width, height: r.height,
          inside: r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1,
          afterNowList: lists.length > 0 && r.top >= lists[0].getBoundingClientRect().bottom - 1,
          aboveToday: !!today && r.bottom <= today.getBoundingClientRect().top + 1};
}
"""


#: JS: the computed frame of the warning box (the blockquote holding "Get help now", or its wrapper) and of the
#: "General information" quote, as drawn; the box's is the widest visible border around it.
FRAME_JS = """
() => {
  const frame = (el) => {
    const s = getComputedStyle(el);
    return {width: parseFloat(s.borderTopWidth), style: s.borderTopStyle, color: s.borderTopColor,
            left: s.borderLeftColor, background: s.backgroundColor};
  };
  const quotes = [...document.querySelectorAll('blockquote')];
  const box = quotes.find((q) => q.textContent.includes('Get help now'));
  const today = quotes.find((q) => q.textContent.includes('Get help today'));
  const note = quotes.find((q) => q.textContent.includes('General information'));
  if (!box) return null;
  const framed = box.closest('.sciatica-warning') || box;
  const todayFramed = today ? (today.closest('.sciatica-today') || today) : null;
  return {box: frame(framed), note: note ? frame(note) : null, today: todayFramed ? frame(todayFramed) : null,
          todayInsideNow: !!todayFramed && framed.contains(todayFramed),
          nowHoldsToday: framed.textContent.includes('Get help today')};
}
"""


def where(page) -> dict | None:
    return page.evaluate(WHERE_JS, redflags.SADDLE_ALT)


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(float(v)) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def check_frame(page, where_: str, *, note: bool = True) -> None:
    """The warning box looks like a warning: a red border all round on a light red background, unlike the grey
    "General information" quote (the review's PEMAT-P item 12 finding, docs/pemat.md)."""
    found = page.evaluate(FRAME_JS)
    assert found is not None, f"{where_}: no warning box"
    box = found["box"]
    r, g, b = _rgb(box["color"])
    assert box["width"] >= 2 and box["style"] == "solid" and r >= 150 and g < 60 and b < 60, f"{where_}: {box}"
    br, bg, bb = _rgb(box["background"])
    assert br > 240 and 220 <= bg < br and 220 <= bb < br, f"{where_}: background not light red: {box}"
    # "Get help today" has its own box: a dashed dark-orange frame on light amber, not inside the red one and unlike it
    # in colour and in border style (so greyscale print tells them apart too); the third PEMAT-P review's finding
    today = found["today"]
    assert today is not None, f"{where_}: no 'Get help today' box"
    assert not found["todayInsideNow"] and not found["nowHoldsToday"], f"{where_}: 'today' shares the red frame"
    tr, tg, tb = _rgb(today["color"])
    assert today["width"] >= 2 and today["style"] == "dashed", f"{where_}: {today}"
    assert tr >= 150 and 60 <= tg <= 130 and tb < 40, f"{where_}: the 'today' border is not dark orange: {today}"
    ar, ag, ab = _rgb(today["background"])
    assert ar > 240 and 235 <= ag < ar and ab < ag, f"{where_}: the 'today' background is not light amber: {today}"
    assert (today["style"], today["color"], today["background"]) != (box["style"], box["color"], box["background"])
    if note:
        assert found["note"] is not None, f"{where_}: no 'General information' quote to compare with"
        other = found["note"]
        assert (other["color"], other["left"], other["background"]) != (box["color"], box["left"], box["background"])
        assert _rgb(other["left"]) != _rgb(box["left"]), f"{where_}: the box looks like the disclaimer: {found}"


def check(found: dict | None, where_: str) -> None:
    assert found is not None, f"{where_}: no saddle drawing in a red-flag box (sanitized away?)"
    assert found["natural"] > 0, f"{where_}: the drawing did not decode: {found}"
    assert found["width"] >= 100 and found["height"] >= 90, f"{where_}: the drawing is not at its size: {found}"
    assert found["inside"] and found["afterNowList"] and found["aboveToday"], f"{where_}: misplaced: {found}"


def shown_drawing(page, box: str, shooter, shot: str, label: str):
    """The saddle drawing inside ``box``: loaded (decoded, with a size), screenshotted, in the red-flag box after the
    "now" list, and the box framed as a warning. Returns the image's locator."""
    img = page.locator(f'{box} img[alt="{redflags.SADDLE_ALT}"]').first
    img.wait_for()
    img.scroll_into_view_if_needed()
    page.wait_for_function("(i) => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    shooter.shot(shot)
    check(where(page), label)
    check_frame(page, label)
    return img


def test_lab_shows_the_saddle_drawing_in_the_red_flag_box(lab_server, browser):
    page = browser.page
    open_notebook(page, lab_server, "00-start-here.ipynb")
    img = shown_drawing(page, ".jp-RenderedMarkdown blockquote", browser, "lab-red-flag-box", "JupyterLab, 00")
    # (the inline frame survives Lab's sanitizer)
    text = img.locator("xpath=..").inner_text()
    assert redflags.SADDLE_CAPTION in " ".join(text.split())


def test_the_session_view_shows_the_saddle_drawing_at_the_help_step(voila_server, browser):
    page = browser.page
    page.goto(f"{voila_server.url}/?token={voila_server.token}")
    page.locator(".sciatica-steps").get_by_role("button", name="Get help fast").click()
    img = page.locator(f'blockquote img[alt="{redflags.SADDLE_ALT}"]').first
    img.wait_for(state="visible")
    img.scroll_into_view_if_needed()
    browser.shot("session-help-step")
    check(where(page), "session view, Get help fast")
    check_frame(page, "session view", note=False)  # 10 has no "General information" quote


def test_the_exported_page_shows_the_saddle_drawing(file_browser, tmp_path):
    """The static export (nbconvert's Markdown renderer, not Lab's): 00 exported alone, opened from disk."""
    import shutil
    import subprocess

    from .conftest import BIN, NOTEBOOKS

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    shutil.copy(NOTEBOOKS / "00-start-here.ipynb", nbs)
    # the CLI in its own process: the export's timeouts use signals, which Playwright's thread does not allow
    cmd = [str(BIN / "sciatica-edu"), "export", "--out", str(tmp_path / "site"), "--notebooks", str(nbs)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page = file_browser.page
    page.goto((tmp_path / "site" / "00-start-here.html").as_uri())
    shown_drawing(page, "blockquote", file_browser, "export-red-flag-box", "exported 00")
    heading = page.locator(".sciatica-warning blockquote > p").first
    assert heading.inner_text().startswith("⚠ Get help now")
    size = lambda loc: float(loc.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
    assert size(heading) > size(page.locator(".sciatica-warning blockquote > p").nth(1)) * 1.15  # reads as a heading


#: JS: the computed frames of the handout's "now" and "today" boxes.
HANDOUT_FRAMES_JS = """
() => {
  const frame = (sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const s = getComputedStyle(el);
    return {width: parseFloat(s.borderTopWidth), style: s.borderTopStyle, color: s.borderTopColor,
            background: s.backgroundColor, text: el.textContent};
  };
  return {now: frame('.red-flags .now-box'), today: frame('.red-flags .today-box')};
}
"""


def test_the_handout_frames_now_and_today_apart_on_screen_and_in_print(file_browser, tmp_path):
    """The take-home sheet: "now" in a solid red frame, "today" in its own dashed dark-orange one, on screen and with
    print styles (a black-and-white printer keeps solid against dashed)."""
    from sciatica_edu.model.scenario import Compression
    from sciatica_edu.pages import handout

    path = tmp_path / "handout.html"
    path.write_text(handout.handout_html(Compression("L4-L5", "paracentral", "left", 0.5), figure=""),
                    encoding="utf-8")
    page = file_browser.page
    page.goto(path.as_uri())
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        found = page.evaluate(HANDOUT_FRAMES_JS)
        now, today = found["now"], found["today"]
        assert now and today, f"{media}: the handout has no now or today box: {found}"
        r, g, b = _rgb(now["color"])
        assert now["width"] >= 2 and now["style"] == "solid" and r >= 150 and g < 60 and b < 60, (media, now)
        tr, tg, tb = _rgb(today["color"])
        assert today["width"] >= 2 and today["style"] == "dashed", (media, today)
        assert tr >= 150 and 60 <= tg <= 130 and tb < 40, (media, today)
        assert "Get help now" in now["text"] and "Tick" not in now["text"], media
        assert redflags.action("urgent") in " ".join(today["text"].split()) and "Get help now" not in today["text"]
    page.emulate_media(media="screen")
    page.locator(".red-flags").scroll_into_view_if_needed()
    file_browser.shot("handout-now-and-today")
