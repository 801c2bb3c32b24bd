"""Take-home handout: content, one self-contained file, no external loads, size, print CSS, plain language."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from pathlib import Path

import pytest
import textstat
from markupsafe import escape as markup_escape

from sciatica_edu import __version__, cli, diagram
from sciatica_edu.facts import advice, anatomy, glossary, locales, redflags
from sciatica_edu.figures import felt as felt_fig
from sciatica_edu.figures import printed
from sciatica_edu.model import words as model_words
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import export, handout

CLI_EXAMPLE = Compression("L5-S1", "paracentral", "left", 0.6)
MAX_BYTES = 5_000_000  # "<= 5 MB", read strictly as decimal megabytes
MAX_GRADE = 7.0


@pytest.fixture(scope="module")
def page() -> str:
    return handout.handout_html(CLI_EXAMPLE)


def _grade(text: str) -> float:
    """Flesch-Kincaid grade of visible text; lines without an end mark get a full stop (headings, list items)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln if re.search(r"[.!?:;]$", ln) else ln + "." for ln in lines]
    text = re.sub(r"\[S\d+[a-z]?(?:,\s*S\d+[a-z]?)*\]", "", " ".join(lines))
    return float(textstat.flesch_kincaid_grade(text))


def test_diagram_is_there_with_plotly_js_inlined(page):
    assert 'id="diagram"' in page and "Plotly.newPlot(" in page
    assert re.search(r"plotly\.js (\(basic - minified\) )?v\d+\.\d+\.\d+", page)  # the library itself, inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    # the figure is this patient's: S1 painted on the left (fill colours of painted regions appear)
    assert any(colour in page for colour in diagram.PALETTE)


def test_description_helps_red_flags_and_sources(page):
    """In the order a patient uses it: purpose, what sciatica is, the picture, the plan, what helps, when to get
    help (every sign of the box, now and today, with the locale's actions), summary, words, sources, date."""
    words = handout.visible_text(page)
    order = ["This sheet is for you to keep", "Get help now if", "What sciatica is",
             "Where a pressed S1 root is often felt: left leg", "My plan", "What usually helps: step by step",
             "Good to know", "\nWhen to get help", "In short", "Words used on this sheet"]
    positions = [words.index(w) for w in order]
    assert positions == sorted(positions)
    assert advice.item("about_sciatica").text in words
    assert "It presses on the S1 nerve root" in words
    for group in (*handout.STEPS, *handout.GOOD_TO_KNOW):
        for advice_id in group:
            assert advice.item(advice_id).text in words
    for level in ("emergency", "urgent"):
        assert redflags.action(level) in words
        for flag in redflags.flags_at(level):
            assert flag.label in words
    assert redflags.action("soon") in words
    assert "999" in words and "911" not in words  # one locale per page: the UK's by default
    summary = [a.text for a in advice.items("summary")]
    assert 1 <= len(summary) <= 5 and all(t in words for t in summary)
    assert f"last checked against its sources on {advice.last_checked().isoformat()}" in words.replace("\n", " ")
    assert f"sciatica-edu {__version__}" in words
    assert 'class="saddle"' in page and "<svg" in page  # the saddle area drawn beside the checklist


@pytest.mark.parametrize(("locale", "says", "never"), [
    ("uk", ["A&amp;E", "999", "NHS 111"], ["911", "emergency room", "urgent care"]),
    ("us", ["911", "emergency room", "urgent care"], ["A&amp;E", "999", "NHS", "GP"]),
    ("intl", ["local emergency number"], ["A&amp;E", "999", "911", "NHS 111"]),
])
def test_a_handout_speaks_for_one_locale(locale, says, never):
    page = handout.handout_html(CLI_EXAMPLE, figure="", locale=locale)
    text = handout.visible_text(page).replace("&", "&amp;")  # without the Sources (their titles may name the NHS)
    for word in says:
        assert word in text, word
    for word in never:
        assert word not in text, word


def test_the_header_states_the_picture_in_words_with_the_exact_strength():
    page = handout.handout_html(Compression("L5-S1", "paracentral", "right", 0.65), figure="")
    header = page.split('<p class="settings">')[1].split("</p>")[0]
    assert "The L5-S1 disc bulges just off the middle, on the right side" in header
    assert "How strong: moderate" in header and "0.7" not in header and "of 1" not in header


