"""``--export-mode``: nbval runs each notebook in the course export's mode and keeps each run for the export tests.

``make test`` runs ``pytest --export-mode --nbval-lax ... notebooks`` first, then ``pytest`` (tests/), whose
``exported_site`` fixture exports the notebooks from these runs (``runs.reusable_run``) instead of running all 11
again (issue 16 item 6: the notebooks run once per ``make test``).

- The kernel: nbval's own ``--nbval-kernel-name`` option, set here to ``runs.EXPORT_KERNEL``, a kernel spec written
  into a temporary Jupyter folder put first on ``$JUPYTER_PATH``. That kernel (``sciatica_edu/pages/kernel.py``)
  installs the export's display hook before the first cell, with the page's notes from ``$SCIATICA_EDU_EXPORT_PRELUDE``,
  set here before each notebook's kernel starts. nbval still checks that every cell runs and that cells marked
  ``NBVAL_CHECK_OUTPUT`` show what they show in the notebook.
- The runs: after each cell, the outputs nbval received (``IPyNbCell.test_outputs``, the list nbval compares,
  nbval 0.11.0 as pinned) are kept. When the session ends, a notebook whose every code cell ran and passed is written
  to ``--executed-dir`` (default ``build/executed``) with its ``runs.run_stamp``; any other notebook's earlier run
  there is deleted, so the export runs it itself.

Without ``--export-mode``, ``pytest --nbval-lax notebooks`` runs the notebooks plain, as JupyterLab shows them.
Here at the top of the repository (not in notebooks/, where JupyterLab would list it next to the lessons), so its
option is known whatever folder pytest is given. It does nothing in runs without ``--export-mode``.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell

from sciatica_edu.pages import runs

DEFAULT_DIR = Path("build") / "executed"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sciatica-edu")
    group.addoption(
        "--export-mode", action="store_true",
        help="with --nbval/--nbval-lax: run the notebooks in the course export's mode and keep the runs",
    )
    group.addoption(
        "--executed-dir", default=None, type=Path,
        help=f"folder for the notebooks run in the export's mode (default: {DEFAULT_DIR} under the rootdir)",
    )


class Runs:
    """The runs of one session: per notebook, each code cell's outputs and whether it passed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.cells: dict[Path, dict[int, tuple[bool, list]]] = {}
        self.notebooks: dict[Path, nbformat.NotebookNode] = {}

    def record(self, item, passed: bool) -> None:
        path = Path(item.parent.path)
        self.notebooks.setdefault(path, item.parent.nb)
        outputs = [nbformat.from_dict(dict(o)) for o in (item.test_outputs or [])]
        self.cells.setdefault(path, {})[item.cell_num] = (passed, outputs)

    def executed(self, path: Path) -> nbformat.NotebookNode | None:
        """The notebook with its outputs if every code cell ran and passed, else None."""
        nb = copy.deepcopy(self.notebooks[path])
        cells = self.cells.get(path, {})
        code = [c for c in nb.cells if c.cell_type == "code"]
        if len(cells) != len(code) or not all(passed for passed, _ in cells.values()):
            return None
        count = 0
        for num, cell in enumerate(code):
            if cell.source.strip():  # numbered as the kernel numbers them (nbclient does not run empty cells)
                count += 1
            cell.outputs = cells[num][1]
            cell.execution_count = count if cell.source.strip() else None
            for out in cell.outputs:  # nbval runs cells with store_history=False: the kernel's count stays 0
                if out.output_type == "execute_result":
                    out.execution_count = cell.execution_count
        nb.metadata[runs.RUN_KEY] = runs.run_stamp(nb)
        return nb

    def write(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for path in self.notebooks:
            target = self.out / path.name
            nb = self.executed(path)
            if nb is None:
                target.unlink(missing_ok=True)
            else:
                nbformat.validate(nb)
                nbformat.write(nb, str(target))


_RUNS = pytest.StashKey[Runs]()
_SPEC = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    if not config.option.export_mode:
        return
    if not (config.option.nbval or config.option.nbval_lax):
        raise pytest.UsageError("--export-mode runs notebooks under nbval: add --nbval-lax (or --nbval)")
    if config.option.nbval_current_env or config.option.nbval_kernel_name:
        raise pytest.UsageError("--export-mode chooses the kernel: drop --nbval-current-env and --nbval-kernel-name")
    spec = tempfile.mkdtemp(prefix="sciatica-edu-kernel-")
    runs.write_kernel_spec(Path(spec))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (spec, os.environ.get("JUPYTER_PATH")) if p)
    config.option.nbval_kernel_name = runs.EXPORT_KERNEL
    out = config.option.executed_dir or Path(config.rootpath) / DEFAULT_DIR
    config.stash[_RUNS] = Runs(out)
    config.stash[_SPEC] = spec


def _is_cell(item: pytest.Item) -> bool:
    return isinstance(item, IPyNbCell)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before nbval starts a notebook's kernel (at its first cell's setup): the notes that suit its readers."""
    if _RUNS in item.config.stash and _is_cell(item) and item.parent.kernel is None:
        os.environ.update(runs.prelude_env(item.parent.nb))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if call.when == "call" and _RUNS in item.config.stash and _is_cell(item):
        item.config.stash[_RUNS].record(item, report.passed)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if _RUNS in config.stash:
        config.stash[_RUNS].write()
        shutil.rmtree(config.stash[_SPEC], ignore_errors=True)
