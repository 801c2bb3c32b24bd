"""Three plain files at the browser build's root, for whoever hosts it (a course organiser, a hospital IT team):

- ``README.txt``: what the folder is, how to host it, what it fetches and keeps (nothing), how to check a copy;
- ``THIRD-PARTY-NOTICES.txt``: every component the site ships, its version and licence, read from the shipped
  files themselves (wheel metadata, ``package.json``, the licence lists JupyterLite writes); only three are
  stated here, each fixed by what it is: CPython's standard library (PSF-2.0), the vendored plotly.js bundle
  (MIT, its licence file beside it) and this kit (README and LICENSE);
- ``SHA256SUMS``: the SHA-256 of every file, for ``sha256sum -c SHA256SUMS`` in the copied folder;

and ``HOSTING.md``, the repository's ``docs/hosting.md`` (server settings, updating), and ``.nojekyll``, which
tells GitHub Pages to serve the folder as it is.

A component whose files state no licence is listed as such: nothing is guessed.
"""

from __future__ import annotations

import collections
import email.parser
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

from sciatica_edu import __version__
from sciatica_edu.lite.config import LICENCE_FILE, PINS, PYTHON_VERSION, REPO, read_pins
from sciatica_edu.lite.wheels import _wheel_metadata

ABOUT = "README.txt"
NOTICES = "THIRD-PARTY-NOTICES.txt"
SUMS = "SHA256SUMS"
HOSTING = "HOSTING.md"
#: The hosting guide, one text for the repository and the site.
HOSTING_GUIDE = REPO / "docs" / "hosting.md"
NOT_STATED = "not stated in its metadata"


