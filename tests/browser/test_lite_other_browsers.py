"""The offline JupyterLite site in Firefox ESR and in WebKit (issue 17: "which browsers were tested").

Hospitals often run Firefox ESR; Safari (WebKit) is what iPads, iPhones and Macs have, so patients at home and
clinicians on tablets meet the site there. The same site as test_lite.py (the session's ``lite_site``), served on
127.0.0.1: Firefox ESR driven over WebDriver BiDi (firefox.py), Debian's WebKitGTK over classic WebDriver
(webkit.py). The journeys a student and a clinician take: 03 opens with the build's pictures drawn, runs top to
bottom and its explorer repaints when the side changes; 10 opens with its code hidden, a preset repaints the
session diagram, and the handout downloads to disk. Any request for another host fails the test, and a test
checks that the guard does see one.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest

from sciatica_edu import diagram, lite
from sciatica_edu.model.scenario import Compression
from sciatica_edu.widgets import session

from .conftest import READ_FILLS_JS, artefact_dir, check_root, expected_region_keys, fills_from, painted
from .driven import Driven, DriverError
from .firefox import Firefox, require_firefox
from .test_lite import (
    AT_TOP_JS,
    DONE_OR_FAILED_JS,
    EXPLORE,
    FAILED_OUTPUTS_JS,
    FITS_JS,
    KERNEL_MS,
    SESSION_PLOT,
    check_fits,
)
from .webkit import WebKit, require_webkit

KERNEL_S = KERNEL_MS / 1000

#: The open notebook. Headless Firefox never gives its window the focus (``document.hasFocus()`` stays false), so
#: JupyterLab's shell has no ``currentWidget`` and its status bar shows no kernel; the notebook is the main area's
#: one widget with a session. (The notebook commands still act on it: their tracker keeps the last one added.)
#: WebKit's window, on its own X display, has the focus; the same reading serves both.
NOTEBOOK = ("(window.jupyterapp.shell.currentWidget"
            " || [...window.jupyterapp.shell.widgets('main')].find((x) => x.content && x.sessionContext))")


def on_notebook(js: str) -> str:
    """One of test_lite's scripts, reading the notebook as above instead of the shell's current widget."""
    assert "window.jupyterapp.shell.currentWidget" in js
    return js.replace("window.jupyterapp.shell.currentWidget", NOTEBOOK)


IDLE_JS = f"""() => {{ if (!window.jupyterapp) return false; const w = {NOTEBOOK};
  const s = w && w.sessionContext;
  return !!s && s.kernelDisplayName === 'Python (Pyodide)' && s.kernelDisplayStatus === 'idle'; }}"""

ALL_RUN_JS = f"""() => {{ const w = {NOTEBOOK};
  const code = (w && w.content ? w.content.widgets : []).filter((c) => c.model.type === 'code');
  return code.length > 0 && code.every((c) => c.model.executionCount !== null); }}"""

RUN_ALL_JS = "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }"

#: READ_FILLS_JS applied to the first plot matching a selector (scrolled into view first, as a reader would).
FILLS_JS = f"""(sel) => {{ const gd = document.querySelector(sel);
  if (!gd) return null; gd.scrollIntoView({{block: 'center'}}); return ({READ_FILLS_JS})(gd); }}"""

#: Choose ``value`` in a selection control inside the first element matching ``scope``, as test_lab's ``pick``
#: does: a dropdown option, else a toggle button, else a radio label whose text is the value or starts with it.
PICK_JS = """([scope, value]) => {
  const norm = (t) => t.replace(/\\u2019/g, "'").replace(/\\s+/g, ' ').trim().toLowerCase();
  const fits = (t) => { t = norm(t); const v = norm(value);
    return t === v || t.startsWith(v + ' ') || t.startsWith(v + '-') || t.startsWith("patient's " + v); };
  const root = document.querySelector(scope);
  if (!root) return 'no ' + scope;
  for (const sel of root.querySelectorAll('.widget-dropdown select')) {
    const opt = [...sel.options].find((o) => fits(o.text));
    if (opt) { sel.value = opt.value; sel.dispatchEvent(new Event('change', {bubbles: true}));
               return 'dropdown ' + opt.text; }
  }
  for (const css of ['.widget-toggle-buttons button', '.widget-radio-box label']) {
    const el = [...root.querySelectorAll(css)].find((b) => fits(b.innerText));
    if (el) { el.click(); return css + ' ' + el.innerText; }
  }
  return null;
}"""


BROWSERS = {"firefox": (require_firefox, Firefox), "webkit": (require_webkit, WebKit)}


@pytest.fixture(params=sorted(BROWSERS))
def browser(request, tmp_path) -> Iterator[Driven]:
    """One fresh browser per test: Firefox ESR, then WebKit. Tests name it before ``lite_url``, so a missing
    browser skips (or, in CI, fails) before the site is built. Any request for another host fails the test."""
    require, make = BROWSERS[request.param]
    require()
    b = make(home=tmp_path / request.param, artefacts=artefact_dir(request))
    try:
        yield b
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is None or rep.failed:
            try:
                b.shot("failure")
            except Exception as exc:  # the browser may be gone; keep its logs
                (b.artefacts / "harness.log").write_text(f"no failure screenshot: {exc}\n")
        b.close()
    left = b.left_the_machine()
    assert not left, f"requests left (or tried to leave) the machine: {left[:5]}"


def open_lite(ff: Driven, url: str, notebook: str) -> float:
    t0 = time.perf_counter()
    ff.goto(f"{url}/lab/index.html?path={notebook}")
    ff.wait(IDLE_JS, timeout_s=KERNEL_S, what="the Pyodide kernel idle")
    assert not ff.js("() => !!document.querySelector('.jp-Dialog')"), "a dialog is open over the notebook"
    return time.perf_counter() - t0


def run_all(ff: Driven) -> None:
    ff.js(RUN_ALL_JS)
    ran_all(ff)


def ran_all(ff: Driven) -> None:
    """Wait until every cell of the notebook has run, failing on the first error a cell shows."""
    ff.wait(on_notebook(DONE_OR_FAILED_JS), timeout_s=KERNEL_S, what="every cell run, or one failed")
    failed = ff.js(on_notebook(FAILED_OUTPUTS_JS))
    assert failed == [], f"a cell failed: {failed[:2]}"
    ff.wait(ALL_RUN_JS, timeout_s=KERNEL_S, what="every cell run")


def drawn(ff: Driven, selector: str) -> dict:
    """The painted fills of the first plot matching ``selector``, once all its region polygons are drawn."""
    want = expected_region_keys()
    ff.wait(f"(sel) => {{ const t = ({FILLS_JS})(sel); return !!t && t.length >= {len(want)}; }}", selector,
            timeout_s=KERNEL_S, what=f"the body diagram drawn in {selector}")
    deadline = time.monotonic() + 30
    while True:
        fills = fills_from(ff.js(FILLS_JS, selector) or [])  # null: the plot is being redrawn
        if set(fills) >= want or time.monotonic() > deadline:
            assert set(fills) >= want, f"drew {len(fills)} of {len(want)} region polygons"
            return fills
        time.sleep(0.2)


def fills_change(ff: Driven, selector: str, before: dict, timeout_s: float = 90) -> dict:
    """Wait until the plot's fills differ from ``before`` and then hold still for one more reading."""
    deadline = time.monotonic() + timeout_s
    last = before
    while time.monotonic() < deadline:
        now = fills_from(ff.js(FILLS_JS, selector) or [])
        if now != before and now == last:
            return now
        last = now
        time.sleep(0.2)
    raise AssertionError(f"the diagram's fills did not change within {timeout_s:.0f} s")


