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


@pytest.mark.parametrize("path", _patient_notebooks(), ids=lambda p: p.stem)
def test_every_citation_a_patient_reads_has_a_primary_source(path):
    nb = nt.read(path)
    weak = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or nt.generated(cell) == "sources":
            continue
        for group in nt.CITE_RE.findall(cell.source):
            ids = re.findall(r"S\d+[a-z]?", group)
            if not _primary(ids):
                weak.append(f"[{group}]")
    assert weak == []


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
