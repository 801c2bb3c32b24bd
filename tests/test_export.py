"""Course export: one executed static page per notebook, an index, static figures, nothing loaded from outside."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import redflags
from sciatica_edu.pages import citemarks, export

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


def _notebook(title: str, *code: str, links: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["sciatica_edu"] = {"audience": "student"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nTime to read: ~4 min\n\n{links}")]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in code]
    return nb


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Export two small notebooks: a plain figure, a FigureWidget inside a box of controls, an Output widget."""
    root = tmp_path_factory.mktemp("export")
    nbs = root / "notebooks"
    nbs.mkdir()
    first = _notebook(
        "First page",
        "import os, ipywidgets as w, plotly.graph_objects as go\n"
        "go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name='plain-figure-trace'))",
        "fw = go.FigureWidget(data=[go.Bar(x=['a'], y=[1], name='widget-trace')])\n"
        "fw.data[0].y = [7]  # changed after construction: the static page must show 7\n"
        "w.VBox([w.Dropdown(options=['x', 'y']), fw])",
        "print('printed words stay on the page')",
        "from sciatica_edu import widgets\nwidgets.explore()",
        "w.IntSlider(description='only a control')",
        links="Next: [the second page](02-second.ipynb). A source: [NHS](https://www.nhs.uk/).",
    )
    nbformat.write(first, str(nbs / "01-first.ipynb"))
    nbformat.write(_notebook("Second page", "1 + 1"), str(nbs / "02-second.ipynb"))
    nbformat.write(_notebook("Not a course notebook", "1"), str(nbs / "scratch.ipynb"))
    out = root / "site"
    pages = export.export_site(nbs, out, timeout=120)
    assert [p.name for p in pages] == ["01-first.html", "02-second.html"]
    return out


def test_index_and_one_page_per_course_notebook(site):
    names = sorted(p.name for p in site.iterdir())
    assert names == ["01-first.html", "02-second.html", "index.html", "manifest.json", "static"]
    index = (site / "index.html").read_text()
    assert 'href="01-first.html">First page<' in index and 'href="02-second.html">Second page<' in index
    assert "about 4 minutes" in index and "not medical advice" in index
    assert json.loads((site / "manifest.json").read_text()) == ["01-first.html", "02-second.html"]


def test_pages_are_executed_with_static_figures(site):
    page = (site / "01-first.html").read_text()
    assert "printed words stay on the page" in page
    assert page.count("Plotly.newPlot(") == 3  # the plain figure, the FigureWidget, the body diagram
    # the live body diagram became diagram.static_figure: plotly-native menus and slider, no kernel needed
    assert page.count('"sciatica_edu":"static body diagram"') == 1 and '"updatemenus":[' in page
    widget_trace = re.search(r'\{"name":"widget-trace"[^}]*\}', page)
    assert widget_trace and '"y":[7]' in widget_trace.group(0)
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert page.count('class="sciatica-edu-controls-note"') == 3  # the dropdown, the explorer's controls, the slider
    assert "_sciatica_edu_prelude" not in page  # the prelude cell is not on the page
    assert re.search(r"In\s*\[1\]", re.sub(r"<[^>]+>", "", page))  # numbering starts at 1 again


def test_pages_load_nothing_from_outside(site):
    for page in site.glob("*.html"):
        html = page.read_text()
        assert export.external_loads(html) == [], page.name
        assert "require.js" not in html and "mathjax" not in html.lower() and "unpkg.com" not in html
    page = (site / "01-first.html").read_text()
    assert '<script src="static/plotly-basic.min.js"></script>' in page
    assert (site / "static" / "plotly-basic.min.js").stat().st_size > 1_000_000
    assert 'href="02-second.html"' in page and ".ipynb" not in re.sub(r"<pre.*?</pre>", "", page, flags=re.S)


def test_external_loads_finds_cdn_scripts_styles_and_fonts_but_not_links():
    html = (
        '<script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css">'
        "<style>@font-face { src: url('https://fonts.example.org/a.woff2') }</style>"
        '<img src="http://example.org/a.png">'
        '<a href="https://www.nhs.uk/">NHS</a>'
        '<script>var u = "<img src=\\"https://not-markup.example.org\\">";</script>'
        '<script src="static/plotly-basic.min.js"></script>'
    )
    found = export.external_loads(html)
    assert len(found) == 4
    assert not any("nhs.uk" in f or "not-markup" in f or "static/" in f for f in found)


