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
from sciatica_edu.figures.felt import mark_felt
from sciatica_edu.figures.patient import arrows_shown, patient_titles
from sciatica_edu.figures.plotlyjs import plotly_js
from sciatica_edu.figures.printed import print_figure
from sciatica_edu.figures.static import fit_html
from sciatica_edu.figures.style import CONFIG, PATIENT_CAPTIONS
from sciatica_edu.model.scenario import Compression, severity_word
from sciatica_edu.model.words import (
    and_join,
    compression_title,
    how_to_read,
    level_words,
    pressing_sentence,
    warning_sentences,
)
from sciatica_edu.pages import citemarks

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
PAGE_CSS = (resources.files("sciatica_edu") / "templates" / "handout.css").read_text(encoding="utf-8")


#: The figure's size on screen in px; the patient picture's movement labels stay clear of each other from
#: about 860 x 740 px (tests/browser/test_patient_picture.py); narrower screens scale it down whole (fit_html).
#: The handout hides the figure's own title and how-to lines (``_hidden_title``), which takes their 88 px off the
#: height. Paper gets its own copy (``figures.printed.print_figure``, every word 8 pt or more; templates/handout.css).
FIGURE_SIZE = (860, 740)

#: What the steps of "What usually helps" say, in order: each step is one or more advice items (data/advice.yaml).
#: Only things to do (PEMAT-P item 22); facts about the outlook and scans are in ``GOOD_TO_KNOW``.
STEPS = (
    ("keep_active",),
    ("exercise",),
    ("heat", "heat_numb_skin"),
    ("medicines",),
    ("weakness_while_pain_fades",),
)
#: "Good to know", after the steps (facts, not steps): how it went for people in a study, and that most people need
#: no scan ("In short" already says that it often gets better on its own within weeks).
GOOD_TO_KNOW = (
    ("recovery_year",),
    ("scan_not_needed",),
)
#: Sources behind the names of the levels and roots (the lower back's five bones L1 to L5, the sacrum's roots S1 to
#: S5, and which root leaves the spine where: data/glossary.yaml's lumbar and sacrum, data/discs.yaml).
NAME_SOURCES = ("S40", "S86")
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
    it) get a thin dashed dark outline that leaves their colour and pattern visible, with a row in the key
    (``figures.felt.mark_felt``), in the screen figure and its printed copy alike.
    """
    width, height = FIGURE_SIZE
    fig = body_figure(compression, width=width, height=height, locale=locale)
    _hidden_title(fig)
    height = fig.layout.height
    mark_felt(fig, check_felt(felt))
    for trace in fig.data:
        # Keep the drawing lean: 0.01 head heights is under a pixel here.
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and all(v is None or isinstance(v, (int, float)) for v in values):
                setattr(trace, axis, [None if v is None else round(v, 2) for v in values])
    config = {**CONFIG, "displaylogo": False}
    fragment = fig.to_html(include_plotlyjs=False, full_html=False, config=config, div_id="diagram")
    # scaled to fit narrow screens (no sideways scrolling on a phone): fit_html
    fragment = fit_html(fragment, width, height)
    # paper gets its own copy, every word at 8 pt or more, with the spine drawing of this compression (figures.printed;
    # templates/handout.css swaps them)
    printed = print_figure(fig, compression=compression).to_html(include_plotlyjs=False, full_html=False,
                                        config={**config, "staticPlot": True}, div_id="diagram-print")
    return (f'<script type="text/javascript">{plotly_js()}</script>\n{fragment}\n'
            f'<div class="print-figure" aria-hidden="true">{printed}</div>')




class _Citer:
    """Numbers sources in first-cited order and writes superscript notes linking to the Sources list, each note's
    numbers ascending and in brackets (``citemarks.mark``: "[1,3]", never "3,1").

    A patient's sheet cites the primary sources of each statement (``anatomy.patient_sources``: guidelines, reviews,
    trials, health-service pages, ...), the first two given for each statement (data/ lists them best first);
    secondary ones (study notes, blogs, clinic pages) are extra reading for students and stay in data/. A statement
    with no primary source is a ValueError, never a note citing nothing."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self._same: dict[str, str] = {}  # a source whose page another one already gives -> that one

    def __call__(self, ids: Iterable[str]) -> Markup:
        shown_ids = anatomy.patient_sources(ids)[:2]  # the two best primary ones, to fit the page
        shown_ids = list(dict.fromkeys(self._first_with_same_page(i) for i in shown_ids))
        for ref_id in shown_ids:
            self.order.setdefault(ref_id, len(self.order) + 1)
        links = [f'<a href="#src-{escape(i)}">{self.order[i]}</a>' for i in shown_ids]
        return Markup(citemarks.mark(links, sep=",")) if shown_ids else Markup("")

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
    """A sign's first sentence, and any sentence that tells the reader to act ("Act even if it is only a small
    patch or comes and goes.", "Say that you have had cancer."): the sheet is short, but never shorter than the
    safety advice."""
    sentences = [s.strip().rstrip(".") for s in detail.split(". ") if s.strip()]
    keep = sentences[:1] + [s for s in sentences[1:] if s.startswith(("Act ", "Say "))]
    return " ".join(s + "." for s in keep)


