"""Runs of the course notebooks made elsewhere in the export's mode, and when the export may reuse one (issue 16).

``make test`` runs every notebook once under nbval (``--export-mode`` in the repository's conftest.py) with the
export's kernel: ``write_kernel_spec`` names ``pages/kernel.py``, which installs the export's display hook
(``pages/prelude.py``) before the first cell with the notes ``prelude_env`` gives it. Each run that passed is kept
with its ``run_stamp``; ``export.export_notebook(..., executed=folder)`` takes a kept run through ``reusable_run``
only if its stamp equals the stamp of what the export would run now, and otherwise runs the notebook itself.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import nbformat

from sciatica_edu._files import write_text_atomic
from sciatica_edu.pages import export

__all__ = ["EXPORT_KERNEL", "RUN_KEY", "prelude_env", "reusable_run", "run_stamp", "write_kernel_spec"]

#: Name of the kernel spec ``write_kernel_spec`` writes: ipykernel with the prelude installed at start.
EXPORT_KERNEL = "sciatica-edu-export"
#: Metadata key of a notebook run in the export's mode elsewhere (nbval in ``make test``): its ``run_stamp``.
RUN_KEY = "sciatica_edu_run"


def prelude_env(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Environment for an ``EXPORT_KERNEL`` kernel about to run ``nb``: the notes that suit its readers."""
    from sciatica_edu.pages import prelude

    return {prelude.PRELUDE_ENV: json.dumps(export.notes(nb))}


def write_kernel_spec(jupyter_dir: Path) -> Path:
    """Write the ``EXPORT_KERNEL`` kernel spec (this Python, ``pages/kernel.py``) into ``jupyter_dir/kernels``; put
    ``jupyter_dir`` first on ``$JUPYTER_PATH`` so a runner such as nbval finds it. Returns the spec's folder."""
    folder = Path(jupyter_dir) / "kernels" / EXPORT_KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "sciatica_edu.pages.kernel", "-f", "{connection_file}"],
        "display_name": "sciatica-edu export (static figures)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    write_text_atomic(folder / "kernel.json", json.dumps(spec, indent=1) + "\n")
    return folder


def _kit_digest() -> str:
    """SHA-256 over the kit's code and data (every file of the ``sciatica_edu`` package and the data folder): what
    a notebook's outputs depend on besides its own cells."""
    from sciatica_edu.facts.loader import data_dir

    digest = hashlib.sha256()
    for root in (Path(__file__).resolve().parent.parent, data_dir()):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_stamp(nb: nbformat.NotebookNode, locale: str | None = None) -> dict:
    """What a run of ``nb`` in the export's mode depends on: its code cells in order, the prelude's notes, the
    locale and the kit's code and data (``_kit_digest``). Two runs with equal stamps show the same page."""
    from sciatica_edu.facts import locales

    return {
        "code": [c.source for c in nb.cells if c.cell_type == "code"],
        "notes": list(export.notes(nb)),
        "locale": locales.resolve(locale),
        "kit": _kit_digest(),
    }


def reusable_run(nb: nbformat.NotebookNode, executed: Path, locale: str | None = None) -> nbformat.NotebookNode | None:
    """``nb`` (about to be exported) with the outputs of its run kept in ``executed``, if that run is of exactly
    these code cells in the export's mode (equal ``run_stamp``); else None, and the caller runs ``nb`` itself.

    Only outputs and execution counts are taken from the kept run: the page's text is ``nb``'s, as it is now."""
    try:
        run = nbformat.read(str(executed), as_version=4)
    except (OSError, ValueError):
        return None
    if run.metadata.get(RUN_KEY) != run_stamp(nb, locale):
        return None
    ran = [c for c in run.cells if c.cell_type == "code"]
    for cell, done in zip((c for c in nb.cells if c.cell_type == "code"), ran, strict=True):
        cell.outputs = done.get("outputs", [])
        cell.execution_count = done.get("execution_count")
    return nb
