"""The body diagram as plotly figures: front and back body, dermatome regions, lumbar-spine inset.

* :func:`body_figure` - one plain ``go.Figure`` for a :class:`~sciatica_edu.scenario.Compression`
  (or one root's usual territory, or nothing painted);
* :func:`spine_figure` - the lumbar-spine drawing alone, larger, for a compression or a cause;
* :func:`static_figure` - plotly-native buttons and a slider switching precomputed scenarios
  (works in an exported HTML file with no kernel);
* :func:`describe` / :func:`describe_html` - the same picture in plain words.

Show a plain figure with ``fig.show(config=CONFIG)`` or write it with
``fig.write_html(path, include_plotlyjs=True, config=CONFIG)`` to hide plotly's mode bar.
Region traces carry ``meta = [region_id, side, view]`` so tests and browser checks can find them.

Painting rule (shown in the figure's key): a region's colour is the strongest intensity of
any symptom there; its fill pattern shows the kind that matters most for the nerve, in the
order numbness, tingling, weakness, cramp, pain (pain alone is a plain fill). The hover text
lists every kind. Geometry lives in :mod:`sciatica_edu.body`. The maps follow Lee, McPhee &
Stringer 2008 [S20]; dermatomes overlap and vary between people [S20, S22] and radicular pain
often crosses them [S60]: a typical pattern, never a diagnosis.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html import escape

import plotly.graph_objects as go

from sciatica_edu import anatomy, body, causes, locales, redflags
from sciatica_edu._errors import choose, choose_many, shown
from sciatica_edu.scenario import KINDS, MODEL_FLAGS, SIDE_CHOICES, Compression, Symptom

__all__ = [
    "CAVEAT",
    "CONFIG",
    "HEIGHT",
    "KIND_PATTERNS",
    "KIND_WORDS",
    "MODES",
    "PALETTE",
    "PATIENT_PATTERNS",
    "STATIC_SCENARIOS",
    "STATIC_SEVERITIES",
    "WIDTH",
    "body_figure",
    "default_height",
    "describe",
    "describe_html",
    "dynamic_traces",
    "fit_html",
    "patient_title",
    "region_paint",
    "restyle_args",
    "spine_figure",
    "static_compressions",
    "static_figure",
]

#: ColorBrewer YlOrRd steps (colour-blind safe, ordered by lightness): milder -> stronger.
PALETTE = ("#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")
#: Fill pattern per symptom kind (plotly ``fillpattern.shape``); pain is a plain fill.
KIND_PATTERNS = {"numbness": "/", "tingling": ".", "weakness": "x", "cramp": "-", "pain": ""}
#: When several kinds meet in one region, the pattern shows the first of these.
KIND_PRIORITY = ("numbness", "tingling", "weakness", "cramp", "pain")
KIND_WORDS = {
    "pain": "pain",
    "tingling": "tingling (pins and needles)",
    "numbness": "numbness (less feeling)",
    "weakness": "weakness",
    "cramp": "cramp",
}
UNPAINTED = "rgba(255,255,255,0)"
CLEAR = "rgba(0,0,0,0)"  # hidden without `visible`: a style-only restyle (plotly.js editType "style")
LABEL = "#7a2e00"
WARNING = "#a00018"
SKIN = "#f4ede4"
LINE = "#6d6258"
BORDER = "#b3a79b"
TERRITORY = "#56b4e9"  # Okabe-Ito sky blue: one root's usual area (no compression)
TERRITORY_ALSO = "#cfe9f8"
SELECTION = "#0072b2"  # Okabe-Ito blue: regions a person picked
NERVE = "#e69f00"  # Okabe-Ito orange
ROOT_IDLE = "#c9b458"
ROOT_HIT = "#d55e00"  # Okabe-Ito vermillion
DISC = "#b9d3e0"
BULGE = "#d55e00"

#: Where the spine panel's caption hangs (paper fraction): in the gap between the panel and the key.
CAPTION_Y = 0.455
CAVEAT = "Dermatomes overlap and vary between people. This shows typical patterns and cannot diagnose."
BACK_DX = 3.15  # where the back view sits, in head heights to the right of the front view
WIDTH = 940
HEIGHT = 720
PATIENT_HEIGHT = 780  # room for the title and its caption


def _strength(intensity: float) -> str:
    if intensity >= 0.75:
        return "strong"
    if intensity >= 0.45:
        return "some"  # "moderate" pushed long descriptions past reading grade 7
    return "mild"


def _colour(intensity: float) -> str:
    i = min(len(PALETTE) - 1, max(0, int(intensity * len(PALETTE) - 1e-9)))
    return PALETTE[i]


# ---------------------------------------------------------------------------------------------
# What each region shows: one pure function the figure, the widget, the static figure and the
# tests share.


@dataclass(frozen=True)
class Paint:
    """How one region on one side is painted: fill colour, pattern shape and the hover sentence."""

    color: str
    pattern: str
    status: str
    kinds: tuple[tuple[str, float], ...] = ()


def region_paint(
    symptoms: Iterable[Symptom], kinds: Iterable[str] | None = None, *, patterns: dict[str, str] | None = None
) -> dict[tuple[str, str], Paint]:
    """Paint for each painted (region, side): colour = strongest intensity, pattern = kind by priority.

    ``patterns`` maps kind -> fill pattern (default :data:`KIND_PATTERNS`, the student look;
    :data:`PATIENT_PATTERNS` has fewer, clearer ones)."""
    patterns = KIND_PATTERNS if patterns is None else patterns
    shown = set(KINDS if kinds is None else kinds)
    by_place: dict[tuple[str, str], dict[str, float]] = {}
    for s in symptoms:
        if s.kind in shown and s.intensity > 0:
            by_place.setdefault((s.region, s.side), {})[s.kind] = s.intensity
    out: dict[tuple[str, str], Paint] = {}
    for place, found in by_place.items():
        top = max(found.values())
        listed = tuple(sorted(found.items(), key=lambda kv: KIND_PRIORITY.index(kv[0])))
        words = "; ".join(f"{_strength(v)} {KIND_WORDS[k]}" for k, v in listed)
        # the first kind (by priority) that has a pattern; pain alone is a plain fill
        shape = next((patterns[k] for k in KIND_PRIORITY if k in found and patterns[k]), "")
        out[place] = Paint(_colour(top), shape, words, listed)
    return out


@cache
def _supplying_roots() -> dict[str, tuple[str, ...]]:
    """Region id -> roots whose usual skin area (dermatome) includes it."""
    table: dict[str, list[str]] = {r.id: [] for r in anatomy.regions()}
    for r in anatomy.roots():
        for reg in r.dermatome:
            table[reg].append(r.name)
    return {k: tuple(v) for k, v in table.items()}


def _pattern(shape: str) -> dict:
    """A whole fill-pattern object: repaints write it as one top-level property (much cheaper in
    plotly than the dotted ``fillpattern.shape``; see benchmarks/diagram_latency.py)."""
    return {"shape": shape, "solidity": 0.35, "size": 7}


def _hover(region_id: str, side: str, status: str) -> str:
    reg = anatomy.region(region_id)
    roots = _supplying_roots()[region_id]
    supply = ", ".join(roots) if roots else "no single root in this map"
    return (
        f"<b>{escape(reg.label)}</b> (patient's {side})<br>"
        f"<i>{escape(reg.term)}</i><br>"
        f"Nerve roots that usually supply it: {supply}<br>"
        f"Here: {escape(status).replace('; ', '<br>&nbsp;&nbsp;')}"
    )


# ---------------------------------------------------------------------------------------------
# The spine inset (seen from behind, like the back view: the patient's LEFT on YOUR left)

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
        paths[lv] = body.catmull_rom(
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
    sacrum = body.catmull_rom(
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


def _trace(xaxis: str, yaxis: str, **props) -> go.Scatter:
    """A scatter trace on the given axes, kept out of the legend (the key draws its own)."""
    return go.Scatter(xaxis=xaxis, yaxis=yaxis, showlegend=False, **props)


def _fill(xaxis: str, yaxis: str, **props) -> go.Scatter:
    """A filled outline (a region, a bone, a disc) on the given axes."""
    return _trace(xaxis, yaxis, fill="toself", mode="lines", **props)


def _inset_traces(xaxis: str, yaxis: str, caption: str = "") -> list[go.Scatter]:
    """All inset traces in a fixed order (see ``_inset_index``); ``caption`` under the sacrum (the spine figure;
    the body figure's captions are layout annotations switched by colour, see ``_caption_annotations``)."""
    st = _inset_static()
    traces: list[go.Scatter] = []
    bx, by = _xy(st["bones"])
    traces.append(
        _fill(
            xaxis,
            yaxis,
            x=bx,
            y=by,
            fillcolor="#efe6d8",
            line={"color": "#8a7a66", "width": 1.2},
            hoverinfo="skip",
            name="bones",
        )
    )
    for disc in _all_discs():
        y = _disc_y(disc)
        dx, dy = _xy([_ellipse(0, y, _VW - 0.04, _DH / 2 - 0.01)])
        traces.append(
            _fill(
                xaxis,
                yaxis,
                x=dx,
                y=dy,
                fillcolor=DISC,
                line={"color": "#8fb0c2", "width": 2.4},
                hoverinfo="text",
                text=f"{disc} disc",
                hoveron="fills",
                name=f"{disc} disc",
            )
        )
    sx, sy = _xy([st["sac"]])
    traces.append(
        _fill(
            xaxis,
            yaxis,
            x=sx,
            y=sy,
            fillcolor="rgba(255,236,160,0.55)",
            line={"color": "#b59a2e", "width": 1},
            hoverinfo="text",
            hoveron="fills",
            text="the nerve roots inside their sac (dural sac)",
            name="sac",
        )
    )
    for name, path in _root_paths().items():
        for side in anatomy.SIDES:
            s = _inset_sx(side)
            xs = [round(s * x, 3) for x, _ in path]
            ys = [round(y, 3) for _, y in path]
            traces.append(
                _trace(
                    xaxis,
                    yaxis,
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": ROOT_IDLE, "width": 3},
                    hoverinfo="text",
                    text=f"{name} nerve root (patient's {side})",
                    name=f"{name} {side}",
                )
            )
    for key in _bulge_keys():
        disc, zone, side = key.split(" ")[1:]
        bx, by = _xy(_bulge(disc, zone, anatomy.SIDES if side == "both" else (side,)))
        where = anatomy.zone(zone).label
        traces.append(
            _fill(
                xaxis,
                yaxis,
                x=bx,
                y=by,
                fillcolor=CLEAR,
                line={"color": CLEAR, "width": 1.5},
                hoverinfo="skip",
                hoveron="fills",
                text=f"the bulge of the {disc} disc: {where}",
                name=key,
                opacity=0.92,
            )
        )
    labels_x = [-_VW - 0.2] * 5 + [-_VW + 0.05]
    labels_y = [_vy(lv) for lv in _LEVELS] + [st["sacrum_top"] - 1.15]
    traces.append(
        _trace(
            xaxis,
            yaxis,
            x=labels_x,
            y=labels_y,
            text=[*_LEVELS, "sacrum"],
            mode="text",
            textposition="middle left",
            textfont={"size": 13, "color": "#4a3f35"},
            hoverinfo="skip",
            name="levels",
        )
    )
    if caption:  # the spine figure's caption under the sacrum (the body figure's are annotations)
        traces.append(
            _trace(
                xaxis,
                yaxis,
                x=[0.0],
                y=[round(st["sacrum_top"] - 1.95, 3)],
                text=[caption],
                mode="text",
                textposition="bottom center",
                textfont={"size": 13, "color": LABEL},
                hoverinfo="skip",
                name="inset label",
            )
        )
    return traces


def _all_discs() -> tuple[str, ...]:
    return ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1")


@cache
def _inset_index() -> dict[str, int]:
    """Offsets of the inset traces, relative to the first inset trace."""
    idx = {"bones": 0}
    i = 1
    for disc in _all_discs():
        idx[f"disc {disc}"] = i
        i += 1
    idx["sac"] = i
    i += 1
    for name in _root_paths():
        for side in anatomy.SIDES:
            idx[f"root {name} {side}"] = i
            i += 1
    for key in _bulge_keys():
        idx[key] = i
        i += 1
    idx["levels"] = i
    return idx


@cache
def _bulge_keys() -> tuple[str, ...]:
    """Names of the precomputed bulge traces: ``bulge <disc> <zone> <side>`` (central: side ``both``)."""
    keys = []
    for disc in anatomy.DISCS:
        for z in anatomy.ZONES:
            for side in ("both",) if z == "central" else anatomy.SIDES:
                keys.append(f"bulge {disc} {z} {side}")
    return tuple(keys)


def _inset_state(
    disc: str | None,
    zone: str | None,
    sides: tuple[str, ...],
    hit: dict[str, tuple[str, ...]],
) -> dict[str, dict]:
    """Dynamic properties of the inset: which disc is marked, where the bulge is, which roots glow.

    Colours only (plotly.js editType "style"): hidden bulges and captions are transparent, not
    ``visible=False``, which would make plotly.js recalculate every trace."""
    out: dict[str, dict] = {}
    for d in _all_discs():
        chosen = d == disc
        out[f"disc {d}"] = {"line.color": "#111111" if chosen else "#8fb0c2"}
    for name in _root_paths():
        for side in anatomy.SIDES:
            on = side in hit.get(name, ())
            out[f"root {name} {side}"] = {"line.color": ROOT_HIT if on else ROOT_IDLE}
    shown = set()
    if disc and zone:
        shown = {f"bulge {disc} {zone} both"} if zone == "central" else {f"bulge {disc} {zone} {x}" for x in sides}
    for key in _bulge_keys():
        on = key in shown
        out[key] = {
            "fillcolor": BULGE if on else CLEAR,
            "line.color": "#7a2e00" if on else CLEAR,
            "hoverinfo": "text" if on else "skip",  # a hidden bulge must not take the hover
        }
    return out


def _compression_label(compression: Compression) -> str:
    """The inset caption for a compression: the disc, where it bulges, the roots it presses on."""
    z = anatomy.zone(compression.zone).label.split(" (")[0]
    return f"<b>{compression.disc} disc</b>, {z}:<br>presses on {', '.join(compression.roots)}"


def _root_label(name: str) -> str:
    return f"<b>{name} nerve root</b>: blue = its usual skin area<br>pale blue = some maps add this"


@cache
def _labels() -> tuple[str, ...]:
    """Every inset caption the live figure can show: roots depend on disc, zone and whether a
    central bulge is severe enough to reach the sacral roots (severity 0 and 1 cover both)."""
    out: list[str] = []
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for severity in (0.0, 1.0):
                lbl = _compression_label(Compression(disc, zone, "both", severity))
                if lbl not in out:
                    out.append(lbl)
    out += [_root_label(r.name) for r in anatomy.roots()]
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# The figure skeleton: built once; every figure and the widget start from a copy.


@dataclass
class _Scene:
    traces: list[dict]
    layout: dict
    region_index: dict[tuple[str, str, str], int] = field(default_factory=dict)
    inset_start: int = 0
    keypoints: int = 0
    keypoint_roots: list[tuple[str, str]] = field(default_factory=list)
    captions: int = 0  # first of the caption annotations (one per ``_labels()``), then the warnings
    locale: str = "uk"  # whose actions the warning lines give (one locale per figure)
    mode: str = "student"  # "patient": no key test spots, a title, weakness as movement labels (see _patient_*)
    titles: int = -1  # patient mode: first title annotation (``_titles()``), then the how-to-read captions
    moves: int = -1  # patient mode: first movement label annotation (one per ``move_keys``)
    move_shapes: int = -1  # patient mode: first movement arrow shape (one per ``move_keys``)
    move_keys: list[tuple[str, str]] = field(default_factory=list)  # (movement id, side) per label


def _shifted(paths: Iterable[list[tuple[float, float]]], dx: float) -> list[list[tuple[float, float]]]:
    """Paths moved ``dx`` to the right (the back view sits beside the front one)."""
    return [[(x + dx, y) for x, y in path] for path in paths]


def _pt(path: list[tuple[float, float]], dx: float) -> tuple[list, list]:
    return _xy([path], dx)


def _scene(width: int = WIDTH, height: int = HEIGHT, locale: str | None = None, mode: str = "patient") -> _Scene:
    """The figure skeleton for a size, a locale and a mode (built once per combination, then shared)."""
    return _built_scene(width, height, locales.resolve(locale), _check_mode(mode))


@cache
def _built_scene(width: int, height: int, locale: str, mode: str = "student") -> _Scene:
    traces: list[dict] = []
    region_index: dict[tuple[str, str, str], int] = {}
    patient = mode == "patient"
    views = (("front", 0.0), ("back", PATIENT_BACK_DX if patient else BACK_DX))
    # front and back share each static layer (one trace each): fewer traces, cheaper restyles. In patient mode
    # the back view has axes of its own (x4, y4), so a narrow screen can stack the views (``_narrow_spec``).
    groups = [(views, "x", "y")] if not patient else [(views[:1], "x", "y"), (views[1:], *BACK_AXES)]

    def layer(name: str, paths_of, **props) -> None:
        for group, xaxis, yaxis in groups:
            paths = [p for vname, dx in group for p in _shifted(paths_of(vname), dx)]
            if paths:
                x, y = _xy(paths)
                traces.append(go.Scatter(x=x, y=y, xaxis=xaxis, yaxis=yaxis, name=name, showlegend=False,
                                         **props).to_plotly_json())

    outline = {"mode": "lines", "line": {"color": LINE, "width": 1.6}, "hoverinfo": "skip"}
    layer("body outline", lambda v: body.view(v).outline, fill="toself", fillcolor=SKIN, **outline)
    for vname, dx in views:
        v = body.view(vname)
        xaxis, yaxis = BACK_AXES if patient and vname == "back" else ("x", "y")
        for (rid, side), paths in sorted(v.regions.items(), key=lambda kv: (_region_order(kv[0][0]), kv[0][1])):
            x, y = _xy(paths, dx)
            region_index[(vname, rid, side)] = len(traces)
            traces.append(
                go.Scatter(
                    x=x,
                    y=y,
                    xaxis=xaxis,
                    yaxis=yaxis,
                    fill="toself",
                    fillcolor=UNPAINTED,
                    mode="lines",
                    line={"color": BORDER, "width": 0.8},
                    hoveron="fills",
                    hoverinfo="text",
                    # plotly.js labels a hovered fill with the trace's ``text`` or else its ``name``;
                    # ``name`` is style-level, ``text`` would recalculate every trace on each change
                    name=_hover(rid, side, "nothing in this example"),
                    fillpattern=_pattern(""),
                    showlegend=False,
                    meta=[rid, side, vname],
                ).to_plotly_json()
            )
    # re-draw the body outline edge on top so regions do not hide it
    layer("body edge", lambda v: body.view(v).outline, **outline)
    layer("body details", lambda v: body.view(v).details, mode="lines", line={"color": "#a39585", "width": 1},
          hoverinfo="skip")
    for nerve in ("sciatic", "tibial", "fibular"):
        label = {
            "sciatic": "sciatic nerve",
            "tibial": "tibial nerve (branch of the sciatic nerve)",
            "fibular": "common fibular (peroneal) nerve (branch of the sciatic nerve)",
        }[nerve]
        layer(label, lambda v, nerve=nerve: [q for k, q in body.view(v).nerves.items() if k.startswith(nerve)],
              mode="lines", line={"color": NERVE, "width": 3.2 if nerve == "sciatic" else 2.2}, hoverinfo="text",
              text=label, opacity=0.9)
    # ISNCSCI key sensory points (one marker trace for both views); none in patient mode
    kx, ky, ktext, kroots = [], [], [], []
    for vname, dx in () if patient else (("front", 0.0), ("back", BACK_DX)):
        for (rname, side), (x, y) in body.view(vname).points.items():
            kx.append(round(x + dx, 3))
            ky.append(round(y, 3))
            r = anatomy.root(rname)
            ktext.append(f"<b>{rname} key test spot</b> (patient's {side})<br>{escape(r.key_sensory_description)}")
            kroots.append((rname, side))
    keypoints = len(traces) if kx else -1
    traces += [] if not kx else [
        go.Scatter(
            x=kx,
            y=ky,
            mode="markers",
            hoverinfo="text",
            hovertext=ktext,
            marker={
                "symbol": "diamond",
                "size": 9,
                "color": ["#ffffff"] * len(kx),
                "line": {"color": "#333333", "width": 1.2},
            },
            name="key test spots",
            showlegend=False,
        ).to_plotly_json()
    ]
    inset_start = len(traces)
    traces += [t.to_plotly_json() for t in _inset_traces("x2", "y2")]
    traces += [t.to_plotly_json() for t in (_patient_key_traces if patient else _key_traces)("x3", "y3")]
    layout = _layout(width, height)
    if patient:
        _patient_layout(layout)
    # Captions, warnings and key-spot highlights live in the layout and change colour only: a relayout
    # of an annotation's or shape's colour redraws that item alone (plotly.js editType "arraydraw"),
    # while new trace text or marker-colour arrays recalculate every trace.
    captions = len(layout["annotations"])
    layout["annotations"] += _caption_annotations(locale)
    layout["shapes"] = [_spot_shape(x, y) for x, y in zip(kx, ky, strict=True)]
    # static shapes after the key-spot diamonds (``_state`` colours those by index): a static shape costs
    # plotly.js a fraction of what a trace costs on every restyle
    layout["shapes"] += _key_shapes("x3", "y3")
    scene = _Scene(traces, layout, region_index, inset_start, keypoints, kroots, captions, locale, mode)
    if patient:
        _add_patient_items(scene)
        layout["meta"]["narrow"] = _narrow_spec(scene)
    return scene


def _caption_annotations(locale: str) -> list[dict]:
    """Every inset caption and warning line the figure can show, all transparent (``_state`` shows one)."""
    out = [
        {  # below the spine panel, not in it: inside, long captions ran into its patient's LEFT and RIGHT
            "x": 0.0,
            "y": CAPTION_Y,
            "xref": "x2",
            "yref": "paper",
            "text": text,
            "showarrow": False,
            "xanchor": "center",
            "yanchor": "top",
            "font": {"size": 13, "color": CLEAR},
        }
        for text in _labels()
    ]
    out += [
        {
            "x": -0.1,
            "y": -1.02,
            "xref": "x3",
            "yref": "y3",
            "text": text,
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "font": {"size": 13, "color": CLEAR},
        }
        for text in _warnings(locale)
    ]
    return out


def _spot_shape(x: float, y: float) -> dict:
    """A black diamond laid over one key-test-spot marker (same size, in pixels), transparent until its root is hit."""
    r = 6.2
    return {
        "type": "path",
        "xref": "x",
        "yref": "y",
        "xsizemode": "pixel",
        "ysizemode": "pixel",
        "xanchor": x,
        "yanchor": y,
        "path": f"M{r},0L0,{r}L-{r},0L0,-{r}Z",
        "fillcolor": CLEAR,
        "line": {"width": 0},
        "layer": "above",
    }


def _region_order(rid: str) -> int:
    return [r.id for r in anatomy.regions()].index(rid)


def _key_swatch(xaxis: str, yaxis: str, row: int, kind: str, pattern: dict) -> go.Scatter:
    """One row's swatch of the key: a square in the key's middle colour with the kind's fill pattern."""
    y0 = 2.2 - row * 0.55
    x, y = _xy([[(0, y0), (0.7, y0), (0.7, y0 + 0.42), (0, y0 + 0.42), (0, y0)]])
    return _fill(xaxis, yaxis, x=x, y=y, fillcolor=PALETTE[2], line={"color": BORDER, "width": 0.8},
                 fillpattern=pattern, hoverinfo="skip", name=f"key {kind}")


def _key_labels(xaxis: str, yaxis: str, xs: list, ys: list, labels: list, positions: list) -> go.Scatter:
    """The key's words as one text trace (both modes' keys)."""
    return _trace(xaxis, yaxis, x=xs, y=ys, text=labels, mode="text", textposition=positions,
                  textfont={"size": 13, "color": "#222"}, hoverinfo="skip", name="key labels")


def _key_traces(xaxis: str, yaxis: str) -> list[go.Scatter]:
    """The key: one swatch per kind with its pattern, and the labels (the colour steps: ``_key_shapes``)."""
    traces = []
    n = len(PALETTE)
    kinds_rows = [k for k in KIND_PRIORITY]
    for j, k in enumerate(kinds_rows):
        traces.append(_key_swatch(xaxis, yaxis, j, k, _pattern(KIND_PATTERNS[k])))
    labels_x = [0, n * 0.5] + [0.85] * len(kinds_rows)
    labels_y = [3.7, 3.7] + [2.2 - j * 0.55 + 0.21 for j in range(len(kinds_rows))]
    labels = ["milder", "stronger"] + [KIND_WORDS[k] + (" (plain fill)" if k == "pain" else "") for k in kinds_rows]
    positions = ["middle right", "middle left"] + ["middle right"] * len(kinds_rows)
    traces.append(_key_labels(xaxis, yaxis, labels_x, labels_y, labels, positions))
    traces.append(
        _trace(
            xaxis,
            yaxis,
            x=[0.35],
            y=[-0.75],
            mode="markers+text",
            text=["key test spot (ISNCSCI)"],
            textposition="middle right",
            textfont={"size": 13, "color": "#222"},
            marker={"symbol": "diamond", "size": 9, "color": "#ffffff", "line": {"color": "#333", "width": 1.2}},
            hoverinfo="skip",
            name="key spot",
        )
    )
    return traces


def _key_shapes(xref: str, yref: str) -> list[dict]:
    """The key's colour steps, milder to stronger: plain rectangles (static layout shapes cost plotly.js far
    less on every restyle than traces do)."""
    return [
        {
            "type": "rect",
            "xref": xref,
            "yref": yref,
            "x0": i * 0.5,
            "x1": i * 0.5 + 0.5,
            "y0": 3.0,
            "y1": 3.45,
            "fillcolor": c,
            "line": {"color": BORDER, "width": 0.8},
            "layer": "below",
        }
        for i, c in enumerate(PALETTE)
    ]


def _layout(width: int, height: int) -> dict:
    ann = []

    def note(x, y, text, size=14, xref="x", yref="y", **kw):
        ann.append(
            {
                "x": x,
                "y": y,
                "xref": xref,
                "yref": yref,
                "text": text,
                "showarrow": False,
                "font": {"size": size, "color": kw.pop("color", "#222")},
                **kw,
            }
        )

    note(0.0, 8.55, "<b>FRONT</b>: facing you", 16)
    note(BACK_DX, 8.55, "<b>BACK</b>: seen from behind", 16)
    for dx, vname in ((0.0, "front"), (BACK_DX, "back")):
        for side in anatomy.SIDES:
            x = dx + 1.02 * body.screen_sign(vname, side)
            note(x, 1.3, f"patient's<br><b>{side.upper()}</b>", 14)
    note(0.0, 0.005, CAVEAT, 13, xref="paper", yref="paper", xanchor="left", yanchor="bottom", color="#333")
    note(
        0.0,
        1.0,
        "<b>The lower spine</b>, seen from behind",
        15,
        xref="x2 domain",
        yref="y2 domain",
        xanchor="left",
        yanchor="bottom",
    )
    note(0.0, 1.0, "<b>Key</b>", 15, xref="x3 domain", yref="y3 domain", xanchor="left", yanchor="bottom")
    note(
        0.02, 0.0, "patient's<br><b>LEFT</b>", 12, xref="x2 domain", yref="y2 domain", xanchor="left", yanchor="bottom"
    )
    note(
        0.98,
        0.0,
        "patient's<br><b>RIGHT</b>",
        12,
        xref="x2 domain",
        yref="y2 domain",
        xanchor="right",
        yanchor="bottom",
    )
    # pointers that name the parts a patient asks about
    nerve = body.view("back").nerves["sciatic_right"]
    nx, ny = min(nerve, key=lambda p: abs(p[1] - 3.3))
    disc_y = _disc_y("L2-L3")
    root_end = _root_paths()["L1"][-1]
    for x, y, xref, yref, text, ax, ay in (
        (nx + BACK_DX, ny, "x", "y", "sciatic<br>nerve", 62, -6),
        (_VW - 0.05, disc_y, "x2", "y2", "disc", 72, 0),
        (root_end[0], root_end[1], "x2", "y2", "nerve root", 4, -22),
    ):
        ann.append(
            {
                "x": x,
                "y": y,
                "xref": xref,
                "yref": yref,
                "text": text,
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": "#555",
                "ax": ax,
                "ay": ay,
                "font": {"size": 12, "color": "#333"},
                "xanchor": "left",
            }
        )
    hidden = {"visible": False, "fixedrange": True}
    return {
        "width": width,
        "height": height,
        "autosize": False,
        "template": {
            "layout": {
                "font": {"family": "Arial, Helvetica, sans-serif", "size": 14, "color": "#222"},
                "paper_bgcolor": "#ffffff",
                "plot_bgcolor": "#ffffff",
            }
        },
        "margin": {"l": 10, "r": 10, "t": 40, "b": 30},
        "showlegend": False,
        "hovermode": "closest",
        "dragmode": False,
        "hoverlabel": {"font": {"size": 15}, "bgcolor": "#ffffff", "bordercolor": "#444"},
        "xaxis": {**hidden, "domain": [0.0, 0.64], "range": [-1.45, BACK_DX + 1.45]},
        "yaxis": {**hidden, "domain": [0.04, 1.0], "range": [-1.15, 8.7], "scaleanchor": "x", "scaleratio": 1},
        "xaxis2": {**hidden, "domain": [0.66, 1.0], "range": [-2.6, 2.6]},
        "yaxis2": {**hidden, "domain": [0.47, 0.95], "range": [-7.2, 0.9], "scaleanchor": "x2", "scaleratio": 1},
        "xaxis3": {**hidden, "domain": [0.68, 1.0], "range": [-0.2, 6.0]},
        "yaxis3": {**hidden, "domain": [0.06, 0.355], "range": [-1.2, 4.0]},
        "annotations": ann,
        "meta": {"sciatica_edu": "body diagram"},
    }


# ---------------------------------------------------------------------------------------------
# Patient mode: what a patient needs from the picture (PEMAT-P review, issue 14). No key test spots,
# a title saying what the picture shows and a line on how to read it, weakness as the movement that
# may be weak (words and an arrow at the body part where it is noticed, not a skin patch), "left leg" /
# "right leg" under each foot in both views, and three patterns that survive black-and-white print.
# Everything that changes with the scenario is a layout item switched by colour (see ``_state``).

#: The figure's two looks: "patient" (default) and "student" (key test spots, five patterns, ISNCSCI key).
MODES = ("patient", "student")
#: Patient mode: the back view sits further right, so each leg's movement labels have room beside it.
PATIENT_BACK_DX = 5.5
#: Patient mode: the back view's own axes (the front view keeps x and y), so the views can be stacked.
BACK_AXES = ("x4", "y4")
#: Patient mode: fill patterns that stay apart in greyscale. Cramp is drawn like pain (its kind is in
#: the hover and the words); weakness is a movement label, never a skin pattern.
PATIENT_PATTERNS = {"numbness": "/", "tingling": ".", "weakness": "", "cramp": "", "pain": ""}
#: Patient mode: the words that go with each pattern in the key, in the key's order.
PATIENT_KEY = (
    ("pain", "pain or cramp (plain colour)"),
    ("tingling", "tingling, pins and needles (dots)"),
    ("numbness", "numbness, less feeling (lines)"),
)
INK = "#111111"  # titles, movement labels and their arrows when shown
#: How to read the picture, under its title: one per kind of picture.
PATIENT_CAPTIONS = {
    "compression": (
        "Colours show how strong; patterns show the kind. Arrows point to movements that may be weak.<br>"
        "Compare it with where you feel it and tell your clinician. A typical pattern, not a diagnosis."
    ),
    "root": (
        "Blue: the skin this root usually supplies; pale blue: some maps add this.<br>"
        "Areas differ between people. A typical pattern, not a diagnosis."
    ),
    "selection": "Blue: the areas picked.<br>Compare them with where the examples are often felt.",
    "nothing": "Nothing is marked yet.<br>Choose an example to see where it is often felt.",
}
NOTHING_TITLE = "The body picture"
SELECTION_TITLE = "The areas picked"
_MOVE_SLOTS = {  # label heights (head heights) per movement: fixed, so labels never overlap each other
    "big_toe_extension": -0.6,
    "ankle_inversion": 0.35,
    "ankle_dorsiflexion": 1.3,
    "ankle_eversion": 2.25,
    "knee_extension": 3.2,
    "hip_flexion": 4.15,
    "ankle_plantarflexion": 0.6,
    "knee_flexion": 2.3,
    "hip_abduction": 4.45,
}


def _check_mode(mode: object) -> str:
    return choose(mode, MODES, "mode")


def _patient_pattern(shape: str, color: str = PALETTE[2]) -> dict:
    """A fill pattern drawn over the colour (overlay): colour says how strong, the marks say the kind. The
    marks are black on the three lighter colours and white on the darker three, so they stand out in
    greyscale print too. A whole object, like :func:`_pattern`."""
    if not shape:
        return {"shape": "", "fillmode": "overlay", "size": 8}
    ink = "#000000" if color in PALETTE[:3] else "#ffffff"
    solidity = 0.45 if shape == "." else 0.3
    size = 7 if shape == "." else 8
    return {"shape": shape, "fillmode": "overlay", "fgcolor": ink, "fgopacity": 0.9,
            "solidity": solidity, "size": size}


def _skin_kinds(kinds: tuple[str, ...] | None) -> tuple[str, ...]:
    """The kinds painted on the skin in patient mode: weakness is shown as movements instead."""
    return tuple(k for k in (KINDS if kinds is None else kinds) if k != "weakness")


def _roots_words(roots: Iterable[str]) -> str:
    """``L5``; ``L5 and S1``; three or more in a row: ``L5 to S5``."""
    roots = list(roots)
    if len(roots) > 2:
        return f"{roots[0]} to {roots[-1]}"
    return _and(roots)


def _compression_title(c: Compression) -> str:
    legs = "both legs" if c.side == "both" else f"{c.side} leg"
    if len(c.roots) == 1:
        return f"Where a pressed {c.roots[0]} root is often felt: {legs}"
    return f"Where pressed {_roots_words(c.roots)} roots are often felt: {legs}"


def _root_title(name: str) -> str:
    return f"The usual skin area of the {name} root"


@cache
def _titles() -> tuple[str, ...]:
    """Every title the patient figure can show (one annotation each, transparent but the current one)."""
    out: list[str] = []
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for severity in (0.0, 1.0):
                for side in ("both",) if zone == "central" else SIDE_CHOICES:
                    t = _compression_title(Compression(disc, zone, side, severity))
                    if t not in out:
                        out.append(t)
    out += [_root_title(r.name) for r in anatomy.roots()]
    return (*out, SELECTION_TITLE, NOTHING_TITLE)


def patient_title(
    compression: Compression | None = None,
    *,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
) -> tuple[str, str]:
    """The patient figure's title and how-to-read caption (plain text with ``<br>``) for what it shows."""
    if compression is not None:
        return _compression_title(compression), PATIENT_CAPTIONS["compression"]
    if root is not None:
        return _root_title(anatomy.root(root).name), PATIENT_CAPTIONS["root"]
    if selection is not None:
        return SELECTION_TITLE, PATIENT_CAPTIONS["selection"]
    return NOTHING_TITLE, PATIENT_CAPTIONS["nothing"]


def _patient_layout(layout: dict) -> None:
    """Turn the shared layout into the patient one: the back view moved right, the "patient's LEFT/RIGHT"
    notes beside the legs dropped (``_leg_labels`` put "left leg"/"right leg" under each foot instead), the
    disclaimer moved into the caption under the title, room at the top for the title."""
    shift = PATIENT_BACK_DX - BACK_DX
    keep = []
    for a in layout["annotations"]:
        if a.get("text") == CAVEAT:
            continue
        if a.get("xref") == "x2 domain" and str(a.get("text", "")).startswith("patient's"):
            # the spine's side notes go to its top corners: the caption under the sacrum can be long
            a = {**a, "y": 1.0, "yanchor": "top"}
        if a.get("xref") == "x":
            if str(a.get("text", "")).startswith("patient's"):
                continue
            if a["x"] > BACK_DX - 1.6:  # the back view's heading and pointers: on the back view's axes
                a = {**a, "x": round(a["x"] + shift, 3), "xref": BACK_AXES[0], "yref": BACK_AXES[1]}
        keep.append(a)
    layout["annotations"] = keep
    # the front view on x/y, the back view on x4/y4, side by side: together the old single axis's range and
    # domain, split at the middle between the views (the same scale, so the picture is as before)
    x0, x1, mid = -2.4, PATIENT_BACK_DX + 2.4, PATIENT_BACK_DX / 2
    d0, d1 = layout["xaxis"]["domain"]
    split = round(d0 + (d1 - d0) * (mid - x0) / (x1 - x0), 4)
    layout["xaxis"].update(range=[x0, mid], domain=[d0, split])
    layout["xaxis4"] = {**layout["xaxis"], "range": [mid, x1], "domain": [split, d1]}
    layout["xaxis3"]["domain"] = [0.7, 1.0]  # room for the key's longer words
    layout["yaxis"]["range"] = [-1.7, 8.7]
    layout["yaxis4"] = {**layout["yaxis"], "scaleanchor": BACK_AXES[0]}
    layout["margin"] = {**layout["margin"], "t": 96, "b": 10}
    layout["meta"] = {**layout["meta"], "mode": "patient"}


def _region_anchor(view: str, region_id: str, side: str, dx: float) -> tuple[float, float]:
    """A point inside a region (the middle of its largest outline's bounding box), shifted ``dx``."""
    paths = body.view(view).regions[(region_id, side)]
    path = max(paths, key=len)
    xs = [x for x, _ in path]
    ys = [y for _, y in path]
    return round((min(xs) + max(xs)) / 2 + dx, 3), round((min(ys) + max(ys)) / 2, 3)


def _move_keys() -> list[tuple[str, str]]:
    """(movement id, side) for every movement label the patient figure can show."""
    return [(m.id, side) for m in anatomy.movements() for side in anatomy.SIDES]


def _move_view(movement_id: str) -> str:
    """The view that shows where a movement's weakness is noticed (the front one when both do)."""
    where = anatomy.movement(movement_id).noticed_at
    return "front" if (where, "left") in body.view("front").regions else "back"


def _wrap2(text: str) -> str:
    """Break a label into two lines of about equal length (at a space)."""
    words = text.split()
    if len(words) < 2:
        return text
    best = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "<br>" + " ".join(words[best:])


def _move_label(movement_id: str) -> str:
    return "may be weak:<br><b>" + _wrap2(anatomy.movement(movement_id).label).replace("<br>", "</b><br><b>") + "</b>"


def _arrow_path(x0: float, y0: float, x1: float, y1: float, width: float = 0.03, head: float = 0.14) -> str:
    """A filled arrow from (x0, y0) to (x1, y1) as an SVG path in data units (a filled shape: its colour is a
    style-only edit, like every other item that changes with the scenario)."""
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    px, py = -uy, ux
    bx, by = x1 - ux * head, y1 - uy * head
    w, hw = width / 2, head * 0.45
    pts = [
        (x0 + px * w, y0 + py * w),
        (bx + px * w, by + py * w),
        (bx + px * hw, by + py * hw),
        (x1, y1),
        (bx - px * hw, by - py * hw),
        (bx - px * w, by - py * w),
        (x0 - px * w, y0 - py * w),
    ]
    return "M" + "L".join(f"{x:.3f},{y:.3f}" for x, y in pts) + "Z"


def _move_items(movement_id: str, side: str) -> tuple[dict, dict]:
    """The label annotation and the arrow shape of one movement on one side, both transparent."""
    view = _move_view(movement_id)
    dx = 0.0 if view == "front" else PATIENT_BACK_DX
    sign = body.screen_sign(view, side)
    y = _MOVE_SLOTS[movement_id]
    gap = 0.72 if y < 2.0 else 0.98 if y < 3.4 else 1.22  # just outside the leg (and the hand, higher up)
    lx = round(dx + sign * gap, 3)
    tx, ty = _region_anchor(view, anatomy.movement(movement_id).noticed_at, side, dx)
    xref, yref = ("x", "y") if view == "front" else BACK_AXES
    label = {
        "x": lx,
        "y": y,
        "xref": xref,
        "yref": yref,
        "text": _move_label(movement_id),
        "showarrow": False,
        "xanchor": "left" if sign > 0 else "right",
        "yanchor": "middle",
        "align": "left" if sign > 0 else "right",
        "font": {"size": 12, "color": CLEAR},
    }
    arrow = {
        "type": "path",
        "xref": xref,
        "yref": yref,
        "path": _arrow_path(lx - sign * 0.04, y, tx, ty),
        "fillcolor": CLEAR,
        "line": {"width": 0},
        "layer": "above",
    }
    return label, arrow


def _leg_labels() -> list[dict]:
    """ "left leg" / "right leg" under each foot in both views: the back view is not a mirror to misread."""
    out = []
    for view, dx in (("front", 0.0), ("back", PATIENT_BACK_DX)):
        for side in anatomy.SIDES:
            out.append(
                {
                    "x": round(dx + body.screen_sign(view, side) * 0.42, 3),
                    "y": -0.9,
                    "xref": "x" if view == "front" else BACK_AXES[0],
                    "yref": "y" if view == "front" else BACK_AXES[1],
                    "text": f"<b>{side}</b><br>leg",
                    "showarrow": False,
                    "xanchor": "center",
                    "yanchor": "top",
                    "font": {"size": 14, "color": "#222"},
                }
            )
    return out


def _title_annotations() -> list[dict]:
    """Every title, then every caption, all transparent (``_patient_state`` shows one of each)."""
    common = {"x": 0.0, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom",
              "showarrow": False, "align": "left"}
    out = [{**common, "text": f"<b>{escape(t)}</b>", "yshift": 46, "font": {"size": 19, "color": CLEAR}}
           for t in _titles()]
    out += [{**common, "text": c, "yshift": 6, "font": {"size": 14, "color": CLEAR}} for c in PATIENT_CAPTIONS.values()]
    return out


def _add_patient_items(scene: _Scene) -> None:
    """Append the patient mode's titles, captions, movement labels and arrows and leg labels to a scene."""
    ann = scene.layout["annotations"]
    shapes = scene.layout["shapes"]
    scene.titles = len(ann)
    ann += _title_annotations()
    scene.move_keys = _move_keys()
    scene.moves = len(ann)
    scene.move_shapes = len(shapes)
    for mid, side in scene.move_keys:
        label, arrow = _move_items(mid, side)
        ann.append(label)
        shapes.append(arrow)
    ann += _leg_labels()
    # the key's arrow sample (a static shape, in the key's own axes)
    shapes.append(
        {"type": "path", "xref": "x3", "yref": "y3", "path": _arrow_path(0.0, 0.55, 0.7, 0.55, 0.05, 0.22),
         "fillcolor": INK, "line": {"width": 0}}
    )


#: Patient mode on a narrow screen (``_narrow_spec``): below this container width (CSS px) the views stack.
NARROW_BELOW = 700
#: ... and the narrowest figure it lays out; a narrower container scales that down whole (as ``fit_html`` does).
NARROW_MIN = 300
NARROW_MARGIN = {"l": 6, "r": 6, "b": 8}
#: ... and the widest a stacked view gets (wider containers centre it): a view's height stays about a screen's.
NARROW_VIEW_MAX = 440
_NARROW_TITLE_CHARS = 28  # a title line at 19 px bold in NARROW_MIN px
_NARROW_CAPTION_CHARS = 44  # a caption line at 14 px
_LINE_PX = {19: 25, 14: 18}  # line heights plotly.js gives these font sizes (about 1.3 em)


def _wrap_html(text: str, chars: int, bold: bool = False) -> str:
    """Plain annotation text (``<br>`` breaks, optionally all bold) rewrapped to ``chars`` a line."""
    import textwrap

    words = re.sub(r"</?b>", "", text).replace("<br>", " ")
    lines = textwrap.wrap(words, chars) or [""]
    return "</b><br><b>".join(lines).join(("<b>", "</b>")) if bold else "<br>".join(lines)


def _narrow_spec(scene: _Scene) -> dict:
    """How the patient figure lays itself out in a narrow container (a phone), read by the page's script
    (``narrowLayout`` in ``static/figure-widget.js``, also inlined by :func:`fit_html`): the front view above
    the back one, each the full width, then the spine and the key; titles and captions wrapped to the width.

    ``bands`` run top to bottom: the y axes that share a band, the gap above it, its height as ``[px, per px
    of view width]`` (the body views keep their aspect; the spine and key a fixed size) and the annotation
    paths placed just below it (in paper units, as the wide figure places the spine's captions). ``edits``
    are relayout values that do not depend on the width. Nothing else moves: every other item is placed in
    its own axes, which move with their domains."""
    lay = scene.layout
    titles = _titles()
    title_ann = range(scene.titles, scene.titles + len(titles))
    caption_ann = range(scene.titles + len(titles), scene.titles + len(titles) + len(PATIENT_CAPTIONS))
    edits: dict[str, object] = {}
    title_lines = caption_lines = 1
    for i in title_ann:
        text = _wrap_html(lay["annotations"][i]["text"], _NARROW_TITLE_CHARS, bold=True)
        title_lines = max(title_lines, text.count("<br>") + 1)
        edits[f"annotations[{i}].text"] = text
    for i in caption_ann:
        text = _wrap_html(lay["annotations"][i]["text"], _NARROW_CAPTION_CHARS)
        caption_lines = max(caption_lines, text.count("<br>") + 1)
        edits[f"annotations[{i}].text"] = text
    title_shift = 6 + caption_lines * _LINE_PX[14] + 8
    # every word at the size this layout was made for: a figure whose text was enlarged afterwards (the session
    # view's, read across a desk) would not fit a phone's width; a wide screen gets the enlarged sizes back
    for i, a in enumerate(lay["annotations"]):
        if (a.get("font") or {}).get("size"):
            edits[f"annotations[{i}].font.size"] = a["font"]["size"]
    for i in title_ann:
        edits[f"annotations[{i}].yshift"] = title_shift
    # each view centred on its body, as wide as its half of the wide figure
    half = (lay["xaxis"]["range"][1] - lay["xaxis"]["range"][0]) / 2
    edits["xaxis.range"] = [-half, half]
    edits["xaxis4.range"] = [PATIENT_BACK_DX - half, PATIENT_BACK_DX + half]
    y0, y1 = lay["yaxis"]["range"]
    view = round((y1 - y0) / (2 * half), 4)  # a body view's height per pixel of width
    captions = [f"annotations[{scene.captions + k}].y" for k in range(len(_labels()))]
    return {
        "below": NARROW_BELOW,
        "min": NARROW_MIN,
        "margin": {**NARROW_MARGIN, "t": title_shift + title_lines * _LINE_PX[19] + 8},
        "view_max": NARROW_VIEW_MAX,
        "centre": ["xaxis", "xaxis4", "xaxis2", "xaxis3"],  # centred, at most NARROW_VIEW_MAX px wide
        "bands": [
            [["yaxis"], 24, [0, view], []],  # the gap: room for a two-line view heading (the session view's)
            [["yaxis4"], 36, [0, view], []],
            [["yaxis2"], 48, [300, 0], captions],  # the gap: the spine's heading
            [["yaxis3"], 96, [200, 0], []],  # the gap: the spine's captions (three lines), the key's heading
            [[], 78, [0, 0], []],  # room for the warning line under the key
        ],
        "edits": edits,
    }


def _patient_state(
    scene: _Scene,
    compression: Compression | None,
    kinds: tuple[str, ...] | None,
    root: str | None,
    selection: Iterable[tuple[str, str]] | None,
) -> dict[str, object]:
    """Relayout colours for the patient items: the current title and caption, the weak movements' labels."""
    title, caption = patient_title(compression, root=root, selection=selection)
    out: dict[str, object] = {}
    titles = _titles()
    for k, text in enumerate(titles):
        out[f"annotations[{scene.titles + k}].font.color"] = INK if text == title else CLEAR
    for k, text in enumerate(PATIENT_CAPTIONS.values()):
        out[f"annotations[{scene.titles + len(titles) + k}].font.color"] = "#333333" if text == caption else CLEAR
    weak: set[str] = set()
    sides: tuple[str, ...] = ()
    if compression is not None and (kinds is None or "weakness" in kinds):
        weak, sides = set(compression.weak_movements()), compression.sides
    for k, (mid, side) in enumerate(scene.move_keys):
        on = mid in weak and side in sides
        out[f"annotations[{scene.moves + k}].font.color"] = INK if on else CLEAR
        out[f"shapes[{scene.move_shapes + k}].fillcolor"] = INK if on else CLEAR
    return out


def _patient_key_traces(xaxis: str, yaxis: str) -> list[go.Scatter]:
    """The patient key: three pattern swatches (black marks over a colour), the colour steps' words and the
    weakness arrow's words (the colour steps and the arrow are layout shapes)."""
    traces = []
    for j, (k, _words) in enumerate(PATIENT_KEY):
        traces.append(_key_swatch(xaxis, yaxis, j, k, _patient_pattern(PATIENT_PATTERNS[k])))
    rows = len(PATIENT_KEY)
    labels_x = [0, len(PALETTE) * 0.5] + [0.85] * (rows + 1)
    labels_y = [3.7, 3.7] + [2.2 - j * 0.55 + 0.21 for j in range(rows)] + [0.55]
    labels = ["milder", "stronger"] + [w for _, w in PATIENT_KEY] + ["a movement that may be weak"]
    positions = ["middle right", "middle left"] + ["middle right"] * (rows + 1)
    traces.append(_key_labels(xaxis, yaxis, labels_x, labels_y, labels, positions))
    return traces


# ---------------------------------------------------------------------------------------------
# States: what every dynamic trace property should be for a scenario


@dataclass(frozen=True)
class _State:
    """Dynamic trace properties by trace index, e.g. {12: {"fillcolor": "#fd8d3c", ...}}."""

    props: dict[int, dict[str, object]]
    painted: dict[tuple[str, str], Paint]
    layout: dict[str, object] = field(default_factory=dict)  # relayout paths, e.g. "shapes[3].fillcolor"


def _validate_kinds(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if kinds is None else choose_many(kinds, KINDS, "symptom kind")


def _state(
    compression: Compression | None = None,
    *,
    kinds: Iterable[str] | None = None,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
    scene: _Scene | None = None,
) -> _State:
    scene = scene or _scene()
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
    if label and label not in _labels():  # pragma: no cover - _labels() enumerates every caption
        raise ValueError(f"no inset caption drawn for {label!r}")
    warning = _warning(compression, scene.locale)
    for k, text in enumerate((*_labels(), *_warnings(scene.locale))):
        on = text in (label, warning)
        colour = (LABEL if k < len(_labels()) else WARNING) if on else CLEAR
        layout[f"annotations[{scene.captions + k}].font.color"] = colour
    if patient:
        layout.update(_patient_state(scene, compression, kinds, root, selection))
    return _State(props, painted, layout)


def _warning(compression: Compression | None, locale: str) -> str:
    """A short red line on the figure when the example has red flags: the first sign and the locale's
    whole action for the most urgent level (the full advice is in the words below the figure)."""
    flags = compression.red_flags() if compression is not None else ()
    if not flags:
        return ""
    return _warning_line(flags[0], redflags.urgency(flags, locale), locale)


def _warning_line(flag_id: str, level: str, locale: str) -> str:
    """The warning line drawn under the key: the sign and the locale's whole short action, wrapped to fit the
    key's column (about 40 characters a line at 13 px)."""
    import textwrap

    # without its explanations in brackets: the page around the figure spells out A&E and the like
    todo = re.sub(r" \([^)]*\)", "", locales.get(locale).short_action(level))
    sign = f"⚠ Warning sign: {redflags.red_flag(flag_id).label.lower()}."
    sign_lines = [escape(x) for x in textwrap.wrap(sign, 40)]
    sign_lines[0] = sign_lines[0].replace("⚠ Warning sign:", "<b>⚠ Warning sign:</b>", 1)
    todo_lines = [f"<b>{escape(x)}</b>" for x in textwrap.wrap(todo, 40)]
    return "<br>".join(sign_lines + todo_lines)


@cache
def _warnings(locale: str) -> tuple[str, ...]:
    """Every warning line the figure can show in ``locale`` (first flag x urgency), transparent but the current one."""
    return tuple(_warning_line(f, level, locale) for f in MODEL_FLAGS for level in ("emergency", "urgent", "soon"))


def _nothing(root: str | None, selection) -> str:
    if root is not None:
        return "not in this root's usual area"
    if selection is not None:
        return "not picked"
    return "nothing in this example"


def _check_pair(pair: object) -> tuple[str, str]:
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"a selection is a list of (region, side) pairs, not {shown(pair)}")
    reg, side = pair
    return choose(reg, [r.id for r in anatomy.regions()], "region"), choose(side, anatomy.SIDES, "side")


def _apply(traces: list[dict], props: dict[int, dict[str, object]]) -> None:
    """Write dotted property paths into plain trace dicts."""
    for i, values in props.items():
        t = traces[i]
        for key, value in values.items():
            parts = key.split(".")
            d = t
            for p in parts[:-1]:
                d = d.setdefault(p, {})
            d[parts[-1]] = value


def _figure_dict(state: _State, scene: _Scene) -> tuple[list[dict], dict]:
    import copy

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
        if m is None:  # pragma: no cover - _state writes only item paths
            raise ValueError(f"not a layout item path: {path!r}")
        d = layout[m.group(1)][int(m.group(2))]
        parts = m.group(3).split(".")
        for part in parts[:-1]:
            d = d.setdefault(part, {})
        d[parts[-1]] = value


# ---------------------------------------------------------------------------------------------
# Public figures


def _size(width: int, height: int) -> tuple[int, int]:
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int) or not 300 <= v <= 4000:
            raise ValueError(f"{name} must be a whole number of pixels from 300 to 4000, not {shown(v)}")
    return width, height