#: Words the sheet explains where it uses them, so the word list need not repeat them ("nerve pain medicines (such as
#: gabapentin and pregabalin)" explains the gabapentinoids, "steroid tablets (medicines that calm swelling)" the
#: steroids).
_EXPLAINED_INLINE = ("sciatica", "nerve_root", "spine", "disc", "gabapentinoid", "steroid")


@dataclass(frozen=True)
class WordUsed:
    """A word of the "Words used on this sheet" list: as the sheet writes it, with the glossary's definition."""

    term: str
    plain: str


def _words_used(text: str) -> list[WordUsed]:
    """Glossary words the page uses and does not explain in the sentence itself, in the glossary's order, each
    named as the sheet writes it: a glossary entry also matches its other forms (``ibuprofen`` for "anti-inflammatory
    painkiller", ``gabapentin`` for "gabapentinoid"), and listing the entry's own name would list a word the sheet
    never uses (the PEMAT-P review, item 4)."""
    words = []
    for t in glossary.terms():
        match = glossary.pattern(t.id).search(text) if t.id not in _EXPLAINED_INLINE else None
        if match:
            used = match.group(0)
            words.append(WordUsed(used if used.isupper() else used.lower(), _not_circular(t.plain, used)))
    return words


def _not_circular(plain: str, used: str) -> str:
    """A definition that names the word it defines as its example ("ibuprofen: a painkiller …, such as ibuprofen
    or naproxen") loses that example clause."""
    if used.lower() not in plain.lower():
        return plain
    return re.sub(r",? (such as|for example|like) [^.]*", "", plain, flags=re.I)


def _hidden_title(fig) -> None:
    """Hide the patient figure's own title and how-to lines: the handout's heading and "How to read it" say them,
    and in print the picture gets their room (PEMAT-P item 18). Hidden, not removed: the narrow layout edits the
    annotations by index."""
    texts = {f"<b>{escape(t)}</b>" for t in patient_titles()} | set(PATIENT_CAPTIONS.values())
    for annotation in fig.layout.annotations:
        if annotation.text in texts:
            annotation.visible = False
    room = (fig.layout.margin.t or 0) - 8
    fig.layout.margin.t = 8
    fig.layout.height -= room  # the drawing keeps its size (and its labels their tested spacing); only the title goes
    narrow = (fig.layout.meta or {}).get("narrow") if isinstance(fig.layout.meta, dict) else None
    if isinstance(narrow, dict) and isinstance(narrow.get("margin"), dict):
        narrow["margin"]["t"] = 8


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
    good_to_know = [tuple(advice.item(i) for i in fact) for fact in GOOD_TO_KNOW]
    go_now = loc.short_action("emergency")
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
        "level_words": level_words(compression),
        "name_sources": NAME_SOURCES,
        "help_now_action": go_now,
        "help_now_sources": redflags.action_sources("emergency", locale),
        "good_to_know": good_to_know,
        "picture_warnings": _picture_warnings(compression, locale),
        "figure": Markup(figure),
        "caveat_sources": CAVEAT_SOURCES,
        "felt": felt,
        "felt_words": _felt_words(felt),
        "how_to_read": how_to_read(arrows=arrows_shown(compression), felt=bool(felt)),
        "plan_rows": plan.rows(),
        "steps": steps,
        "now_action": loc.action("emergency"),
        "now_flags": [{"label": f.label, "short": _short(f.detail)} for f in now],
        "now_class": redflags.NOW_CLASS,
        "now_frame": redflags.NOW_FRAME.css(),
        "today_class": redflags.TODAY_CLASS,
        "today_frame": redflags.TODAY_FRAME.css(),
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
    return citemarks.part_from_numbers(page)


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
