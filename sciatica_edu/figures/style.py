"""How the body and spine figures look: colours, sizes, fill patterns, the two modes and the plotly config.

Colours are Okabe-Ito where they must stay apart for colour-blind readers; the six symptom steps (``PALETTE``)
run light to dark so they read in greyscale print too.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sciatica_edu._errors import choose, shown

#: ColorBrewer YlOrRd steps (colour-blind safe, ordered by lightness): milder -> stronger.
PALETTE = ("#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")
#: Fill pattern per symptom kind (plotly ``fillpattern.shape``); pain is a plain fill.
KIND_PATTERNS = {"numbness": "/", "tingling": ".", "weakness": "x", "cramp": "-", "pain": ""}
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
#: The nerve lines (sciatic, tibial, fibular): dark indigo, unlike every symptom colour in hue and, for greyscale
#: print, in lightness (it was Okabe-Ito orange, which vanished into the milder symptom steps; third PEMAT-P review;
#: tests/test_figure_colours.py measures the difference).
NERVE = "#1b1464"
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


def _colour(intensity: float) -> str:
    i = min(len(PALETTE) - 1, max(0, int(intensity * len(PALETTE) - 1e-9)))
    return PALETTE[i]


def _pattern(shape: str) -> dict:
    """A whole fill-pattern object: repaints write it as one top-level property (much cheaper in
    plotly than the dotted ``fillpattern.shape``; see benchmarks/diagram_latency.py)."""
    return {"shape": shape, "solidity": 0.35, "size": 7}




def _trace(xaxis: str, yaxis: str, **props) -> go.Scatter:
    """A scatter trace on the given axes, kept out of the legend (the key draws its own)."""
    return go.Scatter(xaxis=xaxis, yaxis=yaxis, showlegend=False, **props)


def _scatter(**props) -> dict:
    """A scatter trace on the body's own axes, kept out of the legend, as the plain dict a scene holds."""
    return go.Scatter(showlegend=False, **props).to_plotly_json()


def _fill(xaxis: str, yaxis: str, **props) -> go.Scatter:
    """A filled outline (a region, a bone, a disc) on the given axes."""
    return _trace(xaxis, yaxis, fill="toself", mode="lines", **props)




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
#: How to read the picture, under its title: one per kind of picture (an example with no "may be weak" arrow gets
#: the words without them).
PATIENT_CAPTIONS = {
    "compression": (
        "Colours show how strong; patterns show the kind. Arrows point to movements that may be weak.<br>"
        "Compare it with where you feel it and tell your doctor or physio. A typical pattern, not a diagnosis."
    ),
    # the same without the arrows, for an example that draws none (the caption names only what is drawn)
    "compression_no_arrows": (
        "Colours show how strong; patterns show the kind.<br>"
        "Compare it with where you feel it and tell your doctor or physio. A typical pattern, not a diagnosis."
    ),
    # an example with a warning sign (a red flag, drawn as the ⚠ line by the key): the caption points to that line
    # instead of "tell your doctor or physio", which is wrong advice beside "call 999 now" (sixth review, 06)
    "compression_warning": (
        "Colours show how strong; patterns show the kind. Arrows point to movements that may be weak.<br>"
        "⚠ This example has a warning sign: do what the ⚠ line says. A typical pattern, not a diagnosis."
    ),
    "compression_warning_no_arrows": (
        "Colours show how strong; patterns show the kind.<br>"
        "⚠ This example has a warning sign: do what the ⚠ line says. A typical pattern, not a diagnosis."
    ),
    "root": (
        "Blue: the skin this root usually supplies; pale blue: some maps add this.<br>"
        "Areas differ between people. A typical pattern, not a diagnosis."
    ),
    "selection": "Blue: the areas picked.<br>Compare them with where the examples are often felt.",
    "nothing": "Nothing is marked yet.<br>Choose an example to see where it is often felt.",
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


def check_size(width: int, height: int) -> tuple[int, int]:
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int) or not 300 <= v <= 4000:
            raise ValueError(f"{name} must be a whole number of pixels from 300 to 4000, not {shown(v)}")
    return width, height


#: Plotly config that hides the mode bar: pass to ``fig.show(config=CONFIG)`` / ``write_html``.
CONFIG = {"displayModeBar": False, "responsive": False, "displaylogo": False}


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


def drawing_layout(width: int, height: int, *, font: int, title: str) -> dict:
    """The layout every plain drawing beside the body shares (a cause from the side, the nerve's path): fixed size,
    no legend or dragging, the kit's font, a white page and a bold title at 18 px."""
    return {
        "width": width, "height": height, "autosize": False, "showlegend": False, "dragmode": False,
        "template": {"layout": {"font": {"family": "Arial, Helvetica, sans-serif", "size": font, "color": "#222"},
                                "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff"}},
        "title": {"text": title, "x": 0.5, "font": {"size": 18}},
    }
