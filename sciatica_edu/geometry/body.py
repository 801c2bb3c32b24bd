"""Geometry of the body map: smooth front and back adult outlines and a polygon per region and side.

Pure Python (no plotly): the diagram layer turns these paths into traces. Units are head
heights H (the 8-head canon of ``docs/body-proportions.md``): soles at y = 0, top of the
head at y = 8. Outlines are splines through landmark points, mirrored for the other side.

Each leg is drawn in (u, y) coordinates, u = 0 on its outer edge and u = 1 on its inner
edge, so region borders follow the leg's outline and neighbouring regions share borders
exactly (no gaps, no overlaps). Views:

* front: the patient faces you, so the patient's LEFT leg is on YOUR right (x > 0);
* back: you see the patient from behind, so the patient's LEFT leg is on YOUR left (x < 0).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from sciatica_edu._errors import shown
from sciatica_edu.geometry.splines import Path, Point, _hermite, catmull_rom

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

#: Outer edge of the body from the ankle up to the armpit: (y, x). Hips widest at the crotch
#: level, waist at the navel, a small outer-ankle bump lower than the inner one.
_OUTER = [
    (0.10, 0.43),
    (0.24, 0.455),
    (0.42, 0.42),
    (0.75, 0.42),
    (1.15, 0.46),
    (1.5, 0.5),
    (1.78, 0.47),
    (2.0, 0.475),
    (2.25, 0.495),
    (2.7, 0.58),
    (3.2, 0.68),
    (3.7, 0.76),
    (4.05, 0.8),
    (4.4, 0.77),
    (4.7, 0.69),
    (5.0, 0.62),
    (5.35, 0.67),
    (5.7, 0.74),
    (5.95, 0.76),
]
#: Inner edge of the leg from the ankle up to the crotch: (y, x). Thighs nearly touch at the
#: top, knees lean in, the calf bulges on the inner side, the inner ankle bone sits higher.
_INNER = [
    (0.10, 0.15),
    (0.32, 0.125),
    (0.5, 0.15),
    (0.8, 0.14),
    (1.2, 0.1),
    (1.5, 0.085),
    (1.85, 0.1),
    (2.05, 0.085),
    (2.4, 0.1),
    (2.9, 0.085),
    (3.4, 0.055),
    (3.8, 0.035),
    (4.0, 0.03),
]
ANKLE_Y = 0.10  # where the leg ends and the foot begins (the foot is drawn below it)
CROTCH_Y = 4.0

x_outer = _hermite(_OUTER)
x_inner = _hermite(_INNER)


def leg_point(u: float, y: float) -> Point:
    """Screen-right leg: u = 0 outer edge, u = 1 inner edge, at height y."""
    xo = x_outer(y)
    xi = x_inner(min(y, CROTCH_Y))
    return (xo + (xi - xo) * u, y)


def _rev(chain: Sequence[Point]) -> list[Point]:
    return list(reversed(chain))


def _cut(chain: Sequence[Point], u0: float, u1: float) -> list[Point]:
    """The part of a border polyline (sorted by u) between u0 and u1, with interpolated ends."""

    def at(u: float) -> Point:
        for (a, b), (c, d) in itertools.pairwise(chain):
            if a <= u <= c:
                t = 0 if c == a else (u - a) / (c - a)
                return (u, b + (d - b) * t)
        raise ValueError(u)

    inner = [p for p in chain if u0 < p[0] < u1]
    return [at(u0), *inner, at(u1)]


# ---------------------------------------------------------------------------------------------
# Foot: mapped like the leg, t = 0 at the ankle and t = 1 at the base of the toes.

_FOOT_OUT = [(0.0, 0.0), (0.35, 0.04), (0.7, 0.085), (1.0, 0.1)]  # (t, dx from the ankle's outer edge)
_FOOT_IN = [(0.0, 0.0), (0.35, -0.03), (0.7, -0.035), (1.0, -0.02)]
FOOT_LEN = 0.68  # ankle to the base of the toes, seen from the front (foreshortened)


def foot_point(u: float, t: float) -> Point:
    """Screen-right foot: u = 0 outer edge, u = 1 inner edge, t from the ankle (0) to the toe base (1)."""
    ox = x_outer(ANKLE_Y) + _hermite(_FOOT_OUT)(t)
    ix = x_inner(ANKLE_Y) + _hermite(_FOOT_IN)(t)
    # Toe base slants: the big-toe side reaches further down than the little-toe side.
    y = ANKLE_Y - t * FOOT_LEN * (0.86 + 0.14 * u) - 0.035 * math.sin(math.pi * t) * (1 - u)
    return (ox + (ix - ox) * u, y)


def _toe(u0: float, u1: float, length: float, gap: float = 0.1) -> Path:
    """A toe below the toe base between u0 and u1 (screen-right foot): sides along the foot, a round tip."""
    a = foot_point(u0 + (u1 - u0) * gap / 2, 1.0)
    b = foot_point(u1 - (u1 - u0) * gap / 2, 1.0)
    # direction of the foot (ankle middle -> toe base middle), so toes point the way the foot does
    m0, m1 = foot_point(0.5, 0.0), foot_point(0.5, 1.0)
    dx, dy = m1[0] - m0[0], m1[1] - m0[1]
    n = math.hypot(dx, dy)
    dx, dy = dx / n, dy / n
    r = abs(b[0] - a[0]) / 2
    side = max(length - r, 0.01)
    ca = (a[0] + dx * side, a[1] + dy * side)
    cb = (b[0] + dx * side, b[1] + dy * side)
    c = ((ca[0] + cb[0]) / 2, (ca[1] + cb[1]) / 2)
    # semicircle from a's side to b's side, bulging forward along the foot (the toe tip)
    ang0 = math.atan2(ca[1] - c[1], ca[0] - c[0])
    turn = 1 if math.cos(ang0 + math.pi / 2) * dx + math.sin(ang0 + math.pi / 2) * dy > 0 else -1
    arc = [
        (c[0] + r * math.cos(ang0 + turn * math.pi * k / 10), c[1] + r * math.sin(ang0 + turn * math.pi * k / 10))
        for k in range(11)
    ]
    return [a, *arc, b, a]


# ---------------------------------------------------------------------------------------------
# Region layouts in (u, y) for one (screen-right) leg


def _ring(*chains: tuple[Callable[[float, float], Point], Sequence[Point]]) -> Path:
    """A closed screen path from (mapping, uv-chain) pieces; each chain is densified with its own mapping."""
    out: Path = []
    for mapping, chain in chains:
        pts = [mapping(u, v) for u, v in _densify_chain(chain)]
        if out and pts and math.dist(out[-1], pts[0]) < 1e-9:
            pts = pts[1:]
        out += pts
    # close along the leg or foot (not with a straight screen line) so edges follow the outline
    mapping, chain = chains[-1]
    first_mapping, first_chain = chains[0]
    if mapping is first_mapping and math.dist(chain[-1], first_chain[0]) > 1e-9:
        out += [mapping(u, v) for u, v in _densify_chain([chain[-1], first_chain[0]])][1:]
    if math.dist(out[0], out[-1]) > 1e-9:
        out.append(out[0])
    return out


def _leg(*chain: Point) -> tuple[Callable[[float, float], Point], list[Point]]:
    return (leg_point, list(chain))


def _ft(*chain: Point) -> tuple[Callable[[float, float], Point], list[Point]]:
    return (foot_point, list(chain))


def _at(chain: Sequence[Point], u: float) -> Point:
    return _cut(chain, u, u)[0]


#: Front view borders in (u, y): groin crease at the top of the thigh, top and bottom of the knee.
_F_TOP = [(0.0, 4.47), (0.35, 4.33), (0.7, 4.16), (1.0, 4.0)]
_F_KT = [(0.22, 2.32), (0.55, 2.42), (0.85, 2.36), (1.0, 2.3)]
_F_KB = [(0.22, 1.72), (0.55, 1.66), (0.85, 1.7), (1.0, 1.72)]
#: Back view borders: the gluteal fold (rising to the outer hip and toward the saddle), the knee hollow.
_B_TOP = [(0.0, 4.15), (0.12, 3.92), (0.25, 3.74), (0.5, 3.64), (0.8, 3.7), (1.0, 3.86)]
_B_KT = [(0.22, 2.3), (0.6, 2.36), (1.0, 2.3)]
_B_KB = [(0.22, 1.76), (0.6, 1.7), (1.0, 1.76)]
_LAT_ANKLE_TOP = 0.5
_MED_ANKLE_TOP = 0.62  # the inner ankle bone sits higher than the outer one


def _front_leg() -> dict[str, list[Path]]:
    """Front view of the screen-right leg and foot, region by region."""
    t, kt, kb = _F_TOP, _F_KT, _F_KB
    a0, a1 = ANKLE_Y, _LAT_ANKLE_TOP
    m1 = _MED_ANKLE_TOP
    r: dict[str, list[Path]] = {}
    r["lateral_thigh"] = [
        _ring(_leg((0.0, 2.02), (0.22, 2.02), (0.22, 2.32), _at(t, 0.28)), _leg(*_rev(_cut(t, 0.0, 0.28))))
    ]
    r["anterior_thigh"] = [
        _ring(
            _leg(*_cut(kt, 0.22, 0.75), _at(t, 0.6)), _leg(*_rev(_cut(t, 0.28, 0.6))), _leg(_at(t, 0.28), (0.22, 2.32))
        )
    ]
    r["medial_thigh"] = [
        _ring(_leg(*_cut(kt, 0.75, 1.0), (1.0, 4.0)), _leg(*_rev(_cut(t, 0.6, 1.0))), _leg(_at(t, 0.6), _at(kt, 0.75)))
    ]
    r["knee"] = [_ring(_leg(*kb), _leg(*_rev(kt)))]
    r["lateral_leg"] = [
        _ring(
            _leg((0.0, a1), (0.4, a1), _at(kb, 0.3)),
            _leg(*_rev(_cut(kb, 0.22, 0.3))),
            _leg((0.22, 1.72), (0.22, 2.02), (0.0, 2.02)),
        )
    ]
    r["anterior_leg"] = [_ring(_leg((0.4, a1), (0.6, m1), _at(kb, 0.62)), _leg(*_rev(_cut(kb, 0.3, 0.62)), (0.4, a1)))]
    r["medial_leg"] = [_ring(_leg((0.6, m1), (1.0, m1), (1.0, 1.72)), _leg(*_rev(_cut(kb, 0.62, 1.0)), (0.6, m1)))]
    r["lateral_ankle"] = [_ring(_leg((0.0, a0), (0.4, a0), (0.4, a1), (0.0, a1), (0.0, a0)))]
    r["medial_ankle"] = [_ring(_leg((0.6, a0), (1.0, a0), (1.0, m1), (0.6, m1), (0.6, a0)))]
    # The top of the foot starts at the front of the ankle: one piece from the ankle crease to the toes.
    r["dorsum_foot"] = [
        _ring(
            _leg((0.4, a0), (0.4, a1), (0.6, m1), (0.6, a0)),
            _ft((0.6, 0.0), (0.8, 0.0), (0.8, 1.0), (0.2, 1.0), (0.2, 0.0), (0.4, 0.0)),
        )
    ]
    r["lateral_foot"] = [_ring(_ft((0.0, 0.0), (0.2, 0.0), (0.2, 1.0), (0.0, 1.0), (0.0, 0.0)))]
    r["medial_foot"] = [_ring(_ft((0.8, 0.0), (1.0, 0.0), (1.0, 1.0), (0.8, 1.0), (0.8, 0.0)))]
    r["little_toe"] = [_toe(*_TOES[0])]
    r["middle_toes"] = [_toe(*x) for x in _TOES[1:4]]
    r["big_toe"] = [_toe(*_TOES[4])]
    return r


def _back_leg() -> dict[str, list[Path]]:
    """Back view of the screen-right leg and the sole of its foot (seen from below), region by region."""
    t, kt, kb = _B_TOP, _B_KT, _B_KB
    a0, a1 = ANKLE_Y, _LAT_ANKLE_TOP
    r: dict[str, list[Path]] = {}
    r["lateral_thigh"] = [
        _ring(_leg((0.0, 2.02), (0.22, 2.02), _at(t, 0.22)), _leg(*_rev(_cut(t, 0.0, 0.22)), (0.0, 2.02)))
    ]
    r["posterior_thigh"] = [
        _ring(_leg(*kt, (1.0, 3.86)), _leg(*_rev(_cut(t, 0.22, 1.0))), _leg(_at(t, 0.22), (0.22, 2.3)))
    ]
    r["popliteal_fossa"] = [_ring(_leg(*kb), _leg(*_rev(kt)))]
    r["lateral_leg"] = [_ring(_leg((0.0, a1), (0.36, a1), (0.22, 1.0), (0.22, 2.02), (0.0, 2.02), (0.0, a1)))]
    r["posterior_leg"] = [
        _ring(
            _leg((0.36, a0), (1.0, a0), (1.0, 1.76)),
            _leg(*_rev(kb)),
            _leg((0.22, 1.76), (0.22, 1.0), (0.36, a1), (0.36, a0)),
        )
    ]
    r["lateral_ankle"] = [_ring(_leg((0.0, a0), (0.36, a0), (0.36, a1), (0.0, a1), (0.0, a0)))]
    heel_t = 0.34
    r["heel"] = [_ring(_ft((0.0, 0.0), (1.0, 0.0), (1.0, heel_t), (0.0, heel_t), (0.0, 0.0)))]
    r["lateral_foot"] = [_ring(_ft((0.0, heel_t), (0.22, heel_t), (0.22, 1.0), (0.0, 1.0), (0.0, heel_t)))]
    r["sole"] = [
        _ring(_ft((0.22, heel_t), (1.0, heel_t), (1.0, 1.0), (0.22, 1.0), (0.22, heel_t))),
        *[_toe(*x) for x in _TOES],
    ]
    return r


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


#: Toes from the outer (little toe) to the inner (big toe) side: (u0, u1, length).
_TOES = [(0.0, 0.155, 0.1), (0.155, 0.31, 0.13), (0.31, 0.465, 0.145), (0.465, 0.64, 0.16), (0.64, 1.0, 0.19)]


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


def _densify_chain(chain: Sequence[Point], step: float = 0.03) -> list[Point]:
    out: list[Point] = []
    for (u0, v0), (u1, v1) in itertools.pairwise(chain):
        steps = max(1, int(math.hypot((u1 - u0) * 0.5, v1 - v0) / step))
        out += [(u0 + (u1 - u0) * k / steps, v0 + (v1 - v0) * k / steps) for k in range(steps)]
    out.append(chain[-1])
    return out


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
