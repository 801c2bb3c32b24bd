"""Geometry of the body map: smooth front and back adult outlines and a polygon per region and side.

Pure Python (no plotly): the diagram layer turns these paths into traces. Units are head
heights H (the 8-head canon of ``docs/body-proportions.md``): soles at y = 0, top of the
head at y = 8. Outlines are splines through landmark points, mirrored for the other side.

Each leg is drawn in (u, y) coordinates, u = 0 on its outer edge and u = 1 on its inner
edge, so region borders follow the leg's outline and neighbouring regions share borders
exactly (no gaps, no overlaps); the leg and its regions are in ``geometry.legs``. Views:

* front: the patient faces you, so the patient's LEFT leg is on YOUR right (x > 0);
* back: you see the patient from behind, so the patient's LEFT leg is on YOUR left (x < 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from sciatica_edu._errors import shown
from sciatica_edu.geometry.legs import (
    _B_TOP,
    _F_TOP,
    _TOES,
    ANKLE_Y,
    CROTCH_Y,
    _back_leg,
    _cut,
    _densify_chain,
    _front_leg,
    _toe,
    foot_point,
    leg_point,
    x_inner,
    x_outer,
)
from sciatica_edu.geometry.splines import Path, Point, catmull_rom

__all__ = [
    "VIEW_NAMES",
    "Path",
    "View",
    "catmull_rom",
    "screen_sign",
    "view",
]

VIEW_NAMES = ("front", "back")


def screen_sign(view_name: str, side: str) -> int:
    """+1 if the patient's ``side`` is drawn at x > 0 in ``view_name``, else -1.

    Front view: the patient faces you, so their left is on your right (+1).
    Back view: seen from behind, their left is on your left (-1).
    """
    if view_name not in VIEW_NAMES:
        raise ValueError(f"unknown view {shown(view_name)}; choose one of {', '.join(VIEW_NAMES)}")
    if side not in ("left", "right"):
        raise ValueError(f"unknown side {shown(side)}; choose one of left, right")
    left_sign = 1 if view_name == "front" else -1
    return left_sign if side == "left" else -left_sign


# ---------------------------------------------------------------------------------------------
# Landmarks (screen-right half, x >= 0; y in head heights above the soles)


# ---------------------------------------------------------------------------------------------
# Foot: mapped like the leg, t = 0 at the ankle and t = 1 at the base of the toes.


# ---------------------------------------------------------------------------------------------
# Region layouts in (u, y) for one (screen-right) leg


# ---------------------------------------------------------------------------------------------
# Views


@dataclass(frozen=True)
class View:
    """One view of the body: outline paths and region polygons, in head heights around x = 0.

    ``regions[(region_id, side)]`` is a list of closed paths (a region may be several
    pieces, e.g. three middle toes). ``details`` are thin anatomical lines (kneecaps, navel,
    spine) that are not regions; ``nerves`` maps a name to a polyline (back view only).
    """

    name: str
    outline: list[Path]
    regions: dict[tuple[str, str], list[Path]]
    details: list[Path] = field(default_factory=list)
    nerves: dict[str, Path] = field(default_factory=dict)
    points: dict[tuple[str, str], Point] = field(default_factory=dict)

    def region_ids(self) -> set[str]:
        return {r for r, _ in self.regions}


def _mirror(path: Path) -> Path:
    return [(-x, y) for x, y in path]


def _flip(path: Path, sign: int) -> Path:
    return path if sign > 0 else _mirror(path)


def _half_upper(back: bool) -> Path:
    """Head, neck and arm of the screen-right half, from the crown to the armpit."""
    head = [
        (0.0, 8.0),
        (0.2, 7.94),
        (0.32, 7.76),
        (0.355, 7.5),
        (0.33, 7.24),
        (0.27, 7.06),
        (0.18, 6.96) if not back else (0.2, 6.98),
    ]
    neck_arm = [
        (0.2, 6.78),
        (0.4, 6.66),
        (0.72, 6.6),
        (0.93, 6.5),
        (1.0, 6.3),
        (1.01, 5.95),
        (1.04, 5.5),
        (1.1, 5.05),
        (1.17, 4.6),
        (1.22, 4.2),
        (1.27, 4.02),
        (1.3, 3.8),
        (1.27, 3.6),
        (1.2, 3.53),
        (1.13, 3.62),
        (1.11, 3.85),
        (1.08, 4.1),
        (1.01, 4.6),
        (0.93, 5.05),
        (0.88, 5.5),
        (0.83, 5.85),
    ]
    return catmull_rom(head, samples=6)[:-1] + catmull_rom([head[-1], *neck_arm], samples=5)


def _half_outline(view_name: str) -> Path:
    """Screen-right half outline from the crown, down the outside, the foot, up the inside of the leg."""
    upper = _half_upper(view_name == "back")
    side = [(x_outer(y), y) for y in _frange(5.9, ANKLE_Y, -0.05)]
    foot = _foot_outline(view_name)
    inner = [(x_inner(y), y) for y in _frange(ANKLE_Y, CROTCH_Y, 0.05)]
    return [*upper, *side, *foot, *inner, (0.0, CROTCH_Y + 0.02)]


def _frange(a: float, b: float, step: float) -> list[float]:
    n = max(1, round(abs(b - a) / abs(step)))
    return [a + (b - a) * i / n for i in range(n + 1)]


def _foot_outline(view_name: str) -> Path:
    """Outer edge of the foot down to the little toe, round the toe tips, up the inner edge."""
    outer = [foot_point(0.0, t) for t in _frange(0.0, 1.0, 0.1)]
    inner = [foot_point(1.0, t) for t in _frange(1.0, 0.0, 0.1)]
    tips = []
    for u0, u1, length in _TOES:
        toe = _toe(u0, u1, length)
        tips += toe[:-1]
    return [*outer, *tips, *inner]


def _full_outline(view_name: str) -> Path:
    half = _half_outline(view_name)
    other = [(-x, y) for x, y in reversed(half)]
    return [*half, *other]


def _front_details() -> list[Path]:
    d: list[Path] = []
    for s in (1, -1):
        # kneecap
        cx, cy = leg_point(0.55, 2.02)
        cap = [(cx + 0.1 * math.cos(a), cy + 0.15 * math.sin(a)) for a in _frange(0, 2 * math.pi, 0.3)]
        d.append(_flip(cap, s))
        # collar bone
        d.append(_flip(catmull_rom([(0.06, 6.6), (0.3, 6.62), (0.6, 6.6)], samples=6), s))
        # chest line below the pectoral muscle
        d.append(_flip(catmull_rom([(0.12, 6.05), (0.35, 5.92), (0.6, 6.02)], samples=6), s))
        # eye
        d.append(_flip([(0.09, 7.48), (0.13, 7.5), (0.18, 7.48)], s))
    d.append([(0.025 * math.cos(a), 5.0 + 0.035 * math.sin(a)) for a in _frange(0, 2 * math.pi, 0.5)])  # navel
    d.append([(0.0, 7.38), (0.03, 7.3), (0.0, 7.28)])  # nose
    d.append([(-0.08, 7.16), (0.0, 7.14), (0.08, 7.16)])  # mouth
    return d


def _back_details() -> list[Path]:
    d: list[Path] = []
    d.append([(0.0, 6.75), (0.0, 4.75)])  # spine
    for s in (1, -1):
        # shoulder blade
        d.append(_flip(catmull_rom([(0.2, 6.4), (0.5, 6.45), (0.55, 6.1), (0.3, 5.75)], samples=6), s))
        d.append(_flip(catmull_rom([(0.16, 7.7), (0.3, 7.55), (0.3, 7.3)], samples=5), s))  # hair line hint
    return d


def _buttock_saddle_back() -> dict[str, list[Path]]:
    """Lower back, buttock and saddle of the screen-right half (back view); they meet the thigh at the fold."""
    fold_uv = _densify_chain(_B_TOP)
    fold = [leg_point(u, y) for u, y in fold_uv]
    i_sad = next(i for i, p in enumerate(fold_uv) if p[0] >= 0.8 - 1e-9)
    fold_outer, fold_inner = fold[: i_sad + 1], fold[i_sad:]
    crest_y = 4.66
    crest = catmull_rom([(0.0, 4.8), (0.25, 4.86), (0.5, 4.86), (x_outer(crest_y), crest_y)], samples=8)
    hip = [(x_outer(y), y) for y in _frange(crest_y, _B_TOP[0][1], -0.04)]
    sad_top = (0.0, 4.3)
    # outer edge of the saddle, from the fold up into the cleft between the buttocks
    sad_curve = catmull_rom([fold_inner[0], (0.15, 3.92), (0.08, 4.14), sad_top], samples=8)
    buttock = [*crest, *hip[1:], *fold_outer[1:], *sad_curve[1:], crest[0]]
    saddle = [*sad_curve, (0.0, fold_inner[-1][1] + 0.03), *reversed(fold_inner)]
    # top of the lower back: the lowest ribs, arching down toward the sides
    rib_side = 5.3
    ribs = catmull_rom([(0.0, 5.55), (0.3, 5.5), (x_outer(rib_side), rib_side)], samples=8)
    lower_back = [crest[0], *ribs, *[(x_outer(y), y) for y in _frange(rib_side, crest_y, -0.05)][1:], *reversed(crest)]
    return {"buttock": [buttock], "saddle": [saddle], "lower_back": [lower_back]}


def _groin_front() -> list[Path]:
    """The groin: a band along the crease between trunk and thigh, on its inner two thirds."""
    crease = _cut(_F_TOP, 0.3, 1.0)
    low = [leg_point(u, y) for u, y in _densify_chain(crease)]
    n = len(low) - 1
    high = [(max(x - 0.03 * (1 - i / n), 0.045), y + 0.2 + 0.04 * (1 - i / n)) for i, (x, y) in enumerate(low)]
    return [[*low, (0.045, low[-1][1] + 0.08), *reversed(high), low[0]]]


@cache
def view(view_name: str) -> View:
    """The ``front`` or ``back`` view, built once and cached (treat it as read-only)."""
    if view_name not in VIEW_NAMES:
        raise ValueError(f"unknown view {shown(view_name)}; choose one of {', '.join(VIEW_NAMES)}")
    if view_name == "front":
        half = _front_leg()
        half["groin"] = _groin_front()
        details = _front_details()
    else:
        half = _back_leg()
        half.update(_buttock_saddle_back())
        details = _back_details()
    regions: dict[tuple[str, str], list[Path]] = {}
    for side in ("left", "right"):
        s = screen_sign(view_name, side)
        for rid, paths in half.items():
            regions[(rid, side)] = [_flip(p, s) for p in paths]
    nerves = _sciatic_nerve() if view_name == "back" else {}
    return View(view_name, [_full_outline(view_name)], regions, details, nerves, _key_points(view_name))


def _sciatic_nerve() -> dict[str, Path]:
    """The sciatic nerve of each leg (back view): from the sacrum through the buttock down the back
    of the thigh, dividing above the knee into the tibial (down the calf) and common fibular
    (round the outer knee) nerves. Keys: ``sciatic_left``, ``tibial_left``, ``fibular_left``, ..."""
    out: dict[str, Path] = {}
    split = 2.55
    for side in ("left", "right"):
        s = screen_sign("back", side)
        trunk = catmull_rom(
            [
                (0.07, 4.62),
                (0.22, 4.42),
                (0.36, 4.12),
                leg_point(0.5, 3.7),
                leg_point(0.52, 3.1),
                leg_point(0.55, split),
            ],
            samples=8,
        )
        tibial = catmull_rom(
            [
                leg_point(0.55, split),
                leg_point(0.6, 2.0),
                leg_point(0.62, 1.4),
                leg_point(0.7, 0.6),
                leg_point(0.82, 0.2),
            ],
            samples=8,
        )
        fibular = catmull_rom(
            [leg_point(0.55, split), leg_point(0.35, 2.2), leg_point(0.1, 1.75), leg_point(0.06, 1.55)], samples=8
        )
        out[f"sciatic_{side}"] = _flip(trunk, s)
        out[f"tibial_{side}"] = _flip(tibial, s)
        out[f"fibular_{side}"] = _flip(fibular, s)
    return out


#: ISNCSCI key sensory points, by root: (view, where in leg/foot/trunk coordinates).
def _key_point_half(root_name: str) -> tuple[str, Point] | None:
    table: dict[str, tuple[str, Point]] = {
        "L2": ("front", leg_point(0.5, 3.2)),  # front-inner thigh, halfway groin to inner knee
        "L3": ("front", leg_point(0.9, 2.12)),  # over the medial femoral condyle
        "L4": ("front", leg_point(0.85, 0.36)),  # medial malleolus
        "L5": ("front", foot_point(0.45, 0.93)),  # third MTP joint, top of the foot
        "S1": ("back", foot_point(0.2, 0.18)),  # lateral heel
        "S2": ("back", leg_point(0.6, 2.03)),  # popliteal fossa
        "S3": ("back", (0.12, 3.8)),  # ischial tuberosity / fold under the buttock, saddle edge
        "S4": ("back", (0.05, 4.0)),  # perianal (S4-5 share the spot)
        "S5": ("back", (0.05, 4.0)),  # perianal
    }
    return table.get(root_name)


def _key_points(view_name: str) -> dict[tuple[str, str], Point]:
    from sciatica_edu.facts import anatomy  # geometry stays pure; only the root names come from data

    out: dict[tuple[str, str], Point] = {}
    for r in anatomy.roots():
        spec = _key_point_half(r.name)
        if spec is None or spec[0] != view_name:
            continue
        for side in ("left", "right"):
            out[(r.name, side)] = _flip([spec[1]], screen_sign(view_name, side))[0]
    return out
