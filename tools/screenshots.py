"""Render the body diagram to PNG in headless Chromium (Playwright, Debian's /usr/bin/chromium).

    .venv/bin/python tools/screenshots.py [--out DIR] [--only NAME ...] [--grey]
    .venv/bin/python tools/screenshots.py --docs   # docs/img/body-*.png, colour and greyscale, and the phone
    .venv/bin/python tools/screenshots.py --causes --out DIR   # page 04's side drawings: 2x, greyscale, 390 px phone

Writes one PNG per scenario (L4, L5, S1, central, a root map, the spine for each cause) so a
person can look at what patients will see (and, with --grey, what a black-and-white print shows).
Offline: plotly.js is inlined, no request leaves.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sciatica_edu import diagram
from sciatica_edu.model.scenario import Compression

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def scenarios() -> dict[str, object]:
    """Name -> figure, for every picture worth looking at (patient look unless the name says student)."""
    return {
        "body-L5-left": diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.8)),
        "body-S1-right": diagram.body_figure(Compression("L5-S1", "paracentral", "right", 0.8)),
        "body-central-severe": diagram.body_figure(Compression("L4-L5", "central", "both", 0.9)),
        "body-root-L5": diagram.body_figure(root="L5"),
        "body-L4-foraminal-right": diagram.body_figure(Compression("L4-L5", "foraminal", "right", 0.8)),
        "body-L3-L4-left-mild": diagram.body_figure(Compression("L3-L4", "paracentral", "left", 0.4)),
        "body-empty": diagram.body_figure(),
        "student-L5-left": diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.8), mode="student"),
        "spine-disc": diagram.spine_figure(cause="disc_herniation"),
        "spine-piriformis": diagram.spine_figure(cause="piriformis"),
        "static-L5-left": diagram.static_figure(Compression("L4-L5", "paracentral", "left", 0.6)),
    }


#: The pictures kept in docs/img (README, "What the body diagram shows"), each in colour and in greyscale.
DOCS = ("body-L5-left", "body-S1-right", "body-central-severe", "body-root-L5")


def render(figures: dict[str, object], out: Path, scale: float = 1.0, grey: bool = False) -> list[Path]:
    """Screenshot each figure's plot area; return the PNG paths. ``grey``: also a greyscale copy of each
    (``NAME-grey.png``, the page drawn through CSS ``filter: grayscale(1)``, as a black-and-white print sees it)."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=ARGS,
            env={"XDG_CONFIG_HOME": f"{tmp}/c", "XDG_CACHE_HOME": f"{tmp}/k", "HOME": tmp},
        )
        page = browser.new_page(device_scale_factor=scale)
        page.route(
            "**/*", lambda r: r.abort() if not r.request.url.startswith(("file:", "data:", "about:")) else r.continue_()
        )
        for name, fig in figures.items():
            html = Path(tmp) / f"{name}.html"
            fig.write_html(html, include_plotlyjs=True, full_html=True, config=diagram.CONFIG)
            page.goto(html.as_uri())
            page.wait_for_selector(".js-plotly-plot .main-svg")
            page.wait_for_timeout(300)
            target = out / f"{name}.png"
            page.locator(".js-plotly-plot").first.screenshot(path=str(target))
            written.append(target)
            if grey:
                page.add_style_tag(content="html { filter: grayscale(1); }")
                page.wait_for_timeout(100)
                target = out / f"{name}-grey.png"
                page.locator(".js-plotly-plot").first.screenshot(path=str(target))
                written.append(target)
    return written


#: The phone pictures in docs/img: the exported (static) figure on a 390 x 844 screen, whole and its first screen.
PHONE = (390, 844)


def _page_html(fragment: str, body_style: str = "") -> str:
    """A whole page around a figure fragment, with the kit's plotly.js inline (no request leaves the page)."""
    from sciatica_edu.figures import plotlyjs

    style = f' style="{body_style}"' if body_style else ""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><script>{plotlyjs.plotly_js()}</script></head>'
            f"<body{style}>{fragment}</body></html>")


