"""The lumbar-spine drawing: the inset of the body figure and :func:`spine_figure`, the same drawing larger.

The inset's traces come in a fixed order (:func:`_inset_index`); what changes with the example (which disc is
marked, where it bulges, which roots glow) is colour only (:func:`_inset_state`), so plotly.js redraws it without
recalculating the figure.
"""

from __future__ import annotations

from functools import cache
from html import escape

import plotly.graph_objects as go

from sciatica_edu.facts import anatomy, causes
from sciatica_edu.figures.style import (
    BULGE,
    CLEAR,
    DISC,
    LABEL,
    ROOT_HIT,
    ROOT_IDLE,
    _apply,
    _fill,
    _trace,
    check_size,
)
from sciatica_edu.geometry.spine import (
    _DH,
    _LEVELS,
    _VW,
    _all_discs,
    _bulge,
    _disc_y,
    _ellipse,
    _inset_static,
    _inset_sx,
    _root_paths,
    _vy,
)
from sciatica_edu.geometry.splines import _xy
from sciatica_edu.model.scenario import Compression
from sciatica_edu.model.words import roots_words


def _inset_traces(xaxis: str, yaxis: str, caption: str = "") -> list[go.Scatter]:
    """All inset traces in a fixed order (see ``_inset_index``); ``caption`` under the sacrum (the spine figure;
    the body figure's captions are layout annotations switched by colour, see ``_caption_annotations``)."""
    st = _inset_static()

    def fill(paths, name: str, fillcolor: str, line: dict, **props) -> go.Scatter:
        x, y = _xy(paths)
        return _fill(xaxis, yaxis, x=x, y=y, fillcolor=fillcolor, line=line, name=name, **props)

    def words(x: list, y: list, text: list, position: str, color: str, name: str) -> go.Scatter:
        return _trace(xaxis, yaxis, x=x, y=y, text=text, mode="text", textposition=position,
                      textfont={"size": 13, "color": color}, hoverinfo="skip", name=name)

    traces = [fill(st["bones"], "bones", "#efe6d8", {"color": "#8a7a66", "width": 1.2}, hoverinfo="skip")]
    for disc in _all_discs():
        outline = [_ellipse(0, _disc_y(disc), _VW - 0.04, _DH / 2 - 0.01)]
        traces.append(fill(outline, f"{disc} disc", DISC, {"color": "#8fb0c2", "width": 2.4}, hoverinfo="text",
                           text=f"{disc} disc", hoveron="fills"))
    traces.append(fill([st["sac"]], "sac", "rgba(255,236,160,0.55)", {"color": "#b59a2e", "width": 1},
                       hoverinfo="text", hoveron="fills", text="the nerve roots inside their sac (dural sac)"))
    for name, path in _root_paths().items():
        for side in anatomy.SIDES:
            s = _inset_sx(side)
            xs = [round(s * x, 3) for x, _ in path]
            ys = [round(y, 3) for _, y in path]
            traces.append(_trace(xaxis, yaxis, x=xs, y=ys, mode="lines", line={"color": ROOT_IDLE, "width": 3},
                                 hoverinfo="text", text=f"{name} nerve root (patient's {side})", name=f"{name} {side}"))
    for key in _bulge_keys():
        disc, zone, side = key.split(" ")[1:]
        where = anatomy.zone(zone).label
        traces.append(fill(_bulge(disc, zone, anatomy.SIDES if side == "both" else (side,)), key, CLEAR,
                           {"color": CLEAR, "width": 1.5}, hoverinfo="skip", hoveron="fills",
                           text=f"the bulge of the {disc} disc: {where}", opacity=0.92))
    labels_y = [_vy(lv) for lv in _LEVELS] + [st["sacrum_top"] - 1.15]
    traces.append(words([-_VW - 0.2] * 5 + [-_VW + 0.05], labels_y, [*_LEVELS, "sacrum"], "middle left", "#4a3f35",
                        "levels"))
    if caption:  # the spine figure's caption under the sacrum (the body figure's are annotations)
        traces.append(words([0.0], [round(st["sacrum_top"] - 1.95, 3)], [caption], "bottom center", LABEL,
                            "inset label"))
    return traces


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


#: Causes whose drawing is a disc's own bulge; for the others the caption names the level ("L4-L5 level"), since
#: the drawing marks only where the root is pressed (a reader took "L4-L5 disc" under "spinal stenosis" as a disc).
_DISC_CAUSES = ("disc_herniation", "degenerative_disc")


def _compression_label(compression: Compression, noun: str = "disc") -> str:
    """The inset caption for a compression: the disc (or, for a cause that is not a disc, the ``level``), where it
    bulges, the roots it presses on."""
    z = anatomy.zone(compression.zone).label.split(" (")[0]
    return f"<b>{compression.disc} {noun}</b>, {z}:<br>presses on {', '.join(compression.roots)}"


