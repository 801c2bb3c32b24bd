"""What an example changes on the body figure (a :class:`State`): colour-only trace and layout edits.

:func:`state_for` says, for a compression, one root's usual area or a selection of regions, what every
dynamic trace property and layout item of a :class:`~sciatica_edu.figures.scene.Scene` should be;
:func:`figure_dict` writes a state into a copy of the scene. The widget sends the same edits to the browser.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sciatica_edu._errors import choose_many
from sciatica_edu.facts import anatomy
from sciatica_edu.figures.paint import Paint, _check_pair, _hover, _nothing, _warning, region_paint, warning_lines
from sciatica_edu.figures.patient import _patient_state, _skin_kinds
from sciatica_edu.figures.scene import Scene, scene_for
from sciatica_edu.figures.spine import _compression_label, _inset_index, _inset_state, _root_label, inset_captions
from sciatica_edu.figures.style import (
    CLEAR,
    KIND_PATTERNS,
    LABEL,
    PATIENT_PATTERNS,
    SELECTION,
    TERRITORY,
    TERRITORY_ALSO,
    UNPAINTED,
    WARNING,
    _apply,
    _patient_pattern,
    _pattern,
)
from sciatica_edu.model.scenario import KINDS, Compression


@dataclass(frozen=True)
class State:
    """Dynamic trace properties by trace index, e.g. {12: {"fillcolor": "#fd8d3c", ...}}."""

    props: dict[int, dict[str, object]]
    painted: dict[tuple[str, str], Paint]
    layout: dict[str, object] = field(default_factory=dict)  # relayout paths, e.g. "shapes[3].fillcolor"


def _validate_kinds(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if kinds is None else choose_many(kinds, KINDS, "symptom kind")


def state_for(
    compression: Compression | None = None,
    *,
    kinds: Iterable[str] | None = None,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
    scene: Scene | None = None,
) -> State:
    scene = scene or scene_for()
    if compression is not None and not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
    kinds = _validate_kinds(kinds)
    if sum(x is not None for x in (compression, root, selection)) > 1:
        raise ValueError("give only one of compression, root or selection")
    painted: dict[tuple[str, str], Paint] = {}
    hit: dict[str, tuple[str, ...]] = {}
    disc = zone = None
    sides: tuple[str, ...] = ()
    label = ""
    patient = scene.mode == "patient"
    pattern = _patient_pattern if patient else _pattern
    if compression is not None:
        painted = region_paint(compression.symptoms(), _skin_kinds(kinds) if patient else kinds,
                               patterns=PATIENT_PATTERNS if patient else KIND_PATTERNS)
        sides = compression.sides
        disc, zone = compression.disc, compression.zone
        for name in compression.roots:
            hit[name] = sides
        label = _compression_label(compression)
    elif root is not None:
        r = anatomy.root(root)
        for reg in r.dermatome:
            for side in anatomy.SIDES:
                painted[(reg, side)] = Paint(TERRITORY, "", f"usual skin area of {r.name}", ())
        for extra in r.also_reported:
            for side in anatomy.SIDES:
                painted.setdefault((extra.region, side), Paint(TERRITORY_ALSO, "", f"some maps add {r.name} here", ()))
        hit[r.name] = anatomy.SIDES
        label = _root_label(r.name)
    elif selection is not None:
        for pair in selection:
            reg, side = _check_pair(pair)
            painted[(reg, side)] = Paint(SELECTION, "", "you picked this area", ())
    props: dict[int, dict[str, object]] = {}
    for (_vname, rid, side), i in scene.region_index.items():
        p = painted.get((rid, side))
        if p is None:
            props[i] = {
                "fillcolor": UNPAINTED,
                "fillpattern": pattern(""),
                "name": _hover(rid, side, _nothing(root, selection)),
            }
        else:
            props[i] = {
                "fillcolor": p.color,
                "fillpattern": _patient_pattern(p.pattern, p.color) if patient else _pattern(p.pattern),
                "name": _hover(rid, side, p.status),
            }
    # key sensory points: the compressed roots' spots stand out
    colors = []
    for rname, side in scene.keypoint_roots:
        on = side in hit.get(rname, ())
        colors.append("#000000" if on else CLEAR)
    layout: dict[str, object] = {f"shapes[{k}].fillcolor": c for k, c in enumerate(colors)}
    idx = _inset_index()
    for key, values in _inset_state(disc, zone, sides, hit).items():
        props[scene.inset_start + idx[key]] = values
    if label and label not in inset_captions():  # pragma: no cover - inset_captions() enumerates every caption
        raise ValueError(f"no inset caption drawn for {label!r}")
    warning = _warning(compression, scene.locale)
    for k, text in enumerate((*inset_captions(), *warning_lines(scene.locale))):
        on = text in (label, warning)
        colour = (LABEL if k < len(inset_captions()) else WARNING) if on else CLEAR
        layout[f"annotations[{scene.captions + k}].font.color"] = colour
    if patient:
        layout.update(_patient_state(scene, compression, kinds, root, selection))
    return State(props, painted, layout)




def figure_dict(state: State, scene: Scene) -> tuple[list[dict], dict]:

    traces = copy.deepcopy(scene.traces)
    _apply(traces, state.props)
    layout = copy.deepcopy(scene.layout)
    _apply_layout(layout, state.layout)
    return traces, layout


_ITEM = re.compile(r"^(\w+)\[(\d+)\]\.(.+)$")


def _apply_layout(layout: dict, edits: dict[str, object]) -> None:
    """Write relayout paths like ``annotations[3].font.color`` into a plain layout dict."""
    for path, value in edits.items():
        m = _ITEM.match(path)
        if m is None:  # pragma: no cover - state_for writes only item paths
            raise ValueError(f"not a layout item path: {path!r}")
        d = layout[m.group(1)][int(m.group(2))]
        parts = m.group(3).split(".")
        for part in parts[:-1]:
            d = d.setdefault(part, {})
        d[parts[-1]] = value
