"""Stored outputs: the site's notebooks open with their pictures already drawn, before the kernel has started.

In the browser the kernel (Pyodide) needs 5-7 s on a later visit, and 10-12 s on a first one, before it can run a
cell (docs/lite.md). Until then a notebook without outputs shows only its text and code. So the build runs each
notebook once, here, in a normal Python kernel with the browser's figure renderer (``browser.setup``: plain
figures as HTML drawn by the site's own plotly.js, as the browser kernel sends them, except that a stored figure
is drawn only when it comes near the screen: seven figures drawn at once held JupyterLab and the kernel back by
about 2 s), and stores what a reader can see without a kernel in the site's copy:

* plain figures (``text/html`` from :func:`sciatica_edu.browser.figure_html`), Markdown and plain-text results,
  and printed text (stdout). Each figure's random element id becomes a fixed one (``sciatica-stored-03-1``), so
  two builds give the same bytes and a stored figure never shares an id with one the kernel draws later;
* in place of a widget (the explorer, the session's controls), a short note that its controls appear once the
  page runs: a widget needs the kernel, and a stored widget would only say "model not found";
* nothing from stderr (warnings at build time are not for readers).

Cells given outputs are marked ``trusted`` in their metadata: JupyterLab runs the scripts of trusted outputs
only, and a figure's script is what draws it. They are the build's own outputs, made from the kit's code and
data; nothing a user types is ever marked. Running a cell replaces its stored output, as in any notebook.

Outputs are in the data's default locale, the one the browser kernel uses (the kernel runs here with
``$SCIATICA_EDU_LOCALE`` removed). A notebook that fails to run fails the build, naming the notebook and the
cell. Runs are cached in ``<cache>/outputs/`` by the sha256 of the notebook and of the kit's wheel (its code and
data), so an unchanged rebuild does not run them again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from pathlib import Path

from sciatica_edu.lite.config import LiteBuildError, Log

#: Bump when what is stored changes, so cached runs are not reused.
STORED_VERSION = "3"
#: Output types kept for a display or a result (the richest first); anything else needs a kernel or a renderer
#: the site leaves out (plotly's own mime type: plain figures come as ``text/html`` here).
KEPT_MIME = ("text/html", "text/markdown", "text/plain")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: The kernel's random figure ids (browser.figure_html).
FIGURE_ID = re.compile(r"sciatica-lite-[0-9a-f]{12}")


def _note(html: str) -> str:
    return ('<p class="sciatica-stored-note" style="margin:0.5em 0;padding:0.6em 0.9em;border-left:4px solid #1f5f99;'
            f'background:#eef4fa;color:#1a1a1a">{html}</p>')


#: Shown where a widget will be once the page runs.
CONTROLS_NOTE = _note(
    "<strong>The buttons and sliders for this part appear when the page runs.</strong> Use the menu "
    "<strong>Run</strong>, then <strong>Run All Cells</strong>. The first time takes a few seconds."
)
#: The same place in the session notebook, which runs itself in the site (site.AUTORUN_SESSION).
SESSION_CONTROLS_NOTE = _note(
    "<strong>The buttons for this session appear here by themselves once the page has started.</strong> The first "
    "time takes a few seconds. If nothing appears after a minute, use the menu <strong>Run</strong>, then "
    "<strong>Run All Cells</strong>."
)
#: The kernel's first cell (removed again): plain figures as the browser kernel draws them.
PRELUDE = "import sciatica_edu.browser as _browser\n_browser.setup(lazy=True)\ndel _browser\n"
_PRELUDE_TAG = "sciatica-lite-prelude"


def store(lite_nb: dict, ran: dict, stem: str, note: str = CONTROLS_NOTE) -> tuple[dict, int]:
    """``lite_nb`` with the kernel-free outputs of ``ran`` (the same notebook, executed) stored in its code cells;
    returns (notebook, number of cells given outputs). ``stem`` names the notebook in the figures' fixed ids;
    ``note`` stands where a widget was."""
    cells = [c for c in lite_nb.get("cells", []) if c.get("cell_type") == "code"]
    done = [c for c in ran.get("cells", []) if c.get("cell_type") == "code"]
    if [_text(c.get("source", "")) for c in cells] != [_text(c.get("source", "")) for c in done]:
        raise LiteBuildError(f"{stem}: the executed notebook's code cells differ from the site's copy")
    out = json.loads(json.dumps(lite_nb))
    counter = itertools.count(1)
    stored = 0
    for cell, ran_cell in zip((c for c in out["cells"] if c.get("cell_type") == "code"), done, strict=True):
        kept = []
        for output in ran_cell.get("outputs", []):
            kept.extend(_kept(output, stem, counter, note))
        cell["outputs"] = kept
        cell["execution_count"] = None
        if kept:
            cell.setdefault("metadata", {})["trusted"] = True
            stored += 1
    return out, stored


def _kept(output: dict, stem: str, counter, note: str) -> list[dict]:
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") != "stdout":
            return []
        return [{"output_type": "stream", "name": "stdout", "text": _text(output.get("text", ""))}]
    if kind == "error":
        raise LiteBuildError(f"{stem}: a cell raised {output.get('ename')}: {output.get('evalue')}")
    if kind not in ("display_data", "execute_result"):
        return []
    data = output.get("data", {})
    if WIDGET_MIME in data:
        return [{"output_type": "display_data", "data": {"text/html": note}, "metadata": {}}]
    for mime in KEPT_MIME:
        if mime in data:
            text = _text(data[mime])
            if mime == "text/html":
                fixed: dict[str, str] = {}  # one fixed id per random one (the div and its script both name it)
                text = FIGURE_ID.sub(
                    lambda m, fixed=fixed: fixed.setdefault(m.group(0), f"sciatica-stored-{stem}-{next(counter)}"), text
                )
            return [{"output_type": "display_data", "data": {mime: text}, "metadata": {}}]
    return []


def _text(value) -> str:
    """A notebook text field as one string (the format allows a list of lines)."""
    return "".join(value) if isinstance(value, list) else str(value)


def run(path: Path, *, timeout: int = 300) -> dict:
    """Notebook ``path`` executed top to bottom in a fresh ``python3`` kernel (working folder: its own), with the
    browser's renderer for plain figures and the data's default locale; returns the notebook as a dict."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    from sciatica_edu.facts import locales
    from sciatica_edu.pages import nbrun

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE, metadata={"tags": [_PRELUDE_TAG]}))
    env = {k: v for k, v in os.environ.items() if k != locales.LOCALE_ENV}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    client = nbrun.client_class()(nb, timeout=timeout, kernel_name="python3",
                                  resources={"metadata": {"path": str(path.parent)}}, store_widget_state=False,
                                  record_timing=False, shutdown_kernel="immediate")
    try:
        client.execute(env=env, cwd=str(path.parent))
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()
        raise LiteBuildError(f"{path.name} failed to run for its stored outputs: {first[-1] if first else exc}") \
            from None
    nb.cells.pop(0)
    return json.loads(json.dumps(nb))  # plain dicts, each text one string (nbformat.writes splits lines)


def cache_key(path: Path, kit: Path) -> str:
    """The cached run's name: the sha256 of the notebook, the kit's wheel and :data:`STORED_VERSION`."""
    digest = hashlib.sha256(STORED_VERSION.encode())
    for part in (path, kit):
        digest.update(hashlib.sha256(Path(part).read_bytes()).digest())
    return digest.hexdigest()[:24]


def with_outputs(lite_nb: dict, path: Path, kit: Path, cache: Path, log: Log, note: str = CONTROLS_NOTE) -> dict:
    """``lite_nb`` (the site's copy of notebook ``path``) with its stored outputs (``note`` where a widget was);
    runs the notebook unless a run for the same notebook and kit is cached."""
    cached = Path(cache) / "outputs" / f"{path.stem}-{cache_key(path, kit)}.json"
    was_cached = cached.exists()
    if was_cached:
        ran = json.loads(cached.read_text(encoding="utf-8"))
    else:
        ran = run(path)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps(ran), encoding="utf-8")
        tmp.replace(cached)
    nb, count = store(lite_nb, ran, path.stem[:2] if path.stem[:2].isdigit() else path.stem, note)
    log(f"{path.name}: stored outputs in {count} cells{' (cached run)' if was_cached else ''}")
    return nb
