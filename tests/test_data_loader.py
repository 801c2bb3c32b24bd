"""The one YAML loader of data/: repeated keys, repeated ids and unknown sources fail at load, naming the file,
the key or id and the line. Each test breaks a copy of data/ (``$SCIATICA_EDU_DATA``), never data/ itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.facts import loader as _data
from sciatica_edu.widgets import session

DATA = Path(__file__).resolve().parent.parent / "data"


def _clear() -> None:
    _data.data_dir.cache_clear()
    _data.load_yaml.cache_clear()
    anatomy._anatomy.cache_clear()
    redflags._file.cache_clear()
    session.presets.cache_clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that the loader reads instead (through $SCIATICA_EDU_DATA); caches cleared around the test."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv(_data.DATA_ENV, str(copy))
    _clear()
    yield copy
    monkeypatch.delenv(_data.DATA_ENV)
    _clear()


def _id_lists(path: Path) -> list[tuple[str, yaml.SequenceNode]]:
    """Every list of mappings keyed by id/name/label in a data file, with a name for the test id."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    found = []
    for node in _data._walk(root):
        if isinstance(node, yaml.SequenceNode) and len(node.value) >= 2 and all(
            isinstance(item, yaml.MappingNode) and _data._entry_id(item) for item in node.value
        ):
            found.append((_data._entry_id(node.value[0])[0], node))
    return found


ID_LISTS = [
    (path.name, n, key) for path in sorted(DATA.glob("*.yaml")) for n, (key, _) in enumerate(_id_lists(path))
]


def test_the_loader_sees_every_list_of_entries_the_issue_names():
    lists = {(name, key) for name, _, key in ID_LISTS}
    for expected in [("roots.yaml", "name"), ("vocabulary.yaml", "id"), ("references.yaml", "id"),
                     ("discs.yaml", "id"), ("red_flags.yaml", "id"), ("presets.yaml", "id"),
                     ("causes.yaml", "id"), ("glossary.yaml", "id"), ("quiz.yaml", "id"), ("vignettes.yaml", "id")]:
        assert expected in lists
    assert sum(1 for name, _, _ in ID_LISTS if name == "vocabulary.yaml") == 3  # regions, movements, reflexes


@pytest.mark.parametrize(("name", "index", "key"), ID_LISTS, ids=[f"{n}-{i}-{k}" for n, i, k in ID_LISTS])
def test_a_repeated_entry_fails_at_load_with_file_id_and_line(data_copy, name, index, key):
    """Copy the first entry of each list just after itself: the copy's line is reported."""
    path = data_copy / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    _, node = _id_lists(path)[index]
    first, second = node.value[0].start_mark.line, node.value[1].start_mark.line
    ident = _data._entry_id(node.value[0])[1]
    path.write_text("".join(lines[:second] + lines[first:second] + lines[second:]), encoding="utf-8")
    with pytest.raises(_data.DataError) as info:
        _data.load_yaml(name)
    message = str(info.value)
    assert f"data/{name} line {second + 1}:" in message
    assert f"{key} {ident!r}"[:60] in message and f"(first on line {first + 1})" in message


def test_a_second_both_legs_cannot_downgrade_the_emergency(data_copy):
    path = data_copy / "red_flags.yaml"
    text = path.read_text(encoding="utf-8")
    downgrade = ("  - id: both_legs\n    label: Sciatica in both legs\n    detail: Pain in both legs.\n"
                 "    urgency: soon\n    cauda_equina: true\n    sources: [S12]\n")
    path.write_text(text.replace("  - id: saddle_numbness\n", downgrade + "  - id: saddle_numbness\n", 1))
    with pytest.raises(_data.DataError, match=r"data/red_flags.yaml line \d+: id 'both_legs' is given twice"):
        redflags.red_flags()


