"""One locale per output, in every notebook: once localized, no notebook's own words name another country's
services (hazard H5). The red-flag box, checklist and action cells are rewritten by ``localize``; any other
sentence must say "emergency help" or "a doctor" and leave the numbers to the box."""

import re

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu._files import find_notebooks

NOTEBOOKS = nt.notebook_paths()

# Words that belong to one locale only (each locale's own action text is checked to contain them below).
ONLY = {
    "uk": [r"A&E", r"\b999\b", r"NHS 111", r"\bGP\b"],
    "us": [r"\b911\b", r"emergency room", r"urgent care"],
    "intl": [r"local emergency number"],
}


def _prose(nb) -> str:
    """Every Markdown cell but the Sources list (a source's title may name the NHS)."""
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown" and nt.generated(c) != "sources")


def test_the_locale_words_are_each_locales_own():
    for locale, words in ONLY.items():
        box = nt.red_flag_cell(locale)
        assert any(re.search(w, box) for w in words), locale  # the list would catch a stray copy of this locale


@pytest.mark.parametrize("locale", sorted(ONLY))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_a_localized_notebook_names_no_other_countrys_services(path, locale):
    nb = nbformat.read(str(path), as_version=4)
    nt.localize(nb, locale)
    text = _prose(nb)
    for other, words in ONLY.items():
        if other == locale:
            continue
        for word in words:
            hit = re.search(word, text)
            assert hit is None, f"{path.name} ({locale}) says {hit.group(0)!r}: " + text[
                max(0, hit.start() - 80): hit.end() + 40]


@pytest.mark.parametrize("locale", sorted(ONLY))
def test_the_session_view_serves_one_locale_and_numbered_notes(tmp_path, locale):
    """`present` serves a copy of notebook 10: its box for the chosen country, and citations as numbered notes
    that link to its Sources list (a patient in the room sees small numbers, not "[S13, S83]")."""
    from sciatica_edu import present

    served = present.localized_notebook(find_notebooks() / "10-clinician-session.ipynb", tmp_path, locale)
    nb = nbformat.read(str(served), as_version=4)
    prose = _prose(nb)
    assert re.findall(r"\[S\d+[a-z]?(?:, S\d+[a-z]?)*\]", prose) == []
    notes = set(re.findall(r'<a href="#src-(S\d+[a-z]?)">\d+</a>', prose))
    anchors = set(re.findall(r'<span id="src-(S\d+[a-z]?)"></span>', nb.cells[-1].source + "".join(
        c.source for c in nb.cells if nt.generated(c) == "sources")))
    assert notes and notes <= anchors
    assert any(re.search(w, prose) for w in ONLY[locale])
    committed = nbformat.read(str(find_notebooks() / "10-clinician-session.ipynb"), as_version=4)
    assert re.search(r"\[S\d+", _prose(committed))  # the notebook itself keeps its [S..] form
