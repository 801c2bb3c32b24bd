"""The clinician session view in Voila, in Chromium (issue 7, item 1): drawn with its traces, presets, handout.

Voila has had plots drawn as an empty frame (voila #1533), so the test reads every region polygon's fill from
the SVG and compares it with the teaching model's painting rule for each preset.
"""

from __future__ import annotations

import re
import time
from html import unescape

from sciatica_edu import diagram
from sciatica_edu.facts import anatomy
from sciatica_edu.model.scenario import KINDS
from sciatica_edu.widgets import session

from .conftest import changed, check_root, hover_text, painted, wait_drawn, wait_fills_change

PLOT = ".sciatica-session .js-plotly-plot"
#: The larger spine of "What is pressing" (in Voila a FigureWidget whose plotly code the page preloads).
SPINE = ".sciatica-spine.js-plotly-plot, .sciatica-spine .js-plotly-plot"


def spine_label(page) -> str:
    """The spine drawing's own label (disc, where it points, root), read from the drawn SVG."""
    return " ".join(page.locator(SPINE).first.evaluate("(gd) => gd.querySelector('svg.main-svg') && "
                                                        "Array.from(gd.querySelectorAll('text'), (t) => t.textContent)"
                                                        ".join(' ')").split())


def model(c, side: str) -> set[str]:
    """Regions the teaching model paints on ``side`` (the diagram's documented painting rule). The session shows
    the patient picture: weakness is a movement label there, not a patch of skin."""
    skin = [k for k in KINDS if k != "weakness"]
    return {rid for (rid, s) in diagram.region_paint(c.symptoms(), skin) if s == side}


def description(page) -> str:
    return " ".join(page.locator(".sciatica-description").first.inner_text().split())


def open_session(browser, server):
    """Load the session view and wait until the diagram is drawn with all its regions; returns the plot handle."""
    page = browser.page
    t0 = time.perf_counter()
    page.goto(f"{server.url}/?token={server.token}")
    page.locator(PLOT).first.wait_for()
    gd = page.locator(PLOT).first.element_handle()
    fills = wait_drawn(page, gd)
    print(f"session view: request -> diagram drawn in {time.perf_counter() - t0:.1f} s")
    dead = [line for line in browser.guard.console if "Failed to initialize model" in line]
    # anywidget gives a model 2 s to load its code (the diagram's is about 1.2 MB); past that the figure is drawn
    # from its first state but never repaints. Say so at once rather than time out on the first click.
    assert not dead, f"anywidget could not start a model in time, so the diagram will not repaint: {dead}"
    return page, gd, fills


