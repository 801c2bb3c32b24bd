"""The printed handout's picture: every word at 8 pt or more on A4 and Letter (PEMAT-P item 18, issue 14), the spine
panel's at 9 pt or more (item 15).

Measured as Chromium prints it: print media, the page as wide as the paper's printable width, and for each word the
picture draws (SVG text that is shown) its font size times the scale the page draws it at (``getScreenCTM``), in CSS
px, times 0.75 for pt. The PDF Chromium prints is checked against that: the key's words there are as tall as the
measure says (pdftotext -bbox, so the print is not shrunk after layout). tests/browser/test_handout_export.py checks
that the sheet stays on two pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_edu.figures import printed

from .conftest import require_installed, wait_drawn

CLI = Path(sys.executable).parent / "sciatica-edu"
MIN_PT = 8.0
#: The spine panel's words (PEMAT-P item 15): 9 pt or more.
SPINE_MIN_PT = 9.0
#: Paper width and the handout's print margins (templates/handout.css: @page margin 10 mm 11 mm), in mm.
PAPERS = {"A4": 210.0, "Letter": 215.9}
SIDE_MARGINS_MM = 22.0
#: Every shown SVG word of every plot the page shows (a plot in a hidden box is not printed).
WORDS_JS = """() => {
  const rows = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.getClientRects().length) continue;
    for (const t of gd.querySelectorAll('text')) {
      const words = t.textContent.trim();
      if (!words) continue;
      let shown = true;
      for (let e = t; e && e !== gd.parentElement; e = e.parentElement) {
        const c = getComputedStyle(e);
        if (c.display === 'none' || c.visibility === 'hidden' || parseFloat(c.opacity) === 0) shown = false;
      }
      const fill = getComputedStyle(t).fill;
      if (!shown || /rgba\\([^)]*,\\s*0\\)$/.test(fill) || fill === 'transparent') continue;
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      const box = t.getBoundingClientRect(), plot = gd.getBoundingClientRect();
      rows.push({words: words, pt: px * 0.75, at: (box.left + box.width / 2 - plot.left) / plot.width});
    }
  }
  return rows;
}"""


def printed_words(page, paper: str) -> list[dict]:
    """The words of the printed picture with their size in pt, laid out at ``paper``'s printable width."""
    width = round((PAPERS[paper] - SIDE_MARGINS_MM) / 25.4 * 96)
    page.set_viewport_size({"width": width, "height": 1100})
    page.wait_for_timeout(300)
    return page.evaluate(WORDS_JS)


def too_small(rows: list[dict], min_pt: float = MIN_PT) -> list[str]:
    return [f"{r['words']!r}: {r['pt']:.2f} pt" for r in rows if r["pt"] < min_pt - 1e-6]


def test_the_size_check_can_fail():
    rows = [{"words": "milder", "pt": 9.75}, {"words": "disc", "pt": 4.5}]
    assert too_small(rows) == ["'disc': 4.50 pt"]


def pdf_word_heights(pdf: Path, word: str) -> list[float]:
    """Heights in pt of the boxes pdftotext gives ``word`` on the PDF's first page."""
    run = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, check=True)
    boxes = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">' + re.escape(word)
                       + "</word>", run.stdout)
    return [float(b) - float(a) for a, b in boxes]


@pytest.mark.parametrize(
    "argv",
    [["--disc", "L4-L5", "--zone", "central", "--severity", "0.85", "--locale", "us"],
     ["--preset", "l4-l5-left", "--felt", "big_toe:left", "--plan", "activity: walk 10 minutes, 3 times a day"]],
    ids=["both-legs-most-words", "one-leg-plan"],
)
def test_every_word_of_the_printed_picture_is_at_least_8_pt(file_browser, tmp_path, argv):
    require_installed([] if shutil.which("pdftotext") else ["pdftotext"], "poppler-utils (it reads the printed PDF)",
                      "poppler-utils")
    out = tmp_path / "handout.html"
    run = subprocess.run([str(CLI), "handout", *argv, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = file_browser.page
    page.goto(out.as_uri())
    page.locator(".js-plotly-plot").first.wait_for()
    wait_drawn(page, page.query_selector(".js-plotly-plot"))
    page.emulate_media(media="print")
    for paper in PAPERS:
        rows = printed_words(page, paper)
        words = " ".join(r["words"] for r in rows)
        assert "Key" in words and "stronger" in words, f"{paper}: the printed picture was not measured: {words[:200]}"
        assert too_small(rows) == [], paper
        # the spine panel's words: those whose middle is in its column (figures.printed._SPINE, of the plot's width)
        spine = [r for r in rows if printed._SPINE[0] <= r["at"] <= printed._SPINE[1]]
        spine_words = " ".join(r["words"] for r in spine)
        assert all(w in spine_words for w in ("Your spine", "L1", "L5", "sacrum", "LEFT", "RIGHT", "nerve root")), (
            f"{paper}: the spine panel was not measured: {spine_words}")
        assert too_small(spine, SPINE_MIN_PT) == [], paper
        print(f"{paper}: {len(spine)} words in the spine panel, the smallest {min(r['pt'] for r in spine):.2f} pt")
        smallest = min(r["pt"] for r in rows)
        print(f"\n{paper}: {len(rows)} words in the printed picture, the smallest {smallest:.2f} pt")
        pdf = file_browser.artefacts / f"handout-{paper}.pdf"
        pdf.write_bytes(page.pdf(format=paper, print_background=True))
        milder = next(r["pt"] for r in rows if r["words"] == "milder")
        heights = pdf_word_heights(pdf, "milder")
        # a word's box is about 1.1 times its font size: the PDF is printed at the size measured, not shrunk
        assert heights and all(milder * 1.0 <= h <= milder * 1.25 for h in heights), (paper, milder, heights)
