"""Evidence a clinician can check: every patient-facing statement rests on a primary source, every link is canonical.

Primary = guideline, systematic review, trial, cohort, narrative review, standard, textbook or official patient
information (``anatomy.PRIMARY_KINDS``). Secondary sources (blogs, study notes, AI summaries, news, Wikipedia)
may stand beside them as extra reading, never alone. ``read_at`` (where a copy was read) is never shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_citations as nc
from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import advice, anatomy, causes, glossary, locales, redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout

REPO = Path(__file__).resolve().parent.parent
PATIENT_FACING = ("patient", "clinician")  # notebooks 00-06 and the session notebook 10


def _primary(ids) -> bool:
    refs = anatomy.references()
    return any(refs[i].primary for i in ids)


def test_every_reference_has_a_kind_and_only_canonical_links():
    for ref in anatomy.references().values():
        assert ref.kind in (*anatomy.PRIMARY_KINDS, "secondary")
        if ref.link:
            assert anatomy.is_canonical(ref.link), (ref.id, ref.link)
        for copy in ref.read_at:  # a copy elsewhere is never the address shown
            assert copy != ref.link or anatomy.is_canonical(copy), ref.id


def test_a_copy_site_cannot_be_given_as_the_canonical_url(tmp_path):
    with pytest.raises(ValueError, match="not a publisher, guideline body or health service"):
        anatomy.Reference(id="S999", citation="Someone. A page about sciatica. 2020.", kind="narrative review",
                          url="https://www.scribd.com/document/1/copy")
    with pytest.raises(ValueError, match="secondary_type goes with kind 'secondary'"):
        anatomy.Reference(id="S999", citation="Someone. A blog post about sciatica.", kind="secondary")


def _data_statements() -> list[tuple[str, tuple[str, ...]]]:
    """Every statement from data/ that a patient reads, with its sources."""
    out: list[tuple[str, tuple[str, ...]]] = []
    out += [(f"red flag {f.id}", f.sources) for f in redflags.red_flags()]
    for loc in locales.locales():
        out += [(f"locale {loc.id} {level}", ids) for level, ids in loc.sources.items()]
    out += [(f"glossary {t.id}", t.sources) for t in glossary.terms()]
    out += [(f"cause {c.id}", c.sources) for c in causes.causes()]
    out += [(f"zone {z.id}", z.sources) for z in anatomy.zones()]
    out += [(f"root {r.name}", r.sources) for r in anatomy.roots()]
    out += [(f"advice {a.id}", a.sources) for a in advice.items()]
    return out


def test_every_patient_facing_statement_in_data_has_a_primary_source():
    weak = [f"{what}: {list(ids)}" for what, ids in _data_statements() if not _primary(ids)]
    assert weak == []


def _patient_notebooks() -> list[Path]:
    return [p for p in nt.notebook_paths() if nt.read(p).metadata.get("sciatica_edu", {}).get("audience")
            in PATIENT_FACING]


def _secondary(ids) -> list[str]:
    refs = anatomy.references()
    return [i for i in ids if not refs[i].primary]


def _ids(text: str) -> list[str]:
    """Every source id in ``[S.., S..]`` brackets of Markdown or in ``#src-S..`` anchors and links of a page."""
    ids = [i for group in nt.CITE_RE.findall(text) for i in re.findall(r"S\d+[a-z]?", group)]
    return ids + re.findall(r'(?:href="#|id=")src-(S\d+[a-z]?)"', text)


def test_the_secondary_checks_can_fail():
    assert anatomy.reference("S13e").kind == "secondary" and anatomy.reference("S12").primary
    assert _secondary(_ids("Go to A&E [S12, S13e]. <a href=\"#src-S30\">1</a>")) == ["S13e", "S30"]


@pytest.mark.parametrize("path", _patient_notebooks(), ids=lambda p: p.stem)
def test_a_patient_notebook_cites_primary_sources_only(path):
    """Hand-written prose and generated cells (red-flag box, checklist, "What you can do now") cite no secondary
    source, so the Sources list built from them lists none either."""
    nb = nt.read(path)
    weak = [f"cell {n}: {_secondary(_ids(c.source))}" for n, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and _secondary(_ids(c.source))]
    assert weak == []
    assert nt.listed_ids(nb) and _secondary(nt.listed_ids(nb)) == []
    assert nc.secondary_citations(nb) == []


def test_a_student_notebook_still_cites_secondary_sources_as_extra_reading():
    students = [nt.read(p) for p in nt.notebook_paths() if nt.audience_of(nt.read(p)) == "student"]
    assert students and any(_secondary(nt.cited_ids(nb)) for nb in students)
    assert all(nc.secondary_citations(nb) == [] for nb in students)  # the lint leaves students' extra reading alone
    assert "S13e" in nt.red_flag_cell("uk", audience="student")  # a student's box keeps every source data/ gives


