"""Course export: run every notebook and write it as a static HTML page, plus an index page.

Offline by construction: no RequireJS, MathJax, Mermaid or widget manager from a CDN (the
``export.html.j2`` template drops them); plotly.js (basic bundle) is written once to ``static/plotly-basic.min.js``
and loaded by a relative ``<script src>``. Live widgets cannot work without a kernel, so the
kernel that runs the notebook shows figures as static plotly figures (they still zoom and show
labels): a display hook turns any ``FigureWidget`` (alone or inside a box of controls) into a
static figure; a body diagram from ``sciatica_edu.widgets`` becomes ``diagram.static_figure``, whose
plotly-native menu and slider switch scenarios with no kernel (the ``_sciatica_edu_static`` hook); shown
with its words, those follow the menu and slider too (``diagram.static_html``, the ``_sciatica_edu_static_html``
hook).
``SCIATICA_EDU_STATIC=1`` is also set for code that wants to know. Controls are replaced by a note.
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from html import escape
from importlib import resources
from pathlib import Path

import nbformat

from sciatica_edu._files import write_text_atomic
from sciatica_edu.plotlyjs import plotly_js

__all__ = [
    "STATIC_ENV",
    "ExportError",
    "export_notebook",
    "export_site",
    "external_loads",
    "notebook_paths",
    "page_name",
]

#: Environment variable set in the export kernel; ``sciatica_edu.widgets`` may show static figures when it is "1".
STATIC_ENV = "SCIATICA_EDU_STATIC"
PLOTLY_JS = "static/plotly-basic.min.js"
_NAME_RE = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
_PRELUDE_TAG = "sciatica-edu-export-prelude"
_CONTROLS_NOTE = (
    '<p class="sciatica-edu-controls-note"><em>The controls here need a running notebook. '
    "Open this notebook in JupyterLab to use them.</em></p>"
)

# Runs first in the export kernel (then removed from the page): figures become static HTML.
_PRELUDE = r"""
import os as _os
_os.environ["SCIATICA_EDU_STATIC"] = "1"

def _sciatica_edu_static_display():
    import ipywidgets as _w
    import plotly.graph_objects as _go
    import plotly.io as _pio
    from IPython import get_ipython
    from IPython.display import HTML, display, publish_display_data
    from plotly.basedatatypes import BaseFigure
    from plotly.io._base_renderers import MimetypeRenderer

    config = {"displaylogo": False, "responsive": True}

    class _StaticRenderer(MimetypeRenderer):
        def to_mimebundle(self, fig_dict):
            html = _pio.to_html(fig_dict, include_plotlyjs=False, full_html=False, config=config)
            return {"text/html": html}

    _pio.renderers["sciatica_edu_static"] = _StaticRenderer()
    _pio.renderers.default = "sciatica_edu_static"

    def walk(obj):
        # Display what can be shown without a kernel; True if live controls were left out.
        static_html = getattr(obj, "_sciatica_edu_static_html", None)  # a BodyDiagram with its words
        if isinstance(obj, _w.Box) and callable(static_html):
            display(HTML(static_html(config=config)))
        elif isinstance(obj, BaseFigure):
            static = getattr(obj, "_sciatica_edu_static", None)  # set by sciatica_edu.widgets.BodyDiagram
            display(static() if callable(static) else _go.Figure(obj))
        elif isinstance(obj, _w.Box):
            return any([walk(child) for child in obj.children])
        elif isinstance(obj, _w.Output):
            for out in obj.outputs:
                if out.get("output_type") == "stream":
                    print(out.get("text", ""), end="")
                elif "data" in out:
                    publish_display_data(out["data"], out.get("metadata", {}))
        elif isinstance(obj, (_w.HTML, _w.HTMLMath)):
            display(HTML(obj.value))
        elif isinstance(obj, _w.Label):
            if obj.value:
                display(HTML("<p>" + obj.value + "</p>"))
        else:
            return True
        return False

    def show(obj):
        if walk(obj):
            display(HTML(__CONTROLS_NOTE__))

    formatter = get_ipython().display_formatter.ipython_display_formatter
    formatter.for_type(_go.FigureWidget, show)
    formatter.for_type(_w.DOMWidget, show)  # every visible widget: boxes, outputs, HTML, controls

