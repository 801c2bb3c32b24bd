"""PEMAT-P items 2, 6, 19 and 17 on the last pages below target (issue 14, docs/pemat.md "Third independent review"),
and the fourth review's points on 05 (items 2, 6, 15, 16, 25, 26 and the weakness safety point): no body pictures of
a "worse spell", a timeline table made from data with a picture of it, the operation number without a double
negative, the outlook numbers linked, no spinal fusion line.

05 "Getting better": one outlook number in the main path (item 6), the operation study's numbers only in the part
about an operation and never about recovery (item 6), a timeline table whose rows are all times, in order (item 19),
and guideline disagreements and cold packs left to the students' notebook 07 (item 2). The handout gives the same
single outlook number. 00's body picture has a "Using this picture:" caption under it (item 17/25).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import diagram
from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import advice, anatomy
from sciatica_edu.figures import timeline
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: "55 in 100", "about 6 in 10", "20 to 30 in 100": how the pages give a share of people.
SHARE = re.compile(r"\b\d+(?: to \d+)? in 10{1,2}\b")
#: The part of 05 that holds what a patient offered an injection or an operation needs.
OFFERED = "## If an injection or an operation is offered"
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
WORD_NUMBERS = {"a": 1, "one": 1, "two": 2, "a few": 3}


def _nb(name: str):
    return nbformat.read(str(NOTEBOOKS / name), as_version=4)


def _sections(nb) -> dict[str, str]:
    """Each '## ' section of a notebook's hand-written Markdown, by its heading: generated cells left out, but for
    05's timeline table (made from data/advice.yaml, it is the section's content)."""
    found: dict[str, str] = {}
    heading = ""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or nt.generated(cell) not in (None, "timeline"):
            continue
        for part in re.split(r"(?m)^(?=## )", cell.source):
            if part.startswith("## "):
                heading = part.splitlines()[0]
            found[heading] = found.get(heading, "") + "\n" + part
    return found


def shares(text: str) -> list[str]:
    return SHARE.findall(text)


def when_in_days(label: str) -> float | None:
    """When a timeline row starts, in days ("First days" 0, "First weeks" 6, "After about 6 weeks" 42, "After a
    year" 365); None when the label is not a time (a condition such as "If pain stays severe", or "Any time").
    "First <unit>s" counts from the end of the first such unit less a day, so "First weeks" follows "First days"."""
    text = label.strip().lower()
    m = re.fullmatch(r"(first|about|after|by|within)?\s*(?:about\s+)?(\d+|a few|a|one|two)?(?:\s+to\s+\d+)?\s*"
                     r"(day|week|month|year)s?", text)
    if not m:
        return None
    lead, number, unit = m.groups()
    if lead == "first":
        return UNIT_DAYS[unit] - 1
    if number is None:
        return None
    return (int(number) if number.isdigit() else WORD_NUMBERS[number]) * UNIT_DAYS[unit]


@pytest.fixture(scope="module")
def page05() -> dict[str, str]:
    return _sections(_nb("05-getting-better.ipynb"))


def test_05_gives_the_outlook_in_words_without_a_study_share(page05):
    """Fifth review, item 6: a study's "55 in 100" beside "much better within 4 to 6 weeks" read as a contradiction, so
    the main path says the outlook in words (most get better within weeks to months; some still have pain after a
    year); the only share left on 05 is the operation study's, about operations."""
    main = "\n".join(text for heading, text in page05.items() if heading != OFFERED)
    assert shares(main) == [], shares(main)
    stage = next(s for s in advice.timeline() if s.when == "After a year")
    assert not shares(stage.happens) and "Some still have some pain" in stage.happens


def test_05_operation_numbers_are_about_operations_not_recovery(page05):
    part = page05[OFFERED]
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", part) if SHARE.search(s)]
    assert sentences, "the operation study's number is gone: say so in docs/pemat.md before removing this"
    for s in sentences:
        assert "operation" in s and not re.search(r"recover|better", s), s


def test_05_keeps_the_conditions_under_the_timeline_as_bullets(page05):
    part = page05["## A usual timeline"]
    assert "|" not in part  # the timeline is the picture only (fifth review, item 2: not twice)
    assert re.search(r"stays severe", part) and re.search(r"warning", part)


@pytest.mark.parametrize(
    ("label", "days"),
    [("First days", 0), ("First weeks", 6), ("After about 6 weeks", 42), ("About 6 to 8 weeks", 42),
     ("After a year", 365), ("After a few weeks", 21), ("Any time", None), ("If pain stays severe", None)],
)
def test_when_in_days_reads_times_and_rejects_conditions(label, days):
    assert when_in_days(label) == days


def test_05_leaves_guideline_disagreements_and_cold_packs_to_07(page05):
    text = "\n".join(page05.values())
    for gone in ("Cold packs", "US guideline", "2025", "disagree", "Why are the numbers"):
        assert gone not in text, gone
    student = nt.prose(_nb("07-clinical-patterns.ipynb"))
    assert "a 2025 BMJ guideline" in student and "cold" in student and "Acupuncture" in student


def test_05_summary_matches_the_new_sections(page05):
    summary = page05["## Summary"]
    assert "timeline" in summary and "benefits and risks" in summary
    assert not shares(summary)


def test_the_handout_gives_the_outlook_in_the_same_words_as_05(page05):
    """The handout's "Good to know" (``recovery_year``) and 05's timeline say the outlook in words, with no share."""
    page = handout.handout_html(Compression("L4-L5", "paracentral", "left", 0.5))
    text = " ".join(handout.visible_text(page).split())
    assert shares(text) == [], shares(text)
    assert advice.item("recovery_year").text in text
    stage = next(s for s in advice.timeline() if s.when == "After a year")
    assert set(stage.happens_sources) <= set(advice.item("recovery_year").sources)


def test_00s_picture_has_a_caption_that_says_what_it_shows_and_what_to_do():
    cells = _nb("00-start-here.ipynb").cells
    i = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "body_figure(" in c.source)
    caption = cells[i + 1].source
    assert cells[i + 1].cell_type == "markdown" and caption.startswith("**Using this picture:**")
    assert "L5" in caption and "left" in caption  # what the default example shows
    assert re.search(r"\b(compare|show|tell|ask)\b", caption, re.I)