def body_figure(
    compression: Compression | None = None,
    *,
    kinds: Iterable[str] | None = None,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
    width: int = WIDTH,
    height: int | None = None,
    locale: str | None = None,
    mode: str = "patient",
) -> go.Figure:
    """Front and back body with the compression's symptoms painted, and the lumbar-spine inset.

    ``kinds`` limits the symptom kinds shown (default all); ``root="L5"`` paints one root's
    usual skin area instead (no compression); ``selection=[("big_toe", "left"), ...]`` paints
    picked areas; ``locale`` chooses whose emergency numbers a warning line gives.
    ``mode="patient"`` (default): a title and how to read it, weak movements as labelled arrows, "left leg" /
    "right leg" under each foot, three print-safe patterns; ``mode="student"`` adds the ISNCSCI key test spots
    and draws every kind, weakness too, as a skin pattern. ``height`` defaults to :func:`default_height`.
    A plain ``go.Figure`` with a fixed size and no mode bar.
    """
    mode = _check_mode(mode)
    scene = _scene(*_size(width, default_height(mode) if height is None else height), locale, mode)
    state = _state(compression, kinds=kinds, root=root, selection=selection, scene=scene)
    traces, layout = _figure_dict(state, scene)
    fig = go.Figure(data=traces, layout=layout, skip_invalid=False)
    return fig


