"""Find and read the YAML files of data/, from a source checkout or an installed wheel.

The browser build (``sciatica_edu.lite``) ships each file as JSON made at build time instead, so the
kernel in the browser needs no YAML parser: a ``<name>.json`` next to where ``<name>.yaml`` would be wins.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def data_dir() -> Path:
    """The folder holding the data files.

    A wheel ships them as the ``sciatica_edu.data`` package (pyproject maps ``data/`` there);
    an editable install or a plain checkout reads the top-level ``data/`` folder.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):  # installed wheel, then checkout
        if (candidate / "vocabulary.yaml").is_file() or (candidate / "vocabulary.json").is_file():
            return candidate
    raise FileNotFoundError("sciatica_edu cannot find its data files (vocabulary.yaml); reinstall the package")


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` once per process (from its build-time JSON twin when there is one)."""
    path = data_dir() / name
    twin = path.with_suffix(".json")
    if twin.is_file():
        with open(twin, encoding="utf-8") as handle:
            return json.load(handle)
    import yaml  # imported here: the browser build has no PyYAML

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
