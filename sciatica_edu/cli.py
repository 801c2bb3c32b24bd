"""The ``sciatica-edu`` command: ``present`` (Voilà session view), ``handout`` (one HTML file), ``export`` (site).

Errors in the arguments print one line on stderr and exit with code 2, never a traceback;
heavy imports (plotly, Voilà, nbconvert) wait until the arguments are known to be good.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from sciatica_edu import __version__

__all__ = ["find_notebooks_dir", "main", "voila_command"]

SESSION_NOTEBOOK = "10-clinician-session.ipynb"
DEFAULT_PORT = 8866
LITE_PORT = 8000
#: Environment variable naming the folder of notebooks (overrides the search below).
NOTEBOOKS_ENV = "SCIATICA_EDU_NOTEBOOKS"
#: Environment variable the session view reads for the folder its "Make handout" button writes to.
HANDOUT_DIR_ENV = "SCIATICA_EDU_HANDOUT_DIR"
#: Environment variable telling the session view that the Voila template serves the figures' front-end code.
WIDGET_CODE_ENV = "SCIATICA_EDU_VOILA_WIDGET_CODE"
#: Where the template serves the figures' front-end (``widgets.figure_widget_code``), under ``{base_url}voila/``.
WIDGET_CODE_PATH = "templates/sciatica/static/figure-widget.js"


class UsageError(Exception):
    """A bad argument: reported as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (no usage dump) and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 1024 to 65535, not {text!r}") from None
    if not 1024 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 1024 to 65535, not {port}")
    return port