@pytest.mark.slow
def test_export_of_the_real_notebooks(exported_site):
    """Every notebook in notebooks/ exports (whatever exists today), offline, through the CLI."""
    notebooks = export.notebook_paths(REPO / "notebooks")
    site = exported_site
    assert sorted(p.name for p in site.glob("*.html")) == sorted(
        ["index.html", *(export.page_name(p) for p in notebooks)]
    )
    from sciatica_edu.facts import anatomy

    copies = {u for r in anatomy.references().values() for u in r.read_at if not anatomy.is_canonical(u)}
    for page in site.glob("*.html"):
        html = page.read_text()
        assert export.external_loads(html) == [], page.name
        assert "application/vnd.jupyter.widget-view+json" not in html
        # every link a reader can click goes to a canonical source, never to a copy (hazard H10)
        links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", html, re.I)
        assert [u for u in links if not anatomy.is_canonical(u)] == [], page.name
        assert not [u for u in copies if u in html], page.name


# ---------------------------------------------------------------- patient pages (issue 14)


def visible_text(html: str) -> str:
    """What a reader sees: no scripts or styles (figures are drawn from JSON inside scripts), tags removed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>|</(?:p|div|li|h\d|tr|td|th)>", "\n", text)
    return unescape(re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", text)))


def code_inputs(html: str) -> int:
    """How many code inputs a page shows (elements of class ``jp-InputArea-editor``; the CSS names it too)."""
    return len(re.findall(r"""<div\b[^>]*\bclass=["'][^"']*\bjp-InputArea-editor\b""", html))


def before_sources(html: str) -> str:
    """The page up to its Sources heading (the list of works cited is bibliography, not text to read)."""
    return re.split(r"<h2\b[^>]*>\s*Sources", html, maxsplit=1)[0]


def figures(html: str) -> list[tuple[list, dict]]:
    """Every plotly figure on a page: (data, layout) of each ``Plotly.newPlot(id, data, layout, config)``."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*", html):
        i = match.end()
        _id, i = decoder.raw_decode(html, i)
        i = re.compile(r"\s*,\s*").match(html, i).end()
        data, i = decoder.raw_decode(html, i)
        i = re.compile(r"\s*,\s*").match(html, i).end()
        layout, i = decoder.raw_decode(html, i)
        found.append((data, layout))
    return found


def _title_text(layout: dict) -> str:
    title = layout.get("title") or {}
    return re.sub(r"<[^>]+>", "", title.get("text", "") if isinstance(title, dict) else str(title)).strip()


def patient_pages(site: Path) -> list[Path]:
    """Exported pages of notebooks whose audience is a patient's (00-06 and the session, 10)."""
    pages = []
    for nb_path in export.notebook_paths(REPO / "notebooks"):
        nb = nbformat.read(str(nb_path), as_version=4)
        if export.is_patient_page(nb):
            pages.append(site / export.page_name(nb_path))
    return pages


# Words and numbers that belong to a notebook, not to a page a patient reads.
NOT_ON_PATIENT_PAGES = (
    "Run All", "JupyterLab", "Open this notebook", "ISNCSCI", "Make handout", "Or set your own",
    "Common pictures:", "Show these symptoms:", "import ", "Compression(",
)
CODE_CALLS = re.compile(r"\b(?:diagram|widgets|session|anatomy|view)\.[A-Za-z_]+\(")
MODEL_NUMBERS = re.compile(r"\b(?:severity|level)\s*[=:]?\s*\d?\.\d|\b\d?\.\d+\s+of\s+1\b|\bseverity\b", re.I)


def test_the_patient_pages_are_00_to_06_and_the_session():
    assert [p.name[:2] for p in patient_pages(Path("."))] == ["00", "01", "02", "03", "04", "05", "06", "10"]


def test_the_patient_page_checks_can_fail():
    page = '<div class="highlight hl-ipython3"><pre>diagram.body_figure(Compression(severity=0.7))</pre></div>'
    text = visible_text(page)
    assert [w for w in NOT_ON_PATIENT_PAGES if w in text] and MODEL_NUMBERS.search(text) and CODE_CALLS.search(text)
    assert MODEL_NUMBERS.search("How strong: level 0.6 of 1") and not MODEL_NUMBERS.search("about 6 in 10 people")


@pytest.mark.slow
def test_patient_pages_show_no_code_no_notebook_text_and_no_model_numbers(exported_site):
    for page in patient_pages(exported_site):
        html = page.read_text(encoding="utf-8")
        assert code_inputs(html) == 0, page.name  # no code cell
        text = visible_text(html)
        assert not re.search(r"\b(?:In|Out)\s*\[\d*\]\s*:", text), page.name  # no prompts
        assert [w for w in NOT_ON_PATIENT_PAGES if w in text] == [], page.name
        assert not MODEL_NUMBERS.search(text), (page.name, MODEL_NUMBERS.search(text))
        assert not CODE_CALLS.search(text), (page.name, CODE_CALLS.search(text))
        assert not re.search(r"\[S\d", text), page.name  # citations are numbered notes, not [S12] strings


@pytest.mark.slow
def test_student_pages_keep_their_code(exported_site):
    students = [p for p in exported_site.glob("0[7-9]-*.html")]
    assert len(students) == 3
    for page in students:
        html = page.read_text(encoding="utf-8")
        assert code_inputs(html) >= 3 and re.search(r"In\s*\[\d+\]", visible_text(html)), page.name


@pytest.mark.slow
def test_the_session_page_shows_the_spine_drawing_and_the_body_with_its_words(exported_site):
    page = next(exported_site.glob("10-*.html")).read_text(encoding="utf-8")
    titles = [_title_text(layout) for _data, layout in figures(page)]
    assert "The lower spine, seen from behind" in titles, titles
    metas = [(layout.get("meta") or {}).get("sciatica_edu") for _data, layout in figures(page)]
    assert metas.count("static body diagram") == 1  # the figure with its menu, slider and words (static_html)
    text = visible_text(page)
    for gone in ("Your clinician can change this picture", "Ask the patient", "No areas marked yet"):
        assert gone not in text, gone
    assert "In your visit, the doctor, nurse or physio marks where you feel it" in text  # the notebook's own line


@pytest.mark.slow
def test_every_spine_figure_on_a_patient_page_has_a_title(exported_site):
    """Spine drawings (``diagram.spine_figure``, ``diagram.cause_figure``) and the nerve drawing
    (``diagram.nerve_figure``) carry their title; the body figure's patient-mode title is another change
    (diagram.py), so body diagrams are not counted here."""
    spines = 0
    for page in patient_pages(exported_site):
        for _data, layout in figures(page.read_text(encoding="utf-8")):
            if str((layout.get("meta") or {}).get("sciatica_edu", "")).endswith("body diagram"):
                continue
            spines += 1
            assert _title_text(layout), (page.name, layout.get("meta"))
    assert spines >= 9  # 02: two and the nerve drawing; 04: one from behind and five causes from the side; 10: one


@pytest.mark.slow
def test_numbered_citations_link_to_the_numbered_sources_list(exported_site):
    for page in patient_pages(exported_site):
        html = page.read_text(encoding="utf-8")
        nb = nbformat.read(str(REPO / "notebooks" / page.with_suffix(".ipynb").name), as_version=4)
        anchors = re.findall(r'<li>\s*(?:<p>\s*)?<span id="src-(S\d+[a-z]?)"></span>', html)
        assert anchors == nt.listed_ids(nb), page.name  # the Sources list, in order, one anchor per item
        assert re.search(r"<ol>\s*<li>\s*(?:<p>\s*)?<span id=\"src-", html), page.name  # a numbered list
        cites = re.findall(r'<a href="#src-(S\d+[a-z]?)">(\d+)</a>', html)
        assert cites, page.name
        for ref_id, number in cites:
            assert anchors[int(number) - 1] == ref_id, (page.name, ref_id, number)
        assert {ref_id for ref_id, _ in cites} == set(nt.cited_ids(nb)), page.name
        notes = re.findall(r'<sup class="cite">\[(.*?)\]</sup>', html)
        assert notes, page.name  # raised notes in brackets (issue 14: bare numbers after "L5" read as powers)
        for note in notes:  # each note's numbers ascend
            numbers = [int(n) for n in re.findall(r">(\d+)</a>", note)]
            assert numbers and numbers == sorted(numbers), (page.name, note)
        # a note after a digit (a number, a spine level) never touches it: a narrow no-break space parts them
        assert not re.search(r'\d(?:</(?:strong|em)>)*<sup class="cite">', html), page.name


def test_a_page_speaks_for_one_locale_and_says_its_version_and_date(tmp_path):
    """Hazards H5 (advice for the wrong country) and H9 (a stale page): the red-flag box is rewritten for the
    chosen locale, the kernel's words use it, and the page names its version, last-checked date and country."""
    from sciatica_edu import __version__
    from sciatica_edu import notebook_tools as nt
    from sciatica_edu.facts import advice

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = _notebook("Help", "from sciatica_edu import diagram\nfrom sciatica_edu.scenario import Compression\n"
                   "words = diagram.describe(Compression('L4-L5', 'central', 'both', 0.9)).splitlines()\n"
                   "print(next(line for line in words if line.startswith('Warning:')))")
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(nt.red_flag_cell("uk")))  # committed in the default locale
    nb.cells.append(nbformat.v4.new_markdown_cell(nt.sources_cell(["S24", "S5", "S11"])))
    nbformat.write(nb, str(nbs / "01-help.ipynb"))
    export.export_site(nbs, tmp_path / "site", timeout=120, locale="us")
    page = (tmp_path / "site" / "01-help.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
    assert "Call 911 or go to the emergency room now" in text  # the box and the kernel's words
    assert text.count("911") >= 2 and "999" not in text and "A&amp;E" not in text and "A&E" not in text
    assert f"sciatica-edu {__version__}" in text and advice.last_checked().isoformat() in text
    assert "for the United States" in text
    from sciatica_edu.facts import anatomy  # every link a reader can click goes to a canonical source (hazard H10)

    links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", page, re.I)
    assert links and all(anatomy.is_canonical(u) for u in links), links


# ---------------------------------------------------------------- patient pages: the machinery, on a small notebook


def test_a_note_after_a_number_or_a_spine_level_is_parted_from_it_and_reads_as_a_note():
    """Issue 14 (PEMAT-P reviews): "L1 to L5¹⁴˒¹⁵" and "3 months⁵˒⁶˒⁷˒²⁵" read as powers. A note is bracketed, its
    numbers ascend, and after a digit (also inside bold: **L5**) a narrow no-break space parts it from the number."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Bones called L1 to L5 [S11, S5]. It lasts 3 months [S5]. Mostly **L5** [S11]."),
        nbformat.v4.new_markdown_cell(nt.sources_cell(["S5", "S11"])),
    ]
    export.number_citations(nb)
    text = nb.cells[0].source
    gap = "\u202f"
    assert text == (
        f'Bones called L1 to L5{gap}<sup class="cite">[<a href="#src-S5">1</a>, <a href="#src-S11">2</a>]</sup>. '
        'It lasts 3 months<sup class="cite">[<a href="#src-S5">1</a>]</sup>. '
        f'Mostly **L5**{gap}<sup class="cite">[<a href="#src-S11">2</a>]</sup>.'
    )


def test_a_note_holds_only_source_links_in_ascending_order():
    links = ['<a href="#src-S9">3</a>', '<a href="#src-S1">1</a>', '<a href="#src-S4">12</a>']
    assert citemarks.mark(links) == (
        '<sup class="cite">[<a href="#src-S1">1</a>, <a href="#src-S9">3</a>, <a href="#src-S4">12</a>]</sup>'
    )
    two = citemarks.mark(links[:2], sep=",")
    assert two == '<sup class="cite">[<a href="#src-S1">1</a>,<a href="#src-S9">3</a>]</sup>'
    for bad in ([], ["<b>1</b>"], ['<a href="https://x.org">1</a>']):
        with pytest.raises(ValueError, match="src-S5"):
            citemarks.mark(bad)


def test_parting_notes_from_numbers_touches_only_notes_after_a_digit_and_only_once():
    note = '<sup class="cite">[<a href="#src-S5">1</a>]</sup>'
    html = f"L5{note} <strong>S1</strong>{note} weeks{note} <sup>2</sup>"
    once = citemarks.part_from_numbers(html)
    gap = citemarks.GAP
    assert once == f"L5{gap}{note} <strong>S1</strong>{gap}{note} weeks{note} <sup>2</sup>"
    assert citemarks.part_from_numbers(once) == once


def test_citations_become_numbered_notes_in_the_order_of_the_sources_list():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("It eases in 4 to 6 weeks [S11, S5]. Again [S5].\n\n*Sources: [S5, S11].*"),
        nbformat.v4.new_markdown_cell("Not listed here [S24]."),
        nbformat.v4.new_markdown_cell(nt.sources_cell(["S5", "S11"])),
    ]
    export.number_citations(nb)
    first, unknown, sources = (c.source for c in nb.cells)
    assert first.startswith(
        'It eases in 4 to 6 weeks<sup class="cite">[<a href="#src-S5">1</a>, <a href="#src-S11">2</a>]</sup>. '
        'Again<sup class="cite">[<a href="#src-S5">1</a>]</sup>.'
    )
    assert first.endswith('*Sources: <a href="#src-S5">1</a>, <a href="#src-S11">2</a>.*')
    assert unknown == "Not listed here [S24]."  # an id the list lacks stays visible, not silently dropped
    assert re.search(r'^- 1\. <span id="src-S5"></span>Koes', sources, re.M) is None
    assert re.search(r'^1\. <span id="src-S5"></span>Koes', sources, re.M)
    assert re.search(r'^2\. <span id="src-S11"></span>NHS', sources, re.M) and "[S5]" not in sources


def test_notebook_only_cells_and_spans_are_left_out():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Keep.\n<!-- notebook-only -->\nPress **Make handout** above.\n"
                                      "<!-- /notebook-only -->\nKeep too."),
        nbformat.v4.new_markdown_cell("Run All Cells first.", metadata={"tags": [export.NOTEBOOK_ONLY_TAG]}),
        nbformat.v4.new_code_cell("1", metadata={"tags": [export.NOTEBOOK_ONLY_TAG]}),
    ]
    export.drop_notebook_only(nb)
    assert [c.source for c in nb.cells] == ["Keep.\nKeep too."]


def test_an_export_only_comment_becomes_the_static_pages_words():
    """03's "You can change four things" is for Lab; the exported page says what its menu and slider change."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "Intro.\n<!-- notebook-only -->\nYou can change four things:\n<!-- /notebook-only -->\n"
        "<!-- export-only\nOn this page, the menu changes three and the slider one:\n-->\n\n- **Disc**")]
    export.drop_notebook_only(nb)
    assert nb.cells[0].source == "Intro.\nOn this page, the menu changes three and the slider one:\n\n- **Disc**"