def test_03_runs_and_the_explorer_repaints(browser, lite_url):
    """Notebook 03: the kernel starts, every cell runs without an error, the plain body figures
    are drawn right, and choosing the right side repaints the explorer as the mirror of its left picture."""
    ff = browser
    took = open_lite(ff, lite_url, "03-where-you-feel-it.ipynb")
    print(f"{type(ff).__name__} lite: kernel idle after {took:.1f} s")
    t0 = time.perf_counter()
    run_all(ff)
    print(f"{type(ff).__name__} lite: 03 ran in {time.perf_counter() - t0:.1f} s")
    assert ff.js("() => document.querySelectorAll('[id^=\"sciatica-stored-\"]').length") == 0, \
        "a stored output survived Run All"
    assert ff.js("() => document.querySelectorAll('.sciatica-lite-figure.js-plotly-plot').length") >= 5
    fills = drawn(ff, ".sciatica-lite-figure.js-plotly-plot")
    start = Compression(severity=0.6)
    assert painted(fills, start.side) == {r for (r, s) in diagram.region_paint(start.symptoms()) if s == start.side}

    plot = f"{EXPLORE} .js-plotly-plot"
    fills0 = drawn(ff, plot)
    ff.shot("explore-drawn")
    check_root(fills0, "left", "L5")
    assert painted(fills0, "right") == set()
    t1 = time.perf_counter()
    assert ff.js(PICK_JS, [EXPLORE, "right"]), "no control offers the right side"
    fills1 = fills_change(ff, plot, fills0)
    print(f"{type(ff).__name__} lite: side -> right repainted in {time.perf_counter() - t1:.2f} s")
    ff.shot("side-right")
    assert painted(fills1, "right") == painted(fills0, "left"), "the right side does not mirror the left picture"
    assert painted(fills1, "left") == set(), "after choosing right, the left side is still painted"


