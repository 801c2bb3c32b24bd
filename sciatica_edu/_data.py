"""Find and read the YAML files of data/, from a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@cache
def data_dir() -> Path:
    """The folder holding the data files.

    A wheel ships them as the ``sciatica_edu.data`` package (pyproject maps ``data/`` there);
    an editable install or a plain checkout reads the top-level ``data/`` folder.
    """
    try:
        packaged = Path(str(resources.files("sciatica_edu.data")))
        if (packaged / "vocabulary.yaml").is_file():
            return packaged
    except ModuleNotFoundError:
        pass
    source = Path(__file__).resolve().parent.parent / "data"
    if (source / "vocabulary.yaml").is_file():
        return source
    raise FileNotFoundError("sciatica_edu cannot find its data files (vocabulary.yaml); reinstall the package")


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` once per process."""
    with open(data_dir() / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
