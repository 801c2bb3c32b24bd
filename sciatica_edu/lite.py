"""The kit in any browser, no install: build an offline JupyterLite site (``sciatica-edu lite``, ``make lite``).

JupyterLite runs the real kernel (Pyodide: CPython compiled to WebAssembly) in the browser from plain static
files. This module writes such a site from pinned versions only, and nothing in it is fetched at run time
from anywhere but the serving host:

* a build venv of its own (``lite/requirements-build.txt``; the lite extension breaks a normal Lab) that runs
  ``jupyter lite build`` and supplies the front-end extensions (widgets, anywidget, plotly);
* the Pyodide core from the npm tarball ``pyodide@314.0.6`` (``lite/npm.txt``, sha256-checked), the version
  the kernel expects, in ``static/pyodide/`` of the site;
* the browser's wheels (``lite/wheels.txt``, downloaded once without dependencies), the kernel's own wheels,
  a slimmed plotly wheel and the kit's own wheel (its data as JSON made here, so no YAML parser runs in the
  browser), all listed in a ``pyodide-lock.json`` this module writes, and preloaded by ``jupyter-lite.json``
  so no notebook needs ``%pip``; ``disablePyPIFallback`` is on;
* bytecode for the modules a lesson imports first, compiled at build time by that same Pyodide running in Node
  (``precompile``, ``lite/pycompile.mjs``), since compiling them in the browser was most of the start-up.

Downloads land in a cache folder (``.cache/lite/`` by default); once it is filled the build is offline and
gives the same bytes each time. ``serve()`` is a small static server for 127.0.0.1 that sends the right
MIME types for ``.mjs``/``.wasm`` and the pre-compressed ``.gz`` twins the build writes. docs/lite.md has the
numbers behind each choice.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from sciatica_edu import __version__

__all__ = [
    "LiteBuildError",
    "build_site",
    "compiled_stdlib",
    "compiled_wheel",
    "kit_wheel",
    "lock_entry",
    "precompile",
    "preload_plotly",
    "read_pins",
    "serve",
    "session_notebook",
    "slim_pygments",
    "slim_wheel",
    "start_kernel_early",
    "wheel_depends",
    "write_lock",
]

REPO = Path(__file__).resolve().parent.parent
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
#: Fixed timestamp for the zip entries this module writes, so the same inputs give the same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = 1767225600  # the same moment, 2026-01-01 00:00 UTC
#: Files whose names carry a hash of their content (JupyterLab's and the extensions' webpack chunks, e.g.
#: ``build/5079.7bde706.js``): :func:`serve` lets browsers keep them without asking again (a changed file has a
#: new name), which spares a later visit about 140 of its ~190 requests.
IMMUTABLE = re.compile(r"/[^/]*\.[0-9a-f]{7,}\.(js|css)$")
#: Files served pre-compressed when at least this big (the server picks ``name.gz`` when the browser takes gzip).
GZIP_MIN_BYTES = 1024
GZIP_SUFFIXES = (".js", ".mjs", ".wasm", ".json", ".css", ".html", ".svg", ".zip", ".ipynb", ".map", ".txt", ".ico")


class LiteBuildError(RuntimeError):
    """A build step failed (a download, the pins, jupyter lite build); the message says which and how to fix it."""


# --------------------------------------------------------------------------- pins


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


# --------------------------------------------------------------------------- wheels and the lock


def _wheel_metadata(zf: zipfile.ZipFile) -> str:
    names = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
    if len(names) != 1:
        raise LiteBuildError(f"{zf.filename}: expected one .dist-info/METADATA, found {len(names)}")
    return zf.read(names[0]).decode("utf-8")


def wheel_depends(metadata: str) -> list[str]:
    """Canonical names a wheel needs in the browser: its Requires-Dist whose markers hold under Pyodide
    (``sys_platform == "emscripten"``, Python 3.14, no extras)."""
    from packaging.requirements import Requirement

    out: list[str] = []
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        req = Requirement(line.split(":", 1)[1].strip())
        if req.marker is not None and not req.marker.evaluate(dict(MARKER_ENV)):
            continue
        name = canonical(req.name)
        if name not in out:
            out.append(name)
    return sorted(out)


def _wheel_imports(zf: zipfile.ZipFile) -> list[str]:
    """Top-level import names of a wheel: its top_level.txt, or else the top of its RECORD."""
    tops = [n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/top_level\.txt", n)]
    if tops:
        names = {t.strip() for t in zf.read(tops[0]).decode("utf-8").splitlines() if t.strip()}
    else:
        names = set()
        for n in zf.namelist():
            first = n.split("/", 1)[0]
            if first.endswith((".dist-info", ".data")):
                continue
            if "/" in n:
                names.add(first)
            elif n.endswith(".py"):
                names.add(n[:-3])
    return sorted(x for x in names if x.isidentifier())


def lock_entry(wheel: Path) -> dict:
    """The ``pyodide-lock.json`` entry for one wheel: name, version, file, sha256, imports, depends."""
    with zipfile.ZipFile(wheel) as zf:
        metadata = _wheel_metadata(zf)
        imports = _wheel_imports(zf)
    name = re.search(r"^Name:\s*(\S+)", metadata, re.M)
    version = re.search(r"^Version:\s*(\S+)", metadata, re.M)
    if not name or not version:
        raise LiteBuildError(f"{wheel.name}: METADATA has no Name or Version")
    return {
        "name": canonical(name.group(1)),
        "version": version.group(1),
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": imports,
        "depends": wheel_depends(metadata),
        "unvendored_tests": False,
    }


def write_lock(npm_lock: Path, wheels: Iterable[Path], out: Path) -> dict:
    """Write ``out`` (``pyodide-lock.json``): the npm lock's ``info`` block and one entry per local wheel.

    A dependency no wheel provides fails the build, unless :data:`OMITTED` says why it is left out (then it is
    dropped from ``depends``, so Pyodide does not look for it anywhere).
    """
    info = json.loads(Path(npm_lock).read_text(encoding="utf-8"))["info"]
    packages = {}
    for wheel in sorted(wheels, key=lambda p: p.name):
        entry = lock_entry(wheel)
        if entry["name"] in packages:
            first = packages[entry["name"]]["file_name"]
            raise LiteBuildError(f"two wheels for {entry['name']}: {first} and {wheel.name}")
        packages[entry["name"]] = entry
    for entry in packages.values():
        missing = [d for d in entry["depends"] if d not in packages and d not in OMITTED]
        if missing:
            raise LiteBuildError(f"{entry['file_name']} needs {', '.join(missing)}: add them to lite/wheels.txt")
        entry["depends"] = [d for d in entry["depends"] if d in packages]
    lock = {"info": info, "packages": dict(sorted(packages.items()))}
    out.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def _zip_write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compresslevel=9)


def _record_line(name: str, data: bytes) -> str:
    import base64

    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(out: Path, files: dict[str, bytes], dist_info: str) -> Path:
    """A wheel of ``files`` (name -> bytes) with a fresh RECORD; sorted, fixed timestamps: same input, same bytes."""
    record_name = f"{dist_info}/RECORD"
    lines = [_record_line(n, files[n]) for n in sorted(files) if n != record_name]
    files = dict(files)
    files[record_name] = ("\n".join([*lines, f"{record_name},,"]) + "\n").encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(files):
            _zip_write(zf, name, files[name])
    return out


def slim_wheel(source: Path, out: Path, drop: Iterable[re.Pattern]) -> Path:
    """Copy the wheel ``source`` to ``out`` without the files matching any of ``drop`` (RECORD rewritten)."""
    drop = tuple(drop)
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/") and not any(p.search(n) for p in drop)}
    dist_info = next(n.split("/", 1)[0] for n in files if n.split("/", 1)[0].endswith(".dist-info"))
    return _write_wheel(out, files, dist_info)


def _lexer_imports(source: bytes) -> set[str]:
    """The ``pygments.lexers.X`` modules a lexer module imports (``X`` only)."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            if name.startswith("pygments.lexers."):
                found.add(name.split(".")[2])
    return found


