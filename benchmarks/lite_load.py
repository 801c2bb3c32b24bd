"""The JupyterLite site's load (issue 17): bytes sent and time to the diagram, cold and warm. Prints, asserts nothing.

Serves a built site (``make lite``) on 127.0.0.1 with ``sciatica_edu.lite``'s server, which counts every body
byte it sends, and opens a notebook (default 03) in Debian's Chromium with the browser tests' flags. Any request
to another host is reported (watched, not blocked: Playwright turns the HTTP cache off for a routed context, and
the warm load measures that cache; the browser tests block them). Three loads:

1. cold, gzip: a fresh browser profile (empty cache), the server sending the pre-compressed ``.gz`` twins;
2. warm: the same browser, a new page (a later visit; the first page closed): files come from its HTTP cache,
   each revalidated (ETag, most answer 304);
3. cold, no gzip: a fresh profile, the server ignoring the twins (as a plain static host would).

Each load: navigation start -> notebook UI -> kernel idle -> Run All -> first cell output -> body diagram drawn
(every region polygon of the first plot drawn) -> all cells run. Target: cold (gzip) <= 25 MB and <= 12 s to
the diagram, warm <= 4 s, on 2 cores.

Run: .venv/bin/python benchmarks/lite_load.py [--site site-lite] [--notebook 03-where-you-feel-it.ipynb]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS, Guard, expected_region_keys, region_fills  # noqa: E402

from sciatica_edu import lite  # noqa: E402


class Counting(lite._Handler):
    """The site's handler, adding each response's body bytes and status to the server's tally."""

    def send_response(self, code, message=None):
        self.server.tally["requests"] += 1
        self.server.tally[f"status {code}"] += 1
        super().send_response(code, message)

    def copyfile(self, source, outputfile):
        data = source.read()
        self.server.tally["bytes"] += len(data)
        kind = Path(self.path.split("?")[0]).suffix or "(none)"
        self.server.tally[f"bytes {kind}"] += len(data)
        outputfile.write(data)


def serve(site: Path, gzip: bool):
    server = lite.make_server(site, 0, gzip=gzip, handler_class=Counting)
    server.tally = collections.Counter()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def open_browser(playwright, profile: Path, timeout_ms: int):
    """A fresh Chromium profile (empty cache); returns (context, guard)."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(profile / "config"), XDG_CACHE_HOME=str(profile / "cache"))
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=str(profile / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env,
        headless=True, viewport={"width": 1400, "height": 1000}, service_workers="block",
    )
    context.set_default_timeout(timeout_ms)
    # Requests are watched, not routed: Playwright turns the HTTP cache off for a routed context, and the warm
    # load is about that cache. The server listens on 127.0.0.1 only; anything else is reported below.
    guard = Guard()
    context.on("request", lambda r: None if guard.allowed(r.url) else guard.blocked.append(r.url))
    return context, guard


def load(context, guard, url: str, notebook: str) -> dict:
    """One visit in a new page of ``context``; returns the times (s) from navigation start."""
    for old in context.pages:
        old.close()
    page = context.new_page()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    page.goto(f"{url}/lab/index.html?path={notebook}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    times["notebook UI"] = time.perf_counter() - t0
    page.wait_for_function(
        "() => !!window.jupyterapp && /Python \\(Pyodide\\) \\| Idle/.test("
        "(document.querySelector('#jp-main-statusbar') || {innerText: ''}).innerText.replace(/\\s+/g, ' '))"
    )
    times["kernel idle"] = time.perf_counter() - t0
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".jp-CodeCell .jp-OutputArea-output")
    times["first cell output"] = time.perf_counter() - t0
    gd = page.wait_for_selector(".js-plotly-plot")
    want = expected_region_keys()
    while not set(region_fills(gd)) >= want:
        page.wait_for_timeout(50)
    times["diagram drawn"] = time.perf_counter() - t0
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const cells = w && w.content ? w.content.widgets : [];"
        " const code = cells.filter((c) => c.model.type === 'code');"
        " return code.length > 0 && code.every((c) => c.model.executionCount !== null); }"
    )
    times["all cells run"] = time.perf_counter() - t0
    if guard.blocked:
        print(f"  REQUESTS TO OTHER HOSTS: {guard.blocked[:5]}")
    return times


def report(name: str, times: dict, tally: collections.Counter) -> None:
    print(f"{name}: {tally['bytes'] / 1e6:.1f} MB in {tally['requests']} responses "
          f"({tally['status 200']} x 200, {tally['status 304']} x 304)")
    print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
    big = sorted(((k.split(" ", 1)[1], v) for k, v in tally.items() if k.startswith("bytes ")), key=lambda kv: -kv[1])
    print("  by type: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in big[:6]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site-lite", help="a built site (make lite)")
    parser.add_argument("--notebook", default="03-where-you-feel-it.ipynb")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per load (default 300)")
    args = parser.parse_args()
    if not (args.site / "jupyter-lite.json").is_file():
        print(f"{args.site} is not a built site: run `make lite` first", file=sys.stderr)
        return 2
    if not (args.site / "files" / args.notebook).is_file():
        print(f"{args.notebook} is not in {args.site}/files", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {os.cpu_count()} cores; {args.notebook}")
    ms = args.timeout * 1000
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        gz = serve(args.site, gzip=True)
        url = f"http://127.0.0.1:{gz.server_address[1]}"
        context, guard = open_browser(p, Path(tmp) / "a", ms)
        report("cold, gzip", load(context, guard, url, args.notebook), gz.tally)
        gz.tally.clear()
        report("warm (same browser, new page: its cache, revalidated)", load(context, guard, url, args.notebook),
               gz.tally)
        context.close()
        gz.shutdown()
        plain = serve(args.site, gzip=False)
        url = f"http://127.0.0.1:{plain.server_address[1]}"
        context, guard = open_browser(p, Path(tmp) / "b", ms)
        report("cold, no gzip", load(context, guard, url, args.notebook), plain.tally)
        context.close()
        plain.shutdown()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
