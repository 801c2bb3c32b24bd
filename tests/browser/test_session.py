"""The clinician session view in Voila, in Chromium (issue 7, item 1): drawn with its traces, presets, handout.

Voila has had plots drawn as an empty frame (voila #1533), so the test reads every region polygon's fill from
the SVG and compares it with the teaching model's painting rule for each preset.
"""

from __future__ import annotations

import time

from sciatica_edu import diagram, session
from sciatica_edu.scenario import KINDS

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
    page.locator(SPINE).first.wait_for()
    assert f"{c0.disc} disc" in spine_label(page), f"the spine drawing does not show {c0.disc}: {spine_label(page)}"

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
