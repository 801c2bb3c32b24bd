"""The lower spine seen from the side, as plain coordinates (no plotly; ``figures.cause`` draws it).

L3 to the sacrum seen from the patient's side, with the side openings and nerve roots drawn in: vertebral bodies
and discs at the front; behind them the spinal canal, with the sac of nerves in it; and the bony arches. Each
arch's stem (pedicle) is a pillar from the upper back of its body, drawn over the canal (it is nearer to you), and
its joint piece rises behind the disc below it: the gap between two stems, behind the disc and in front of the
facet joint, is the exit opening (foramen). Each root leaves the sac under its own stem, through that gap, and
runs down and forward outside the spine. A worn disc lets the bones above it sink onto it (the sacrum stays put).

Units are millimetres of a typical adult; x grows towards the BACK (the front of the body is on the left), y grows
upwards, and the back top corner of L3 is (0, 0). The column is stacked from each disc's and body's front and
back heights, so the usual inward curve of the lower back (lordosis) comes out of the wedge shapes.

:func:`side_spine` draws the normal spine or one cause of ``data/causes.yaml``, at the cause's own level (its
``inset.disc``), changed where that cause changes the spine; :func:`canal_width`, :func:`disc_height`,
:func:`opening_width` and :func:`opening_height` measure a drawing, so tests compare a cause with the normal spine
from the shapes themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from sciatica_edu._errors import choose
from sciatica_edu.facts import causes

Pt = tuple[float, float]
Poly = list[Pt]

#: The causes this drawing shows, in ``data/causes.yaml`` order (piriformis is not in the spine).
CAUSES = ("disc_herniation", "spinal_stenosis", "degenerative_disc", "spondylolisthesis", "bone_spur")
#: Every shape :func:`side_spine` draws: the normal spine and each cause.
SHAPES = ("normal", *CAUSES)
LEVELS = ("L3", "L4", "L5")
DISCS = ("L3-L4", "L4-L5", "L5-S1")

# body: depth (front to back), front height, back height (L5 is wedge-shaped, taller at the front)
_BODY = {"L3": (34.0, 27.0, 27.0), "L4": (35.0, 27.0, 26.0), "L5": (35.0, 28.0, 24.0)}
# disc: front height, back height (the lower discs are taller at the front: the curve of the lower back)
_DISC = {"L3-L4": (11.0, 8.0), "L4-L5": (12.0, 8.5), "L5-S1": (13.0, 7.0)}
_WORN = 0.35  # a worn disc keeps about this share of its height (drawn, not measured data)
_SLIP = 10.0  # how far a slipped body sits forward of the one below (a low-grade slip, about a quarter of its depth)
_S1_DEPTH = 36.0
_LAMINA = 16.5  # the canal's back wall (the front of the bony arch), behind the back of the bodies
_FACET = 10.5  # the front of the joint piece below each opening: the opening's back wall, behind the back of the bodies
#: Top and bottom of each stem (pedicle), mm below the top of its body: the exit openings are between them.
PEDICLE = (-2.5, -13.0)
_FLAVUM = 2.5  # the ligament between two arches (ligamentum flavum): normal thickness ...
_FLAVUM_THICK = 9.0  # ... and thickened, in spinal stenosis
_FACET_THICK = 2.0  # how much further forward a thickened joint piece reaches (stenosis, bone spurs)
#: Where each root goes once it leaves the sac, in its own body's frame: from behind its stem, out under the
#: stem into the upper part of the exit opening, down through it in front of the joint, then down and forward
#: past the disc below (outside the spine, nearer to you than the bone). The last ``ROOT_LEAVING`` points are
#: the part outside the canal.
_ROOT_OUT = ((2.0, -10.0), (3.2, PEDICLE[1] - 0.6), (5.0, -17.0), (5.2, -21.5), (3.0, -25.5), (-3.0, -30.0),
             (-10.0, -33.5))
ROOT_LEAVING = len(_ROOT_OUT) - 1


@dataclass(frozen=True)
class Frame:
    """A body's top endplate: ``back`` its back end, ``u`` the unit vector along it towards the front.

    ``at(x, y)`` turns body coordinates (x mm towards the back from the back face, y mm up from the endplate) into
    drawing coordinates, so arches and bulges stay attached to a body however it is tilted or moved."""

    back: Pt
    u: Pt

    def at(self, x: float, y: float) -> Pt:
        (bx, by), (ux, uy) = self.back, self.u
        return (round(bx - x * ux + y * uy, 3), round(by - x * uy - y * ux, 3))

    def moved(self, dx: float, dy: float) -> Frame:
        return Frame((self.back[0] + dx, self.back[1] + dy), self.u)


@dataclass(frozen=True)
class SideSpine:
    """One drawing: every shape by name, plus where each level sits.

    ``bones``: ``body L3`` .. ``body L5``, ``arch L3`` .. ``arch L5``, ``sacrum``; ``discs``: by disc; ``sac``:
    the sac of nerves in the canal; ``nerves``: the nerve lines in the sac; ``roots``: each exiting root by name,
    from the sac out through its opening (L3 leaves under L3, above the L3-L4 disc); ``ligaments``: the ligament
    behind each disc; ``changes``: the cause's own shapes (``bulge``, ``spur ...``), empty for the normal spine;
    ``frames``: each body's top endplate (``S1`` for the sacrum); ``cause`` and ``disc``: what is shown where.
    One shared (cached) drawing per cause: read it, do not change it."""

    cause: str
    disc: str | None
    bones: dict[str, Poly]
    discs: dict[str, Poly]
    ligaments: dict[str, Poly]
    changes: dict[str, Poly]
    sac: Poly
    nerves: list[Poly]
    roots: dict[str, Poly]
    frames: dict[str, Frame]


def _unit(a: Pt, b: Pt) -> Pt:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    return (dx / n, dy / n)


def _body(f: Frame, depth: float, hf: float, hb: float) -> Poly:
    """A vertebral body: slightly waisted front and back, rounded corners."""
    return [f.at(-1.2, -1.0), f.at(-depth + 1.2, -0.6), f.at(-depth, -2.0), f.at(-depth + 1.3, -hf / 2),
            f.at(-depth, -hf + 2.0), f.at(-depth + 1.2, -hf + 0.6), f.at(-1.2, -hb + 1.0), f.at(0.0, -hb + 2.0),
            f.at(0.6, -hb / 2), f.at(0.0, -2.0), f.at(-1.2, -1.0)]


def _arch(f: Frame, facet: float = 0.0) -> Poly:
    """The bony arch behind a body, seen from the side: the stem (pedicle), a pillar from the upper back of the
    body; the joint piece above it (superior articular process), whose front edge is the back wall of the exit
    opening (``facet`` mm further forward when the joint is thick); the plate (lamina) that is the canal's back
    wall; the spine you feel under the skin (spinous process); and the joint piece below (inferior articular
    process), which lies just behind the next bone's joint piece: the facet joint."""
    sap, top, bot = _FACET - facet, PEDICLE[0], PEDICLE[1]
    return [f.at(0.0, top), f.at(sap - 1.0, top + 0.3), f.at(sap - 1.0, 4.0), f.at(sap, 8.0),
            f.at(sap + 2.5, 9.0 + facet * 0.3), f.at(_LAMINA - 0.8, 4.0), f.at(_LAMINA - 1.0, -2.0),
            f.at(_LAMINA + 2.0, -4.0), f.at(_LAMINA + 10.0, -3.0), f.at(_LAMINA + 33.0, -8.0),
            f.at(_LAMINA + 36.0, -12.0), f.at(_LAMINA + 33.0, -20.0), f.at(_LAMINA + 12.0, -23.0),
            f.at(_LAMINA + 7.5, -31.0), f.at(_LAMINA + 4.5, -38.5), f.at(_LAMINA - 0.5, -36.0),
            f.at(_LAMINA - 0.5, -27.0), f.at(_FACET + 0.5, -25.0), f.at(_FACET, bot - 1.5),
            f.at(_FACET - 2.0, bot), f.at(0.0, bot), f.at(0.0, top)]


