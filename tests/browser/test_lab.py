"""JupyterLab in Chromium: notebook 03 runs, and its live diagram follows the disc and side widgets (issue 7, item 1).

The fills are read from the SVG the browser painted (getComputedStyle), never from the Python model, and are
compared with the teaching model's painting rule (diagram.region_paint) and with anatomy the test states itself
(L5 reaches the shin and the top of the foot, S1 the calf and the heel).
"""

from __future__ import annotations

import re

import pytest

from sciatica_edu import diagram
from sciatica_edu.model.scenario import Compression

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
    # Run All goes on past the explorer and Lab follows the running cell; an output out of view is not rendered
    # (Lab skips off-screen cells), so its controls' words read empty: bring it back into view once all is run.
    for _ in range(50):
        area.scroll_into_view_if_needed()
        if area.inner_text().strip():
            break
        page.wait_for_timeout(200)
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

    # 3. Side -> both (issue 13): the warning shows between the controls and the picture, right above it,
    #    not only in the words about 1,400 px further down.
    pick(area, "both")
    warning = area.locator(".sciatica-warning").first
    warning.wait_for(timeout=15_000)
    browser.shot("side-both-warning")
    assert "both legs" in warning.inner_text().lower()
    warn_box = warning.bounding_box()
    plot_box = area.locator(".js-plotly-plot").first.bounding_box()
    gap = plot_box["y"] - (warn_box["y"] + warn_box["height"])
    assert 0 <= gap < 80, f"the warning should sit just above the picture; gap {gap:.0f} px"


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


FAST_NOTEBOOK = """\
import time
import ipywidgets as w
from IPython.display import display
from sciatica_edu.model.scenario import Compression
from sciatica_edu.widgets import BodyDiagram

d = BodyDiagram(description=False)
display(d.figure)
time.sleep(3)  # the first view draws; every edit below reaches it live
for c in (
    Compression("L5-S1", "paracentral", "right", 0.9),  # other roots, patterns and colours, the other side
    Compression("L3-L4", "foraminal", "left", 0.3),     # a side-opening bulge, mild
    Compression("L4-L5", "central", "both", 0.9),       # both sides: warning line and key spots on both sides
):
    d.show(c)
    time.sleep(0.4)
d.show_root("S1")        # a root's usual area (its own colours and captions)
time.sleep(0.4)
d.show(Compression("L4-L5", "central", "both", 0.9))
time.sleep(1)
# A second view of the same figure, which plotly.js draws from scratch from the same data. (In a box:
# displaying the figure itself would make plotly.py send the whole figure again, and every view redraw.)
display(w.VBox([d.figure]))
"""

#: JS: everything a colour edit can change in one plot, as drawn. Per trace: plotly.js's computed values of the
#: edited properties and the painted fill and line (a pattern fill by the pattern's drawing, not its page-unique
#: id); per layout shape and annotation: the painted colour.
DRAWN_JS = """
(gd) => {
  const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x))
    ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x);
  const paint = (el, prop) => {
    if (!el) return null;
    const cs = getComputedStyle(el);
    const v = cs[prop];
    const m = /url\\("?#([^")]+)"?\\)/.exec(v);
    if (!m) return v + '/' + cs[prop + 'Opacity'];
    const pat = gd.querySelector('pattern[id="' + m[1] + '"]');
    if (!pat) return 'missing pattern';
    const copy = pat.cloneNode(true);
    copy.removeAttribute('id');
    return copy.outerHTML;
  };
  const out = {traces: [], shapes: {}, annotations: {}};
  gd.querySelectorAll('.scatterlayer .trace').forEach((g) => {
    const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    if (!t) return;
    out.traces[t.index] = {
      full: canon({fillcolor: t.fillcolor, fillpattern: t.fillpattern, name: t.name, hoverinfo: t.hoverinfo,
                   line: t.line && t.line.color}),
      fill: paint(g.querySelector('path.js-fill'), 'fill'),
      line: paint(g.querySelector('path.js-line'), 'stroke'),
    };
  });
  gd.querySelectorAll('g.shape-group').forEach((g) => {
    out.shapes[g.getAttribute('data-index')] = paint(g.querySelector('path'), 'fill');
  });
  gd.querySelectorAll('g.annotation').forEach((g) => {
    out.annotations[g.getAttribute('data-index')] = paint(g.querySelector('text.annotation-text'), 'fill');
  });
  return out;
}
"""


