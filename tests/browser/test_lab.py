"""JupyterLab in Chromium: notebook 03 runs, and its live diagram follows the disc and side widgets (issue 7, item 1).

The fills are read from the SVG the browser painted (getComputedStyle), never from the Python model, and are
compared with the teaching model's painting rule (diagram.region_paint) and with anatomy the test states itself
(L5 reaches the shin and the top of the foot, S1 the calf and the heel).
"""

from __future__ import annotations

import re

import pytest

from sciatica_edu import diagram
from sciatica_edu.scenario import Compression

from .conftest import changed, check_root, open_notebook, painted, pick, picked, run_all, wait_drawn, wait_fills_change

NOTEBOOK = "03-where-you-feel-it.ipynb"
#: The output of ``widgets.explore()``: the one output holding the scenario controls and a plot.
EXPLORE = ".jp-OutputArea-output:has(.sciatica-controls):has(.js-plotly-plot)"


def model(c: Compression, side: str) -> set[str]:
    """Regions the teaching model paints on ``side`` (the diagram's documented painting rule)."""
    return {rid for (rid, s) in diagram.region_paint(c.symptoms()) if s == side}


def severity(area) -> float:
    """The severity slider's value as the page shows it."""
    text = area.locator(".widget-slider .widget-readout").first.inner_text()
    return float(re.search(r"[\d.]+", text).group())


def description(area) -> str:
    return " ".join(area.locator(".sciatica-description").first.inner_text().split())


def wait_sent(page, sent: list[bytes], start: int, failure: str) -> None:
    """Wait (up to 10 s) until frames sent since ``start`` include the figure's "trace and layout edits drawn"."""
    for _ in range(100):
        later = sent[start:]
        if any(b"_js2py_traceDeltas" in f for f in later) and any(b"_js2py_layoutDelta" in f for f in later):
            return
        page.wait_for_timeout(100)
    pytest.fail(failure)


def test_03_diagram_follows_disc_and_side(lab_server, browser):
    """Run All in Lab, then change side and disc with the widgets; only the expected side's regions repaint."""
    page = browser.page
    sent: list[bytes] = []  # frames the page sends to the kernel (widget messages among them)
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f.encode() if isinstance(f, str) else f)))
    open_notebook(page, lab_server, NOTEBOOK)
    browser.shot("kernel-idle")
    run_all(page)
    area = page.locator(EXPLORE).first
    area.wait_for()
    area.scroll_into_view_if_needed()
    gd = area.locator(".js-plotly-plot").first.element_handle()
    fills0 = wait_drawn(page, gd)
    browser.shot("explore-drawn")

    # The start picture: the controls' scenario on the left, nothing on the right.
    assert picked(area, "L4-L5") and picked(area, "left"), "explore() should start at L4-L5, left"
    sev = severity(area)
    assert painted(fills0, "left") == model(Compression("L4-L5", "paracentral", "left", sev), "left")
    assert painted(fills0, "right") == set(), "a left-sided picture paints the right side"
    check_root(fills0, "left", "L5")

    # the first drawing is reported to Python too, once painted
    wait_sent(page, sent, 0, "the diagram was drawn but never told Python")

    # 1. Side -> right: the same picture moves to the right; the left is cleared.
    pick(area, "right")
    fills1 = wait_fills_change(gd, fills0)
    area.scroll_into_view_if_needed()
    browser.shot("side-right")
    assert painted(fills1, "right") == painted(fills0, "left"), "the right side does not mirror the left picture"
    assert painted(fills1, "left") == set(), "after choosing right, the left side is still painted"
    text = description(area)
    assert "right side" in text and "left side" not in text, text

    # 2. Disc -> L5-S1: S1's areas on the right (calf, heel); the left side does not change at all.
    before = len(sent)
    pick(area, "L5-S1")
    fills2 = wait_fills_change(gd, fills1)
    # after the repaint the page tells Python the edit is drawn (static/figure-widget.js, once painted);
    # plotly.py's FigureWidget marks its edit done then (on_edits_completed)
    wait_sent(page, sent, before, "the diagram repainted but never told Python the edit was drawn")
    browser.shot("disc-L5-S1")
    assert changed(fills1, fills2, "left") == set(), "changing the disc repainted the left side"
    moved = changed(fills1, fills2, "right")
    assert {"posterior_leg", "heel"} <= moved, f"the calf and heel should change on the right; changed: {moved}"
    assert painted(fills2, "right") == model(Compression("L5-S1", "paracentral", "right", sev), "right")
    check_root(fills2, "right", "S1")
    text = description(area)
    assert "L5-S1" in text and "S1 nerve root" in text and "left side" not in text, text