def _sacrum(f: Frame, facet: float = 0.0) -> tuple[Poly, Poly]:
    """The top of the sacrum, cut off below S2: its body at the front, and behind the canal its stem, joint piece
    and back plate (the sacral canal between them stays open, so the nerves show going on down)."""
    d, sap, cut = _S1_DEPTH, _FACET - facet, -46.0
    top, bot = PEDICLE
    body = [f.at(-1.0, -1.0), f.at(-d + 1.0, -0.6), f.at(-d - 0.5, -3.0), f.at(-d, -16.0), f.at(-d + 3.0, -34.0),
            f.at(-d + 5.0, cut), f.at(3.5, cut), f.at(1.5, -24.0), f.at(0.0, -4.0), f.at(-1.0, -1.0)]
    back = [f.at(0.0, top), f.at(sap - 1.0, top + 0.3), f.at(sap - 1.0, 4.0), f.at(sap, 8.0),
            f.at(sap + 2.5, 9.0 + facet * 0.3), f.at(_LAMINA - 0.8, 4.0), f.at(_LAMINA + 6.0, 1.0),
            f.at(_LAMINA + 11.0, -4.0), f.at(_LAMINA + 14.0, -20.0), f.at(_LAMINA + 12.0, cut),
            f.at(_LAMINA + 1.0, cut), f.at(_LAMINA + 1.5, -24.0), f.at(_LAMINA, -16.0), f.at(_FACET - 2.0, bot),
            f.at(0.0, bot), f.at(0.0, top)]
    return body, back


