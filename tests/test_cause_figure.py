"""The side view of the lower spine (``diagram.cause_figure``, ``geometry.side``): each cause is drawn itself.

Three PEMAT-P reviews found page 04's drawings alike (only where a root is pressed). These tests measure the shapes:
each cause changes the spine where it should and nowhere else, at the level ``data/causes.yaml`` gives it, and
page 04 shows no drawing twice.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import diagram
from sciatica_edu.facts import anatomy, causes
from sciatica_edu.figures.style import ROOT_HIT
from sciatica_edu.geometry import side

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04-what-presses-on-the-nerve.ipynb"
NORMAL = side.side_spine("normal")


def _level(cause: str) -> str:
    return causes.cause(cause).inset.disc


def _other_discs(disc: str) -> list[str]:
    return [d for d in side.DISCS if d != disc]


@pytest.mark.parametrize("cause", side.CAUSES)
def test_each_cause_is_drawn_at_its_level_in_the_data(cause):
    assert side.side_spine(cause).disc == _level(cause)


def test_the_slip_is_drawn_where_the_page_says_slips_from_wear_usually_are():
    """Issue 14: the slip was drawn at L5-S1 while the text says slips from wear are usually at L4-L5."""
    text = " ".join(c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "markdown")
    assert "Slips from wear are usually at L4-L5" in text
    assert _level("spondylolisthesis") == "L4-L5"
    assert "The L4 bone has slipped forward on the L5 bone" in text


@pytest.mark.parametrize("cause", side.CAUSES)
def test_each_caption_names_the_level_it_is_drawn_at(cause):
    upper, lower = _level(cause).split("-")
    caption = diagram.CAUSE_TEXT[cause]["caption"]
    assert _level(cause) in caption or (f"{upper} bone" in caption and f"on {lower}" in caption)


def test_a_narrowed_canal_is_much_narrower_than_normal_at_its_level_and_only_there():
    stenosis, disc = side.side_spine("spinal_stenosis"), _level("spinal_stenosis")
    assert side.canal_width(stenosis, disc) < 0.4 * side.canal_width(NORMAL, disc)
    assert side.canal_width(stenosis, disc) < side.canal_width(side.side_spine("disc_herniation"), disc)
    for other in _other_discs(disc):
        assert side.canal_width(stenosis, other) == side.canal_width(NORMAL, other)
    # the ligament behind the disc is thicker: its front edge reaches further forward than the normal one's
    assert min(x for x, _ in stenosis.ligaments[disc]) < min(x for x, _ in NORMAL.ligaments[disc]) - 4.0


def test_a_bulging_disc_pushes_back_into_the_canal():
    shape, disc = side.side_spine("disc_herniation"), _level("disc_herniation")
    bulge = shape.changes["bulge"]
    disc_back = max(x for x, _ in NORMAL.discs[disc])
    assert max(x for x, _ in bulge) > disc_back + 5.0  # well behind the disc's back edge, in the canal
    assert side.canal_width(shape, disc) < 0.6 * side.canal_width(NORMAL, disc)
    assert shape.discs == NORMAL.discs and shape.frames == NORMAL.frames  # the bones and discs stay as they are


def test_a_worn_disc_is_thinner_and_its_opening_smaller():
    shape, disc = side.side_spine("degenerative_disc"), _level("degenerative_disc")
    assert side.disc_height(shape, disc) < 0.6 * side.disc_height(NORMAL, disc)
    assert side.opening_height(shape, disc) < side.opening_height(NORMAL, disc) - 2.0
    for other in _other_discs(disc):
        assert side.disc_height(shape, other) == pytest.approx(side.disc_height(NORMAL, other), abs=0.05)


def test_a_slip_moves_the_upper_bone_forward_on_the_one_below_and_narrows_the_canal():
    shape, disc = side.side_spine("spondylolisthesis"), _level("spondylolisthesis")
    upper, lower = disc.split("-")
    assert side.forward_shift(shape, upper) > 5.0
    if lower in side.LEVELS:
        assert side.forward_shift(shape, lower) == 0.0
    assert side.canal_width(shape, disc) < 0.75 * side.canal_width(NORMAL, disc)
    # the bones below the slip are where they were
    below = side.LEVELS[side.LEVELS.index(upper) + 1:]
    assert all(shape.bones[f"body {lv}"] == NORMAL.bones[f"body {lv}"] for lv in below)


def test_bone_spurs_are_there_and_narrow_the_exit_opening():
    shape, disc = side.side_spine("bone_spur"), _level("bone_spur")
    spurs = [k for k in shape.changes if k.startswith("spur")]
    assert len(spurs) == 2 and all(len(shape.changes[k]) >= 4 for k in spurs)
    assert side.opening_width(shape, disc) < side.opening_width(NORMAL, disc) - 3.0
    assert not [k for k in NORMAL.changes]


def test_every_drawing_differs_from_every_other():
    shapes = {c: side.side_spine(c) for c in side.SHAPES}
    for a, b in itertools.combinations(side.SHAPES, 2):
        sa, sb = shapes[a], shapes[b]
        assert (sa.bones, sa.discs, sa.ligaments, sa.changes, sa.sac) != (sb.bones, sb.discs, sb.ligaments,
                                                                        sb.changes, sb.sac), (a, b)


@pytest.mark.parametrize("cause", side.SHAPES)
def test_the_figure_has_a_title_a_caption_a_text_alternative_and_a_fixed_size(cause):
    fig = diagram.cause_figure(cause)
    text = diagram.CAUSE_TEXT[cause]
    assert text["title"] in fig.layout.title.text and "from the side" in text["title"]
    assert any(a.text == text["caption"] for a in fig.layout.annotations)
    assert fig.layout.meta["alt"].startswith(text["title"]) and "<br>" not in fig.layout.meta["alt"]
    assert (fig.layout.width, fig.layout.height) == diagram.CAUSE_SIZE and fig.layout.autosize is False
    words = " ".join(a.text for a in fig.layout.annotations)
    for word in ("front", "back", "disc", "nerve root", "spinal canal", "exit opening", "L3", "L4", "L5", "sacrum"):
        assert word in words, word
    # 16 px at its own 480 px: about 12 px when an exported page scales it to a 390 px phone's width
    assert min(a.font.size for a in fig.layout.annotations) >= 15


def test_titles_and_captions_are_all_different():
    assert len({t["title"] for t in diagram.CAUSE_TEXT.values()}) == len(side.SHAPES)
    assert len({t["caption"] for t in diagram.CAUSE_TEXT.values()}) == len(side.SHAPES)


@pytest.mark.parametrize("cause", side.CAUSES)
def test_the_cause_is_hatched_and_the_pressed_root_is_thick(cause):
    """Black-and-white safe: the cause is a hatched fill (not colour alone), the pressed root a thick line, and
    the pressed root is one the data gives for the cause's level and place (``data/discs.yaml``)."""
    fig = diagram.cause_figure(cause)
    hatched = [t for t in fig.data if t.fillpattern is not None and t.fillpattern.shape == "/"]
    assert hatched
    thick = {t.name.split()[1] for t in fig.data if t.name.startswith("root ") and t.line.color == ROOT_HIT}
    inset = causes.cause(cause).inset
    assert thick and thick <= set(anatomy.compressed_roots(inset.disc, inset.zone))
    assert all(t.line.width >= 6 for t in fig.data if t.name.startswith("root ") and t.line.color == ROOT_HIT)
    assert any(t.name == "normal shape" and t.line.dash == "dash" for t in fig.data)


