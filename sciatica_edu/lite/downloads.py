"""Downloads of the lite build (its only network use, once per cache): the build venv, the Pyodide core's npm
tarball (sha256-checked), the browser's pinned wheels and pure-Python wheels made from source archives.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tarfile
from pathlib import Path

from sciatica_edu.lite.config import (
    LICENCE_FILE,
    PINS,
    PYTHON_VERSION,
    WHEEL_PLATFORM,
    LiteBuildError,
    Log,
    _run,
    canonical,
    npm_pin,
    read_pins,
)
from sciatica_edu.lite.wheels import _write_wheel


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
    # made again on every build (a few ms, same bytes) so a wheel cached by an older build gains what this adds
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
    licences: dict[str, bytes] = {}  # the source's own licence files, at its top level
    pkg_info = ""
    with tarfile.open(found[0]) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and package in parts and (member.name.endswith(".py") or parts[-1] == "py.typed"):
                inner = "/".join(parts[parts.index(package):])
                files[inner] = tar.extractfile(member).read()  # type: ignore[union-attr]
            elif member.isfile() and len(parts) == 2 and parts[1] == "PKG-INFO":
                pkg_info = tar.extractfile(member).read().decode("utf-8", "replace")  # type: ignore[union-attr]
            elif member.isfile() and len(parts) == 2 and LICENCE_FILE.match(parts[1]):
                licences[parts[1]] = tar.extractfile(member).read()  # type: ignore[union-attr]
    if f"{package}/__init__.py" not in files:
        raise LiteBuildError(f"the source of {name}=={version} holds no {package}/__init__.py")
    dist_info = f"{package}-{version}.dist-info"
    # the licence as the source states it (PKG-INFO), and its licence files: the wheel is redistributed
    stated = [line for line in pkg_info.splitlines()
              if line.startswith(("License-Expression:", "Classifier: License ::"))]
    files[f"{dist_info}/METADATA"] = "\n".join(
        ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}", *stated,
         *(f"License-File: {n}" for n in sorted(licences)), ""]).encode()
    for licence_name, data in licences.items():
        files[f"{dist_info}/licenses/{licence_name}"] = data
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
