"""One leg and its foot in (u, y) coordinates, and the skin regions laid out on it (front and back).

Units are head heights H (``docs/body-proportions.md``): soles at y = 0. A leg is drawn screen-right (x >= 0),
u = 0 on its outer edge and u = 1 on its inner edge, so region borders follow the leg's outline and neighbouring
regions share borders exactly (no gaps, no overlaps); ``geometry.body`` mirrors it into each view and side.
Pure Python (no plotly).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from sciatica_edu.geometry.splines import Path, Point, _hermite

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


#: Toes from the outer (little toe) to the inner (big toe) side: (u0, u1, length).
_TOES = [(0.0, 0.155, 0.1), (0.155, 0.31, 0.13), (0.31, 0.465, 0.145), (0.465, 0.64, 0.16), (0.64, 1.0, 0.19)]


def _densify_chain(chain: Sequence[Point], step: float = 0.03) -> list[Point]:
    out: list[Point] = []
    for (u0, v0), (u1, v1) in itertools.pairwise(chain):
        steps = max(1, int(math.hypot((u1 - u0) * 0.5, v1 - v0) / step))
        out += [(u0 + (u1 - u0) * k / steps, v0 + (v1 - v0) * k / steps) for k in range(steps)]
    out.append(chain[-1])
    return out
