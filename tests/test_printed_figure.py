"""The handout's paper copy of the body figure (figures/printed.py, PEMAT-P item 18): every word it draws is at
``MIN_FONT_PX`` (8.6 pt at print scale 1) or more, each "may be weak" label is a number explained in one list, the
spine panel is left out, and the body keeps its shape. The printed size itself is measured in a real browser
(tests/browser/test_handout_print_size.py)."""

from __future__ import annotations

import re

import pytest

from sciatica_edu import diagram
from sciatica_edu.figures import printed
from sciatica_edu.figures.body import body_figure
from sciatica_edu.model.scenario import Compression

BOTH = Compression("L4-L5", "central", "both", 0.85)
CASES = [BOTH, Compression("L5-S1", "paracentral", "right", 0.6), Compression("L3-L4", "far_lateral", "left", 0.3)]


def _fig(c: Compression):
    return body_figure(c, width=860, height=740)


def _shown_annotations(fig):
    return [a for a in fig.layout.annotations if a.visible is not False and a.font.color != printed.CLEAR]


def small_words(fig, min_px: float = printed.MIN_FONT_PX) -> list[str]:
    """Words the figure draws (visible annotations, text of visible traces) below ``min_px``."""
    found = [f"{a.text!r} at {a.font.size}" for a in _shown_annotations(fig) if (a.font.size or 12) < min_px]
    for t in fig.data:
        size = t.textfont.size if t.visible is not False and "text" in (t.mode or "") else None
        if size is not None and size < min_px:
            found.append(f"{t.name} at {t.textfont.size}")
    return found


@pytest.mark.parametrize("c", CASES, ids=lambda c: f"{c.disc}-{c.zone}-{c.side}")
def test_every_word_of_the_print_copy_is_at_least_the_minimum(c):
    fig = printed.print_figure(_fig(c))
    assert small_words(fig) == []
    assert (fig.layout.width, fig.layout.height) == printed.PRINT_SIZE
    assert printed.MIN_FONT_PX * 0.75 >= 8  # px to pt at print scale 1


def test_the_check_can_fail():
    paper = printed.print_figure(_fig(BOTH))
    _shown_annotations(paper)[0].font.size = 10
    assert len(small_words(paper)) == 1
    # the screen figure as the handout printed it before (430 px of 860: scale 0.5) is far under the minimum
    assert small_words(_fig(BOTH), min_px=printed.MIN_FONT_PX / 0.5)


def test_may_be_weak_labels_become_numbers_explained_once():
    screen, paper = _fig(BOTH), printed.print_figure(_fig(BOTH))
    moves = []
    for a in _shown_annotations(screen):
        if a.text.startswith("may be weak:"):
            label = " ".join(re.sub(r"<[^>]+>", " ", a.text[len("may be weak:"):]).split())
            if label not in moves:
                moves.append(label)
    assert len(moves) >= 4
    numbers = [a.text for a in _shown_annotations(paper) if re.fullmatch(r"<b>\d+</b>", a.text or "")]
    assert sorted({int(re.sub(r"\D", "", n)) for n in numbers}) == list(range(1, len(moves) + 1))
    legend = [a.text for a in _shown_annotations(paper) if (a.text or "").startswith("<b>May be weak</b>")]
    assert len(legend) == 1
    for i, m in enumerate(moves, 1):
        assert f"<b>{i}</b> {m}" in legend[0]
    assert not any(a.text.startswith("may be weak:") for a in _shown_annotations(paper))


def test_the_spine_panel_is_left_out_and_the_screen_figure_is_unchanged():
    screen = _fig(BOTH)
    before = screen.to_json()
    paper = printed.print_figure(screen)
    assert screen.to_json() == before
    assert all(t.visible is False for t in paper.data if t.xaxis == "x2")
    assert not [a for a in _shown_annotations(paper) if (a.xref or "").startswith("x2")]


def test_the_body_keeps_its_shape():
    paper = printed.print_figure(_fig(BOTH))
    w, h = printed.PRINT_SIZE
    inner_w, inner_h = w - 8, h - 8
    for x, y in (("xaxis", "yaxis"), ("xaxis4", "yaxis4")):
        xa, ya = paper.layout[x], paper.layout[y]
        per_px_x = (xa.range[1] - xa.range[0]) / ((xa.domain[1] - xa.domain[0]) * inner_w)
        per_px_y = (ya.range[1] - ya.range[0]) / ((ya.domain[1] - ya.domain[0]) * inner_h)
        assert per_px_x == pytest.approx(per_px_y, rel=0.01)


def test_print_figure_rejects_a_figure_without_the_patient_views():
    with pytest.raises(ValueError, match="patient body figure"):
        printed.print_figure(diagram.spine_figure(BOTH))


def test_the_felt_row_of_the_key_prints_at_the_minimum_size_too():
    """The handout's "where you said you feel it" row (figures.felt) goes to paper with the rest of the key."""
    from sciatica_edu.figures.felt import mark_felt
    from sciatica_edu.model.words import FELT_KEY_WORDS

    paper = printed.print_figure(mark_felt(_fig(BOTH), [("lateral_leg", "left"), ("dorsum_foot", "left")]))
    assert FELT_KEY_WORDS in [a.text for a in _shown_annotations(paper)]
    assert small_words(paper) == []
