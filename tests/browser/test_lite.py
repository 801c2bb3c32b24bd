"""The offline JupyterLite site in Chromium (issue 17): built, served on 127.0.0.1, the kernel running in the page.

The site is built once per run by ``sciatica_edu.lite.build_site`` into a temporary folder, from the download cache
``.cache/lite`` (filled on the first run; a failed download fails these tests, it never skips them). Every request
to another host fails the test (the ``browser`` fixture's guard), so this also proves the site needs nothing but its
own server. Fills are read from the SVG the browser painted, as in test_lab.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sciatica_edu import diagram, lite
from sciatica_edu.model.scenario import Compression
from sciatica_edu.widgets import session

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS,
    TIMEOUT_MS,
    Guard,
    check_root,
    painted,
    pick,
    picked,
    wait_drawn,
    wait_fills_change,
)

#: The first load runs CPython in WebAssembly on 2 shared cores: give the kernel time.
KERNEL_MS = 180_000
EXPLORE = ".jp-OutputArea-output:has(.sciatica-controls):has(.js-plotly-plot)"
SESSION_PLOT = ".sciatica-session .js-plotly-plot"


def open_lite(page, url: str, notebook: str) -> float:
    """Open ``notebook`` in the site's JupyterLab and wait until its Pyodide kernel is idle; returns seconds taken."""
    t0 = time.perf_counter()
    page.goto(f"{url}/lab/index.html?path={notebook}")
    page.wait_for_function(
        "() => !!window.jupyterapp && /Python \\(Pyodide\\) \\| Idle/.test("
        "(document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText.replace(/\\s+/g, ' '))",
        timeout=KERNEL_MS,
    )
    assert not page.query_selector(".jp-Dialog"), "a dialog (kernel choice?) is open over the notebook"
    return time.perf_counter() - t0


def run_all(page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_all_run(page, timeout_ms: int = KERNEL_MS) -> None:
    """Wait until every code cell of the open notebook has an execution count (its model, not the prompt: the
    session notebook's prompts are hidden with its code)."""
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const cells = w && w.content ? w.content.widgets : [];"
        " const code = cells.filter((c) => c.model.type === 'code');"
        " return code.length > 0 && code.every((c) => c.model.executionCount !== null); }",
        timeout=timeout_ms,
    )


def errors_shown(page) -> list[str]:
    return page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()


def test_root_opens_the_start_notebook(lite_url, browser):
    """The site's address opens 00-start-here in JupyterLab, whose plain figure the kit's plotly.js draws."""
    page = browser.page
    page.goto(lite_url + "/")
    page.wait_for_url("**/lab/index.html?path=00-start-here.ipynb", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!w && !!w.context && w.context.path === '00-start-here.ipynb'; }",
        timeout=KERNEL_MS,
    )
    browser.shot("start-here")


def test_03_runs_and_the_explorer_repaints(lite_url, browser):
    """Notebook 03 runs top to bottom in the browser kernel; the plain figures and the explorer are drawn, and a
    control change repaints the explorer (left picture moves to the right)."""
    page = browser.page
    took = open_lite(page, lite_url, "03-where-you-feel-it.ipynb")
    print(f"lite: kernel idle after {took:.1f} s")
    browser.shot("kernel-idle")
    assert page.evaluate("() => window.__sciaticaAutoRun") == 0, "03 ran itself: only 10 should"
    t0 = time.perf_counter()
    run_all(page)
    area = page.locator(EXPLORE).first
    area.wait_for(timeout=KERNEL_MS)
    wait_all_run(page)
    print(f"lite: 03 ran in {time.perf_counter() - t0:.1f} s")
    assert errors_shown(page) == [], f"a cell wrote to stderr: {errors_shown(page)[:1]}"
    # plain figures (diagram.body_figure) drawn by the kit's plotly.js, not left as text
    assert page.locator('[id^="sciatica-stored-"]').count() == 0, "a stored output survived Run All"
    plain = page.locator(".sciatica-lite-figure.js-plotly-plot")
    assert plain.count() >= 5, f"expected the notebook's plain body figures drawn; found {plain.count()}"
    fills = wait_drawn(page, plain.first.element_handle())
    start = Compression(severity=0.6)  # 03 starts at the slider's "moderate" (seventh review)
    assert painted(fills, start.side) == {r for (r, s) in diagram.region_paint(start.symptoms()) if s == start.side}

    area.scroll_into_view_if_needed()
    gd = area.locator(".js-plotly-plot").first.element_handle()
    fills0 = wait_drawn(page, gd)
    browser.shot("explore-drawn")
    assert picked(area, "left"), "explore() should start on the left"
    check_root(fills0, "left", "L5")
    assert painted(fills0, "right") == set()

    t1 = time.perf_counter()
    pick(area, "right")
    fills1 = wait_fills_change(gd, fills0)
    print(f"lite: side -> right repainted in {time.perf_counter() - t1:.2f} s")
    browser.shot("side-right")
    assert painted(fills1, "right") == painted(fills0, "left"), "the right side does not mirror the left picture"
    assert painted(fills1, "left") == set(), "after choosing right, the left side is still painted"


