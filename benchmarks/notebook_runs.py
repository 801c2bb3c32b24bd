"""How often a command runs each course notebook, and how long it takes: prints measured numbers, asserts nothing.

Issue 16 item 6 (notebooks run once per ``make test``). The command runs with ``IPYTHONDIR`` set to a fresh folder
whose start-up file logs every cell any IPython kernel on this machine runs (its process id and the hash of the
cell's source) to a file; the command's own IPython settings are otherwise untouched (no profile is copied in).
Afterwards each kernel's cells are matched with the code cells of ``notebooks/NN-*.ipynb``: a kernel that ran at
least half of a notebook's code cells counts as one run of that notebook (the export's hidden prelude cell and a
localized red-flag cell do not stop a match). Kernels that ran none of them (the tests' small fixture notebooks,
the session server's own pages) are counted apart. Kernels in the browser (JupyterLite's Pyodide) are not seen.

Run: .venv/bin/python benchmarks/notebook_runs.py -- .venv/bin/python -m pytest tests/test_export.py
     .venv/bin/python benchmarks/notebook_runs.py --notebooks notebooks -- make test
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

LOG_ENV = "SCIATICA_EDU_KERNEL_LOG"

# Runs first in every IPython kernel started under IPYTHONDIR: one line per cell, "pid<TAB>sha1 of the source".
STARTUP = '''
def _sciatica_edu_log_cells():
    import hashlib, os
    path = os.environ.get("SCIATICA_EDU_KERNEL_LOG")
    if not path:
        return
    def log(result):
        digest = hashlib.sha1(result.info.raw_cell.strip().encode()).hexdigest()
        with open(path, "a") as f:
            f.write(f"{os.getpid()}\\t{digest}\\n")
    get_ipython().events.register("post_run_cell", log)
_sciatica_edu_log_cells()
del _sciatica_edu_log_cells
'''


def digest(source: str) -> str:
    return hashlib.sha1(source.strip().encode()).hexdigest()


def notebook_cells(folder: Path) -> dict[str, set[str]]:
    """Each course notebook's name and the hashes of its non-empty code cells."""
    cells = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        cells[path.name] = {digest(c.source) for c in nb.cells if c.cell_type == "code" and c.source.strip()}
    return cells


def runs(log: Path, cells: dict[str, set[str]]) -> tuple[collections.Counter, int]:
    """Runs per notebook, and the number of kernels that ran no course notebook."""
    by_kernel: dict[str, set[str]] = collections.defaultdict(set)
    if log.is_file():
        for line in log.read_text().splitlines():
            pid, _, sha = line.partition("\t")
            by_kernel[pid].add(sha)
    counted: collections.Counter = collections.Counter()
    other = 0
    for ran in by_kernel.values():
        share = {name: len(ran & mine) / len(mine) for name, mine in cells.items() if mine}
        best = max(share, key=share.get, default=None)
        if best is not None and share[best] >= 0.5:
            counted[best] += 1
        else:
            other += 1
    return counted, other


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=Path(__file__).resolve().parent.parent / "notebooks",
                        help="the course notebooks to recognise (default: this checkout's notebooks/)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to measure")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to measure after --")
    cells = notebook_cells(args.notebooks)
    if not cells:
        parser.error(f"no NN-name.ipynb notebooks in {args.notebooks}")
    with tempfile.TemporaryDirectory(prefix="notebook-runs-") as tmp:
        ipythondir = Path(tmp) / "ipython"
        (ipythondir / "profile_default" / "startup").mkdir(parents=True)
        (ipythondir / "profile_default" / "startup" / "00-log-cells.py").write_text(STARTUP)
        log = Path(tmp) / "cells.log"
        env = {**os.environ, "IPYTHONDIR": str(ipythondir), LOG_ENV: str(log)}
        start = time.perf_counter()
        code = subprocess.call(command, env=env)
        seconds = time.perf_counter() - start
        counted, other = runs(log, cells)
    load = os.getloadavg()
    print(f"\ncommand: {' '.join(command)}")
    print(f"exit code {code}; {seconds:.0f} s wall; load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"course notebook runs: {sum(counted.values())} (kernels running something else: {other})")
    for name in cells:
        print(f"  {counted.get(name, 0)}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