def _disc(upper: Frame, lower: Frame, up_depth: float, up_hf: float, up_hb: float, depth: float,
          back_bulge: float = 1.0) -> Poly:
    """A disc between the bottom of the body above and the top of the body below, bulging a little front and back."""
    bb, bf = upper.at(0.0, -up_hb), upper.at(-up_depth, -up_hf)
    tb, tf = lower.at(0.0, 0.0), lower.at(-depth, 0.0)
    mid_b = ((bb[0] + tb[0]) / 2, (bb[1] + tb[1]) / 2)
    mid_f = ((bf[0] + tf[0]) / 2, (bf[1] + tf[1]) / 2)
    ub = _unit(tf, tb)  # towards the back
    return [bb, (mid_b[0] + back_bulge * ub[0], mid_b[1] + back_bulge * ub[1]), tb, tf,
            (mid_f[0] - 1.5 * ub[0], mid_f[1] - 1.5 * ub[1]), bf, bb]


def _ligament(upper: Frame, lower: Frame, thick: float) -> Poly:
    """The ligament from the lower edge of one arch's plate to the top of the next (the canal's back wall there)."""
    top_b, top_f = upper.at(_LAMINA, -24.0), upper.at(_LAMINA - thick * 0.5, -27.0)
    bot_b, bot_f = lower.at(_LAMINA, -6.0), lower.at(_LAMINA - thick * 0.5, -3.0)
    mid = ((top_f[0] + bot_f[0]) / 2 - thick * 0.5, (top_f[1] + bot_f[1]) / 2)
    return [top_b, top_f, mid, bot_f, bot_b, top_b]


def _cause_disc(cause: str) -> str | None:
    """The disc level a cause is drawn at: its ``inset.disc`` in data/causes.yaml (one place for page and data)."""
    if cause == "normal":
        return None
    inset = causes.cause(cause).inset
    if inset is None or inset.disc not in DISCS:
        raise ValueError(f"data/causes.yaml: cause {cause} has no level from L3-L4 to L5-S1 to draw")
    return inset.disc


