"""Files and folders: write so that a failure never leaves a half-written page behind, and never replaces one by
accident; find the course notebooks by one rule."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["NOTEBOOKS_ENV", "NotebooksNotFound", "find_notebooks", "numbered", "write_text_atomic", "write_text_new"]

#: Characters of the target's name kept in the temporary name: ``.<start of name>.<random>.part`` stays far
#: below the 255-byte limit of common filesystems whatever the target's name (which may itself be 255 bytes).
_TMP_NAME_CHARS = 24


def _temporary(path: Path, text: str) -> str:
    """Write ``text`` to a new hidden temporary file next to ``path``; return its name."""
    stem = path.name[:_TMP_NAME_CHARS].encode("utf-8")[:_TMP_NAME_CHARS * 2].decode("utf-8", "ignore")
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".part", dir=path.parent)
    with _removed_on_failure(tmp):
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
    return tmp


@contextlib.contextmanager
def _removed_on_failure(tmp: str) -> Iterator[None]:
    """Remove the temporary file ``tmp`` if the block fails (Ctrl+C too), then let the failure go on."""
    try:
        yield
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it (replacing ``path``)."""
    path = Path(path)
    tmp = _temporary(path, text)
    with _removed_on_failure(tmp):
        os.replace(tmp, path)
    return path


def numbered(path: Path, number: int) -> Path:
    """``handout.html`` numbered: 1 is the name itself, 2 is ``handout-2.html``, and so on."""
    path = Path(path)
    return path if number <= 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def write_text_new(path: Path, text: str, *, tries: int = 1000) -> Path:
    """Write ``text`` under ``path`` or, if that exists, the first free ``numbered`` name; never replace a file.

    The temporary file is hard-linked to the new name, which fails if the name exists (even if another
    process made it a moment ago), so two writers never overwrite each other. Returns the name used.
    """
    path = Path(path)
    tmp = _temporary(path, text)
    try:
        for number in range(1, tries + 1):
            target = numbered(path, number)
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"{path.name} and {tries - 1} numbered copies already exist in {path.parent}")
    finally:
        Path(tmp).unlink(missing_ok=True)


#: Environment variable naming the folder of notebooks (overrides the search in :func:`find_notebooks`).
NOTEBOOKS_ENV = "SCIATICA_EDU_NOTEBOOKS"


class NotebooksNotFound(FileNotFoundError):
    """No folder of course notebooks where :func:`find_notebooks` looked."""


def find_notebooks(explicit: Path | None = None) -> Path:
    """The folder of the course notebooks: the one rule every command and tool uses.

    Notebooks are the course, not package data: they live in the repository's ``notebooks/``.
    Search order: ``explicit``, ``$SCIATICA_EDU_NOTEBOOKS``, ``./notebooks``, then the checkout
    this package was installed from (an editable install or a plain checkout).
    """
    if explicit is not None:
        candidates = [Path(explicit)]
    elif os.environ.get(NOTEBOOKS_ENV):
        candidates = [Path(os.environ[NOTEBOOKS_ENV])]
    else:
        candidates = [Path.cwd() / "notebooks", Path(__file__).resolve().parent.parent / "notebooks"]
    for folder in candidates:
        if folder.is_dir():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise NotebooksNotFound(
        f"no notebooks folder found (tried {tried}); run from the sciatica-edu checkout or set {NOTEBOOKS_ENV}"
    )
