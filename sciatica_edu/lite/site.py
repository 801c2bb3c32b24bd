"""Assembly of the lite site: the notebooks as the browser opens them, ``jupyter-lite.json`` and Lab settings, the
staged folder ``jupyter lite build`` reads, the scripts added to the app pages, the ``.gz`` twins, and
:func:`build_site`, which runs every step.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import time
from pathlib import Path

from sciatica_edu.lite import notices
from sciatica_edu.lite.bytecode import precompile
from sciatica_edu.lite.config import (
    DEFAULT_CACHE,
    OMITTED,
    PRELOAD,
    REPLACE,
    REPO,
    SLIM,
    TESTS_DROP,
    LiteBuildError,
    Log,
    _run,
    listed_date,
)
from sciatica_edu.lite.downloads import _wheel_name_version, browser_wheels, build_venv, pyodide_core
from sciatica_edu.lite.outputs import CONTROLS_NOTE, SESSION_CONTROLS_NOTE, with_outputs
from sciatica_edu.lite.wheels import kit_wheel, slim_pygments, slim_wheel, write_lock

#: The kernel's own wheels, shipped inside the jupyterlite-pyodide-kernel package of the build venv.
KERNEL_WHEELS = ("ipykernel-", "piplite-", "pyodide_kernel-", "widgetsnbextension-4.")
#: Notebook that opens first, and the session notebook (opened with its code hidden).
START_NOTEBOOK = "00-start-here.ipynb"
SESSION_NOTEBOOK = "10-clinician-session.ipynb"
#: The Lite apps built: JupyterLab, and the one-notebook "notebooks" app.
APPS = ("lab", "notebooks")
KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
#: The JupyterLite plugin that provides that kernel (its settings; the early start waits for it).
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: Files served pre-compressed when at least this big (the server picks ``name.gz`` when the browser takes gzip).
GZIP_MIN_BYTES = 1024
GZIP_SUFFIXES = (".js", ".mjs", ".wasm", ".json", ".css", ".html", ".svg", ".zip", ".ipynb", ".map", ".txt", ".ico")


def session_notebook(nb: dict) -> dict:
    """The session notebook as the browser opens it: every code cell's source hidden (there is no Voila there),
    outputs shown; and the Pyodide kernel named, so no kernel dialog appears."""
    out = lite_notebook(nb)
    for cell in out["cells"]:
        if cell.get("cell_type") == "code":
            cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
    return out


def lite_notebook(nb: dict) -> dict:
    """A copy of notebook ``nb`` whose kernelspec names the browser kernel (``python``, Pyodide)."""
    out = json.loads(json.dumps(nb))
    out.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    return out


def _jupyter_lite_json() -> dict:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "sciatica-edu",
            # window.jupyterapp: lets the browser tests and benchmarks run Lab commands (page scripts are
            # same-origin anyway, so this opens nothing new).
            "exposeAppInBrowser": "true",
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": list(PRELOAD)},
                }
            },
            "disabledExtensions": list(DISABLED_EXTENSIONS),
            **MEMORY_STORAGE,
        },
    }


#: Nothing a user types or runs is kept in the browser. By default JupyterLite saves notebooks (JupyterLab
#: autosaves every 2 minutes, outputs included), settings and the open tabs in the browser's IndexedDB, where they
#: outlive the tab: on a shared clinic PC the next person would find them, and a saved copy would hide a newer
#: version of the lesson after the site is updated. Here all three live in the page's memory and are gone when it
#: closes or reloads; File > Download keeps a notebook on purpose.
MEMORY_STORAGE = {
    "enableMemoryStorage": True,
    "contentsStorageDrivers": ["memoryStorageDriver"],
    "settingsStorageDrivers": ["memoryStorageDriver"],
    "workspacesStorageDrivers": ["memoryStorageDriver"],
}


#: JupyterLab plugins the site leaves out (``disabledExtensions``), and why. The kernel's plugin takes the log
#: console's registry as an optional dependency, so while the log console is on, JupyterLab activates the kernel's
#: plugin only once nearly every other plugin has started, and the page cannot start the kernel sooner
#: (:data:`START_KERNEL_EARLY`); without it the kernel's plugin is up as soon as JupyterLite's services are, 1-2 s
#: earlier. Disabling 22 more that the kit never uses (terminals, language servers, viewers for PDF, CSV, Vega,
#: Mermaid, ...) made no difference that could be measured (docs/lite.md), so they stay.
DISABLED_EXTENSIONS = {
    "@jupyterlab/logconsole-extension": "it holds back the kernel's plugin (above); Pyodide's messages still reach "
    "the browser's console",
    "@jupyterlab/notebook-extension:log-output": "the notebook's link to the log console, which is off",
}


#: Lab settings of the site: no news or update checks (nothing leaves the machine).
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays in the page: the notebooks are short, and a diagram scrolled past keeps its drawing.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}

#: The root page's loader, and what replaces it: open the start notebook (the root page keeps its config block,
#: which every app page reads).
ROOT_LOADER = "await import('./config-utils.js');"
ROOT_OPEN = "location.replace('./lab/index.html?path={notebook}');"


def stage(lite_dir: Path, notebooks: Path, cache: Path, venv: Path, log: Log, *, bytecode: bool = True,
          outputs: bool = True) -> None:
    """Lay out ``lite_dir`` for ``jupyter lite build``: config, notebooks (with their stored outputs unless
    ``outputs`` is false: :mod:`sciatica_edu.lite.outputs`), the Pyodide core, wheels and lock."""
    shutil.rmtree(lite_dir, ignore_errors=True)
    files = lite_dir / "files"
    files.mkdir(parents=True)
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(_jupyter_lite_json(), indent=2) + "\n", encoding="utf-8")
    for app in APPS:  # jupyter lite build reads an overrides.json per app
        (lite_dir / app).mkdir()
        (lite_dir / app / "overrides.json").write_text(json.dumps(OVERRIDES, indent=2) + "\n", encoding="utf-8")

    pyodide = lite_dir / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    with tarfile.open(pyodide_core(cache, log)) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                                            "pyodide.js", "package.json", "pyodide-lock.json"):
                (pyodide / name).write_bytes(tar.extractfile(member).read())
    npm_lock = lite_dir / "npm-pyodide-lock.json"
    (pyodide / "pyodide-lock.json").replace(npm_lock)

    wheels: list[Path] = []
    for wheel in browser_wheels(cache, log):
        name = _wheel_name_version(wheel.name)[0]
        if name == "pygments":
            wheel = slim_pygments(wheel, lite_dir / wheel.name)
        wheels.append(slim_wheel(wheel, pyodide / wheel.name, (TESTS_DROP, *SLIM.get(name, ())), REPLACE.get(name)))
    kernel = venv / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static"
    for wheel in sorted((kernel / "pypi").glob("*.whl")):
        if wheel.name.startswith(KERNEL_WHEELS):
            wheels.append(Path(shutil.copy2(wheel, pyodide / wheel.name)))
    kit = kit_wheel(pyodide)
    wheels.append(kit)
    for path in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        is_session = path.name == SESSION_NOTEBOOK
        nb = session_notebook(nb) if is_session else lite_notebook(nb)
        if outputs:
            nb = with_outputs(nb, path, kit, cache, log, SESSION_CONTROLS_NOTE if is_session else CONTROLS_NOTE)
        (files / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if bytecode:
        wheels = precompile(pyodide, wheels, cache, log)
    lock = write_lock(npm_lock, wheels, pyodide / "pyodide-lock.json")
    npm_lock.unlink()
    missing = [p for p in PRELOAD if p not in lock["packages"] and p not in OMITTED]
    if missing:
        raise LiteBuildError(f"preloaded packages without a wheel: {', '.join(missing)}")
    log(f"pyodide-lock.json: {len(lock['packages'])} wheels, {sum(p.stat().st_size for p in wheels) / 1e6:.1f} MB")


def open_start(root_page: Path, notebook: str = START_NOTEBOOK) -> None:
    """Make the site's root page open ``notebook`` in JupyterLab (instead of Lab's empty launcher)."""
    html = root_page.read_text(encoding="utf-8")
    if html.count(ROOT_LOADER) != 1:
        raise LiteBuildError(f"{root_page}: JupyterLite's root page changed; cannot find {ROOT_LOADER!r}")
    root_page.write_text(html.replace(ROOT_LOADER, ROOT_OPEN.format(notebook=notebook)), encoding="utf-8")


#: Added to each app page (lab/, notebooks/): once the page has loaded and its main thread is idle (the kernel is
#: then starting in its worker), fetch and run the kit's plotly.js, so the first figure does not wait for it.
#: It fills the promise the figures' own loader (browser._DRAW_JS) looks for first, so plotly.js runs once.
PLOTLY_PRELOAD = """<script>/* sciatica-edu: plotly.js for the kit's figures, loaded while the kernel starts */
(function () {
  var w = window;
  function start() {
    if (w.__sciaticaPlotly || w.Plotly) { return; }
    w.__sciaticaPlotly = new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.src = %(src)s;
      s.onload = function () { ok(w.Plotly); };
      s.onerror = function () { w.__sciaticaPlotly = null; fail(new Error('plotly.js did not load')); };
      document.head.appendChild(s);
    });
    w.__sciaticaPlotly.catch(function () {});  // a figure drawn later tries again
  }
  w.addEventListener('load', function () {
    if (w.requestIdleCallback) { w.requestIdleCallback(start, {timeout: %(timeout)d}); }
    else { setTimeout(start, 1000); }
  });
})();</script>
"""
PLOTLY_PRELOAD_TIMEOUT_MS = 3000


def _add_to_head(app_page: Path, script: str) -> None:
    html = app_page.read_text(encoding="utf-8")
    if html.count("</head>") != 1:
        raise LiteBuildError(f"{app_page}: JupyterLite's app page changed; cannot find its </head>")
    app_page.write_text(html.replace("</head>", script + "</head>"), encoding="utf-8")


def preload_plotly(app_page: Path) -> None:
    """Make the app page ``app_page`` load the kit's plotly.js while the kernel starts (:data:`PLOTLY_PRELOAD`)."""
    from sciatica_edu import browser

    _add_to_head(app_page, PLOTLY_PRELOAD % {"src": json.dumps(browser.SITE_PLOTLY_JS),
                                             "timeout": PLOTLY_PRELOAD_TIMEOUT_MS})