def test_a_key_given_twice_in_one_mapping_fails_with_its_line(data_copy):
    path = data_copy / "red_flags.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "urgency: emergency")
    lines.insert(at + 1, "    urgency: soon\n")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(_data.DataError) as info:
        _data.load_yaml("red_flags.yaml")
    assert str(info.value) == (f"data/red_flags.yaml line {at + 2}: key 'urgency' is given twice in one mapping "
                               f"(first on line {at + 1})")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_a_top_level_key_given_twice_fails_in_every_file(data_copy, name):
    path = data_copy / name
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text)
    if isinstance(root, yaml.SequenceNode):  # references.yaml: a list; repeat a key inside its first entry
        key = root.value[0].value[0][0].value
        path.write_text(text.replace(f"- {key}:", f"- {key}: again\n  {key}:", 1), encoding="utf-8")
    else:
        key = root.value[0][0].value
        path.write_text(text + f"\n{key}: again\n", encoding="utf-8")
    with pytest.raises(_data.DataError, match=rf"data/{name} line \d+: key '{key}' is given twice"):
        _data.load_yaml(name)


def test_a_disc_listed_twice_fails(data_copy):
    path = data_copy / "discs.yaml"
    path.write_text(path.read_text().replace("discs: [L3-L4, L4-L5, L5-S1]", "discs: [L3-L4, L4-L5, L5-S1, L4-L5]"))
    with pytest.raises(_data.DataError, match=r"data/discs.yaml line 5: 'L4-L5' is given twice in one list"):
        anatomy.zones()


@pytest.mark.parametrize("style", ["flow", "block"])
def test_an_unknown_source_fails_in_either_yaml_style(data_copy, style):
    path = data_copy / "discs.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^    sources: \[[^\]]*\]\n", text, re.M).group(0)
    new = "    sources: [S33, S999]\n" if style == "flow" else "    sources:\n      - S33\n      - S999\n"
    path.write_text(text.replace(first, new, 1), encoding="utf-8")
    line = path.read_text().splitlines().index("      - S999" if style == "block" else "    sources: [S33, S999]") + 1
    with pytest.raises(_data.DataError, match=rf"data/discs.yaml line {line}: unknown source 'S999'"):
        anatomy.zones()


def test_sources_under_any_sources_key_are_checked(data_copy):
    """``sources`` in locales.yaml maps urgency to ids: those ids are checked too, in block style as well."""
    path = data_copy / "locales.yaml"
    text = path.read_text()
    assert "      soon: [S11, S80]" in text
    block = "      soon:\n      - S11\n      - S998"
    path.write_text(text.replace("      soon: [S11, S80]", block, 1), encoding="utf-8")
    with pytest.raises(_data.DataError, match="unknown source 'S998'"):
        _data.load_yaml("locales.yaml")


def test_presets_load_through_the_same_loader(data_copy):
    path = data_copy / "presets.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: l5-s1-right", "  - id: l4-l5-left"))
    with pytest.raises(_data.DataError, match="id 'l4-l5-left' is given twice"):
        session.presets()


def test_every_cited_source_is_found_whatever_the_style():
    refs = set(anatomy.references())
    cited = {s for p in DATA.glob("*.yaml") if p.name != "references.yaml" for s, _ in _data.cited_sources(p.name)}
    assert len(cited) > 50
    assert cited <= refs
    assert "S11" in {s for s, _ in _data.cited_sources("red_flags.yaml")}  # from action_sources' block


def test_parse_data_refuses_repeated_ids_in_a_payload():
    payload = {"terms": [{"id": "x", "term": "x"}, {"id": "x", "term": "y"}]}
    assert _data.duplicate_ids(payload) == ["id 'x'"]
    assert _data.duplicate_ids({"discs": ["L4-L5", "L5-S1"]}) == []


def test_data_dir_follows_the_environment_and_refuses_a_folder_without_data(tmp_path, monkeypatch):
    monkeypatch.setenv(_data.DATA_ENV, str(tmp_path))
    _data.data_dir.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=r"holds no vocabulary\.yaml"):
            _data.data_dir()
    finally:
        monkeypatch.delenv(_data.DATA_ENV)
        _data.data_dir.cache_clear()
    assert _data.data_dir().resolve() == DATA.resolve()


def test_notebook_tools_command_line_names_why_the_data_is_bad(data_copy, capsys):
    """A schema error's reason sits on the lines under its heading: the one-line message keeps it (it used to print
    only "data/references.yaml does not match its schema:", which says nothing of what to fix)."""
    from sciatica_edu import notebook_tools

    refs = data_copy / "references.yaml"
    refs.write_text(refs.read_text().replace("url: https://doi.org/", "url: https://example.com/", 1))
    code = notebook_tools._main_cleanly(["check"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert "example.com" in err and "read_at" in err, err
