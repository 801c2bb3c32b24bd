"""Take-home handout: one self-contained HTML page for one patient, built around what they will do.

In the order a patient uses it (issue "Patient-ready"): what the sheet is for and what sciatica is; the
picture, with the regions the patient said they feel marked on it and named in words; **My plan** (activity
goal, pain relief agreed, exercises, follow-up date, notes) as a tick-box checklist, with blank lines to
fill in by hand where the clinician left a field empty; what usually helps, as steps; when to get help as a
tick-box checklist with a drawing of the saddle area and the locale's actions; a five-line summary; the
words used; numbered sources; the kit's version and the content's last-checked date. Print CSS fits it on
two A4 or Letter pages in black and white. The page is a Jinja2 template (``templates/handout.html.j2``);
every clinical sentence comes from ``data/`` with its sources. ``write_handout`` writes one file atomically
and never replaces another handout unless asked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from sciatica_edu import __version__
from sciatica_edu._errors import choose, shown
from sciatica_edu._files import write_text_atomic, write_text_new
from sciatica_edu.facts import advice, anatomy, glossary, locales, redflags
from sciatica_edu.figures.body import body_figure
from sciatica_edu.figures.plotlyjs import plotly_js
from sciatica_edu.figures.static import fit_html
from sciatica_edu.figures.style import CONFIG
from sciatica_edu.model.scenario import Compression, severity_word
from sciatica_edu.model.words import and_join, compression_title, pressing_sentence, warning_sentences

__all__ = [
    "FIGURE_SIZE",
    "PAGE_CSS",
    "Plan",
    "check_felt",
    "cited_ids",
    "figure_html",
    "handout_filename",
    "handout_html",
    "picture_words",
    "visible_text",
    "write_handout",
]


@dataclass(frozen=True)
class Plan:
    """What the clinician and patient agreed, printed as a checklist (empty fields print as lines to fill in)."""

    activity: str = ""
    pain_relief: str = ""
    exercises: str = ""
    follow_up: dt.date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("activity", "pain_relief", "exercises"):
            value = getattr(self, name)
            if not isinstance(value, str) or len(value) > 300:
                raise ValueError(f"plan {name} must be text of at most 300 characters, not {shown(value)}")
        if self.follow_up is not None and not isinstance(self.follow_up, dt.date):
            raise ValueError(f"plan follow_up must be a date (YYYY-MM-DD), not {shown(self.follow_up)}")
        notes = tuple(self.notes)
        if len(notes) > 8 or not all(isinstance(n, str) and 0 < len(n) <= 300 for n in notes):
            raise ValueError("plan notes must be at most 8 lines of text, each 1 to 300 characters")
        object.__setattr__(self, "notes", notes)

    def rows(self) -> list[tuple[str, str]]:
        """(label, text) for each line of the checklist, in print order."""
        rows = [
            ("Activity goal", self.activity),
            ("Pain relief agreed", self.pain_relief),
            ("Exercises", self.exercises),
            ("Next appointment", self.follow_up.strftime("%A %d %B %Y") if self.follow_up else ""),
        ]
        rows += [("Note", n) for n in self.notes] or [("Notes", "")]
        return rows


#: Page styles: readable on screen; on paper two A4 or Letter pages (the printer's size), black and white.
PAGE_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #111; font: 18px/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 58rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem 2rem 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 0 0 .3em; }
h2 { font-size: 1.3rem; margin: 1.1em 0 .35em; padding-top: .25em; border-top: 2px solid #222; }
.purpose { font-size: 1.1rem; margin: 0 0 .4em; }
.settings { margin: 0 0 .4em; }
.diagram { margin: .4em 0; border: 1px solid #999; border-radius: 6px; padding: 4px; overflow-x: auto; }
.diagram .plotly-graph-div { margin: 0 auto; }
.checklist { list-style: none; padding-left: 0; margin: .3em 0; }
.checklist li { margin: .25em 0; padding-left: 1.5em; text-indent: -1.5em; }
.box { display: inline-block; width: 1em; height: 1em; border: 2px solid #111; border-radius: 2px;
  vertical-align: -0.15em; margin-right: .4em; text-indent: 0; }
.blank { display: inline-block; width: 60%; min-width: 12em; border-bottom: 1px solid #111; }
.steps li { margin-bottom: .35em; }
.red-flags { border: 3px solid #111; border-radius: 8px; padding: .1em .9em .4em; margin-top: .8em; }
.red-flags h2 { border-top: none; margin-top: .3em; }
.flags-grid { display: flex; gap: 1em; align-items: flex-start; }
.flags-grid > div { flex: 1; }
.saddle { margin: .3em 0; text-align: center; width: 9.5em; font-size: .8em; }
.two-col { columns: 2; column-gap: 2em; }
.two-col li { break-inside: avoid; }
.level { margin: .5em 0 .2em; }
.words-list { columns: 2; column-gap: 2em; padding-left: 0; list-style: none; margin: .3em 0; }
.words-list li { break-inside: avoid; margin-bottom: .2em; }
.cite { font-size: .7em; line-height: 0; }
.cite a { color: #333; text-decoration: none; }
.sources-list { font-size: .8rem; columns: 2; column-gap: 2em; padding-left: 1.6em; }
.sources-list li { break-inside: avoid; margin-bottom: .2em; }
.sources .url { overflow-wrap: anywhere; color: #333; }
footer { font-size: .85rem; color: #333; margin-top: 1em; border-top: 1px solid #999; padding-top: .4em; }
@media (max-width: 40rem) {
  main { margin: 0; padding: 1rem; border-radius: 0; }
  .flags-grid { flex-direction: column; }
  .two-col, .sources-list { columns: 1; }
}
@page { margin: 10mm 11mm; }
@media print {
  body { background: #fff; font-size: 9.3pt; line-height: 1.25; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  h1 { font-size: 16pt; }
  h2 { font-size: 11.5pt; margin: .35em 0 .1em; padding-top: .1em; break-after: avoid; page-break-after: avoid; }
  .diagram, .red-flags, .plan, .summary { break-inside: avoid; page-break-inside: avoid; }
  .diagram { border: 1px solid #000; overflow: hidden; }
  .diagram .sciatica-fit { max-width: 400px !important; margin: 0 auto; }
  .sources-list { font-size: 6.2pt; line-height: 1.15; columns: 3; column-gap: 1.2em; }
  .words { font-size: 7.8pt; line-height: 1.15; }
  .red-flags li { font-size: 8.8pt; }
  footer { font-size: 7pt; margin-top: .4em; padding-top: .2em; }
  .summary ul, .words-list, .sources-list { margin-top: .1em; margin-bottom: .1em; }
  .modebar, .modebar-container { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""


#: The figure's size on screen in px; the patient picture's movement labels stay clear of each other from
#: about 860 x 740 px (tests/browser/test_patient_picture.py); narrower screens scale it down whole (fit_html).
#: On paper it is drawn 400 px wide (106 mm; see PAGE_CSS), 344 px (91 mm) high.
FIGURE_SIZE = (860, 740)

#: What the steps of "What usually helps" say, in order: each step is one or more advice items (data/advice.yaml).
STEPS = (
    ("keep_active",),
    ("exercise",),
    ("heat", "heat_numb_skin"),
    ("medicines",),
    ("recovery_weeks", "recovery_year"),
    ("weakness_while_pain_fades",),
    ("scan_not_needed",),
)
#: Sources behind "typical patterns vary and overlap between people".
CAVEAT_SOURCES = ("S20", "S60", "S61")


def handout_filename(compression: Compression) -> str:
    """A file name that says what the handout shows, e.g. ``handout-L5-S1-paracentral-left-60.html``."""
    c = compression
    return f"handout-{c.disc}-{c.zone.replace('_', '-')}-{c.side}-{round(c.severity * 100):02d}.html"


def check_felt(pairs: Iterable[object]) -> tuple[tuple[str, str], ...]:
    """Validate (region id, side) pairs where the patient feels it; keep order, drop repeats."""
    out: dict[tuple[str, str], None] = {}
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"a felt area is a (region, side) pair, not {shown(pair)}")
        region = choose(pair[0], [r.id for r in anatomy.regions()], "region")
        side = choose(pair[1], anatomy.SIDES, "side")
        out[(region, side)] = None
    return tuple(out)


def figure_html(
    compression: Compression, locale: str | None = None, felt: Iterable[tuple[str, str]] = ()
) -> str:
    """This patient's diagram as an HTML fragment with plotly.js (basic bundle) inlined: no network.

    A plain ``body_figure`` of this compression; the regions in ``felt`` (where the patient said they feel
    it) get a thick black outline, which reads in black and white (region traces carry ``meta`` =
    ``[region, side, view]``).
    """
    width, height = FIGURE_SIZE
    fig = body_figure(compression, width=width, height=height, locale=locale)
    marked = set(check_felt(felt))
    for trace in fig.data:
        meta = getattr(trace, "meta", None)
        if marked and isinstance(meta, (list, tuple)) and len(meta) == 3 and (meta[0], meta[1]) in marked:
            trace.line = {"color": "#000000", "width": 4}
        # Keep the drawing lean: 0.01 head heights is under a pixel here.
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and all(v is None or isinstance(v, (int, float)) for v in values):
                setattr(trace, axis, [None if v is None else round(v, 2) for v in values])
    config = {**CONFIG, "displaylogo": False}
    fragment = fig.to_html(include_plotlyjs=False, full_html=False, config=config, div_id="diagram")
    # scaled to fit narrow screens (no sideways scrolling on a phone): fit_html
    fragment = fit_html(fragment, width, height)
    return f'<script type="text/javascript">{plotly_js()}</script>\n{fragment}'




class _Citer:
    """Numbers sources in first-cited order and writes superscript notes linking to the Sources list.

    A patient's sheet cites the primary sources of each statement (guidelines, reviews, trials, health-service
    pages, ...), the first two given for each statement (data/ lists them best first); secondary ones (study notes,
    blogs) are extra reading for students and stay in data/."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self._same: dict[str, str] = {}  # a source whose page another one already gives -> that one

    def __call__(self, ids: Iterable[str]) -> Markup:
        refs = [anatomy.reference(i) for i in dict.fromkeys(ids)]  # unknown ids raise a ValueError
        shown_ids = ([r.id for r in refs if r.primary] or [r.id for r in refs])[:2]  # the two best, to fit the page
        shown_ids = list(dict.fromkeys(self._first_with_same_page(i) for i in shown_ids))
        for ref_id in shown_ids:
            self.order.setdefault(ref_id, len(self.order) + 1)
        links = ",".join(f'<a href="#src-{escape(i)}">{self.order[i]}</a>' for i in shown_ids)
        return Markup(f'<sup class="cite">{links}</sup>') if shown_ids else Markup("")

    def _first_with_same_page(self, ref_id: str) -> str:
        link = anatomy.reference(ref_id).link
        if link is None:
            return ref_id
        return self._same.setdefault(link, ref_id)