def _section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_page_one_says_get_help_now_and_points_to_the_full_list(page):
    """The box is on page 2 (the back of a double-sided sheet): page 1's header says when to go now, and where."""
    header = handout.visible_text(page.split("<header>")[1].split("</header>")[0]).replace("\n", " ")
    assert "⚠ Get help now if you have any sign in the “Get help now” list under “When to get help”" in header
    assert locales.get("uk").short_action("emergency") in header


def test_the_steps_are_only_actions_and_the_facts_are_good_to_know(page):
    """PEMAT-P item 22: a numbered step is something to do; the outlook and "no scan" are facts, listed apart."""
    helps = page.split('id="helps-h"')[1].split("</section>")[0]
    steps = handout.visible_text(helps.split('<ol class="steps">')[1].split("</ol>")[0])
    know = handout.visible_text(helps.split('<ul class="know">')[1].split("</ul>")[0])
    for fact in ("scan_not_needed", "recovery_year"):
        assert advice.item(fact).text not in steps and advice.item(fact).text in know
    assert helps.split('<ol class="steps">')[1].split("</ol>")[0].count("<li>") == len(handout.STEPS)
    for step in handout.STEPS:  # each step holds an action: it asks the reader to do (or not do) something
        assert re.search(r"\b(Keep|Ask|Do not|get help)\b", " ".join(advice.item(i).text for i in step)), step


def test_the_emergency_list_is_for_checking_and_acting_comes_first(page):
    """Tick boxes on the "go now" list invite ticking instead of going: that list has none, and its first line says
    go now; the "today" list keeps its tick boxes."""
    flags = page.split('id="flags-h"')[1].split("</section>")[0]
    now_part, today_part = flags.split('<ul class="now-list">')[1].split("</ul>", 1)
    assert 'class="box"' not in now_part and len(re.findall("<li>", now_part)) == len(redflags.flags_at("emergency"))
    lead = handout.visible_text(flags.split('<ul class="now-list">')[0])
    assert lead.lstrip(">").startswith("When to get help")
    assert "⚠ Get help now: if you have any of these, go now." in lead
    assert redflags.action("emergency") in lead and "Tick" not in lead
    assert today_part.count('class="box"') == len(redflags.flags_at("urgent"))


def test_disc_and_the_level_and_root_names_are_explained_where_first_used(page):
    words = handout.visible_text(page).replace("\n", " ")
    about = advice.item("about_sciatica").text
    assert "bulging disc. A disc is a soft pad between two bones of the spine." in about and about in words
    assert words.index("A disc is a soft pad") < words.index("disc bulges")
    assert ("L5-S1 means the place between the 5th bone of the lower back and the sacrum (the bone at the base of "
            "the spine). S1 is the nerve root that leaves the spine through the sacrum.") in words
    assert handout.level_words(Compression("L4-L5", "paracentral", "left", 0.5)) == (
        "L4-L5 means the place between the 4th and 5th bones of the lower back. "
        "L5 is the nerve root that leaves the spine just below the 5th bone of the lower back.")
    both = handout.level_words(Compression("L3-L4", "central", "both", 0.5))
    assert both.startswith("L3-L4 means the place between the 3rd and 4th bones")
    assert "L4 is the nerve root" in both and "L5 is the nerve root" in both


def test_the_word_list_names_only_words_the_sheet_uses():
    """A glossary entry matches its other forms: "ibuprofen" in a plan matched "anti-inflammatory painkiller", which
    the list then named though the sheet never uses it (the review). The list names the word as the sheet writes it;
    "gabapentin" is explained where the sheet uses it, so it is not listed."""
    plan = handout.Plan(pain_relief="ibuprofen as your pharmacist advises")
    page = handout.handout_html(CLI_EXAMPLE, figure="", plan=plan)
    body = handout.visible_text(page.split('id="words-h"')[0])
    listed = re.findall(r"<li><strong>([^<]+)</strong>", page.split('id="words-h"')[1].split("</section>")[0])
    assert listed and "ibuprofen" in listed
    for word in listed:
        assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", body, re.I), word
    assert "anti-inflammatory painkiller" not in listed and "gabapentinoid" not in listed and "gabapentin" in body
    steroid = glossary.term("steroid").plain
    assert "calms swelling" in steroid and "inflammation" not in steroid


