"""What stacking the patient figure's views costs in the browser (issue 14): prints measured numbers, asserts nothing.

The exported figure (``diagram.static_html``) in headless Chromium: the page is made narrow and wide again,
``--rounds`` times; each time, the main thread's time in the fit script's relayout (``narrowLayout`` then
``Plotly.relayout``, timed inside the page) and the time to the next animation frame. Median and max of each,
and for scale a whole new ``Plotly.newPlot`` of the figure (what a rebuild would cost the page).

Run: .venv/bin/python benchmarks/phone_layout.py [--rounds 10]
Uses Debian's Chromium (/usr/bin/chromium) and the harness of tests/browser (same flags, offline guard).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - the harness lives with the tests

from sciatica_edu import diagram  # noqa: E402
from sciatica_edu.figures import plotlyjs  # noqa: E402
from sciatica_edu.model.scenario import Compression  # noqa: E402

#: JS: wrap Plotly.relayout so each call's main-thread time and the time to the following frame are recorded.
TIMING_JS = """() => {
  window.__times = [];
  const relayout = Plotly.relayout;
  Plotly.relayout = function (gd, edit) {
    const t0 = performance.now();
    const out = relayout.apply(this, arguments);
    const t1 = performance.now();
    requestAnimationFrame(() => window.__times.push({n: Object.keys(edit).length, js: t1 - t0,
                                                      frame: performance.now() - t0}));
    return out;
  };
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    fragment = diagram.static_html(Compression("L4-L5", "central", "both", 0.9))
    html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><script>{plotlyjs.plotly_js()}</script></head>'
            f"<body>{fragment}</body></html>")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "phone.html"
        page_file.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    env={**os.environ, "HOME": tmp})
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(page_file.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_timeout(500)
        page.evaluate(TIMING_JS)
        for _ in range(args.rounds):
            for width in (390, 1366):
                page.set_viewport_size({"width": width, "height": 768 if width > 390 else 844})
                page.wait_for_timeout(300)
        times = page.evaluate("() => window.__times")
        rebuild = page.evaluate("""async () => {  // for scale: drawing the whole (wide) figure again
          const gd = document.querySelector('.js-plotly-plot'), out = [];
          for (let i = 0; i < 5; i++) {
            const t0 = performance.now();
            await Plotly.newPlot(gd, gd.data, gd.layout, gd._context);
            out.push(performance.now() - t0);
          }
          return out;
        }""")
        browser.close()
    narrow, wide = times[0::2], times[1::2]
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds 1366 -> 390 -> 1366 px")
    for name, got in (("to stacked (390 px)", narrow), ("back to wide (1366 px)", wide)):
        js = [t["js"] for t in got]
        frame = [t["frame"] for t in got]
        print(f"{name}: {got[0]['n']} relayout values; Plotly.relayout median {statistics.median(js):.0f} ms, "
              f"max {max(js):.0f} ms; to the next frame median {statistics.median(frame):.0f} ms, "
              f"max {max(frame):.0f} ms")
    print(f"for scale, Plotly.newPlot of the wide figure: median {statistics.median(rebuild):.0f} ms, "
          f"max {max(rebuild):.0f} ms")


if __name__ == "__main__":
    main()
