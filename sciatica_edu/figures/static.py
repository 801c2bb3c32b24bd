"""The static body figure: plotly-native controls (a menu of examples and a severity slider) over precomputed
states, so it works in an exported HTML page with no kernel; and :func:`fit_html`, which scales a fixed-size
figure down to fit a narrow page.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from sciatica_edu.figures.body import default_height
from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.state import figure_dict, state_for
from sciatica_edu.figures.style import CAVEAT, CONFIG, WIDTH, _check_mode, check_size
from sciatica_edu.model.scenario import Compression
from sciatica_edu.model.words import describe_html

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
    scene = scene_for(locale=locale, mode=mode)
    state = state_for(compression, scene=scene)
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
    return sorted(state_for(None, scene=scene_for(mode=mode)).props)


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
    scene = scene_for(*check_size(width, height), locale, mode)
    combos = static_compressions()
    n_sev = len(STATIC_SEVERITIES)
    start = _nearest(compression or Compression("L4-L5", "paracentral", "left", 0.6), combos)
    scen_i, sev_i = divmod(start, n_sev)
    dyn = dynamic_traces(mode)
    args = [restyle_args(c, dyn, locale=scene.locale, mode=mode) for c in combos]
    # captions, warnings and key-spot highlights: layout items switched by colour (see scene_for)
    lay = [state_for(c, scene=scene).layout for c in combos]
    first = state_for(compression, scene=scene) if compression is not None else state_for(combos[start], scene=scene)
    traces, layout = figure_dict(first, scene)
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


#: The example menu's font in the narrow layout: plotly sizes the closed menu to its longest example, which at the
#: wide layout's 14 px ran past a 390 px phone's figure and cut off the menu's arrow (issue 14); 12 px is the kit's
#: smallest text on a phone.
NARROW_MENU_FONT = 12


def _static_narrow(spec: dict, example: int) -> dict:
    """The patient figure's narrow layout (``_narrow_spec``) with the static figure's controls: the menu and its
    "Example:" above the title, the menu at the left edge in smaller words so the whole button (its arrow too)
    stays inside a phone's figure, the slider the full width below the key."""
    top = spec["margin"]["t"] - 8  # the title's top, in px above the plot
    menu = top + 10
    edits = {
        **spec["edits"],
        "updatemenus[0].pad.l": 0,
        "updatemenus[0].pad.b": menu,
        "updatemenus[0].font.size": NARROW_MENU_FONT,
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
    if (gd && gd.on && !gd.__sciaticaUnread) {  // only what the picture shows is read out, after every change
      gd.__sciaticaUnread = true;
      gd.on("plotly_afterplot", function () { unreadHidden(gd); });
      unreadHidden(gd);
    }
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
    text = (Path(__file__).resolve().parent.parent / "static" / "figure-widget.js").read_text(encoding="utf-8")
    begin, end = text.index("// narrow-layout: begin"), text.index("// narrow-layout: end")
    return text[begin:end]


def fit_html(fragment: str, width: int, height: int) -> str:
    """A fixed-size figure's HTML scaled down, as a whole, to fit a narrower page (never up): no sideways
    scrolling on a phone or a small laptop, and the picture keeps its layout (words and arrows stay where they
    point). A patient body figure on a narrow screen instead stacks its views at the page's width (its
    ``layout.meta.narrow``, ``figures.narrow._narrow_spec``), so its text keeps its size; printing keeps the wide
    picture.
    ``width``/``height`` are the figure's own pixels. A few lines of script refit on resize and print."""
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
