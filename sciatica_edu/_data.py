"""Find and read the YAML files of data/, from a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def data_dir() -> Path:
    """The folder holding the data files.

    A wheel ships them as the ``sciatica_edu.data`` package (pyproject maps ``data/`` there);
    an editable install or a plain checkout reads the top-level ``data/`` folder.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):  # installed wheel, then checkout
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    raise FileNotFoundError("sciatica_edu cannot find its data files (vocabulary.yaml); reinstall the package")


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` once per process."""
    with open(data_dir() / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