@cache
def side_spine(cause: str = "normal") -> SideSpine:
    """The side view of the lower spine, normal or changed by ``cause`` (one of :data:`SHAPES`) at its level."""
    choose(cause, SHAPES, "cause")
    at = _cause_disc(cause)
    frames: dict[str, Frame] = {}
    bodies: dict[str, tuple[float, float, float]] = {}
    f = Frame((0.0, 0.0), (-1.0, 0.0))
    for lv, disc in zip(LEVELS, DISCS, strict=True):
        frames[lv] = f
        depth, hf, hb = _BODY[lv]
        bodies[lv] = (depth, hf, hb)
        dfh, dbh = _DISC[disc]
        if cause == "degenerative_disc" and disc == at:
            dfh, dbh = dfh * _WORN, dbh * _WORN
        bb, bf = f.at(0.0, -hb), f.at(-depth, -hf)
        u = _unit(bb, bf)
        down = (-u[1], u[0])  # perpendicular to the endplate, downwards
        nb = (bb[0] + dbh * down[0], bb[1] + dbh * down[1])
        nf = (bf[0] + dfh * down[0], bf[1] + dfh * down[1])
        f = Frame(nb, _unit(nb, nf))
    frames["S1"] = f
    if cause == "degenerative_disc":  # the sacrum stays put: the bones above the worn disc sink onto it
        frames = _settle(frames, side_spine("normal").frames["S1"])
    if cause == "spondylolisthesis":  # the body above the disc, and all above it, sits forward on the one below
        upper = at.split("-")[0]
        ux, uy = frames[_below(upper)].u
        for lv in LEVELS[: LEVELS.index(upper) + 1]:
            frames[lv] = frames[lv].moved(_SLIP * ux, _SLIP * uy)
    facet = {_below(at.split("-")[0]): _FACET_THICK} if cause in ("spinal_stenosis", "bone_spur") else {}
    bones = {f"body {lv}": _body(frames[lv], *bodies[lv]) for lv in LEVELS}
    bones |= {f"arch {lv}": _arch(frames[lv], facet.get(lv, 0.0)) for lv in LEVELS}
    bones["sacrum"], bones["arch S1"] = _sacrum(frames["S1"], facet.get("S1", 0.0))
    discs, ligaments = {}, {}
    for lv, disc in zip(LEVELS, DISCS, strict=True):
        lower = _below(lv)
        depth = _BODY[lower][0] if lower in _BODY else _S1_DEPTH
        bulge = 2.2 if (cause == "degenerative_disc" and disc == at) else 1.0
        discs[disc] = _disc(frames[lv], frames[lower], *bodies[lv], depth, bulge)
        thick = _FLAVUM_THICK if (cause == "spinal_stenosis" and disc == at) else _FLAVUM
        ligaments[disc] = _ligament(frames[lv], frames[lower], thick)
    changes = _changes(cause, at, frames, bodies) if at else {}
    walls = _walls_of(frames, discs, changes, ligaments)
    top, sac_end = 14.0, frames["S1"].at(9.0, -22.0)[1]
    sac = _sac(walls, top, sac_end)
    nerves, roots = _nerves(walls, frames, top, sac_end)
    return SideSpine(cause, at, bones, discs, ligaments, changes, sac, nerves, roots, frames)


def _settle(frames: dict[str, Frame], s1: Frame) -> dict[str, Frame]:
    """Every frame turned and moved as one, so the sacrum's lands on ``s1``: when a disc loses height, the bones
    above it sink (the sacrum and pelvis do not rise)."""
    old = frames["S1"]
    cos = old.u[0] * s1.u[0] + old.u[1] * s1.u[1]
    sin = old.u[0] * s1.u[1] - old.u[1] * s1.u[0]

    def turn(x: float, y: float) -> Pt:
        return (x * cos - y * sin, x * sin + y * cos)

    out = {}
    for name, f in frames.items():
        dx, dy = turn(f.back[0] - old.back[0], f.back[1] - old.back[1])
        out[name] = Frame((round(s1.back[0] + dx, 6), round(s1.back[1] + dy, 6)), _unit((0.0, 0.0), turn(*f.u)))
    out["S1"] = s1
    return out


def _below(level: str) -> str:
    return (*LEVELS, "S1")[LEVELS.index(level) + 1]


def _changes(cause: str, disc: str, frames: dict[str, Frame], bodies: dict) -> dict[str, Poly]:
    """The shapes that are the cause itself, in the frames of the bodies above (``up``) and below (``lo``)."""
    upper = disc.split("-")[0]
    up, lo = frames[upper], frames[_below(upper)]
    hb = bodies[upper][2]
    dbh = _DISC[disc][1]
    if cause == "disc_herniation":  # the soft centre pushed out back, into the canal and towards the opening
        return {"bulge": [lo.at(0.5, dbh * 0.85), lo.at(4.5, dbh * 0.9), lo.at(8.0, dbh * 0.6), lo.at(9.0, 2.0),
                          lo.at(7.5, -3.5), lo.at(3.5, -5.5), lo.at(0.5, -3.0), lo.at(0.5, dbh * 0.85)]}
    if cause == "spinal_stenosis":  # a broad bulge of the disc from the front (the ligament thickens behind)
        return {"bulge": [lo.at(0.5, dbh * 0.95), lo.at(4.0, dbh * 0.8), lo.at(6.0, dbh * 0.45), lo.at(5.0, 0.5),
                          lo.at(1.5, -1.0), lo.at(0.5, -0.5), lo.at(0.5, dbh * 0.95)]}
    if cause == "bone_spur":  # lips of extra bone on the back edges of both bodies, reaching into the opening
        return {"spur above": [up.at(0.0, -hb + 9.0), up.at(3.5, -hb + 6.0), up.at(5.5, -hb + 2.0),
                               up.at(6.0, -hb - 2.5), up.at(3.5, -hb - 1.5), up.at(0.0, -hb)],
                "spur below": [lo.at(0.0, -8.0), lo.at(3.5, -5.0), lo.at(5.5, -1.0), lo.at(6.0, 3.5),
                               lo.at(3.5, 1.2), lo.at(0.0, 0.0)]}
    return {}