def slim_pygments(source: Path, out: Path, keep: Iterable[str] = PYGMENTS_KEEP) -> Path:
    """Copy the pygments wheel ``source`` to ``out`` with only the lexer modules ``keep`` and those they import;
    ``pygments/lexers/_mapping.py`` (name -> module of every lexer) is rewritten to list only those, so
    ``get_lexer_by_name`` of a language left out raises ClassNotFound, as for an unknown name."""
    import ast

    prefix = "pygments/lexers/"
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    modules = {n[len(prefix):-3] for n in files
               if n.startswith(prefix) and n.endswith(".py") and "/" not in n[len(prefix):]}
    keep = tuple(keep)
    todo = [m for m in keep if m in modules]
    if len(todo) != len(keep):
        raise LiteBuildError(f"{source.name} has no lexer module {sorted(set(keep) - modules)}")
    kept = {"__init__", "_mapping"}
    while todo:
        module = todo.pop()
        if module not in kept:
            kept.add(module)
            todo += [m for m in _lexer_imports(files[f"{prefix}{module}.py"]) if m in modules]
    mapping = ast.literal_eval(files[f"{prefix}_mapping.py"].decode("utf-8").split("LEXERS = ", 1)[1])
    lexers = {k: v for k, v in mapping.items() if v[0].rsplit(".", 1)[1] in kept}
    files[f"{prefix}_mapping.py"] = (
        "# pygments' lexer map, cut by sciatica_edu.lite.slim_pygments to the lexers the browser kit ships.\n\n"
        "LEXERS = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in sorted(lexers.items())) + "}\n"
    ).encode()
    for name in [n for n in files if n.startswith(prefix) and n.endswith(".py") and "/" not in n[len(prefix):]]:
        if name[len(prefix):-3] not in kept:
            del files[name]
    dist_info = next(n.split("/", 1)[0] for n in files if n.split("/", 1)[0].endswith(".dist-info"))
    return _write_wheel(out, files, dist_info)


