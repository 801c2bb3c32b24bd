"""What changes when the kit runs in the browser (JupyterLite, Pyodide): small, and testable in plain Python.

``IN_BROWSER`` is true under Pyodide (``sys.platform == "emscripten"``). There:

* plain plotly figures (``diagram.body_figure(...)`` as a cell's result) are drawn by the kit's plotly.js
  "basic" bundle, which the site serves once as a static file (``SITE_PLOTLY_JS``), instead of JupyterLab's
  plotly extension (4.85 MB of JavaScript the site then leaves out): :func:`figure_html` is that output;
* a file the kit would write to disk (the session view's handout) is offered as a download link instead
  (:func:`download_link`): a ``data:`` URL, so the file never leaves the browser.

:func:`setup` installs the renderer; ``sciatica_edu/__init__.py`` calls it only under Pyodide.
"""

from __future__ import annotations

import base64
import html
import json
import re
import sys
import uuid

__all__ = ["IN_BROWSER", "SITE_PLOTLY_JS", "download_link", "figure_html", "setup"]

IN_BROWSER = sys.platform == "emscripten"
#: Where the JupyterLite site serves plotly.js basic, relative to an app page (``lab/``, ``notebooks/``).
SITE_PLOTLY_JS = "../static/sciatica-edu/plotly-basic.min.js"
RENDERER = "sciatica_edu_lite"

# Loads plotly.js once per page (a shared promise), then draws the figure into its div. JupyterLab runs the
# scripts of trusted HTML outputs, which every output the kernel just made is.
_DRAW_JS = """<script>(function () {
  var w = window;
  if (!w.__sciaticaPlotly) {
    w.__sciaticaPlotly = new Promise(function (ok, fail) {
      if (w.Plotly) { ok(w.Plotly); return; }
      var s = document.createElement('script');
      s.src = %(src)s;
      s.onload = function () { ok(w.Plotly); };
      s.onerror = function () { w.__sciaticaPlotly = null; fail(new Error('plotly.js did not load')); };
      document.head.appendChild(s);
    });
  }
  var fig = %(fig)s;
  var draw = function () {
    w.__sciaticaPlotly.then(function (Plotly) {
      var gd = document.getElementById(%(id)s);
      if (gd) { Plotly.newPlot(gd, fig.data || [], fig.layout || {}, %(config)s); }
    });
  };
  var gd = document.getElementById(%(id)s);
  if (%(lazy)s && gd && w.IntersectionObserver) {
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); draw(); }
    }, {rootMargin: '600px 0px'});
    seen.observe(gd);
  } else {
    draw();
  }
})();</script>"""


def _script_json(value) -> str:
    """JSON safe inside a <script> element (no ``</script>`` can end it early)."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def figure_html(fig_dict: dict, config: dict | None = None, *, src: str = SITE_PLOTLY_JS, lazy: bool = False) -> str:
    """An HTML output that draws ``fig_dict`` (a plotly figure as a dict) with the plotly.js at ``src``.

    ``lazy``: draw only once the figure is on screen or within 600 px of it (the site's stored outputs: a page of
    seven figures drawn at once kept the main thread from JupyterLab and the kernel for about 2 s)."""
    if not isinstance(fig_dict, dict) or not isinstance(fig_dict.get("data", []), list):
        raise ValueError("fig_dict must be a plotly figure as a dict with a 'data' list (fig.to_dict())")
    div_id = f"sciatica-lite-{uuid.uuid4().hex[:12]}"
    layout = fig_dict.get("layout") or {}
    height = layout.get("height")
    style = f"height:{int(height)}px;" if isinstance(height, int | float) else ""
    figure = {"data": fig_dict.get("data", []), "layout": layout}
    script = _DRAW_JS % {
        "src": _script_json(src),
        "fig": _script_json(figure),
        "id": _script_json(div_id),
        "config": _script_json(config or {}),
        "lazy": "true" if lazy else "false",
    }
    return f'<div id="{div_id}" class="sciatica-lite-figure" style="{style}"></div>{script}'


def setup(*, lazy: bool = False) -> None:
    """Draw plain figures with :func:`figure_html` from now on (plotly's default renderer, this kernel only);
    ``lazy`` as there (the lite build's stored outputs)."""
    import plotly.io as pio
    from plotly.io._base_renderers import MimetypeRenderer

    from sciatica_edu.figures.style import CONFIG

    class _LiteRenderer(MimetypeRenderer):
        def to_mimebundle(self, fig_dict):
            return {"text/html": figure_html(fig_dict, dict(CONFIG), lazy=lazy)}

    pio.renderers[RENDERER] = _LiteRenderer()
    pio.renderers.default = RENDERER


def download_link(data: bytes | str, filename: str, label: str, mime: str = "text/html") -> str:
    """An HTML link that downloads ``data`` as ``filename`` from the page itself (a ``data:`` URL; nothing is
    sent anywhere). For the browser build, where the kernel cannot write to the user's disk."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,120}", filename or ""):
        raise ValueError(f"filename must be a plain file name (letters, digits, . _ - and spaces), not {filename!r}")
    if not re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", mime):
        raise ValueError(f"mime must look like text/html, not {mime!r}")
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    url = f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"
    return (f'<a class="sciatica-download" download="{html.escape(filename)}" href="{url}">'
            f"{html.escape(label)}</a>")
