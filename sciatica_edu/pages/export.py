"""Course export: run every notebook and write it as a static HTML page, plus an index page.

Offline by construction: no RequireJS, MathJax, Mermaid or widget manager from a CDN (the
``export.html.j2`` template drops them); plotly.js (basic bundle) is written once to ``static/plotly-basic.min.js``
and loaded by a relative ``<script src>``. Live widgets cannot work without a kernel, so the
kernel that runs the notebook shows figures as static plotly figures (they still zoom and show
labels): a display hook turns any ``FigureWidget`` (alone or inside a box of controls) into a
static figure; a body diagram from ``sciatica_edu.widgets`` becomes ``figures.static.static_figure``, whose
plotly-native menu and slider switch scenarios with no kernel (the ``_sciatica_edu_static`` hook); shown
with its words, those follow the menu and slider too (``static_html``, the ``_sciatica_edu_static_html``
hook). Controls are replaced by a note. The hook is ``pages/prelude.py``, run as the kernel's hidden first cell.

Runs made elsewhere in the same mode can stand in for running a notebook again (``executed=``, ``pages/runs.py``):
``make test`` runs every notebook once under nbval with the export's kernel and keeps each run with a stamp; a run
whose stamp differs from what this export would run is ignored, and the notebook runs here as usual.
"""

from __future__ import annotations

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
from sciatica_edu.figures.plotlyjs import plotly_js
from sciatica_edu.notebook_tools import notebook_paths
from sciatica_edu.pages import citemarks, site_css

__all__ = [
    "NOTEBOOK_ONLY_TAG",
    "PATIENT_AUDIENCES",
    "ExportError",
    "drop_notebook_only",
    "export_notebook",
    "export_site",
    "external_loads",
    "is_patient_page",
    "notebook_paths",
    "notes",
    "number_citations",
    "page_name",
    "patient_page",
    "static_outputs",
]

PLOTLY_JS = "static/plotly-basic.min.js"
_PRELUDE_TAG = "sciatica-edu-export-prelude"
_CONTROLS_NOTE = (
    '<p class="sciatica-edu-controls-note"><em>The controls here need a running notebook. '
    "Open this notebook in JupyterLab to use them.</em></p>"
)
#: Audiences whose pages a patient reads: the patient notebooks (00-06) and the clinician's session (10), which is
#: shown to a patient. Their exported pages show no code, no notebook-only cells and plain-words notes.
PATIENT_AUDIENCES = ("patient", "clinician")
#: Cell tag: the cell is for JupyterLab readers only (e.g. "Run All Cells"); the export leaves it out.
NOTEBOOK_ONLY_TAG = "notebook-only"
_NOTEBOOK_ONLY_SPAN = re.compile(r"[ \t]*<!--\s*notebook-only\s*-->.*?<!--\s*/notebook-only\s*-->[ \t]*\n?", re.S)
#: Markdown for the exported page only, in a comment Lab does not show: ``<!-- export-only`` newline, the text, ``-->``.
_EXPORT_ONLY_SPAN = re.compile(r"<!--\s*export-only[ \t]*\n(?P<text>.*?)\n?-->", re.S)
# On a patient page the note says what works there (the figure's own menu and slider), never "JupyterLab"; nor
# what only a live session does ("Your clinician can change this picture in the session." read as meant for the
# clinician on a page the patient takes home: PEMAT-P item 2, docs/pemat.md). Both audiences get the menu sentence.
_PATIENT_NOTES = {
    "patient": "",
    "clinician": "",
}
_MENU_SENTENCE = "On this page, choose an example from the menu above the picture, and move the How strong slider."

# Runs first in the export kernel (then removed from the page): figures become static HTML (pages/prelude.py).
_PRELUDE = """from sciatica_edu.pages import prelude as _sciatica_edu_prelude
_sciatica_edu_prelude.install(*__NOTES__)
del _sciatica_edu_prelude
"""


def _audience(nb: nbformat.NotebookNode) -> str:
    return str(nb.metadata.get("sciatica_edu", {}).get("audience", ""))


def is_patient_page(nb: nbformat.NotebookNode) -> bool:
    """True for a page a patient reads (audience ``patient`` or ``clinician``, see ``PATIENT_AUDIENCES``)."""
    return _audience(nb) in PATIENT_AUDIENCES


def notes(nb: nbformat.NotebookNode) -> tuple[str, str | None, str]:
    """The prelude's notes for the page's readers: the controls note, the patient note (None off patient pages), the
    menu sentence."""
    patient_note = _PATIENT_NOTES.get(_audience(nb)) if is_patient_page(nb) else None
    return (_CONTROLS_NOTE, patient_note, _MENU_SENTENCE)


def _prelude(nb: nbformat.NotebookNode) -> str:
    """The export kernel's first cell, with the notes that suit the page's readers."""
    return _PRELUDE.replace("__NOTES__", repr(notes(nb)))


# The pages' stylesheet (reading column, notes, warning boxes) is pages/site_css.py; the name stays for callers.
_SITE_CSS = site_css.SITE_CSS