def test_03s_exported_words_match_the_static_page_and_lab_keeps_its_own():
    nb = nt.read(NOTEBOOKS / "03-where-you-feel-it.ipynb")
    lab = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "You can change four things:" in lab
    static = "\n".join(c.source for c in export.drop_notebook_only(nb).cells if c.cell_type == "markdown")
    assert "You can change four things" not in static and "export-only" not in static
    assert "Under \"Try it yourself\" below, a menu above the picture picks an example" in static
    assert "**How strong** slider" in static


@pytest.fixture(scope="module")
def patient_site(tmp_path_factory) -> Path:
    """A small session-like page (audience clinician): the session view's controls and spine, a notebook-only
    cell and span, citations and a Sources list."""
    nbs = tmp_path_factory.mktemp("patient") / "notebooks"
    nbs.mkdir()
    nb = _notebook("A talk", "from sciatica_edu import session\nview = session.SessionView()",
                   "view.where()", "view.what_is_pressing()", "view.plan_box()")
    nb.metadata["sciatica_edu"] = {"audience": "clinician"}
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Run all the cells first (menu **Run**, then **Run All Cells**).",
                                                     metadata={"tags": [export.NOTEBOOK_ONLY_TAG]}))
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "It often eases in 4 to 6 weeks [S11, S5].\n<!-- notebook-only -->\nPress **Make handout** above.\n"
        "<!-- /notebook-only -->"))
    nb.cells.append(nbformat.v4.new_markdown_cell(nt.sources_cell(["S11", "S5"])))
    nbformat.write(nb, str(nbs / "10-talk.ipynb"))
    out = tmp_path_factory.mktemp("patient") / "site"
    export.export_site(nbs, out, timeout=120)
    return out