#: Added to each app page: start the kernel of the notebook named by ``?path=`` as soon as JupyterLite's services
#: and the Pyodide kernel's plugin are up, instead of once the notebook has been laid out (JupyterLab starts a
#: notebook's kernel only then, 2-3 s into a visit). Only public JupyterLab API: a session started for the same path
#: and name is the one the notebook's own session context then finds and joins, so no second kernel starts. Should
#: the notebook still end up on another kernel (a race), this one is shut down. The session's id is left in
#: ``window.__sciaticaEarlyKernel`` (the browser test checks that the notebook joined it). A missing file, another
#: kind of file, or a page without ``?path=`` start nothing. Nor does a first visit (JupyterLab's scripts not yet in
#: the browser's cache, seen in the page's resource timings; nothing is stored for it): there the kernel's 20 MB of
#: downloads competed with JupyterLab's and the cold load got slower (docs/lite.md), so it starts as before.
START_KERNEL_EARLY = """<script>/* sciatica-edu: start the notebook's kernel while JupyterLab lays out the page */
(function () {
  var w = window, path = new URLSearchParams(w.location.search).get('path');
  if (!path || !/\\.ipynb$/.test(path)) { return; }
  function start(app) {
    var sessions = app.serviceManager.sessions, name = path.split('/').pop();
    app.serviceManager.contents.get(path, {content: false}).then(function () {
      // handleComms off: comms are the notebook's (an extra link handling them closed the widgets' comms)
      return sessions.startNew({path: path, name: name, type: 'notebook', kernel: {name: %(kernel)s}},
                               {kernelConnectionOptions: {handleComms: false}});
    }).then(function (mine) {
      w.__sciaticaEarlyKernel = mine.id;
      var waited = 0;
      (function joined() {  // the notebook's own session, once it has one
        for (var widget of app.shell.widgets('main')) {
          var ctx = widget.sessionContext;
          if (widget.context && widget.context.path === path && ctx && ctx.session) {
            if (ctx.session.id === mine.id) { mine.dispose(); } else { mine.shutdown(); }  // dispose: only this link
            return;
          }
        }
        if ((waited += 250) < %(give_up_ms)d) { setTimeout(joined, 250); }
      })();
    }).catch(function (e) { console.warn('sciatica-edu: the kernel starts with the notebook instead', e); });
  }
  function cached() {  // JupyterLab's own scripts came from this browser's cache: a later visit, not the first
    var mine = performance.getEntriesByType('resource').filter(function (r) {
      return r.name.indexOf('/build/') > 0 && /\\.js(\\?|$)/.test(r.name) && r.encodedBodySize > 0;
    });
    return mine.length > 0 && mine.every(function (r) { return r.transferSize < r.encodedBodySize; });
  }
  var tries = 0, poll = setInterval(function () {
    var app = w.jupyterapp;  // exposeAppInBrowser
    if (app && app.isPluginActivated(%(plugin)s)) {
      clearInterval(poll);
      if (cached()) { start(app); } else { w.__sciaticaFirstVisit = true; }  // see the comment above
    }
    else if (++tries * 20 > %(give_up_ms)d) { clearInterval(poll); }
  }, 20);
})();</script>
"""
START_KERNEL_EARLY_GIVE_UP_MS = 120_000