class ExportError(RuntimeError):
    """Some notebooks failed to run; the others were exported."""


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
            match = re.search(r"Time to read:\s*(?:~|about)?\s*(\d+)\s*min", cell.source)
            if match:
                return f"about {match.group(1)} minutes"
    return ""


def execute(
    nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 300, locale: str | None = None
) -> nbformat.NotebookNode:
    """Run ``nb`` in a fresh kernel (working folder ``cwd``) with static figures; no widget state kept.

    ``locale`` (uk, us, intl) is the country whose advice the page gives: the red-flag box and checklist are
    rewritten for it and the kernel's figures and words use it."""
    from sciatica_edu import notebook_tools
    from sciatica_edu.facts import locales

    locale = locales.resolve(locale)
    notebook_tools.localize(nb, locale)
    from sciatica_edu.pages import nbrun

    keep = _caller_signal_handlers()

    class _Client(nbrun.client_class()):
        async def async_start_new_kernel(self, **kwargs) -> None:
            # nbclient has just put its own SIGINT/SIGTERM handlers on the event loop; they only schedule a
            # clean-up and let the notebook run on (Ctrl+C was ignored, SIGTERM too). Give the caller's back,
            # before the kernel starts, so a signal stops the export at once (see cli.run_stoppable).
            for sig, handler in keep.items():
                signal.signal(sig, handler)
            await super().async_start_new_kernel(**kwargs)

    prelude = nbformat.v4.new_code_cell(_prelude(nb), metadata={"tags": [_PRELUDE_TAG]})
    nb.cells.insert(0, prelude)
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", locales.LOCALE_ENV: locale}
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


def static_outputs(nb: nbformat.NotebookNode, *, patient: bool = False) -> nbformat.NotebookNode:
    """Replace outputs that are only live widgets (no kernel to drive them) by a short note; on a patient page
    (``patient``) leave them out: a patient cannot open the notebook, so the note would only confuse."""
    widget = "application/vnd.jupyter.widget-view+json"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if widget in data:
                if patient:
                    continue
                out["data"] = {"text/html": _CONTROLS_NOTE}
            kept.append(out)
        cell["outputs"] = kept
    nb.metadata.pop("widgets", None)
    return nb


