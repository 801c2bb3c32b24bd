"""The patient picture in Chromium: it fits the screen (no sideways scrolling at phone, small-laptop and laptop
widths), its three symptom patterns stay apart in greyscale, and its movement labels never cover each other.

Pages are opened from file:// (every other request fails the test). Pixels are read from Chromium's own
screenshots (PNG, decoded here with zlib: no imaging library needed).
"""

from __future__ import annotations

import struct
import zlib

import pytest

from sciatica_edu import diagram
from sciatica_edu.figures import plotlyjs
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout

from .conftest import open_html

PLOT = ".js-plotly-plot"
WIDTHS = (390, 1024, 1366)
L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.8)
#: The most movement labels at once: a severe central bulge at L3-L4 weakens eight movements on both legs.
MOST_LABELS = Compression("L3-L4", "central", "both", 1.0)


def _page(fragment: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<script>{plotlyjs.plotly_js()}</script></head><body>{fragment}</body></html>"
    )


def _open(file_browser, tmp_path, name: str, html: str, width: int = 1400) -> object:
    return open_html(file_browser, tmp_path, name, html, width)


# ---- fits the screen --------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_static_figure_and_handout_fit_the_screen(file_browser, tmp_path, width):
    """No sideways scrolling, and the whole picture (both views, the spine, the key, the red warning line) is
    inside the window: the figure scales down as a whole on narrow screens."""
    severe = Compression("L4-L5", "central", "both", 0.9)  # has the red "Go to A&E" line on the right
    pages = {
        "static": _page(diagram.static_html(severe)),
        "handout": handout.handout_html(severe),
    }
    for name, html in pages.items():
        page = _open(file_browser, tmp_path, name, html, width)
        page.set_viewport_size({"width": width, "height": 900})  # the resize handler runs too
        page.wait_for_timeout(200)
        file_browser.shot(f"{name}-{width}", full_page=True)
        sizes = page.evaluate(
            """() => {
              const svg = document.querySelector('.js-plotly-plot .main-svg').getBoundingClientRect();
              // the handout's paper copy (.print-figure) is kept off-screen on screen by design: not counted
              const warn = [...document.querySelectorAll('.js-plotly-plot .annotation')]
                .filter(a => !a.closest('.print-figure') && /Warning sign/.test(a.textContent))
                .map(a => a.querySelector('text')).filter(t => t.style.fillOpacity !== '0')
                .map(t => t.getBoundingClientRect());
              return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                      left: svg.left, right: svg.right, warn: warn.map(r => [r.left, r.right])};
            }"""
        )
        assert sizes["scroll"] <= sizes["inner"], (name, width, sizes)
        assert sizes["left"] >= 0 and sizes["right"] <= sizes["inner"] + 0.5, (name, width, sizes)
        assert sizes["warn"], f"{name}: the warning line is not drawn"
        assert all(left >= 0 and right <= sizes["inner"] for left, right in sizes["warn"]), (name, width, sizes)


# ---- greyscale ---------------------------------------------------------------------------------------------


