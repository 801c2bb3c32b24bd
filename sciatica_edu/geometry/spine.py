"""The lumbar spine seen from behind, as plain coordinates: vertebrae, discs, the dural sac, the nerve roots and
each disc bulge (no plotly; ``figures.spine`` draws them).

Seen from behind, like the back view of the body: the patient's LEFT is on YOUR left. Units are vertebral
proportions, L1 at the top (y = 0) and the sacrum at the bottom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache

from sciatica_edu.geometry.splines import catmull_rom

_LEVELS = ("L1", "L2", "L3", "L4", "L5")
_VH = 0.64  # vertebral body height
_DH = 0.30  # disc height
_VW = 0.82  # half-width of a vertebral body
_SAC = 0.3  # half-width of the dural sac


def _vy(level: str) -> float:
    """Centre height of a vertebral body (L1 at the top)."""
    return -_LEVELS.index(level) * (_VH + _DH)


def _disc_y(disc: str) -> float:
    upper = disc.split("-")[0]
    return _vy(upper) - (_VH + _DH) / 2


def _inset_sx(side: str) -> int:
    return -1 if side == "left" else 1  # seen from behind: patient's left on your left


def _rounded_rect(cx: float, cy: float, hw: float, hh: float, r: float = 0.12) -> list[tuple[float, float]]:
    pts = []
    for cx2, cy2, a0 in (
        (cx + hw - r, cy + hh - r, 0),
        (cx - hw + r, cy + hh - r, 90),
        (cx - hw + r, cy - hh + r, 180),
        (cx + hw - r, cy - hh + r, 270),
    ):
        for k in range(5):
            a = math.radians(a0 + k * 22.5)
            pts.append((cx2 + r * math.cos(a), cy2 + r * math.sin(a)))
    pts.append(pts[0])
    return pts


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 24) -> list[tuple[float, float]]:
    return [(cx + rx * math.cos(2 * math.pi * k / n), cy + ry * math.sin(2 * math.pi * k / n)) for k in range(n + 1)]


@cache
def _root_paths() -> dict[str, list[tuple[float, float]]]:
    """Screen-right (patient's right, seen from behind) path of each root, from the sac to outside."""
    paths: dict[str, list[tuple[float, float]]] = {}
    step = _VH + _DH
    for i, lv in enumerate(_LEVELS):
        # Root Lk leaves the sac about a level above its exit, runs down in the lateral
        # recess and exits through the foramen below the pedicle of Lk (above disc Lk-Lk+1).
        y_branch = _vy(lv) + step * 0.42
        y_exit = _vy(lv) - _VH * 0.32
        paths[lv] = catmull_rom(
            [
                (_SAC - 0.02, y_branch),
                (_SAC + 0.12, y_branch - 0.35),
                (_VW + 0.08, y_exit),
                (_VW + 0.55, y_exit - 0.3),
                (_VW + 0.9, y_exit - 0.62 - 0.08 * i),
            ],
            samples=6,
        )
    sac_bottom = _vy("L5") - _VH / 2 - _DH
    for j, name in enumerate(("S1", "S2", "S3", "S4", "S5")):
        # sacral roots run down inside the sacrum and leave through its holes (sacral foramina)
        y_branch = _vy("L5") - 0.1 - j * 0.08
        y_exit = sac_bottom - 0.3 - j * 0.3
        x_exit = 0.5 - j * 0.07
        paths[name] = [
            (_SAC - 0.04 - j * 0.045, y_branch),
            (_SAC - 0.02 - j * 0.04, y_exit + 0.25),
            (x_exit, y_exit),
            (x_exit + 0.3 - j * 0.03, y_exit - 0.12),
        ]
    return paths


_ZONE_X = {"central": 0.0, "paracentral": _SAC + 0.08, "foraminal": _VW + 0.12, "far_lateral": _VW + 0.52}


def _bulge(disc: str, zone: str, sides: Iterable[str]) -> list[list[tuple[float, float]]]:
    y = _disc_y(disc)
    if zone == "central":
        return [_ellipse(0.0, y - 0.02, 0.34, 0.2)]
    return [_ellipse(_inset_sx(s) * _ZONE_X[zone], y - 0.02, 0.2, 0.17) for s in sides]


@cache
def _inset_static() -> dict:
    """Static traces of the inset: vertebrae, sacrum, the dural sac and level labels."""
    bodies = [_rounded_rect(0, _vy(lv), _VW, _VH / 2) for lv in _LEVELS]
    top = _vy("L5") - _VH / 2 - _DH
    sacrum = catmull_rom(
        [
            (-_VW - 0.05, top),
            (-_VW + 0.12, top - 0.8),
            (-0.3, top - 1.65),
            (0.0, top - 1.85),
            (0.3, top - 1.65),
            (_VW - 0.12, top - 0.8),
            (_VW + 0.05, top),
        ],
        samples=6,
    )
    sacrum = [*sacrum, sacrum[0]]
    sac = [
        (-_SAC, _vy("L1") + 0.5),
        (_SAC, _vy("L1") + 0.5),
        (_SAC, top - 0.2),
        (0.1, top - 1.35),
        (-0.1, top - 1.35),
        (-_SAC, top - 0.2),
        (-_SAC, _vy("L1") + 0.5),
    ]
    return {"bones": [*bodies, sacrum], "sac": sac, "sacrum_top": top}


def _all_discs() -> tuple[str, ...]:
    return ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1")
