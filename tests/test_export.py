"""Course export: one executed static page per notebook, an index, static figures, nothing loaded from outside."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import cli, export

REPO = Path(__file__).resolve().parent.parent


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
        "print('static env:', os.environ.get('SCIATICA_EDU_STATIC'))",
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
    assert "~4 min" in index and "not medical advice" in index
    assert json.loads((site / "manifest.json").read_text()) == ["01-first.html", "02-second.html"]


def test_pages_are_executed_with_static_figures(site):
    page = (site / "01-first.html").read_text()
    assert "static env: 1" in page  # the kernel ran with SCIATICA_EDU_STATIC=1
    assert page.count("Plotly.newPlot(") == 3  # the plain figure, the FigureWidget, the body diagram
    # the live body diagram became diagram.static_figure: plotly-native menus and slider, no kernel needed
    assert page.count('"sciatica_edu":"static body diagram"') == 1 and '"updatemenus":[' in page
    widget_trace = re.search(r'\{"name":"widget-trace"[^}]*\}', page)
    assert widget_trace and '"y":[7]' in widget_trace.group(0)
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert page.count('class="sciatica-edu-controls-note"') == 3  # the dropdown, the explorer's controls, the slider
    assert "_sciatica_edu_static_display" not in page  # the prelude cell is not on the page
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
def test_export_of_the_real_notebooks(tmp_path, capsys):
    """Every notebook in notebooks/ exports (whatever exists today), offline, through the CLI."""
    notebooks = export.notebook_paths(REPO / "notebooks")
    if not notebooks:
        pytest.fail("notebooks/ holds no NN-name.ipynb notebooks to export")
    code = cli.main(["export", "--out", str(tmp_path / "site"), "--notebooks", str(REPO / "notebooks")])
    assert code == 0, capsys.readouterr().err
    site = tmp_path / "site"
    assert sorted(p.name for p in site.glob("*.html")) == sorted(
        ["index.html", *(export.page_name(p) for p in notebooks)]
    )
    from sciatica_edu import anatomy

    copies = {u for r in anatomy.references().values() for u in r.read_at if not anatomy.is_canonical(u)}
    for page in site.glob("*.html"):
        html = page.read_text()
        assert export.external_loads(html) == [], page.name
        assert "application/vnd.jupyter.widget-view+json" not in html
        # every link a reader can click goes to a canonical source, never to a copy (hazard H10)
        links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", html, re.I)
        assert [u for u in links if not anatomy.is_canonical(u)] == [], page.name
        assert not [u for u in copies if u in html], page.name


def test_a_page_speaks_for_one_locale_and_says_its_version_and_date(tmp_path):
    """Hazards H5 (advice for the wrong country) and H9 (a stale page): the red-flag box is rewritten for the
    chosen locale, the kernel's words use it, and the page names its version, last-checked date and country."""
    from sciatica_edu import __version__, advice
    from sciatica_edu import notebook_tools as nt

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = _notebook("Help", "from sciatica_edu import diagram\nfrom sciatica_edu.scenario import Compression\n"
                   "print(diagram.describe(Compression('L4-L5', 'central', 'both', 0.9)).splitlines()[-2])")
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
    from sciatica_edu import anatomy  # every link a reader can click goes to a canonical source (hazard H10)

    links = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)""", page, re.I)
    assert links and all(anatomy.is_canonical(u) for u in links), links
