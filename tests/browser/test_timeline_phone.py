"""05's timeline picture on the real exported page (issue 14, fourth review): on a 390 px phone the fixed-size figure
is scaled down whole (``fit_html``) and every word it draws is still 12 CSS px or more, with nothing scrolling
sideways; on a laptop it keeps its own size. Its stages are drawn in the data's order."""

from __future__ import annotations

import pytest

from sciatica_edu.facts import advice

from .test_phone_layout import LAPTOP, PHONE, PLOT

#: JS, given the plot div: its box, its own width, every drawn word with its size in CSS px (font size times the
#: figure's scale) and the smallest, and the page's scroll width.
MEASURE_JS = """
(gd) => {
  const r = gd.getBoundingClientRect(), scale = r.width / gd._fullLayout.width;
  const texts = [...gd.querySelectorAll('text')].filter((t) => t.textContent.trim())
    .map((t) => ({text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale}));
  return {plot: [r.left, r.top, r.right, r.bottom], width: gd._fullLayout.width, texts,
          smallest: texts.reduce((m, t) => (t.px < m.px ? t : m), {px: Infinity}),
          scroll: document.documentElement.scrollWidth};
}
"""

FIND_TIMELINE = f"""() => [...document.querySelectorAll('{PLOT}')].findIndex(
    (gd) => gd.layout && gd.layout.meta && gd.layout.meta.sciatica_edu === 'timeline')"""


def _measure(page, path, width: int) -> dict:
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(path.as_uri())
    page.wait_for_selector(f"{PLOT} .main-svg")
    page.wait_for_timeout(600)
    index = page.evaluate(FIND_TIMELINE)
    assert index >= 0, "05 has no timeline figure"
    return page.locator(PLOT).nth(index).evaluate(MEASURE_JS)


@pytest.mark.slow
def test_05s_timeline_reads_on_a_phone_and_keeps_its_size_on_a_laptop(file_browser, exported_site):
    page = file_browser.page
    path = next(exported_site.glob("05-*.html"))
    phone = _measure(page, path, PHONE)
    assert phone["smallest"]["px"] >= 12, phone["smallest"]
    assert phone["plot"][0] >= 0 and phone["plot"][2] <= PHONE + 0.5 and phone["scroll"] <= PHONE, phone["plot"]
    words = " ".join(t["text"] for t in phone["texts"])
    spots = [words.find(s.when) for s in advice.timeline()]
    assert -1 not in spots and spots == sorted(spots), spots
    file_browser.shot("timeline-05-phone", full_page=True)
    laptop = _measure(page, path, LAPTOP)
    assert round(laptop["plot"][2] - laptop["plot"][0]) == laptop["width"]  # not scaled on a wide screen
