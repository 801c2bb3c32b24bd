"""The handout's paper copy of the body figure (figures/printed.py, PEMAT-P items 15 and 18): every word it draws is
at ``MIN_FONT_PX`` (8.6 pt at print scale 1) or more, each "may be weak" label is a number explained in one list, the
spine panel shows this compression's disc, bulge and pressed roots with its words at ``SPINE_FONT_PX`` (9 pt) or more,
the key names every kind of mark drawn, and the body keeps its shape. The printed size itself is measured in a real
browser (tests/browser/test_handout_print_size.py)."""

from __future__ import annotations

import re

import pytest

from sciatica_edu import diagram
from sciatica_edu.figures import printed
from sciatica_edu.figures.body import body_figure
from sciatica_edu.model import words as model_words
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


def _paper(c: Compression):
    return printed.print_figure(_fig(c), compression=c)


@pytest.mark.parametrize("c", CASES, ids=lambda c: f"{c.disc}-{c.zone}-{c.side}")
def test_every_word_of_the_print_copy_is_at_least_the_minimum(c):
    fig = _paper(c)
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


def test_without_a_compression_the_spine_panel_is_left_out_and_the_screen_figure_is_unchanged():
    screen = _fig(BOTH)
    before = screen.to_json()
    printed.print_figure(screen, compression=BOTH)
    paper = printed.print_figure(screen)
    assert screen.to_json() == before
    assert all(t.visible is False for t in paper.data if t.xaxis == "x2")
    panel = [a for a in _shown_annotations(paper) if (a.xref or "").startswith("x2") or a.name == printed.SPINE_PANEL]
    assert panel == []


SPINE_CASES = [*CASES, Compression("L4-L5", "central", "both", 0.5, cause="spinal_stenosis"),
               Compression("L4-L5", "foraminal", "left", 0.6)]


def _spine_words(fig) -> list:
    """The spine panel's words: its own annotations and the level names of its drawing."""
    words = [a for a in _shown_annotations(fig) if a.name == printed.SPINE_PANEL]
    return words + [t for t in fig.data if t.xaxis == "x2" and t.visible is not False and "text" in (t.mode or "")]


@pytest.mark.parametrize("c", SPINE_CASES, ids=lambda c: f"{c.disc}-{c.zone}-{c.side}-{c.cause}")
def test_the_spine_panel_shows_this_compression_with_its_bulge_and_pressed_roots_named(c):
    """PEMAT-P item 15: the printed handout shows the spine drawing, not only words about it."""
    paper = _paper(c)
    x2 = [t for t in paper.data if t.xaxis == "x2"]
    assert x2 and all(t.visible is not False for t in x2)
    bulges = sorted(t.name for t in x2 if t.name.startswith("bulge ") and t.fillcolor != printed.CLEAR)
    want = [f"bulge {c.disc} {c.zone} both"] if c.zone == "central" else [f"bulge {c.disc} {c.zone} {c.side}"]
    assert bulges == want
    pressed = sorted(t.name for t in x2 if t.line.color == printed.ROOT_HIT)
    assert pressed == sorted(f"{r} {s}" for r in c.roots for s in c.sides)
    text = " ".join(printed._plain(a.text) for a in _shown_annotations(paper) if a.name == printed.SPINE_PANEL)
    roots = c.roots[0] if len(c.roots) == 1 else model_words.roots_words(c.roots)
    noun = "disc" if c.cause == "disc_herniation" else "level"
    assert f"{c.disc} {noun}" in text and f"{roots} nerve root" in text, text
    assert ("both sides" if c.side == "both" else f"({c.side} side)") in text
    assert "patient's LEFT" in text and "patient's RIGHT" in text
    assert not re.search(r"\d\.\d|%", text), "no model numbers (strength) in the panel"
    # LEFT on the left of the panel, RIGHT on its right: seen from behind, like the back view
    sides = {printed._plain(a.text): a.x for a in _shown_annotations(paper) if "patient's" in (a.text or "")}
    assert sides["patient's LEFT"] < sides["patient's RIGHT"]
    bulge = next(t for t in x2 if t.name == want[0])
    mean_x = sum(x for x in bulge.x if x is not None) / len([x for x in bulge.x if x is not None])
    assert (mean_x < -0.05) if c.side == "left" else (mean_x > 0.05) if c.side == "right" else abs(mean_x) < 0.05