def test_session_view_draws_presets_and_handout(voila_server, browser):
    """Traces drawn (not an empty frame); each preset paints its regions; "Make handout" writes a file."""
    page, gd, fills = open_session(browser, voila_server)
    first = session.presets()[0]
    c0 = first.compression
    browser.shot("session-drawn", full_page=True)
    assert painted(fills, c0.side) == model(c0, c0.side), f"the first picture is not {first.label!r}"
    assert painted(fills, "right" if c0.side == "left" else "left") == set()
    check_root(fills, c0.side, "L5")
    assert page.locator("text=/999|911|A&E/").first.is_visible(), "the red-flag box must be on the page"
    go_to_step(page, "What is pressing")  # the talk's steps: the spine drawing is step 4
    page.locator(SPINE).first.wait_for()
    assert f"{c0.disc} disc" in spine_label(page), f"the spine drawing does not show {c0.disc}: {spine_label(page)}"
    browser.shot("step-4-pressing")
    go_to_step(page, "Where you feel it")

    # Each preset, from the last back to the first, so every click changes the picture.
    order = [*session.presets()[1:], first]
    before = fills
    for p in order:
        c = p.compression
        page.get_by_role("button", name=p.label, exact=True).click()
        after = wait_fills_change(gd, before)
        gd.scroll_into_view_if_needed()
        browser.shot(f"preset-{p.label}")
        sides = ("left", "right") if c.side == "both" else (c.side,)
        for side in ("left", "right"):
            want = model(c, side) if side in sides else set()
            assert painted(after, side) == want, f"{p.label}: {side} side shows {sorted(painted(after, side))}"
        text = description(page)
        assert c.disc in text, f"{p.label}: the description does not name {c.disc}: {text}"
        side_words = {"left": "the left side", "right": "the right side", "both": "both sides"}[c.side]
        assert side_words in text, f"{p.label}: the description does not say {side_words!r}: {text}"
        # the spine drawing follows too: it names the new disc and the root it presses on
        page.wait_for_function("([sel, want]) => (document.querySelector(sel) || {}).textContent?.includes(want)",
                               arg=[SPINE, f"{c.disc} disc"])
        assert c.roots[0] in spine_label(page), f"{p.label}: the spine drawing does not name {c.roots[0]}"
        if c.side == "right":
            check_root(after, "right", "S1")
            assert changed(before, after, "right"), "the right side did not repaint"
        if c.zone == "foraminal":  # L4: the front of the thigh and the inner shin, not L5's outer leg
            assert {"anterior_thigh", "medial_leg"} <= painted(after, c.side)
            assert not painted(after, c.side) & {"lateral_thigh", "dorsum_foot", "big_toe"}
        before = after

    # The handout button writes a file for the settings on screen (the first preset again).
    assert not page.get_by_role("button", name="Open the handout").is_visible(), "a handout link before any handout"
    page.get_by_role("button", name="Make handout").click()
    status = page.locator(".sciatica-handout-status")
    status.filter(has_text="Saved").wait_for()
    browser.shot("handout-saved")
    files = sorted(voila_server.root.glob("*.html"))
    assert len(files) == 1, f"expected one handout in {voila_server.root}, found {files}"
    html = files[0].read_text(encoding="utf-8")
    assert files[0].name in status.inner_text().replace("\n", "")
    assert c0.disc in files[0].name and c0.side in files[0].name, files[0].name
    assert "plotly" in html and len(html) > 1_000_000, "the handout should carry its figure and plotly.js"

    # ...and hands it over: "Open the handout" shows that same page in a new tab (a Blob URL made in this page:
    # Voila serves no files, and nothing leaves the machine)
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    with browser.context.expect_page() as opened:
        page.get_by_role("button", name="Open the handout").click()
    tab = opened.value
    tab.wait_for_load_state()
    tab.wait_for_function("() => !!document.querySelector('.js-plotly-plot .main-svg')")
    browser.shot("handout-tab")
    tab.screenshot(path=str(browser.artefacts / "handout-tab.png"))
    print(f"handout tab: {tab.url[:40]}... title {tab.title()!r}")
    assert tab.url.startswith("blob:http://127.0.0.1:"), tab.url
    assert tab.title() == title, f"the new tab shows {tab.title()!r}, not the handout {title!r}"
    assert c0.disc in tab.locator("body").inner_text()
    tab.close()


# ----------------------------------------------------------------------------- scrolling, the strip, the layout

#: JS: the page's scroller (Voila's app shell scrolls #rendered_cells) and how far it is scrolled.
SCROLL_JS = ("() => { const r = document.getElementById('rendered_cells');"
             " return {top: r.scrollTop, max: r.scrollHeight - r.clientHeight}; }")


def scroll_state(page) -> dict:
    return page.evaluate(SCROLL_JS)


def strip_on_screen(page) -> dict:
    """The red-flag strip's box; fails unless all of it is inside the viewport and it is the topmost thing there."""
    strip = page.locator(".sciatica-redflag-strip")
    assert strip.count() == 1, f"expected one red-flag strip, found {strip.count()}"
    box = strip.bounding_box()
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= vh + 0.5 and box["x"] >= 0, \
        f"the red-flag strip is not on screen: {box} in {vw}x{vh}"
    hit = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y)?.closest('.sciatica-redflag-strip')",
                        [vw / 2, box["y"] + box["height"] / 2])
    assert hit, "something covers the red-flag strip"
    return box


def settle(page) -> dict:
    """Wait until a smooth scroll has finished (the position holds for 0.3 s), as a person waits between keys."""
    last = None
    for _ in range(60):
        now = scroll_state(page)
        if now == last:
            return now
        last = now
        page.wait_for_timeout(300)
    return last