def patient_spine_caption(compression: Compression) -> str:
    """The spine drawing's caption in a patient's words, from the same data as the figure's caption (disc, roots,
    side; for a cause that is not a disc, the level): "Your L4-L5 disc presses on the L5 nerve root (left side)".
    The printed handout's spine panel uses it (``figures.printed``)."""
    c = compression
    roots = roots_words(c.roots)
    noun = "nerve roots" if len(c.roots) > 1 else "nerve root"
    side = "both sides" if c.side == "both" else f"{c.side} side"
    if c.cause in _DISC_CAUSES:
        return f"Your {c.disc} disc presses on the {roots} {noun} ({side})"
    verb = "are" if len(c.roots) > 1 else "is"
    return f"Your {roots} {noun} {verb} pressed at the {c.disc} level ({side})"


def _root_label(name: str) -> str:
    return f"<b>{name} nerve root</b>: blue = its usual skin area<br>pale blue = some maps add this"


@cache
def inset_captions() -> tuple[str, ...]:
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


#: The stand-alone drawing's own size: exported pages scale a figure down whole on a phone (``fit_html``, 344 px
#: left at 390), so at 440 px wide its :data:`SPINE_FONT` words stay 12 px or more there (an independent review
#: measured 7.5 px type at the old 560 px with 13 px words).
SPINE_SIZE = (440, 640)

#: The smallest word of the stand-alone drawing, in px at its own size.
SPINE_FONT = 16

#: ``parts=True`` (page 02, where the text names them): what each label points at, seen from behind (x, y in the
#: drawing's units; ``geometry.spine``). Labels sit in a column right of the drawing, so the view is shifted left.
_PART_X = 1.95


@cache
def _parts() -> tuple[tuple[str, tuple[float, float], float], ...]:
    """(label, the point its arrow touches, the label's height) for each part page 02's text introduces."""
    l3_root = _root_paths()["L3"]
    return (
        ("a bone of the spine<br>(a vertebra)", (0.45, _vy("L1") + 0.14), _vy("L1") + 0.55),
        ("a disc: the soft pad<br>between two bones", (_VW - 0.2, _disc_y("L2-L3")), _disc_y("L2-L3") + 0.05),
        ("a nerve root,<br>leaving the spine", l3_root[len(l3_root) * 3 // 4], _vy("L3") - 0.75),
        ("the spinal canal:<br>the nerve roots of<br>the cauda equina<br>run down inside it",
         (0.12, _vy("L4") - 0.2), _vy("L4") - 1.0),
    )


def _part_annotations() -> list[dict]:
    """Arrows from a label column at the right to the bone, a disc, a root and the spinal canal (page 02)."""
    return [
        {"x": tip[0], "y": tip[1], "ax": _PART_X, "ay": y, "axref": "x", "ayref": "y", "xref": "x", "yref": "y",
         "text": text, "showarrow": True, "arrowhead": 2, "arrowwidth": 1.5, "arrowcolor": "#222",
         "xanchor": "left", "align": "left", "font": {"size": SPINE_FONT, "color": "#222"},
         "bgcolor": "rgba(255,255,255,0.85)"}
        for text, tip, y in _parts()
    ]


def spine_figure(
    compression: Compression | None = None,
    *,
    cause: str | None = None,
    parts: bool = False,
    width: int = SPINE_SIZE[0],
    height: int = SPINE_SIZE[1],
) -> go.Figure:
    """The lumbar spine seen from behind, larger: the disc and zone of ``compression`` or of a cause
    from ``data/causes.yaml`` (its ``inset`` disc and zone, drawn on the patient's left; piriformis
    has no inset, so the figure says it is not in the spine). The same drawing as the body figure's inset.
    ``parts``: also point to and name a bone, a disc, a nerve root and the spinal canal (page 02's lesson)."""
    check_size(width, height)
    if not isinstance(parts, bool):
        raise ValueError(f"parts must be True or False, not {parts!r}")
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
        # stenosis, a slip, a spur: the drawing marks the place, not a disc
        label = _compression_label(compression, "level" if cause not in (None, *_DISC_CAUSES) else "disc")
    traces = [t.to_plotly_json() for t in _inset_traces("x", "y", label)]
    for t in traces:  # the inset's 13 px words, at the larger drawing's own size
        if t.get("mode") == "text":
            t["textfont"] = {**t.get("textfont", {}), "size": SPINE_FONT}
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
            "font": {"size": SPINE_FONT},
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
            "font": {"size": SPINE_FONT},
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
                "font": {"size": SPINE_FONT},
                "bgcolor": "rgba(255,255,255,0.92)",
                "bordercolor": "#444",
            }
        )
    if parts:
        ann += _part_annotations()
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
        "title": {"text": f"<b>{escape(title)}</b>", "x": 0.5, "font": {"size": SPINE_FONT + 2}},
        "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
        "xaxis": {"visible": False, "fixedrange": True, "range": [-2.0, 4.4] if parts else [-2.6, 2.6]},
        "yaxis": {"visible": False, "fixedrange": True, "range": [-7.2, 1.9 if note else 0.9], "scaleanchor": "x"},
        "annotations": ann,
    }
    return go.Figure(data=traces, layout=layout)
