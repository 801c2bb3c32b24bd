"""What a reader sees of a source is bibliographic: author or body, title, publisher or site, year, identifier.

The third PEMAT-P review found authors' notes inside the titles of every Sources list ("(trauma notes;
operativeneurosurgery)", "chapter title not confirmed", "(secondary)", "older version of the nhs.uk page
(syndicated)"). Such remarks belong in a source's ``note`` or ``evidence`` (never shown); ``citation`` is what every
Sources list prints, alone with the source's one canonical link.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import anatomy
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import export, handout

#: Words of provenance, doubt or editing, which no bibliographic description uses.
EDITORIAL = (
    "not confirmed", "not read", "not seen", "not shown", "not identified", "unidentified", "not used as evidence",
    "uncited", "(secondary", "secondary)", "syndicated", "study notes", "trauma notes", "personal", "citing", "cites ",
    "(summary of", "restat", "mirror", "older version", "current version", "(also", "probably", "squarespace",
    "do not cite", "check ", "verify", "→",
)
#: Inside brackets a citation names a site, a series, a medium or an abbreviation; a list (";"), a figure ("%") or a
#: spinal level there is what the source was cited for: a remark.
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_REMARK = re.compile(r";|%|\b[LST]\d")


def remarks(citation: str) -> list[str]:
    """The editorial remarks found in a citation (an empty list for a clean one)."""
    found = [w for w in EDITORIAL if w in citation.lower()]
    for m in _BRACKETS.finditer(citation):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if re.fullmatch(r"[\d\-–]+", inner):  # an issue or page range: Pain 2009;147(1-3):17-19
            continue
        if _REMARK.search(inner):
            found.append(m.group(0))
    return found


@pytest.mark.parametrize("citation", [
    "Conus medullaris and cauda equina (trauma notes; operativeneurosurgery).",
    "Low back pain ± sciatica red-flag table (clinician study notes on a personal squarespace site).",
    "NHS Choices. Sciatica — older version of the nhs.uk page (syndicated).",
    "Taylor & Francis book chapter (roots exit below the same-numbered pedicle); book title, authors and chapter title "
    "not confirmed.",
    "iatroX summary of NICE management of chronic sciatica (secondary).",
    "Anatomy.app. Cauda equina (L2–S5, coccygeal).",
    "Erasmus University repository thesis chapter (prevalence 1.6–43%; 90% disc; up to 30% pain at 1 year).",
    "StethoPrep MCQ (Chaurasia): L4–5 posterolateral → L5.",
])
def test_the_check_finds_the_remarks_the_review_found(citation):
    """The review's own examples (the old data): each is caught."""
    assert remarks(citation), citation


@pytest.mark.parametrize("citation", [
    "Bogduk N. On the definitions and physiology of back pain, referred pain, and radicular pain. Pain 2009;147(1-3):"
    "17-19.",
    "Dahm KT, Brurberg KG, Jamtvedt G, Hagen KB. Advice to rest in bed versus advice to stay active for acute low-back "
    "pain and sciatica. Cochrane Database Syst Rev 2010;(6):CD007612.",
    "NHS. Sciatica (nhs.uk Health A to Z).",
    "Spine-health. L4–L5 degenerative spondylolisthesis (video).",
])
def test_the_check_passes_bibliographic_citations(citation):
    assert remarks(citation) == []


def test_no_citation_carries_an_authors_remark():
    bad = {r.id: remarks(r.citation) for r in anatomy.references().values() if remarks(r.citation)}
    assert bad == {}, bad


def _shown(ref) -> str:
    """What a Sources list may show for one source: its citation, and its one canonical link."""
    return ref.citation + (f" {ref.link}" if ref.link else "")


def _private(ref) -> list[str]:
    """Text of the never-shown fields (note, evidence, read_at), in pieces long enough to be told apart."""
    pieces = [p for field in (ref.note, ref.evidence) if field for p in re.split(r"(?<=[.;])\s+", field)]
    pieces += [u for u in ref.read_at if u != ref.link and u != ref.url]
    return [p for p in pieces if len(p) >= 25 and p not in ref.citation and p not in (ref.link or "")]


def test_a_notebooks_sources_list_shows_only_each_citation_and_its_link():
    ids = list(anatomy.references())
    cell = nt.sources_cell(ids)
    items = re.findall(r"^- \*\*\[(S\d+[a-z]?)\]\*\* (.*)$", cell, re.M)
    assert [i for i, _ in items] == ids
    for ref_id, text in items:
        ref = anatomy.reference(ref_id)
        assert text.replace(f" <{ref.link}>", f" {ref.link}") == _shown(ref), ref_id
        assert not [p for p in _private(ref) if p in text], ref_id
    # and the exported page's numbered form of it (export.number_citations) adds only numbers and anchors
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(cell)]
    numbered = export.number_citations(nb).cells[0].source
    for n, ref_id in enumerate(ids, start=1):
        ref = anatomy.reference(ref_id)
        line = next(ln for ln in numbered.splitlines() if f'id="src-{ref_id}"' in ln)
        assert line == f'{n}. <span id="src-{ref_id}"></span>' + ref.citation + (f" <{ref.link}>" if ref.link else "")


def test_the_handouts_sources_list_shows_only_each_citation_and_its_link():
    page = handout.handout_html(Compression("L4-L5", "central", "both", 0.9), figure="")
    items = re.findall(r'<li id="src-(S\d+[a-z]?)">(.*?)</li>', page, re.S)
    assert len(items) >= 5
    for ref_id, html in items:
        ref = anatomy.reference(ref_id)
        text = handout.visible_text(html, skip_sources=False).strip()
        link = f" {ref.link.split('://', 1)[1]}" if ref.link else ""
        assert " ".join(text.split()) == " ".join((ref.citation + link).split()), ref_id
        assert not remarks(text), ref_id