CLICK_NOTEBOOK = """\
import ipywidgets as w
from sciatica_edu.widgets import BodyDiagram

d = BodyDiagram(clickable=True, description=False)
said = w.HTML("no click yet")
said.add_class("click-result")
d.on_region_click(lambda region, side: setattr(said, "value", f"clicked {region} {side}"))
box = w.VBox([d.widget, said])
box.add_class("click-test")
box
"""


def test_clicking_a_region_reaches_python(lab_server, browser):
    """A click on a body region in Lab calls the diagram's on_region_click in the kernel with that region and side
    (the picker in notebook 08 depends on it)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CLICK_NOTEBOOK)]
    nbformat.write(nb, lab_server.root / "zz-click.ipynb")
    page = browser.page
    open_notebook(page, lab_server, "zz-click.ipynb")
    run_all(page)
    area = page.locator(".click-test").first
    area.wait_for()
    area.scroll_into_view_if_needed()
    gd = area.locator(".js-plotly-plot").first.element_handle()
    wait_drawn(page, gd)
    # the middle of the patient's left heel, seen from behind, in page coordinates
    box = gd.evaluate("""(gd) => {
      for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
        const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
        const m = t && (gd.data[t.index] || {}).meta;
        if (Array.isArray(m) && m.join('|') === 'heel|left|back') {
          const r = g.querySelector('path.js-fill').getBoundingClientRect();
          return [r.x + r.width / 2, r.y + r.height / 2];
        }
      }
      return null;
    }""")
    assert box, "no heel (left, back view) polygon in the plot"
    page.mouse.move(*box)
    page.wait_for_timeout(300)  # plotly picks the clicked fill from its hover
    page.mouse.click(*box)
    result = area.locator(".click-result")
    page.wait_for_function("(el) => el.innerText.includes('clicked')", arg=result.element_handle(), timeout=15_000)
    browser.shot("clicked-heel")
    assert result.inner_text().strip() == "clicked heel left"


EDITS_NOTEBOOK = """\
import time
import plotly.graph_objects as go
from IPython.display import display
from sciatica_edu.widgets import BodyDiagram

d = BodyDiagram(description=False)
fig = d.figure
display(fig)
time.sleep(3)  # let the page draw the first picture; the edits below then reach a live view
fig.data[0].fillcolor = "rgb(1, 2, 3)"                      # a single restyle, outside batch_update
fig.layout.title = {"text": "edited title"}                 # a single relayout
fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name="added"))  # a new trace
"""


def test_the_diagram_front_end_draws_single_edits_and_new_traces(lab_server, browser):
    """The kit's front-end (static/figure-widget.js) also draws what plotly.py sends outside batch_update:
    a restyle, a relayout and an added trace."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(EDITS_NOTEBOOK)]
    nbformat.write(nb, lab_server.root / "zz-edits.ipynb")
    page = browser.page
    open_notebook(page, lab_server, "zz-edits.ipynb")
    run_all(page)
    plot = page.locator(".jp-OutputArea-output .js-plotly-plot").first
    plot.wait_for()
    gd = plot.element_handle()
    n = len(diagram.body_figure().data)
    page.wait_for_function(
        "([gd, n]) => gd.data && gd.data.length === n + 1 && gd.data[n].name === 'added'"
        " && gd.data[0].fillcolor === 'rgb(1, 2, 3)' && !!gd.querySelector('.gtitle')"
        " && gd.querySelector('.gtitle').textContent === 'edited title'",
        arg=[gd, n],
        timeout=30_000,
    )
    browser.shot("edited")
    fill = gd.evaluate("(gd) => getComputedStyle(gd.querySelector('.scatterlayer .trace path.js-fill')).fill")
    assert fill == "rgb(1, 2, 3)", fill