def wait_scrolled(page, before: float, *, to_end: bool = False) -> dict:
    """Wait until the page has scrolled away from ``before`` (to the very end if ``to_end``)."""
    cond = ("(b) => { const r = document.getElementById('rendered_cells'); "
            + ("return Math.abs(r.scrollTop - (r.scrollHeight - r.clientHeight)) < 2; }" if to_end
               else "return Math.abs(r.scrollTop - b) > 20; }"))
    page.wait_for_function(cond, arg=before, timeout=10_000)
    return settle(page)


def to_top(page, key: str = "Home") -> None:
    """Press ``key`` and wait until the page is back at its top (says where the focus was if it is not)."""
    settle(page)
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => document.getElementById('rendered_cells').scrollTop === 0", timeout=10_000)
    except Exception:
        where = page.evaluate("() => [document.activeElement?.outerHTML.slice(0, 200), "
                              "document.getElementById('rendered_cells').scrollTop]")
        raise AssertionError(f"{key} did not bring the page back to its top: focus, scrollTop = {where}") from None


def go_to_step(page, label: str) -> None:
    page.locator(".sciatica-steps").get_by_role("button", name=label).click()
    page.wait_for_function("(l) => document.querySelector('.sciatica-steps [aria-current=step]')"
                           "?.textContent.includes(l)", arg=label)


def test_the_page_scrolls_with_wheel_keys_and_touch_and_the_strip_stays(voila_server, browser):
    """Mouse wheel, PageDown, End, Space and a touch swipe scroll the session; the red-flag strip never leaves."""
    page = browser.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page, gd, _fills = open_session(browser, voila_server)
    strip_on_screen(page)
    start = scroll_state(page)
    assert start["top"] == 0 and start["max"] > 100, f"the diagram step should be longer than the screen: {start}"

    # the wheel, over the diagram (plotly must not swallow it) and over the words
    box = gd.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 300)
    now = wait_scrolled(page, 0)
    browser.shot("wheel")
    strip_on_screen(page)
    page.mouse.wheel(0, 5000)
    now = wait_scrolled(page, now["top"], to_end=True)
    strip_on_screen(page)
    assert page.locator(".sciatica-description").first.is_visible()

    # keys, as a clinician who has not clicked anything presses them (a fresh visit)
    page, gd, _fills = open_session(browser, voila_server)
    for key in ("PageDown", "End"):
        to_top(page)  # each key starts from the top, so each one has to move the page itself
        page.keyboard.press(key)
        now = wait_scrolled(page, 0, to_end=key == "End")
        print(f"{key}: scrollTop 0 -> {now['top']}")
        strip_on_screen(page)
    to_top(page)
    page.keyboard.press("Space")
    wait_scrolled(page, 0)
    strip_on_screen(page)

    # after a mouse click on a step button the keys still scroll (the step is a long list: the sources)
    go_to_step(page, "Summary")
    assert page.get_by_role("heading", name="Sources").is_visible() or scroll_state(page)["max"] > 0
    page.wait_for_function("() => document.getElementById('rendered_cells').scrollTop === 0", timeout=5_000)
    page.keyboard.press("PageDown")
    now = wait_scrolled(page, 0)
    page.keyboard.press("End")
    now = wait_scrolled(page, now["top"], to_end=True)
    browser.shot("summary-end")
    strip_on_screen(page)
    assert page.get_by_role("heading", name="Sources").is_visible()

    # a touch swipe: a finger moving up the page (touch events through Chromium's input pipeline)
    to_top(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    points = [{"x": 683, "y": 560 - 30 * i} for i in range(12)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [points[0]]})
    for pt in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [pt]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    now = wait_scrolled(page, 0)
    print(f"touch swipe: scrollTop 0 -> {now['top']}")
    strip_on_screen(page)


