"""The lite site's stored outputs (issue 17): what the build keeps of a notebook's run, and how it runs and caches it.

``sciatica_edu.lite.outputs`` runs each notebook once at build time with the browser's figure renderer and stores
what a reader can see before the browser's kernel has started. The browser side (the stored figure drawn, then
replaced when the page runs) is in tests/browser/test_lite.py.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from sciatica_edu import browser, lite
from sciatica_edu.facts import locales
from sciatica_edu.lite import outputs

FIG = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {"height": 300}}


def _nb(*cells: dict) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


def _code(source: str, outs: list[dict] | None = None) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {}, "execution_count": 3 if outs else None,
            "outputs": outs or []}


def _display(data: dict, kind: str = "display_data") -> dict:
    out = {"output_type": kind, "data": data, "metadata": {}}
    if kind == "execute_result":
        out["execution_count"] = 3
    return out


def _ran_and_site():
    figure = browser.figure_html(FIG, lazy=True)
    ran = _nb(
        {"cell_type": "markdown", "source": "# Title", "metadata": {}},
        _code("fig", [_display({"text/html": figure, "text/plain": "Figure(...)"}, "execute_result")]),
        _code("Markdown(x)", [_display({"text/markdown": "**bold**", "text/plain": "<Markdown>"}, "execute_result")]),
        _code("explore()", [_display({"application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                                      "text/plain": "VBox(...)"})]),
        _code("print(1); warn()", [{"output_type": "stream", "name": "stdout", "text": "1\n"},
                                   {"output_type": "stream", "name": "stderr", "text": "DeprecationWarning\n"}]),
        _code("import os"),
        _code("fig2", [_display({"text/html": browser.figure_html(FIG, lazy=True)})]),
    )
    site = json.loads(json.dumps(ran))
    for cell in site["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell["source"] = cell["source"].splitlines(keepends=True)  # as a notebook file stores it
    return ran, site


def test_store_keeps_what_needs_no_kernel_and_trusts_only_those_cells():
    ran, site = _ran_and_site()
    before = json.dumps(site)
    nb, count = outputs.store(site, ran, "03")
    assert json.dumps(site) == before, "store must not change the notebook it was given"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert count == 5
    assert [bool(c["outputs"]) for c in code] == [True, True, True, True, False, True]
    assert [c.get("metadata", {}).get("trusted", False) for c in code] == [True, True, True, True, False, True]
    assert all(c["execution_count"] is None for c in code)

    figure = code[0]["outputs"][0]["data"]
    assert list(figure) == ["text/html"], "only the HTML a browser draws, not plotly's text"
    html = figure["text/html"]
    assert not outputs.FIGURE_ID.search(html), "the kernel's random id must be replaced"
    ids = set(re.findall(r"sciatica-stored-03-\d+", html))
    assert len(ids) == 1 and f'<div id="{ids.pop()}"' in html, "the div and its script must name the same fixed id"
    assert code[1]["outputs"][0]["data"] == {"text/markdown": "**bold**"}
    assert code[2]["outputs"] == [{"output_type": "display_data", "data": {"text/html": outputs.CONTROLS_NOTE},
                                   "metadata": {}}]
    assert code[3]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "1\n"}], "stderr is not stored"
    second = re.findall(r"sciatica-stored-03-\d+", code[5]["outputs"][0]["data"]["text/html"])
    first = re.findall(r"sciatica-stored-03-\d+", html)
    assert set(second).isdisjoint(first), "two stored figures on one page must not share an id"


def test_the_session_notebook_says_its_controls_come_by_themselves():
    """In the site the session notebook runs itself (lite.AUTORUN_SESSION): its note says so, and still names the
    menu should they not come; the other notebooks' note sends the reader to the menu."""
    ran, site = _ran_and_site()
    nb, _ = outputs.store(site, ran, "10", outputs.SESSION_CONTROLS_NOTE)
    notes = [o["data"]["text/html"] for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
             if "sciatica-stored-note" in o.get("data", {}).get("text/html", "")]
    assert notes == [outputs.SESSION_CONTROLS_NOTE]
    assert "by themselves" in notes[0] and "Run All Cells" in notes[0]
    assert "by themselves" not in outputs.CONTROLS_NOTE and "Run All Cells" in outputs.CONTROLS_NOTE


