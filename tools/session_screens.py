"""Screenshots and measurements of the clinician session view (Voila) at projector and laptop sizes.

    .venv/bin/python tools/session_screens.py [--out docs/img] [--name session] [--sizes 1366x768 1920x1080]

Starts ``sciatica-edu present`` on a free port of 127.0.0.1 (handouts into a temporary folder), opens it in
Debian's Chromium at each size, waits until the body diagram is drawn, saves ``<name>-<W>x<H>.png`` (the
viewport, as a person sees it on load) and prints where the diagram, the presets, the controls, the handout
button and the red-flag strip are, and the smallest text drawn on the diagram (rendered px). Offline: any
request to another host is aborted and reported.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = Path(sys.executable).parent

#: JS: bounding boxes (x, y, w, h, rounded) of the parts a clinician needs at once, and the smallest text size
#: drawn on the diagram and its key, in rendered px (computed font size times the plot's on-screen scale).
MEASURE_JS = """
() => {
  const box = (sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  };
  const gd = document.querySelector('.sciatica-session .js-plotly-plot');
  let minText = null, scale = null;
  if (gd) {
    scale = gd.getBoundingClientRect().width / gd.offsetWidth;
    for (const t of gd.querySelectorAll('svg text')) {
      if (!t.textContent.trim()) continue;
      const cs = getComputedStyle(t);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.fillOpacity) === 0
          || cs.fill === 'rgba(0, 0, 0, 0)') continue;
      const px = parseFloat(cs.fontSize) * scale;
      if (minText === null || px < minText[0]) minText = [Math.round(px * 10) / 10, t.textContent.trim()];
    }
  }
  return {viewport: [innerWidth, innerHeight], scroll: [scrollX, scrollY],
          diagram: box('.sciatica-session .js-plotly-plot'), scale: scale && Math.round(scale * 1000) / 1000,
          presets: box('.sciatica-presets'), controls: box('.sciatica-controls, .sciatica-session .widget-dropdown'),
          slider: box('.sciatica-session .widget-slider'), handout: box('.sciatica-handout-button, .mod-primary'),
          strip: box('.sciatica-redflag-strip'), min_text_px: minText};
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(notebook: Path, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (tmp / "voila.log").open("wb")
    proc = subprocess.Popen([str(BIN / "sciatica-edu"), "present", "--port", str(port), "--no-browser",
                             "--notebook", str(notebook), "--handouts", str(tmp / "handouts")],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    """Stop ``present`` and its kernels (its own process group; kernels are in sessions of their own)."""
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        children = []
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    _, alive = psutil.wait_procs(children, timeout=5)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


def shoot(url: str, out: Path, name: str, sizes: list[tuple[int, int]], tmp: Path,
          probes: tuple[str, ...] = (), step: str = "") -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []

    def route(r):
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            r.fallback()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS,
                                    env={"XDG_CONFIG_HOME": f"{tmp}/c", "XDG_CACHE_HOME": f"{tmp}/k", "HOME": str(tmp)})
        for w, h in sizes:
            page = browser.new_page(viewport={"width": w, "height": h})
            page.route("**/*", route)
            page.goto(url + "/")
            page.locator(".sciatica-session .js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=180_000)
            page.wait_for_timeout(1500)
            if step:
                page.locator(".sciatica-steps").get_by_role("button", name=step).click()
                page.wait_for_timeout(1500)
            target = out / f"{name}-{w}x{h}.png"
            page.screenshot(path=str(target))
            print(target, f"{target.stat().st_size // 1024} KB")
            print(json.dumps(page.evaluate(MEASURE_JS)))
            for js in probes:
                print(json.dumps(page.evaluate(js)))
            page.close()
        browser.close()
    if blocked:
        raise SystemExit(f"requests tried to leave the machine: {blocked}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="test-artefacts/session", help="folder for the PNGs")
    parser.add_argument("--name", default="session", help="file name start: <name>-<W>x<H>.png")
    parser.add_argument("--notebook", type=Path, default=Path(__file__).resolve().parents[1] / "notebooks"
                        / "10-clinician-session.ipynb")
    parser.add_argument("--sizes", nargs="*", default=["1366x768", "1920x1080"])
    parser.add_argument("--step", default="", help="the step to show (its button's name), e.g. 'What is pressing'")
    parser.add_argument("--probe", nargs="*", default=[], help="JavaScript functions to evaluate and print")
    ns = parser.parse_args()
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in ns.sizes]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start(ns.notebook, Path(tmp))
        try:
            shoot(url, Path(ns.out), ns.name, sizes, Path(tmp), tuple(ns.probe), ns.step)
        finally:
            stop(proc)


if __name__ == "__main__":
    main()
