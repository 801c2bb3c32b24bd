"""The body diagram's front end in the browser: plotly.py's FigureWidget drawn by the kit's own slim code.

:func:`figure_widget_code` is the ES module anywidget loads (plotly.js "basic", vendored, and
``static/figure-widget.js``); :func:`_figure_widget_class` is plotly.py's FigureWidget, its Python side unchanged,
using it. The session server also serves the same code as a file (``cli.served_widget_code``).
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import traitlets

from sciatica_edu.figures import plotlyjs

FIGURE_WIDGET_JS = Path(__file__).resolve().parent.parent / "static" / "figure-widget.js"


@cache
def figure_widget_code() -> str:
    """The body diagram's front-end: an ES module for anywidget, plotly.js "basic" (1.2 MB, vendored, MIT)
    followed by ``static/figure-widget.js``, which speaks the part of plotly.py's FigureWidget protocol the
    kit uses.

    plotly's own widget code is 5 MB (all of plotly.js: slow to load, above all in Voila) and, after every
    update, diffed plotly.js's data against its own copy and sent it back to Python in the same task as the
    repaint; it also added a marker that made plotly.js recalculate every trace (benchmarks/README.md).
    """
    umd = plotlyjs.plotly_js()  # a UMD script: given a ``module`` object, it puts plotly.js on module.exports
    return (
        "// plotly.js (basic) v" + plotlyjs.bundle_version() + ": MIT licence, Copyright Plotly, Inc.\n"
        "const module = { exports: {} };\n(function (module) {\n" + umd + "\n})(module);\n"
        "const Plotly = module.exports;\n" + FIGURE_WIDGET_JS.read_text(encoding="utf-8")
    )


@cache
def _figure_widget_class() -> type[go.FigureWidget]:
    """plotly.py's FigureWidget (its Python side unchanged) drawn by ``figure_widget_code()``."""
    namespace = {
        "__module__": __name__,
        # One id per figure: its front-end keeps the figure's state under it, shared by the figure's views
        # (anywidget gives each view a model object of its own).
        "_sciatica_key": traitlets.Unicode().tag(sync=True),
        "_default_sciatica_key": traitlets.default("_sciatica_key")(lambda self: uuid.uuid4().hex),
    }
    cls = type("FigureWidget", (go.FigureWidget,), namespace)
    cls._esm = figure_widget_code()  # set after class creation: anywidget would otherwise try the text as a file name
    return cls