#: JS: the smallest text drawn on the body diagram and its key, in on-screen px (font size times the plot's CSS
#: scale), with the text; hidden captions (transparent) are skipped.
SMALLEST_TEXT_JS = """
(gd) => {
  const scale = gd.getBoundingClientRect().width / gd.offsetWidth;
  let least = null;
  for (const t of gd.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !t.getClientRects().length) continue;
    const cs = getComputedStyle(t);
    if (cs.visibility === 'hidden' || parseFloat(cs.fillOpacity) === 0 || cs.fill === 'rgba(0, 0, 0, 0)') continue;
    const px = parseFloat(cs.fontSize) * scale;
    if (least === null || px < least[0]) least = [px, t.textContent.trim()];
  }
  return {scale, least};
}
"""


#: Every drawn (visible, non-empty) word on the diagram: its text and its box on screen (getBoundingClientRect, so
#: after the fit scaling), and the box of the plot itself. Annotation lines of one annotation are one <text>.
DRAWN_TEXT_JS = """
(gd) => {
  const out = [];
  for (const t of gd.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !t.getClientRects().length) continue;
    const cs = getComputedStyle(t);
    if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.fillOpacity) === 0
        || cs.fill === 'rgba(0, 0, 0, 0)' || parseFloat(cs.opacity) === 0) continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push({text: t.textContent.trim(), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
  }
  const b = gd.getBoundingClientRect();
  return {texts: out, box: {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}};
}
"""


def text_problems(drawn: dict, slack: float = 1.0) -> list[str]:
    """Words on the diagram that are cut by its edge or drawn over other words: each as a short description.
    Boxes may touch by ``slack`` px (line boxes of neighbouring words can share a pixel)."""
    box, texts = drawn["box"], drawn["texts"]
    out = [f"{t['text']!r} runs past the diagram's edge ({t['x0']:.0f}..{t['x1']:.0f} x {t['y0']:.0f}..{t['y1']:.0f}"
           f" in {box['x0']:.0f}..{box['x1']:.0f} x {box['y0']:.0f}..{box['y1']:.0f})"
           for t in texts
           if t["x0"] < box["x0"] - slack or t["x1"] > box["x1"] + slack
           or t["y0"] < box["y0"] - slack or t["y1"] > box["y1"] + slack]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            h = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if w > slack and h > slack:
                out.append(f"{a['text']!r} overlaps {b['text']!r} ({w:.0f} x {h:.0f} px)")
    return out


def inside(box: dict, top: float, bottom: float, width: float, what: str) -> None:
    assert box is not None, f"{what} is not shown"
    assert box["y"] >= top - 0.5 and box["y"] + box["height"] <= bottom + 0.5 and box["x"] >= 0 \
        and box["x"] + box["width"] <= width + 0.5, f"{what} is not on screen between the bars: {box}, {top}..{bottom}"