def start_kernel_early(app_page: Path) -> None:
    """Make the app page ``app_page`` start its notebook's kernel early (:data:`START_KERNEL_EARLY`)."""
    _add_to_head(app_page, START_KERNEL_EARLY % {"kernel": json.dumps(KERNELSPEC["name"]),
                                                 "plugin": json.dumps(KERNEL_PLUGIN),
                                                 "give_up_ms": START_KERNEL_EARLY_GIVE_UP_MS})


#: Added to each app page: the session notebook (10) runs itself once it is open and its kernel is connected, as
#: the Voila session view does, so a clinician gets the presets and controls without JupyterLab's Run menu. Only
#: that notebook (the others keep the notebook's usual "you run it" rule), however it was opened (the address, the
#: file browser, a link in another notebook; in JupyterLab or in the one-notebook app, whose shell has no
#: ``layoutModified`` and opens the notebook only once the app has started), once per opened document (a second
#: view of it, "New View for Notebook", shares its document and is not run again), and only while none of its code
#: cells has run: a notebook whose cells already ran (say, by hand) is left alone. Public JupyterLab API only: the
#: command "Run All Cells" for that tab (``semanticWidget``), without switching tabs; then back to its first cell,
#: since Run All leaves the last one active and scrolls to it (the sources at the end). The runs started are
#: counted in ``window.__sciaticaAutoRun`` (the browser tests read it).
AUTORUN_SESSION = """<script>/* sciatica-edu: the session notebook runs itself, as the Voila session view does */
(function () {
  var w = window, seen = new WeakSet(), name = %(notebook)s;
  w.__sciaticaAutoRun = 0;
  function runOnce(app, panel) {
    seen.add(panel.context);  // one document, however many views of it
    var ctx = panel.sessionContext;
    Promise.all([panel.context.ready, ctx.ready]).then(function () {
      if (panel.isDisposed || !ctx.session || !ctx.session.kernel) { return; }
      var code = panel.content.widgets.filter(function (c) { return c.model.type === 'code'; });
      if (code.some(function (c) { return c.model.executionCount !== null; })) { return; }  // ran already
      w.__sciaticaAutoRun += 1;
      var nb = panel.content, run = app.commands.execute('notebook:run-all-cells',
                                                         {semanticWidget: panel.id, activate: false});
      // Run All leaves the last cell active and scrolls to it (the Sources): a session opens at its top
      setTimeout(function () { nb.activeCellIndex = 0; nb.deselectAll(); nb.scrollToItem(0, 'start'); }, %(top_ms)d);
      return run;
    }).catch(function (e) { console.warn('sciatica-edu: run the session with Run, then Run All Cells', e); });
  }
  function look(app) {
    for (var panel of app.shell.widgets('main')) {
      if (panel.context && panel.sessionContext && panel.content && !seen.has(panel.context) &&
          panel.context.path.split('/').pop() === name) { runOnce(app, panel); }
    }
  }
  var tries = 0, poll = setInterval(function () {
    var app = w.jupyterapp;  // exposeAppInBrowser
    if (app && app.shell && app.commands.hasCommand('notebook:run-all-cells')) {
      clearInterval(poll);
      var again = function () { look(app); };
      again();
      if (app.started) { app.started.then(again); }  // the one-notebook app opens its notebook only then
      // a tab opened later: JupyterLab's shell says so with layoutModified, the one-notebook app's currentChanged
      [app.shell.layoutModified, app.shell.currentChanged].forEach(function (s) { if (s) { s.connect(again); } });
    }
    else if (++tries * 50 > %(give_up_ms)d) { clearInterval(poll); }
  }, 50);
})();</script>
"""
AUTORUN_GIVE_UP_MS = 120_000
#: How long after Run All the session goes back to its top (Run All's own scroll to the last cell comes first).
AUTORUN_TOP_MS = 200


