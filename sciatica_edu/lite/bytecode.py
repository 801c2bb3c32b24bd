"""Bytecode of the lite build: the modules a lesson imports first, compiled at build time by the pinned Pyodide
running in Node (``lite/pycompile.mjs``), and the wheels and standard library repacked to ship that bytecode.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

from sciatica_edu.lite.config import (
    NODE_MIN_MAJOR,
    PINS,
    PRELOAD,
    PYC_CACHE_TAG,
    PYC_KEEP_SOURCE,
    PYC_SITE_PREFIX,
    PYC_STDLIB_PREFIX,
    PYTHON_VERSION,
    LiteBuildError,
    Log,
    _run,
    npm_pin,
)
from sciatica_edu.lite.downloads import _wheel_name_version, pyodide_core
from sciatica_edu.lite.wheels import _write_wheel, _zip_write, write_lock

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
            raise LiteBuildError(
                f"Pyodide {version} runs {result['cache_tag']}, sciatica_edu.lite expects {PYC_CACHE_TAG}")
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