@dataclass(frozen=True)
class _Walls:
    """The canal's front wall (back of the bodies, discs and what bulges from them) and back wall (the arches'
    plates and the ligaments between them), to find the canal's width at any height."""

    front: Poly
    back: Poly
    front_shapes: list[Poly]
    back_shapes: list[Poly]

    def at(self, y: float) -> tuple[float, float]:
        f, b = _line_x(self.front, y), _line_x(self.back, y)
        for shape in self.front_shapes:
            xs = _crossings(shape, y)
            if xs:
                f = max(f, max(xs))
        for shape in self.back_shapes:
            xs = _crossings(shape, y)
            if xs:
                b = min(b, min(xs))
        return f, b


def _line_x(line: Poly, y: float) -> float:
    """x of a top-to-bottom polyline at height ``y`` (held at its ends)."""
    if y >= line[0][1]:
        return line[0][0]
    for (x0, y0), (x1, y1) in pairwise(line):
        if y1 <= y <= y0:
            return x0 if y0 == y1 else x0 + (x1 - x0) * (y - y0) / (y1 - y0)
    return line[-1][0]


def _crossings(shape: Poly, y: float) -> list[float]:
    out = []
    for (x0, y0), (x1, y1) in pairwise(shape):
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            out.append(x0 + (x1 - x0) * (y - y0) / (y1 - y0))
    return out


def _ys(top: float, bottom: float, step: float = 1.0) -> list[float]:
    n = max(2, int((top - bottom) / step) + 1)
    return [top - (top - bottom) * k / (n - 1) for k in range(n)]


def _sac(walls: _Walls, top: float, bottom: float) -> Poly:
    """The sac of nerves (dural sac): it fills the canal less a thin layer of fat, from above L3 to the sacrum."""
    ys = _ys(top, bottom)
    left, right = [], []
    for y in ys:
        f, b = walls.at(y)
        f, b = f + 1.0, max(f + 1.2, b - 0.6)
        left.append((round(f, 3), round(y, 3)))
        right.append((round(b, 3), round(y, 3)))
    tip = ((left[-1][0] + right[-1][0]) / 2, bottom - 3.0)
    return [*left, tip, *reversed(right), left[0]]


def _lane(walls: _Walls, y: float, share: float) -> float:
    f, b = walls.at(y)
    f, b = f + 1.0, max(f + 1.2, b - 0.6)
    return round(f + share * (b - f), 3)


def _nerves(walls: _Walls, frames: dict[str, Frame], top: float, sac_end: float) -> tuple[list[Poly], dict[str, Poly]]:
    """Nerve lines down the sac (the roots going on to the sacrum), and each exiting root: it runs at the front of
    the sac from one level up, then leaves under its own body's stem through the exit opening (:data:`_ROOT_OUT`).
    Both follow the sac's walls, so where the canal narrows the nerves are squeezed together."""
    lines = []
    for share in (0.5, 0.68, 0.86):
        ys = _ys(top, sac_end - 2.0)
        lines.append([(_lane(walls, y, share), round(y, 3)) for y in ys])
    for share in (0.35, 0.6):  # the roots for the sacrum go on down its canal
        lines.append([(_lane(walls, sac_end - 2.0, share), sac_end - 2.0), frames["S1"].at(3.0 + 10 * share, -45.0)])
    roots = {}
    for i, lv in enumerate(LEVELS):
        f = frames[lv]
        start = top if i == 0 else frames[LEVELS[i - 1]].at(0.0, -12.0)[1]
        prev_exit = frames[LEVELS[i - 1]].at(3.0, PEDICLE[1])[1] if i else top + 1.0
        path = []
        for y in _ys(start, f.at(0.0, -8.0)[1]):  # down the front of the sac, behind its own stem at the end
            path.append((_lane(walls, y, 0.14 if y < prev_exit else 0.32), round(y, 3)))
        roots[lv] = path + [f.at(x, y) for x, y in _ROOT_OUT]
    return lines, roots



