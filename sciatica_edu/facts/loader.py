"""Find and read the YAML files of data/, from a source checkout or an installed wheel.

One loader reads every data file, and it refuses data that would be silently wrong:

- a key given twice in one mapping (plain YAML keeps the last one: a second ``urgency:`` would win);
- an id given twice in one list: a list of mappings keyed by ``id``, ``name`` or (presets) ``label``, or a
  list of plain ids such as ``discs`` (plain Python code building ``{x.id: x}`` keeps the last one, so a second
  ``both_legs`` with ``urgency: soon`` would quietly downgrade an emergency);
- a source id, under any ``sources`` or ``*_sources`` key, in flow (``[S1, S2]``) or block style, that is not
  in ``references.yaml``.

Each error is a :class:`DataError` naming the file, the key or id, and the line (of the second occurrence).
``$SCIATICA_EDU_DATA`` points the loader at another folder (tests use copies they may break).

The browser build (``sciatica_edu.lite``) ships each file as JSON made at build time with this strict loader,
so the kernel in the browser needs no YAML parser: a ``<name>.json`` next to where ``<name>.yaml`` would be
wins, and PyYAML is imported only when there is one to read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

try:
    import yaml
except ImportError:  # the browser build: its data is JSON made at build time (see load_yaml)
    yaml = None  # type: ignore[assignment]

__all__ = ["DATA_ENV", "ID_KEYS", "DataError", "cited_sources", "data_dir", "duplicate_ids", "load_yaml", "read_yaml"]

#: Environment variable naming another data folder (read once per process; see ``data_dir.cache_clear``).
DATA_ENV = "SCIATICA_EDU_DATA"
#: Keys that identify an entry of a list of mappings, by priority: the first one an entry has is its id.
ID_KEYS = ("id", "name", "label")
REFERENCES = "references.yaml"


class DataError(ValueError):
    """A data file broke its schema, repeats a key or an id, or refers to an id that does not exist."""


@cache
def data_dir() -> Path:
    """The folder holding the data files.

    ``$SCIATICA_EDU_DATA`` if set; else a wheel's ``sciatica_edu.data`` package (pyproject maps ``data/``
    there), else the top-level ``data/`` folder of an editable install or a plain checkout.
    """
    override = os.environ.get(DATA_ENV)
    here = Path(__file__).resolve().parent.parent  # the sciatica_edu package
    candidates = [Path(override)] if override else [here / "data", here.parent / "data"]
    for candidate in candidates:  # installed wheel, then checkout
        if (candidate / "vocabulary.yaml").is_file() or (candidate / "vocabulary.json").is_file():
            return candidate
    if override:
        raise FileNotFoundError(f"${DATA_ENV} is {override}, which holds no vocabulary.yaml")
    raise FileNotFoundError("sciatica_edu cannot find its data files (vocabulary.yaml); reinstall the package")


if yaml is not None:  # the browser build reads JSON twins and has no PyYAML

    class _StrictLoader(yaml.SafeLoader):
        """PyYAML's safe loader, but a key given twice in one mapping is an error (file, key, both lines)."""

        file_label = "data file"

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: SafeLoader reports it below
                    continue
                seen.setdefault(key, line)
                if first is not None:
                    raise DataError(f"{self.file_label} line {line}: key {_show(key)} is given twice "
                                    f"in one mapping (first on line {first})")
            return super().construct_mapping(node, deep=deep)


def _show(value: object) -> str:
    from sciatica_edu._errors import shown

    return shown(value)


def _scalar(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _entry_id(node: yaml.MappingNode) -> tuple[str, str] | None:
    keys = {_scalar(k): v for k, v in node.value}
    for key in ID_KEYS:
        if key in keys and _scalar(keys[key]) is not None:
            return key, _scalar(keys[key])
    return None


def _walk(node: yaml.Node, *, keys: bool = True) -> Iterator[yaml.Node]:
    """``node`` and every node under it; ``keys=False`` leaves out mapping keys (and what is under them)."""
    yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, keys=keys)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if keys:
                yield from _walk(key, keys=keys)
            yield from _walk(value, keys=keys)