def default_height(mode: str = "patient") -> int:
    """The figure's height in pixels when none is given: the patient figure is taller by its title."""
    return PATIENT_HEIGHT if _check_mode(mode) == "patient" else HEIGHT


#: Plotly config that hides the mode bar: pass to ``fig.show(config=CONFIG)`` / ``write_html``.
CONFIG = {"displayModeBar": False, "responsive": False, "displaylogo": False}


def show_config() -> dict:
    """The config that hides the mode bar (plotly keeps it outside the figure)."""
    return dict(CONFIG)


def spine_figure(
    compression: Compression | None = None, *, cause: str | None = None, width: int = 560, height: int = 720
) -> go.Figure:
    """The lumbar spine seen from behind, larger: the disc and zone of ``compression`` or of a cause
    from ``data/causes.yaml`` (its ``inset`` disc and zone, drawn on the patient's left; piriformis
    has no inset, so the figure says it is not in the spine). The same drawing as the body figure's inset."""
    _size(width, height)
    if compression is not None and cause is not None:
        raise ValueError("give a compression or a cause, not both")
    title = "The lower spine, seen from behind"
    note = ""
    if cause is not None:
        entry = causes.cause(cause)
        title = entry.label
        if entry.inset is not None:
            compression = Compression(entry.inset.disc, entry.inset.zone, None, 0.6, cause=entry.id)
        else:
            note = (
                "Not in the spine: this idea is about a buttock muscle (the piriformis)<br>"
                "pressing on the sciatic nerve after it has left the spine. Experts disagree on it."
            )
    hit: dict[str, tuple[str, ...]] = {}
    disc = zone = None
    sides: tuple[str, ...] = ()
    label = ""
    if compression is not None:
        if not isinstance(compression, Compression):
            raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
        disc, zone, sides = compression.disc, compression.zone, compression.sides
        for name in compression.roots:
            hit[name] = sides
        label = _compression_label(compression)
    traces = [t.to_plotly_json() for t in _inset_traces("x", "y", label)]
    idx = _inset_index()
    _apply(traces, {idx[k]: v for k, v in _inset_state(disc, zone, sides, hit).items()})
    ann = [
        {
            "x": 0.02,
            "y": 0.0,
            "xref": "paper",
            "yref": "paper",
            "text": "patient's <b>LEFT</b>",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"size": 15},
        },
        {
            "x": 0.98,
            "y": 0.0,
            "xref": "paper",
            "yref": "paper",
            "text": "patient's <b>RIGHT</b>",
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "bottom",
            "font": {"size": 15},
        },
    ]
    if note:
        ann.append(
            {
                "x": 0.5,
                "y": 1.0,
                "yanchor": "top",
                "xref": "paper",
                "yref": "paper",
                "text": note,
                "showarrow": False,
                "font": {"size": 14},
                "bgcolor": "rgba(255,255,255,0.92)",
                "bordercolor": "#444",
            }
        )
    layout = {
        "width": width,
        "height": height,
        "autosize": False,
        "showlegend": False,
        "dragmode": False,
        "template": {
            "layout": {
                "font": {"family": "Arial, Helvetica, sans-serif", "size": 14, "color": "#222"},
                "paper_bgcolor": "#ffffff",
                "plot_bgcolor": "#ffffff",
            }
        },
        "title": {"text": f"<b>{escape(title)}</b>", "x": 0.5},
        "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
        "xaxis": {"visible": False, "fixedrange": True, "range": [-2.6, 2.6]},
        "yaxis": {"visible": False, "fixedrange": True, "range": [-7.2, 1.9 if note else 0.9], "scaleanchor": "x"},
        "annotations": ann,
    }
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------------------------------------
# Words


