"""What a machine can check of the PEMAT-P self-score (docs/pemat.md, issue 14).

Item 26 (a picture makes acting easier): the handout's saddle drawing stands beside every red-flag box, in the
live notebooks, for every locale, in the HTML box, and it is one drawing (redflags.SADDLE_SVG), not a copy.
Item 25 (how to use a diagram to act): each spine drawing on 04 has a caption that says what to do.
Items 2 and 4 (no distractions, terms defined) on 00: its map lists the students' notebooks in one plain line,
without their titles' student terms.
The exported pages are checked in tests/test_export.py (they need every notebook run once).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import locales, redflags
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
IMG = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"[^>]*>')
#: How 04's captions start; each must also cite a source and say what to do.
CAPTION_LEAD = "**Using this picture:**"
ACTION_WORDS = re.compile(r"\b(?:ask|tell|show|get help|keep)\b", re.I)
DRAWING = re.compile(r"\b(?:spine_figure|cause_figure)\(")


def _svg_of(markdown: str) -> list[str]:
    return [base64.b64decode(m).decode("utf-8") for m in IMG.findall(markdown)]


def saddle_problems(box: str) -> list[str]:
    """Why a red-flag box (Markdown) lacks the saddle drawing beside its "now" list; empty when it has it."""
    svgs = _svg_of(box)
    if len(svgs) != 1:
        return [f"expected one embedded drawing, found {len(svgs)}"]
    found = []
    if svgs[0] != redflags.SADDLE_SVG.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1):
        found.append("the embedded drawing is not redflags.SADDLE_SVG")
    if redflags.SADDLE_ALT not in box or redflags.SADDLE_CAPTION not in box:
        found.append("the drawing has no alt text or no caption")
    img = box.index("<img")
    now_items = [m.start() for m in re.finditer(r"^> - ", box[: box.find("Get help today")], re.M)]
    if not now_items or not now_items[-1] < img < box.find("Get help today"):
        found.append("the drawing is not between the 'now' list and 'Get help today'")
    return found


def test_the_check_can_fail():
    box = redflags.box_markdown()
    assert saddle_problems(box.replace(redflags.saddle_img(), "")) == ["expected one embedded drawing, found 0"]
    moved = box.replace(redflags.saddle_img(), "").replace("> Do this if", f"> {redflags.saddle_img()} Do this if", 1)
    assert saddle_problems(moved) == ["the drawing is not between the 'now' list and 'Get help today'"]
    other = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>').decode()
    swapped = IMG.sub(lambda m: m.group(0).replace(m.group(1), other), box)
    assert saddle_problems(swapped) == ["the embedded drawing is not redflags.SADDLE_SVG"]


@pytest.mark.parametrize("locale", locales.ids())
def test_every_locales_red_flag_box_has_the_saddle_drawing(locale):
    assert saddle_problems(nt.red_flag_cell(locale)) == []


def test_every_red_flag_box_in_the_notebooks_has_the_saddle_drawing():
    boxes = 0
    for path in nt.notebook_paths(NOTEBOOKS):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if nt.generated(cell) == "red_flags":
                boxes += 1
                assert saddle_problems(cell.source) == [], path.name
    assert boxes >= 9  # 00-06, 09 and the session (10)


def test_localize_keeps_the_drawing():
    nb = nbformat.read(str(NOTEBOOKS / "06-when-to-get-help.ipynb"), as_version=4)
    assert nt.localize(nb, "us")
    box = next(c.source for c in nb.cells if nt.generated(c) == "red_flags")
    assert saddle_problems(box) == [] and "911" in box


def test_the_html_box_and_the_handout_inline_the_same_drawing():
    assert redflags.SADDLE_SVG in redflags.box_html("intl")
    page = handout.handout_html(Compression(), figure="")
    assert page.count(redflags.SADDLE_SVG) == 1 and redflags.SADDLE_CAPTION in page
    assert not hasattr(handout, "SADDLE_SVG") or handout.SADDLE_SVG is redflags.SADDLE_SVG


@pytest.mark.parametrize("width", [0, 39, 401, 12.5, "110", True, None])
def test_saddle_img_rejects_bad_widths(width):
    with pytest.raises(ValueError, match="from 40 to 400"):
        redflags.saddle_img(width)


def test_the_drawing_does_not_change_the_reading_grade_text():
    """The data URI is markup: the readability and plain-words checks see only its caption."""
    text = nt.readable_text(nt.red_flag_cell())
    assert "base64" not in text and "PHN2Zy" not in text and redflags.SADDLE_CAPTION in text


def caption_problems(nb) -> list[str]:
    """Spine drawings (from behind or from the side) of a notebook whose next cell is not a caption that says what
    to do, with a source."""
    found = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or not DRAWING.search(cell.source):
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        src = nxt.source if nxt is not None and nxt.cell_type == "markdown" else ""
        if not src.startswith(CAPTION_LEAD):
            found.append(f"{cell.source.strip()}: no caption below it")
        elif not nt.CITE_RE.search(src) or not ACTION_WORDS.search(src):
            found.append(f"{cell.source.strip()}: the caption cites nothing or says nothing to do")
    return found


def test_every_spine_drawing_on_04_has_a_caption_that_says_what_to_do():
    """One drawing from behind (which root a bulge presses on) and one from the side for each cause in the spine."""
    nb = nbformat.read(str(NOTEBOOKS / "04-what-presses-on-the-nerve.ipynb"), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sum("spine_figure(" in c for c in code) == 1
    assert sum("cause_figure(" in c for c in code) == 5
    assert caption_problems(nb) == []


def test_the_caption_check_can_fail():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('diagram.spine_figure(cause="bone_spur")'),
                nbformat.v4.new_markdown_cell(f"{CAPTION_LEAD} a bone spur."),
                nbformat.v4.new_code_cell('diagram.cause_figure("disc_herniation")')]
    assert len(caption_problems(nb)) == 2


def test_the_map_on_00_lists_only_the_patients_pages_in_full():
    hub = next(c.source for c in nbformat.read(str(NOTEBOOKS / "00-start-here.ipynb"), as_version=4).cells
               if nt.generated(c) == "hub")
    rows = [line for line in hub.splitlines() if line.startswith("| [")]
    assert [r[3:5] for r in rows] == ["00", "01", "02", "03", "04", "05", "06"]
    students = [line for line in hub.splitlines() if "(07-" in line]
    assert len(students) == 1 and "(08-" in students[0] and "(09-" in students[0]
    for p in nt.notebook_paths(NOTEBOOKS):
        info = nt.info(p)
        if info.audience == "student":
            assert info.title not in hub and info.purpose not in hub  # their titles use student terms
    for term in ("radiculopathy", "myotome", "dermatome", "reflex", "straight-leg"):
        assert term not in hub.lower(), term


def disc_table_rows(markdown: str) -> list[tuple[str, str]]:
    """(where the bulge points, root it presses on) rows of the Markdown table under that heading in ``markdown``."""
    lines = markdown.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| Where the bulge points | Root it presses on |"))
    rows = []
    for line in lines[head + 2:]:
        if not line.startswith("|"):
            break
        rows.append(tuple(cell.strip() for cell in line.strip().strip("|").split("|")))
    return rows


def test_04s_disc_table_is_a_real_table_that_matches_data():
    """Item 19 (a table with headings): 04 shows where an L4-L5 bulge points and the root it presses on as a Markdown
    table, and every row says what data/discs.yaml says, in its zone order."""
    from sciatica_edu import anatomy

    nb = nbformat.read(str(NOTEBOOKS / "04-what-presses-on-the-nerve.ipynb"), as_version=4)
    assert not [c for c in nb.cells if c.cell_type == "code" and "compressed_roots" in c.source]
    table = next(c.source for c in nb.cells if c.cell_type == "markdown" and "| Where the bulge points |" in c.source)
    want = [(z.label, " and ".join(anatomy.compressed_roots("L4-L5", z.id))) for z in anatomy.zones()]
    got = [(where[0].lower() + where[1:], root) for where, root in disc_table_rows(table)]
    assert got == want


def test_the_disc_table_check_can_fail():
    table = "| Where the bulge points | Root it presses on |\n|---|---|\n| Middle (central) | L4 |\n\nAfter."
    assert disc_table_rows(table) == [("Middle (central)", "L4")]


def test_06s_figure_shows_both_legs_and_the_warning_without_weakness_labels():
    """Item 18 (uncluttered) on 06: its one figure is a moderate both-legs case, so it carries no "may be weak"
    labels, yet it still paints both legs and says that sciatica in both legs needs help now."""
    from sciatica_edu import diagram

    nb = nbformat.read(str(NOTEBOOKS / "06-when-to-get-help.ipynb"), as_version=4)
    calls = [c.source for c in nb.cells if c.cell_type == "code" and "body_figure(" in c.source]
    assert len(calls) == 1
    call = re.search(r"body_figure\((Compression\(.*\))\)", calls[0]).group(1)
    compression = eval(call, {"Compression": Compression})
    text = diagram.describe(compression)
    assert "On the left side:" in text and "On the right side:" in text
    assert "sciatica in both legs" in text and "weakness" not in text


def test_06s_figure_title_and_caption_say_what_this_picture_shows():
    """Item 17 on 06 (sixth review): the both-legs picture is titled for both legs, and its caption says that this
    example has a warning sign and points to the ⚠ line (now: go to A&E or call 999), not the general "compare it
    with where you feel it and tell your doctor or physio" every other example carries."""
    from sciatica_edu import diagram
    from sciatica_edu.figures.patient import patient_title

    nb = nbformat.read(str(NOTEBOOKS / "06-when-to-get-help.ipynb"), as_version=4)
    call = next(c.source for c in nb.cells if c.cell_type == "code" and "body_figure(" in c.source)
    compression = eval(re.search(r"body_figure\((Compression\(.*\))\)", call).group(1), {"Compression": Compression})
    title, caption = patient_title(compression)
    assert title.endswith(": both legs")
    assert "warning sign" in caption and "⚠ line" in caption and "tell your doctor" not in caption
    fig = diagram.body_figure(compression, locale="uk")
    shown = [a.text for a in fig.layout.annotations if a.visible is not False]
    assert caption in shown and any("sciatica in both legs" in t and "999" in t for t in shown), shown
    # a one-leg example without a warning sign keeps the general caption: the check can fail
    assert "tell your doctor or physio" in patient_title(Compression("L4-L5", "paracentral", "left", 0.5))[1]