def test_03_opens_with_the_builds_pictures_before_the_kernel_runs(lite_url, browser):
    """The site's 03 carries the build's stored outputs (lite.outputs): its first body picture is drawn, right, as
    soon as the page shows it, with no cell run; where a widget will be, a note says how to make the page run."""
    page = browser.page
    t0 = time.perf_counter()
    page.goto(f"{lite_url}/lab/index.html?path=03-where-you-feel-it.ipynb")
    first = page.locator('[id^="sciatica-stored-03-"]').first
    first.wait_for(state="attached", timeout=KERNEL_MS)
    first.scroll_into_view_if_needed()  # stored pictures are drawn when near the screen
    page.wait_for_selector('[id^="sciatica-stored-03-"].js-plotly-plot', timeout=KERNEL_MS)
    took = time.perf_counter() - t0
    status = page.evaluate("() => (document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText")
    print(f"lite: stored picture drawn after {took:.1f} s (status bar then: {' '.join(status.split())[:40]!r})")
    fills = wait_drawn(page, page.locator('[id^="sciatica-stored-03-"].js-plotly-plot').first.element_handle())
    start = Compression(severity=0.6)  # 03's first picture, as the kernel draws it (test above)
    assert painted(fills, start.side) == {r for (r, s) in diagram.region_paint(start.symptoms()) if s == start.side}
    note = page.locator(".sciatica-stored-note").first
    note.scroll_into_view_if_needed()
    assert "Run All Cells" in note.inner_text()
    assert all(c is None for c in page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets"
        ".filter((c) => c.model.type === 'code').map((c) => c.model.executionCount)")), "no cell should have run"
    browser.shot("stored-outputs")


def test_08_ranking_bars_are_drawn_and_follow_a_finding(lite_url, browser):
    """Notebook 08's ranking chart is drawn by the kit's own figure code (plotly's is not in the site): its bars
    show after Run All, and ticking a finding redraws them."""
    from .test_lab import BAR_WIDTHS_JS

    page = browser.page
    open_lite(page, lite_url, "08-symptom-explorer.ipynb")
    run_all(page)
    wait_all_run(page)
    assert errors_shown(page) == [], errors_shown(page)[:1]
    area = page.locator(".jp-OutputArea-output:has(.explorer-results)").first
    area.scroll_into_view_if_needed()
    bars = area.locator(".js-plotly-plot:has(.barlayer)").first
    bars.wait_for(timeout=KERNEL_MS)
    assert "cannot draw" not in area.inner_text()
    widths0 = bars.evaluate(BAR_WIDTHS_JS)
    assert widths0 and max(widths0) > 0, f"no bars drawn: {widths0}"
    area.locator(".widget-checkbox input").first.check()
    page.wait_for_function("([gd, before]) => JSON.stringify((" + BAR_WIDTHS_JS + ")(gd)) !== JSON.stringify(before)",
                           arg=[bars.element_handle(), widths0], timeout=30_000)
    browser.shot("ranking-bars")


