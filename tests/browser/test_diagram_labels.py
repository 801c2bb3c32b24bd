"""The diagram's labels, as Chromium draws them: no two overlap and none is cut off, at print and screen sizes.

The lumbar-spine panel (the body figure's inset and ``spine_figure``) carries level names, pointers ("disc",
"nerve root"), a caption that changes with the picture and the patient's left and right; at the handout's size
they used to run into each other and "disc" was cut off at the right edge. Each figure is written to a file with
plotly.js inlined and opened from file:// (nothing else may load); the test reads every visible text element's
box from the SVG.
"""

from __future__ import annotations

import pytest

from sciatica_edu import diagram
from sciatica_edu.figures import spine
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout
from sciatica_edu.widgets import session

#: JS: every visible text of the plot (annotations, text traces, titles) with its box in page px, and the
#: plot's own box. Transparent texts (captions and warnings not shown for this picture) are skipped.
TEXT_BOXES_JS = """
(gd) => {
  const out = [];
  for (const t of gd.querySelectorAll('svg text')) {
    const text = t.textContent.trim();
    if (!text) continue;
    const cs = getComputedStyle(t);
    const fill = t.style.fill || cs.fill;
    if (cs.visibility === 'hidden' || cs.display === 'none' || fill === 'rgba(0, 0, 0, 0)'
        || parseFloat(t.style.fillOpacity || cs.fillOpacity) === 0) continue;
    const r = t.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    out.push({text, x: r.x, y: r.y, w: r.width, h: r.height});
  }
  const b = gd.querySelector('svg.main-svg').getBoundingClientRect();
  return {texts: out, plot: {x: b.x, y: b.y, w: b.width, h: b.height}};
}
"""

#: Glyph boxes include the line's leading; this much overlap (px) is two lines touching, not text on text.
SLACK = 2.0


def overlaps(a: dict, b: dict) -> float:
    """The overlap of two boxes as min(overlap width, overlap height), in px (0 if apart)."""
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(0.0, min(w, h))


def check_labels(file_browser, tmp_path, name: str, figure, region: tuple[float, float] = (0.0, 1.0)) -> list[dict]:
    """Open ``figure`` in Chromium; fail on any two visible texts overlapping or any text outside the plot.

    ``region`` limits the overlap check to texts whose centre lies in that horizontal part of the plot
    (fractions of its width), e.g. (0.64, 1.0) for the body figure's spine panel and key.
    """
    path = tmp_path / f"{name}.html"
    figure.write_html(path, include_plotlyjs=True, full_html=True, config=diagram.CONFIG)
    page = file_browser.page
    page.goto(path.as_uri())
    gd = page.locator(".js-plotly-plot").first
    gd.locator("svg.main-svg").first.wait_for()
    found = gd.evaluate(TEXT_BOXES_JS)
    gd.screenshot(path=str(file_browser.artefacts / f"{name}.png"))
    plot = found["plot"]
    texts = found["texts"]
    assert texts, f"{name}: no text drawn"
    for t in texts:
        assert t["x"] >= plot["x"] - 0.5 and t["x"] + t["w"] <= plot["x"] + plot["w"] + 0.5 \
            and t["y"] >= plot["y"] - 0.5 and t["y"] + t["h"] <= plot["y"] + plot["h"] + 0.5, \
            f"{name}: {t['text']!r} is cut off at the figure's edge: {t} in {plot}"
    lo, hi = (plot["x"] + f * plot["w"] for f in region)
    mine = [t for t in texts if lo <= t["x"] + t["w"] / 2 <= hi]
    clashes = [(a["text"], b["text"], round(overlaps(a, b), 1))
               for i, a in enumerate(mine) for b in mine[i + 1:] if overlaps(a, b) > SLACK]
    assert not clashes, f"{name}: labels overlap (text, text, px): {clashes}"
    return mine