@pytest.mark.parametrize("locale", [loc.id for loc in locales.locales()])
@pytest.mark.parametrize("audience", PATIENT_FACING)
def test_generated_cells_rendered_for_patients_cite_primary_sources_only(locale, audience):
    for cell in (nt.red_flag_cell(locale, audience), nt.checklist_cell(locale, audience),
                 nt.actions_cell(locale, audience)):
        assert _ids(cell) and _secondary(_ids(cell)) == []
    assert _secondary(redflags.box_sources(locale))  # what is dropped: the box's data does have a secondary source


@pytest.mark.parametrize("locale", [loc.id for loc in locales.locales()])
def test_a_localized_patient_notebook_cites_primary_sources_only(locale):
    """``export --locale`` and ``present --locale`` rewrite the generated cells of a copy (``localize``)."""
    for path in _patient_notebooks():
        nb = nt.read(path)
        nt.localize(nb, locale)
        cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
        assert [i for c in cells for i in _secondary(_ids(c))] == [], (path.name, locale)


@pytest.mark.parametrize("locale", [loc.id for loc in locales.locales()])
def test_the_handout_cites_primary_sources_only(locale):
    """Its in-text notes (links to ``#src-..``) and its numbered Sources list, for several pictures."""
    for compression in (Compression("L5-S1", "paracentral", "right", 0.6), Compression("L4-L5", "central", "both", 1.0),
                        Compression("L3-L4", "foraminal", "left", 0.2)):
        page = handout.handout_html(compression, figure="", locale=locale)
        listed = handout.cited_ids(compression, locale)
        notes = re.findall(r'href="#src-(S\d+[a-z]?)"', page)
        assert listed and notes and set(notes) <= set(listed)
        assert _secondary(listed) == [] and _secondary(notes) == []


@pytest.mark.parametrize("locale", [loc.id for loc in locales.locales()])
def test_the_session_view_cites_primary_sources_only(tmp_path, locale):
    """Notebook 10 as ``present`` serves it: localized, citations turned into numbered notes."""
    from sciatica_edu import present

    session = next(p for p in nt.notebook_paths() if nt.audience_of(nt.read(p)) == "clinician")
    nb = nt.read(present.localized_notebook(session, tmp_path, locale))
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.findall(r'href="#src-', text) and _secondary(_ids(text)) == []


@pytest.mark.slow
def test_the_exported_patient_pages_list_no_secondary_source(exported_site):
    from sciatica_edu.pages import export

    pages = [export.page_name(p) for p in nt.notebook_paths() if export.is_patient_page(nt.read(p))]
    assert len(pages) >= 8
    for name in pages:
        html = (exported_site / name).read_text(encoding="utf-8")
        listed = re.findall(r'<span id="src-(S\d+[a-z]?)"></span>', html)
        assert listed and _secondary(listed) == [], name
        assert _secondary(re.findall(r'href="#src-(S\d+[a-z]?)"', html)) == [], name
    students = [export.page_name(p) for p in nt.notebook_paths() if nt.audience_of(nt.read(p)) == "student"]
    shown = {i for name in students
             for i in re.findall(r"\bS\d+[a-z]?\b", (exported_site / name).read_text(encoding="utf-8"))}
    assert _secondary(sorted(shown & set(anatomy.references())))  # the students' pages keep their extra reading


# ---------------------------------------------------------------- the one rule and the tool that applies it


def test_patient_sources_keeps_the_primary_ids_in_order_once():
    ids = ["S13e", "S12", "S30", "S80", "S12"]
    assert [anatomy.reference(i).primary for i in ids] == [False, True, False, True, True]
    assert anatomy.patient_sources(ids) == ("S12", "S80")
    assert anatomy.patient_sources(("S80",)) == ("S80",)


@pytest.mark.parametrize("ids", [["S13e"], ["S13e", "S30", "S3"], []])
def test_patient_sources_refuses_a_list_with_no_primary_source(ids):
    with pytest.raises(ValueError, match="no primary source among") as err:
        anatomy.patient_sources(ids)
    assert all(i in str(err.value) for i in ids) and "guideline" in str(err.value)


@pytest.mark.parametrize(("ids", "message"), [("S12", "list or tuple"), (None, "list or tuple"),
                                              (["S999"], "unknown reference")])
def test_patient_sources_rejects_bad_input_clearly(ids, message):
    with pytest.raises(ValueError, match=message):
        anatomy.patient_sources(ids)