#: Where a bulge points, in a patient's words (the zone labels of data/discs.yaml, without the term).
_ZONE_WORDS = {
    "central": "in the middle",
    "paracentral": "just off the middle",
    "foraminal": "in the side opening",
    "far_lateral": "outside the side opening",
}


def pressing_sentence(compression: Compression) -> str:
    """What presses where, in one or two plain sentences: the cause, the disc level, the side and the roots.

    A central bulge has no side: it presses on both sides. Shared by :func:`describe`, the session view
    and the handout, so every view says the same thing.
    """
    c = compression
    roots = _and(list(c.roots))
    noun = "roots" if len(c.roots) > 1 else "root"
    where = _ZONE_WORDS[c.zone]
    side = "" if c.zone == "central" else f", on the {c.side} side" if c.side != "both" else ", on both sides"
    if c.cause == "disc_herniation":
        first = f"The {c.disc} disc bulges {where}{side}."
    elif c.cause == "spinal_stenosis":
        first = f"The space for the nerves is narrowed at the {c.disc} level, {where}{side}."
    else:
        first = f"{causes.cause(c.cause).label} at the {c.disc} level, {where}{side}."
    both = " on both sides" if c.side == "both" else ""
    text = f"{first} It presses on the {roots} nerve {noun}{both}."
    if c.onset == "long_standing":
        text += " This has built up slowly over months."
    return text


