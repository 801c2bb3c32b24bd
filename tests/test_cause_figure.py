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
    assert side.opening_height(shape, disc) < side.opening_height(NORMAL, disc) - 3.0  # L5 sank: a lower opening
    for other in _other_discs(disc):
        assert side.disc_height(shape, other) == pytest.approx(side.disc_height(NORMAL, other), abs=0.05)


def test_above_a_worn_disc_the_bones_sink_and_the_sacrum_stays():
    """Clinician's read (issue 14): the dashed 'healthy height' ran into the sacrum; in reality the bone above
    sinks. The sacrum is where it was, every body above the worn disc sits lower by about the height it lost, and
    the dashed line is the lower edge of the body above where it was."""
    shape, disc = side.side_spine("degenerative_disc"), _level("degenerative_disc")
    upper = disc.split("-")[0]
    assert shape.bones["sacrum"] == NORMAL.bones["sacrum"] and shape.frames["S1"] == NORMAL.frames["S1"]
    lost = side.disc_height(NORMAL, disc) - side.disc_height(shape, disc)
    for lv in side.LEVELS[: side.LEVELS.index(upper) + 1]:
        sank = NORMAL.frames[lv].back[1] - shape.frames[lv].back[1]
        assert 0.5 * lost < sank < 1.5 * lost, (lv, sank, lost)
    dashed = [t for t in diagram.cause_figure("degenerative_disc").data if t.name == "normal shape"]
    low_edge = [p for t in dashed for p in zip(t.x, t.y, strict=True)]
    assert low_edge and not [p for p in low_edge if _inside(shape.bones["sacrum"], p)]  # not into the sacrum
    now = shape.bones[f"body {upper}"][4:8]  # the lower edge of the body above, as drawn: lower than the dashed one
    assert all(a[1] > b[1] + 0.5 * lost for a, b in zip(low_edge, now, strict=True))


def _inside(poly, pt) -> bool:
    """Whether a point lies inside a polygon (even-odd rule)."""
    x, y = pt
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(poly):
        if (y0 > y) != (y1 > y) and x < x0 + (x1 - x0) * (y - y0) / (y1 - y0):
            inside = not inside
    return inside


def _gap(shape, level: str, pt) -> bool:
    """Whether a point is in the exit opening below ``level``: lower than that body's stem, higher than the next
    body's stem, behind the back of the bodies and in front of the joint piece, and on no bone."""
    below = (*side.LEVELS, "S1")[side.LEVELS.index(level) + 1]
    up, lo = shape.frames[level], shape.frames[below]
    y_top, y_bottom = up.at(0.0, side.PEDICLE[1])[1], lo.at(0.0, side.PEDICLE[0])[1]
    on_bone = any(_inside(poly, pt) for poly in shape.bones.values())
    return y_bottom < pt[1] < y_top and pt[0] > up.at(0.0, pt[1] - up.back[1])[0] - 1.0 and not on_bone


@pytest.mark.parametrize("cause", side.SHAPES)
def test_each_root_leaves_through_the_gap_between_two_stems_then_runs_down_and_forward(cause):
    """Clinician's read (issue 14): the roots were drawn across the vertebral body, not through the labelled
    opening. Each root's part outside the canal starts in the gap below its own stem, and ends lower and in front
    of where it left, past the back of the bone."""
    shape = side.side_spine(cause)
    for lv, root in shape.roots.items():
        out = root[-side.ROOT_LEAVING:]
        assert sum(_gap(shape, lv, p) for p in out) >= 2, (lv, out)
        f = shape.frames[lv]
        (ux, uy), dx, dy = f.u, out[-1][0] - out[0][0], out[-1][1] - out[0][1]
        assert dx * ux + dy * uy > 8.0 and -(dx * uy - dy * ux) > 8.0, (lv, out)  # forward and down, in its frame
        assert out[-1][0] < f.at(0.0, out[-1][1] - f.back[1])[0]  # in front of the back of the bone


def test_the_exit_opening_label_points_into_the_gap_and_the_check_can_fail():
    fig = diagram.cause_figure("normal")
    arrow = next(a for a in fig.layout.annotations if a.text == "exit opening")
    assert _gap(NORMAL, "L3", (arrow.x, arrow.y))
    assert not _gap(NORMAL, "L3", NORMAL.frames["L3"].at(13.0, -30.0))  # the joint behind the opening
    assert not _gap(NORMAL, "L3", NORMAL.frames["L3"].at(5.0, -8.0))  # the canal behind the stem

    # the opening's back wall is the joint piece, in front of the canal's back wall: narrower than the canal
    for disc in side.DISCS:
        assert side.opening_width(NORMAL, disc) < side.canal_width(NORMAL, disc) - 3.0, disc
    assert not _gap(NORMAL, "L3", NORMAL.frames["L3"].at(-10.0, -15.0))  # the body


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


@pytest.mark.parametrize("cause", [c for c in side.CAUSES if c != "spinal_stenosis"])
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


def test_a_narrowed_canal_squeezes_several_nerves_not_one_root():
    """Clinician's read (issue 14): narrowing usually squeezes several roots, so no single 'pressed L5 root': the
    nerves in the canal are orange where they pass the narrowed level, and the label says so."""
    fig, shape = diagram.cause_figure("spinal_stenosis"), side.side_spine("spinal_stenosis")
    squeezed = [t for t in fig.data if t.name == "squeezed nerve"]
    assert len(squeezed) >= 4 and all(t.line.color == ROOT_HIT for t in squeezed)
    assert not [t for t in fig.data if t.name.startswith("root ") and t.line.color == ROOT_HIT]
    upper, lower = _level("spinal_stenosis").split("-")
    top, bottom = shape.frames[upper].at(0.0, side.PEDICLE[1])[1], shape.frames[lower].at(0.0, side.PEDICLE[0])[1]
    assert all(bottom <= y <= top for t in squeezed for y in t.y)
    words = [a.text for a in fig.layout.annotations]
    assert "squeezed nerves" in words and not [w for w in words if "pressed" in w]
    assert "nerves are squeezed" in diagram.CAUSE_TEXT["spinal_stenosis"]["caption"]
    page = " ".join(c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "markdown")
    assert "so the nerves are squeezed" in page


def test_page_04_says_how_the_side_drawings_are_seen():
    """Clinician's read (issue 14): 'as if cut down the middle' does not fit drawings with the side openings."""
    about = next(c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells
                 if "About the drawings on this page" in c.source)
    assert "cut down the middle" not in about and "with the nerve roots and their **exit openings** drawn in" in about
    assert "squeezed" in about


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