@contextmanager
def _phone_page():
    """(a scratch folder, a 390 px wide Chromium page that can load only local files), closed after use."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=ARGS,
            env={"XDG_CONFIG_HOME": f"{tmp}/c", "XDG_CACHE_HOME": f"{tmp}/k", "HOME": tmp},
        )
        page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
        page.route(
            "**/*", lambda r: r.abort() if not r.request.url.startswith(("file:", "data:", "about:")) else r.continue_()
        )
        try:
            yield tmp, page
        finally:
            browser.close()


def render_phone(out: Path) -> list[Path]:
    """The exported patient figure as a phone shows it (its views stacked, ``figures.narrow._narrow_spec``):
    ``figure-phone.png`` (the whole figure) and ``figure-phone-screen.png`` (the first screenful of it)."""

    out.mkdir(parents=True, exist_ok=True)
    fragment = diagram.static_html(Compression("L4-L5", "paracentral", "left", 0.6))
    html = _page_html(fragment)
    with _phone_page() as (tmp, page):
        path = Path(tmp) / "phone.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_timeout(500)
        whole, screen = out / "figure-phone.png", out / "figure-phone-screen.png"
        page.locator(".sciatica-fit").first.screenshot(path=str(whole))
        page.screenshot(path=str(screen))
    return [whole, screen]


def render_causes(out: Path) -> list[Path]:
    """Page 04's side drawings (``diagram.cause_figure``), each as ``NAME-desktop.png`` (its own size, at 2x),
    ``NAME-grey.png`` and ``NAME-phone390.png`` (the exported page's copy, scaled whole by ``fit_html`` to a
    390 px wide screen), for a clinician's read."""
    from sciatica_edu.geometry.side import SHAPES

    out.mkdir(parents=True, exist_ok=True)
    figs = {c: diagram.cause_figure(c) for c in SHAPES}
    written = []
    for path in render(figs, out, scale=2.0, grey=True):
        target = path.with_name(path.name.replace(".png", "-desktop.png")) if "-grey" not in path.name else path
        path.replace(target)
        written.append(target)
    with _phone_page() as (tmp, page):
        for name, fig in figs.items():
            plot = fig.to_html(include_plotlyjs=False, full_html=False, config=diagram.CONFIG)
            html = _page_html(diagram.fit_html(plot, *diagram.CAUSE_SIZE), body_style="margin:0")
            path = Path(tmp) / f"{name}-phone.html"
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            page.wait_for_selector(".js-plotly-plot .main-svg")
            page.wait_for_timeout(400)
            target = out / f"{name}-phone390.png"
            page.locator(".sciatica-fit").first.screenshot(path=str(target))
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="test-artefacts/diagram", help="folder for the PNGs")
    parser.add_argument("--only", nargs="*", help="names to render (default all)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--docs", action="store_true", help="write the README pictures (colour and grey) to docs/img")
    parser.add_argument("--grey", action="store_true", help="also write a greyscale copy of each picture")
    parser.add_argument("--causes", action="store_true", help="page 04's side drawings (desktop, grey, 390 px phone)")
    ns = parser.parse_args()
    if ns.causes:
        for path in render_causes(Path(ns.out)):
            print(path, f"{path.stat().st_size // 1024} KB")
        return
    figs = scenarios()
    out = Path(ns.out)
    if ns.docs:
        figs = {k: figs[k] for k in DOCS}
        out = Path(__file__).resolve().parent.parent / "docs" / "img"
    elif ns.only:
        figs = {k: v for k, v in figs.items() if k in ns.only}
    paths = render(figs, out, ns.scale, grey=ns.grey or ns.docs)
    if ns.docs or (ns.only and "phone" in ns.only):
        paths += render_phone(out)
    for path in paths:
        print(path, f"{path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