def picture_words(compression: Compression) -> str:
    """What the picture shows, in words: what presses where, and how strong (as the session's slider says it)."""
    return f"{pressing_sentence(compression)} How strong: {severity_word(compression.severity)}."


def picture_title(compression: Compression) -> str:
    """The picture's title: which root and which leg, the same as the figure's own (``words.compression_title``)."""
    return compression_title(compression)


def _picture_warnings(compression: Compression, locale: str) -> list[str]:
    """The example's warning signs in one short line with the locale's short action (the full list is below);
    a "soon" sign keeps its rule for when it becomes an emergency."""
    flags = compression.red_flags()
    level = redflags.urgency(flags, locale)
    if level is None:
        return []
    if level == "soon":
        return warning_sentences(compression, locale)
    names = and_join([redflags.red_flag(f).label.lower() for f in flags])
    return [f"This example has warning signs ({names}). {locales.get(locale).short_action(level)}"]


def _felt_words(felt: tuple[tuple[str, str], ...]) -> str:
    by_side: dict[str, list[str]] = {}
    for region, side in felt:
        by_side.setdefault(side, []).append(anatomy.region(region).label)
    parts = [f"{and_join(labels)} ({side} side)" for side, labels in by_side.items()]
    return "; ".join(parts)


def _short(detail: str) -> str:
    first = detail.split(". ")[0].rstrip(".")
    return first + "."


