"""Notebooks run once per ``make test`` (issue 16 item 6): nbval runs them in the export's mode (``--export-mode``,
the repository's conftest.py), keeps each run, and the export reuses a kept run only while it is of the current code.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sciatica_edu.pages import export, prelude, runs

REPO = Path(__file__).resolve().parent.parent
WIDGET = "application/vnd.jupyter.widget-view+json"
#: Ids a page draws at random (plotly's div ids, the fit wrapper's ids): not part of what the page shows.
RANDOM_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[0-9a-f]{12}")


def _notebook(*code: str, audience: str = "student") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["sciatica_edu"] = {"audience": audience}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A page\n\nTime to read: ~2 min")]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in code]
    return nb


def _kept(nb: nbformat.NotebookNode, text: str, stamp: dict) -> nbformat.NotebookNode:
    """``nb`` as if it had been run elsewhere: each code cell printed ``text``."""
    run = nbformat.from_dict(json.loads(json.dumps(nb)))
    for n, cell in enumerate(c for c in run.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = n + 1
    run.metadata[runs.RUN_KEY] = stamp
    return run


def test_a_kept_run_is_used_only_while_it_is_of_the_current_code_locale_and_kit(tmp_path):
    nbs, kept = tmp_path / "notebooks", tmp_path / "executed"
    nbs.mkdir(), kept.mkdir()
    nb = _notebook("print('ran in', 'the export')")  # its output is not its source (a student page shows code)
    nbformat.write(nb, str(nbs / "01-page.ipynb"))
    stamp = runs.run_stamp(nb)
    nbformat.write(_kept(nb, "from the kept run\n", stamp), str(kept / "01-page.ipynb"))

    lines: list[str] = []
    export.export_site(nbs, tmp_path / "a", timeout=120, executed=kept, log=lines.append)
    page = (tmp_path / "a" / "01-page.html").read_text()
    assert "from the kept run" in page and "ran in the export" not in page
    assert "its run in the executed folder" in lines[0]

    for name, other in [("locale", "us" if stamp["locale"] != "us" else "uk"), ("kit", "0" * 64),
                        ("notes", ["another note", None, "x"])]:
        nbformat.write(_kept(nb, "from the kept run\n", {**stamp, name: other}), str(kept / "01-page.ipynb"))
        lines.clear()
        export.export_site(nbs, tmp_path / name, timeout=120, executed=kept, log=lines.append)
        page = (tmp_path / name / "01-page.html").read_text()
        assert "ran in the export" in page and "from the kept run" not in page, name
        assert "(ran;" in lines[0], name

    changed = _notebook("print('ran in', 'the export,', 'changed')")  # the notebook was edited after the kept run
    nbformat.write(changed, str(nbs / "01-page.ipynb"))
    nbformat.write(_kept(nb, "from the kept run\n", stamp), str(kept / "01-page.ipynb"))
    export.export_site(nbs, tmp_path / "b", timeout=120, executed=kept)
    page = (tmp_path / "b" / "01-page.html").read_text()
    assert "ran in the export, changed" in page and "from the kept run" not in page


def test_the_kit_digest_follows_the_data(tmp_path, monkeypatch):
    """A kept run made with other facts is not reused: the stamp's digest covers the data folder."""
    from sciatica_edu.facts import loader

    before = runs.run_stamp(_notebook("1"))["kit"]
    data = tmp_path / "data"
    shutil.copytree(loader.data_dir(), data)
    monkeypatch.setenv(loader.DATA_ENV, str(data))
    loader.data_dir.cache_clear()
    try:
        assert runs.run_stamp(_notebook("1"))["kit"] == before  # a copy of the same facts: the same digest
        (data / "vocabulary.yaml").write_text((data / "vocabulary.yaml").read_text() + "\n# changed\n")
        assert runs.run_stamp(_notebook("1"))["kit"] != before
    finally:
        monkeypatch.delenv(loader.DATA_ENV)
        loader.data_dir.cache_clear()
    assert runs.run_stamp(_notebook("1"))["kit"] == before