def test_a_plain_plotly_figurewidget_says_why_it_is_not_drawn(lite_url, browser):
    """plotly's own FigureWidget code (5 MB) is not in the site (lite.REPLACE): a student who makes a plain
    ``go.FigureWidget`` in a cell gets the stand-in's sentence, not an error or an empty box; the kit's own
    diagrams (test_03 above) are unaffected."""
    page = browser.page
    open_lite(page, lite_url, "00-start-here.ipynb")
    page.evaluate("""() => { const w = window.jupyterapp.shell.currentWidget;
      const n = w.content.model.sharedModel.cells.length;
      w.content.model.sharedModel.insertCell(n, {cell_type: 'code',
        source: 'import plotly.graph_objects as go\\ngo.FigureWidget(data=[go.Bar(y=[1, 2])])'});
      w.content.activeCellIndex = n;
      return window.jupyterapp.commands.execute('notebook:run-cell'); }""")
    said = page.locator(".jp-OutputArea-output", has_text="cannot draw a plain plotly FigureWidget")
    said.first.wait_for(timeout=KERNEL_MS)
    assert errors_shown(page) == [], errors_shown(page)[:1]
    said.first.scroll_into_view_if_needed()
    browser.shot("plain-figurewidget")


#: The notebook's first cell as JupyterLite's contents service gives it (saved copy if there is one).
FIRST_CELL_JS = """async (path) => {
  const m = await window.jupyterapp.serviceManager.contents.get(path, {content: true});
  const src = m.content.cells[0].source; return Array.isArray(src) ? src.join('') : src; }"""


#: Every record in the page's IndexedDB, counted per database and store ({} if none). JupyterLite's loading
#: indicator opens an (empty) settings store to read the theme; localforage's own blob probe is not a record.
STORED_JS = """async () => { const out = {};
  for (const d of await indexedDB.databases()) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open(d.name); r.onsuccess = () => ok(r.result);
                                                r.onerror = () => no(r.error); });
    for (const name of db.objectStoreNames) {
      if (name === 'local-forage-detect-blob-support') continue;
      const n = await new Promise((ok, no) => { const r = db.transaction(name).objectStore(name).count();
                                                r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
      if (n) out[d.name + '/' + name] = n;
    }
    db.close();
  }
  return out; }"""


def test_nothing_typed_outlives_the_page(lite_url, browser):
    """A notebook edited and saved (as JupyterLab's autosave would) is kept in the page's memory only: nothing is
    written to the browser's IndexedDB, and after a reload the lesson is the site's own again (lite.MEMORY_STORAGE).
    By default JupyterLite keeps saved notebooks, settings and open tabs there, for the next user of the PC."""
    page = browser.page
    name = "03-where-you-feel-it.ipynb"
    page.goto(f"{lite_url}/lab/index.html?path={name}")
    page.wait_for_function("(p) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return !!w && !!w.context && w.context.path === p && w.context.isReady; }",
                           arg=name, timeout=KERNEL_MS)
    marker = "Pain in my left calf since Monday (typed by a patient)"
    page.evaluate("""async (text) => { const w = window.jupyterapp.shell.currentWidget;
      w.content.model.sharedModel.insertCell(0, {cell_type: 'markdown', source: text});
      await w.context.save(); }""", marker)
    assert page.evaluate(FIRST_CELL_JS, name) == marker, "the save did not reach JupyterLite's contents"
    # a setting changed (the theme: written to the settings store) and time for the workspace's delayed save
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'", timeout=TIMEOUT_MS)
    page.wait_for_timeout(3000)
    stored = page.evaluate(STORED_JS)
    assert stored == {}, f"records in the browser's IndexedDB (database/store: count): {stored}"
    kept = page.evaluate("(m) => Object.keys(localStorage).filter((k) => (localStorage.getItem(k) || '').includes(m))",
                         marker)
    assert kept == [], f"the typed text is in localStorage under {kept}"
    browser.shot("saved-in-memory")

    page.reload()
    page.wait_for_function("() => !!window.jupyterapp && !!window.jupyterapp.serviceManager", timeout=KERNEL_MS)
    page.evaluate("() => window.jupyterapp.restored")
    first = page.evaluate(FIRST_CELL_JS, name)
    assert marker not in first, "the text typed before the reload is still there"
    assert first.startswith("# Where you feel it"), first[:80]
    assert page.evaluate("() => document.body.dataset.jpThemeName") == "JupyterLab Light", "the setting was kept"