_sciatica_edu_static_display()
del _sciatica_edu_static_display
""".replace("__CONTROLS_NOTE__", repr(_CONTROLS_NOTE))

_SITE_CSS = """
body { font-size: 17px; }
.sciatica-edu-nav { font: 16px/1.4 system-ui, sans-serif; padding: .6em 1.2em; border-bottom: 1px solid #ccc;
  background: #f6f8fa; }
.sciatica-edu-nav a { margin-right: 1.2em; }
.sciatica-edu-controls-note { color: #444; }
"""


class ExportError(RuntimeError):
    """Some notebooks failed to run; the others were exported."""


def notebook_paths(folder: Path) -> list[Path]:
    """The course notebooks in ``folder`` (``NN-kebab-name.ipynb``), in order."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if _NAME_RE.match(p.name))


def page_name(notebook: Path) -> str:
    """The page a notebook becomes: ``01-what-is-sciatica.ipynb`` -> ``01-what-is-sciatica.html``."""
    return Path(notebook).with_suffix(".html").name


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+?)\s*$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return fallback


def _minutes(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"Time to read:\s*~?\s*(\d+)\s*min", cell.source)
            if match:
                return f"~{match.group(1)} min"
    return ""


def execute(
    nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 300, locale: str | None = None
) -> nbformat.NotebookNode:
    """Run ``nb`` in a fresh kernel (working folder ``cwd``) with static figures; no widget state kept.

    ``locale`` (uk, us, intl) is the country whose advice the page gives: the red-flag box and checklist are
    rewritten for it and the kernel's figures and words use it."""
    from sciatica_edu import locales, notebook_tools

    locale = locales.resolve(locale)
    notebook_tools.localize(nb, locale)
    from nbclient import NotebookClient

    keep = _caller_signal_handlers()

    class _Client(NotebookClient):
        # nbclient 0.11 mimics Output widgets by writing into widget_state even when
        # store_widget_state=False, where that dict stays empty: KeyError. Keep it tolerant.
        def reset_execution_trackers(self) -> None:
            super().reset_execution_trackers()
            self.widget_state = collections.defaultdict(dict)

        async def async_start_new_kernel(self, **kwargs) -> None:
            # nbclient has just put its own SIGINT/SIGTERM handlers on the event loop; they only schedule a
            # clean-up and let the notebook run on (Ctrl+C was ignored, SIGTERM too). Give the caller's back,
            # before the kernel starts, so a signal stops the export at once (see cli.run_stoppable).
            for sig, handler in keep.items():
                signal.signal(sig, handler)
            await super().async_start_new_kernel(**kwargs)

    prelude = nbformat.v4.new_code_cell(_PRELUDE, metadata={"tags": [_PRELUDE_TAG]})
    nb.cells.insert(0, prelude)
    env = {**os.environ, STATIC_ENV: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1", locales.LOCALE_ENV: locale}
    client = _Client(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=False,
        record_timing=False,
        shutdown_kernel="immediate",  # stopping (a failure, Ctrl+C) ends the kernel at once
    )
    try:
        client.execute(env=env, cwd=str(cwd))
    finally:
        for sig, handler in keep.items():  # nbclient leaves the defaults behind; the caller's come back
            signal.signal(sig, handler)
        if nb.cells and _PRELUDE_TAG in nb.cells[0].get("metadata", {}).get("tags", []):
            nb.cells.pop(0)
    for cell in nb.cells:  # number the cells as a reader would, without the prelude
        if cell.cell_type == "code" and cell.get("execution_count"):
            cell.execution_count -= 1
            for out in cell.outputs:
                if out.get("execution_count"):
                    out.execution_count -= 1
    return nb


def _caller_signal_handlers() -> dict[int, object]:
    """SIGINT and SIGTERM handlers set in Python by the caller (main thread only: elsewhere none can be set)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    return {sig: handler for sig, handler in handlers.items() if handler is not None}


def static_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace outputs that are only live widgets (no kernel to drive them) by a short note."""
    widget = "application/vnd.jupyter.widget-view+json"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if widget in data:
                out["data"] = {"text/html": _CONTROLS_NOTE}
    nb.metadata.pop("widgets", None)
    return nb


def _exporter():
    from nbconvert import HTMLExporter

    templates = resources.files("sciatica_edu") / "templates"
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(templates)],
        template_file="export.html.j2",
        exclude_anchor_links=True,
    )
    return exporter


def _relink(html: str) -> str:
    """Links between notebooks point at the exported pages (``NN-name.ipynb`` -> ``NN-name.html``)."""
    return re.sub(r'href="(\d\d-[a-z0-9-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m[1]}.html{m[2] or ""}"', html)


