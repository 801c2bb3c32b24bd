"""The lite build's shared settings: where the pins live, the browser's Python and wheel platform, what each wheel
loses to slimming, what the kernel preloads and how bytecode is named, the fixed date of every written file; the
build's error type, the readers of the pins files (``lite/*.txt``) and the one way the build runs a command.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
PINS = REPO / "lite"
DEFAULT_CACHE = REPO / ".cache" / "lite"
#: The Python and wheel platform of Pyodide 314.0.6 (the version jupyterlite-pyodide-kernel 0.8.6 expects).
PYTHON_VERSION = "3.14"
WHEEL_PLATFORM = "pyemscripten_2026_0_wasm32"
#: Environment of the browser kernel, for evaluating the markers of a wheel's Requires-Dist.
MARKER_ENV = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": PYTHON_VERSION,
    "python_full_version": "3.14.2",
    "extra": "",
}
#: Dependencies that wheels declare but the browser kit leaves out on purpose, and why.
OMITTED = {
    "pyyaml": "no wasm wheel on PyPI; the kit's wheel carries its data as JSON made at build time",
    "jupyterlab-widgets": "the widgets' front-end: bundled into the site by jupyter lite build, not a kernel package",
}
#: Files of the plotly wheel the browser never reads: plotly.js itself (the kit draws with its basic bundle) and
#: the JupyterLab extension (bundled into the site from the build venv, not loaded by the kernel).
PLOTLY_DROP = (
    re.compile(r"^plotly/package_data/plotly\.min\.js$"),
    re.compile(r"^plotly/labextension/"),
    re.compile(r"^plotly-[^/]+\.data/"),
)
#: Files of the jedi wheel left out: typeshed's stubs for third-party packages and Django's (2.6 of its 4.9 MB).
#: Completion of the standard library and of installed packages still works (jedi reads their code instead).
JEDI_DROP = (
    re.compile(r"^jedi/third_party/typeshed/stubs/"),
    re.compile(r"^jedi/third_party/django-stubs/"),
)
#: Files left out of every wheel: test suites, which nothing imports (ipywidgets', jsonschema's, IPython's ...).
TESTS_DROP = re.compile(r"^[^/]+(/[^/]+)*/tests?/")
#: Wheels slimmed by the build, and what each leaves out.
SLIM = {"plotly": PLOTLY_DROP, "jedi": JEDI_DROP}
#: plotly's own FigureWidget front-end (all of plotly.js, 5 MB, 1.5 MB of the wheel zipped): the kit's figures use
#: their own (``widgets.figure``), so only a stand-in ships. The file must exist: plotly's FigureWidget class names it
#: and anywidget checks that it is a file when the class is made (it reads it only for a plain FigureWidget). A plain
#: ``plotly.graph_objects.FigureWidget`` then shows this message instead of a figure.
PLOTLY_WIDGET_STANDIN = (
    b"// sciatica-edu's browser build: plotly's own FigureWidget code (5 MB) is left out; the kit's figures bring\n"
    b"// their own front-end (sciatica_edu/static/figure-widget.js).\n"
    b"export default { render({ el }) { el.textContent = 'This browser version cannot draw a plain plotly "
    b"FigureWidget. Show the figure with fig.show(), or use the kit\\u2019s own diagrams.'; } };\n"
)
#: A licence file's name (a wheel's .dist-info/licenses/, a source archive's top level).
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.I)
#: Files of a wheel the build replaces with other bytes (its RECORD rewritten to match).
REPLACE = {"plotly": {"plotly/package_data/widgetbundle.js": PLOTLY_WIDGET_STANDIN}}
#: The pygments lexers the browser kit keeps (with the lexer modules they import): Python and IPython's own
#: lexers (ipython_pygments_lexers needs bash, html, javascript, ruby, perl and TeX), JSON/YAML, Markdown, CSS
#: and plain text. The other ~250 languages' lexers (1 MB of the 1.25 MB wheel) are left out and the lexer map
#: is rewritten to match, so asking for one gives pygments' usual ClassNotFound.
PYGMENTS_KEEP = ("python", "shell", "html", "javascript", "ruby", "perl", "markup", "css", "data", "special")
#: Wheels whose Python files keep their source next to the bytecode (``__pycache__``), so tracebacks through the
#: kit's own code show its lines; every other wheel and the standard library ship bytecode only, as Pyodide's own
#: distribution does (``pyodide py-compile``).
PYC_KEEP_SOURCE = ("sciatica-edu",)
#: Where Pyodide puts the standard library (a zip on sys.path) and the wheels: the file names the bytecode records.
PYC_STDLIB_PREFIX = f"/lib/python{PYTHON_VERSION.replace('.', '')}.zip"
PYC_SITE_PREFIX = f"/lib/python{PYTHON_VERSION}/site-packages"
#: Bytecode cache tag of Pyodide's CPython (``sys.implementation.cache_tag``), for the kit's ``__pycache__`` files.
PYC_CACHE_TAG = f"cpython-{PYTHON_VERSION.replace('.', '')}"
#: The oldest Node that runs Pyodide 314 (its package.json: engines.node).
NODE_MIN_MAJOR = 18
#: Packages the kernel loads before the first cell runs (so no notebook needs ``%pip``).
PRELOAD = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython", "sciatica-edu")
#: Fixed timestamp for the zip entries the build writes, so the same inputs give the same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = 1767225600  # the same moment, 2026-01-01 00:00 UTC
#: What a lesson is made of besides its notebook: its "Modified" date in the site's file browser is the last commit
#: that changed the notebooks or these (in the kit's own checkout).
LESSON_PATHS = ("data", "sciatica_edu")


def _last_commit(folder: Path, *paths: str) -> int | None:
    try:
        run = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%ct", "--", *paths],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    out = run.stdout.strip()
    return int(out) if run.returncode == 0 and out.isdigit() else None


def listed_date(notebooks: Path = REPO / "notebooks", kit: Path = REPO) -> int:
    """The notebooks' "Modified" date in the site (seconds since 1970): the last commit that changed the folder
    ``notebooks`` (in its own checkout) or the kit's data and code (:data:`LESSON_PATHS`, in the checkout ``kit``),
    so every build of one commit gives the same bytes and the file browser does not call a lesson changed last week
    "11 months ago". Never later than now (a commit dated ahead of this machine's clock); :data:`SOURCE_DATE_EPOCH`
    where neither is a git checkout. A shallow clone knows only its last commit: its date is that one's."""
    dates = [d for d in (_last_commit(Path(notebooks), "."), _last_commit(Path(kit), *LESSON_PATHS)) if d]
    return min(max(dates), int(time.time())) if dates else SOURCE_DATE_EPOCH


class LiteBuildError(RuntimeError):
    """A build step failed (a download, the pins, jupyter lite build); the message says which and how to fix it."""


def read_pins(path: Path) -> list[tuple[str, str]]:
    """``(name, version)`` for each ``name==version`` line of a pins file (``#`` comments and blank lines skipped).

    Every line must pin one exact version: the build is reproducible only from exact pins.
    """
    pins: list[tuple[str, str]] = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)", line)
        if not match:
            raise LiteBuildError(f"{path}:{number}: {raw.strip()!r} is not an exact pin; write name==version")
        pins.append((match.group(1), match.group(2)))
    return pins


def npm_pin(path: Path) -> tuple[str, str, str]:
    """``(package, version, sha256)`` from ``lite/npm.txt`` (one line: ``pyodide@314.0.6 sha256=<hex>``)."""
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([a-z0-9-]+)@([0-9.]+)\s+sha256=([0-9a-f]{64})", line)
            if not match:
                raise LiteBuildError(f"{path}: {line!r} is not 'package@version sha256=<64 hex digits>'")
            return match.group(1), match.group(2), match.group(3)
    raise LiteBuildError(f"{path} names no npm package")


def canonical(name: str) -> str:
    """PEP 503 normal form of a distribution name (``Typing_Extensions`` -> ``typing-extensions``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


Log = Callable[[str], None]


def _run(cmd: list[str], what: str, log: Log, **kwargs) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise LiteBuildError(f"{what} failed (exit {proc.returncode}):\n{tail}")