#: The kernels and sessions JupyterLite runs, and the session of the open notebook.
KERNELS_JS = """() => { const a = window.jupyterapp, w = a.shell.currentWidget;
  return {kernels: Array.from(a.serviceManager.kernels.running()).map((k) => k.id),
          sessions: Array.from(a.serviceManager.sessions.running()).map((s) => s.path),
          notebook: w && w.sessionContext && w.sessionContext.session ? w.sessionContext.session.id : null,
          early: window.__sciaticaEarlyKernel || null}; }"""


def test_kernel_starts_early_and_the_notebook_joins_it(lite_url, playwright_instance, tmp_path):
    """On a later visit the page starts the notebook's kernel before the notebook is laid out
    (lite.START_KERNEL_EARLY); the notebook joins that kernel: one session, one kernel, one Pyodide worker. A first
    visit (nothing cached) leaves the start to the notebook, and a path that is no notebook starts nothing.

    Its own Chromium: the ``browser`` fixture routes every request (to block other hosts), and Playwright turns the
    HTTP cache off in a routed context, so every visit there is a first one. Here requests are watched instead, and
    any to another host fails the test."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    context = playwright_instance.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env,
        headless=True, viewport={"width": 1400, "height": 1000}, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    guard = Guard()
    workers: list[str] = []
    context.on("request", lambda r: None if guard.allowed(r.url) else guard.blocked.append(r.url))
    context.on("request", lambda r: workers.append(r.url) if r.url.split("?")[0].endswith("/pyodide.mjs") else None)
    try:
        page = context.new_page()
        # a first visit (a fresh profile, so no saved layout reopens a notebook either), to a path that is no
        # notebook: no kernel, and the early start knew it was a first visit
        page.goto(f"{lite_url}/lab/index.html?path=no-such-notebook.ipynb")
        page.wait_for_function("() => !!window.jupyterapp", timeout=KERNEL_MS)
        page.evaluate("() => window.jupyterapp.restored")
        page.wait_for_function("() => window.__sciaticaFirstVisit === true", timeout=KERNEL_MS)
        page.wait_for_timeout(1000)
        state = page.evaluate(KERNELS_JS)
        assert state["early"] is None and state["kernels"] == [], state
        page.close()

        page = context.new_page()  # a later visit: JupyterLab's files are in the cache now
        open_lite(page, lite_url, "03-where-you-feel-it.ipynb")
        page.wait_for_timeout(1000)  # a second kernel, had one been started, would have asked for Pyodide by now
        state = page.evaluate(KERNELS_JS)
        assert state["early"] is not None, "the page did not start the kernel early"
        assert state["notebook"] == state["early"], "the notebook did not join the early kernel"
        assert state["sessions"] == ["03-where-you-feel-it.ipynb"] and len(state["kernels"]) == 1, state
        assert len(workers) == 1, f"Pyodide was loaded {len(workers)} times"
        assert guard.blocked == [], f"requests to other hosts: {guard.blocked[:3]}"
    finally:
        context.close()


#: Where the session diagram ends, as drawn (scaled), against the right edge of its cell's output area: the
#: diagram is drawn 1000 px wide (session.FIGURE_SIZE), wider than a notebook's column with the file browser open.
FITS_JS = f"""() => {{ const gd = document.querySelector('{SESSION_PLOT}');
  const area = gd.closest('.jp-OutputArea-output'); gd.scrollIntoView({{block: 'start'}});
  const a = gd.getBoundingClientRect(), b = area.getBoundingClientRect();
  return {{right: Math.round(a.right), limit: Math.round(b.right), width: Math.round(a.width)}}; }}"""


def check_fits(fit: dict) -> None:
    """FITS_JS's reading: the session diagram ends inside its column, and the column was narrower than the
    diagram's drawn width (or the shrinking was not tested)."""
    assert fit["right"] <= fit["limit"] + 1, f"the session diagram is cut off at the right: {fit}"
    assert fit["width"] < session.FIGURE_SIZE[0], f"the column is wide enough: the fit is not tested here {fit}"