def test_03_opens_with_the_builds_pictures(browser, lite_url):
    """The build's stored outputs (lite.outputs): before any cell runs, 03's first body picture is
    drawn (once scrolled near, as a reader would) and painted right, and the note stands where the explorer will be."""
    ff = browser
    t0 = time.perf_counter()
    ff.goto(f"{lite_url}/lab/index.html?path=03-where-you-feel-it.ipynb")
    ff.wait("() => { const el = document.querySelector('[id^=\"sciatica-stored-03-\"]');"
            " if (el) el.scrollIntoView({block: 'center'}); return !!el; }", timeout_s=KERNEL_S,
            what="03's first stored picture in the page")
    fills = drawn(ff, '[id^="sciatica-stored-03-"].js-plotly-plot')
    print(f"{type(ff).__name__} lite: stored picture drawn after {time.perf_counter() - t0:.1f} s")
    start = Compression(severity=0.6)
    assert painted(fills, start.side) == {r for (r, s) in diagram.region_paint(start.symptoms()) if s == start.side}
    note = ff.js("() => { const n = document.querySelector('.sciatica-stored-note'); return n && n.innerText; }")
    assert note and "Run All Cells" in note, note
    counts = ff.js(on_notebook("() => window.jupyterapp.shell.currentWidget.content.widgets"
                               ".filter((c) => c.model.type === 'code').map((c) => c.model.executionCount)"))
    assert counts and all(c is None for c in counts), f"a cell ran: {counts}"
    ff.shot("stored-outputs")


