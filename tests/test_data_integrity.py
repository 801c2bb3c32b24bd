"""data/ integrity: every id and reference resolves, nothing is left unassigned, schemas bite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sciatica_edu.facts import anatomy, loader, locales, redflags
from sciatica_edu.facts.loader import data_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def test_data_dir_is_the_repo_data_folder_in_a_checkout():
    assert data_dir().resolve() == DATA.resolve()


def test_every_region_is_in_some_dermatome_but_the_groin_and_the_low_back():
    """The groin is L1 (not drawn as a root here) and the low back's skin is not a leg dermatome [S20, S50]."""
    assigned = set().union(*(r.dermatome for r in anatomy.roots()))
    assert {r.id for r in anatomy.regions()} - assigned == {"groin", "lower_back"}
    assert "groin" not in anatomy.root("L2").dermatome
    # back pain is still part of each root's typical pain course (referred and radicular pain)
    assert all(r.pain_course[0] == "lower_back" for r in anatomy.roots() if r.name in ("L2", "L3", "L4", "L5", "S1"))


def test_every_movement_weakens_with_some_root():
    used = {m for r in anatomy.roots() for m in r.weakness}
    assert {m.id for m in anatomy.movements()} - used == set()


def test_every_reflex_belongs_to_some_root():
    used = {x for r in anatomy.roots() for x in r.all_reflexes}
    assert {x.id for x in anatomy.reflexes()} == used


def test_pain_course_runs_from_the_spine_outwards():
    for r in anatomy.roots():
        course = r.pain_course
        assert len(set(course)) == len(course), f"{r.name} repeats a region in pain_course"
        if r.name in {"L4", "L5", "S1"}:  # the sciatica roots start at the back and end in the foot
            assert course[0] == "lower_back"
            assert course[-1] in r.dermatome


def test_every_cited_id_in_data_resolves():
    """Every id under a ``sources`` or ``*_sources`` key, flow or block style (``loader.cited_sources``)."""
    refs = anatomy.references()
    cited: set[str] = set()
    for path in DATA.glob("*.yaml"):
        if path.name == "references.yaml":
            continue
        cited |= {source for source, _line in loader.cited_sources(path.name)}
    assert cited, "no sources found at all: the data changed"
    assert cited - set(refs) == set()


def test_reference_ids_are_unique_and_well_formed():
    raw = yaml.safe_load((DATA / "references.yaml").read_text(encoding="utf-8"))
    ids = [r["id"] for r in raw]
    assert len(ids) == len(set(ids))
    for r in raw:
        shown = r.get("doi") or r.get("pmid") or r.get("pmcid") or r.get("url")
        assert shown or r.get("note") or r.get("kind") == "secondary", f"{r['id']}: no identifier, no note why"


def test_red_flags_cover_the_cauda_equina_emergencies_in_every_locale():
    ids = {f.id for f in redflags.red_flags() if f.cauda_equina and f.urgency == "emergency"}
    assert {"both_legs", "saddle_numbness", "bladder_bowel_change", "sexual_change"} <= ids
    for locale in locales.ids():
        assert {f.id for f in redflags.flags_at("emergency", locale)} >= ids | {"major_trauma"}
    assert "A&E" in redflags.action("emergency", "uk") and "999" in redflags.action("emergency", "uk")
    assert "911" in redflags.action("emergency", "us") and "emergency room" in redflags.action("emergency", "us")
    assert "local emergency number" in redflags.action("emergency", "intl")


def test_red_flag_box_names_every_sign_of_the_box():
    md, html = redflags.box_markdown(), redflags.box_html()
    for f in redflags.red_flags():
        if f.group in redflags.BOX_GROUPS:
            assert f.label in md
            assert f.label.replace("&", "&amp;") in html
        else:
            assert f.label not in md  # model-only flags are not in the box
    assert "http" not in html  # self-contained: no external style or script


def test_data_readme_lists_every_data_file():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.glob("*.yaml"):
        assert f"`{path.name}`" in readme, f"data/README.md does not describe {path.name}"


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of data/ the test may break, with the loaders pointed at it."""
    import shutil

    from sciatica_edu.facts import loader

    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setattr(loader, "data_dir", lambda: copy)
    loader.load_yaml.cache_clear()
    anatomy._anatomy.cache_clear()
    yield copy
    loader.load_yaml.cache_clear()
    anatomy._anatomy.cache_clear()


def test_schema_rejects_an_unknown_key(broken_data):
    path = broken_data / "roots.yaml"
    path.write_text(path.read_text().replace("    reflex: ankle\n", "    reflex: ankle\n    colour: red\n"))
    with pytest.raises(anatomy.DataError, match="colour"):
        anatomy.roots()


def test_integrity_check_rejects_a_dangling_region(broken_data):
    path = broken_data / "roots.yaml"
    path.write_text(path.read_text().replace("[posterior_leg, lateral_ankle, heel", "[calf, lateral_ankle, heel"))
    with pytest.raises(anatomy.DataError, match="unknown region 'calf'"):
        anatomy.roots()


def test_integrity_check_rejects_a_dangling_source(broken_data):
    path = broken_data / "discs.yaml"
    text = path.read_text()
    first = re.search(r"sources: \[[^\]]*\]", text).group(0)
    path.write_text(text.replace(first, "sources: [S999]", 1))
    with pytest.raises(anatomy.DataError, match="S999"):
        anatomy.zones()
