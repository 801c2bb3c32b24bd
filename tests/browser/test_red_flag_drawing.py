"""The saddle drawing shows beside the red-flag box where patients read it: JupyterLab (whose Markdown sanitizer drops
inline SVG) and the clinician's session view (Voila). PEMAT-P item 26, docs/pemat.md.

"Shows" is read from the page: the <img> survived the sanitizer, its data: image decoded (naturalWidth), it is
drawn at its size inside the red-flag blockquote, after the "now" list and above "Get help today".
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
  const today = [...box.querySelectorAll('strong')].find((s) => s.textContent.startsWith('Get help today'));
  return {natural: img.naturalWidth, width: r.width, height: r.height,
          inside: r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1,
          afterNowList: lists.length > 0 && r.top >= lists[0].getBoundingClientRect().bottom - 1,
          aboveToday: !!today && r.bottom <= today.getBoundingClientRect().top + 1};
}
"""


def where(page) -> dict | None:
    return page.evaluate(WHERE_JS, redflags.SADDLE_ALT)


def check(found: dict | None, where_: str) -> None:
    assert found is not None, f"{where_}: no saddle drawing in a red-flag box (sanitized away?)"
    assert found["natural"] > 0, f"{where_}: the drawing did not decode: {found}"
    assert found["width"] >= 100 and found["height"] >= 90, f"{where_}: the drawing is not at its size: {found}"
    assert found["inside"] and found["afterNowList"] and found["aboveToday"], f"{where_}: misplaced: {found}"


def test_lab_shows_the_saddle_drawing_in_the_red_flag_box(lab_server, browser):
    page = browser.page
    open_notebook(page, lab_server, "00-start-here.ipynb")
    img = page.locator(f'.jp-RenderedMarkdown blockquote img[alt="{redflags.SADDLE_ALT}"]').first
    img.wait_for()
    img.scroll_into_view_if_needed()
    page.wait_for_function("(i) => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    browser.shot("lab-red-flag-box")
    check(where(page), "JupyterLab, 00")
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
    img = page.locator(f'blockquote img[alt="{redflags.SADDLE_ALT}"]').first
    img.wait_for()
    img.scroll_into_view_if_needed()
    page.wait_for_function("(i) => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    file_browser.shot("export-red-flag-box")
    check(where(page), "exported 00")