def test_the_export_kernel_refuses_to_start_without_its_notes(monkeypatch):
    monkeypatch.delenv(prelude.PRELUDE_ENV, raising=False)
    with pytest.raises(RuntimeError, match="SCIATICA_EDU_EXPORT_PRELUDE is not set"):
        prelude.install_from_env()
    monkeypatch.setenv(prelude.PRELUDE_ENV, '["only one"]')
    with pytest.raises(ValueError, match="must be a JSON list"):
        prelude.install_from_env()


def test_the_kernel_spec_starts_this_python_with_the_hook(tmp_path):
    spec = json.loads((runs.write_kernel_spec(tmp_path) / "kernel.json").read_text())
    assert spec["argv"][:3] == [sys.executable, "-m", "sciatica_edu.pages.kernel"]
    assert "{connection_file}" in spec["argv"]


def _nbval(folder: Path, executed: Path) -> subprocess.CompletedProcess:
    """``pytest --export-mode --nbval-lax`` on ``folder`` as ``make test`` runs it (the plugin is the repository's
    conftest.py, loaded with -p because ``folder`` lies outside the repository)."""
    cmd = [sys.executable, "-m", "pytest", "-p", "conftest", "--export-mode", "--nbval-lax", "--nbval-cell-timeout=120",
           "-p", "no:cacheprovider", "-q", "--executed-dir", str(executed), str(folder)]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_nbval_in_export_mode_keeps_runs_the_export_renders_as_if_it_had_run_them(tmp_path):
    nbs, kept = tmp_path / "notebooks", tmp_path / "executed"
    nbs.mkdir()
    good = _notebook(
        "import ipywidgets as w, plotly.graph_objects as go\n"
        "fw = go.FigureWidget(data=[go.Bar(x=['a'], y=[1], name='kept-trace')])\n"
        "w.VBox([w.Dropdown(options=['x', 'y']), fw])",
        "# NBVAL_CHECK_OUTPUT\nprint(6 * 7)",
        "from IPython.display import Markdown\nMarkdown('a *result*')",
    )
    good.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    good.cells[2].execution_count = 2
    nbformat.write(good, str(nbs / "01-good.ipynb"))
    wrong = _notebook("# NBVAL_CHECK_OUTPUT\nprint(6 * 7)")
    wrong.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="41\n")]
    wrong.cells[1].execution_count = 1
    nbformat.write(wrong, str(nbs / "02-wrong.ipynb"))
    kept.mkdir()
    (kept / "02-wrong.ipynb").write_text("an earlier run")  # must not outlive a failing run

    done = _nbval(nbs, kept)
    assert done.returncode == 1, done.stdout + done.stderr  # the output check still fails in export mode
    assert "02-wrong.ipynb::Cell 0" in done.stdout and "Cell outputs differ" in done.stdout
    assert sorted(p.name for p in kept.iterdir()) == ["01-good.ipynb"]

    run = nbformat.read(str(kept / "01-good.ipynb"), as_version=4)
    assert run.metadata[runs.RUN_KEY] == runs.run_stamp(good)
    first, printed, result = (c for c in run.cells if c.cell_type == "code")
    kinds = [list(o.get("data", {})) for o in first.outputs]
    assert not any(WIDGET in k for k in kinds) and "kept-trace" in json.dumps(first.outputs)  # the export's hook ran
    assert printed.outputs[0].text == "42\n" and [printed.execution_count, result.execution_count] == [2, 3]
    assert result.outputs[0].execution_count == 3

    lines: list[str] = []
    export.export_site(nbs, tmp_path / "reused", timeout=120, executed=kept, log=lines.append)
    assert "its run in the executed folder" in lines[0] and "(ran;" in lines[1]
    export.export_site(nbs, tmp_path / "ran", timeout=120)
    reused, ran = ((tmp_path / d / "01-good.html").read_text() for d in ("reused", "ran"))
    assert RANDOM_ID.sub("#", reused) == RANDOM_ID.sub("#", ran)


def test_the_cli_refuses_an_executed_folder_that_is_not_one(capsys, tmp_path):
    from sciatica_edu import cli

    code = cli.main(["export", "--out", str(tmp_path / "site"), "--notebooks", str(REPO / "notebooks"),
                     "--executed", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert code == 2 and "--executed" in err and "is not a folder" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists()
