"""The JupyterLite site's load (issue 17): bytes sent and time to the diagram, cold and warm. Prints, asserts nothing.

Serves a built site (``make lite``) on 127.0.0.1 with ``sciatica_edu.lite``'s server, which counts every body
byte it sends, and opens a notebook (default 03) in Debian's Chromium with the browser tests' flags. Any request
to another host is reported (watched, not blocked: Playwright turns the HTTP cache off for a routed context, and
the warm load measures that cache; the browser tests block them). Three loads:

1. cold, gzip: a fresh browser profile (empty cache), the server sending the pre-compressed ``.gz`` twins;
2. warm: the same browser, a new page (a later visit; the first page closed): files come from its HTTP cache,
   each revalidated (ETag, most answer 304);
3. cold, no gzip: a fresh profile, the server ignoring the twins (as a plain static host would).

Each load: navigation start -> notebook UI -> stored diagram drawn (the build's stored output of the first body
figure, drawn before the kernel runs anything: ``sciatica_edu.lite.outputs``) -> kernel idle -> Run All -> first
cell output -> body diagram drawn by the kernel (every region polygon of its first plot drawn) -> all cells run. The
session notebook (``--notebook 10-clinician-session.ipynb``) runs itself (``lite.AUTORUN_SESSION``): no Run All, no
kernel-idle milestone and no phases; its diagram is the session's. The
times are taken in the page (a MutationObserver and the kernel's messages, ``Date.now()`` against the page's
navigation start): Playwright's own waits poll, and on a busy machine they noticed a change up to several seconds
late (numbers before 30 November 2026, 13:30, were measured that way and are too high by that lag). Target: cold
(gzip) <= 25 MB and <= 12 s to the diagram, warm <= 4 s, on 2 cores.

Each load also prints where the time went (``phases``), from the requests the page and its kernel worker made and
the kernel's messages: the kernel worker asks for ``pyodide.mjs`` (the kernel starts; the page's own script,
``lite.START_KERNEL_EARLY``, starts it while JupyterLab lays out the page), then for the first preloaded wheel
(Pyodide fetches them while its core boots), the last wheel arrives, then the kernel unpacks and imports itself
(IPython) until the status says idle; after Run All, each cell's time from its execute request (or the previous
cell's end) to the kernel's idle for it. Requests are stamped on this side and shifted onto the page's clock by the
page's own request, so these phases are good to about 0.1 s. ``--imports`` adds a fourth load that
times, inside the kernel, the imports the first diagram needs and the first figure (``time.perf_counter``).

Run: .venv/bin/python benchmarks/lite_load.py [--site site-lite] [--notebook 03-where-you-feel-it.ipynb]
     [--only cold|warm|plain] [--imports]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS, Guard, expected_region_keys, region_fills  # noqa: E402

from sciatica_edu import lite  # noqa: E402


class Counting(lite._Handler):
    """The site's handler, adding each response's body bytes and status to the server's tally."""

    def send_response(self, code, message=None):
        self.server.tally["requests"] += 1
        self.server.tally[f"status {code}"] += 1
        super().send_response(code, message)

    def copyfile(self, source, outputfile):
        data = source.read()
        self.server.tally["bytes"] += len(data)
        kind = Path(self.path.split("?")[0]).suffix or "(none)"
        self.server.tally[f"bytes {kind}"] += len(data)
        outputfile.write(data)