def drop_notebook_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Leave out what only makes sense in JupyterLab ("Run All Cells", "Press **Make handout** above"): cells
    tagged ``notebook-only``, and Markdown between ``<!-- notebook-only -->`` and ``<!-- /notebook-only -->``
    (for a sentence inside a cell; both comments are invisible in Lab). Its stand-in for the static page, if it
    needs one, is a comment ``<!-- export-only`` (newline) text ``-->``, which Lab hides and the export shows
    (03: "You can change four things" in Lab; what the static page's menu and slider change, exported)."""
    nb.cells = [c for c in nb.cells if NOTEBOOK_ONLY_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _NOTEBOOK_ONLY_SPAN.search(cell.source):
            cell.source = _NOTEBOOK_ONLY_SPAN.sub("", cell.source)
        if cell.cell_type == "markdown" and _EXPORT_ONLY_SPAN.search(cell.source):
            cell.source = _EXPORT_ONLY_SPAN.sub(lambda m: m.group("text"), cell.source)
    return nb


def _cite_links(ids: list[str], number: dict[str, int]) -> list[str]:
    pairs = sorted((number[i], i) for i in ids)
    return [f'<a href="#src-{i}">{n}</a>' for n, i in pairs]


def _note(links: list[str], before: str) -> str:
    """A note (``citemarks.mark``), parted from a digit just before it (a number, a spine level) by ``GAP``."""
    gap = citemarks.GAP if re.search(r"\d(?:\*\*|\*|_)*$", before) else ""
    return gap + citemarks.mark(links)


def number_citations(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Citations as small numbered notes: ``… weeks [S11, S80].`` becomes ``… weeks [1, 2].`` (a raised, bracketed
    ``<sup class="cite">`` whose numbers ascend and link to ``#src-S11`` …; after a digit such as "L5" a narrow
    no-break space first: ``citemarks``), numbered in the order of the notebook's Sources list, which becomes a
    numbered list with an ``id="src-S11"`` anchor on each item. ``Sources: [S12, S13]`` (a box's own line) becomes
    ``Sources: 1, 2``.

    Only the exported page changes: the notebook keeps its ``[S..]`` form (the tests parse it). A group naming an id
    the Sources list does not hold is left as written, so a missing source shows instead of vanishing."""
    from sciatica_edu import notebook_tools as nt

    order = nt.listed_ids(nb)
    number = {ref_id: n for n, ref_id in enumerate(order, start=1)}

    def rewrite(match: re.Match[str]) -> str:
        ids = re.findall(r"S\d+[a-z]?", match.group("ids"))
        if not ids or any(i not in number for i in ids):
            return match.group(0)
        links = _cite_links(list(dict.fromkeys(ids)), number)
        if match.group("label"):
            return match.group("label") + ", ".join(links)
        return _note(links, match.string[: match.start()])

    cite = re.compile(r"(?P<label>Sources?:\s*)?\s*\[(?P<ids>S\d+[a-z]?(?:\s*,\s*S\d+[a-z]?)*)\]")
    item = re.compile(r"^(\s*)[-*]\s+\*\*\[(S\d+[a-z]?)\]\*\*\s*", re.M)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if re.search(r"^## Sources\s*$", cell.source, re.M):
            head, body = cell.source.split("## Sources", 1)
            body = item.sub(lambda m: f'{m.group(1)}{number[m.group(2)]}. <span id="src-{m.group(2)}"></span>', body)
            cell.source = head + "## Sources" + body
        else:
            cell.source = cite.sub(rewrite, cell.source)
    return nb


def patient_page(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An executed notebook made ready for a patient: numbered citations, and no code cell that shows nothing
    (the exporter for patient pages hides every cell's code and prompts)."""
    nb = number_citations(nb)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")]
    return nb


def _exporter(patient: bool = False):
    """nbconvert's lab HTML exporter with this kit's template; for patient pages, with no code and no prompts."""
    from nbconvert import HTMLExporter

    templates = resources.files("sciatica_edu") / "templates"
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(templates)],
        template_file="export.html.j2",
        exclude_anchor_links=True,
        exclude_input=patient,
        exclude_input_prompt=patient,
        exclude_output_prompt=patient,
    )
    return exporter


def _relink(html: str) -> str:
    """Links between notebooks point at the exported pages (``NN-name.ipynb`` -> ``NN-name.html``)."""
    return re.sub(r'href="(\d\d-[a-z0-9-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m[1]}.html{m[2] or ""}"', html)


def export_notebook(
    path: Path,
    *,
    timeout: int = 300,
    exporter=None,
    patient_exporter=None,
    locale: str | None = None,
    executed: Path | None = None,
) -> tuple[str, nbformat.NotebookNode]:
    """Execute one notebook and return its static HTML page (for one locale) and the executed notebook.

    Cells tagged ``notebook-only`` are left out. A patient page (``is_patient_page``) is written by
    ``patient_exporter`` (no code, no prompts) with numbered citations; other pages by ``exporter``.
    ``executed``: a folder of runs made in the export's mode (``reusable_run``); the notebook's run there is used
    instead of running it, if it ran exactly this notebook's code. The returned notebook's metadata says which
    (``runs.RUN_KEY``: ``"reused"`` or ``"ran"``)."""
    from sciatica_edu import __version__
    from sciatica_edu.facts import advice, locales
    from sciatica_edu.notebook_tools import localize

    nb = drop_notebook_only(nbformat.read(str(path), as_version=4))
    patient = is_patient_page(nb)
    from sciatica_edu.pages import runs

    reused = None
    if executed is not None:
        localize(nb, locales.resolve(locale))  # as execute() does, so the stamp is of the code that would run
        reused = runs.reusable_run(nb, Path(executed) / Path(path).name, locale)
    nb = reused if reused is not None else execute(nb, Path(path).parent, timeout=timeout, locale=locale)
    nb.metadata[runs.RUN_KEY] = "reused" if reused is not None else "ran"
    nb = static_outputs(nb, patient=patient)
    if patient:
        nb = patient_page(nb)
        exporter = patient_exporter or _exporter(patient=True)
    else:
        exporter = exporter or _exporter()
    html, _ = exporter.from_notebook_node(
        nb,
        resources={
            "metadata": {"name": _title(nb, Path(path).stem)},
            "sciatica_edu": {
                "plotly_js": PLOTLY_JS,
                "site_css": _SITE_CSS + (site_css.PATIENT_CSS if patient else ""),
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
<p class="note">General information for teaching, not medical advice. These pages were made once and saved:
the pictures still zoom, show labels and change with their own menus and sliders. They work with no internet.</p>
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
    executed: Path | None = None,
) -> list[Path]:
    """Execute every notebook in ``notebooks_dir``; write one page each (one locale's advice), ``index.html``
    and plotly.js. ``executed``: a folder of runs to reuse where they match (see ``export_notebook``)."""
    from sciatica_edu.pages import runs

    log = log or (lambda _line: None)
    out_dir = Path(out_dir)
    (out_dir / "static").mkdir(parents=True, exist_ok=True)
    _write(out_dir / PLOTLY_JS, plotly_js())
    exporter, patient_exporter = _exporter(), _exporter(patient=True)
    pages: list[Path] = []
    entries: list[dict[str, str]] = []
    failures: list[str] = []
    for path in notebook_paths(notebooks_dir):
        start = time.perf_counter()
        try:
            html, nb = export_notebook(
                path, timeout=timeout, exporter=exporter, patient_exporter=patient_exporter, locale=locale,
                executed=executed,
            )
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
        how = "its run in the executed folder" if nb.metadata.get(runs.RUN_KEY) == "reused" else "ran"
        log(f"{path.name} -> {page.name} ({how}; {time.perf_counter() - start:.1f} s, {len(html) / 1e3:.0f} kB)")
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
