"""The hazard log (docs/safety/hazard-log.md): every hazard names tests that exist, and the content is fresh."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

from sciatica_edu.facts import advice

REPO = Path(__file__).resolve().parent.parent
LOG = REPO / "docs" / "safety" / "hazard-log.md"
REQUIRED = [
    "wrong side shown",
    "wrong root for a disc level and zone",
    "emergency under-triaged",
    "non-emergency over-triaged",
    "advice for the wrong country",
    "out-of-date guidance",
    "a typical pattern read as a diagnosis",
    "information carried by colour alone",
    "a stale handout",
    "a broken offline promise",
]
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]`]*\])?`")


def _hazards() -> dict[str, str]:
    parts = re.split(r"^## (H\d+ .+)$", LOG.read_text(encoding="utf-8"), flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_the_log_has_every_required_hazard():
    titles = [t.split(" ", 1)[1].lower() for t in _hazards()]
    for hazard in REQUIRED:
        assert hazard in titles, hazard


def test_every_hazard_names_a_test_and_every_named_test_exists():
    hazards = _hazards()
    assert hazards
    for title, body in hazards.items():
        for field in ("**Cause:**", "**Effect:**", "**Mitigation:**", "**Tests:**", "**Residual risk:**"):
            assert field in body, (title, field)
        assert re.search(r"\*\*Severity / likelihood \(before\):\*\* [1-5] / [1-5]", body), title
        nodes = NODE.findall(body.split("**Tests:**", 1)[1].split("**Residual risk:**", 1)[0])
        assert nodes, f"{title} names no test"
        for path, name in nodes:
            assert (REPO / path).is_file(), (title, path)
            assert name in _defined(REPO / path), (title, f"{path}::{name}")


def test_the_checker_notices_a_test_that_does_not_exist():
    body = "**Tests:** `tests/test_hazard_log.py::test_no_such_test`. **Residual risk:** 1 / 1."
    (path, name), = NODE.findall(body)
    assert name not in _defined(REPO / path)


def test_the_content_was_checked_within_a_year():
    """Guidance changes: once the content's last check is over 400 days old, this fails until someone re-checks."""
    age = (dt.date.today() - advice.last_checked()).days
    assert 0 <= age <= 400, f"data/advice.yaml last_checked is {age} days old: re-check the content against its sources"
