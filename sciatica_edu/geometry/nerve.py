"""Geometry of the sciatic nerve's path, seen from behind: the lower spine, the five roots that make the nerve, the
nerve down the back of the thigh and its two branches below the split (``figures.nerve_path`` draws it).

Pure Python (no plotly). Units and the body outline are those of ``geometry.body`` (head heights, soles at y = 0,
the back view: the patient's right leg on YOUR right). The nerve below the pelvis and its branches are the back
view's own nerve lines (``body.view("back").nerves``), so this drawing and the body picture agree. The lower spine is
a schematic: its levels sit a little further apart than in life, so that five roots and their names stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_edu._errors import choose
from sciatica_edu.geometry.body import Path, Point, _foot_outline, _frange, catmull_rom, screen_sign, view
from sciatica_edu.geometry.legs import _B_TOP, ANKLE_Y, CROTCH_Y, _densify_chain, leg_point, x_inner, x_outer

__all__ = ["SIDES", "NervePath", "nerve_path"]

SIDES = ("left", "right")
#: Where each root leaves the spine (head heights), top to bottom: the gap below the same-numbered bone for L4 and
#: L5, the openings of the sacrum for S1 to S3.
_EXITS = (4.98, 4.85, 4.72, 4.59, 4.46)
#: Where the roots meet in the pelvis, on the screen-right side: the nerve starts here.
_JOIN = (0.3, 4.34)
_ROUND_Y = 1.78  # where the shin branch has come round the outer side of the leg, just below the knee
_HALF = 0.075  # half the width of a bone of the spine


@dataclass(frozen=True)
class NervePath:
    """One side's sciatic nerve, seen from behind. ``roots`` maps a root name to its path from where it leaves the
    spine to where the roots join; ``nerve`` runs from there to the split above the knee; ``calf`` and ``shin`` are
    the two branches below the split (``shin`` ends where it turns round to the front, below the outer knee; its path
    on down the front is ``shin_front``). ``bones`` are the lower spine's pieces (L4, L5, sacrum), ``outline`` the
    body below the ribs, ``folds`` the creases under the buttocks and behind the knees (to find one's way),
    ``exits`` where each root leaves the spine."""

    side: str
    outline: list[Path]
    folds: list[Path]
    bones: dict[str, Path]
    roots: dict[str, Path]
    exits: dict[str, Point]
    nerve: Path
    calf: Path
    shin: Path
    shin_front: Path

    @property
    def split(self) -> Point:
        """Where the nerve splits in two (above the knee)."""
        return self.nerve[-1]


def _flip(path: Path, sign: int) -> Path:
    return [(sign * x, y) for x, y in path]


def _box(x0: float, x1: float, y0: float, y1: float) -> Path:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _bones() -> dict[str, Path]:
    """L4 and L5 as blocks with a disc's gap under each; the sacrum a tapering shield below them."""
    l4, l5 = _EXITS[0], _EXITS[1]
    sacrum_top = l5 - 0.03
    return {
        "L4": _box(-_HALF, _HALF, l4 + 0.025, l4 + 0.11),
        "L5": _box(-_HALF, _HALF, l5 + 0.025, l4 - 0.025),
        "sacrum": [(-0.11, sacrum_top), (0.11, sacrum_top), (0.085, 4.5), (0.03, 4.33), (-0.03, 4.33),
                   (-0.085, 4.5), (-0.11, sacrum_top)],
    }


def _lower_body(top: float = 5.3) -> Path:
    """The back view's outline below the ribs, as one open path: down the outside of one leg from the waist, round
    the foot, up between the legs and down the other leg and up to the waist again (the arms are left out)."""
    half = [(x_outer(y), y) for y in _frange(top, ANKLE_Y, -0.05)]
    half += _foot_outline("back")
    half += [(x_inner(y), y) for y in _frange(ANKLE_Y, CROTCH_Y, 0.05)] + [(0.0, CROTCH_Y + 0.02)]
    return [*half, *[(-x, y) for x, y in reversed(half)]]


def _folds() -> list[Path]:
    """The fold under each buttock and the crease behind each knee, both legs."""
    fold = [leg_point(u, y) for u, y in _densify_chain(_B_TOP) if 0.3 <= u <= 0.97]
    knee = [leg_point(u, 2.03) for u in (0.25, 0.4, 0.55, 0.7, 0.85)]
    return [side for path in (fold, knee) for side in (path, _flip(path, -1))]


def nerve_path(side: str = "right", roots: tuple[str, ...] = ("L4", "L5", "S1", "S2", "S3")) -> NervePath:
    """The sciatic nerve of the patient's ``side`` leg ("left" or "right"), seen from behind, made from ``roots``
    (five names, top to bottom; the figure passes the roots 02 cites). The other side's roots are not drawn."""
    choose(side, SIDES, "side (which leg's nerve)")
    if len(roots) != len(_EXITS):
        raise ValueError(f"the drawing has room for {len(_EXITS)} roots, top to bottom, not {len(roots)}")
    sign = screen_sign("back", side)
    back = view("back")
    exits = {name: (_HALF + 0.005, y) for name, y in zip(roots, _EXITS, strict=True)}
    jx, jy = _JOIN  # each root runs out and down from its opening to where they join
    paths = {name: catmull_rom([(x, y), (x + 0.55 * (jx - x), y + 0.4 * (jy - y)), _JOIN], samples=6)
             for name, (x, y) in exits.items()}
    trunk = [p for p in back.nerves["sciatic_right"] if p[1] < _JOIN[1] - 0.05]  # the body picture's nerve line
    nerve = [_JOIN, *trunk]
    calf = list(back.nerves["tibial_right"])
    # the shin branch winds round the outer side just below the knee; from there on it is at the front (dashed)
    shin = [p for p in back.nerves["fibular_right"] if p[1] >= _ROUND_Y]
    front = [shin[-1], *[leg_point(0.05, y) for y in (1.5, 1.2, 0.9, 0.6, 0.3)]]
    outline = [_lower_body()]
    return NervePath(
        side=side,
        outline=outline,
        folds=_folds(),
        bones=_bones(),
        roots={k: _flip(v, sign) for k, v in paths.items()},
        exits={k: (sign * x, y) for k, (x, y) in exits.items()},
        nerve=_flip(nerve, sign),
        calf=_flip(calf, sign),
        shin=_flip(shin, sign),
        shin_front=_flip(front, sign),
    )