#: The templates the handout reads (pages/handout.py): the only ones the browser needs.
HANDOUT_TEMPLATES = ("handout.html.j2", "handout.css")


def kit_wheel(out_dir: Path, repo: Path = REPO) -> Path:
    """The kit's own wheel for the browser: the package's modules and static files, and ``data/*.yaml`` as JSON.

    Made here rather than by setuptools so it needs no build backend and is the same bytes on every build.
    Of the templates only the handout's (``HANDOUT_TEMPLATES``) go in (no Voila and no nbconvert export in the browser).
    """
    from sciatica_edu.facts import loader as _data

    pkg = repo / "sciatica_edu"
    files: dict[str, bytes] = {}
    for path in sorted(pkg.rglob("*.py")):  # the layer folders too (facts/, model/, figures/, ...)
        files[path.relative_to(repo).as_posix()] = path.read_bytes()
    for path in sorted((pkg / "static").iterdir()):
        if path.is_file():
            files[f"sciatica_edu/static/{path.name}"] = path.read_bytes()
    # the handout's template (the Voila page templates stay out: no Voila in the browser)
    for name in HANDOUT_TEMPLATES:  # the page and its print styles
        files[f"sciatica_edu/templates/{name}"] = (pkg / "templates" / name).read_bytes()
    for path in sorted((repo / "data").glob("*.yaml")):
        payload = _data.read_yaml(path, label=f"data/{path.name}")  # the strict loader: repeated keys or ids fail
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        if json.loads(text) != payload:
            raise LiteBuildError(f"data/{path.name} does not survive a round trip through JSON (dates? keys?)")
        files[f"sciatica_edu/data/{path.stem}.json"] = text.encode("utf-8")
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requires = [f"Requires-Dist: {d}" for d in project["dependencies"]]
    dist_info = f"sciatica_edu-{__version__}.dist-info"
    files[f"{dist_info}/METADATA"] = "\n".join(
        ["Metadata-Version: 2.1", "Name: sciatica-edu", f"Version: {__version__}", f"Summary: {project['description']}",
         f"Requires-Python: {project['requires-python']}", *requires, ""]
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: sciatica_edu.lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"sciatica_edu\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_wheel(out_dir / f"sciatica_edu-{__version__}-py3-none-any.whl", files, dist_info)


# --------------------------------------------------------------------------- bytecode (precompiled .pyc)

#: What the build runs in Pyodide to learn which modules the first minutes of a lesson import (the kernel, every
#: module of the kit, the first body diagram and its HTML): those are compiled; a module not imported here stays
#: source and is compiled in the browser when first imported, as without this step. A failing step only means
#: fewer modules precompiled (it is reported), never a broken site.
PYC_WORKLOAD = """
import piplite.piplite  # what the kernel imports as it starts (micropip with it)
import pyodide_kernel  # the kernel itself: IPython, jedi, comm, ipykernel's shim
import importlib, pkgutil
import sciatica_edu
for info in pkgutil.walk_packages(sciatica_edu.__path__, "sciatica_edu."):
    try:
        importlib.import_module(info.name)
    except ImportError:  # the parts that need a server (tornado, Voila) do not run in the browser
        pass
from sciatica_edu import diagram
from sciatica_edu.scenario import Compression
import plotly.io
fig = diagram.body_figure(Compression())
plotly.io.renderers[plotly.io.renderers.default].to_mimebundle(fig.to_dict())
import ipython_pygments_lexers  # IPython's lexers, for its tracebacks and ?-help: needs the lexers pygments keeps
from pygments.lexers import get_lexer_by_name
for name in ("python", "ipython3", "pytb", "bash", "html", "javascript", "json", "yaml", "markdown", "css", "text"):
    get_lexer_by_name(name)
"""

#: Runs inside Pyodide (lite/pycompile.mjs, Node), twice. ``PHASE == "bare"``: with the wheels loaded and
#: ``-X no_debug_ranges``, runs :data:`PYC_WORKLOAD`, then compiles each imported module's ``.py`` (from the copies
#: under /pyc-build/src, one folder per job) that ships without its source to ``.pyc`` next to it, recording the file
#: name it has in the browser; ``PHASE == "ranges"``: compiles the imported modules that keep their source, with
#: the column positions tracebacks underline. Hash-based and unchecked (PEP 552): no timestamps, so the same
#: source gives the same bytes, and the loader never compares them with a source file.
PYC_SCRIPT = """
import importlib.util, json, os, py_compile, sys, traceback, warnings
warnings.simplefilter("ignore")  # SyntaxWarnings of third-party code are not ours to report
with open("/pyc-build/jobs.json", encoding="utf-8") as f:
    jobs = json.load(f)
problem = ""
if PHASE == "bare":  # the first interpreter (-X no_debug_ranges), with the wheels loaded: learn what is imported
    with open("/pyc-build/workload.py", encoding="utf-8") as f:
        workload = f.read()
    try:
        exec(compile(workload, "<workload>", "exec"), {"__name__": "__workload__"})
    except BaseException:
        problem = traceback.format_exc(limit=3)
    imported = set()
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) if spec is not None else None
        if isinstance(origin, str) and origin.endswith(".py"):
            imported.add(origin)
    with open("/pyc-build/imported.json", "w", encoding="utf-8") as f:
        json.dump(sorted(imported), f)
else:
    with open("/pyc-build/imported.json", encoding="utf-8") as f:
        imported = set(json.load(f))
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
compiled, failed = [], []
for job in jobs:
    if job["ranges"] != (PHASE == "ranges"):
        continue
    root = "/pyc-build/" + job["dir"]
    for folder, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            src = os.path.join(folder, name)
            rel = os.path.relpath(src, root)
            where = job["prefix"] + "/" + rel
            if not name.endswith(".py") or where not in imported:
                continue
            try:
                py_compile.compile(src, cfile=src + "c", dfile=where, doraise=True, invalidation_mode=mode)
                compiled.append(where)
            except py_compile.PyCompileError:
                failed.append(where)
with open(f"/pyc-build/result-{PHASE}.json", "w", encoding="utf-8") as f:
    json.dump({"version": sys.version, "cache_tag": sys.implementation.cache_tag, "problem": problem,
               "imported": len(imported), "compiled": len(compiled), "failed": failed}, f)
"""


def node_major(node: str) -> int | None:
    """The major version of the Node at ``node`` (``v20.1.0`` -> 20), or None if it does not answer."""
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.fullmatch(r"v(\d+)\..*", out)
    return int(match.group(1)) if match else None


def _pyodide_core_dir(cache: Path, log: Log) -> Path:
    """The npm package's files unpacked once into ``cache/pyc/core-VERSION`` (Node loads Pyodide from there)."""
    _, version, _ = npm_pin(PINS / "npm.txt")
    core = cache / "pyc" / f"core-{version}"
    if not (core / "pyodide.mjs").is_file():
        tmp = core.with_name(core.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        with tarfile.open(pyodide_core(cache, log)) as tar:
            for member in tar.getmembers():
                name = member.name.removeprefix("package/")
                if member.isfile() and "/" not in name:
                    (tmp / name).write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
        shutil.rmtree(core, ignore_errors=True)
        tmp.replace(core)
    return core


def compiled_name(file_name: str, pycs: dict[str, bytes], keep_source: bool) -> str:
    """The file name of a wheel once it holds bytecode without its source: a pure wheel (``x-1-py3-none-any.whl``)
    then runs on CPython 3.14 only (``x-1-cp314-none-any.whl``); otherwise the name stays."""
    if keep_source or not pycs:
        return file_name
    parts = file_name[: -len(".whl")].split("-")
    if parts[-2] == "none" and parts[-1] == "any":
        parts[-3] = "cp" + PYTHON_VERSION.replace(".", "")
    return "-".join(parts) + ".whl"


def compiled_wheel(source: Path, out_dir: Path, pycs: dict[str, bytes], *, keep_source: bool) -> Path:
    """Repack the wheel ``source`` into ``out_dir`` with the bytecode ``pycs`` (member ``a/b.py`` -> its .pyc).

    ``keep_source``: the ``.py`` stays and the bytecode goes to ``a/__pycache__/b.cpython-314.pyc``. Otherwise each
    compiled ``.py`` is replaced by ``a/b.pyc`` (sourceless, as in Pyodide's own wheels), and a pure wheel is
    renamed by :func:`compiled_name`, its WHEEL tag to match. RECORD is rewritten; sorted, fixed dates: same
    inputs, same bytes.
    """
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    dist_info = next(n.split("/", 1)[0] for n in files if n.split("/", 1)[0].endswith(".dist-info"))
    for name, pyc in pycs.items():
        if not name.endswith(".py") or name not in files:
            raise LiteBuildError(f"{source.name}: bytecode for {name}, which is not a Python file of the wheel")
        if keep_source:
            folder, _, stem = name[: -len(".py")].rpartition("/")
            files[f"{folder}/__pycache__/{stem}.{PYC_CACHE_TAG}.pyc".lstrip("/")] = pyc
        else:
            del files[name]
            files[name + "c"] = pyc
    out_name = compiled_name(source.name, pycs, keep_source)
    if out_name != source.name:
        tag = out_name[: -len(".whl")].split("-", 2)[2]
        if f"{dist_info}/WHEEL" not in files:
            raise LiteBuildError(f"{source.name} has no {dist_info}/WHEEL")
        wheel_meta = files[f"{dist_info}/WHEEL"].decode("utf-8")
        lines = [line for line in wheel_meta.splitlines() if not line.startswith("Tag:")]
        files[f"{dist_info}/WHEEL"] = ("\n".join([*lines, f"Tag: {tag}"]) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_wheel(out_dir / out_name, files, dist_info)


def compiled_stdlib(source: Path, out: Path, pycs: dict[str, bytes]) -> Path:
    """``python_stdlib.zip`` with each compiled ``.py`` replaced by its ``.pyc`` (zipimport loads those without
    the source); other entries kept. Sorted, fixed dates: same inputs, same bytes."""
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    for name, pyc in pycs.items():
        if name not in files:
            raise LiteBuildError(f"{source.name}: bytecode for {name}, which the zip does not hold")
        del files[name]
        files[name + "c"] = pyc
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(files):
            _zip_write(zf, name, files[name])
    return out


def precompile(pyodide_dir: Path, wheels: list[Path], cache: Path, log: Log) -> list[Path]:
    """Ship bytecode for the modules a lesson imports first: wheels in ``pyodide_dir`` and its
    ``python_stdlib.zip`` are replaced by copies holding those modules compiled; returns the new wheel list.

    CPython compiles every module it imports from source, and in WebAssembly that was most of the time before
    the first diagram (docs/lite.md). Pyodide itself does the compiling, in Node (``lite/pycompile.mjs``), since
    bytecode is tied to the interpreter version (3.14 here); it first runs :data:`PYC_WORKLOAD` to learn which
    modules are imported. Only those are compiled (the rest, e.g. plotly's classes for other trace types, stay
    source: compiling everything made the site 9 MB bigger). The kit's own modules keep their source too. The
    result is cached in ``cache/pyc`` by the sha256 of all inputs. Without Node (>= 18), or if the step fails,
    the build goes on with source files, says so, and the site works, only slower to start.
    """
    node = shutil.which("node")
    major = node_major(node) if node else None
    if node is None or major is None or major < NODE_MIN_MAJOR:
        found = f"Node {major}" if major else "no Node"
        log(f"NOTE: {found} found; precompiling the Python files needs Node >= {NODE_MIN_MAJOR} "
            "(apt-get install nodejs). The site ships source files and takes longer to its first diagram.")
        return wheels
    _, version, core_sha = npm_pin(PINS / "npm.txt")
    stdlib = pyodide_dir / "python_stdlib.zip"
    items = [*sorted(wheels, key=lambda w: w.name), stdlib]
    digest = hashlib.sha256("\n".join([core_sha, PYC_SCRIPT, PYC_WORKLOAD, *PRELOAD, *PYC_KEEP_SOURCE]).encode())
    for path in items:
        digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    out_dir = cache / "pyc" / digest.hexdigest()[:24]
    if not (out_dir / "done.json").is_file():
        for old in (cache / "pyc").glob("*"):
            if old.is_dir() and not old.name.startswith("core-"):
                shutil.rmtree(old)  # one compiled set kept: the cache stays the size of one site
        work = cache / "pyc" / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        spec = []
        for i, path in enumerate(items):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.endswith(".py"):
                        target = work / "src" / str(i) / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(zf.read(name))
            spec.append({"dir": f"src/{i}", "prefix": PYC_STDLIB_PREFIX if path == stdlib else PYC_SITE_PREFIX,
                         "ranges": path != stdlib and _wheel_name_version(path.name)[0] in PYC_KEEP_SOURCE})
        (work / "jobs.json").write_text(json.dumps(spec), encoding="utf-8")
        (work / "compile.py").write_text(PYC_SCRIPT, encoding="utf-8")
        (work / "workload.py").write_text(PYC_WORKLOAD, encoding="utf-8")
        lock = work / "pyodide-lock.json"
        core = _pyodide_core_dir(cache, log)
        write_lock(core / "pyodide-lock.json", wheels, lock)
        load = {"lockFile": str(lock), "packageBaseUrl": str(pyodide_dir), "packages": list(PRELOAD)}
        (work / "load.json").write_text(json.dumps(load), encoding="utf-8")
        try:
            _run([node, str(PINS / "pycompile.mjs"), str(core), str(work)],
                 f"compiling the imported Python files with Pyodide {version} in Node {major}", log)
            bare, ranges = (json.loads((work / f"result-{p}.json").read_text(encoding="utf-8"))
                            for p in ("bare", "ranges"))
            result = {**bare, "compiled": bare["compiled"] + ranges["compiled"],
                      "failed": bare["failed"] + ranges["failed"]}
        except (LiteBuildError, OSError, ValueError) as exc:
            log(f"NOTE: precompiling failed, so the site ships source files (slower to its first diagram): {exc}")
            return wheels
        if result["cache_tag"] != PYC_CACHE_TAG:
            raise LiteBuildError(f"Pyodide {version} runs {result['cache_tag']}, lite.py expects {PYC_CACHE_TAG}")
        if result["problem"]:
            log(f"NOTE: the bytecode workload stopped early (fewer modules precompiled):\n{result['problem']}")
        if result["failed"]:
            log(f"kept as source (did not compile): {', '.join(result['failed'][:10])}")
        tmp = out_dir.with_name(out_dir.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for i, path in enumerate(items):
            root = work / "src" / str(i)
            pycs = {p.relative_to(root).as_posix()[:-1]: p.read_bytes() for p in sorted(root.rglob("*.pyc"))}
            if path == stdlib:
                compiled_stdlib(path, tmp / path.name, pycs)
            else:
                keep = _wheel_name_version(path.name)[0] in PYC_KEEP_SOURCE
                compiled_wheel(path, tmp, pycs, keep_source=keep)
        (tmp / "done.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(out_dir, ignore_errors=True)
        tmp.replace(out_dir)
        shutil.rmtree(work, ignore_errors=True)
    done = json.loads((out_dir / "done.json").read_text(encoding="utf-8"))
    for path in items:
        path.unlink()
    new = sorted(p for p in out_dir.iterdir() if p.suffix in (".whl", ".zip"))
    for path in new:
        shutil.copyfile(path, pyodide_dir / path.name)
    log(f"precompiled {done['compiled']} of the {done['imported']} modules the first lesson imports "
        f"(Pyodide {version}, cached in {out_dir.relative_to(cache)})")
    return [pyodide_dir / p.name for p in new if p.suffix == ".whl"]


# --------------------------------------------------------------------------- notebooks


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


# --------------------------------------------------------------------------- downloads (the only network use)


Log = Callable[[str], None]


def _run(cmd: list[str], what: str, log: Log, **kwargs) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise LiteBuildError(f"{what} failed (exit {proc.returncode}):\n{tail}")


def build_venv(cache: Path, log: Log) -> Path:
    """The build venv in ``cache/build-venv`` with ``lite/requirements-build.txt``; remade when the pins change."""
    venv = cache / "build-venv"
    pins = PINS / "requirements-build.txt"
    stamp = venv / ".pins-sha256"
    want = hashlib.sha256(pins.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == want and (venv / "bin" / "jupyter-lite").exists():
        return venv
    log(f"making the build venv {venv} (once; about a minute)")
    shutil.rmtree(venv, ignore_errors=True)
    _run([sys.executable, "-m", "venv", str(venv)], "creating the build venv", log)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(pins)],
         f"pip install -r {pins} (needs PyPI once)", log)
    stamp.write_text(want + "\n")
    return venv


def pyodide_core(cache: Path, log: Log) -> Path:
    """The npm tarball of the Pyodide core, fetched once with ``npm pack`` and checked against its pinned sha256."""
    package, version, sha = npm_pin(PINS / "npm.txt")
    tgz = cache / f"{package}-{version}.tgz"
    if not tgz.is_file() or hashlib.sha256(tgz.read_bytes()).hexdigest() != sha:
        npm = shutil.which("npm")
        if npm is None:
            raise LiteBuildError(f"npm is needed once to fetch {package}@{version} (apt-get install npm)")
        cache.mkdir(parents=True, exist_ok=True)
        _run([npm, "pack", f"{package}@{version}", "--pack-destination", str(cache)], f"npm pack {package}@{version}",
             log)
    got = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if got != sha:
        raise LiteBuildError(f"{tgz.name} has sha256 {got}, lite/npm.txt pins {sha}")
    return tgz


def _wheel_name_version(file_name: str) -> tuple[str, str]:
    """(canonical name, version) from a wheel's file name, e.g. ``typing_extensions-4.16.0-py3-none-any.whl``."""
    parts = file_name.split("-")
    return (canonical(parts[0]), parts[1]) if len(parts) >= 5 else ("", "")


def pure_wheel(name: str, version: str, cache: Path, log: Log) -> Path:
    """A py3-none-any wheel of ``name``'s Python files from its source distribution (``lite/pure.txt``): for a
    package with no browser wheel whose pure-Python fallback works in Pyodide (MarkupSafe); same source, same
    bytes."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{canonical(name).replace('-', '_')}-{version}-py3-none-any.whl"
    if out.is_file():
        return out
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    found = [p for p in sdists.glob("*.tar.gz") if canonical(p.name.rsplit("-", 1)[0]) == canonical(name)
             and p.name.endswith(f"-{version}.tar.gz")]
    if not found:
        _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:",
              "-d", str(sdists), f"{name}=={version}"],
             f"downloading the source of {name}=={version} (needs PyPI once)", log)
        found = [p for p in sdists.glob("*.tar.gz") if p.name.endswith(f"-{version}.tar.gz")
                 and canonical(p.name.rsplit("-", 1)[0]) == canonical(name)]
    if len(found) != 1:
        raise LiteBuildError(f"expected one source archive for {name}=={version} in {sdists}, found {len(found)}")
    package = canonical(name).replace("-", "_")
    files: dict[str, bytes] = {}
    with tarfile.open(found[0]) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and package in parts and (member.name.endswith(".py") or parts[-1] == "py.typed"):
                inner = "/".join(parts[parts.index(package):])
                files[inner] = tar.extractfile(member).read()  # type: ignore[union-attr]
    if f"{package}/__init__.py" not in files:
        raise LiteBuildError(f"the source of {name}=={version} holds no {package}/__init__.py")
    dist_info = f"{package}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: sciatica-edu lite\nRoot-Is-Purelib: true\n"
                                   b"Tag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = f"{package}\n".encode()
    return _write_wheel(out, files, dist_info)


def browser_wheels(cache: Path, log: Log) -> list[Path]:
    """The wheels of ``lite/wheels.txt`` in ``cache/wheels``, downloaded (once, without dependencies) if missing."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    found: list[Path] = []
    def matching(name: str, version: str) -> list[Path]:
        return [p for p in folder.glob("*.whl") if _wheel_name_version(p.name) == (canonical(name), version)]

    for name, version in read_pins(PINS / "wheels.txt"):
        have = matching(name, version)
        if not have:
            _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                  "--python-version", PYTHON_VERSION, "--implementation", "cp", "--abi", "cp314", "--abi", "none",
                  "--platform", WHEEL_PLATFORM, "--platform", "any", "-d", str(folder), f"{name}=={version}"],
                 f"downloading {name}=={version} (needs PyPI once)", log)
            have = matching(name, version)
        if len(have) != 1:
            raise LiteBuildError(f"expected one wheel for {name}=={version} in {folder}, found {len(have)}")
        found.append(have[0])
    found += [pure_wheel(name, version, cache, log) for name, version in read_pins(PINS / "pure.txt")]
    return found


# --------------------------------------------------------------------------- the site


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
        },
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


def stage(lite_dir: Path, notebooks: Path, cache: Path, venv: Path, log: Log, *, bytecode: bool = True) -> None:
    """Lay out ``lite_dir`` for ``jupyter lite build``: config, notebooks, the Pyodide core, wheels and lock."""
    shutil.rmtree(lite_dir, ignore_errors=True)
    files = lite_dir / "files"
    files.mkdir(parents=True)
    for path in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb = session_notebook(nb) if path.name == SESSION_NOTEBOOK else lite_notebook(nb)
        (files / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
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
        wheels.append(slim_wheel(wheel, pyodide / wheel.name, (TESTS_DROP, *SLIM.get(name, ()))))
    kernel = venv / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static"
    for wheel in sorted((kernel / "pypi").glob("*.whl")):
        if wheel.name.startswith(KERNEL_WHEELS):
            wheels.append(Path(shutil.copy2(wheel, pyodide / wheel.name)))
    wheels.append(kit_wheel(pyodide))
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
               bytecode: bool = True) -> Path:
    """Build the offline JupyterLite site into ``out`` (replaced); returns ``out``.

    ``bytecode=False`` ships the Python files as source only (no Node needed; slower to the first diagram), for
    comparison (benchmarks/lite_load.py).

    Downloads (PyPI, npm) happen only while ``cache`` lacks a pinned file; after that the build is offline.
    """
    out = Path(out).resolve()
    cache = Path(cache).resolve()
    if out == REPO or REPO.is_relative_to(out) or out == Path(notebooks).resolve():
        raise LiteBuildError(f"refusing to replace {out}: give a new folder such as site-lite/")
    cache.mkdir(parents=True, exist_ok=True)
    venv = build_venv(cache, log)
    lite_dir = cache / "stage"
    stage(lite_dir, Path(notebooks), cache, venv, log, bytecode=bytecode)
    tmp_out = out.with_name(out.name + ".building")
    shutil.rmtree(tmp_out, ignore_errors=True)
    # SOURCE_DATE_EPOCH: jupyter lite build clamps the notebooks' listed dates to it (same site bytes each build).
    env = dict(os.environ, JUPYTERLITE_NO_LIBARCHIVE="1", SOURCE_DATE_EPOCH=str(SOURCE_DATE_EPOCH))
    env.pop("JUPYTERLITE_PYODIDE_URL", None)
    _run([str(venv / "bin" / "jupyter"), "lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(tmp_out),
          "--contents", str(lite_dir / "files"), *(f"--apps={app}" for app in APPS), "--no-sourcemaps",
          "--no-unused-shared-packages"],
         "jupyter lite build", log, cwd=lite_dir, env=env)
    open_start(tmp_out / "index.html")
    for app in APPS:
        preload_plotly(tmp_out / app / "index.html")
        start_kernel_early(tmp_out / app / "index.html")
    static = tmp_out / "static" / "sciatica-edu"  # browser.SITE_PLOTLY_JS: plain figures' plotly.js
    static.mkdir(parents=True, exist_ok=True)
    for name in ("plotly-basic.min.js", "plotly-basic.LICENSE.txt"):
        shutil.copy2(REPO / "sciatica_edu" / "static" / name, static / name)
    shutil.rmtree(tmp_out / ".cache", ignore_errors=True)
    for junk in tmp_out.glob(".jupyterlite.doit.db*"):
        junk.unlink()
    precompress(tmp_out)
    shutil.rmtree(out, ignore_errors=True)
    tmp_out.replace(out)
    plain, packed = site_bytes(out)
    log(f"wrote {out}: {plain / 1e6:.1f} MB ({packed / 1e6:.1f} MB gzipped)")
    return out


# --------------------------------------------------------------------------- serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs, ``name.gz`` sent as ``name`` when the browser takes gzip,
    and a content hash as ETag, so a browser revalidates each file with one small request and a rebuilt site is
    never mixed with stale files (jupyter lite build gives every file the same fixed mtime)."""

    use_gzip = True
    # HTTP/1.1: Chromium trusts an ETag only on 1.1 responses (on 1.0 it refetched every file on every visit).
    protocol_version = "HTTP/1.1"
    extensions_map = {  # noqa: RUF012 (class attribute of the stdlib handler)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".ipynb": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()  # folders (index.html), 404s
        twin = path.with_name(path.name + ".gz")
        packed = self.use_gzip and twin.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
        body = twin if packed else path
        etag = f'"{_etag(body)}"'
        if etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        handle = open(body, "rb")  # noqa: SIM115 (the base class closes it after copying)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(body.stat().st_size))
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if IMMUTABLE.search(self.path.split("?", 1)[0]):
            self.send_header("Cache-Control", "max-age=31536000, immutable")  # a new content gets a new name
        else:
            self.send_header("Cache-Control", "no-cache")  # keep, but ask (ETag) before reuse
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("SCIATICA_EDU_LITE_LOG"):
            super().log_message(format, *args)


_ETAGS: dict[tuple, str] = {}


def _etag(path: Path) -> str:
    """sha256 (first 32 hex digits) of a file's bytes, remembered per (path, inode, size, mtime, ctime)."""
    st = path.stat()
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _ETAGS:
        _ETAGS[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    return _ETAGS[key]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # a browser that closed the page mid-download
            return
        super().handle_error(request, client_address)


def make_server(site: Path, port: int, *, gzip: bool = True,
                handler_class: type[_Handler] = _Handler) -> http.server.ThreadingHTTPServer:
    """A threaded static server for ``site`` on 127.0.0.1:``port`` (0: the OS picks a free port); ``gzip=False``
    ignores the ``.gz`` twins (as a plain static host would)."""
    if not (Path(site) / "jupyter-lite.json").is_file():
        raise LiteBuildError(f"{site} is not a JupyterLite site (no jupyter-lite.json): run `make lite` first")
    handler_class = type("Handler", (handler_class,), {"use_gzip": gzip})
    handler = partial(handler_class, directory=str(site))
    return _Server(("127.0.0.1", port), handler)


def serve(site: Path, port: int) -> None:
    """Serve ``site`` on http://127.0.0.1:``port`` until Ctrl+C."""
    server = make_server(site, port)
    print(f"JupyterLite site at http://127.0.0.1:{server.server_address[1]}/  (press Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