#: Per open notebook tab: its path and its code cells' execution counts (null: not run).
COUNTS_JS = """() => [...window.jupyterapp.shell.widgets('main')].filter((w) => w.context && w.content).map((w) =>
  ({path: w.context.path, counts: w.content.widgets.filter((c) => c.model.type === 'code')
                                   .map((c) => c.model.executionCount)}))"""


def ran(path: str) -> str:
    """DONE_OR_FAILED_JS for the open notebook ``path``, whichever tab is in front."""
    find = ("(window.jupyterapp && [...window.jupyterapp.shell.widgets('main')]"
            f".find((x) => x.context && x.content && x.context.path === {path!r}))")
    assert "window.jupyterapp.shell.currentWidget" in DONE_OR_FAILED_JS
    return DONE_OR_FAILED_JS.replace("window.jupyterapp.shell.currentWidget", find)


#: Where the open notebook ``path`` is: its active cell, and how far its first cell's top is from the top of the
#: notebook's view (negative: scrolled past it).
AT_TOP_JS = """(p) => { const w = [...window.jupyterapp.shell.widgets('main')]
  .find((x) => x.context && x.content && x.context.path === p);
  const nb = w.content, first = nb.widgets[0].node.getBoundingClientRect(), view = nb.node.getBoundingClientRect();
  return {active: nb.activeCellIndex, first_top: Math.round(first.top - view.top)}; }"""


def check_ran_itself_once(page, others: tuple[str, ...] = ()) -> None:
    """The session notebook ran once, top to bottom, by itself, and shows its top (Run All alone would leave it at
    its last cell, the sources); the notebooks ``others`` did not run at all."""
    where = page.evaluate(AT_TOP_JS, lite.SESSION_NOTEBOOK)
    assert where["active"] == 0 and where["first_top"] > -20, f"the session does not open at its top: {where}"
    tabs = {t["path"]: t["counts"] for t in page.evaluate(COUNTS_JS)}
    counts = tabs[lite.SESSION_NOTEBOOK]
    assert sorted(counts) == list(range(1, len(counts) + 1)), f"the session should run once, top to bottom: {tabs}"
    for other in others:
        assert set(tabs[other]) == {None}, f"only the session notebook runs itself: {tabs}"
    assert page.evaluate("() => window.__sciaticaAutoRun") == 1


def test_10_session_runs_itself_code_hidden_presets_and_handout(lite_url, browser):
    """Notebook 10, opened as a clinician would (the link in 00-start-here), runs itself (lite.AUTORUN_SESSION),
    once, with its code hidden, while 00 is not run; its diagram fits the notebook's width; a preset repaints it;
    the handout downloads in the browser."""
    page = browser.page
    open_lite(page, lite_url, "00-start-here.ipynb")
    page.get_by_role("link", name="10 · Your sciatica: a ten-minute talk").first.click()
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget;"
                           f" return !!w && !!w.context && w.context.path === {lite.SESSION_NOTEBOOK!r}; }}",
                           timeout=TIMEOUT_MS)
    code_cells = page.locator(".jp-CodeCell:visible")
    code_cells.first.wait_for(timeout=TIMEOUT_MS)
    assert code_cells.count() >= 3
    assert page.locator(".jp-CodeCell .jp-InputArea:visible").count() == 0, "the session notebook shows its code"
    page.wait_for_function(ran(lite.SESSION_NOTEBOOK), timeout=KERNEL_MS)
    assert errors_shown(page) == [], f"a cell wrote to stderr: {errors_shown(page)[:1]}"
    check_ran_itself_once(page, others=("00-start-here.ipynb",))
    gd = page.locator(SESSION_PLOT).first
    gd.wait_for(timeout=TIMEOUT_MS)
    handle = gd.element_handle()
    fills0 = wait_drawn(page, handle)
    first = session.presets()[0].compression
    check_root(fills0, first.side, "L5")
    check_fits(page.evaluate(FITS_JS))
    browser.shot("session-drawn")

    s1 = next(p for p in session.presets() if p.compression.side == "right")
    page.get_by_role("button", name=s1.label, exact=True).click()
    fills1 = wait_fills_change(handle, fills0)
    check_root(fills1, "right", "S1")
    assert painted(fills1, "left") == set(), f"{s1.label}: the left side is still painted"
    browser.shot("preset-S1")
    # the larger spine (a plain figure in an Output, drawn by the kit's plotly.js) follows the preset
    page.wait_for_function("(want) => [...document.querySelectorAll('.sciatica-spine .js-plotly-plot')]"
                           ".some((g) => g.textContent.includes(want))", arg=f"{s1.compression.disc} disc")

    page.get_by_role("button", name="Make handout").click()
    link = page.locator(".sciatica-handout-status a.sciatica-download")
    link.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert s1.compression.disc in download.suggested_filename and "right" in download.suggested_filename
    html = Path(download.path()).read_text(encoding="utf-8")
    assert "<html" in html.lower() and s1.compression.disc in html and "999" in html
    assert len(html) > 1_000_000, "the handout should carry its figure and plotly.js"
    browser.shot("handout-link")