def _severity(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"severity must be a number from 0 to 1, not {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its own function so tests and docs can inspect it)."""
    parser = _Parser(prog="sciatica-edu", description="sciatica-edu: session view, take-home handouts, course export.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    present = sub.add_parser(
        "present",
        help="show the clinician session view in the browser (Voila, code hidden, 127.0.0.1 only)",
        description="Serve notebooks/10-clinician-session.ipynb with Voila on 127.0.0.1, code hidden, offline.",
    )
    present.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    present.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    present.add_argument(
        "--notebook",
        type=Path,
        help=f"the session notebook (default: {SESSION_NOTEBOOK} in ${NOTEBOOKS_ENV}, ./notebooks or the checkout)",
    )
    present.add_argument(
        "--handouts",
        type=Path,
        help="folder the 'Make handout' button writes to (default: ~/sciatica-edu-handouts)",
    )

    handout = sub.add_parser(
        "handout",
        help="write a one-file take-home handout (HTML) for one disc bulge",
        description="Write one self-contained HTML handout: diagram, description, what helps, red flags, sources.",
    )
    handout.add_argument("--disc", required=True, help="disc level, e.g. L4-L5 or L5-S1")
    handout.add_argument("--zone", default="paracentral", help="where the bulge points (default paracentral)")
    handout.add_argument("--side", default="left", help="left, right or both (default left)")
    handout.add_argument("--severity", type=_severity, default=0.6, help="0 (none) to 1 (severe), default 0.6")
    handout.add_argument("--out", type=Path, required=True, help="the HTML file to write, e.g. handout.html")

    export = sub.add_parser(
        "export",
        help="run every notebook and write them as static HTML pages with an index",
        description="Run every notebook in notebooks/; write static HTML pages (no kernel, no CDN) and an index.",
    )
    export.add_argument("--out", type=Path, required=True, help="folder to write the site into, e.g. site/")
    export.add_argument("--notebooks", type=Path, help="folder of notebooks (default: as for present)")
    export.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    _add_lite_parsers(sub)
    return parser


def _add_lite_parsers(sub) -> None:
    """``lite`` (build the offline JupyterLite site) and ``lite-serve`` (serve it on 127.0.0.1)."""
    lite = sub.add_parser(
        "lite",
        help="build the kit as an offline JupyterLite site (runs in any browser, no install)",
        description="Build a self-contained JupyterLite site: the notebooks, the kernel (Pyodide) and every wheel "
        "it loads, from pinned versions. Downloads happen once into the cache; later builds are offline.",
    )
    lite.add_argument("--out", type=Path, required=True, help="folder to write the site into, e.g. site-lite/")
    lite.add_argument("--notebooks", type=Path, help="folder of notebooks (default: as for present)")
    lite.add_argument("--cache", type=Path, help="download cache (default: .cache/lite in the checkout)")
    serve = sub.add_parser(
        "lite-serve",
        help="serve a built JupyterLite site on 127.0.0.1",
        description="Serve the site `sciatica-edu lite` wrote (pre-compressed files, .mjs/.wasm types) on 127.0.0.1.",
    )
    serve.add_argument("--site", type=Path, default=Path("site-lite"), help="the site folder (default site-lite)")
    serve.add_argument("--port", type=_port, default=LITE_PORT, help=f"port to serve on (default {LITE_PORT})")


def find_notebooks_dir(explicit: Path | None = None) -> Path:
    """The folder of the course notebooks.

    Notebooks are the course, not package data: they live in the repository's ``notebooks/``.
    Search order: ``explicit``, ``$SCIATICA_EDU_NOTEBOOKS``, ``./notebooks``, then the checkout
    this package was installed from (an editable install or a plain checkout).
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(explicit)
    elif os.environ.get(NOTEBOOKS_ENV):
        candidates.append(Path(os.environ[NOTEBOOKS_ENV]))
    else:
        candidates += [Path.cwd() / "notebooks", Path(__file__).resolve().parent.parent / "notebooks"]
    for folder in candidates:
        if folder.is_dir():
            return folder.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise UsageError(
        f"sciatica-edu: error: no notebooks folder found (tried {tried}); "
        f"run from the sciatica-edu checkout or set {NOTEBOOKS_ENV}"
    )


def _session_notebook(explicit: Path | None) -> Path:
    if explicit is not None:
        if explicit.suffix != ".ipynb":
            raise UsageError(f"sciatica-edu present: error: --notebook {explicit} is not an .ipynb file")
        if not explicit.is_file():
            raise UsageError(f"sciatica-edu present: error: --notebook {explicit} does not exist")
        return explicit.resolve()
    path = find_notebooks_dir() / SESSION_NOTEBOOK
    if not path.is_file():
        raise UsageError(f"sciatica-edu present: error: {path} is missing")
    return path


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def voila_template_root() -> Path:
    """Make a Jupyter data folder holding the offline Voila template ``sciatica`` (based on ``lab``).

    Voila finds templates under ``<JUPYTER_PATH>/voila/templates/<name>/``; the package ships
    the files flat in ``sciatica_edu/templates``, so they are laid out in a temporary folder.
    It also serves the figures' front-end (``widgets.figure_widget_code``, about 1.2 MB) as a file, so the
    widget state sent over the websocket carries a short loader instead (see ``session``). The caller
    removes the folder.
    """
    root = Path(tempfile.mkdtemp(prefix="sciatica-edu-voila-"))
    target = root / "voila" / "templates" / "sciatica"
    (target / "static").mkdir(parents=True)
    source = resources.files("sciatica_edu") / "templates"
    (target / "index.html.j2").write_text((source / "voila-index.html.j2").read_text(encoding="utf-8"), "utf-8")
    (target / "conf.json").write_text('{"base_template": "lab"}\n', encoding="utf-8")
    (target / "static" / Path(WIDGET_CODE_PATH).name).write_text(served_widget_code(), encoding="utf-8")
    return root


def served_widget_code() -> str:
    """The body diagram's front-end (``widgets.figure_widget_code``: plotly.js basic and the kit's widget
    code), served once by the page instead of sent in each figure's widget state."""
    from sciatica_edu.widgets import figure_widget_code

    return figure_widget_code()


