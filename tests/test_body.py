"""Geometry of the body map: every region drawn where it belongs, legs tiled without gaps or overlaps."""

from __future__ import annotations

import itertools

import pytest

from sciatica_edu.facts import anatomy
from sciatica_edu.geometry import body, legs


def _inside(pt, path) -> bool:
    """Even-odd ray casting; ``path`` is a closed ring."""
    x, y = pt
    hit = False
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _owners(view, pt, side):
    return [rid for (rid, s), paths in view.regions.items() if s == side and any(_inside(pt, p) for p in paths)]


@pytest.mark.parametrize("view_name", body.VIEW_NAMES)
def test_every_region_of_the_view_is_drawn_on_both_sides(view_name):
    view = body.view(view_name)
    expected = {r.id for r in anatomy.regions() if view_name in r.views}
    assert view.region_ids() == expected
    for rid in expected:
        for side in anatomy.SIDES:
            assert view.regions[(rid, side)], (rid, side)


@pytest.mark.parametrize(("view_name", "left_x_positive"), [("front", True), ("back", False)])
def test_laterality(view_name, left_x_positive):
    """Front: the patient's left is on the viewer's right; back: on the viewer's left."""
    view = body.view(view_name)
    for (rid, side), paths in view.regions.items():
        xs = [x for p in paths for x, _ in p]
        mean = sum(xs) / len(xs)
        on_right_of_screen = mean > 0
        assert on_right_of_screen == ((side == "left") == left_x_positive), (rid, side, mean)


@pytest.mark.parametrize("view_name", body.VIEW_NAMES)
def test_leg_regions_tile_without_gaps_or_overlaps(view_name):
    """Sample points inside the leg (away from the edges): each lies in exactly one region."""
    view = body.view(view_name)
    side = "left"
    sign = body.screen_sign(view_name, side)
    top = 3.5 if view_name == "back" else 3.9  # below the gluteal fold / groin crease
    problems = []
    y = 0.2
    while y < top:
        xo, xi = legs.x_outer(y), legs.x_inner(y)
        for k in range(1, 12):
            u = k / 12
            x = xo + (xi - xo) * u
            owners = _owners(view, (sign * x, y), side)
            if len(owners) != 1:
                problems.append((round(u, 2), round(y, 2), owners))
        y += 0.037
    # points exactly on a shared border may count twice or not at all; allow a few of those
    assert len(problems) <= 6, problems[:20]


def test_foot_regions_tile_top_of_foot_and_sole():
    front, back = body.view("front"), body.view("back")
    for view, names in (
        (front, {"lateral_foot", "dorsum_foot", "medial_foot"}),
        (back, {"heel", "sole", "lateral_foot"}),
    ):
        sign = body.screen_sign(view.name, "right")
        for t in (0.1, 0.4, 0.7, 0.95):
            for u in (0.07, 0.3, 0.5, 0.7, 0.93):
                x, y = legs.foot_point(u, t)
                owners = _owners(view, (sign * x, y), "right")
                assert len(owners) == 1 and owners[0] in names, (view.name, u, t, owners)


def test_toes_in_order_big_toe_inside():
    view = body.view("front")
    sign = body.screen_sign("front", "left")

    def mean_abs_x(rid):
        pts = [p for path in view.regions[(rid, "left")] for p in path]
        return sum(sign * x for x, _ in pts) / len(pts)

    assert mean_abs_x("big_toe") < mean_abs_x("middle_toes") < mean_abs_x("little_toe")
    assert len(view.regions[("middle_toes", "left")]) == 3


def test_back_view_has_sciatic_nerve_dividing_above_the_knee():
    view = body.view("back")
    for side in anatomy.SIDES:
        trunk = view.nerves[f"sciatic_{side}"]
        tib, fib = view.nerves[f"tibial_{side}"], view.nerves[f"fibular_{side}"]
        assert max(y for _, y in trunk) > 4.3  # starts at the lower spine / pelvis
        split = trunk[-1]
        assert tib[0] == pytest.approx(split) and fib[0] == pytest.approx(split)
        assert 2.1 < split[1] < 3.2  # above the knee, below mid-thigh
        assert min(y for _, y in tib) < 0.6  # tibial runs down the calf
    assert body.view("front").nerves == {}


def test_key_sensory_points_cover_every_root_and_sit_in_their_region():
    for r in anatomy.roots():
        view_name = next(v for v in body.VIEW_NAMES if (r.name, "left") in body.view(v).points)
        view = body.view(view_name)
        pt = view.points[(r.name, "left")]
        owners = _owners(view, pt, "left")
        assert r.key_sensory_point in owners, (r.name, owners)


def test_bad_view_and_side():
    with pytest.raises(ValueError, match="front, back"):
        body.view("side")
    with pytest.raises(ValueError, match="left, right"):
        body.screen_sign("front", "both")