def export_notebook(
    path: Path, *, timeout: int = 300, exporter=None, locale: str | None = None
) -> tuple[str, nbformat.NotebookNode]:
    """Execute one notebook and return its static HTML page (for one locale) and the executed notebook."""
    from sciatica_edu import __version__, advice, locales

    nb = nbformat.read(str(path), as_version=4)
    nb = static_outputs(execute(nb, Path(path).parent, timeout=timeout, locale=locale))
    exporter = exporter or _exporter()
    html, _ = exporter.from_notebook_node(
        nb,
        resources={
            "metadata": {"name": _title(nb, Path(path).stem)},
            "sciatica_edu": {
                "plotly_js": PLOTLY_JS,
                "site_css": _SITE_CSS,
                "index": "index.html",
                "version": __version__,
                "checked": advice.last_checked().isoformat(),
                "locale": locales.get(locale).name,
            },
        },
    )
    return _relink(html), nb


def _write(path: Path, text: str) -> None:
    write_text_atomic(path, text)


def index_html(entries: Iterable[dict[str, str]]) -> str:
    """The site's front page: every notebook with its audience and reading time."""
    rows = "".join(
        f'<tr><td><a href="{escape(e["page"])}">{escape(e["title"])}</a></td>'
        f"<td>{escape(e['audience'])}</td><td>{escape(e['minutes'])}</td></tr>"
        for e in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sciatica-edu: the course notebooks</title>
<style>
body {{ font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .45em .6em; border-bottom: 1px solid #ccc; }}
.note {{ border-left: 6px solid #555; background: #f3f3f3; padding: .5em .9em; }}
</style>
</head>
<body>
<h1>sciatica-edu: the course notebooks</h1>
<p class="note">General information for teaching, not medical advice. These pages were run once and saved:
the figures still zoom and show labels, but the controls need JupyterLab. They work with no internet.</p>
<table>
<thead><tr><th>Notebook</th><th>For</th><th>Time to read</th></tr></thead>
<tbody>{rows}</tbody>
</table>
</body>
</html>
"""


def export_site(
    notebooks_dir: Path,
    out_dir: Path,
    *,
    timeout: int = 300,
    log: Callable[[str], None] | None = None,
    locale: str | None = None,
) -> list[Path]:
    """Execute every notebook in ``notebooks_dir``; write one page each (one locale's advice), ``index.html``
    and plotly.js."""
    log = log or (lambda _line: None)
    out_dir = Path(out_dir)
    (out_dir / "static").mkdir(parents=True, exist_ok=True)
    _write(out_dir / PLOTLY_JS, plotly_js())
    exporter = _exporter()
    pages: list[Path] = []
    entries: list[dict[str, str]] = []
    failures: list[str] = []
    for path in notebook_paths(notebooks_dir):
        start = time.perf_counter()
        try:
            html, nb = export_notebook(path, timeout=timeout, exporter=exporter, locale=locale)
        except Exception as exc:  # one broken notebook must not hide the others; reported below
            from nbclient.exceptions import CellExecutionError

            if isinstance(exc, CellExecutionError):
                reason = f"{exc.ename}: {exc.evalue}"
            else:
                reason = f"{type(exc).__name__}: {exc}"
            failures.append(f"{path.name} ({(reason.splitlines() or [''])[0]})")
            log(f"{path.name} FAILED: {reason}")
            continue
        page = out_dir / page_name(path)
        _write(page, html)
        pages.append(page)
        audience = str(nb.metadata.get("sciatica_edu", {}).get("audience", ""))
        entries.append({"page": page.name, "title": _title(nb, path.stem), "audience": audience,
                        "minutes": _minutes(nb)})
        log(f"{path.name} -> {page.name} ({time.perf_counter() - start:.1f} s, {len(html) / 1e3:.0f} kB)")
    _write(out_dir / "index.html", index_html(entries))
    _write(out_dir / "manifest.json", json.dumps([e["page"] for e in entries], indent=1) + "\n")
    if failures:
        raise ExportError(f"{len(failures)} notebook(s) failed to run: " + "; ".join(failures))
    return pages


_LOAD_RE = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*?\b(?P<attr>src|href|data|poster|srcset|action)\s*=\s*["']?\s*(?P<url>(?:https?:)?//[^"'\s>]+)""",
    re.I,
)


def external_loads(html: str) -> list[str]:
    """Addresses outside the machine that a page would load: ``src``/``href`` on any tag but ``<a>``,
    plus CSS ``url(...)`` and ``@import``. Links a reader may click (``<a href>``) are not loads.

    Only markup is scanned, not the text inside ``<script>`` (plotly.js mentions map-tile servers
    it never calls for these figures); the browser tests check the requests really made.
    """
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S | re.I)
    found = [f"<{m['tag']} {m['attr']}={m['url']}>" for m in _LOAD_RE.finditer(markup) if m["tag"].lower() != "a"]
    found += re.findall(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", markup, re.I)
    found += re.findall(r"""@import\s+["']((?:https?:)?//[^"']+)""", markup, re.I)
    return found