def voila_command(notebook: Path, port: int, *, open_browser: bool) -> list[str]:
    """The Voila command line: 127.0.0.1 only, code hidden, offline template, a kernel kept warm."""
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    cmd = [voila] if voila else [sys.executable, "-m", "voila"]
    cmd += [
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=sciatica",
        "--theme=light",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # A kernel runs the notebook before the first visit, so the diagram appears at once.
        "--VoilaConfiguration.preheat_kernel=True",
        # The next visit's kernel starts 3 s after a page takes the warm one (Voila's default: 1 s), when that
        # page has drawn: starting it sooner made the page compete with it for the CPU (about 0.4 s slower).
        "--VoilaKernelManager.fill_delay=3",
        # The session draws with FigureWidgets only (their code preloaded, see voila_template_root); JupyterLab's
        # plotly renderer would parse another 4.8 MB on every load before the widgets start.
        "--VoilaConfiguration.extension_denylist=['jupyterlab-plotly']",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def voila_env(template_root: Path, handout_dir: Path | None = None) -> dict[str, str]:
    """The environment for Voila and its kernels: our template first on JUPYTER_PATH, the handout folder,
    and where the template serves plotly's widget code (when it does)."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(template_root), env.get("JUPYTER_PATH", "")) if p)
    if handout_dir is not None:
        env[HANDOUT_DIR_ENV] = str(handout_dir)
    if (template_root / "voila" / WIDGET_CODE_PATH).is_file():
        env[WIDGET_CODE_ENV] = WIDGET_CODE_PATH
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _present(args: argparse.Namespace) -> int:
    notebook = _session_notebook(args.notebook)
    if not _port_free(args.port):
        raise UsageError(f"sciatica-edu present: error: port {args.port} is in use; choose another with --port")
    handouts = args.handouts.expanduser().resolve() if args.handouts else None
    if handouts is not None and handouts.exists() and not handouts.is_dir():
        raise UsageError(f"sciatica-edu present: error: --handouts {handouts} is not a folder")
    root = voila_template_root()
    try:
        cmd = voila_command(notebook, args.port, open_browser=not args.no_browser)
        print(f"Session view at http://127.0.0.1:{args.port}/  (press Ctrl+C to stop)", file=sys.stderr)
        proc = subprocess.Popen(cmd, cwd=notebook.parent, env=voila_env(root, handouts))
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # stop on TERM as on Ctrl+C
        try:
            return proc.wait()
        except KeyboardInterrupt:
            # Ctrl+C in a terminal (or a TERM to the process group) reaches Voila too: let it shut
            # its kernels down; a second signal would break that shutdown. If it lingers, stop it.
            for sig, wait in ((None, 3), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                if sig is not None:
                    proc.send_signal(sig)
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _raise_interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _handout(args: argparse.Namespace) -> int:
    from sciatica_edu.scenario import Compression

    try:
        compression = Compression(disc=args.disc, zone=args.zone, side=args.side, severity=args.severity)
    except ValueError as exc:
        raise UsageError(f"sciatica-edu handout: error: {exc}") from None
    out: Path = args.out
    if out.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"sciatica-edu handout: error: --out must end in .html, not {str(out)!r}")
    if out.is_dir():
        raise UsageError(f"sciatica-edu handout: error: --out {out} is a folder; give a file name ending in .html")
    if not out.parent.resolve().is_dir():
        raise UsageError(f"sciatica-edu handout: error: folder {out.parent} does not exist")

    from sciatica_edu import handout

    path = handout.write_handout(compression, out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


def _export(args: argparse.Namespace) -> int:
    notebooks = find_notebooks_dir(args.notebooks)
    if args.timeout <= 0:
        raise UsageError("sciatica-edu export: error: --timeout must be a positive number of seconds")
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"sciatica-edu export: error: --out {out} exists and is not a folder")
    if not any(notebooks.glob("[0-9][0-9]-*.ipynb")):
        raise UsageError(f"sciatica-edu export: error: no NN-name.ipynb notebooks in {notebooks}")

    from sciatica_edu import export

    pages = export.export_site(notebooks, out, timeout=args.timeout, log=lambda line: print(line, file=sys.stderr))
    print(f"wrote {len(pages)} pages and index.html to {out}")
    return 0


def _lite(args: argparse.Namespace) -> int:
    notebooks = find_notebooks_dir(args.notebooks)
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"sciatica-edu lite: error: --out {out} exists and is not a folder")
    if args.cache is not None and args.cache.exists() and not args.cache.is_dir():
        raise UsageError(f"sciatica-edu lite: error: --cache {args.cache} exists and is not a folder")
    from sciatica_edu import lite

    try:
        lite.build_site(out, notebooks=notebooks, cache=args.cache or lite.DEFAULT_CACHE,
                        log=lambda line: print(line, file=sys.stderr))
    except lite.LiteBuildError as exc:
        print(f"sciatica-edu lite: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote the JupyterLite site to {out}; serve it with: sciatica-edu lite-serve --site {out}")
    return 0


def _lite_serve(args: argparse.Namespace) -> int:
    if not (args.site / "jupyter-lite.json").is_file():
        raise UsageError(f"sciatica-edu lite-serve: error: {args.site} is not a built site; run `make lite` first")
    if not _port_free(args.port):
        raise UsageError(f"sciatica-edu lite-serve: error: port {args.port} is in use; choose another with --port")
    from sciatica_edu import lite

    lite.serve(args.site, args.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sciatica-edu`` console script; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        command = {"present": _present, "handout": _handout, "export": _export, "lite": _lite,
                   "lite-serve": _lite_serve}[args.command]
        return command(args)
    except UsageError as exc:
        print(str(exc).splitlines()[0], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: one line, never a traceback
        print(f"sciatica-edu: error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