def _png_grey(data: bytes) -> tuple[int, int, list[list[float]]]:
    """Decode an 8-bit RGB(A) PNG (what Chromium writes) to rows of luminance (0-255)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([0.299 * line[i] + 0.587 * line[i + 1] + 0.114 * line[i + 2] for i in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def _texture(rows: list[list[float]]) -> dict[str, float]:
    """Mean and spread of grey, and how much neighbours differ along each diagonal (lines "/" differ little along
    their own direction, up-right, and a lot across it; dots differ about equally both ways)."""
    px = [v for r in rows for v in r]
    mean = sum(px) / len(px)
    sd = (sum((v - mean) ** 2 for v in px) / len(px)) ** 0.5
    up = [abs(rows[y][x] - rows[y - 1][x + 1]) for y in range(1, len(rows)) for x in range(len(rows[0]) - 1)]
    down = [abs(rows[y][x] - rows[y + 1][x + 1]) for y in range(len(rows) - 1) for x in range(len(rows[0]) - 1)]
    return {"mean": mean, "sd": sd, "along": sum(up) / len(up), "across": sum(down) / len(down)}


def test_the_three_symptom_patterns_stay_apart_in_greyscale(file_browser, tmp_path):
    """Printed in black and white, the key's swatches still tell pain (plain), tingling (dots) and numbness
    (lines) apart: measured on a greyscale screenshot of each swatch."""
    fig = diagram.body_figure(MOST_LABELS)
    page = _open(file_browser, tmp_path, "grey", _page(fig.to_html(include_plotlyjs=False, full_html=False,
                                                                 config=diagram.CONFIG)))
    page.add_style_tag(content="html { filter: grayscale(1); }")
    page.wait_for_timeout(200)
    file_browser.shot("greyscale")
    found = {}
    for kind, _words in diagram.PATIENT_KEY:
        trace = next(t for t in fig.data if t.name == f"key {kind}")
        xs, ys = [x for x in trace.x if x is not None], [y for y in trace.y if y is not None]
        box = page.evaluate(
            """([x0, x1, y0, y1]) => {
              const gd = document.querySelector('.js-plotly-plot'), L = gd._fullLayout;
              const xa = L.xaxis3, ya = L.yaxis3, r = gd.getBoundingClientRect();
              return {x: r.left + xa._offset + xa.l2p(x0), y: r.top + ya._offset + ya.l2p(y1),
                      w: xa.l2p(x1) - xa.l2p(x0), h: ya.l2p(y0) - ya.l2p(y1)};
            }""",
            [min(xs), max(xs), min(ys), max(ys)],
        )
        inset = 3  # inside the swatch's border
        clip = {"x": box["x"] + inset, "y": box["y"] + inset, "width": box["w"] - 2 * inset,
                "height": box["h"] - 2 * inset}
        _w, _h, rows = _png_grey(page.screenshot(clip=clip))
        found[kind] = _texture(rows)
    plain, dots, lines = found["pain"], found["tingling"], found["numbness"]
    assert plain["sd"] < 6, found  # an even grey
    assert dots["sd"] > 30 and lines["sd"] > 30, found  # clear marks on the grey
    # lines run one way; dots do not
    assert lines["along"] < 0.6 * lines["across"], found
    assert 0.7 < dots["along"] / dots["across"] < 1.4, found
    # and plain is not a patterned swatch with faint marks: its grey differs from neither by texture alone
    assert abs(plain["mean"] - dots["mean"]) > 10 or dots["sd"] > 5 * max(plain["sd"], 1), found


# ---- labels ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("c", "size"),
    [(MOST_LABELS, None), (L5_LEFT, None), (MOST_LABELS, handout.FIGURE_SIZE), (L5_LEFT, handout.FIGURE_SIZE)],
)
def test_movement_labels_never_cover_each_other_or_other_words(file_browser, tmp_path, c, size):
    """At the default size and at the handout's (smaller) size."""
    fig = diagram.body_figure(c) if size is None else diagram.body_figure(c, width=size[0], height=size[1])
    page = _open(file_browser, tmp_path, "labels", _page(fig.to_html(include_plotlyjs=False, full_html=False,
                                                                   config=diagram.CONFIG)))
    file_browser.shot("labels")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot .annotation')].map(a => {
              const t = a.querySelector('text');
              const hidden = !t || t.style.fillOpacity === '0';
              const r = a.getBoundingClientRect();
              return {text: a.textContent, hidden, box: [r.left, r.top, r.right, r.bottom]};
            }).filter(a => !a.hidden && a.text.trim())"""
    )
    moves = [b for b in boxes if b["text"].startswith("may be weak")]
    assert len(moves) == len(c.weak_movements()) * len(c.sides), [b["text"] for b in moves]
    svg = page.evaluate("() => { const r = document.querySelector('.js-plotly-plot .main-svg')"
                        ".getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }")

    def overlap(a, b) -> bool:
        return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1

    for m in moves:
        assert svg[0] <= m["box"][0] and m["box"][2] <= svg[2], m
        for other in boxes:
            if other is not m:
                assert not overlap(m["box"], other["box"]), (m["text"], other["text"])
