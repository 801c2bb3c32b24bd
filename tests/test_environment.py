"""The pinned stack lives in requirements.txt; environment.yml mirrors it; known traps stay away."""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", line)
        assert m, f"requirements.txt line is not an exact pin: {line!r}"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_yml_mirrors_requirements_exactly():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "sciatica-edu"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[-1] == "-e ."
    mirrored = {}
    for line in pip_section[:-1]:
        name, version = line.split("==")
        mirrored[name.lower().replace("_", "-")] = version
    assert mirrored == pinned()


def test_the_stack_the_issue_asks_for_is_pinned():
    pins = pinned()
    assert pins["jupyterlab"].startswith("4.")
    assert pins["ipywidgets"].startswith("8.")
    major, minor = (int(x) for x in pins["plotly"].split(".")[:2])
    assert (major, minor) >= (6, 1)
    for name in ("jupyterlab-widgets", "anywidget", "nbformat", "nbval", "pytest", "hypothesis", "ruff"):
        assert name in pins
    textstat = tuple(int(x) for x in pins["textstat"].split("."))
    assert textstat <= (0, 7, 8), "textstat above 0.7.8 downloads an NLTK corpus at run time"


def test_installed_versions_match_the_pins():
    wrong = {}
    for name, version in pinned().items():
        got = metadata.version(name)
        if got != version:
            wrong[name] = (version, got)
    assert not wrong, f"installed versions differ from requirements.txt (pinned, installed): {wrong}"


def test_rfc3987_syntax_is_not_installed():
    """It builds a grammar at import: about 3 s on every nbval, Lab, Voila start (jsonschema #1392)."""
    assert importlib.util.find_spec("rfc3987_syntax") is None, (
        "rfc3987-syntax came back (a jsonschema >= 4.25 upgrade?); keep jsonschema pinned below 4.25"
    )


def test_importing_the_package_changes_nothing_global():
    import subprocess
    import sys

    code = (
        "import plotly.io as pio; before = pio.templates.default;"
        "import sciatica_edu, sciatica_edu.anatomy, sciatica_edu.scenario, sciatica_edu.redflags;"
        "import sys; assert pio.templates.default == before;"
        "assert 'ipywidgets' not in sys.modules, 'pure modules must not import ipywidgets';"
        "from sciatica_edu.facts import loader;"
        "assert loader.load_yaml.cache_info().currsize == 0, 'read data at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
