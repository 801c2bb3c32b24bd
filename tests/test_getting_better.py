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

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import advice, anatomy
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
    """When a timeline row starts, in days ("First days" 0, "First weeks" 6, "About 6 to 8 weeks" 42, "After a year"
    365); None when the label is not a time (a condition such as "If pain stays severe", or "Any time").
    "First <unit>s" counts from the end of the first such unit less a day, so "First weeks" follows "First days"."""
    text = label.strip().lower()
    m = re.fullmatch(r"(first|about|after|by|within)?\s*(\d+|a few|a|one|two)?(?:\s+to\s+\d+)?\s*"
                     r"(day|week|month|year)s?", text)
    if not m:
        return None
    lead, number, unit = m.groups()
    if lead == "first":
        return UNIT_DAYS[unit] - 1
    if number is None:
        return None
    return (int(number) if number.isdigit() else WORD_NUMBERS[number]) * UNIT_DAYS[unit]


def timeline_rows(markdown: str) -> list[tuple[str, str]]:
    """The (When, What) rows of the first Markdown table in ``markdown``."""
    rows = [ln for ln in markdown.splitlines() if ln.startswith("|")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in rows]
    return [(c[0], c[1]) for c in cells[2:]]


def timeline_problems(markdown: str) -> list[str]:
    """Why a timeline table is not time-only and in order; empty when it is."""
    found = []
    days = []
    for when, _ in timeline_rows(markdown):
        d = when_in_days(when)
        if d is None:
            found.append(f"row {when!r} is not a time")
        else:
            days.append(d)
    if days != sorted(days):
        found.append(f"rows out of order: {days}")
    if not days:
        found.append("no time rows")
    return found


@pytest.fixture(scope="module")
def page05() -> dict[str, str]:
    return _sections(_nb("05-getting-better.ipynb"))


def test_05_main_path_has_exactly_one_outlook_number(page05):
    main = "\n".join(text for heading, text in page05.items() if heading != OFFERED)
    assert shares(main) == ["55 in 100"], shares(main)
    assert "After a year" in main and "family doctor" in main  # its time frame and who it is about


def test_05_operation_numbers_are_about_operations_not_recovery(page05):
    part = page05[OFFERED]
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", part) if SHARE.search(s)]
    assert sentences, "the operation study's number is gone: say so in docs/pemat.md before removing this"
    for s in sentences:
        assert "operation" in s and not re.search(r"recover|better", s), s


def test_05_timeline_rows_are_all_times_in_order(page05):
    table = page05["## A usual timeline"]
    assert timeline_problems(table) == []
    # the condition rows live as bullets under the table: severe pain, weaker leg, warning signs
    after = table.split("\n\n", 3)[-1]
    assert re.search(r"stays severe", after) and re.search(r"weaker", after) and re.search(r"warning", after)


@pytest.mark.parametrize(
    ("label", "days"),
    [("First days", 0), ("First weeks", 6), ("About 6 to 8 weeks", 42), ("After a year", 365),
     ("After a few weeks", 21), ("Any time", None), ("If pain stays severe", None)],
)
def test_when_in_days_reads_times_and_rejects_conditions(label, days):
    assert when_in_days(label) == days


def test_the_timeline_check_can_fail():
    mixed = "| When | What |\n|---|---|\n| After a year | x |\n| First days | y |\n| Any time | z |\n"
    assert timeline_problems(mixed) == ["row 'Any time' is not a time", "rows out of order: [365, 0]"]


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


def test_the_handout_gives_the_same_single_outlook_number_as_05(page05):
    """The handout says the ATLAS outlook in full (``recovery_year``); 05's timeline says it in its "After a year"
    row: the same one number, about the same people (who saw their family doctor), the same time and source."""
    page = handout.handout_html(Compression("L4-L5", "paracentral", "left", 0.5))
    text = " ".join(handout.visible_text(page).split())
    assert shares(text) == ["55 in 100"], shares(text)
    assert advice.item("recovery_year").text in text
    row = dict(timeline_rows(page05["## A usual timeline"]))["After a year"]
    assert shares(row) == ["55 in 100"] and "family doctor" in row and "year" in row
    cited = set(re.findall(r"S\d+[a-z]?", " ".join(nt.CITE_RE.findall(row))))
    assert cited == set(advice.item("recovery_year").sources)


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
    assert "Find the one closest" in caption and "same day" in caption and nt.CITE_RE.search(caption)


def test_05s_timeline_table_is_the_data_and_says_how_to_use_it(page05):
    """One source for the table and the picture: the table on 05 is ``advice.timeline_markdown("uk")`` as it is."""
    part = page05["## A usual timeline"]
    assert advice.timeline_markdown("uk") in part
    assert [when for when, _ in timeline_rows(part)] == [s.when for s in advice.timeline("uk")]
    assert 'find where you are in the table. If you are past "First weeks" and not better, see your GP' in part


def test_the_timelines_stages_are_times_in_order_in_the_data():
    days = [when_in_days(s.when) for s in advice.timeline()]
    assert None not in days and days == sorted(days) and len(days) == 4


def test_the_table_check_can_fail():
    other = advice.timeline_markdown("us")
    assert "See your doctor" in other and "See your GP" not in other
    assert other != advice.timeline_markdown("uk")


def test_05s_timeline_cell_is_generated_and_localized():
    """The table is a generated cell (``notebook_tools.timeline_cell``): ``sync`` keeps it equal to the data and
    ``localize`` gives another country's reader its own word for the doctor."""
    nb = _nb("05-getting-better.ipynb")
    cells = [c for c in nb.cells if nt.generated(c) == "timeline"]
    assert len(cells) == 1 and cells[0].source == nt.timeline_cell("uk")
    assert nt.localize(nb, "us")
    us = next(c.source for c in nb.cells if nt.generated(c) == "timeline")
    assert us == nt.timeline_cell("us") and "see your doctor" in us and "GP" not in us


def test_05s_operation_number_has_no_double_negative_and_matches_its_source(page05):
    part = page05[OFFERED]
    assert "about 6 in 10 people who waited did not have an operation in that year [S16]" in part
    assert "had not needed" not in part
    # Peul 2007 (S16): 55 of 142 who waited had an operation in the first year, so 87 of 142 (61 %) did not
    evidence = anatomy.references()["S16"].evidence
    assert "55 (39%) were treated surgically" in evidence and "first year" in evidence
    assert round((142 - 55) / 142 * 10) == 6


def test_05_links_the_weeks_and_the_year_outlook(page05):
    """ "Many people feel much better within 4 to 6 weeks" and the year study's number are linked in plain words:
    the year study counted people with leg pain of any duration, long-standing pain improved less, and "clearly
    improved" was a fixed step (S9's evidence says both)."""
    part = page05["## A usual timeline"]
    bridge = next(line for line in part.splitlines() if line.startswith("**Why do fewer people"))
    assert "long time" in bridge and "a third less" in bridge and "[S9]" in bridge and "within weeks" in bridge
    evidence = anatomy.references()["S9"].evidence
    assert "30% or more reduction in disability" in evidence and "longer leg pain duration" in evidence


def test_05_has_no_spinal_fusion_line():
    """Fusion is a back-pain operation (S99), not a sciatica one; the operation part keeps its questions to ask."""
    nb = _nb("05-getting-better.ipynb")
    assert "fusion" not in nt.prose(nb).lower() and "S99" not in nt.cited_ids(nb)
    assert "Which operation do you suggest, and why?" in nt.prose(nb)
