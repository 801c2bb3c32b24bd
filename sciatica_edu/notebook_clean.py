"""Keep the kit's notebooks clean when JupyterLab saves them: no outputs, counts or widget state.

JupyterLab autosaves what a person sees, so opening and running a notebook in ``make lab`` wrote its
outputs (1 MB and more of figures and widget state) into the tracked file, and ``git status`` was dirty
after a first look. ``make lab`` starts Jupyter with ``jupyter/jupyter_server_config.py``, which installs
:func:`pre_save_hook_for` as the ContentsManager's ``pre_save_hook``: every notebook saved under
``notebooks/`` goes through :func:`strip_notebook` first. The person still sees their outputs in the
open tab; the file on disk stays as committed.

Cells that start with ``# NBVAL_CHECK_OUTPUT`` keep their outputs and count: nbval compares them
(tests/test_notebooks.py rule 7).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path

__all__ = ["CHECK", "pre_save_hook_for", "strip_notebook"]

CHECK = "# NBVAL_CHECK_OUTPUT"
#: Cell metadata that only records how a person viewed or ran the cell (Lab adds them on its own).
VIEW_STATE = ("collapsed", "scrolled", "execution")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def strip_notebook(nb: dict) -> dict:
    """A copy of a notebook (nbformat 4, as a dict) as it is committed: no outputs, execution counts, widget state.

    * code cells: ``outputs`` emptied and ``execution_count`` None, except ``# NBVAL_CHECK_OUTPUT`` cells,
      which keep their outputs and are numbered 1, 2, ... in order (whatever a person ran before);
    * cell view state Lab records (``collapsed``, ``scrolled``, ``execution`` timings, ``jupyter.outputs_hidden``);
    * notebook ``metadata.widgets`` (saved widget state) removed;
    * ``metadata.language_info`` cut to its ``name`` (Lab fills in the kernel's Python version and more).

    The input is not changed. Anything that is not a notebook dict raises a ValueError.
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"a notebook must be a dict with a list of cells, not {type(nb).__name__}")
    out = copy.deepcopy(nb)
    checks = 0
    for cell in out["cells"]:
        if not isinstance(cell, dict):
            raise ValueError(f"a notebook cell must be a dict, not {type(cell).__name__}")
        meta = cell.get("metadata")
        if isinstance(meta, dict):
            for key in VIEW_STATE:
                meta.pop(key, None)
            jupyter = meta.get("jupyter")
            if isinstance(jupyter, dict):
                jupyter.pop("outputs_hidden", None)
                if not jupyter:
                    del meta["jupyter"]
        if cell.get("cell_type") != "code":
            continue
        if _source(cell).lstrip().startswith(CHECK):
            checks += 1
            if cell.get("execution_count") is not None:
                cell["execution_count"] = checks
            for output in cell.get("outputs") or ():
                if isinstance(output, dict) and "execution_count" in output:
                    output["execution_count"] = checks
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
    meta = out.get("metadata")
    if isinstance(meta, dict):
        meta.pop("widgets", None)
        info = meta.get("language_info")
        if isinstance(info, dict) and "name" in info:
            meta["language_info"] = {"name": info["name"]}
    return out


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def pre_save_hook_for(*folders: str | PathLike) -> Callable[..., None]:
    """A Jupyter ``ContentsManager.pre_save_hook`` that strips notebooks saved inside ``folders`` (and below).

    Jupyter calls it as ``hook(model=..., path=..., contents_manager=...)`` before writing; other files,
    and notebooks elsewhere (a person's own copies outside the kit's folder), are saved untouched.
    """
    if not folders:
        raise ValueError("pre_save_hook_for needs at least one folder (the kit's notebooks/)")
    roots = tuple(Path(f).resolve() for f in folders)

    def strip_kit_notebooks(model: dict, path: str, contents_manager=None, **kwargs) -> None:
        if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
            return
        os_path = getattr(contents_manager, "_get_os_path", None)
        if os_path is None:  # a contents manager without files on disk: nothing of ours to protect
            return
        if _inside(Path(os_path(path)).resolve(), roots):
            model["content"] = strip_notebook(model["content"])

    return strip_kit_notebooks