def _check_ids(root: yaml.Node, label: str) -> None:
    """Raise a DataError for the first list that repeats an id (an entry's id key, or a plain scalar)."""
    for node in _walk(root):
        if not isinstance(node, yaml.SequenceNode):
            continue
        seen: dict[tuple[str, str], int] = {}
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                ident = _entry_id(item)
            elif isinstance(item, yaml.ScalarNode):
                ident = ("", item.value)
            else:
                ident = None
            if ident is None:
                continue
            line = item.start_mark.line + 1
            first = seen.get(ident)
            seen.setdefault(ident, line)
            if first is not None:  # the same entry twice, even on one line (flow style)
                what = f"{ident[0]} {_show(ident[1])}" if ident[0] else _show(ident[1])
                raise DataError(f"{label} line {line}: {what} is given twice in one list (first on line {first})")


def _is_sources_key(node: yaml.Node) -> bool:
    key = _scalar(node)
    return key is not None and (key == "sources" or key.endswith("_sources"))


def _cited(root: yaml.Node) -> Iterator[tuple[str, int]]:
    """(source id, line) for every scalar under a ``sources`` / ``*_sources`` key, in any YAML style."""
    for node in _walk(root):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if _is_sources_key(key):
                    for leaf in _leaves(value):
                        if leaf.tag.endswith(":str"):
                            yield leaf.value, leaf.start_mark.line + 1


def _leaves(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """The scalar values under ``node`` (not mapping keys: ``action_sources: {emergency: [S12]}``)."""
    return (n for n in _walk(node, keys=False) if isinstance(n, yaml.ScalarNode))


def _compose(path: Path, label: str) -> tuple[yaml.Node | None, Any]:
    """The file's node tree (with lines) and its data; repeated keys or ids are a DataError."""
    try:
        with open(path, encoding="utf-8") as handle:
            loader = _StrictLoader(handle)
            loader.file_label = label
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
    except yaml.YAMLError as exc:
        raise DataError(f"{label} is not valid YAML: {exc}") from None
    if node is not None:
        _check_ids(node, label)
    return node, data


def read_yaml(path: Path, *, label: str | None = None) -> Any:
    """Parse one YAML file strictly: repeated keys or ids are a DataError naming ``label``, the id and the line."""
    return _compose(Path(path), label or str(path))[1]


def cited_sources(name: str) -> list[tuple[str, int]]:
    """Every source id cited in ``data/<name>``, with its line, whatever the YAML style."""
    node, _ = _compose(data_dir() / name, f"data/{name}")
    return list(_cited(node)) if node is not None else []


def duplicate_ids(payload: Any) -> list[str]:
    """Ids repeated within one list anywhere in already parsed data (no lines: see ``read_yaml`` for those)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            seen: set = set()
            for item in value:
                ident = None
                if isinstance(item, dict):
                    ident = next(((k, item[k]) for k in ID_KEYS if isinstance(item.get(k), str)), None)
                elif isinstance(item, str):
                    ident = ("", item)
                if ident is not None:
                    if ident in seen:
                        found.append(f"{ident[0]} {_show(ident[1])}" if ident[0] else _show(ident[1]))
                    seen.add(ident)
                walk(item)

    walk(payload)
    return found


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` once per process, strictly (see the module's docstring); sources must resolve."""
    twin = (data_dir() / name).with_suffix(".json")
    if twin.is_file():  # the browser build: checked by this loader when it was made
        import json

        with open(twin, encoding="utf-8") as handle:
            return json.load(handle)
    label = f"data/{name}"
    node, data = _compose(data_dir() / name, label)
    if name != REFERENCES and node is not None:
        known = {entry.get("id") for entry in load_yaml(REFERENCES) or () if isinstance(entry, dict)}
        for source, line in _cited(node):
            if source not in known:
                raise DataError(f"{label} line {line}: unknown source {_show(source)}; "
                                f"every source id must be in data/{REFERENCES}")
    return data