def test_store_is_reproducible_although_the_kernel_ids_are_random():
    ran1, site = _ran_and_site()
    ran2, _ = _ran_and_site()
    assert json.dumps(ran1) != json.dumps(ran2), "figure_html should give each figure a random id"
    assert json.dumps(outputs.store(site, ran1, "03")) == json.dumps(outputs.store(site, ran2, "03"))


def test_store_refuses_a_run_of_another_notebook_and_an_error_output():
    ran, site = _ran_and_site()
    site["cells"][1]["source"] = "something else"
    with pytest.raises(lite.LiteBuildError, match="code cells differ"):
        outputs.store(site, ran, "03")
    ran, site = _ran_and_site()
    ran["cells"][5]["outputs"] = [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                                   "traceback": []}]
    with pytest.raises(lite.LiteBuildError, match="03: a cell raised ZeroDivisionError"):
        outputs.store(site, ran, "03")


def test_figure_html_can_wait_until_it_is_near_the_screen():
    eager, lazy = browser.figure_html(FIG), browser.figure_html(FIG, lazy=True)
    assert "if (false && gd && w.IntersectionObserver)" in eager
    assert "if (true && gd && w.IntersectionObserver)" in lazy and "rootMargin" in lazy


def _write(path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_run_uses_the_browser_renderer_and_the_default_locale(tmp_path, monkeypatch):
    """A real kernel: a plain figure comes out as the browser's lazy HTML, and the run ignores the builder's
    locale setting (the browser kernel has none, so it uses the data's default)."""
    monkeypatch.setenv(locales.LOCALE_ENV, "us")
    path = _write(tmp_path / "03-page.ipynb",
                  "import plotly.graph_objects as go\ngo.Figure(go.Scatter(x=[1], y=[2]))",
                  "import os\nprint(os.environ.get('SCIATICA_EDU_LOCALE'), os.getcwd())")
    ran = outputs.run(path)
    code = [c for c in ran["cells"] if c["cell_type"] == "code"]
    assert len(code) == 2, "the prelude cell must be removed again"
    html = code[0]["outputs"][0]["data"]["text/html"]
    assert "sciatica-lite-figure" in html and "if (true && gd" in html
    assert code[1]["outputs"][0]["text"] == f"None {tmp_path}\n"


def test_run_fails_the_build_naming_the_notebook(tmp_path):
    path = _write(tmp_path / "05-broken.ipynb", "x = 1", "1 / 0")
    with pytest.raises(lite.LiteBuildError, match=r"05-broken\.ipynb failed to run.*ZeroDivisionError"):
        outputs.run(path)


def test_with_outputs_runs_once_per_notebook_and_kit(tmp_path, monkeypatch):
    ran, site = _ran_and_site()
    calls = []
    monkeypatch.setattr(outputs, "run", lambda path: calls.append(path) or ran)
    page = tmp_path / "03-page.ipynb"
    page.write_text("notebook v1")
    kit = tmp_path / "kit.whl"
    kit.write_bytes(b"kit v1")
    logged: list[str] = []
    first = outputs.with_outputs(site, page, kit, tmp_path / "cache", logged.append)
    again = outputs.with_outputs(site, page, kit, tmp_path / "cache", logged.append)
    assert calls == [page] and first == again
    assert logged == ["03-page.ipynb: stored outputs in 5 cells",
                      "03-page.ipynb: stored outputs in 5 cells (cached run)"]
    kit.write_bytes(b"kit v2")  # the kit's code or data changed: run again
    outputs.with_outputs(site, page, kit, tmp_path / "cache", logged.append)
    page.write_text("notebook v2")
    outputs.with_outputs(site, page, kit, tmp_path / "cache", logged.append)
    assert calls == [page, page, page]