def test_10_runs_in_its_own_tab_when_opened_behind_another(lite_url, browser):
    """Opened in a tab behind the one in front (JupyterLab's open without activating), 10 still runs itself, in its
    own tab: the run names its tab (``semanticWidget``) instead of acting on whichever is in front."""
    page = browser.page
    open_lite(page, lite_url, "00-start-here.ipynb")
    page.evaluate("(p) => window.jupyterapp.commands.execute('docmanager:open', {path: p, options: {activate: false}})",
                  lite.SESSION_NOTEBOOK)
    page.wait_for_function(ran(lite.SESSION_NOTEBOOK), timeout=KERNEL_MS)
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == "00-start-here.ipynb"
    check_ran_itself_once(page, others=("00-start-here.ipynb",))


def test_10_runs_itself_in_the_one_notebook_app(lite_url, browser):
    """The one-notebook app (JupyterLab's "Open in... Notebook", /notebooks/?path=) has another shell and opens its
    notebook only once started: notebook 10 runs itself there too, once, and its diagram is drawn."""
    page = browser.page
    page.goto(f"{lite_url}/notebooks/index.html?path={lite.SESSION_NOTEBOOK}")
    page.wait_for_function(ran(lite.SESSION_NOTEBOOK), timeout=KERNEL_MS)
    assert errors_shown(page) == [], f"a cell wrote to stderr: {errors_shown(page)[:1]}"
    check_ran_itself_once(page)
    wait_drawn(page, page.locator(SESSION_PLOT).first.element_handle(timeout=TIMEOUT_MS))
    browser.shot("notebooks-app")


#: Every code cell's outputs that report a failure: an error (a traceback) or text written to stderr.
FAILED_OUTPUTS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  for (const cell of (w && w.content ? w.content.widgets : [])) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs.get(i).toJSON();
      if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
      if (o.output_type === 'stream' && o.name === 'stderr') out.push('stderr: ' + [].concat(o.text).join(''));
    }
  }
  return out;
}"""

#: True once every code cell has run, or a cell failed (Run All then stops: the rest never get a count).
DONE_OR_FAILED_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const cells = (w && w.content ? w.content.widgets : []).filter((c) => c.model.type === 'code');
  if (cells.length === 0) return false;
  if (cells.every((c) => c.model.executionCount !== null)) return true;
  return cells.some((c) => { const o = c.model.outputs;
    for (let i = 0; i < o.length; i++) { if (o.get(i).type === 'error') return true; } return false; });
}"""


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")))
def test_every_notebook_runs_top_to_bottom(lite_url, browser, notebook):
    """Issue 17, item 2: each of the 11 notebooks runs top to bottom in the browser kernel (Run All in a fresh
    browser, so a fresh kernel), with no error and nothing written to stderr; any request to another host fails
    the test (the ``browser`` fixture's guard)."""
    page = browser.page
    took = open_lite(page, lite_url, notebook)
    t0 = time.perf_counter()
    if notebook != lite.SESSION_NOTEBOOK:  # that one runs itself (test_10_session_runs_itself_...)
        run_all(page)
    page.wait_for_function(DONE_OR_FAILED_JS, timeout=KERNEL_MS)
    failed = page.evaluate(FAILED_OUTPUTS_JS)
    ran = time.perf_counter() - t0
    print(f"lite: {notebook}: opened and ran itself in {took + ran:.1f} s" if notebook == lite.SESSION_NOTEBOOK
          else f"lite: {notebook}: kernel idle after {took:.1f} s, ran in {ran:.1f} s")
    browser.shot("ran")
    assert failed == [], f"{notebook}: {failed[:2]}"
    wait_all_run(page)


