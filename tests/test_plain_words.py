"""Plain words on patient pages: every abbreviation is spelled out or explained where a page first uses it.

Checked on the patient notebooks' Markdown (00-06, each a page of its own) and on the exported patient pages'
visible text (00-06 and the session, 10), where the red-flag box and the figures' words are part of the page.
The Sources list is bibliography and is not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: Abbreviation -> words that spell it out or explain it (any one, lower case), near its first use on a page.
ABBREVIATIONS = {
    "A&E": ("emergency department", "accident and emergency"),
    "GP": ("family doctor", "general practitioner"),
    "NHS": ("national health service",),
    "NICE": ("national institute for health and care excellence",),
    "MRI": ("magnetic resonance", "strong magnet"),
    "TENS": ("electric pulses", "transcutaneous electrical nerve stimulation"),
    "CES": ("cauda equina syndrome",),
    "CKS": ("clinical knowledge summaries",),
    "ISNCSCI": ("international standards",),
}
#: How far (characters) either side of the first use the explanation may be: the same sentence or the next.
WINDOW = 120


def unexplained(text: str) -> list[str]:
    """Abbreviations whose first use in ``text`` has none of its explanations within ``WINDOW`` characters."""
    problems = []
    for abbr, explanations in ABBREVIATIONS.items():
        match = re.search(rf"(?<![\w&]){re.escape(abbr)}(?![\w&])", text)
        if not match:
            continue
        near = " ".join(text[max(0, match.start() - WINDOW) : match.end() + WINDOW].split()).lower()
        if not any(e in near for e in explanations):
            words = " ".join(text[match.start() : match.end() + 60].split())
            problems.append(f"{abbr} first used unexplained: ...{words}...")
    return problems


def markdown_text(nb) -> str:
    """A notebook's Markdown as read on its page: no Sources list, no comments, link text kept."""
    text = nt.prose(nb, skip_generated=("sources",))
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


PATIENT = [
    p for p in nt.notebook_paths(NOTEBOOKS)
    if nbformat.read(str(p), as_version=4).metadata.get("sciatica_edu", {}).get("audience") == "patient"
]


def test_the_check_can_fail_and_pass():
    assert unexplained("Go to A&E now. A&E is the hospital emergency department.") == []  # within the window
    assert unexplained("Ask your GP.\n\n" + "x " * 100 + "A GP is a family doctor.")  # explained too late
    assert unexplained("The advice follows NICE.") and unexplained("You may need an MRI.")
    assert unexplained("Call NHS 111 (the National Health Service help line).") == []
    assert unexplained("No abbreviations here.") == []


def test_the_patient_notebooks_are_measured():
    assert [p.name[:2] for p in PATIENT] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", PATIENT, ids=lambda p: p.stem)
def test_patient_notebook_explains_each_abbreviation_on_first_use(path):
    assert unexplained(markdown_text(nbformat.read(str(path), as_version=4))) == []


@pytest.mark.slow
def test_exported_patient_pages_explain_each_abbreviation_on_first_use(exported_site):
    from test_export import before_sources, patient_pages, visible_text  # the page helpers of the export tests

    pages = patient_pages(exported_site)
    assert len(pages) == 8
    for page in pages:
        text = visible_text(before_sources(page.read_text(encoding="utf-8")))
        assert unexplained(text) == [], page.name


#: Notebooks a patient reads (00-06) and the session shown to one (10).
PATIENT_AND_SESSION = [
    *PATIENT, *(p for p in nt.notebook_paths(NOTEBOOKS)
                if nbformat.read(str(p), as_version=4).metadata.get("sciatica_edu", {}).get("audience") == "clinician")
]


def clinician_words(text: str) -> list[str]:
    """Each use of "clinician" (not an everyday word, sixth review, item 3), with the words around it."""
    return [" ".join(text[max(0, m.start() - 40): m.end() + 40].split())
            for m in re.finditer(r"\bclinicians?\b", text, re.I)]


def test_the_clinician_check_can_fail_and_pass():
    assert clinician_words("Tell your clinician.") and clinician_words("Clinicians agree.")
    assert clinician_words("Tell your doctor or physio.") == []


@pytest.mark.parametrize("path", [p for p in PATIENT_AND_SESSION if p.name[:2] in ("05", "06", "10")],
                         ids=lambda p: p.stem)
def test_patient_pages_say_doctor_or_physio_not_clinician(path):
    """05, 06 and 10 say "your doctor or physio(therapist)" or "the doctor, nurse or physio you see", never
    "clinician" (the Sources list, bibliography, is not checked; 00's hub line for the clinicians' notebook and 02
    are left to the lead)."""
    assert clinician_words(markdown_text(nbformat.read(str(path), as_version=4))) == []


def test_the_patient_figure_and_the_handout_say_doctor_or_physio_not_clinician():
    from sciatica_edu.figures.style import PATIENT_CAPTIONS
    from sciatica_edu.model.scenario import Compression
    from sciatica_edu.pages import handout

    assert clinician_words(" ".join(PATIENT_CAPTIONS.values())) == []
    page = handout.handout_html(Compression("L4-L5", "paracentral", "left", 0.5), figure="")
    text = handout.visible_text(page)
    assert "tell your doctor or physio" in " ".join(text.split())
    assert clinician_words(text) == []
