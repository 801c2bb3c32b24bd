"""The body figure's skeleton (a :class:`Scene`): every trace and layout item, built once per size, locale and mode.

Every figure and widget starts from a copy of a scene and repaints it with colour-only edits (a
:class:`~sciatica_edu.figures.state.State`), which plotly.js draws without recalculating the figure. Region traces
carry ``meta = [region_id, side, view]`` so tests and browser checks can find them; ``Scene.region_index`` maps
(view, region, side) to the trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html import escape

from sciatica_edu.facts import anatomy, locales
from sciatica_edu.figures.key import _key_shapes, _key_traces, _patient_key_traces
from sciatica_edu.figures.narrow import _narrow_spec
from sciatica_edu.figures.paint import _hover, warning_lines
from sciatica_edu.figures.patient import _add_patient_items, _patient_layout
from sciatica_edu.figures.spine import _inset_traces, inset_captions
from sciatica_edu.figures.style import (
    BACK_AXES,
    BACK_DX,
    BORDER,
    CAPTION_Y,
    CAVEAT,
    CLEAR,
    HEIGHT,
    LINE,
    NERVE,
    PATIENT_BACK_DX,
    SKIN,
    UNPAINTED,
    WIDTH,
    _check_mode,
    _pattern,
    _scatter,
)
from sciatica_edu.geometry import body
from sciatica_edu.geometry.spine import _VW, _disc_y, _root_paths
from sciatica_edu.geometry.splines import _shifted, _xy


@dataclass
class Scene:
    traces: list[dict]
    layout: dict
    region_index: dict[tuple[str, str, str], int] = field(default_factory=dict)
    inset_start: int = 0
    keypoint_roots: list[tuple[str, str]] = field(default_factory=list)
    captions: int = 0  # first of the caption annotations (one per ``inset_captions()``), then the warnings
    locale: str = "uk"  # whose actions the warning lines give (one locale per figure)
    mode: str = "student"  # "patient": no key test spots, a title, weakness as movement labels (see _patient_*)
    titles: int = -1  # patient mode: first title annotation (``patient_titles()``), then the how-to-read captions
    moves: int = -1  # patient mode: first movement label annotation (one per ``move_keys``)
    move_shapes: int = -1  # patient mode: first movement arrow shape (one per ``move_keys``)
    move_keys: list[tuple[str, str]] = field(default_factory=list)  # (movement id, side) per label
    key_arrow: int = -1  # patient mode: the key's "a movement that may be weak" words (shown when an arrow is)
    key_arrow_shape: int = -1  # patient mode: the key's arrow sample


def scene_for(width: int = WIDTH, height: int = HEIGHT, locale: str | None = None, mode: str = "patient") -> Scene:
    """The figure skeleton for a size, a locale and a mode (built once per combination, then shared)."""
    return _built_scene(width, height, locales.resolve(locale), _check_mode(mode))


@cache
def _built_scene(width: int, height: int, locale: str, mode: str = "student") -> Scene:
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
                traces.append(_scatter(x=x, y=y, xaxis=xaxis, yaxis=yaxis, name=name, **props))

    outline = {"mode": "lines", "line": {"color": LINE, "width": 1.6}, "hoverinfo": "skip"}
    layer("body outline", lambda v: body.view(v).outline, fill="toself", fillcolor=SKIN, **outline)
    for vname, dx in views:
        v = body.view(vname)
        xaxis, yaxis = BACK_AXES if patient and vname == "back" else ("x", "y")
        for (rid, side), paths in sorted(v.regions.items(), key=lambda kv: (_region_order(kv[0][0]), kv[0][1])):
            x, y = _xy(paths, dx)
            region_index[(vname, rid, side)] = len(traces)
            # plotly.js labels a hovered fill with the trace's ``text`` or else its ``name``;
            # ``name`` is style-level, ``text`` would recalculate every trace on each change
            traces.append(_scatter(
                x=x, y=y, xaxis=xaxis, yaxis=yaxis, fill="toself", fillcolor=UNPAINTED, mode="lines",
                line={"color": BORDER, "width": 0.8}, hoveron="fills", hoverinfo="text",
                name=_hover(rid, side, "nothing in this example"), fillpattern=_pattern(""), meta=[rid, side, vname],
            ))
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
    spots = {"symbol": "diamond", "size": 9, "color": ["#ffffff"] * len(kx), "line": {"color": "#333333", "width": 1.2}}
    traces += [] if not kx else [
        _scatter(x=kx, y=ky, mode="markers", hoverinfo="text", hovertext=ktext, marker=spots, name="key test spots")
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
    # static shapes after the key-spot diamonds (``state_for`` colours those by index): a static shape costs
    # plotly.js a fraction of what a trace costs on every restyle
    layout["shapes"] += _key_shapes("x3", "y3")
    scene = Scene(traces, layout, region_index, inset_start, kroots, captions, locale, mode)
    if patient:
        _add_patient_items(scene)
        layout["meta"]["narrow"] = _narrow_spec(scene)
    return scene


def _caption_annotations(locale: str) -> list[dict]:
    """Every inset caption and warning line the figure can show, all transparent (``state_for`` shows one)."""
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
        for text in inset_captions()
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
        for text in warning_lines(locale)
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


def _layout(width: int, height: int) -> dict:
    ann = []

    def note(x, y, text, size=14, xref="x", yref="y", color="#222", **kw):
        """One annotation: words at (x, y), no arrow unless ``showarrow=True`` and its settings are given."""
        font = {"size": size, "color": color}
        ann.append({"x": x, "y": y, "xref": xref, "yref": yref, "text": text, "showarrow": False, "font": font, **kw})

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
        note(x, y, text, 12, xref, yref, color="#333", showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor="#555",
             ax=ax, ay=ay, xanchor="left")
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
