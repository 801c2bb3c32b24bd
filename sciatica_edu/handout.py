"""Take-home handout: one self-contained HTML page for one disc bulge (``Compression``).

The page holds this patient's diagram (a static plotly figure with plotly.js inlined, so it
zooms and shows labels with no kernel and no network), the plain description, what usually
helps (NICE NG59), the red-flag box and the sources. Print CSS fits it on A4 or Letter in
black and white. All functions return strings except ``write_handout``, which writes one file
atomically (a temporary file renamed into place, so a failure leaves nothing behind).
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path

from sciatica_edu import __version__, advice, anatomy, diagram, locales, redflags
from sciatica_edu._files import write_text_atomic
from sciatica_edu.plotlyjs import plotly_js
from sciatica_edu.scenario import Compression, severity_word

__all__ = [
    "FIGURE_SIZE",
    "HANDOUT_TOPICS",
    "PAGE_CSS",
    "cited_ids",
    "figure_html",
    "handout_filename",
    "handout_html",
    "helps_html",
    "sources_html",
    "visible_text",
    "write_handout",
]

#: Page styles: readable on screen; on paper, A4 or Letter (the printer's size), black and white.
PAGE_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #111; font: 18px/1.55 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 58rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem 2rem 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .3em; }
h2 { font-size: 1.35rem; margin: 1.4em 0 .4em; padding-top: .3em; border-top: 2px solid #222; }
.settings { font-size: 1rem; color: #333; margin: 0 0 .6em; }
.note { border-left: 6px solid #555; background: #f3f3f3; padding: .5em .9em; margin: .8em 0; }
.diagram { margin: .6em 0; border: 1px solid #999; border-radius: 6px; padding: 4px; overflow-x: auto; }
.diagram .plotly-graph-div { margin: 0 auto; }
.red-flags h2 { border-top: none; padding-top: 0; margin-top: .2em; }
.sciatica-description ul { columns: 2; column-gap: 2em; }
.sciatica-description li { break-inside: avoid; }
.helps li, .sources li { margin-bottom: .35em; }
.cite { font-size: .8em; color: #333; white-space: nowrap; }
@media (max-width: 40rem) { .cite { white-space: normal; } }  /* long source lists wrap on a phone */
.sources { font-size: .85rem; }
.sources .url { overflow-wrap: anywhere; color: #333; }
footer { font-size: .85rem; color: #333; margin-top: 1.5em; border-top: 1px solid #999; padding-top: .5em; }
@page { margin: 14mm 13mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; line-height: 1.35; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  h1 { font-size: 19pt; }
  h2 { font-size: 14pt; break-after: avoid; page-break-after: avoid; }
  .diagram, .red-flags { break-inside: avoid; page-break-inside: avoid; }
  .diagram { border: 1px solid #000; }
  .diagram > div { zoom: 0.78; }
  .modebar, .modebar-container { display: none !important; }
  .red-flags { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

#: The figure's size on screen in px; the patient picture's movement labels stay clear of each other from
#: about 860 x 740 px (tests/browser/test_patient_picture.py); narrower screens scale it down whole (fit_html).
#: On paper it is zoomed to 0.78 (see PAGE_CSS):
#: 671 px = 178 mm, inside the printable width of A4 (184 mm) and Letter (190 mm).
FIGURE_SIZE = (860, 740)

def handout_filename(compression: Compression) -> str:
    """A file name that says what the handout shows, e.g. ``handout-L5-S1-paracentral-left-60.html``."""
    c = compression
    return f"handout-{c.disc}-{c.zone.replace('_', '-')}-{c.side}-{round(c.severity * 100):02d}.html"


#: The advice topics the handout prints, in this order (``data/advice.yaml``).
HANDOUT_TOPICS = ("recovery", "self_care", "medicines", "imaging", "procedures")


def figure_html(compression: Compression, locale: str | None = None) -> str:
    """This patient's diagram as an HTML fragment with plotly.js (basic bundle) inlined: no network.

    A plain ``body_figure`` of this compression (hover shows each area's symptoms); the
    scenario-switching ``static_figure`` would add about 0.6 MB of other patients' states.
    """
    width, height = FIGURE_SIZE
    fig = diagram.body_figure(compression, width=width, height=height, locale=locale)
    # Keep the drawing lean: 0.01 head heights is under a pixel here.
    for trace in fig.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and all(v is None or isinstance(v, (int, float)) for v in values):
                setattr(trace, axis, [None if v is None else round(v, 2) for v in values])
    config = {**diagram.show_config(), "displaylogo": False}
    fragment = fig.to_html(include_plotlyjs=False, full_html=False, config=config, div_id="diagram")
    # scaled to fit narrow screens (no sideways scrolling on a phone): diagram.fit_html
    fragment = diagram.fit_html(fragment, width, height)
    return f'<script type="text/javascript">{plotly_js()}</script>\n{fragment}'


def _cite(ids: tuple[str, ...]) -> str:
    return f' <span class="cite">[{", ".join(ids)}]</span>'


def _advice(topic: str) -> tuple[advice.Advice, ...]:
    return advice.items(topic)


def helps_html(topics: tuple[str, ...] = ("recovery", "self_care", "medicines")) -> str:
    """Advice items of ``topics`` as a list, each point with its source ids."""
    items = "".join(f"<li>{escape(a.text)}{_cite(a.sources)}</li>" for t in topics for a in _advice(t))
    return f'<ul class="helps">{items}</ul>'


def cited_ids(compression: Compression, locale: str | None = None) -> tuple[str, ...]:
    """Source ids the handout cites, in first-cited order (the picture, advice, red flags)."""
    ids: dict[str, None] = {}
    for ref in ("S20", "S22", "S60"):  # typical patterns vary and overlap between people
        ids[ref] = None
    for topic in HANDOUT_TOPICS:
        for a in _advice(topic):
            ids.update(dict.fromkeys(a.sources))
    ids.update(dict.fromkeys(redflags.box_sources(locale)))
    for flag in compression.red_flags():
        ids.update(dict.fromkeys(redflags.red_flag(flag).sources))
    return tuple(ids)


def sources_html(ids: tuple[str, ...]) -> str:
    """The numbered source list for ``ids``: citation and address as plain text (no links to load)."""
    items = []
    for ref_id in ids:
        ref = anatomy.reference(ref_id)
        url = f' <a class="url" href="{escape(ref.link)}">{escape(ref.link)}</a>' if ref.link else ""
        items.append(f'<li id="{escape(ref_id)}"><strong>[{escape(ref_id)}]</strong> {escape(ref.citation)}{url}</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


def picture_words(compression: Compression) -> str:
    """What the picture shows, in words: what presses where, and how strong (as the session's slider says it)."""
    return f"{diagram.pressing_sentence(compression)} How strong: {severity_word(compression.severity)}."


def handout_html(compression: Compression, *, figure: str | None = None, locale: str | None = None) -> str:
    """The whole handout page as one HTML string for one locale (``figure`` defaults to :func:`figure_html`)."""
    c = compression
    locale = locales.resolve(locale)
    figure = figure_html(c, locale) if figure is None else figure
    ids = cited_ids(c, locale)
    checked = advice.last_checked().isoformat()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sciatica-edu {escape(__version__)}">
<title>Your sciatica: notes to take home</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<main>
<h1>Your sciatica: notes to take home</h1>
<p class="settings">This picture: {escape(picture_words(c))}</p>
<p class="note">This sheet gives general facts to help you talk with your care team. It is not medical advice.
The picture shows a typical pattern. It cannot tell what is wrong in your own body, and real patterns
differ from one person to the next.{_cite(("S20", "S22", "S60"))}</p>

<h2>Where you may feel it</h2>
<figure class="diagram" tabindex="0" aria-label="Body diagram for these settings">{figure}</figure>
{diagram.describe_html(c, locale=locale)}

<h2>What usually helps</h2>
{helps_html()}

<h2>Do I need a scan?</h2>
{helps_html(("imaging",))}

<h2>Injections and operations</h2>
{helps_html(("procedures",))}

<h2>When to get help</h2>
{redflags.box_html(locale)}
<p><span class="cite">[{", ".join(redflags.box_sources(locale))}]</span></p>

<h2>Sources</h2>
{sources_html(ids)}
<footer>Made with sciatica-edu {escape(__version__)}. Content last checked against its sources on {checked}.
{escape(locales.get(locale).name[0].upper() + locales.get(locale).name[1:])}: the numbers to call are for this
country. This page works with no internet. Nothing about you is stored or sent.</footer>
</main>
</body>
</html>
"""


def visible_text(page: str, *, skip_sources: bool = True) -> str:
    """The text a reader sees: tags, scripts and styles removed (the Sources list too, by default)."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            cls = dict(attrs).get("class") or ""
            if tag in ("script", "style", "head") or (skip_sources and "sources" in cls.split()):
                self.hidden += 1
            elif self.hidden:
                self.hidden += 1 if tag not in _VOID else 0
            if tag in ("p", "li", "dt", "dd", "h1", "h2", "h3", "footer", "br"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if self.hidden:
                self.hidden -= 1

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = _Text()
    parser.feed(page)
    return re.sub(r"[ \t]+", " ", "".join(parser.parts)).strip()


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def write_handout(compression: Compression, out: str | os.PathLike[str], *, locale: str | None = None) -> Path:
    """Write the handout for one locale to ``out`` atomically (temporary file, then rename); return the path."""
    out = Path(out)
    page = handout_html(compression, locale=locale)
    write_text_atomic(out, page)
    return out