def test_the_figure_leaves_its_title_and_how_to_lines_to_the_sheet():
    """PEMAT-P item 18: the sheet's heading and "How to read it" say them; the picture gets their room."""
    import json

    html = handout.figure_html(CLI_EXAMPLE)
    decoder, at = json.JSONDecoder(), re.search(r"Plotly\.newPlot\(\s*\"diagram\",\s*", html).end()
    _data, at = decoder.raw_decode(html, at)
    layout, _ = decoder.raw_decode(html, re.compile(r"\s*,\s*").match(html, at).end())
    hidden = [a for a in layout["annotations"] if a.get("visible") is False]
    assert any("Where a pressed S1 root is often felt" in a["text"] for a in hidden)
    assert not [a for a in layout["annotations"] if a.get("visible", True) and "Compare it with" in a["text"]]
    assert layout["margin"]["t"] == 8 and layout["height"] == handout.FIGURE_SIZE[1] - 88


def test_the_saddle_drawing_says_seen_from_behind_in_its_caption_not_in_tiny_type():
    assert "<text" not in redflags.SADDLE_SVG and "seen from behind" in redflags.SADDLE_CAPTION


def test_every_numbered_note_links_to_its_source_in_the_list(page):
    body = page.split('<ol class="sources sources-list">')
    assert len(body) == 2, "one Sources list"
    prose = re.sub(r"<script\b.*?</script>", "", body[0], flags=re.S)
    notes = re.findall(r'<a href="#src-(S\d+[a-z]?)">(\d+)</a>', prose)
    listed = re.findall(r'<li id="src-(S\d+[a-z]?)">', body[1])
    assert notes and listed and len(listed) == len(set(listed))
    assert {ref for ref, _ in notes} == set(listed)
    for ref_id, number in notes:  # note n is the n-th source in the list
        assert listed[int(number) - 1] == ref_id
    for ref_id in listed:
        ref = anatomy.reference(ref_id)
        assert ref.primary  # a patient's sheet cites primary sources; secondary ones are for students
        assert str(markup_escape(ref.citation)) in body[1]
    assert "[S" not in handout.visible_text(page)  # no raw source ids in the sentences


@pytest.mark.parametrize("c", [CLI_EXAMPLE, Compression("L5-S1", "paracentral", "right", 0.65),
                               Compression("L3-L4", "foraminal", "left", 0.3)])
def test_every_note_is_bracketed_its_numbers_ascend_and_it_never_touches_a_number(c):
    """Issue 14 (PEMAT-P reviews): the sheet showed "³˒¹" and "⁸˒¹" (first-cited order inside a note) and notes glued to
    numbers read as powers. Each note is "[1,3]": bracketed, ascending; after a digit a narrow no-break space."""
    page = handout.handout_html(c, figure="")
    prose = re.sub(r"<script\b.*?</script>", "", page.split('<ol class="sources sources-list">')[0], flags=re.S)
    notes = re.findall(r'<sup class="cite">(.*?)</sup>', prose)
    assert len(notes) >= 5
    orders = []
    for note in notes:
        assert note.startswith("[") and note.endswith("]"), note
        numbers = [int(n) for n in re.findall(r'<a href="#src-S\d+[a-z]?">(\d+)</a>', note)]
        assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)), note
        orders.append(numbers)
    assert any(len(n) > 1 for n in orders)  # notes with more than one source were checked
    assert not re.search(r'\d(?:</\w+>)*<sup class="cite">', prose)  # "L5[1]" would read as a power


def _plotly(page: str, div_id: str) -> tuple[list[dict], dict]:
    """The traces and layout of the figure ``div_id`` ("diagram" on screen, "diagram-print" on paper) of a page."""
    import json

    decoder = json.JSONDecoder()
    at = re.search(rf"Plotly\.newPlot\(\s*\"{div_id}\",\s*", page).end()
    data, at = decoder.raw_decode(page, at)
    layout, _ = decoder.raw_decode(page, re.compile(r"\s*,\s*").match(page, at).end())
    return data, layout


def _regions(data: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {tuple(t["meta"]): t for t in data if isinstance(t.get("meta"), list) and len(t["meta"]) == 3}


def _key_words(layout: dict, data: list[dict]) -> list[str]:
    """The key's words the figure draws: its text traces and its shown annotations (in the key's axes)."""
    words = [w for t in data if t.get("xaxis") == "x3" and "text" in (t.get("mode") or "") for w in t.get("text", [])]
    return words + [a["text"] for a in layout["annotations"] if a.get("xref") == "x3" and a.get("visible", True)
                    and a.get("font", {}).get("color") not in (None, diagram.CLEAR)]


@functools.cache
def _page(c: Compression, felt: tuple[tuple[str, str], ...] = ()) -> str:
    return handout.handout_html(c, felt=felt)


FELT = (("lateral_leg", "left"), ("dorsum_foot", "left"))
#: The clinician's case (issue 14): L5 on the left at the default strength, which has no weak movement.
L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.6)
L5_LEFT_WEAK = Compression("L4-L5", "paracentral", "left", 0.9)