def autorun_session(app_page: Path) -> None:
    """Make the app page ``app_page`` run the session notebook once it opens (:data:`AUTORUN_SESSION`)."""
    _add_to_head(app_page, AUTORUN_SESSION % {"notebook": json.dumps(SESSION_NOTEBOOK),
                                              "give_up_ms": AUTORUN_GIVE_UP_MS, "top_ms": AUTORUN_TOP_MS})


def precompress(site: Path) -> int:
    """Write ``name.gz`` next to every compressible file of ``site`` (``mtime=0``: same bytes each build);
    return the count. :func:`serve` sends them to browsers that accept gzip; other static hosts ignore them."""
    count = 0
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in GZIP_SUFFIXES and path.stat().st_size >= GZIP_MIN_BYTES:
            data = path.read_bytes()
            buf = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
                gz.write(data)
            if len(buf.getvalue()) < 0.9 * len(data):
                path.with_name(path.name + ".gz").write_bytes(buf.getvalue())
                count += 1
    return count


def stamp_dates(site: Path, when: float) -> int:
    """Give every file and folder of ``site`` the date ``when`` (the build's time); return the count of files.

    The parts come dated 1985-10-26 (npm's packages), 2026-01-01 (the build's fixed date) or when they were
    written. Static servers derive their validators from a file's date and size (nginx's ETag, Last-Modified),
    and copy tools their quick check (``rsync -a``): a rebuilt file of the same size and date passes as
    unchanged, so a browser would keep, and rsync would skip, an old ``pyodide-lock.json`` beside a new wheel,
    and Python would not start. One new date per build makes every file of a new build new to both (the bytes,
    and so ``SHA256SUMS``, do not change)."""
    count = 0
    for path in [site, *site.rglob("*")]:  # a date set is not a folder changed: any order will do
        os.utime(path, (when, when), follow_symlinks=False)
        count += path.is_file()
    return count


