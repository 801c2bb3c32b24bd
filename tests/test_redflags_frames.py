""""Get help now" and "Get help today" each have their own box (the third PEMAT-P review found "today" sharing the red
frame): now is a solid red frame, today a dashed dark-orange one, in every place a patient sees the box. The browser
tests (tests/browser/test_red_flag_drawing.py) check the frames as drawn; these check the constants and the markup.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import export, handout

FRAMES = {"now": redflags.NOW_FRAME, "today": redflags.TODAY_FRAME}


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def hue(hex_colour: str) -> float:
    import colorsys

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


@pytest.mark.parametrize("name", FRAMES)
def test_each_frame_reads_as_a_warning_and_its_heading_is_readable(name):
    """WCAG 2.2: a border that marks a box needs 3:1 with what is around it (1.4.11); heading text 4.5:1 (1.4.3)."""
    frame = FRAMES[name]
    assert contrast(frame.border, frame.background) >= 3.0, frame
    assert contrast(frame.border, "#ffffff") >= 3.0, frame  # against the page around the box too
    assert contrast(frame.heading, frame.background) >= 4.5, frame
    assert contrast("#1a1a1a", frame.background) >= 7.0, frame
    assert luminance(frame.background) > 0.85, f"{name}: the background should be light: {frame}"


def test_the_two_levels_differ_in_colour_and_in_greyscale():
    """In colour: red against dark orange (hues at least 20 degrees apart). In greyscale print the two borders may be
    alike in grey, so they also differ in style: solid against dashed."""
    now, today = redflags.NOW_FRAME, redflags.TODAY_FRAME
    assert now.style == "solid" and today.style != now.style
    assert now.border != today.border and now.background != today.background
    gap = abs(hue(now.border) - hue(today.border))
    assert min(gap, 360 - gap) >= 20, (now, today)
    assert hue(today.border) < 60, "'today' should read as orange or amber, not as another red"


def test_the_notebook_cell_frames_each_level_on_its_own():
    cell = nt.red_flag_cell()
    now_div = re.search(r'<div class="sciatica-warning" style="([^"]+)">(.*?)</div>', cell, re.S)
    today_div = re.search(r'<div class="sciatica-today" style="([^"]+)">(.*?)</div>', cell, re.S)
    assert now_div and today_div
    assert redflags.NOW_FRAME.css() in now_div.group(1) and redflags.TODAY_FRAME.css() in today_div.group(1)
    assert "Get help now" in now_div.group(2) and "Get help today" not in now_div.group(2)
    assert "Get help today" in today_div.group(2) and "Get help now" not in today_div.group(2)
    for flag in redflags.flags_at("emergency"):
        assert flag.label in now_div.group(2)
    for flag in redflags.flags_at("urgent"):
        assert flag.label in today_div.group(2) and flag.label not in now_div.group(2)


def test_every_notebook_box_has_both_frames():
    boxes = 0
    for path in nt.notebook_paths():
        for cell in nt.read(path).cells:
            if nt.generated(cell) == "red_flags":
                boxes += 1
                assert redflags.NOW_FRAME.css() in cell.source and redflags.TODAY_FRAME.css() in cell.source, path
    assert boxes >= 9


def test_the_html_box_and_the_handout_frame_each_level():
    html = redflags.box_html()
    now, today = html.split("</section>")[:2]
    assert redflags.NOW_FRAME.css() in now and "Get help now" in now and "Get help today" not in now
    assert redflags.TODAY_FRAME.css() in today and "Get help today" in today
    page = handout.handout_html(Compression(), figure="")
    flags = page.split('id="flags-h"', 1)[1].split("</section>", 1)[0]
    now_box = flags.split('class="now-box', 1)[1].split('class="today-box', 1)[0]
    today_box = flags.split('class="today-box', 1)[1]
    assert f'style="{redflags.NOW_FRAME.css()}"' in now_box and 'class="now-list"' in now_box
    assert f'style="{redflags.TODAY_FRAME.css()}"' in today_box and redflags.action("urgent") in today_box
    assert 'class="now-list"' not in today_box


def test_the_exported_pages_and_the_session_view_style_both_boxes():
    """Their stylesheets restate the inline frames (the session view's template cannot import them: checked here)."""
    css = export._SITE_CSS
    template = (resources.files("sciatica_edu") / "templates" / "voila-index.html.j2").read_text(encoding="utf-8")
    for cls, frame in ((redflags.NOW_CLASS, redflags.NOW_FRAME), (redflags.TODAY_CLASS, redflags.TODAY_FRAME)):
        assert f".{cls} {{ {frame.css()} }}" in css
        rule = re.search(r"\." + cls + r" \{([^}]*)\}", template)
        assert rule, f"the session view's template has no rule for .{cls}"
        assert f"3px {frame.style} {frame.border}" in rule.group(1) and frame.background in rule.group(1), cls
        assert frame.heading in template.split(f".{cls} blockquote > p:first-child", 1)[1].split("}", 1)[0]
