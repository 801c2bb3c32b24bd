"""How much room the printed handout has left on its two pages (issue 14): prints measured numbers, asserts nothing.

For each handout (the browser test's cases, the longest plan among them) and each paper (A4, Letter), in headless
Chromium with print media and the page as wide as the paper's printable width:

- ``scroll``: the page's ``scrollHeight`` in CSS px, and the spare px against two printable page heights (the
  paper's height less the handout's 10 mm top and bottom margins, templates/handout.css). Page breaks that keep a
  section whole waste some of that, so it is an upper bound;
- ``pdf``: the pages Chromium prints (``page.pdf``) and, from ``pdftotext -bbox``, the px left under the last word
  of the last page (the room the sheet really has before it needs a third page).

``--png DIR`` keeps the PDFs there and writes their pages as PNGs (``pdftoppm -png -r 80``, and ``-gray``) to look at.

Run: .venv/bin/python benchmarks/handout_print_room.py [--png DIR] [--case eight-notes]
Uses Debian's Chromium (/usr/bin/chromium) with the browser tests' flags; file:// only, every other request is
aborted and reported.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - the harness lives with the tests

CLI = Path(sys.executable).parent / "sciatica-edu"
#: Paper (width, height) in mm; the handout's print margins are 10 mm top and bottom, 11 mm left and right.
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_MM = (10.0, 11.0)
PX_PER_MM = 96 / 25.4
PT_PER_PX = 0.75
#: The cases of tests/browser/test_handout_export.py::test_the_handout_prints_on_two_pages_of_a4_and_letter.
CASES = {
    "plain": ["--preset", "l5-s1-right"],
    "central-us": ["--disc", "L4-L5", "--zone", "central", "--severity", "0.85", "--locale", "us"],
    "stenosis-intl": ["--preset", "central-stenosis", "--locale", "intl"],
    "eight-notes": ["--preset", "l4-l5-left", "--felt", "big_toe:left", "--felt", "lateral_leg:left",
                    "--plan", "activity: keep walking every day, short walks to start, a bit further each day",
                    "--plan", "pain relief: ibuprofen as your pharmacist advises", "--plan",
                    "exercises: the sheet from the physiotherapist", "--follow-up", "2026-12-21",
                    *[arg for n in range(1, 9) for arg in
                      ("--plan", f"Note {n}: bring the list of your medicines and your questions to the next visit")]],
}


def last_word_bottom_pt(pdf: Path, page: int) -> float:
    """The lowest word's bottom edge on ``page`` of ``pdf``, in pt from the top of the sheet."""
    run = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', run.stdout)]
    return max(bottoms, default=0.0)


def measure(page, html: Path, paper: str, out: Path, png: Path | None, name: str) -> str:
    width_mm, height_mm = PAPERS[paper]
    page.set_viewport_size({"width": round((width_mm - 2 * MARGIN_MM[1]) * PX_PER_MM), "height": 1000})
    page.goto(html.as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g._fullLayout)")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    scroll = page.evaluate("() => document.documentElement.scrollHeight")
    two = 2 * (height_mm - 2 * MARGIN_MM[0]) * PX_PER_MM
    pdf = (png or out) / f"{name}-{paper}.pdf"
    pdf.write_bytes(page.pdf(format=paper, print_background=True))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    bottom_pt = last_word_bottom_pt(pdf, pages)
    room_px = ((height_mm - MARGIN_MM[0]) * PX_PER_MM) - bottom_pt / PT_PER_PX
    if png is not None:
        for extra, tag in (([], "colour"), (["-gray"], "grey")):
            subprocess.run(["pdftoppm", "-png", "-r", "80", *extra, str(pdf), str(png / f"{name}-{paper}-{tag}")],
                           check=True)
    return (f"{name:14s} {paper:6s} scrollHeight {scroll:5d} px of {two:6.0f} (spare {two - scroll:5.0f} px); "
            f"pdf {pages} page(s), {room_px:5.0f} px left under the last word of page {pages}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="default: every case")
    parser.add_argument("--png", type=Path, help="write each PDF's pages as PNGs (colour and grey) here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = Path(tmp)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    env={**os.environ, "HOME": tmp})
        page = browser.new_page()
        blocked: list[str] = []
        page.route("**/*", lambda r: r.fallback() if r.request.url.startswith(("file:", "data:", "blob:", "about:"))
                   else (blocked.append(r.request.url), r.abort("blockedbyclient")))
        if args.png is not None:
            args.png.mkdir(parents=True, exist_ok=True)
        for name in args.case or CASES:
            html = out / f"{name}.html"
            run = subprocess.run([str(CLI), "handout", *CASES[name], "--out", str(html)], capture_output=True,
                                 text=True, timeout=120)
            if run.returncode:
                print(f"{name}: the CLI failed: {run.stderr.strip()}")
                continue
            for paper in PAPERS:
                print(measure(page, html, paper, out, args.png, name), flush=True)
        browser.close()
    if blocked:
        print(f"requests blocked (the page reached outside the machine): {blocked}")


if __name__ == "__main__":
    main()