def test_only_the_session_notebook_says_its_buttons_come_by_themselves(lite_site):
    """The site's copy of each notebook (build step 6): 10, which runs itself, carries the session's note where its
    controls will be; every other notebook with a widget carries the note that sends the reader to the Run menu."""
    import json

    from sciatica_edu.lite import outputs

    notes = {}
    for path in sorted((lite_site / "files").glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        html = [o.get("data", {}).get("text/html", "") for c in nb["cells"] if c["cell_type"] == "code"
                for o in c.get("outputs", [])]
        notes[path.name] = {h for h in html if "sciatica-stored-note" in h}
    assert notes.pop(lite.SESSION_NOTEBOOK) == {outputs.SESSION_CONTROLS_NOTE}
    assert {"03-where-you-feel-it.ipynb", "08-symptom-explorer.ipynb"} <= {k for k, v in notes.items() if v}
    assert set().union(*notes.values()) == {outputs.CONTROLS_NOTE}


def test_the_site_tells_its_host_what_it_is_its_licences_and_how_to_check_it(lite_site):
    """README.txt, THIRD-PARTY-NOTICES.txt, HOSTING.md and SHA256SUMS at the site's root (lite.notices): every
    wheel the site ships is listed with a licence, the hosting guide is the repository's, ``.nojekyll`` is there
    for GitHub Pages, ``sha256sum -c`` passes on the built folder, and every file carries the build's date."""
    import subprocess

    from sciatica_edu.lite import notices

    about = (lite_site / notices.ABOUT).read_text(encoding="utf-8")
    assert "application/wasm" in about and "sha256sum -c SHA256SUMS" in about and "not medical advice" in about
    assert notices.HOSTING in about and "Cache-Control: no-cache" in about
    assert (lite_site / notices.HOSTING).read_bytes() == notices.HOSTING_GUIDE.read_bytes()
    assert (lite_site / ".nojekyll").is_file()
    dates = {p.stat().st_mtime for p in [lite_site, *lite_site.rglob("*")]}
    assert len(dates) == 1 and dates.pop() > lite.SOURCE_DATE_EPOCH + 86400, "the files do not share the build's date"
    # the file browser's "Modified": the lessons' last commit, the same for every notebook
    import datetime
    import json

    listing = json.loads((lite_site / "api" / "contents" / "all.json").read_text(encoding="utf-8"))["content"]
    want = datetime.datetime.fromtimestamp(lite.listed_date(), datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert len(listing) == 11 and {e["last_modified"][:19] for e in listing} == {want}, listing[:1]
    text = (lite_site / notices.NOTICES).read_text(encoding="utf-8")
    for wheel in sorted((lite_site / "static" / "pyodide").glob("*.whl")):
        name, version, _licence, _files = notices.wheel_licence(wheel)
        if name != "sciatica-edu":
            assert f"  {name} {version}: " in text, f"{wheel.name} is not in the notices"
    for name, version in lite.read_pins(lite.PINS / "pure.txt"):  # wheels the build makes from source
        line = next(row for row in text.splitlines() if row.startswith(f"  {name} {version}: "))
        assert notices.NOT_STATED not in line and "[licenses/" in line, line
    package, version, _sha = lite.npm_pin(lite.PINS / "npm.txt")
    assert f"{package} {version} (the Python runtime, WebAssembly): MPL-2.0" in text
    assert "build/third-party-licenses.json" in text and "plotly.js basic bundle v" in text
    ok = subprocess.run(["sha256sum", "-c", "--quiet", notices.SUMS], cwd=lite_site, capture_output=True, text=True)
    assert ok.returncode == 0, (ok.stdout + ok.stderr)[-500:]
    listed = len((lite_site / notices.SUMS).read_text().splitlines())
    assert listed == sum(1 for p in lite_site.rglob("*") if p.is_file()) - 1