def canal_width(shape: SideSpine, disc: str) -> float:
    """The narrowest the canal gets (front wall to back wall, mm) from the body above a disc to the body below."""
    choose(disc, DISCS, "disc")
    upper = disc.split("-")[0]
    walls = _walls(shape)
    top = shape.frames[upper].at(0.0, -_BODY[upper][2] + 4.0)[1]
    bottom = shape.frames[_below(upper)].at(0.0, -4.0)[1]
    return round(min(b - f for f, b in (walls.at(y) for y in _ys(top, bottom, 0.25))), 2)


def _walls(shape: SideSpine) -> _Walls:
    return _walls_of(shape.frames, shape.discs, shape.changes, shape.ligaments)


def _walls_of(fr: dict[str, Frame], discs: dict, changes: dict, ligaments: dict) -> _Walls:
    front = [p for lv in LEVELS for p in (fr[lv].at(0.0, 0.0), fr[lv].at(0.0, -_BODY[lv][2]))]
    front += [fr["S1"].at(0.0, 0.0), fr["S1"].at(1.5, -24.0), fr["S1"].at(3.5, -46.0)]
    back = [p for lv in LEVELS for p in (fr[lv].at(_LAMINA, 2.0), fr[lv].at(_LAMINA, -33.0))]
    back += [fr["S1"].at(_LAMINA, 2.0), fr["S1"].at(_LAMINA + 1.5, -24.0), fr["S1"].at(_LAMINA + 1.0, -46.0)]
    return _Walls(front, back, [*discs.values(), *changes.values()], list(ligaments.values()))


def disc_height(shape: SideSpine, disc: str) -> float:
    """A disc's height (mm) at its middle, front to back: the gap between the two bodies."""
    choose(disc, DISCS, "disc")
    pts = shape.discs[disc]
    bb, tb, tf, bf = pts[0], pts[2], pts[3], pts[5]
    back, front = math.dist(bb, tb), math.dist(bf, tf)
    return round((back + front) / 2, 2)


def opening_height(shape: SideSpine, disc: str) -> float:
    """The height (mm) of the exit opening at a disc: from the underside of the stem (pedicle) of the body above to
    the top of the stem of the one below."""
    choose(disc, DISCS, "disc")
    upper = disc.split("-")[0]
    return round(math.dist(shape.frames[upper].at(2.0, PEDICLE[1]), shape.frames[_below(upper)].at(2.0, PEDICLE[0])),
                 2)


def opening_width(shape: SideSpine, disc: str) -> float:
    """The narrowest width (mm, front to back) of the exit opening over the disc's back edge: from the disc (or
    what bulges or grows from it or the bodies) to the joint piece of the arch below (the opening's back wall)."""
    choose(disc, DISCS, "disc")
    upper = disc.split("-")[0]
    pts = shape.discs[disc]
    arch = shape.bones[f"arch {_below(upper)}"] if _below(upper) in LEVELS else shape.bones["arch S1"]
    fronts = (pts, *shape.changes.values())
    widths = []
    for y in _ys(max(pts[0][1], pts[2][1]), min(pts[0][1], pts[2][1]), 0.25):
        joint = min(x for x in _crossings(arch, y) if x > _line_x([pts[0], pts[2]], y))
        front = max([x for s in fronts for x in _crossings(s, y) if x < joint] or [_line_x([pts[0], pts[2]], y)])
        widths.append(joint - front)
    return round(min(widths), 2)


def forward_shift(shape: SideSpine, level: str) -> float:
    """How far (mm) the back top corner of a body sits in front of where it is in the normal spine."""
    choose(level, LEVELS, "level")
    return round(side_spine("normal").frames[level].back[0] - shape.frames[level].back[0], 2)
