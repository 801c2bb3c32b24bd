"""Browser-test harness: Debian's Chromium through Playwright, one local server per test, nothing leaves the machine.

Every test gets a fresh Chromium profile (user-data-dir, XDG config and cache in temp dirs), a page whose
requests are all routed: anything not on 127.0.0.1/localhost (or, for file:// pages, anything not a file)
is aborted, recorded and fails the test at teardown. Screenshots of each step go to test-artefacts/<test>/;
on failure a last screenshot, the console log and the server log are kept there too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from sciatica_edu import lite
from sciatica_edu.facts import anatomy

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTEFACTS = REPO / "test-artefacts"
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: Generous default for waits: CI runs on 2 shared cores.
TIMEOUT_MS = 90_000
#: Text of JupyterLab's status bar once the notebook's kernel exists and is idle (stack-notes: trust only this).
KERNEL_IDLE = re.compile(r"\(ipykernel\) \| Idle")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/browser is a browser test, whether or not its author remembered the marker."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Keep each phase's report on the item so fixtures can tell at teardown whether the test failed."""
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _failed(request: pytest.FixtureRequest) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return rep is None or rep.failed


def executable(path: Path) -> bool:
    return path.exists() and os.access(path, os.X_OK)


def require_installed(missing: list[str], what: str, packages: str) -> None:
    """With anything ``missing``: in CI the test fails; elsewhere it skips with the command that installs
    ``what`` (Debian's ``packages``)."""
    if not missing:
        return
    msg = (f"{', '.join(missing)} missing: install {what} with `apt-get install -y {packages}`"
           " (`make browser-deps`)")
    if IN_CI:
        pytest.fail(f"CI=true but {msg}", pytrace=False)
    pytest.skip(msg)


def require_chromium() -> None:
    require_installed([] if executable(CHROMIUM) else [str(CHROMIUM)], "Debian's Chromium", "chromium")


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- artefacts


def artefact_dir(request: pytest.FixtureRequest) -> Path:
    """test-artefacts/<module>/<test name>/, emptied at the start of the test."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    d = ARTEFACTS / Path(str(request.node.fspath)).stem / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True, exist_ok=True)
    return d


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    """A server process in its own process group, its base URL and its log file."""

    proc: subprocess.Popen
    url: str
    log: Path
    token: str = ""
    root: Path | None = None

    def stop(self) -> None:
        """Stop the server's process group, then any kernel it started (kernels get their own session)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            children = []
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        _, alive = psutil.wait_procs(children, timeout=5)
        for child in alive:
            with contextlib.suppress(psutil.Error):
                child.kill()