def test_the_normal_spine_has_nothing_hatched_or_pressed():
    fig = diagram.cause_figure("normal")
    assert not [t for t in fig.data if t.fillpattern is not None and t.fillpattern.shape]
    assert not [t for t in fig.data if t.line is not None and t.line.color == ROOT_HIT]
    assert not [t for t in fig.data if t.name == "normal shape"]


@pytest.mark.parametrize("bad", ["piriformis", "gout", "", None, 3])
def test_a_bad_cause_names_the_allowed_ones(bad):
    with pytest.raises(ValueError, match="disc_herniation, spinal_stenosis, degenerative_disc, spondylolisthesis"):
        diagram.cause_figure(bad)


def test_bad_sizes_and_measures_are_rejected():
    with pytest.raises(ValueError, match="width"):
        diagram.cause_figure("bone_spur", width=10)
    with pytest.raises(ValueError, match="L3-L4, L4-L5, L5-S1"):
        side.canal_width(NORMAL, "L1-L2")


def _drawings(nb) -> list[tuple[str, str]]:
    """(call, figure JSON) of each code cell of a notebook that draws with ``diagram``."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "diagram." in cell.source and "import" not in cell.source:
            fig = eval(cell.source, {"diagram": diagram})  # one-line calls into the package (CONTRIBUTING rule 4)
            out.append((cell.source.strip(), fig.to_json()))
    return out


def test_page_04_shows_no_drawing_twice():
    drawings = _drawings(nbformat.read(str(NOTEBOOK), as_version=4))
    assert len(drawings) == 6
    assert len({fig for _, fig in drawings}) == len(drawings)
    assert sum("spine_figure(" in call for call, _ in drawings) == 1  # one drawing from behind: which root


def test_the_check_for_twice_drawn_pictures_can_fail():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('diagram.cause_figure("bone_spur")'),
                nbformat.v4.new_code_cell('diagram.cause_figure("bone_spur")')]
    drawings = _drawings(nb)
    assert len({fig for _, fig in drawings}) < len(drawings)