def describe(
    compression: Compression | None, *, kinds: Iterable[str] | None = None, locale: str | None = None
) -> str:
    """The picture in plain words: which areas, which side, what kind, how strong, what to do, and the caveat.

    ``kinds`` is the picture's display filter: the words still tell every symptom of the example and
    say which kinds the picture shows. ``locale`` chooses whose emergency numbers the words give.
    """
    shown = None if kinds is None else choose_many(kinds, KINDS, "symptom kind")
    locale = locales.resolve(locale)
    if compression is None:
        return "Nothing is marked on the body yet. " + _caveat_words()
    if not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
    painted = region_paint(compression.symptoms())
    lines = [pressing_sentence(compression)]
    if not painted:
        lines.append("At this level there are no leg symptoms in this example.")
    elif shown is not None and set(shown) != set(KINDS):
        listed = _and([KIND_WORDS[k].split(" (")[0] for k in KINDS if k in shown]) or "no symptoms"
        lines.append(f"The picture shows only {listed}. All of the example's symptoms are listed here.")
    by_side: dict[str, list[tuple[str, Paint]]] = {}
    for (reg, side), p in painted.items():
        by_side.setdefault(side, []).append((reg, p))
    order = [r.id for r in anatomy.regions()]
    for side in anatomy.SIDES:
        items = sorted(by_side.get(side, []), key=lambda kv: order.index(kv[0]))
        if not items:
            continue
        lines.append(f"On the {side} side:")
        for reg, p in items:
            kinds_words = _and([f"{_strength(v)} {k}" for k, v in p.kinds])
            lines.append(f"- {anatomy.region(reg).label.capitalize()}: {kinds_words}.")
    lines += warning_sentences(compression, locale)
    lines.append(_caveat_words())
    return "\n".join(lines)


