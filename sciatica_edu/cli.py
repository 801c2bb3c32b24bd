"""The ``sciatica-edu`` command: ``present`` (Voilà session view), ``handout`` (one HTML file), ``export`` (site).

Errors in the arguments print one line on stderr and exit with code 2, never a traceback;
heavy imports (plotly, Voilà, nbconvert) wait until the arguments are known to be good.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sciatica_edu import __version__
from sciatica_edu._files import NOTEBOOKS_ENV, NotebooksNotFound, find_notebooks
from sciatica_edu.present import (
    SESSION_NOTEBOOK,
    _port_free,
    localized_notebook,
    session_token,
    session_url,
    voila_command,
    voila_env,
    voila_template_root,
)

__all__ = ["find_notebooks_dir", "main"]

DEFAULT_PORT = 8866
LITE_PORT = 8000


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


#: Environment variable choosing the locale (uk, us, intl) of everything the kit writes or shows.
LOCALE_ENV = "SCIATICA_EDU_LOCALE"
LOCALE_CHOICES = ("uk", "us", "intl")


def _add_locale(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        choices=LOCALE_CHOICES,
        help=f"whose emergency numbers and services the advice gives: uk (default), us or intl "
        f"(default: ${LOCALE_ENV}, else uk)",
    )


def _locale(args: argparse.Namespace, command: str) -> str:
    """The locale for this run: --locale, else $SCIATICA_EDU_LOCALE, else the data's default (uk)."""
    from sciatica_edu.facts import locales

    try:
        return locales.resolve(args.locale)
    except ValueError as exc:  # a bad $SCIATICA_EDU_LOCALE
        raise UsageError(f"sciatica-edu {command}: error: {exc}") from None


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
    _add_locale(present)

    handout = sub.add_parser(
        "handout",
        help="write a one-file take-home handout (HTML) for one disc bulge",
        description="Write one self-contained HTML handout: diagram, description, what helps, red flags, sources.",
    )
    handout.add_argument("--preset", help="a preset id of data/presets.yaml, e.g. central-stenosis (not with --disc)")
    handout.add_argument("--disc", help="disc level, e.g. L4-L5 or L5-S1 (required unless --preset)")
    handout.add_argument("--zone", default="paracentral", help="where the bulge points (default paracentral)")
    handout.add_argument("--side", help="left, right or both (default left; both for a central bulge)")
    handout.add_argument("--severity", type=_severity, default=0.6, help="0 (none) to 1 (severe), default 0.6")
    handout.add_argument("--cause", default="disc_herniation", help="what presses: disc_herniation (default), "
                         "spinal_stenosis, degenerative_disc, spondylolisthesis or bone_spur")
    handout.add_argument("--onset", default="new", help="new (default) or long_standing")
    handout.add_argument("--felt", action="append", default=[], metavar="REGION:SIDE",
                         help="where the patient feels it, marked on the picture, e.g. big_toe:left (repeatable)")
    handout.add_argument("--plan", action="append", default=[], metavar="TEXT",
                         help="a line of the patient's plan (repeatable); start it with 'activity:', 'pain relief:' "
                         "or 'exercises:' to fill that line, anything else is a note")
    handout.add_argument("--follow-up", metavar="YYYY-MM-DD", help="the date of the next appointment")
    _add_locale(handout)
    handout.add_argument(
        "--out", type=Path, help="the HTML file to write (default: a name saying what it shows, numbered if taken)"
    )
    handout.add_argument("--force", action="store_true", help="replace --out if it exists")

    export = sub.add_parser(
        "export",
        help="run every notebook and write them as static HTML pages with an index",
        description="Run every notebook in notebooks/; write static HTML pages (no kernel, no CDN) and an index.",
    )
    export.add_argument("--out", type=Path, required=True, help="folder to write the site into, e.g. site/")
    export.add_argument("--notebooks", type=Path, help="folder of notebooks (default: as for present)")
    export.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    export.add_argument("--executed", type=Path, help="folder of these notebooks already run in the export's mode "
                        "(make test leaves them in build/executed): one whose run there is of its code is not rerun")
    _add_locale(export)
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
    """The folder of the course notebooks (``_files.find_notebooks``); none found is a usage error."""
    try:
        return find_notebooks(explicit)
    except NotebooksNotFound as exc:
        raise UsageError(f"sciatica-edu: error: {exc}") from None


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