def test_10_session_presets_and_handout_download(browser, lite_url):
    """Notebook 10 runs itself (lite.AUTORUN_SESSION), once: code hidden, the session diagram fits the notebook's
    width, a preset repaints it, and "Make handout" gives a link that the browser saves to disk as a whole handout
    (the file itself is checked)."""
    ff = browser
    open_lite(ff, lite_url, "10-clinician-session.ipynb")
    shown = ff.js("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea')]"
                  ".filter((e) => e.getClientRects().length > 0).length")
    assert ff.js("() => document.querySelectorAll('.jp-CodeCell').length") >= 3
    assert shown == 0, "the session notebook shows its code"
    ran_all(ff)  # by itself: no Run All here
    counts = ff.js(on_notebook("() => window.jupyterapp.shell.currentWidget.content.widgets"
                               ".filter((c) => c.model.type === 'code').map((c) => c.model.executionCount)"))
    assert sorted(counts) == list(range(1, len(counts) + 1)), f"the session should run once, top to bottom: {counts}"
    assert ff.js("() => window.__sciaticaAutoRun") == 1
    where = ff.js(AT_TOP_JS, lite.SESSION_NOTEBOOK)
    assert where["active"] == 0 and where["first_top"] > -20, f"the session does not open at its top: {where}"
    fills0 = drawn(ff, SESSION_PLOT)
    first = session.presets()[0].compression
    check_root(fills0, first.side, "L5")
    check_fits(ff.js(FITS_JS))
    ff.shot("session-drawn")

    s1 = next(p for p in session.presets() if p.compression.side == "right")
    clicked = ff.js("(label) => { const b = [...document.querySelectorAll('.sciatica-session button')]"
                    ".find((b) => b.innerText.trim() === label); if (b) b.click(); return !!b; }", s1.label)
    assert clicked, f"no preset button {s1.label!r}"
    fills1 = fills_change(ff, SESSION_PLOT, fills0)
    check_root(fills1, "right", "S1")
    assert painted(fills1, "left") == set(), f"{s1.label}: the left side is still painted"
    ff.shot("preset-S1")

    assert ff.js("() => { const b = [...document.querySelectorAll('.sciatica-session button')]"
                 ".find((b) => b.innerText.trim() === 'Make handout'); if (b) b.click(); return !!b; }")
    name = ff.wait("() => { const a = document.querySelector('.sciatica-handout-status a.sciatica-download');"
                   " if (!a) return null; a.click(); return a.getAttribute('download'); }",
                   timeout_s=90, what="the handout's download link")
    assert s1.compression.disc in name and "right" in name, name
    saved = ff.saved_download(name)
    html = saved.read_text(encoding="utf-8")
    assert "<html" in html.lower() and s1.compression.disc in html and "999" in html
    assert len(html) > 1_000_000, "the handout should carry its figure and plotly.js"
    ff.shot("handout-saved")


def test_the_guard_sees_a_request_for_another_host(browser, lite_url):
    """Both parts of the guard that fails every test here when a request leaves the machine see one. Opening a
    page of another host sends the request to the refusing proxy, which records it; a fetch for another host
    from the site's own page is refused by the browser under the site's policy, which reports it to the tests'
    server. (Both then forgotten, so the fixtures' own checks pass.) Without them, a browser that ignored its
    proxy setting, or a page whose requests the policy stopped, would pass every test unguarded."""
    b = browser
    b.goto(f"{lite_url}/README.txt")
    refused = b.js("() => fetch('http://sciatica-guard-check.invalid/fetch').then(() => 'sent', (e) => 'refused')")
    assert refused == "refused"
    with contextlib.suppress(DriverError):  # the proxy's 403 may count as a failed navigation
        b.goto("http://sciatica-guard-check.invalid/leak")
    b.goto(f"{lite_url}/README.txt")
    deadline = time.monotonic() + 15
    while not lite_url.csp_reports and time.monotonic() < deadline:  # reports are sent when the browser likes
        time.sleep(0.2)
    assert any("sciatica-guard-check.invalid" in r for r in lite_url.csp_reports), lite_url.csp_reports
    left = b.left_the_machine()
    assert any("sciatica-guard-check.invalid/leak" in x for x in left), f"the proxy saw nothing: {left}"
    assert not any("/fetch" in x for x in left), f"the policy let the fetch through: {left}"
    b.forget_requests("sciatica-guard-check.invalid")
    lite_url.csp_reports.clear()