def test_colour_edits_drawn_in_place_look_as_plotly_draws_them(lab_server, browser):
    """The front-end draws the diagram's colour edits without a full Plotly.update (static/figure-widget.js,
    the fast path). A view painted that way must look exactly like a second view that plotly.js drew from
    scratch from the same data: every trace's computed colours, fill pattern, hover name and flags, every
    painted fill, line, layout shape and annotation."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(FAST_NOTEBOOK)]
    nbformat.write(nb, lab_server.root / "zz-fast.ipynb")
    page = browser.page
    open_notebook(page, lab_server, "zz-fast.ipynb")
    run_all(page)
    plots = page.locator(".jp-OutputArea-output .js-plotly-plot")
    plots.nth(1).wait_for(timeout=60_000)
    first, second = plots.nth(0).element_handle(), plots.nth(1).element_handle()
    wait_drawn(page, second)
    page.wait_for_timeout(500)
    browser.shot("two-views")
    fast = first.evaluate("(gd) => gd.__sciaticaFastEdits || 0")
    assert fast >= 5, f"the first view drew only {fast} of the 5 repaints in place (the rest went to Plotly.update)"
    assert second.evaluate("(gd) => gd.__sciaticaFastEdits || 0") == 0
    a, b = first.evaluate(DRAWN_JS), second.evaluate(DRAWN_JS)
    assert len(a["traces"]) == len(b["traces"]) == len(diagram.body_figure().data)
    diff = [i for i, (x, y) in enumerate(zip(a["traces"], b["traces"], strict=True)) if x != y]
    shown = [(a["traces"][i], b["traces"][i]) for i in diff[:3]]
    assert not diff, f"traces drawn differently in place than by plotly.js (in place, then plotly.js): {shown}"
    assert a["shapes"] == b["shapes"] and len(a["shapes"]) == len(diagram.body_figure().layout.shapes)
    assert a["annotations"] == b["annotations"]
    # the views show a picture with fill patterns (numbness, tingling, weakness), not the empty start
    painted_fills = [t["fill"] for t in a["traces"] if t["fill"] and "pattern" in t["fill"]]
    assert painted_fills, "no patterned fill in the final picture (numbness or weakness areas)"


#: JS: the page centre of one body region's polygon, by its meta ("region|side|view"), or null.
REGION_CENTRE_JS = """([gd, key]) => {
  for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
    const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    const m = t && (gd.data[t.index] || {}).meta;
    if (Array.isArray(m) && m.join('|') === key) {
      const r = g.querySelector('path.js-fill').getBoundingClientRect();
      return [r.x + r.width / 2, r.y + r.height / 2];
    }
  }
  return null;
}"""
PAGE_TOP_JS = "(gd) => gd.getBoundingClientRect().top - gd.closest('.jp-WindowedPanel-outer, .jp-Notebook').getBoundingClientRect().top + gd.closest('.jp-WindowedPanel-outer, .jp-Notebook').scrollTop"  # noqa: E501


def test_08_the_body_picture_stays_under_the_pointer(lab_server, browser):
    """Issue 13: in notebook 08 a click on the body grew the ranking above it and moved the picture 84 px down, so
    the next click landed elsewhere. Two clicks on the picture: both reach Python (the picks line names them, with
    their leg) and the picture does not move, in the notebook's own coordinates."""
    page = browser.page
    open_notebook(page, lab_server, "08-symptom-explorer.ipynb")
    run_all(page)
    area = page.locator(".jp-OutputArea-output:has(.explorer-results)").first
    area.wait_for(timeout=120_000)
    area.scroll_into_view_if_needed()
    gd = area.locator(".js-plotly-plot").first.element_handle()  # the body picture comes before the bars
    wait_drawn(page, gd)
    bars = area.locator(".js-plotly-plot:has(.barlayer)").first
    bars.wait_for(timeout=30_000)
    widths0 = bars.evaluate(BAR_WIDTHS_JS)
    assert widths0, "the ranking's bars are not drawn"
    picks = area.locator(".explorer-picks").first
    tops = [gd.evaluate(PAGE_TOP_JS)]
    for key, words in (("heel|left|back", "heel"), ("posterior_leg|right|back", "calf")):
        gd.scroll_into_view_if_needed()
        box = page.evaluate(REGION_CENTRE_JS, [gd, key])
        assert box, f"no {key} polygon in the picture"
        page.mouse.move(*box)
        page.wait_for_timeout(300)  # plotly picks the clicked fill from its hover
        page.mouse.click(*box)
        # the picks line is re-rendered on each change: look it up again each time
        page.wait_for_function(
            "(w) => [...document.querySelectorAll('.explorer-picks')].some((el) => el.innerText.includes(w))",
            arg=words,
            timeout=15_000,
        )
        page.wait_for_timeout(500)  # let the bars and the reasons redraw
        tops.append(gd.evaluate(PAGE_TOP_JS))
    browser.shot("picker-two-clicks")
    text = " ".join(picks.inner_text().split())
    assert "heel" in text.split("Right leg")[0] and "Right leg: calf" in text, text
    assert max(tops) - min(tops) < 1, f"the picture moved between clicks: tops {tops}"
    reasons = " ".join(area.locator(".explorer-reasons").first.inner_text().split())
    assert "(left leg)" in reasons and "(right leg)" in reasons, reasons
    assert bars.evaluate(BAR_WIDTHS_JS) != widths0, "the ranking's bars did not follow the picks"


#: The drawn width (px) of every bar of a bar chart, in order: what a reader sees of the ranking.
BAR_WIDTHS_JS = "(gd) => [...gd.querySelectorAll('.barlayer .point path')].map((p) => Math.round(p.getBBox().width))"