@pytest.mark.parametrize("div_id", ["diagram", "diagram-print"])
@pytest.mark.parametrize("c", [L5_LEFT, L5_LEFT_WEAK], ids=["moderate", "strong"])
def test_felt_areas_get_a_thin_dashed_outline_that_leaves_their_colour_visible(c, div_id):
    """Issue 14: the 4 px black border filled the narrow outer lower leg and top of the foot solid black. Each felt
    area now keeps its own trace exactly as without marks (the symptom colour and pattern, its thin border), and a
    separate unfilled, thin, dashed outline on the same edge is drawn over it, in both views, on screen and paper."""
    plain, _ = _plotly(_page(c), div_id)
    marked, _ = _plotly(_page(c, FELT), div_id)
    before, after = _regions(plain), _regions(marked)
    assert before.keys() == after.keys()
    for key, trace in after.items():
        assert trace == before[key], key  # no region changes: its colour, pattern and border stay
    painted = {k for k, t in after.items() if k[:2] in FELT and t["fillcolor"] in diagram.PALETTE}
    assert {k[:2] for k in painted} == set(FELT), "the example paints both felt areas"
    outlines = [t for t in marked if isinstance(t.get("meta"), dict) and isinstance(t["meta"].get("felt"), list)]
    want = {k for k in after if k[:2] in FELT}
    assert {tuple(t["meta"]["felt"]) for t in outlines} == want and len(outlines) == len(want)
    assert {k[2] for k in want} == {"front", "back"}  # the outer lower leg shows in both views
    for t in outlines:
        region = after[tuple(t["meta"]["felt"])]
        assert (t["x"], t["y"]) == (region["x"], region["y"])  # along the region's own edge
        assert t.get("fill") in (None, "none") and "fillcolor" not in t  # nothing laid over the colour
        assert 0 < t["line"]["width"] <= 1.5 and t["line"]["dash"] not in (None, "solid")
        assert t.get("visible", True) is True
    assert len(marked) == len(plain) + len(outlines) + 1  # the outlines and the key's sample: nothing else


@pytest.mark.parametrize("div_id", ["diagram", "diagram-print"])
def test_the_key_names_the_felt_outline_only_when_areas_are_marked(div_id):
    for felt in (FELT, ()):
        page = _page(L5_LEFT, felt)
        data, layout = _plotly(page, div_id)
        has_row = model_words.FELT_KEY_WORDS in _key_words(layout, data)
        samples = [t for t in data if t.get("meta") == {"felt": "key"}]
        assert has_row == bool(felt) and len(samples) == int(bool(felt))
        for t in samples:  # the sample is drawn like the outline: the key's colour inside, the same dashed line
            assert t["xaxis"] == "x3" and t["fillcolor"] in diagram.PALETTE and t["line"] == felt_fig.FELT_LINE
        how = handout.visible_text(page).split("How to read it:")[1].split("Compare it")[0]
        assert ("dashed outline marks where you said you feel it" in how) == bool(felt)
        assert "black" not in how


@pytest.mark.parametrize("div_id", ["diagram", "diagram-print"])
@pytest.mark.parametrize("felt", [(), FELT], ids=["unmarked", "felt"])
def test_the_weakness_arrow_is_in_the_key_and_the_words_only_when_the_picture_draws_one(felt, div_id):
    """Issue 14: at the default strength an L5 picture has no "may be weak" arrow; its key and "How to read it"
    listed one all the same."""
    for c in (L5_LEFT, L5_LEFT_WEAK, CLI_EXAMPLE, Compression("L4-L5", "central", "both", 0.9)):
        page = _page(c, felt)
        data, layout = _plotly(page, div_id)
        arrows = bool(c.weak_movements())
        drawn = [s for s in layout["shapes"] if s.get("xref") == "x3" and s.get("type") == "path"
                 and s.get("fillcolor") not in (None, diagram.CLEAR)]
        assert (model_words.WEAK_KEY_WORDS in _key_words(layout, data)) == arrows == bool(drawn), c
        how = handout.visible_text(page).split("How to read it:")[1].split("Compare it")[0]
        assert ("Arrows point to movements that may be weak" in how) == arrows, c
        if arrows and model_words.FELT_KEY_WORDS in _key_words(layout, data):  # both rows: one under the other
            rows = {a["text"]: a["y"] for a in layout["annotations"] if a.get("xref") == "x3"}
            assert rows[model_words.FELT_KEY_WORDS] < rows[model_words.WEAK_KEY_WORDS]