def start_server(cmd: list[str], url: str, log: Path, *, cwd: Path, env: dict[str, str], probe: str,
                 timeout: float = 90.0) -> Server:
    """Start ``cmd`` in a new session and wait until ``probe`` answers any HTTP status."""
    fh = log.open("wb")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(proc, url, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fh.close()
            raise RuntimeError(f"server exited with {proc.returncode}: {' '.join(cmd)}\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return server
        except urllib.error.HTTPError:
            return server  # any HTTP answer means it is listening (Voila's /api/status answers 302)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not answer {probe} within {timeout:.0f} s\n{log.read_text()[-3000:]}")


def jupyter_env(tmp: Path) -> dict[str, str]:
    """Environment for a test server: own config, data, runtime and Lab settings; no news, no update checks."""
    settings = tmp / "lab-settings"
    notif = settings / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True, exist_ok=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    for sub in ("runtime", "config", "workspaces"):
        (tmp / sub).mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    env.pop("JUPYTER_TOKEN", None)
    return env


def copy_notebooks(dest: Path) -> Path:
    """A scratch copy of notebooks/ so a test never writes into the checkout (Lab autosaves, checkpoints)."""
    shutil.copytree(NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def launch_lab(tmp: Path, log: Path) -> Server:
    """JupyterLab on 127.0.0.1 and a random port, serving a scratch copy of notebooks/, app exposed for commands."""
    root = copy_notebooks(tmp / "notebooks")
    port, token = free_port(), f"t{os.getpid()}x{time.time_ns()}"
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0", "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=", "--ServerApp.open_browser=False",
    ]
    url = f"http://127.0.0.1:{port}"
    server = start_server(cmd, url, log, cwd=root, env=jupyter_env(tmp), probe=f"{url}/api/status?token={token}")
    server.token, server.root = token, root
    return server


SESSION_NOTEBOOK = "10-clinician-session.ipynb"


def launch_voila(tmp: Path, log: Path) -> Server:
    """The clinician session view through ``sciatica-edu present`` (Voila) on 127.0.0.1 and a random port.

    It serves a scratch copy of the session notebook; the "Make handout" button writes into ``server.root``.
    """
    present = BIN / "sciatica-edu"
    if not present.exists():
        pytest.fail(f"{present} is missing: the session view's console script (issue 6) is not installed")
    notebooks = copy_notebooks(tmp / "notebooks")
    handouts = tmp / "handouts"
    handouts.mkdir()
    port = free_port()
    cmd = [str(present), "present", "--port", str(port), "--no-browser",
           "--notebook", str(notebooks / SESSION_NOTEBOOK), "--handouts", str(handouts)]
    url = f"http://127.0.0.1:{port}"
    token = f"t{os.getpid()}x{time.time_ns()}"
    env = {**jupyter_env(tmp), "SCIATICA_EDU_SESSION_TOKEN": token}  # present asks for this token
    server = start_server(cmd, url, log, cwd=tmp, env=env, probe=f"{url}/api/status")
    server.token, server.root = token, handouts
    return server


# --------------------------------------------------------------------------- browser and guarded page


@dataclass
class Guard:
    """Records every request that tried to leave the machine (or, in file mode, every non-file request)."""

    file_only: bool = False
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about"):
            return True
        if self.file_only:
            return scheme == "file"
        return scheme in ("http", "https", "ws", "wss") and (urlsplit(url).hostname or "") in LOCAL_HOSTS


@dataclass
class Browser:
    """One test's Chromium: a fresh persistent profile, a guarded page, a step counter for screenshots."""

    context: object
    page: object
    guard: Guard
    artefacts: Path
    steps: int = 0

    def shot(self, name: str, full_page: bool = False) -> Path:
        """Save a numbered screenshot of the current page under the test's artefact folder."""
        self.steps += 1
        path = self.artefacts / f"{self.steps:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture(scope="module")
def playwright_instance():
    """One Playwright driver per test module (each test still gets its own Chromium).

    Not session-wide: a running sync driver holds an asyncio loop, and other test files that start their own
    ``sync_playwright()`` later in the run would then fail ("Sync API inside the asyncio loop").
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _open_browser(playwright_instance, request, tmp_path_factory, file_only: bool) -> Iterator[Browser]:
    require_chromium()
    art = artefact_dir(request)
    home = tmp_path_factory.mktemp("chromium")
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    context = playwright_instance.chromium.launch_persistent_context(
        user_data_dir=str(home / "profile"),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        env=env,
        headless=True,
        viewport={"width": 1400, "height": 1000},
        service_workers="block",
        timeout=60_000,
    )
    context.set_default_timeout(TIMEOUT_MS)
    guard = Guard(file_only=file_only)

    def route(r):
        url = r.request.url
        if guard.allowed(url):
            r.fallback()
        else:
            guard.blocked.append(url)
            print(f"BLOCKED outside request: {url}", file=sys.stderr)
            r.abort("blockedbyclient")

    context.route("**/*", route)

    def route_ws(ws):
        guard.blocked.append(ws.url)
        ws.close()  # never connected to the outside server

    context.route_web_socket(lambda url: not guard.allowed(url), route_ws)
    context.on("weberror", lambda e: guard.console.append(f"[pageerror] {e.error}"))

    def watch(page):
        page.on("console", lambda m: guard.console.append(f"[{m.type}] {m.text}"))
        page.on("pageerror", lambda e: guard.console.append(f"[pageerror] {e}"))

        def ws(w):
            if not guard.allowed(w.url):
                guard.blocked.append(w.url)

        page.on("websocket", ws)
        page.on("request", lambda rq: None if guard.allowed(rq.url) else guard.blocked.append(rq.url))

    context.on("page", watch)
    page = context.pages[0] if context.pages else context.new_page()
    watch(page)
    b = Browser(context, page, guard, art)
    try:
        yield b
    finally:
        failed = _failed(request)
        if failed:
            try:
                b.page.screenshot(path=str(art / "failure.png"), full_page=True)
            except Exception as exc:  # the page may be gone; keep going to save the log
                guard.console.append(f"[harness] no failure screenshot: {exc}")
        (art / "console.log").write_text("\n".join(guard.console) + "\n")
        guard.blocked[:] = list(dict.fromkeys(guard.blocked))
        if guard.blocked:
            (art / "blocked-requests.log").write_text("\n".join(guard.blocked) + "\n")
        context.close()
    assert not guard.blocked, f"requests left (or tried to leave) the machine: {guard.blocked}"


@pytest.fixture
def browser(playwright_instance, request, tmp_path_factory) -> Iterator[Browser]:
    """A fresh Chromium whose page may only talk to 127.0.0.1/localhost."""
    yield from _open_browser(playwright_instance, request, tmp_path_factory, file_only=False)


@pytest.fixture
def file_browser(playwright_instance, request, tmp_path_factory) -> Iterator[Browser]:
    """A fresh Chromium for pages opened from file://: every non-file request is blocked and fails the test."""
    yield from _open_browser(playwright_instance, request, tmp_path_factory, file_only=True)


def open_html(file_browser, tmp_path: Path, name: str, html: str, width: int, height: int = 900, settle: int = 300):
    """Write ``html`` to ``name``.html, open it from file:// at ``width`` x ``height`` and wait for its first plot to be
    drawn (and ``settle`` ms more): the page of the figure tests that need no server."""
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    page = file_browser.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(settle)
    return page


def _keep_log(server: Server, request: pytest.FixtureRequest, name: str) -> None:
    art = artefact_dir_existing(request)
    shutil.copy(server.log, art / name)


def artefact_dir_existing(request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    d = ARTEFACTS / Path(str(request.node.fspath)).stem / name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def lab_server(request, tmp_path) -> Iterator[Server]:
    """JupyterLab for this test only, stopped (with its kernels) at teardown."""
    require_chromium()
    server = launch_lab(tmp_path, tmp_path / "lab.log")
    try:
        yield server
    finally:
        server.stop()
        _keep_log(server, request, "lab-server.log")


@pytest.fixture
def voila_server(request, tmp_path) -> Iterator[Server]:
    """The session view (Voila) for this test only, stopped at teardown."""
    require_chromium()
    server = launch_voila(tmp_path, tmp_path / "voila.log")
    try:
        yield server
    finally:
        server.stop()
        _keep_log(server, request, "voila-server.log")


# --------------------------------------------------------------------------- page helpers shared by the tests

#: JS: every region polygon of a plotly graph div, as drawn: trace index, its ``meta`` ([region, side, view] for
#: body regions) and name from ``gd.data``, and the painted fill read from the SVG with getComputedStyle (not what
#: the model says). A pattern fill (url(#id)) is resolved to "pattern:<bg>:<fg>" so colour changes still show.
READ_FILLS_JS = """
(gd) => {
  const paint = (el) => {
    const cs = getComputedStyle(el);
    let fill = cs.fill;
    const m = /url\\(["']?#([^"')]+)["']?\\)/.exec(fill);
    if (m) {
      const pat = document.getElementById(m[1]);
      const bg = pat && pat.querySelector('rect');
      const fg = pat && pat.querySelector('path, circle');
      fill = 'pattern:' + (bg ? getComputedStyle(bg).fill + '/' + getComputedStyle(bg).fillOpacity : '?') + ':'
        + (fg ? getComputedStyle(fg).fill : '?');
      return {fill: fill, opacity: 1};
    }
    return {fill: fill, opacity: parseFloat(cs.fillOpacity)};
  };
  const out = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach((g) => {
    const cd = g.__data__;
    const trace = cd && cd[0] && cd[0].trace;
    if (!trace) return;
    const src = (gd.data || [])[trace.index] || {};
    const path = g.querySelector('path.js-fill');
    const p = path ? paint(path) : {fill: null, opacity: 0};
    out.push({index: trace.index, name: src.name, meta: src.meta === undefined ? null : src.meta,
              fill: p.fill, opacity: p.opacity, drawn: path ? (path.getAttribute('d') || '').length > 0 : false});
  });
  return out;
}
"""


def region_fills(handle) -> dict[tuple[str, str, str], str]:
    """{(view, region, side): fill as painted} for every body-region polygon of the plot ``handle``.

    A fully transparent fill reads as "none", whatever its colour, so "unpainted" has one spelling.
    """
    return fills_from(handle.evaluate(READ_FILLS_JS))


def fills_from(traces: list[dict]) -> dict[tuple[str, str, str], str]:
    """``region_fills`` from what READ_FILLS_JS returned (any browser)."""
    out: dict[tuple[str, str, str], str] = {}
    for t in traces:
        meta = t["meta"]
        if isinstance(meta, list) and len(meta) == 3 and meta[2] in ("front", "back"):
            rid, side, view = meta
            out[(view, rid, side)] = "none" if t["fill"] is None or t["opacity"] == 0 else t["fill"]
    return out


def wait_kernel_idle(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until Lab's status bar says the notebook's ipykernel exists and is idle."""
    page.wait_for_function(
        "() => { const s = document.querySelector('#jp-main-statusbar');"
        " return !!s && /\\(ipykernel\\) \\| Idle/.test(s.innerText.replace(/\\s+/g, ' ')); }",
        timeout=timeout,
    )


def open_notebook(page, server: Server, name: str) -> None:
    """Open ``name`` in Lab and wait for its kernel; accept the kernel dialog if the notebook names none."""
    page.goto(f"{server.url}/lab/tree/{name}?token={server.token}")
    page.wait_for_function(
        "() => !!document.querySelector('.jp-Dialog') || /\\(ipykernel\\) \\| Idle/.test("
        "(document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText.replace(/\\s+/g, ' '))",
        timeout=TIMEOUT_MS,
    )
    if page.query_selector(".jp-Dialog"):
        page.click(".jp-Dialog .jp-mod-accept")
    wait_kernel_idle(page)


def run_all(page) -> None:
    """Run every cell through Lab's own command (the app is exposed with --LabApp.expose_app_in_browser)."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def _matches(text: str, value: str) -> bool:
    """An option label fits ``value`` when it is the value, or starts with it as a whole word ("L5-S1 disc")."""
    t, v = _norm(text), _norm(value)
    return t == v or re.match(rf"(patient's )?{re.escape(v)}\b", t) is not None


def pick(scope, value: str) -> str:
    """Choose ``value`` in whichever ipywidgets selection control in ``scope`` offers it, as a user would.

    Dropdowns (``.widget-dropdown select`` + select_option), toggle buttons and radio buttons are tried in
    that order; the first control with a matching option wins. Returns what was used, for the test's log.
    """
    selects = scope.locator(".widget-dropdown select")
    for i in range(selects.count()):
        sel = selects.nth(i)
        for label in sel.locator("option").all_text_contents():
            if _matches(label, value):
                sel.select_option(label=label)
                return f"dropdown option {label!r}"
    for css in (".widget-toggle-buttons button", ".widget-radio-box label"):
        items = scope.locator(css)
        for i in range(items.count()):
            label = items.nth(i).inner_text()
            if _matches(label, value):
                items.nth(i).click()
                return f"{css} {label!r}"
    raise AssertionError(f"no dropdown, toggle or radio option {value!r} in the widgets shown")


def picked(scope, value: str) -> bool:
    """True when the control offering ``value`` currently has it selected."""
    selects = scope.locator(".widget-dropdown select")
    for i in range(selects.count()):
        sel = selects.nth(i)
        chosen = sel.evaluate("(s) => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : ''")
        if any(_matches(t, value) for t in sel.locator("option").all_text_contents()):
            return _matches(chosen, value)
    for css, on in ((".widget-toggle-buttons button", "mod-active"), (".widget-radio-box label", None)):
        items = scope.locator(css)
        for i in range(items.count()):
            item = items.nth(i)
            if _matches(item.inner_text(), value):
                if on:
                    return on in (item.get_attribute("class") or "")
                return item.locator("input").is_checked()
    raise AssertionError(f"no control offers {value!r}")


def wait_fills_change(handle, before: dict, timeout_ms: int = TIMEOUT_MS) -> dict:
    """Wait until the plot's region fills differ from ``before`` and then hold still for two frames."""
    deadline = time.monotonic() + timeout_ms / 1000
    last = before
    while time.monotonic() < deadline:
        now = region_fills(handle)
        if now != before and now == last:
            return now
        last = now
        handle.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    raise AssertionError(f"the diagram's fills did not change within {timeout_ms / 1000:.0f} s")


# --------------------------------------------------------------------------- the JupyterLite site (issue 17)


@pytest.fixture(scope="session")
def lite_site(tmp_path_factory):
    """The built site, once per run for every browser (its download cache is shared with `make lite`, so a second
    run builds offline)."""
    out = tmp_path_factory.mktemp("lite") / "site"
    lines: list[str] = []
    t0 = time.perf_counter()
    try:
        lite.build_site(out, notebooks=NOTEBOOKS, log=lambda line: (print(line), lines.append(line)))
    except lite.LiteBuildError as exc:
        pytest.fail(f"the JupyterLite build failed: {exc}", pytrace=False)
    print(f"lite build: {time.perf_counter() - t0:.1f} s")
    # The kernel's modules ship precompiled (lite.precompile), or the build said why not (no Node >= 18, or the
    # step failed): the site then works with source files, only slower. A silent fallback fails here.
    ipython = next((out / "static" / "pyodide").glob("ipython-*.whl"))
    with zipfile.ZipFile(ipython) as zf:
        compiled = "IPython/core/interactiveshell.pyc" in zf.namelist()
    notes = [line for line in lines if line.startswith("NOTE:") and "precompil" in line]
    assert compiled or notes, "the build shipped IPython as source only and did not say why"
    if notes:
        warnings.warn(f"the lite site ships source files, not bytecode: {notes[0]}", stacklevel=1)
    return out


#: Where the tests' server asks browsers to report what the site's policy refused (``report-uri``, same origin).
CSP_REPORTS = "/__csp-report"


class _Reporting(lite._Handler):
    """The site's handler, asking the browser to report each request the site's policy (lite.CSP) refuses, and
    recording the reports: a refused request never reaches the tests' proxies or request routing, so without
    them a page asking another host would pass unseen."""

    csp = f"{lite.CSP}; report-uri {CSP_REPORTS}"

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != CSP_REPORTS:
            self.send_error(405)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.csp_reports.append(body.decode("utf-8", "replace"))  # type: ignore[attr-defined]
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


class SiteURL(str):
    """The served site's address, with the policy reports its server received (``csp_reports``)."""

    csp_reports: list[str]


@pytest.fixture
def lite_url(lite_site):
    """The site served on 127.0.0.1 (a free port) for one test, with the site's policy. Any request the policy
    refused (reported to the server) fails the test."""
    server = lite.make_server(lite_site, 0, handler_class=_Reporting)
    server.csp_reports = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = SiteURL(f"http://127.0.0.1:{server.server_address[1]}")
    url.csp_reports = server.csp_reports
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
    assert not server.csp_reports, f"the site's policy refused requests: {server.csp_reports[:3]}"


# --------------------------------------------------------------------------- the body diagram, as drawn


def painted(fills: dict, side: str) -> set[str]:
    """Region ids painted on ``side`` (in any view)."""
    return {rid for (_view, rid, s), fill in fills.items() if s == side and fill != "none"}


def expected_region_keys() -> set[tuple[str, str, str]]:
    """(view, region, side) of every polygon the body figure must draw: each region in each of its views."""
    return {(v, r.id, s) for r in anatomy.regions() for v in r.views for s in anatomy.SIDES}


def wait_drawn(page, gd, timeout_ms: int = TIMEOUT_MS) -> dict:
    """Wait until every region polygon is drawn with a fill (not an empty frame, voila #1533); return the fills."""
    want = expected_region_keys()
    deadline = time.monotonic() + timeout_ms / 1000
    fills: dict = {}
    while time.monotonic() < deadline:
        fills = region_fills(gd)
        if set(fills) >= want:
            return fills
        page.wait_for_timeout(100)
    missing = sorted(want - set(fills))
    raise AssertionError(f"drew {len(fills)} of {len(want)} region polygons; missing {missing}")


def changed(before: dict, after: dict, side: str) -> set[str]:
    """Regions on ``side`` whose painted fill differs between two readings."""
    return {rid for (view, rid, s), fill in after.items() if s == side and before[(view, rid, s)] != fill}


#: Regions that tell L5 from S1 in any of the figure's severities (thigh, leg, foot; Lee et al. 2008 map).
L5_ONLY = {"lateral_thigh", "anterior_leg", "dorsum_foot", "big_toe"}
S1_ONLY = {"posterior_thigh", "posterior_leg", "heel", "sole", "little_toe"}


def check_root(fills: dict, side: str, root: str) -> None:
    """L5 paints some of its own areas and none of S1's, and the other way round."""
    mine, theirs = (L5_ONLY, S1_ONLY - {"posterior_thigh"}) if root == "L5" else (S1_ONLY, L5_ONLY - {"lateral_thigh"})
    shown = painted(fills, side)
    assert shown & mine, f"{root} on the {side}: none of {sorted(mine)} painted ({sorted(shown)})"
    assert not shown & theirs, f"{root} on the {side}: paints {sorted(shown & theirs)}, which are not {root}'s"


def hover_text(page, gd, view: str, rid: str, side: str) -> str:
    """Move the mouse over one region polygon and return plotly's tooltip (no kernel involved).

    Nerve lines and key-spot markers lie on top of some regions, so a few points inside the polygon's box
    are tried until the tooltip names the region; the last tooltip is returned otherwise.
    """
    box = gd.evaluate(
        """(gd, key) => {
          for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
            const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
            const m = t && (gd.data[t.index] || {}).meta;
            if (Array.isArray(m) && m[0] === key[1] && m[1] === key[2] && m[2] === key[0]) {
              const r = g.querySelector('path.js-fill').getBoundingClientRect();
              return {x: r.x, y: r.y, w: r.width, h: r.height};
            }
          }
          return null;
        }""",
        [view, rid, side],
    )
    assert box, f"no polygon for {(view, rid, side)}"
    label = anatomy.region(rid).label.lower()
    text = ""
    for fx, fy in ((0.5, 0.5), (0.35, 0.5), (0.65, 0.5), (0.5, 0.3), (0.5, 0.7), (0.3, 0.3), (0.7, 0.7)):
        page.mouse.move(1, 1)
        page.mouse.move(box["x"] + fx * box["w"], box["y"] + fy * box["h"])
        tip = page.locator(".hoverlayer .hovertext").first
        try:
            tip.wait_for(timeout=5_000)
        except Exception:  # no tooltip at this point (a gap between lines); try the next one
            continue
        text = tip.text_content() or ""
        if label in text.lower():
            break
    return text
