"""The clinician session view in Voila, in Chromium (issue 7, item 1): drawn with its traces, presets, handout.

Voila has had plots drawn as an empty frame (voila #1533), so the test reads every region polygon's fill from
the SVG and compares it with the teaching model's painting rule for each preset.
"""

from __future__ import annotations

import time

from sciatica_edu import diagram, session

from .conftest import changed, check_root, painted, wait_drawn, wait_fills_change

PLOT = ".sciatica-session .js-plotly-plot"
#: The larger spine of "What is pressing" (in Voila a FigureWidget whose plotly code the page preloads).
SPINE = ".sciatica-spine.js-plotly-plot, .sciatica-spine .js-plotly-plot"


def spine_label(page) -> str:
    """The spine drawing's own label (disc, where it points, root), read from the drawn SVG."""
    return " ".join(page.locator(SPINE).first.evaluate("(gd) => gd.querySelector('svg.main-svg') && "
                                                        "Array.from(gd.querySelectorAll('text'), (t) => t.textContent)"
                                                        ".join(' ')").split())


def model(c, side: str) -> set[str]:
    """Regions the teaching model paints on ``side`` (the diagram's documented painting rule)."""
    return {rid for (rid, s) in diagram.region_paint(c.symptoms()) if s == side}


def description(page) -> str:
    return " ".join(page.locator(".sciatica-description").first.inner_text().split())


def open_session(browser, server):
    """Load the session view and wait until the diagram is drawn with all its regions; returns the plot handle."""
    page = browser.page
    t0 = time.perf_counter()
    page.goto(server.url + "/")
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
        before = scroll_state(page)["top"]
        page.keyboard.press(key)
        now = wait_scrolled(page, before, to_end=key == "End")
        print(f"{key}: scrollTop {before} -> {now['top']}")
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
