"""Shared test set-up. Keep fixtures that only one test file needs in that file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def exported_site(tmp_path_factory) -> Path:
    """The real notebooks exported once through the CLI (slow: every notebook runs). Shared by the export tests
    and the plain-words tests, so the notebooks run only once per test session."""
    from sciatica_edu import cli
    from sciatica_edu.pages import export

    if not export.notebook_paths(REPO / "notebooks"):
        pytest.fail("notebooks/ holds no NN-name.ipynb notebooks to export")
    site = tmp_path_factory.mktemp("real-export") / "site"
    # In a process of its own: a browser test may be the first to ask for the site, and under Playwright's running
    # event loop the kernels would be started from a helper thread, where signal handlers cannot be set.
    code = (f"import sys; from sciatica_edu import cli; sys.exit(cli.main({['export', '--out', str(site)]!r} + "
            f"['--notebooks', {str(REPO / 'notebooks')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert (site / cli.EXPORT_MANIFEST).is_file()
    return site