def _notebook(audience: str, *cells: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["sciatica_edu"] = {"audience": audience}
    nb.cells = [nbformat.v4.new_markdown_cell(c) for c in cells]
    nb.cells.append(nbformat.v4.new_markdown_cell(nt.sources_cell(nt.cited_ids(nb))))
    return nb


def test_drop_secondary_citations_rewrites_brackets_once_and_reports_one_with_no_primary():
    nb = _notebook("patient", "Go now [S12, S13e, S80]. Red flags [S30, S12].", "Only a blog [S30].",
                   "Clean [S11].")
    dropped, orphans = nc.drop_secondary_citations(nb)
    assert dropped == ["S13e", "S30"] and orphans == ["[S30]"]
    assert nb.cells[0].source == "Go now [S12, S80]. Red flags [S12]."
    assert nb.cells[1].source == "Only a blog [S30]."  # never emptied: reported for a person to fix
    assert nt.listed_ids(nb) == ["S12", "S80", "S30", "S11"]  # Sources rebuilt from what is still cited
    before = [c.source for c in nb.cells]
    assert nc.drop_secondary_citations(nb) == ([], ["[S30]"])  # idempotent
    assert [c.source for c in nb.cells] == before
    assert [line.split(" cites ")[1].split(" ")[0] for line in nc.secondary_citations(nb)] == ["S30"]


def test_patient_citations_command_acts_on_patient_notebooks_only(tmp_path, capsys):
    patient, student = tmp_path / "01-a.ipynb", tmp_path / "07-b.ipynb"
    nbformat.write(_notebook("clinician", "Go now [S12, S13e]."), str(patient))
    nbformat.write(_notebook("student", "Go now [S12, S13e]."), str(student))
    assert nt.main(["check", "--dir", str(tmp_path)]) == 1
    assert "01-a.ipynb: secondary: cell 0 cites S13e (clinic page)" in capsys.readouterr().out
    assert nt.main(["patient-citations", str(patient), str(student)]) == 0
    assert capsys.readouterr().out == "01-a.ipynb: dropped S13e\n"
    assert nt.read(patient).cells[0].source == "Go now [S12]." and nt.listed_ids(nt.read(patient)) == ["S12"]
    assert nt.read(student).cells[0].source == "Go now [S12, S13e]."
    assert nt.main(["patient-citations", str(patient)]) == 0  # a second run changes nothing
    assert "no secondary citations to drop" in capsys.readouterr().out
    assert nt.main(["check", "--dir", str(tmp_path)]) == 0


def test_patient_citations_command_usage_errors(tmp_path, capsys):
    nbformat.write(_notebook("patient", "Only a blog [S30]."), str(tmp_path / "01-a.ipynb"))
    assert nt.main(["patient-citations", str(tmp_path / "01-a.ipynb")]) == 1  # a bracket with no primary id
    assert "[S30] has no primary source" in capsys.readouterr().err
    assert nt._main_cleanly(["patient-citations", str(tmp_path / "missing.ipynb")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    for argv in (["patient-citations"], ["check", str(tmp_path / "01-a.ipynb")]):
        with pytest.raises(SystemExit) as stop:
            nt.main(argv)
        assert stop.value.code == 2


def _read_at_addresses() -> set[str]:
    """Where copies were read, outside the canonical hosts (a copy read on the health service's own site is fine)."""
    return {u for r in anatomy.references().values() for u in r.read_at if not anatomy.is_canonical(u)}


def _links(html: str) -> list[str]:
    return re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", html, re.I)


@pytest.mark.parametrize("locale", ["uk", "us", "intl"])
def test_handout_links_only_canonical_sources_and_never_a_copy(locale):
    page = handout.handout_html(Compression("L5-S1", "paracentral", "right", 0.6), figure="", locale=locale)
    links = _links(page)
    assert links and all(anatomy.is_canonical(u) for u in links)
    assert not [u for u in _read_at_addresses() if u in page]


def test_notebook_sources_link_only_canonical_sources_and_never_a_copy():
    copies = _read_at_addresses()
    for path in nt.notebook_paths():
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if nt.generated(cell) != "sources":
                continue
            for url in re.findall(r"<(https?://[^>]+)>", cell.source):
                assert anatomy.is_canonical(url), (path.name, url)
            assert not [u for u in copies if u in cell.source], path.name


def test_a_book_nobody_could_look_up_supports_no_patient_statement():
    """Seventh review: "Taylor & Francis. Textbook chapter." and "Chapter 128 in an atlas of pain syndromes" on patient
    pages cannot be followed up. Such entries are marked ``unidentified``: kept for the team, never cited to a
    patient."""
    refs = anatomy.references()
    unidentified = {i for i, r in refs.items() if r.unidentified}
    assert {"S29f", "S30b", "S42b"} <= unidentified
    assert all(refs[i].kind != "secondary" and not refs[i].primary for i in unidentified)
    assert anatomy.patient_sources(["S30b", "S40"]) == ("S40",)
    with pytest.raises(ValueError, match="no primary source"):
        anatomy.patient_sources(["S30b"])
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        if nb.metadata.get("sciatica_edu", {}).get("audience") in PATIENT_FACING:
            text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            assert not [i for i in unidentified if re.search(rf"\b{i}\b(?![a-z])", text)], path.name
