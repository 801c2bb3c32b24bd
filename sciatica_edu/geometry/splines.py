"""Smooth paths through landmark points, and paths as the x/y lists plotly draws.

Pure Python (no plotly): the body outlines (``geometry.body``) and the spine inset (``geometry.spine``) are splines
through landmarks; the figures turn lists of paths into one trace's x and y (``None`` between paths).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

Point = tuple[float, float]
Path = list[Point]



def catmull_rom(points: Sequence[Point], samples: int = 8, closed: bool = False) -> Path:
    """A centripetal Catmull-Rom spline through ``points`` (``samples`` points per segment)."""
    pts = list(points)
    if len(pts) < 3:
        return pts
    if closed:
        ext = [pts[-1], *pts, pts[0], pts[1]]
        nseg = len(pts)
    else:
        first = (2 * pts[0][0] - pts[1][0], 2 * pts[0][1] - pts[1][1])
        last = (2 * pts[-1][0] - pts[-2][0], 2 * pts[-1][1] - pts[-2][1])
        ext = [first, *pts, last]
        nseg = len(pts) - 1
    out: Path = []
    for i in range(nseg):
        p0, p1, p2, p3 = ext[i], ext[i + 1], ext[i + 2], ext[i + 3]

        def knot(t: float, a: Point, b: Point) -> float:
            d = math.hypot(b[0] - a[0], b[1] - a[1]) ** 0.5
            return t + max(d, 1e-6)

        t0 = 0.0
        t1 = knot(t0, p0, p1)
        t2 = knot(t1, p1, p2)
        t3 = knot(t2, p2, p3)
        for k in range(samples):
            t = t1 + (t2 - t1) * k / samples
            a1 = _lerp(p0, p1, (t - t0) / (t1 - t0))
            a2 = _lerp(p1, p2, (t - t1) / (t2 - t1))
            a3 = _lerp(p2, p3, (t - t2) / (t3 - t2))
            b1 = _lerp(a1, a2, (t - t0) / (t2 - t0))
            b2 = _lerp(a2, a3, (t - t1) / (t3 - t1))
            out.append(_lerp(b1, b2, (t - t1) / (t2 - t1)))
    if not closed:
        out.append(pts[-1])
    return out


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _hermite(knots: Sequence[Point]) -> Callable[[float], float]:
    """x as a smooth function of y through (y, x) knots (monotone-safe Catmull-Rom tangents)."""
    ys = [k[0] for k in knots]
    xs = [k[1] for k in knots]
    n = len(ys)
    slopes = [(xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i]) for i in range(n - 1)]
    tangents = [slopes[0]] + [(slopes[i - 1] + slopes[i]) / 2 for i in range(1, n - 1)] + [slopes[-1]]

    def f(y: float) -> float:
        if y <= ys[0]:
            return xs[0] + tangents[0] * (y - ys[0])
        if y >= ys[-1]:
            return xs[-1] + tangents[-1] * (y - ys[-1])
        i = min(bisect_right(ys, y) - 1, n - 2)
        h = ys[i + 1] - ys[i]
        t = (y - ys[i]) / h
        h00 = 2 * t**3 - 3 * t**2 + 1
        h10 = t**3 - 2 * t**2 + t
        h01 = -2 * t**3 + 3 * t**2
        h11 = t**3 - t**2
        return h00 * xs[i] + h10 * h * tangents[i] + h01 * xs[i + 1] + h11 * h * tangents[i + 1]

    return f


def _xy(paths: Iterable[list[tuple[float, float]]], dx: float = 0.0) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for p in paths:
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [round(x + dx, 3) for x, _ in p]
        ys += [round(y, 3) for _, y in p]
    return xs, ys


def _shifted(paths: Iterable[list[tuple[float, float]]], dx: float) -> list[list[tuple[float, float]]]:
    """Paths moved ``dx`` to the right (the back view sits beside the front one)."""
    return [[(x + dx, y) for x, y in path] for path in paths]
