"""Shared test set-up. Keep fixtures that only one test file needs in that file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


#: Where ``pytest --export-mode --nbval-lax notebooks`` (the first step of ``make test``) keeps its runs.
EXECUTED = REPO / "build" / "executed"


@pytest.fixture(scope="session")
def exported_site(tmp_path_factory) -> Path:
    """The real notebooks exported once through the CLI. Shared by the export tests, the plain-words tests and the
    browser tests of the exported pages.

    ``make test`` has run every notebook under nbval in the export's mode just before (``--export-mode``, the
    repository's conftest.py): the export takes those runs (``--executed build/executed``) where they are of the
    notebooks' current code, so the notebooks run once per ``make test``. Without them (``pytest`` alone, or a
    notebook changed since) the export runs the notebooks itself (slow)."""
    from sciatica_edu import cli
    from sciatica_edu.pages import export

    if not export.notebook_paths(REPO / "notebooks"):
        pytest.fail("notebooks/ holds no NN-name.ipynb notebooks to export")
    site = tmp_path_factory.mktemp("real-export") / "site"
    # In a process of its own: a browser test may be the first to ask for the site, and under Playwright's running
    # event loop the kernels would be started from a helper thread, where signal handlers cannot be set.
    argv = ["export", "--out", str(site), "--notebooks", str(REPO / "notebooks")]
    argv += ["--executed", str(EXECUTED)] if EXECUTED.is_dir() else []
    code = f"import sys; from sciatica_edu import cli; sys.exit(cli.main({argv!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    print(done.stderr)  # which notebooks ran and which were taken from build/executed (shown with -s or on failure)
    assert (site / cli.EXPORT_MANIFEST).is_file()
    return site
