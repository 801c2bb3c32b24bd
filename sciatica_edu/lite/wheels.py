"""Wheels and the lock file of the lite build: a wheel's dependencies and imports, ``pyodide-lock.json``,
deterministic wheel writing, the slimmed plotly/jedi/pygments wheels and the kit's own wheel (its data as JSON).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import zipfile
from collections.abc import Iterable
from pathlib import Path

from sciatica_edu import __version__
from sciatica_edu.lite.config import MARKER_ENV, OMITTED, PYGMENTS_KEEP, REPO, ZIP_DATE, LiteBuildError, canonical


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


def slim_wheel(source: Path, out: Path, drop: Iterable[re.Pattern], replace: dict[str, bytes] | None = None) -> Path:
    """Copy the wheel ``source`` to ``out`` without the files matching any of ``drop``, and with the files named
    in ``replace`` given those bytes (each must be in the wheel); RECORD rewritten."""
    drop = tuple(drop)
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/") and not any(p.search(n) for p in drop)}
    missing = sorted(set(replace or {}) - set(files))
    if missing:
        raise LiteBuildError(f"{source.name} has no {', '.join(missing)} to replace: check lite.REPLACE")
    files.update(replace or {})
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
        ["Metadata-Version: 2.4", "Name: sciatica-edu", f"Version: {__version__}", f"Summary: {project['description']}",
         f"License-Expression: {project['license']}", "License-File: LICENSE",
         f"Requires-Python: {project['requires-python']}", *requires, ""]
    ).encode()
    files[f"{dist_info}/licenses/LICENSE"] = (repo / "LICENSE").read_bytes()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: sciatica_edu.lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"sciatica_edu\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_wheel(out_dir / f"sciatica_edu-{__version__}-py3-none-any.whl", files, dist_info)