def test_one_screen_consultation_at_laptop_and_projector_sizes(voila_server, browser):
    """At 1366x768 and 1920x1080 the diagram, presets and controls are all on screen at once, with no scrolling,
    between the step bar and the red-flag strip; the diagram's text is 18 px or more; full screen grows it."""
    page = browser.page
    sizes = {}
    for w, h in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": w, "height": h})
        page, gd, _fills = open_session(browser, voila_server)
        page.wait_for_function("(gd) => gd.__sciaticaScale > 0", arg=gd)
        settle(page)
        browser.shot(f"layout-{w}x{h}")
        assert scroll_state(page)["top"] == 0
        top = page.locator(".sciatica-steps").bounding_box()
        top = top["y"] + top["height"]
        strip = strip_on_screen(page)
        bottom = strip["y"]
        plot = gd.bounding_box()
        inside(plot, top, bottom, w, "the body diagram")
        for label in (p.label for p in session.presets()):
            inside(page.get_by_role("button", name=label, exact=True).bounding_box(), top, bottom, w, label)
        side = page.locator(".sciatica-side")
        for what, loc in (("disc menu", side.locator(".widget-dropdown select").first),
                          ("zone menu", side.locator(".widget-dropdown select").nth(1)),
                          ("side buttons", side.locator(".widget-toggle-buttons")),
                          ("severity slider", side.locator(".widget-slider")),
                          ("symptom boxes", side.locator(".widget-checkbox").last),
                          ("Make handout", page.get_by_role("button", name="Make handout")),
                          ("Full screen diagram", page.get_by_role("button", name="Full screen diagram"))):
            inside(loc.bounding_box(), top, bottom, w, what)
        # side by side: the diagram beside the controls, as tall as most of the space between the bars
        assert plot["x"] >= side.bounding_box()["x"] + side.bounding_box()["width"] - 1
        assert plot["height"] >= 0.85 * (bottom - top), f"the diagram does not fill the screen: {plot}"
        text = gd.evaluate(SMALLEST_TEXT_JS)
        print(f"{w}x{h}: diagram {plot}, scale {text['scale']:.3f}, smallest text {text['least']}, "
              f"bars {top:.0f}..{bottom:.0f}")
        assert text["least"][0] >= 18, f"text on the diagram is too small at {w}x{h}: {text['least']}"
        # no word is cut by the diagram's edge or drawn over another (title and caption over the view headings,
        # the spine's RIGHT over "nerve root", the key's words cut at the right edge: issue 14)
        problems = text_problems(gd.evaluate(DRAWN_TEXT_JS))
        assert not problems, f"words on the diagram at {w}x{h} are cut or overlap:\n" + "\n".join(problems)
        sizes[(w, h)] = plot
        # scaled, the diagram still answers the mouse where it is drawn: hovering an area names that area
        for view, rid in (("back", "buttock"), ("front", "anterior_thigh"), ("back", "heel")):
            tip = hover_text(page, gd, view, rid, "left")
            assert anatomy.region(rid).label.lower() in tip.lower(), f"hovering {rid} at {w}x{h} showed {tip!r}"
        page.mouse.move(1, 1)

        # full screen diagram and back (the button, then Esc)
        page.get_by_role("button", name="Full screen diagram").click()
        page.wait_for_function("() => document.body.classList.contains('sciatica-projector')")
        page.wait_for_function("([gd, h]) => gd.getBoundingClientRect().height > h + 10", arg=[gd, plot["height"]])
        settle(page)
        big = gd.bounding_box()
        browser.shot(f"fullscreen-{w}x{h}")
        strip_on_screen(page)
        assert not page.locator(".sciatica-presets").is_visible() and not page.locator(".sciatica-steps").is_visible()
        inside(big, 0, strip_on_screen(page)["y"], w, "the full-screen diagram")
        assert big["height"] >= 0.85 * (strip_on_screen(page)["y"]), f"full screen diagram is small: {big}"
        print(f"{w}x{h} full screen: diagram {big}")
        problems = text_problems(gd.evaluate(DRAWN_TEXT_JS))
        assert not problems, f"words on the full-screen diagram at {w}x{h} are cut or overlap:\n" + "\n".join(problems)
        page.get_by_role("button", name="Back to the controls").click()
        page.wait_for_function("() => !document.body.classList.contains('sciatica-projector')")
        assert page.locator(".sciatica-presets").is_visible()
    assert sizes[(1920, 1080)]["width"] > 1.3 * sizes[(1366, 768)]["width"], "the diagram does not grow with the screen"


def test_the_talk_moves_step_by_step(voila_server, browser):
    """Each step of the bar shows its own section and hides the others; the diagram step opens first."""
    page, gd, _fills = open_session(browser, voila_server)
    assert page.locator(".sciatica-steps [aria-current=step]").inner_text().endswith("Where you feel it")
    for _sid, label, heads in session.STEPS:
        go_to_step(page, label)
        heading = page.get_by_role("heading", name=heads[0], exact=True)
        if label != "Where you feel it":  # that step's heading is for screen readers (the bar names it)
            assert heading.is_visible(), f"step {label!r} does not show {heads[0]!r}"
        assert gd.is_visible() == (label == "Where you feel it"), f"the diagram shows in step {label!r}"
        for _other, other_label, other_heads in session.STEPS:
            if other_label != label:
                assert not page.get_by_role("heading", name=other_heads[0], exact=True).is_visible(), \
                    f"step {label!r} also shows {other_heads[0]!r}"
        strip_on_screen(page)
    go_to_step(page, "Get help fast")
    assert page.locator("text=/Go to A&E .*or call 999/").first.is_visible()