def test_felt_areas_are_named_in_words_and_checked():
    felt = [("big_toe", "left"), ("heel", "left"), ("posterior_leg", "left")]
    page = handout.handout_html(CLI_EXAMPLE, felt=felt)
    text = handout.visible_text(page)
    assert "Where you said you feel it: big toe, heel and calf (left side)." in text.replace("\n", " ")
    data, _ = _plotly(page, "diagram")
    outlined = {tuple(t["meta"]["felt"][:2]) for t in data if isinstance(t.get("meta"), dict)
                and isinstance(t["meta"].get("felt"), list)}
    assert outlined == set(felt)
    with pytest.raises(ValueError, match="choose one of left, right"):
        handout.handout_html(CLI_EXAMPLE, felt=[("heel", "middle")])
    with pytest.raises(ValueError, match="unknown region 'elbow'"):
        handout.check_felt([("elbow", "left")])


def test_the_plan_prints_as_a_checklist_with_lines_for_what_was_left_empty():
    import datetime as dt

    plan = handout.Plan(activity="Walk 10 minutes, 3 times a day", follow_up=dt.date(2026, 12, 14),
                        notes=("Bring your list of medicines",))
    page = handout.handout_html(CLI_EXAMPLE, figure="", plan=plan)
    section = page.split('id="plan-h"')[1].split("</section>")[0]
    assert section.count('class="box"') == 5  # activity, pain relief, exercises, appointment, the note
    assert "Walk 10 minutes, 3 times a day" in section and "Monday 14 December 2026" in section
    assert section.count('class="blank"') == 2  # pain relief and exercises: lines to fill in by hand
    empty = handout.handout_html(CLI_EXAMPLE, figure="").split('id="plan-h"')[1].split("</section>")[0]
    assert empty.count('class="blank"') == 5
    with pytest.raises(ValueError, match="follow_up must be a date"):
        handout.Plan(follow_up="next week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at most 8 lines"):
        handout.Plan(notes=tuple(f"note {i}" for i in range(9)))