def serve(site: Path, gzip: bool):
    server = lite.make_server(site, 0, gzip=gzip, handler_class=Counting)
    server.tally = collections.Counter()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def open_browser(playwright, profile: Path, timeout_ms: int):
    """A fresh Chromium profile (empty cache); returns (context, guard)."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(profile / "config"), XDG_CACHE_HOME=str(profile / "cache"))
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=str(profile / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env,
        headless=True, viewport={"width": 1400, "height": 1000}, service_workers="block",
    )
    context.set_default_timeout(timeout_ms)
    # Requests are watched, not routed: Playwright turns the HTTP cache off for a routed context, and the warm
    # load is about that cache. The server listens on 127.0.0.1 only; anything else is reported below.
    guard = Guard()
    context.on("request", lambda r: None if guard.allowed(r.url) else guard.blocked.append(r.url))
    context.add_init_script(MARKS)
    return context, guard


#: In every page: the moment (ms after navigation start) each milestone first showed in the document.
MARKS = """
window.__marks = {};
(() => {
  const mark = (k) => { if (!(k in window.__marks)) window.__marks[k] = performance.now(); };
  const idle = /Python \\(Pyodide\\) \\| Idle/;
  const check = () => {
    if (document.querySelector('.jp-NotebookPanel .jp-Cell')) mark('notebook UI');
    const bar = document.querySelector('#jp-main-statusbar');
    if (bar && idle.test(bar.textContent.replace(/\\s+/g, ' '))) mark('kernel idle');
    const stored = document.querySelector('.js-plotly-plot[id^="sciatica-stored-"]');
    if (stored && stored.querySelector('.scatterlayer path.js-fill')) mark('stored diagram drawn');
    if (!window.__ranAll) return;  // the kernel's own outputs: only after Run All (stored ones are there before)
    if (document.querySelector('.jp-CodeCell .jp-OutputArea-output:not(:has(.sciatica-stored-note))'
        + ':not(:has([id^="sciatica-stored-"]))')) mark('first cell output');
    const plot = document.querySelector('.js-plotly-plot:not([id^="sciatica-stored-"])');
    if (plot && plot.querySelector('.scatterlayer path.js-fill')) mark('first plot drawn');
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


class Requests:
    """When each request of the context (pages and their workers) was made and finished, by file name."""

    def __init__(self, context):
        self.started: list[tuple[float, str]] = []
        self.finished: list[tuple[float, str]] = []
        context.on("request", lambda r: self.started.append((time.perf_counter(), r.url)))
        context.on("requestfinished", lambda r: self.finished.append((time.perf_counter(), r.url)))

    def clear(self) -> None:
        self.started.clear()
        self.finished.clear()

    def first(self, suffix: str, finished: bool = False) -> float | None:
        hits = [t for t, u in (self.finished if finished else self.started) if u.split("?")[0].endswith(suffix)]
        return min(hits) if hits else None

    def last(self, suffix: str) -> float | None:
        hits = [t for t, u in self.finished if u.split("?")[0].endswith(suffix)]
        return max(hits) if hits else None


#: Records the kernel's messages (time, direction, type, parent id, execution state) from now on.
HOOK_KERNEL = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session.kernel;
  window.__kmsgs = [];
  kernel.anyMessage.connect((_, a) => window.__kmsgs.push([Date.now() / 1000, a.direction, a.msg.header.msg_type,
    a.direction === 'send' ? a.msg.header.msg_id : (a.msg.parent_header || {}).msg_id,
    (a.msg.content || {}).execution_state || '']));
}"""

#: Timed in the kernel (fresh page, kernel idle, nothing run yet): the imports and work before the first diagram.
IMPORT_PROBE = """
import time as _t
_marks = []
_t0 = _t.perf_counter()
def _mark(what):
    _marks.append((what, _t.perf_counter()))
import pydantic; _mark("import pydantic")
import plotly.graph_objects; _mark("import plotly.graph_objects")
import ipywidgets, anywidget; _mark("import ipywidgets, anywidget")
import sciatica_edu; _mark("import sciatica_edu (+ browser renderer)")
from sciatica_edu.scenario import Compression; _mark("import sciatica_edu.scenario")
from sciatica_edu import diagram; _mark("import sciatica_edu.diagram")
from sciatica_edu import widgets; _mark("import sciatica_edu.widgets")
_fig = diagram.body_figure(Compression()); _mark("first body_figure (data loaded, validated)")
_fig = diagram.body_figure(Compression()); _mark("second body_figure")
import plotly.io as _pio
_bundle = _pio.renderers[_pio.renderers.default].to_mimebundle(_fig.to_dict()); _mark("render to HTML output")
_prev = _t0
for _what, _when in _marks:
    print(f"{_what}: {_when - _prev:.2f} s")
    _prev = _when
print(f"total: {_prev - _t0:.2f} s")
"""


def kernel_phases(requests: Requests, t0: float, idle: float) -> dict:
    """Kernel start-up phases (s) from the requests: JupyterLab until the worker asks for pyodide.mjs; until it
    asks for the first wheel (Pyodide asks for the preloaded wheels as it starts booting, so its boot overlaps the
    next phase); until the last wheel arrived; then until idle (unpacking the rest, the kernel's imports)."""
    mjs = requests.first("/pyodide.mjs")
    whl = requests.first(".whl")
    last_whl = requests.last(".whl")
    if mjs is None or whl is None or last_whl is None:
        return {}
    return {
        "page + JupyterLab until the kernel starts": mjs - t0,
        "pyodide.mjs until the first wheel is asked for": whl - mjs,
        "until the last wheel arrived (Pyodide's boot runs meanwhile)": last_whl - whl,
        "then until idle (unpacking, the kernel's imports)": idle - last_whl,
    }


def cell_phases(page) -> list[tuple[str, float]]:
    """(cell's first line, seconds from execute request to idle) for each cell run since HOOK_KERNEL."""
    msgs = page.evaluate("() => window.__kmsgs || []")
    sent = {m[3]: m[0] for m in msgs if m[1] == "send" and m[2] == "execute_request"}
    done = {m[3]: m[0] for m in msgs if m[1] == "recv" and m[2] == "status" and m[4] == "idle" and m[3] in sent}
    codes = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.widgets"
        ".filter((c) => c.model.type === 'code').map((c) => c.model.sharedModel.getSource())")
    order = sorted(sent, key=sent.get)
    out = []
    previous_end = None
    for i, msg_id in enumerate(order):
        if msg_id not in done:
            continue
        start = sent[msg_id] if previous_end is None else max(sent[msg_id], previous_end)
        first = codes[i].strip().splitlines()[-1][:50] if i < len(codes) and codes[i].strip() else "?"
        out.append((first, done[msg_id] - start))
        previous_end = done[msg_id]
    return out


def load(context, guard, url: str, notebook: str, requests: Requests) -> dict:
    """One visit in a new page of ``context``; returns the times (s) from navigation start, and ``phases``."""
    for old in context.pages:
        old.close()
    requests.clear()
    page = context.new_page()
    auto = Path(notebook).name == lite.SESSION_NOTEBOOK  # it runs itself (lite.AUTORUN_SESSION): no Run All
    if auto:
        page.add_init_script("window.__ranAll = true;")  # its outputs count from the start
    times: dict = {}
    t0 = time.perf_counter()
    page.goto(f"{url}/lab/index.html?path={notebook}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    times["notebook UI"] = time.perf_counter() - t0
    if not auto:
        page.wait_for_function(
            "() => !!window.jupyterapp && /Python \\(Pyodide\\) \\| Idle/.test("
            "(document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText.replace(/\\s+/g, ' '))"
        )
        times["kernel idle"] = time.perf_counter() - t0
        page.evaluate(HOOK_KERNEL)
        page.evaluate("() => { window.__ranAll = true;"
                      " window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function("() => 'first cell output' in window.__marks")
    times["first cell output"] = time.perf_counter() - t0
    gd = page.wait_for_selector('.js-plotly-plot:not([id^="sciatica-stored-"])')
    want = expected_region_keys()
    while not set(region_fills(gd)) >= want:
        page.wait_for_timeout(50)
    times["diagram drawn"] = time.perf_counter() - t0
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const cells = w && w.content ? w.content.widgets : [];"
        " const code = cells.filter((c) => c.model.type === 'code');"
        " return code.length > 0 && code.every((c) => c.model.executionCount !== null); }"
    )
    times["all cells run"] = time.perf_counter() - t0
    # the page's own clock for each milestone (Playwright's waits above only say that it happened)
    marks = page.evaluate("() => window.__marks")
    origin = page.evaluate("() => performance.timeOrigin / 1000")
    kmsgs = page.evaluate("() => window.__kmsgs || []")
    last_idle = max((m[0] for m in kmsgs if m[1] == "recv" and m[2] == "status" and m[4] == "idle"), default=None)
    wanted = ("notebook UI", "first cell output", "first plot drawn")
    if not auto:
        wanted = (*wanted, "kernel idle")
    missing = [k for k in wanted if k not in marks]
    if missing:
        raise RuntimeError(f"the page did not record {missing}")
    # the Python side saw every region painted; the page recorded when the first plot's traces were drawn
    # (plotly.js draws all traces of a plot in one task, so that is the same moment)
    times = {"notebook UI": marks["notebook UI"] / 1000,
             **({"stored diagram drawn": marks["stored diagram drawn"] / 1000} if "stored diagram drawn" in marks
                else {}),
             **({} if auto else {"kernel idle": marks["kernel idle"] / 1000}),
             "first cell output": marks["first cell output"] / 1000,
             "diagram drawn": marks["first plot drawn"] / 1000,
             "all cells run": (last_idle - origin) if last_idle else times["all cells run"]}
    if guard.blocked:
        print(f"  REQUESTS TO OTHER HOSTS: {guard.blocked[:5]}")
    if auto:  # the kernel's messages are not hooked before it runs itself: no phases; "all cells run" is taken on
        times["phases"] = {}  # this side (its wait polls), the other milestones on the page's clock
        return times
    # requests are stamped on this (Python) side: shift them onto the page's clock by the navigation request
    nav = requests.first("/lab/index.html") or t0
    phases = kernel_phases(requests, nav, nav + times["kernel idle"])
    for first, took in cell_phases(page):
        phases[f"cell {first!r}"] = took
    times["phases"] = phases
    return times


def probe_imports(context, url: str, notebook: str) -> str:
    """A new page, kernel idle, then :data:`IMPORT_PROBE` run in the kernel; returns what it printed."""
    for old in context.pages:
        old.close()
    page = context.new_page()
    page.goto(f"{url}/lab/index.html?path={notebook}")
    page.wait_for_function(
        "() => !!window.jupyterapp && /Python \\(Pyodide\\) \\| Idle/.test("
        "(document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText.replace(/\\s+/g, ' '))"
    )
    return page.evaluate(
        """async (code) => {
          const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
          let out = '';
          const future = kernel.requestExecute({code});
          future.onIOPub = (msg) => {
            if (msg.header.msg_type === 'stream') out += msg.content.text;
            if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
          };
          await future.done;
          return out;
        }""", IMPORT_PROBE)


def report(name: str, times: dict, tally: collections.Counter) -> None:
    print(f"{name}: {tally['bytes'] / 1e6:.1f} MB in {tally['requests']} responses "
          f"({tally['status 200']} x 200, {tally['status 304']} x 304)")
    phases = times.pop("phases", {})
    print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
    for k, v in phases.items():
        print(f"    {k}: {v:.2f} s")
    big = sorted(((k.split(" ", 1)[1], v) for k, v in tally.items() if k.startswith("bytes ")), key=lambda kv: -kv[1])
    print("  by type: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in big[:6]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site-lite", help="a built site (make lite)")
    parser.add_argument("--notebook", default="03-where-you-feel-it.ipynb")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per load (default 300)")
    parser.add_argument("--only", choices=("cold", "warm", "plain"), action="append",
                        help="run only these loads (repeatable; warm implies a cold load first, not reported)")
    parser.add_argument("--imports", action="store_true", help="also time the imports inside the kernel")
    args = parser.parse_args()
    if not (args.site / "jupyter-lite.json").is_file():
        print(f"{args.site} is not a built site: run `make lite` first", file=sys.stderr)
        return 2
    if not (args.site / "files" / args.notebook).is_file():
        print(f"{args.notebook} is not in {args.site}/files", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {os.cpu_count()} cores; {args.notebook}")
    ms = args.timeout * 1000
    only = set(args.only or ("cold", "warm", "plain"))
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        gz = serve(args.site, gzip=True)
        url = f"http://127.0.0.1:{gz.server_address[1]}"
        context, guard = open_browser(p, Path(tmp) / "a", ms)
        requests = Requests(context)
        cold = load(context, guard, url, args.notebook, requests)
        if "cold" in only:
            report("cold, gzip", cold, gz.tally)
        gz.tally.clear()
        if "warm" in only:
            report("warm (same browser, new page: its cache, revalidated)",
                   load(context, guard, url, args.notebook, requests), gz.tally)
        if args.imports:
            print("imports in the kernel (warm page):")
            print("  " + probe_imports(context, url, args.notebook).strip().replace("\n", "\n  "))
        context.close()
        gz.shutdown()
        if "plain" in only:
            plain = serve(args.site, gzip=False)
            url = f"http://127.0.0.1:{plain.server_address[1]}"
            context, guard = open_browser(p, Path(tmp) / "b", ms)
            report("cold, no gzip", load(context, guard, url, args.notebook, Requests(context)), plain.tally)
            context.close()
            plain.shutdown()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