def test_a_patient_page_has_no_code_no_notebook_text_and_no_labels_of_missing_controls(patient_site):
    html = (patient_site / "10-talk.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert code_inputs(html) == 0 and "SessionView" not in html and not re.search(r"In\s*\[\d*\]", text)
    for gone in ("Run All Cells", "Make handout", "Or set your own", "Common pictures:", "Show these symptoms:",
                 "JupyterLab", "[S11"):
        assert gone not in text, gone
    # the session's words for the clinician or for a live session stay out of the patient's page (PEMAT-P item 2)
    for gone in ("Your clinician can change this picture", "Ask the patient", "No areas marked yet"):
        assert gone not in text, gone
    assert "choose an example from the menu above the picture" in text  # the static figure's own menu


def test_a_patient_page_draws_the_sessions_spine_and_the_body_with_its_words(patient_site):
    html = (patient_site / "10-talk.html").read_text(encoding="utf-8")
    figs = figures(html)
    assert [_title_text(layout) for _d, layout in figs].count("The lower spine, seen from behind") == 1
    assert [(layout.get("meta") or {}).get("sciatica_edu") for _d, layout in figs].count("static body diagram") == 1
    words = visible_text(html)
    assert words.count("It presses on the L5 nerve root.") == 2  # the body's words (once) and what is pressing
    assert '<sup class="cite">[<a href="#src-S11">1</a>, <a href="#src-S5">2</a>]</sup>' in html
    assert 'id="src-S5"' in html


# ---------------------------------------------------------------- PEMAT-P items 25 and 26 on the pages (docs/pemat.md)

_BOX = re.compile(r"<blockquote>(?:(?!</blockquote>).)*?Get help now\.(?:(?!</blockquote>).)*</blockquote>", re.S)


def _img_in_box(html: str) -> bool:
    """The page's red-flag "now" box holds the saddle drawing as a decodable image, after its "now" list; "Get help
    today" follows in a box of its own."""
    box = _BOX.search(html)
    if not box:
        return False
    text = box.group(0)
    img = re.search(r"<img\b[^>]*>", text)
    return bool(img and f'alt="{redflags.SADDLE_ALT}"' in img.group(0)
                and "data:image/svg+xml;base64," in img.group(0)
                and -1 < text.find("</ul>") < img.start()
                and "Get help today" not in text and html.find("Get help today", box.end()) > 0)


def test_the_box_check_can_fail():
    page = ("<blockquote><p>Get help now.</p><ul><li>x</li></ul></blockquote>"
            "<blockquote><p>Get help today.</p></blockquote>")
    assert not _img_in_box(page)
    assert not _img_in_box(page.replace("<ul>", f'{redflags.saddle_img()}<ul>'))
    shared = page.replace("</blockquote><blockquote>", "")  # "today" inside the red box again
    assert not _img_in_box(shared.replace("</ul>", f'</ul>{redflags.saddle_img()}'))
    assert _img_in_box(page.replace("</ul>", f"</ul>{redflags.saddle_img()}"))


@pytest.mark.slow
def test_every_patient_page_shows_the_saddle_drawing_in_its_red_flag_box(exported_site):
    for page in patient_pages(exported_site):
        html = page.read_text(encoding="utf-8")
        assert _img_in_box(html), page.name
        assert redflags.SADDLE_CAPTION in visible_text(html), page.name


@pytest.mark.slow
def test_each_spine_drawing_on_the_04_page_has_its_what_to_do_caption(exported_site):
    html = (exported_site / "04-what-presses-on-the-nerve.html").read_text(encoding="utf-8")
    titles = [_title_text(layout) for _d, layout in figures(html)]
    assert len(titles) == 6 and len(set(titles)) == 6, titles
    assert visible_text(html).count("Using this picture:") == 6
    # each caption follows its drawing: between two figures' scripts there is exactly one caption
    parts = re.split(r"Plotly\.newPlot\(", html)[1:]
    assert [visible_text(p).count("Using this picture:") for p in parts] == [1] * 6
