"""The package's shape: layer folders, small modules, an import contract that bites, old names that still work.

docs/architecture.md draws the layers; pyproject.toml ([tool.importlinter]) states them as contracts that
``make test`` checks with ``lint-imports``. These tests keep the picture true.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sciatica_edu

PACKAGE = Path(sciatica_edu.__file__).resolve().parent
REPO = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
#: A module longer than this does more than one job: split it by job (docs/CONTRIBUTING.md, "Where things go").
MAX_LINES = 500
#: Modules allowed to stay longer for now, each with the reason (an open item, not a rule).
LONG_FOR_NOW: dict[str, str] = {}
LAYERS = ("facts", "model", "geometry", "figures", "widgets", "pages")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_layer_is_a_package_folder():
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file(), f"sciatica_edu/{layer}/ is not a package"


def test_no_module_is_over_the_line_limit():
    long = {}
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and rel not in LONG_FOR_NOW:
            long[rel] = n
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"


def test_the_allowed_long_modules_still_exist_and_are_long():
    # an exemption outlives its reason when the module is gone or short again: remove it from LONG_FOR_NOW
    for rel in LONG_FOR_NOW:
        path = PACKAGE / rel
        assert path.is_file(), f"{rel} is gone: drop it from LONG_FOR_NOW"
        assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, f"{rel} is short now: drop it"


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    assert LINT_IMPORTS.is_file(), f"lint-imports is not installed beside {sys.executable} (requirements.txt)"
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "COLUMNS": "300"},  # one line per contract
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contract_holds():
    out = _lint_imports(REPO)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "2 kept, 0 broken" in out.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("model/scenario.py", "import plotly.graph_objects", "never import plotly, ipywidgets or anywidget"),
        ("geometry/body.py", "import ipywidgets", "never import plotly, ipywidgets or anywidget"),
        ("facts/anatomy.py", "from sciatica_edu.model import scenario", "Layers"),
        ("figures/scene.py", "from sciatica_edu.widgets import body", "Layers"),
        ("pages/handout.py", "from sciatica_edu import cli", "Layers"),
    ],
)
def test_the_import_contract_breaks_on_a_wrong_import(tmp_path, module, line, contract):
    """A copy of the package with one import that goes the wrong way: lint-imports must fail and name the rule."""
    shutil.copytree(PACKAGE, tmp_path / "sciatica_edu", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "sciatica_edu" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # a wrong-way import\n", encoding="utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0, out.stdout[-2000:]
    broken = [ln for ln in out.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert len(broken) == 1 and contract in broken[0], out.stdout[-2000:]


def test_old_public_names_are_the_moved_modules():
    """Notebooks and users import these names; each is the very module now in a layer folder (no copy)."""
    from sciatica_edu import anatomy, explorer, explorer_widgets, quiz, redflags, scenario, session
    from sciatica_edu.facts import anatomy as facts_anatomy
    from sciatica_edu.facts import redflags as facts_redflags
    from sciatica_edu.model import quiz as model_quiz
    from sciatica_edu.model import ranking, words
    from sciatica_edu.model import scenario as model_scenario
    from sciatica_edu.widgets import explorer as widgets_explorer
    from sciatica_edu.widgets import session as widgets_session

    assert anatomy is facts_anatomy and redflags is facts_redflags and scenario is model_scenario
    assert explorer is ranking and quiz is model_quiz
    assert explorer_widgets is widgets_explorer and session is widgets_session
    assert words.describe.__module__ == "sciatica_edu.model.words"


def test_diagram_and_widgets_keep_their_public_api():
    from sciatica_edu import diagram, widgets
    from sciatica_edu.figures import body, spine, static
    from sciatica_edu.model import words
    from sciatica_edu.widgets import body as widgets_body

    assert diagram.body_figure is body.body_figure and diagram.spine_figure is spine.spine_figure
    assert diagram.static_figure is static.static_figure and diagram.fit_html is static.fit_html
    assert diagram.describe is words.describe
    assert widgets.BodyDiagram is widgets_body.BodyDiagram and widgets.explore is widgets_body.explore
    for name in diagram.__all__:
        assert getattr(diagram, name) is not None, name