def wheel_licence(path: Path) -> tuple[str, str, str, list[str]]:
    """(name, version, licence, licence files in its dist-info) of the wheel at ``path``, from its METADATA:
    License-Expression, else a one-line License field, else the License classifiers, else ``NOT_STATED``."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta = email.parser.Parser().parsestr(_wheel_metadata(zf))
    dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")) + "/"
    files = sorted(n[len(dist_info):] for n in names
                   if n.startswith(dist_info) and LICENCE_FILE.match(n.rsplit("/", 1)[-1]))
    field = " ".join((meta.get("License") or "").split())
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    licence = (meta.get("License-Expression") or "").strip()
    if not licence and field and len(field) <= 60:
        licence = field
    if not licence and classifiers:
        licence = ", ".join(classifiers)
    return meta.get("Name", path.name), meta.get("Version", "?"), licence or NOT_STATED, files


def _package_json(path: Path) -> tuple[str, str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("name", path.parent.name), data.get("version", "?"), data.get("license") or NOT_STATED


def notices(site: Path) -> str:
    """The text of ``THIRD-PARTY-NOTICES.txt`` for the built ``site``."""
    lines = ["Third-party components of this site, with the licence each one's own files state",
             f"(\"{NOT_STATED}\" where they state none). The licence files named in brackets ship inside",
             "the component: a wheel's .dist-info folder, or the folder named.", ""]
    pyodide = site / "static" / "pyodide"
    name, version, licence = _package_json(pyodide / "package.json")
    lines += ["In the browser's Python (static/pyodide/):",
              f"  {name} {version} (the Python runtime, WebAssembly): {licence}",
              f"  CPython {PYTHON_VERSION} standard library (python_stdlib.zip): PSF-2.0"]
    for wheel in sorted(pyodide.glob("*.whl")):
        name, version, licence, files = wheel_licence(wheel)
        shipped = f" [{', '.join(files)}]" if files else ""
        if name == "sciatica-edu":
            continue  # this kit: its own line below
        lines.append(f"  {name} {version}: {licence}{shipped}")
    lines += ["", "In the page (JavaScript):"]
    plotly_js = site / "static" / "sciatica-edu" / "plotly-basic.min.js"
    if plotly_js.is_file():
        head = plotly_js.read_text(encoding="utf-8", errors="replace")[:400]
        m = re.search(r"plotly\.js \(basic - minified\) (v[\w.]+)", head)
        lines.append(f"  plotly.js basic bundle {m.group(1) if m else '?'} (static/sciatica-edu/): MIT"
                     " [plotly-basic.LICENSE.txt]")
    for package in sorted((site / "extensions").glob("**/package.json")):
        if "node_modules" in package.parts:
            continue
        name, version, licence = _package_json(package)
        lines.append(f"  {name} {version} ({package.parent.relative_to(site).as_posix()}/): {licence}")
    listed = site / "build" / "third-party-licenses.json"
    if listed.is_file():
        packages = json.loads(listed.read_text(encoding="utf-8")).get("packages", [])
        counts = collections.Counter(p.get("licenseId") or NOT_STATED for p in packages)
        summary = ", ".join(f"{n} {lic}" for lic, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        pins = dict(read_pins(PINS / "requirements-build.txt"))
        lines += [f"  JupyterLite {pins.get('jupyterlite-core', '?')} and JupyterLab (build/): {len(packages)} packages"
                  f" ({summary}); each one's licence text is in build/third-party-licenses.json"]
    lines += ["", f"This kit, sciatica-edu {__version__}: code MIT [its wheel's .dist-info/licenses/LICENSE];",
              "its text and data CC BY 4.0. The clinical sources it cites keep their own copyright.", ""]
    return "\n".join(lines)


def about(site: Path) -> str:
    """The text of ``README.txt`` for the built ``site``."""
    name, version, _ = _package_json(site / "static" / "pyodide" / "package.json")
    pins = dict(read_pins(PINS / "requirements-build.txt"))
    lessons = sum(1 for _ in (site / "files").glob("[0-9][0-9]-*.ipynb"))
    return "\n".join([
        f"sciatica-edu {__version__}: a teaching kit on sciatica that runs in the web browser",
        "",
        "What this folder is",
        f"  A complete website: the kit's {lessons} lessons as notebooks, with Python running inside the page",
        f"  (JupyterLite {pins.get('jupyterlite-core', '?')}, {name} {version}, Python {PYTHON_VERSION}). "
        "No install, no server-side code.",
        "  It is general information for teaching, not medical advice, and it cannot diagnose.",
        "",
        "How to host it",
        "  Copy the whole folder to any static web server (an intranet server, GitHub Pages, a course site)",
        "  and open its address, in any subfolder, over HTTP or HTTPS; it starts on 00-start-here.",
        "  Opening index.html from the disk (file://) does not work: browsers do not run its Python that way.",
        "  The server must send .mjs and .js files as text/javascript and .wasm as application/wasm:",
        "  without the .mjs type the lessons show but Python never starts. Send Cache-Control: no-cache,",
        "  and to update, replace the whole folder: otherwise readers may keep old files.",
        "  Each file that compresses well has a gzip twin (name.gz); a server that sends it with",
        "  Content-Encoding: gzip cuts the first visit from about 37 MB to about 23 MB.",
        f"  {HOSTING} gives the settings for nginx (tested), Apache, IIS and GitHub Pages, the",
        "  Content-Security-Policy the site needs, how to try it on one computer and how to update it.",
        "",
        "What it fetches and keeps",
        "  Every file comes from the server it is hosted on: nothing is fetched from any other address.",
        "  Nothing anyone types or chooses is sent anywhere or kept in the browser: edits live in the",
        "  open page and are gone when it is closed or reloaded (File > Download keeps a notebook).",
        "",
        "Checking a copy",
        f"  {SUMS} lists the SHA-256 of every file. In the copied folder, run: sha256sum -c {SUMS}",
        "",
        f"Licences: {NOTICES}.",
        "",
    ])


def write_notices(site: Path) -> None:
    """Write ``README.txt``, ``THIRD-PARTY-NOTICES.txt``, ``HOSTING.md`` and ``.nojekyll`` at the root of ``site``
    (before gzip twins are made)."""
    (site / ABOUT).write_text(about(site), encoding="utf-8")
    (site / NOTICES).write_text(notices(site), encoding="utf-8")
    shutil.copyfile(HOSTING_GUIDE, site / HOSTING)
    (site / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: no Jekyll, every file served as it is


def write_sums(site: Path) -> int:
    """Write ``SHA256SUMS`` (``sha256sum`` format, paths relative to ``site``, sorted) for every file but itself;
    return the number of files. Run it last, after the gzip twins."""
    rows = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() != SUMS):
        rows.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(site).as_posix()}\n")
    (site / SUMS).write_text("".join(rows), encoding="utf-8")
    return len(rows)
