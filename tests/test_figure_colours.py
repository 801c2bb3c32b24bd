"""The nerve line on the body figure stands apart from every symptom colour, in colour and in greyscale print.

The third PEMAT-P review found the nerve's orange (#e69f00) close to the milder symptom steps: where a symptom is
painted on the back of the leg, the nerve ran through it nearly unseen. Two measures, over the style constants:

- In colour, CIE 1976 colour difference (Delta E*ab, sRGB D65 -> CIELAB). About 2.3 is just noticeable; colours
  that must read as different categories on a chart are usually kept 20 or more apart. We ask for 40 from every
  step, "a different colour" at a glance. The old orange was 15.6 from the second step.
- In greyscale, WCAG 2 contrast of relative luminance (a black-and-white print keeps only lightness). The six steps
  run from light yellow to dark red, so no colour can reach WCAG's 3:1 for graphics against all of them: even black
  gets only 2.9:1 against the darkest. We ask for 2:1 against every step (the old orange: 1.03:1 against the third)
  and 4.5:1 against the three milder steps, where the review found the line lost.
"""

from __future__ import annotations

import pytest

from sciatica_edu.figures import style

MIN_DELTA_E = 40.0
MIN_CONTRAST = 2.0
MIN_CONTRAST_MILD = 4.5


def _linear(hex_colour: str) -> tuple[float, float, float]:
    c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c)  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lab(hex_colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = _linear(hex_colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


def test_the_measures_are_right_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.05)
    assert delta_e("#ff0000", "#ff0000") == 0
    assert delta_e("#000000", "#ffffff") == pytest.approx(100.0, abs=0.05)


@pytest.mark.parametrize("step", style.PALETTE)
def test_the_nerve_line_differs_from_every_symptom_colour_in_colour_and_in_grey(step):
    assert delta_e(style.NERVE, step) >= MIN_DELTA_E, (style.NERVE, step, round(delta_e(style.NERVE, step), 1))
    assert contrast(style.NERVE, step) >= MIN_CONTRAST, (style.NERVE, step, round(contrast(style.NERVE, step), 2))
    if step in style.PALETTE[:3]:
        assert contrast(style.NERVE, step) >= MIN_CONTRAST_MILD, (style.NERVE, step)


def test_the_nerve_line_shows_on_bare_skin():
    assert contrast(style.NERVE, style.SKIN) >= 4.5


def test_the_old_orange_fails_the_check():
    """The check can fail: the colour the review found lost is caught by both measures."""
    old = "#e69f00"
    assert min(delta_e(old, s) for s in style.PALETTE) < MIN_DELTA_E
    assert min(contrast(old, s) for s in style.PALETTE) < MIN_CONTRAST


def test_the_drawn_nerves_use_the_nerve_colour():
    """The figure draws its nerve lines in style.NERVE (so the check above is about what is drawn)."""
    from sciatica_edu import diagram
    from sciatica_edu.model.scenario import Compression

    fig = diagram.body_figure(Compression("L5-S1", "paracentral", "right", 0.25))
    nerves = [t for t in fig.data if "nerve" in (t.name or "") or "sciatic" in str(t.hovertext or t.text or "")]
    assert nerves, "no nerve line found in the figure"
    assert {t.line.color for t in nerves} == {style.NERVE}