def site_bytes(site: Path) -> tuple[int, int]:
    """(bytes of the site's files, bytes when each is sent gzipped where a ``.gz`` twin exists)."""
    plain = packed = 0
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix == ".gz":
            continue
        size = path.stat().st_size
        twin = path.with_name(path.name + ".gz")
        plain += size
        packed += twin.stat().st_size if twin.is_file() else size
    return plain, packed


def build_site(out: Path, *, notebooks: Path, cache: Path = DEFAULT_CACHE, log: Log = print,
               bytecode: bool = True, outputs: bool = True) -> Path:
    """Build the offline JupyterLite site into ``out`` (replaced); returns ``out``.

    ``bytecode=False`` ships the Python files as source only (no Node needed; slower to the first diagram), for
    comparison (benchmarks/lite_load.py); ``outputs=False`` leaves the notebooks without the build's stored outputs
    (:mod:`sciatica_edu.lite.outputs`), as in the repository.

    Downloads (PyPI, npm) happen only while ``cache`` lacks a pinned file; after that the build is offline.
    """
    out = Path(out).resolve()
    cache = Path(cache).resolve()
    if out == REPO or REPO.is_relative_to(out) or out == Path(notebooks).resolve():
        raise LiteBuildError(f"refusing to replace {out}: give a new folder such as site-lite/")
    cache.mkdir(parents=True, exist_ok=True)
    venv = build_venv(cache, log)
    lite_dir = cache / "stage"
    stage(lite_dir, Path(notebooks), cache, venv, log, bytecode=bytecode, outputs=outputs)
    tmp_out = out.with_name(out.name + ".building")
    shutil.rmtree(tmp_out, ignore_errors=True)
    # SOURCE_DATE_EPOCH: jupyter lite build clamps the notebooks' listed dates to it (same site bytes each build of
    # one commit): the lessons' last commit (listed_date).
    env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1", SOURCE_DATE_EPOCH=str(listed_date(notebooks)))
    env.pop("JUPYTERLITE_PYODIDE_URL", None)
    _run([str(venv / "bin" / "jupyter"), "lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(tmp_out),
          "--contents", str(lite_dir / "files"), *(f"--apps={app}" for app in APPS), "--no-sourcemaps",
          "--no-unused-shared-packages"],
         "jupyter lite build", log, cwd=lite_dir, env=env)
    open_start(tmp_out / "index.html")
    for app in APPS:
        preload_plotly(tmp_out / app / "index.html")
        start_kernel_early(tmp_out / app / "index.html")
        autorun_session(tmp_out / app / "index.html")
    static = tmp_out / "static" / "sciatica-edu"  # browser.SITE_PLOTLY_JS: plain figures' plotly.js
    static.mkdir(parents=True, exist_ok=True)
    for name in ("plotly-basic.min.js", "plotly-basic.LICENSE.txt"):
        shutil.copy2(REPO / "sciatica_edu" / "static" / name, static / name)
    shutil.rmtree(tmp_out / ".cache", ignore_errors=True)
    for junk in tmp_out.glob(".jupyterlite.doit.db*"):
        junk.unlink()
    notices.write_notices(tmp_out)  # README.txt and THIRD-PARTY-NOTICES.txt, for whoever hosts the site
    precompress(tmp_out)
    notices.write_sums(tmp_out)  # every file, the gzip twins included
    stamp_dates(tmp_out, time.time())  # last: one new date for a new build (hosts' caches, rsync)
    shutil.rmtree(out, ignore_errors=True)
    tmp_out.replace(out)
    plain, packed = site_bytes(out)
    log(f"wrote {out}: {plain / 1e6:.1f} MB ({packed / 1e6:.1f} MB gzipped)")
    return out
