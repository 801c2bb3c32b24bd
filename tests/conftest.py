"""Shared test set-up. Keep fixtures that only one test file needs in that file."""

from __future__ import annotations

import contextlib
import io
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
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["export", "--out", str(site), "--notebooks", str(REPO / "notebooks")])
    assert code == 0, err.getvalue()
    return site
