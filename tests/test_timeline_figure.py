"""The usual timeline picture on notebook 05 (``diagram.timeline_figure``; issue 14, fourth review, items 15, 25, 26).

Its stages are drawn in the data's order, top to bottom; every word of each stage comes from ``data/advice.yaml``
(``advice.timeline``), with the locale's word for the doctor; a bad locale is refused with a message naming the
allowed ones; it reads in black and white (only greys and black); its words stay 12 px or more where an exported
page scales it to a phone (the real page is measured in tests/browser/test_phone_layout.py).
"""

from __future__ import annotations

import re

import pydantic
import pytest

from sciatica_edu import diagram
from sciatica_edu.facts import advice, locales
from sciatica_edu.figures import timeline

#: The width an exported page gives a figure on a 390 px phone, as measured on the real export
#: (tests/browser/test_timeline_phone.py: 16 px words drew at 11.47 px, a scale of 0.717).
PHONE_CONTENT_PX = 344


def plain(text: str) -> str:
    """Annotation text as a reader reads it: tags gone, line breaks as spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", text.replace("<br>", " ")).split())


def stage_blocks(fig) -> list[tuple[float, str]]:
    """(top y, words) of each annotation that starts with a stage's name, top to bottom as drawn."""
    names = {s.when for s in advice.timeline()}
    blocks = [(a.y, plain(a.text)) for a in fig.layout.annotations]
    return sorted((y, t) for y, t in blocks if any(t.startswith(n) for n in names))


def test_the_diagram_module_re_exports_it():
    assert diagram.timeline_figure is timeline.timeline_figure


def test_stages_are_drawn_in_order_top_to_bottom():
    fig = diagram.timeline_figure("uk")
    drawn = [t for _y, t in stage_blocks(fig)]
    stages = advice.timeline("uk")
    assert [next(s.when for s in stages if t.startswith(s.when)) for t in drawn] == [s.when for s in stages]
    assert fig.layout.meta["stages"] == [s.id for s in stages]
    numbers = fig.data[0]
    assert list(numbers.text) == [str(i) for i in range(1, len(stages) + 1)]
    assert list(numbers.y) == sorted(numbers.y)  # 1 at the top (the y axis runs down)


@pytest.mark.parametrize("locale", locales.ids())
def test_every_word_of_a_stage_comes_from_the_data(locale):
    fig = diagram.timeline_figure(locale)
    drawn = [t for _y, t in stage_blocks(fig)]
    want = [f"{s.when} {s.happens} What to do: {s.todo}" for s in advice.timeline(locale)]
    assert drawn == want
    assert "{" not in " ".join(drawn)


def test_the_doctor_is_the_locales():
    uk = " ".join(t for _y, t in stage_blocks(diagram.timeline_figure("uk")))
    us = " ".join(t for _y, t in stage_blocks(diagram.timeline_figure("us")))
    assert "See your GP if it is not better after a few weeks" in uk
    assert "See your doctor if it is not better after a few weeks" in us and " GP " not in us
    assert locales.get("uk").doctor == "GP"


def test_it_has_a_title_a_how_to_line_and_the_any_time_box():
    fig = diagram.timeline_figure()
    assert plain(fig.layout.title.text) == timeline.TIMELINE_TITLE
    words = [plain(a.text) for a in fig.layout.annotations]
    assert plain(timeline.TIMELINE_CAPTION) in words and timeline.TIMELINE_CAPTION.startswith("Find")
    box = next(a for a in fig.layout.annotations if plain(a.text).startswith("At any time:"))
    assert plain(box.text) == f"At any time: {advice.item('weakness_while_pain_fades').text}"
    assert box.y > max(y for y, _t in stage_blocks(fig))  # under the last stage


@pytest.mark.parametrize("bad", ["fr", "", "UK ", 3, ["uk"]])
def test_a_bad_locale_is_refused_with_the_allowed_ones(bad):
    with pytest.raises(ValueError, match=r"locale.*choose one of.*uk"):
        diagram.timeline_figure(bad)
    with pytest.raises(ValueError, match=r"choose one of"):
        advice.timeline(bad)


def test_a_stage_may_leave_only_the_doctor_to_the_locale():
    good = dict(id="x", when="First days", happens="Something usual.", happens_sources=["S11"],
                todo="See your {doctor} soon.", todo_sources=["S11"])
    assert advice.Stage(**good).todo == "See your {doctor} soon."
    with pytest.raises(pydantic.ValidationError, match="only word left to the locale"):
        advice.Stage(**{**good, "todo": "See your {gp} soon."})


def _greys(fig) -> set[str]:
    """The colours the figure sets itself (plotly's template is left out: its axis and hover colours do not show)."""
    spec = fig.to_plotly_json()
    spec["layout"].pop("template", None)
    found = set(re.findall(r"#[0-9a-fA-F]{6}\b", str(spec)))
    named = set(re.findall(r"'color': '([a-z]+)'", str(spec)))
    assert not named, named  # only hex colours, so the check below sees them all
    return found


def test_it_reads_in_black_and_white():
    """No colour carries meaning: every colour in the figure is a grey (red = green = blue)."""
    colours = _greys(diagram.timeline_figure())
    assert colours and all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_the_colour_check_can_fail():
    fig = diagram.timeline_figure()
    fig.update_traces(marker_color="#b00020")
    colours = _greys(fig)
    assert not all(c[1:3] == c[3:5] == c[5:7] for c in colours)


def test_fixed_size_and_words_12_px_or_more_on_a_phone():
    fig = diagram.timeline_figure()
    width, height = fig.layout.width, fig.layout.height
    assert isinstance(width, int) and isinstance(height, int) and width == timeline.TIMELINE_WIDTH
    sizes = [a.font.size for a in fig.layout.annotations] + [fig.layout.title.font.size, fig.data[0].textfont.size]
    scale = PHONE_CONTENT_PX / width  # fit_html scales the whole figure down to the page's width
    assert min(sizes) * scale >= 12, (min(sizes), scale)
    lowest = max(a.y for a in fig.layout.annotations)
    assert lowest < height  # nothing drawn below the figure's own height