def warning_sentences(compression: Compression, locale: str | None = None) -> list[str]:
    """The example's red flags in words, with the locale's action for the most urgent level (empty when none).

    A "soon" flag also says when it becomes an emergency after all (its ``escalate_if``).
    """
    flags = compression.red_flags()
    if not flags:
        return []
    level = redflags.urgency(flags, locale)
    names = _and([redflags.red_flag(f).label.lower() for f in flags])
    if level == "soon":
        out = [f"Note: {names}. {redflags.action('soon', locale)}"]
        for f in flags:
            flag = redflags.red_flag(f)
            if flag.escalate_if:
                out.append(f"Warning: if {flag.escalate_if}, get help now. {redflags.action('emergency', locale)}")
        return out
    fast = "need help now" if level == "emergency" else "need help today"
    return [f"Warning: this example has signs that {fast}: {names}. {redflags.action(level, locale)}"]


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _caveat_words() -> str:
    return "This is a typical pattern. It cannot diagnose you. Nerve areas overlap and are not the same in everyone."


def describe_html(
    compression: Compression | None, *, kinds: Iterable[str] | None = None, locale: str | None = None
) -> str:
    """:func:`describe` as accessible HTML (a heading, paragraphs and a list per side)."""
    text = describe(compression, kinds=kinds, locale=locale)
    parts: list[str] = ['<div class="sciatica-description" role="region" aria-label="What the picture shows">']
    in_list = False
    for line in text.split("\n"):
        if line.startswith("- "):
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{escape(line[2:])}</li>")
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if line.startswith("Warning:"):
            parts.append(f'<p role="alert" style="color:#8a0018"><strong>{escape(line)}</strong></p>')
        elif line.endswith(" side:"):
            parts.append(f"<p><strong>{escape(line)}</strong></p>")
        else:
            parts.append(f"<p>{escape(line)}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# The static figure: plotly-native controls, no kernel


#: Scenarios of the static figure: (menu label, disc, zone, side). Severity is the slider.
_STATIC_ROOTS = (
    ("L4", "L3-L4", "paracentral"),
    ("L5", "L4-L5", "paracentral"),
    ("S1", "L5-S1", "paracentral"),
    ("L4", "L4-L5", "foraminal"),
)
STATIC_SCENARIOS = (
    *(
        (
            f"{root} root ({disc} disc{', side opening' if zone == 'foraminal' else ''}): patient's {side.upper()}",
            disc,
            zone,
            side,
        )
        for root, disc, zone in _STATIC_ROOTS
        for side in ("left", "right")
    ),
    ("L5 and S1 roots (L4-L5 disc, middle): BOTH sides", "L4-L5", "central", "both"),
)
STATIC_SEVERITIES = (("mild", 0.3), ("moderate", 0.6), ("severe", 0.9))


def static_compressions() -> list[Compression]:
    """Every scenario the static figure holds, scenario-major then severity (its state order)."""
    return [Compression(d, z, side, v) for _, d, z, side in STATIC_SCENARIOS for _, v in STATIC_SEVERITIES]


def restyle_args(
    compression: Compression | None,
    trace_indexes: list[int] | None = None,
    *,
    locale: str | None = None,
    mode: str = "patient",
) -> dict[str, list]:
    """Restyle data (property -> one value per trace) that paints ``compression`` on the body figure.

    ``trace_indexes`` defaults to every trace that changes between scenarios
    (:func:`dynamic_traces`): one value per trace, in that order (plotly's restyle form).
    """
    scene = _scene(locale=locale, mode=mode)
    state = _state(compression, scene=scene)
    indices = dynamic_traces(mode) if trace_indexes is None else list(trace_indexes)
    keys: list[str] = []
    for i in indices:
        for k in state.props[i]:
            if k not in keys:
                keys.append(k)
    out: dict[str, list] = {}
    for k in keys:
        vals = []
        for i in indices:
            # plotly's restyle resets a property given as null: a trace that does not change
            # this property gets its own drawn value instead, so nothing else moves.
            vals.append(state.props[i][k] if k in state.props[i] else _get(scene.traces[i], k))
        out[k] = vals
    return out


def _get(trace: dict, dotted: str) -> object:
    """A dotted property of a plain trace dict, or None when it is not set (plotly's default)."""
    d: object = trace
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def dynamic_traces(mode: str = "patient") -> list[int]:
    """Indexes of the body figure's traces whose style changes with the scenario (in ``mode``'s figure)."""
    return sorted(_state(None, scene=_scene(mode=mode)).props)


def static_figure(
    compression: Compression | None = None,
    *,
    width: int = WIDTH,
    height: int | None = None,
    locale: str | None = None,
    mode: str = "patient",
) -> go.Figure:
    """A plain figure with plotly-native controls (no kernel needed): a menu of scenarios (root, disc,
    side) and a severity slider, over precomputed states. Starts at ``compression`` (or the nearest
    scenario it holds; L4-L5 paracentral left, moderate, by default). ``mode`` as in :func:`body_figure`;
    ``height`` defaults to :func:`default_height` plus room for the menu and the slider."""
    if compression is not None and not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
    mode = _check_mode(mode)
    patient = mode == "patient"
    height = default_height(mode) + 70 if height is None else height
    scene = _scene(*_size(width, height), locale, mode)
    combos = static_compressions()
    n_sev = len(STATIC_SEVERITIES)
    start = _nearest(compression or Compression("L4-L5", "paracentral", "left", 0.6), combos)
    scen_i, sev_i = divmod(start, n_sev)
    dyn = dynamic_traces(mode)
    args = [restyle_args(c, dyn, locale=scene.locale, mode=mode) for c in combos]
    # captions, warnings and key-spot highlights: layout items switched by colour (see _scene)
    lay = [_state(c, scene=scene).layout for c in combos]
    first = _state(compression, scene=scene) if compression is not None else _state(combos[start], scene=scene)
    traces, layout = _figure_dict(first, scene)
    default_sev = [v for _, v in STATIC_SEVERITIES].index(0.6)

    def slider_steps(i: int) -> list[dict]:
        return [
            {"label": lbl, "method": "update", "args": [args[i * n_sev + j], lay[i * n_sev + j], dyn]}
            for j, (lbl, _) in enumerate(STATIC_SEVERITIES)
        ]

    buttons = []
    for i, (label, *_rest) in enumerate(STATIC_SCENARIOS):
        k = i * n_sev + default_sev
        relayout = {f"sliders[0].steps[{j}].args": [args[i * n_sev + j], lay[i * n_sev + j], dyn] for j in range(n_sev)}
        relayout["sliders[0].active"] = default_sev
        relayout.update(lay[k])
        buttons.append({"label": label, "method": "update", "args": [args[k], relayout, dyn]})
    layout["updatemenus"] = [
        {
            "type": "dropdown",
            "direction": "down",
            "active": scen_i,
            "showactive": True,
            "x": 0.0,
            "y": 1.0,
            "xanchor": "left",
            "yanchor": "bottom",
            "pad": {"l": 110, "t": 0, "b": 76 if patient else 6},
            "font": {"size": 14},
            "bgcolor": "#ffffff",
            "bordercolor": "#444",
            "buttons": buttons,
        }
    ]
    layout["sliders"] = [
        {
            "active": sev_i,
            "steps": slider_steps(scen_i),
            "currentvalue": {"prefix": "How strong: ", "font": {"size": 15}, "xanchor": "left"},
            "x": 0.0,
            "len": 0.55,
            "y": 0.0,
            "yanchor": "top",
            "pad": {"t": 4, "b": 4, "l": 10},
            "font": {"size": 14},
        }
    ]
    layout["annotations"] = [
        *layout["annotations"],
        {
            "x": 0.0,
            "y": 1.0,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 80 if patient else 10,
            "text": "<b>Example:</b>",
            "showarrow": False,
            "font": {"size": 15},
        },
    ]
    layout["margin"] = {"l": 10, "r": 10, "t": 130 if patient else 60, "b": 80}
    for a in layout["annotations"]:
        if a.get("text") == CAVEAT:
            a["y"] = 1.0
            a["yanchor"] = "bottom"
            a["x"] = 0.64
            a["xanchor"] = "left"
            a["text"] = CAVEAT.replace(". ", ".<br>")
    meta = {"sciatica_edu": "static body diagram", "states": len(combos), "mode": mode}
    if "narrow" in layout["meta"]:
        meta["narrow"] = _static_narrow(layout["meta"]["narrow"], len(layout["annotations"]) - 1)
    layout["meta"] = meta
    return go.Figure(data=traces, layout=layout)


def _static_narrow(spec: dict, example: int) -> dict:
    """The patient figure's narrow layout (``_narrow_spec``) with the static figure's controls: the menu and its
    "Example:" above the title, the menu at the left edge, the slider the full width below the key."""
    top = spec["margin"]["t"] - 8  # the title's top, in px above the plot
    menu = top + 10
    edits = {
        **spec["edits"],
        "updatemenus[0].pad.l": 0,
        "updatemenus[0].pad.b": menu,
        f"annotations[{example}].yshift": menu + 38,
        "sliders[0].len": 1.0,
        "sliders[0].pad.r": 28,  # the last step's word stays inside
    }
    return {**spec, "margin": {**spec["margin"], "t": menu + 38 + 26, "b": 80}, "edits": edits}


_STATIC_WORDS_JS = """<script>(function () {
  var gd = document.getElementById(%(plot)s), box = document.getElementById(%(words)s), words = %(all)s;
  function sync() {
    var menu = (gd.layout.updatemenus || [])[0], slider = (gd.layout.sliders || [])[0];
    if (!menu || !slider) return;
    var k = menu.active * %(per)d + slider.active;
    if (words[k] !== undefined && box.getAttribute("data-state") !== String(k)) {
      box.innerHTML = words[k];
      box.setAttribute("data-state", String(k));
    }
  }
  (function hook() {
    if (!gd || typeof gd.on !== "function") return setTimeout(hook, 50);
    ["plotly_buttonclicked", "plotly_sliderchange", "plotly_relayout", "plotly_update"].forEach(function (e) {
      gd.on(e, function () { setTimeout(sync, 0); });
    });
  })();
})();</script>"""


def static_html(
    compression: Compression | None = None,
    *,
    config: dict | None = None,
    locale: str | None = None,
    mode: str = "patient",
) -> str:
    """:func:`static_figure` with its words below it, as one HTML fragment for pages without a kernel (the
    course export). The words follow the figure's own menu and slider: every state's :func:`describe_html`
    is in the page, and a few lines of script show the one that matches. Needs plotly.js loaded on the page."""
    import json
    import uuid

    import plotly.io as pio

    fig = static_figure(compression, locale=locale, mode=mode)
    combos = static_compressions()
    start = compression or combos[_nearest(Compression("L4-L5", "paracentral", "left", 0.6), combos)]
    plot_id = f"sciatica-static-{uuid.uuid4().hex[:12]}"
    words_id = plot_id + "-words"
    plot = pio.to_html(fig, include_plotlyjs=False, full_html=False, config=config or dict(CONFIG), div_id=plot_id)
    all_words = json.dumps([describe_html(c, locale=locale) for c in combos]).replace("</", "<\\/")
    script = _STATIC_WORDS_JS % {
        "plot": json.dumps(plot_id),
        "words": json.dumps(words_id),
        "all": all_words,
        "per": len(STATIC_SEVERITIES),
    }
    return fit_html(plot, fig.layout.width, fig.layout.height) + (
        f'<div id="{words_id}" aria-live="polite">{describe_html(start, locale=locale)}</div>{script}'
    )


_FIT_JS = """<script>(function () {
  var box = document.getElementById(%(id)s), inner = box.firstElementChild, w = %(w)d, h = %(h)d;
  var narrow = null, wide = null, tries = 0;
  /*NARROW*/
  // on a narrow screen the patient figure stacks its views at the screen's width (never when printing: the
  // printed page keeps the wide picture); else, or below its narrowest layout, it is scaled down whole
  function fit(printing) {
    var gd = inner.querySelector(".js-plotly-plot");
    if (gd && !gd._fullLayout && tries++ < 200) return setTimeout(function () { fit(printing); }, 50);
    var want = gd && gd._fullLayout && !printing ? narrowLayout(gd.layout, box.clientWidth) : null;
    if (want && !(narrow && narrow.width === want.width)) {
      if (!narrow) wide = wideLayout(gd.layout, want);
      narrow = want;
      window.Plotly.relayout(gd, JSON.parse(JSON.stringify(want)));
    } else if (!want && narrow) {
      narrow = null;
      window.Plotly.relayout(gd, wide);
    }
    var fw = narrow ? narrow.width : w, fh = narrow ? narrow.height : h;
    var s = Math.min(1, box.clientWidth / fw);
    inner.style.width = fw + "px";
    for (var e = gd; e && e !== inner; e = e.parentElement) {  // the plot's div (and plotly's sized wrapper)
      e.style.width = fw + "px";
      e.style.height = fh + "px";
    }
    inner.style.transform = s < 1 ? "scale(" + s + ")" : "";
    box.style.height = Math.ceil(fh * s) + "px";
  }
  var print = window.matchMedia ? window.matchMedia("print") : null;
  function refit() { fit(!!(print && print.matches)); }
  refit();
  var timer = null;  // a window being dragged wider or narrower: one relayout once it settles, not one a frame
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(refit, 120); });
  window.addEventListener("beforeprint", function () { fit(true); });  // print CSS may give the box another width
  window.addEventListener("afterprint", function () { fit(false); });
  if (print && print.addEventListener) print.addEventListener("change", refit);
})();</script>"""


def _narrow_js() -> str:
    """The narrow-layout functions of ``static/figure-widget.js`` (one copy of them for the widget and the page)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent / "static" / "figure-widget.js").read_text(encoding="utf-8")
    begin, end = text.index("// narrow-layout: begin"), text.index("// narrow-layout: end")
    return text[begin:end]


def fit_html(fragment: str, width: int, height: int) -> str:
    """A fixed-size figure's HTML scaled down, as a whole, to fit a narrower page (never up): no sideways
    scrolling on a phone or a small laptop, and the picture keeps its layout (words and arrows stay where they
    point). A patient body figure on a narrow screen instead stacks its views at the page's width (its
    ``layout.meta.narrow``, :func:`_narrow_spec`), so its text keeps its size; printing keeps the wide picture.
    ``width``/``height`` are the figure's own pixels. A few lines of script refit on resize and print."""
    import hashlib
    import json

    # named after its content: the same page is written byte for byte the same (handouts are compared)
    box_id = "sciatica-fit-" + hashlib.sha1(f"{width}x{height}:{fragment}".encode()).hexdigest()[:12]
    return (
        f'<div id="{box_id}" class="sciatica-fit" style="width:100%;max-width:{int(width)}px;overflow:hidden">'
        f'<div style="width:{int(width)}px;transform-origin:0 0">{fragment}</div></div>'
        + (_FIT_JS % {"id": json.dumps(box_id), "w": int(width), "h": int(height)}).replace(
            "/*NARROW*/", _narrow_js())
    )


def _nearest(c: Compression, combos: list[Compression]) -> int:
    def score(o: Compression) -> tuple:
        return (
            o.disc != c.disc or o.zone != c.zone,
            o.roots != c.roots,
            o.side != c.side,
            abs(o.severity - c.severity),
        )

    return min(range(len(combos)), key=lambda i: score(combos[i]))