# ------------------------------------------------------------------ the fourth review's points (issue 14)


def test_05_has_no_body_pictures_and_its_one_figure_is_the_timeline():
    """The "worse spell" picture drew "may be weak" arrows as part of a normal bad spell (every page says weakness
    needs help the same day); the two spell pictures are gone, their lead-ins too, and the timeline is drawn."""
    nb = _nb("05-getting-better.ipynb")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert [c for c in code if "figure(" in c] == ["diagram.timeline_figure()"]
    text = nt.prose(nb)
    for gone in ("worse spell", "milder spell", "Compression", "two pictures below"):
        assert gone not in text and gone not in "\n".join(code), gone


def test_05s_timeline_picture_has_a_caption_that_says_how_to_use_it():
    cells = _nb("05-getting-better.ipynb").cells
    i = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "timeline_figure(" in c.source)
    caption = cells[i + 1].source
    assert cells[i + 1].cell_type == "markdown" and caption.startswith("**Using this picture:**")
    assert "Find the one closest" in caption and "box at the bottom" in caption


def test_05_says_the_weakness_line_once_around_the_timeline(page05):
    """Sixth review, item 2: "if your leg or foot gets weaker, get help the same day" came three times around the
    picture (a bullet above it, its own box, the caption). It is said once, in the picture's "At any time" box (the
    hazard log's H16 mitigation); the words around it name the other conditions and point to the box."""
    words = page05["## A usual timeline"]
    fig = diagram.timeline_figure()
    drawn = [" ".join(a.text.replace("<br>", " ").split()) for a in fig.layout.annotations]
    box = [t for t in drawn if "At any time:" in t]
    assert len(box) == 1 and advice.item(timeline.ALWAYS).text in box[0], box
    assert "weaker" in advice.item(timeline.ALWAYS).text and "same day" in advice.item(timeline.ALWAYS).text
    assert "weaker" not in words and "same day" not in words, words
    assert "stays severe" in words and "warning sign" in words


def test_the_six_week_stage_says_what_its_text_and_source_say():
    """Sixth review, item 6: the stage was called "About 6 to 8 weeks" while its own words said "by about 6 weeks",
    and its source (Peul 2007, S16) speaks of sciatica "that does not resolve within 6 weeks": the stage is named
    for 6 weeks, the same number as its words and its source."""
    stage = next(s for s in advice.timeline() if "S16" in s.happens_sources)
    assert re.findall(r"\d+", stage.when) == re.findall(r"(\d+) weeks", stage.happens) == ["6"], stage
    assert "within 6 weeks" in anatomy.references()["S16"].evidence


def test_the_timelines_stages_are_times_in_order_in_the_data():
    days = [when_in_days(s.when) for s in advice.timeline()]
    assert None not in days and days == sorted(days) and len(days) == 4


def test_05s_operation_number_has_no_double_negative_and_matches_its_source(page05):
    part = page05[OFFERED]
    assert "about 6 in 10 people who waited did not have an operation in that year [S16]" in part
    assert "had not needed" not in part
    # Peul 2007 (S16): 55 of 142 who waited had an operation in the first year, so 87 of 142 (61 %) did not
    evidence = anatomy.references()["S16"].evidence
    assert "55 (39%) were treated surgically" in evidence and "first year" in evidence
    assert round((142 - 55) / 142 * 10) == 6


def test_05_has_no_spinal_fusion_line():
    """Fusion is a back-pain operation (S99), not a sciatica one; the operation part keeps its questions to ask."""
    nb = _nb("05-getting-better.ipynb")
    assert "fusion" not in nt.prose(nb).lower() and "S99" not in nt.cited_ids(nb)
    assert "Which operation do you suggest, and why?" in nt.prose(nb)
