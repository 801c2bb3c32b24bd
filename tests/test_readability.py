"""Plain language: patient notebooks read at Flesch-Kincaid grade 7.0 or below (textstat 0.7.8, offline).

The prose measured is every Markdown cell except the generated Sources and hub cells (the
red-flag box counts: patients read it). Run with ``-s`` to see the grade of each notebook.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
MAX_GRADE = 7.0
PATIENT = [
    p
    for p in nt.notebook_paths(NOTEBOOKS)
    if nbformat.read(str(p), as_version=4).metadata.get("sciatica_edu", {}).get("audience") == "patient"
]


def test_textstat_is_the_offline_version():
    major, minor, patch = (int(x) for x in version("textstat").split(".")[:3])
    assert (major, minor, patch) <= (0, 7, 8), "textstat above 0.7.8 downloads a corpus at run time"


def test_patient_notebooks_00_to_06_are_measured():
    assert [p.name[:2] for p in PATIENT][:7] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", PATIENT, ids=lambda p: p.stem)
def test_patient_notebook_reads_at_grade_7_or_below(path):
    grade = nt.reading_grade(nt.prose(nbformat.read(str(path), as_version=4)))
    print(f"\n{path.name}: Flesch-Kincaid grade {grade:.2f} (limit {MAX_GRADE})")
    assert grade <= MAX_GRADE


def test_the_measure_can_fail():
    hard = (
        "Lumbosacral radiculopathy, characterised by dermatomal hypoaesthesia and myotomal weakness, "
        "necessitates comprehensive neurological examination incorporating provocative manoeuvres."
    )
    assert nt.reading_grade(hard) > MAX_GRADE
    assert nt.reading_grade("The pain runs down the leg. It often gets better.") < MAX_GRADE


def test_bullets_are_sentences_not_one_run_on():
    as_list = "- pain in the back\n- pain in the leg\n- pins and needles in the foot\n- a weak big toe"
    run_on = "pain in the back pain in the leg pins and needles in the foot a weak big toe"
    assert nt.reading_grade(as_list) < nt.reading_grade(run_on)


#: Words a minute for the "Time to read" promise: an adult reading plain text aloud-in-the-head; slower readers
#: take longer, so the stated time must not be shorter than this gives (the fourth PEMAT review found 00 promising
#: 5 minutes for about 1,450 words).
WORDS_PER_MINUTE = 200


@pytest.mark.parametrize(
    "path", [p for p in nt.notebook_paths(NOTEBOOKS) if "Time to read:" in nt.read(p).cells[0].source],
    ids=lambda p: p.stem,
)
def test_the_time_to_read_is_not_shorter_than_the_page(path):
    import math
    import re

    nb = nbformat.read(str(path), as_version=4)
    stated = int(re.search(r"Time to read: (?:about |~)(\d+) min", nb.cells[0].source).group(1))
    words = len(nt.readable_text(nt.prose(nb)).split())
    assert stated >= math.floor(words / WORDS_PER_MINUTE), f"{path.name}: {words} words, says {stated} minutes"