#: Words the sheet explains where it uses them, so the word list need not repeat them.
_EXPLAINED_INLINE = ("sciatica", "nerve_root", "spine", "disc")


def _words_used(text: str) -> list[glossary.Term]:
    """Glossary words the page uses and does not explain in the sentence itself, in the glossary's order."""
    return [t for t in glossary.terms() if t.id not in _EXPLAINED_INLINE and glossary.pattern(t.id).search(text)]


@cache
def _template():
    from jinja2 import Environment, StrictUndefined

    source = (resources.files("sciatica_edu") / "templates" / "handout.html.j2").read_text(encoding="utf-8")
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(source)


def cited_ids(compression: Compression, locale: str | None = None) -> tuple[str, ...]:
    """Source ids the handout cites, in first-cited order (its numbered notes)."""
    page = handout_html(compression, figure="", locale=locale)
    return tuple(re.findall(r'<li id="src-(S\d+[a-z]?)">', page))


def handout_html(
    compression: Compression,
    *,
    figure: str | None = None,
    locale: str | None = None,
    felt: Iterable[tuple[str, str]] = (),
    plan: Plan | None = None,
) -> str:
    """The whole handout page as one HTML string for one locale (``figure`` defaults to :func:`figure_html`)."""
    if not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression, not {type(compression).__name__}")
    locale = locales.resolve(locale)
    felt = check_felt(felt)
    plan = plan or Plan()
    if not isinstance(plan, Plan):
        raise ValueError(f"plan must be a handout.Plan, not {type(plan).__name__}")
    loc = locales.get(locale)
    figure = figure_html(compression, locale, felt) if figure is None else figure
    cite = _Citer()
    about = advice.item("about_sciatica")
    steps = [tuple(advice.item(i) for i in step) for step in STEPS]
    summary = advice.items("summary")
    now = redflags.flags_at("emergency", locale)
    today = redflags.flags_at("urgent", locale)
    flag_sources = redflags.box_sources(locale)
    context = {
        "version": __version__,
        "checked": advice.last_checked().isoformat(),
        "css": Markup(PAGE_CSS),
        "cite": cite,
        "about": about,
        "picture_title": picture_title(compression),
        "picture_words": picture_words(compression),
        "picture_warnings": _picture_warnings(compression, locale),
        "figure": Markup(figure),
        "caveat_sources": CAVEAT_SOURCES,
        "felt": felt,
        "felt_words": _felt_words(felt),
        "plan_rows": plan.rows(),
        "steps": steps,
        "now_action": loc.action("emergency"),
        "now_flags": [{"label": f.label, "short": _short(f.detail)} for f in now],
        "saddle_svg": Markup(redflags.SADDLE_SVG),
        "saddle_alt": redflags.SADDLE_ALT,
        "saddle_caption": redflags.SADDLE_CAPTION,
        "today_action": loc.action("urgent"),
        "today_flags": [{"label": f.label} for f in today],
        "soon_action": loc.action("soon"),
        "flag_sources": flag_sources,
        "locale_line": f"The numbers to call on this sheet are for {loc.name}.",
        "summary": summary,
        "words": [],
        "sources": [],
    }
    # Render once to number the citations and find the words used, then with the Sources and Words filled in.
    first = _template().render(**context)
    context["words"] = _words_used(visible_text(first))
    context["sources"] = [anatomy.reference(i) for i in cite.order]
    context["cite"] = _Citer()
    page = _template().render(**context)
    return page


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


def write_handout(
    compression: Compression,
    out: str | os.PathLike[str],
    *,
    locale: str | None = None,
    overwrite: bool = False,
    felt: Iterable[tuple[str, str]] = (),
    plan: Plan | None = None,
) -> Path:
    """Write the handout for one locale to ``out`` atomically (temporary file, then rename); return the path written.

    A handout never silently replaces another: if ``out`` exists, the first free numbered name is used
    (``handout-...-60-2.html``, ``-3``, ...) unless ``overwrite`` is true.
    """
    out = Path(out)
    page = handout_html(compression, locale=locale, felt=felt, plan=plan)
    if overwrite:
        return write_text_atomic(out, page)
    return write_text_new(out, page)