@pytest.mark.parametrize("c", SPINE_CASES, ids=lambda c: f"{c.disc}-{c.zone}-{c.side}-{c.cause}")
def test_the_spine_panel_words_are_at_least_9_pt(c):
    words = _spine_words(_paper(c))
    assert len(words) >= 6  # title, LEFT, RIGHT, caption, the key's two rows, the level names
    assert printed.SPINE_FONT_PX * 0.75 >= 9
    small = [getattr(w, "text", None) or w.name for w in words
             if ((w.font.size if hasattr(w, "font") else w.textfont.size) or 0) < printed.SPINE_FONT_PX]
    assert small == []


def test_the_spine_size_check_can_fail():
    paper = _paper(BOTH)
    next(t for t in paper.data if t.name == "levels").textfont.size = printed.MIN_FONT_PX
    words = _spine_words(paper)
    assert [w.name for w in words if hasattr(w, "textfont") and w.textfont.size < printed.SPINE_FONT_PX] == ["levels"]


def test_the_pressed_root_and_the_bulge_do_not_rely_on_colour_alone():
    """Greyscale print: a pressed root is much thicker than the others, the bulge has a dark edge, and the panel's
    key draws both samples the same way and names them."""
    paper = _paper(CASES[1])
    roots = [t for t in paper.data if t.xaxis == "x2" and re.fullmatch(r"[LS]\d (left|right)", t.name)]
    pressed = {t.line.width for t in roots if t.line.color == printed.ROOT_HIT}
    other = {t.line.width for t in roots if t.line.color != printed.ROOT_HIT}
    assert len(pressed) == len(other) == 1 and min(pressed) >= 3 * max(other)
    bulge = next(t for t in paper.data if t.name.startswith("bulge ") and t.fillcolor != printed.CLEAR)
    assert bulge.line.color == "#7a2e00" and bulge.line.width >= 2
    samples = [s for s in paper.layout.shapes if s.name == printed.SPINE_PANEL]
    assert {s.type for s in samples} == {"line", "path"}
    assert next(s for s in samples if s.type == "line").line.width == max(pressed)


def test_a_compression_the_figure_does_not_show_is_refused():
    with pytest.raises(ValueError, match="give print_figure the compression the figure was drawn for"):
        printed.print_figure(_fig(BOTH), compression=CASES[1])
    with pytest.raises(ValueError, match="compression must be a Compression"):
        printed.print_figure(_fig(BOTH), compression="L4-L5")


KEY_CASES = [(BOTH, ()), (CASES[1], ()), (Compression("L4-L5", "paracentral", "left", 0.9),
                                          (("lateral_leg", "left"), ("dorsum_foot", "left")))]


@pytest.mark.parametrize(("c", "felt"), KEY_CASES, ids=["both", "one-leg", "felt-and-arrows"])
def test_the_key_names_every_kind_of_mark_the_printed_picture_draws(c, felt):
    """The PEMAT-P rater: "the sciatic nerve line is not in the handout key". Every kind of mark drawn (read from
    the drawing: painted patterns, nerve lines, arrows, felt outlines, the spine's bulge and pressed roots) has its
    words shown in a key."""
    from sciatica_edu.figures.felt import mark_felt

    paper = printed.print_figure(mark_felt(_fig(c), felt), compression=c)
    drawn = printed.drawn_marks(paper)
    assert {"nerve", "bulge", "pressed root"} <= drawn
    assert ("arrow" in drawn) == bool(c.weak_movements()) and ("felt" in drawn) == bool(felt)
    shown = printed.key_words(paper)
    for kind in drawn:
        words = printed.MARK_WORDS[kind]
        assert any(w in shown for w in (words if isinstance(words, tuple) else (words,))), kind


def test_the_key_check_can_fail():
    paper = _paper(BOTH)
    for a in paper.layout.annotations:
        if a.text == printed.NERVE_KEY_WORDS:
            a.visible = False
    assert printed.NERVE_KEY_WORDS not in printed.key_words(paper) and "nerve" in printed.drawn_marks(paper)


def test_the_spine_caption_says_disc_or_level_roots_and_side():
    from sciatica_edu.figures.spine import patient_spine_caption

    assert patient_spine_caption(Compression("L4-L5", "paracentral", "left", 0.6)) == (
        "Your L4-L5 disc presses on the L5 nerve root (left side)")
    assert patient_spine_caption(BOTH) == "Your L4-L5 disc presses on the L5 to S5 nerve roots (both sides)"
    assert patient_spine_caption(Compression("L4-L5", "central", "both", 0.5, cause="spinal_stenosis")) == (
        "Your L5 and S1 nerve roots are pressed at the L4-L5 level (both sides)")


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