#: Pictures whose captions differ in length: one root, two roots, a central bulge reaching the sacral roots.
PICTURES = [p.compression for p in session.presets()] + [Compression("L5-S1", "central", "both", 1.0),
                                                          Compression("L3-L4", "far_lateral", "right", 0.3)]


@pytest.mark.parametrize("size", [handout.FIGURE_SIZE, (diagram.WIDTH, diagram.HEIGHT)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_spine_panel_labels_stay_clear_in_the_body_figure(file_browser, tmp_path, size):
    """The body figure at the handout's size and at its default size: the spine panel and key, every picture."""
    for i, c in enumerate(PICTURES):
        fig = diagram.body_figure(c, width=size[0], height=size[1])
        texts = check_labels(file_browser, tmp_path, f"body-{size[0]}-{i}", fig, region=(0.64, 1.0))
        shown = " ".join(t["text"] for t in texts)
        assert f"{c.disc} disc" in shown and "disc" in shown.split() and "nerve root" in shown, shown


@pytest.mark.parametrize("size", [session.SPINE_SIZE, spine.SPINE_SIZE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_spine_figure_labels_stay_clear(file_browser, tmp_path, size):
    """The larger spine drawing (the session's "What is pressing", the causes notebook) for every picture, and
    page 02's drawing with its parts named (a bone, a disc, a nerve root, the spinal canal)."""
    for i, c in enumerate(PICTURES):
        check_labels(file_browser, tmp_path, f"spine-{size[0]}-{i}", diagram.spine_figure(c, width=size[0],
                                                                                            height=size[1]))
    texts = check_labels(file_browser, tmp_path, f"spine-parts-{size[0]}",
                         diagram.spine_figure(parts=True, width=size[0], height=size[1]))
    shown = " ".join(t["text"] for t in texts)
    for word in ("vertebra", "disc", "nerve root", "spinal canal", "cauda equina", "sacrum", "L1", "L5"):
        assert word in shown, (word, shown)


def test_cause_figure_labels_stay_clear(file_browser, tmp_path):
    """The side view of each cause (page 04): its words, arrows' labels, title and caption, none on another and
    none cut off, and the plain words a patient needs to read it are all drawn."""
    from sciatica_edu.geometry.side import SHAPES

    for cause in SHAPES:
        texts = check_labels(file_browser, tmp_path, f"cause-{cause}", diagram.cause_figure(cause))
        shown = " ".join(t["text"] for t in texts)
        for word in ("front", "back", "disc", "nerve root", "spinal canal", "exit opening", "sacrum"):
            assert word in shown, (cause, word, shown)


#: Two words side by side on one line need at least this gap (px, as drawn): about a space at the session's size.
WORD_GAP = 6.0


def side_by_side_gap(a: dict, b: dict) -> float | None:
    """The horizontal gap (px, negative if they overlap) between two texts that share a line (their boxes overlap
    by more than half the lower one's height), else None."""
    v = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    if v <= 0.5 * min(a["h"], b["h"]):
        return None
    return max(b["x"] - (a["x"] + a["w"]), a["x"] - (b["x"] + b["w"]))


def test_session_diagram_words_stay_apart(file_browser, tmp_path):
    """The session's diagram as the session draws it (its text enlarged for across a desk, ``session_layout``), for
    every preset: no word on another, none cut off, and words that share a line at least a space apart. At 21 px
    "right" and "left" under the feet ran together ("rightleft"), and "nerve" touched the key's title."""
    for i, p in enumerate(session.presets()):
        fig = session.SessionView(p.compression).diagram.figure
        texts = check_labels(file_browser, tmp_path, f"session-{i}", fig)
        close = [(a["text"], b["text"], round(g, 1)) for j, a in enumerate(texts) for b in texts[j + 1:]
                 if (g := side_by_side_gap(a, b)) is not None and g < WORD_GAP]
        assert not close, f"{p.label}: words closer than {WORD_GAP} px on one line (text, text, gap): {close}"