def _present(args: argparse.Namespace) -> int:
    notebook = _session_notebook(args.notebook)
    if not _port_free(args.port):
        raise UsageError(f"sciatica-edu present: error: port {args.port} is in use; choose another with --port")
    handouts = args.handouts.expanduser().resolve() if args.handouts else None
    if handouts is not None and handouts.exists() and not handouts.is_dir():
        raise UsageError(f"sciatica-edu present: error: --handouts {handouts} is not a folder")
    locale = _locale(args, "present")
    root = voila_template_root()
    try:
        served = localized_notebook(notebook, root, locale)
        cmd = voila_command(served, args.port, open_browser=not args.no_browser)
        token = session_token()
        print(f"Session view at {session_url(args.port, token)}  (advice for locale {locale}; press Ctrl+C to stop)",
              file=sys.stderr)
        proc = subprocess.Popen(cmd, cwd=notebook.parent, env=voila_env(root, handouts, token, locale))
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


class _Stopped(BaseException):
    """SIGINT or SIGTERM arrived: a BaseException so that no ``except Exception`` (a notebook's failure) holds it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum, _frame) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):  # one signal is enough; a second must not break the clean-up
        signal.signal(sig, signal.SIG_IGN)
    raise _Stopped(signum)


def _stop_child_processes(timeout: float = 2.0) -> None:
    """End every process this one started (nbclient's kernels): politely, then for good."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


def _exit_now(code: int) -> None:
    """Leave at once after a stop signal: nbclient's atexit clean-up and asyncio's notes about the interrupted
    tasks would print tracebacks about kernels that are already ended."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_stoppable(command: str, work: Callable[[], int]) -> int:
    """Run ``work``; on Ctrl+C (SIGINT) or SIGTERM stop at once: kernels ended, one line, exit 130 or 143.

    The signal raises where the work is, so nothing is written after it; files are written through a
    temporary name (``_files.write_text_atomic``), so nothing is left half-written.
    """
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return work()
    except _Stopped as stop:
        for sig in previous:  # nbclient may have put the default handlers back: a second signal waits too
            signal.signal(sig, signal.SIG_IGN)
        _stop_child_processes()
        name = "Ctrl+C" if stop.signum == signal.SIGINT else signal.Signals(stop.signum).name
        print(f"sciatica-edu {command}: stopped by {name}; no file was left half-written", file=sys.stderr)
        _exit_now(128 + stop.signum)
        return 128 + stop.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _short_path(path: Path) -> str:
    """A path for an error message: at most about 60 characters (``_errors.shown``)."""
    from sciatica_edu._errors import shown

    return shown(str(path))


def _writable_folder(folder: Path, what: str) -> None:
    """Raise a UsageError about ``what`` unless a file can be created in ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".sciatica-edu-probe-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"{what}: cannot write in {_short_path(folder)} ({reason}); choose another --out") from None


def _handout_compression(args: argparse.Namespace):
    """The scenario a handout shows: a preset (``--preset``), or ``--disc`` and the rest."""
    from sciatica_edu.model.scenario import Compression

    try:
        if args.preset is not None:
            if args.disc is not None:
                raise ValueError("give --preset or --disc, not both")
            from sciatica_edu.model.presets import preset

            return preset(args.preset).compression
        if args.disc is None:
            raise ValueError("give --disc (e.g. --disc L4-L5) or --preset (e.g. --preset central-stenosis)")
        return Compression(disc=args.disc, zone=args.zone, side=args.side, severity=args.severity,
                           cause=args.cause, onset=args.onset)
    except ValueError as exc:
        raise UsageError(f"sciatica-edu handout: error: {exc}") from None


#: ``--plan`` prefixes that fill a named line of the plan (anything else is a note).
PLAN_FIELDS = {"activity": "activity", "pain relief": "pain_relief", "exercises": "exercises"}


def _handout_felt_and_plan(args: argparse.Namespace):
    """``--felt REGION:SIDE``, ``--plan TEXT`` and ``--follow-up YYYY-MM-DD`` as checked values."""
    import datetime as dt

    from sciatica_edu._errors import shown
    from sciatica_edu.pages import handout

    prog = "sciatica-edu handout: error"
    pairs = []
    for item in args.felt:
        region, sep, side = item.partition(":")
        if not sep:
            raise UsageError(f"{prog}: --felt takes REGION:SIDE, e.g. big_toe:left, not {shown(item)}")
        pairs.append((region.strip(), side.strip()))
    fields: dict[str, object] = {"notes": []}
    for line in args.plan:
        key, sep, text = line.partition(":")
        name = PLAN_FIELDS.get(key.strip().lower()) if sep else None
        if name:
            fields[name] = text.strip()
        else:
            fields["notes"].append(line.strip())  # type: ignore[union-attr]
    if args.follow_up is not None:
        try:
            fields["follow_up"] = dt.date.fromisoformat(args.follow_up)
        except ValueError:
            raise UsageError(f"{prog}: --follow-up takes a date as YYYY-MM-DD, e.g. 2026-12-14, "
                             f"not {shown(args.follow_up)}") from None
    fields["notes"] = tuple(fields["notes"])  # type: ignore[arg-type]
    try:
        return handout.check_felt(pairs), handout.Plan(**fields)  # type: ignore[arg-type]
    except ValueError as exc:
        word = "--felt" if "region" in str(exc) or "side" in str(exc) else "--plan"
        raise UsageError(f"{prog}: {word}: {exc}") from None


def _handout(args: argparse.Namespace) -> int:
    def work() -> int:
        from sciatica_edu.pages import handout

        prog = "sciatica-edu handout: error"
        compression = _handout_compression(args)
        locale = _locale(args, "handout")
        felt, plan = _handout_felt_and_plan(args)
        out: Path = args.out if args.out is not None else Path(handout.handout_filename(compression))
        if out.suffix.lower() not in (".html", ".htm") or out.name.lower() in (".html", ".htm"):
            raise UsageError(f"{prog}: --out must end in .html and name a file, not {_short_path(out)}")
        if out.is_dir():
            raise UsageError(f"{prog}: --out {_short_path(out)} is a folder; give a file name ending in .html")
        if not out.parent.resolve().is_dir():
            raise UsageError(f"{prog}: --out folder {_short_path(out.parent)} does not exist")
        if args.out is not None and out.exists() and not args.force:
            raise UsageError(f"{prog}: --out {_short_path(out)} exists; add --force to replace it or choose another")
        _writable_folder(out.parent, prog)
        try:
            path = handout.write_handout(compression, out, locale=locale, overwrite=args.force, felt=felt, plan=plan)
        except OSError as exc:
            raise UsageError(f"{prog}: cannot write --out {_short_path(out)} ({exc.strerror or exc})") from None
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
        return 0

    return run_stoppable("handout", work)


#: What a course export leaves in its folder; a folder holding ``manifest.json`` is a previous export.
EXPORT_MANIFEST = "manifest.json"


def _export_target(out: Path, prog: str) -> None:
    """Refuse an --out that would overwrite the user's own files: it must be new, empty or a previous export."""
    if out.name.lower().endswith((".html", ".htm")):
        raise UsageError(f"{prog}: --out is the folder to write the site into, not an .html file ({_short_path(out)})")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{prog}: --out {_short_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / EXPORT_MANIFEST).is_file():
        raise UsageError(
            f"{prog}: --out {_short_path(out)} is not empty and holds no earlier export ({EXPORT_MANIFEST}); "
            "choose a new or empty folder"
        )


def _export(args: argparse.Namespace) -> int:
    def work() -> int:
        prog = "sciatica-edu export: error"
        notebooks = find_notebooks_dir(args.notebooks)
        if args.timeout <= 0:
            raise UsageError(f"{prog}: --timeout must be a positive number of seconds")
        out: Path = args.out
        _export_target(out, prog)
        if args.executed is not None and not args.executed.is_dir():
            raise UsageError(f"{prog}: --executed {_short_path(args.executed)} is not a folder")
        if not any(notebooks.glob("[0-9][0-9]-*.ipynb")):
            raise UsageError(f"{prog}: no NN-name.ipynb notebooks in {_short_path(notebooks)}")
        _writable_folder(out, prog)
        locale = _locale(args, "export")

        from sciatica_edu.pages import export

        try:
            pages = export.export_site(
                notebooks, out, timeout=args.timeout, locale=locale, executed=args.executed,
                log=lambda line: print(line, file=sys.stderr),
            )
        except OSError as exc:
            if exc.filename is None or Path(exc.filename).parent.resolve() != out.resolve():
                raise
            raise UsageError(f"{prog}: cannot write in --out {_short_path(out)} ({exc.strerror or exc})") from None
        print(f"wrote {len(pages)} pages and index.html to {out}")
        return 0

    return run_stoppable("export", work)


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