def test_no_external_loads_at_all(page):
    assert export.external_loads(page) == []
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S | re.I)
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)
    # the only outside addresses are links a reader may click, each to a canonical source (tests/test_evidence.py)
    links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", markup, re.I)
    assert links and all(anatomy.is_canonical(u) for u in links)
    assert len(re.findall(r"""\bhref\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I)) == len(links)
    assert "<link" not in markup.lower() and "@import" not in markup and "@font-face" not in markup


def test_print_css_for_a4_and_letter_in_black_and_white(page):
    assert "@page" in page and "@media print" in page
    css = page.split("<style>")[1].split("</style>")[0]
    assert "size:" not in css.split("@page")[1].split("}")[0]  # no fixed size: the printer's A4 or Letter
    print_css = css.split("@media print")[1]
    # paper shows the print copy of the figure (figures.printed) at its own size, not the screen figure scaled down
    assert re.search(r"\.diagram \.sciatica-fit \{ display: none !important; \}", print_css)
    assert re.search(r"\.diagram \.print-figure \{ position: static; \}", print_css)
    assert page.count('class="print-figure" aria-hidden="true"') == 1 and 'id="diagram-print"' in page
    width_px = printed.PRINT_SIZE[0]
    assert ".modebar" in print_css
    # the print copy fits the printable width of both papers at 96 px per inch, margins 11 mm each side
    for paper_mm in (210, 215.9):
        assert width_px / 96 * 25.4 <= paper_mm - 2 * 11
    # black and white: the kinds of symptom are patterns, not only colours
    assert set(diagram.KIND_PATTERNS.values()) - {""}


@pytest.mark.parametrize(
    "compression",
    [CLI_EXAMPLE, Compression("L4-L5", "central", "both", 1.0), Compression("L3-L4", "far_lateral", "right", 0.3)],
    ids=lambda c: f"{c.disc}-{c.zone}-{c.side}-{c.severity}",
)
def test_size_and_reading_grade(compression):
    page = handout.handout_html(compression)
    size = len(page.encode("utf-8"))
    print(f"\n{handout.handout_filename(compression)}: {size / 1e6:.3f} MB")
    assert size <= MAX_BYTES
    text = handout.visible_text(page)
    grade = _grade(text)
    print(f"Flesch-Kincaid grade {grade:.2f}")
    assert grade <= MAX_GRADE
    assert "Sources" in text and "NICE NG59" not in text  # the citations are left out of the measure


def test_the_grade_measure_can_fail():
    hard = handout.visible_text(
        "<p>Lumbosacral radiculopathy necessitates comprehensive neurological examination incorporating "
        "provocative manoeuvres and electrodiagnostic investigations.</p>"
    )
    assert _grade(hard) > MAX_GRADE


def test_visible_text_skips_scripts_styles_and_sources():
    html = ('<head><title>T</title><style>p{}</style></head><body><p>Seen.</p><script>var x = "unseen";</script>'
            '<ol class="sources"><li>Cited <b>work</b>.</li></ol><p>Also seen.</p></body>')
    text = handout.visible_text(html)
    assert "Seen." in text and "Also seen." in text
    assert "unseen" not in text and "p{}" not in text and "Cited" not in text
    assert "Cited work." in handout.visible_text(html, skip_sources=False)


def test_cli_writes_the_handout(tmp_path, capsys):
    out = tmp_path / "handout.html"
    code = cli.main(["handout", "--disc", "L5-S1", "--zone", "paracentral", "--side", "left",
                     "--severity", "0.6", "--out", str(out)])
    assert code == 0
    assert str(out) in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == handout.handout_html(CLI_EXAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"]  # no temporary file left


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "handout.html"
    out.write_text("old")

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    real_replace, real_link = os.replace, os.link
    monkeypatch.setattr(handout.os, "replace", broken)
    with pytest.raises(OSError):
        handout.write_handout(CLI_EXAMPLE, out, overwrite=True)
    monkeypatch.setattr(handout.os, "replace", real_replace)
    monkeypatch.setattr(handout.os, "link", broken)  # the path that never replaces (a numbered name)
    with pytest.raises(OSError):
        handout.write_handout(CLI_EXAMPLE, out)
    monkeypatch.setattr(handout.os, "link", real_link)
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"] and out.read_text() == "old"


def test_handouts_never_silently_overwrite_each_other(tmp_path):
    """Two handouts with the same settings (the session's button pressed twice): two files, numbered."""
    out = tmp_path / handout.handout_filename(CLI_EXAMPLE)
    first = handout.write_handout(CLI_EXAMPLE, out)
    out.write_text("the first one, changed by hand")
    second = handout.write_handout(CLI_EXAMPLE, out)
    assert first == out and second == tmp_path / "handout-L5-S1-paracentral-left-60-2.html"
    assert out.read_text() == "the first one, changed by hand"
    assert handout.write_handout(CLI_EXAMPLE, out).name.endswith("-60-3.html")
    assert handout.write_handout(CLI_EXAMPLE, out, overwrite=True) == out and out.read_text().startswith("<!DOCTYPE")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_file_name_says_what_it_shows():
    assert handout.handout_filename(CLI_EXAMPLE) == "handout-L5-S1-paracentral-left-60.html"
    assert handout.handout_filename(Compression("L4-L5", "far_lateral", "both", 0.05)) == (
        "handout-L4-L5-far-lateral-both-05.html"
    )


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_handout_draws_offline_in_chromium(tmp_path):
    """Open the file with every non-file request blocked: the figure draws and nothing was asked for."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing")
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    out = handout.write_handout(CLI_EXAMPLE, tmp_path / "handout.html")
    asked: list[str] = []
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), args=args,
                                                       headless=True)
        try:
            def route(r):
                url = r.request.url
                if url.startswith(("file://", "data:", "blob:")):
                    return r.continue_()
                asked.append(url)
                return r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(out.as_uri())
            page.wait_for_selector("#diagram .main-svg", timeout=30_000)
            fills = page.eval_on_selector_all(
                "#diagram .scatterlayer .trace path.js-fill", "els => els.map(e => getComputedStyle(e).fill)"
            )
            page.emulate_media(media="print")
            box = page.eval_on_selector("figure.diagram > div", "e => e.getBoundingClientRect().width")
        finally:
            context.close()
    assert asked == []
    palette = {"rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (1, 3, 5))) for h in diagram.PALETTE}
    assert len(fills) > 20 and palette & set(fills)  # painted regions, not only the outline
    assert box <= handout.FIGURE_SIZE[0] * 0.78 + 1


def test_the_emergency_list_keeps_the_advice_to_act_on_a_small_or_passing_patch():
    """Cut to fit two pages, a sign still keeps its "act even if…" sentence (the second review found the handout
    dropping it for saddle numbness, which every page says)."""
    from sciatica_edu import redflags

    words = handout.visible_text(handout.handout_html(CLI_EXAMPLE, figure=""))
    acts = [s for f in redflags.flags_at("emergency") for s in f.detail.split(". ") if s.startswith("Act ")]
    assert acts
    for sentence in acts:
        assert sentence.rstrip(".") in words


def test_no_word_in_the_word_list_is_defined_by_itself():
    page = handout.handout_html(CLI_EXAMPLE, figure="", plan=handout.Plan(pain_relief="ibuprofen as agreed"))
    words = handout._words_used(handout.visible_text(page))
    ibuprofen = [w for w in words if w.term == "ibuprofen"]
    assert ibuprofen and "ibuprofen" not in ibuprofen[0].plain.lower()  # was "…, such as ibuprofen or naproxen"
    assert ibuprofen[0].plain.startswith("A painkiller that also calms swelling")
    for w in words:
        assert not re.search(rf"(such as|for example|like) [^.]*\b{re.escape(w.term)}\b", w.plain, re.I), w


@pytest.mark.parametrize("c", [CLI_EXAMPLE, L5_LEFT, Compression("L4-L5", "central", "both", 0.5,
                                                                  cause="spinal_stenosis")],
                         ids=["L5-S1-left", "L4-L5-left", "stenosis"])
def test_the_printed_picture_shows_the_spine_drawing_of_this_compression(c):
    """PEMAT-P item 15 (issue 14): the paper copy shows the spine panel (the screen figure's inset) for the sheet's
    disc, zone and side: the bulge drawn, the pressed roots drawn thick, and a caption naming the disc and roots."""
    data, layout = _plotly(_page(c), "diagram-print")
    spine = [t for t in data if t.get("xaxis") == "x2"]
    assert spine and all(t.get("visible", True) is True for t in spine)
    bulges = [t["name"] for t in spine if t["name"].startswith("bulge ") and t["fillcolor"] != diagram.CLEAR]
    assert bulges == [f"bulge {c.disc} {c.zone} " + ("both" if c.zone == "central" else c.side)]
    thick = sorted(t["name"] for t in spine if t.get("line", {}).get("width") == printed._ROOT_PRESSED)
    assert thick == sorted(f"{r} {s}" for r in c.roots for s in c.sides)
    panel = " ".join(re.sub(r"<[^>]+>", " ", a["text"]) for a in layout["annotations"]
                     if a.get("name") == printed.SPINE_PANEL)
    panel = " ".join(panel.split())
    assert printed.patient_spine_caption(c) in panel and "patient's LEFT" in panel and "patient's RIGHT" in panel
    # the screen figure keeps its own inset; paper's panel words are all at 9 pt or more
    assert all(a["font"]["size"] >= printed.SPINE_FONT_PX for a in layout["annotations"]
               if a.get("name") == printed.SPINE_PANEL)


def test_a_word_left_off_the_list_is_explained_where_the_sheet_first_uses_it():
    """The word list leaves out words the sheet explains in place (``_EXPLAINED_INLINE``): each such word the sheet
    uses must have its explanation beside its first use, or a reader meets it unexplained (PEMAT-P item 4)."""
    page = handout.handout_html(CLI_EXAMPLE, figure="")
    body = handout.visible_text(page.split('id="words-h"')[0])
    beside = {"steroid": "steroid tablets (medicines that calm swelling)",
              "gabapentinoid": "nerve pain medicines (such as gabapentin and pregabalin)"}
    for word, explained in beside.items():
        assert word in handout._EXPLAINED_INLINE
        first = glossary.pattern(word).search(body)
        at = body.find(explained)
        assert first and at >= 0, word
        assert at <= first.start() < at + len(explained), (word, body[max(0, first.start() - 60):first.end() + 60])
