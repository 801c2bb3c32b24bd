"""Red flags: signs that need help fast, and exactly what to do (``data/red_flags.yaml`` + ``data/locales.yaml``).

Each flag has an urgency (emergency = now, urgent = the same day, soon = within days); what to do at
each level comes from the reader's locale (:mod:`sciatica_edu.locales`), so one page never mixes two
countries' numbers. ``box_markdown()`` and ``box_html()`` give the red-flag box every patient-facing
view carries (notebooks, the session view, handouts); ``strip_text()`` the one-line version.
"""

from __future__ import annotations

import base64
from functools import cache
from html import escape
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy, locales

__all__ = [
    "BOX_GROUPS",
    "NOW_CLASS",
    "NOW_FRAME",
    "SADDLE_ALT",
    "SADDLE_CAPTION",
    "SADDLE_SVG",
    "TODAY_CLASS",
    "TODAY_FRAME",
    "Frame",
    "RedFlag",
    "action",
    "action_sources",
    "box_html",
    "box_markdown",
    "box_markdown_parts",
    "box_sources",
    "checklist_markdown",
    "flags_at",
    "red_flag",
    "red_flags",
    "saddle_img",
    "strip_text",
    "urgency",
]

Urgency = Literal["emergency", "urgent", "soon"]
Group = Literal["cauda_equina", "injury", "nerve", "serious_cause", "scenario"]
#: A schematic of the saddle area seen from behind (buttocks, inner thighs, the shaded saddle): black and white, so it
#: prints. "Seen from behind" is in the caption, not in the drawing: at its size a label inside was about 7 px.
#: The one drawing of it: the handout inlines it, every red-flag box shows it (PEMAT-P item 26: a picture
#: beside the warning signs shows where the most urgent one is felt).
SADDLE_SVG = """<svg viewBox="0 0 120 110" width="120" height="110" role="img" aria-hidden="true">
<path d="M20 8 C 10 30, 12 60, 30 72 L 40 108 L 54 108 L 56 78 L 64 78 L 66 108 L 80 108 L 90 72
 C 108 60, 110 30, 100 8 Z" fill="#ffffff" stroke="#000" stroke-width="2"/>
<path d="M60 12 L60 60" stroke="#000" stroke-width="1.5"/>
<path d="M46 58 C 50 70, 54 78, 60 80 C 66 78, 70 70, 74 58 C 68 64, 52 64, 46 58 Z" fill="#555"
 fill-opacity="0.75" stroke="#000" stroke-width="1.5"/>
</svg>"""
#: What the drawing shows, for readers who cannot see it.
SADDLE_ALT = "Drawing of the saddle area, seen from behind: between the legs and around the bottom"
#: The drawing's caption (the saddle_numbness flag's sign and its level, in a few words).
SADDLE_CAPTION = ("The saddle area (seen from behind): between the legs and around the bottom. "
                  "New numbness here needs help now.")

#: The groups the red-flag box lists (``scenario`` flags are raised only by the teaching model).
BOX_GROUPS = ("cauda_equina", "injury", "nerve", "serious_cause")


class Frame(NamedTuple):
    """How one level's box is framed: a border (its CSS style and colour), a background and the heading's colour."""

    style: str
    border: str
    background: str
    heading: str

    def css(self) -> str:
        """The frame as inline CSS (JupyterLab's sanitizer keeps these properties; Lab loads no CSS of ours)."""
        return (f"border:3px {self.style} {self.border};border-radius:8px;background-color:{self.background};"
                "color:#1a1a1a;")


#: "Get help now": a solid red frame on light red. "Get help today" has its own box, serious but clearly not the
#: emergency: a dashed dark-orange frame on light amber, so the two differ in colour and, printed in greyscale, in the
#: border's style (the third PEMAT-P review found "today" sharing the red frame). Borders have at least 4.5:1 contrast
#: with their background and headings at least 6.8:1 (tests/test_redflags_frames.py measures them).
NOW_FRAME = Frame("solid", "#b00020", "#fff4f4", "#8a0018")
TODAY_FRAME = Frame("dashed", "#b35900", "#fff6e5", "#8a4200")
#: The class of each box, for the stylesheets of the exported pages, the session view and the handout.
NOW_CLASS = "sciatica-warning"
TODAY_CLASS = "sciatica-today"


class RedFlag(BaseModel):
    """One warning sign: plain ``label`` and ``detail``, how urgent (per locale), its group and sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    label: str
    detail: str
    #: The words of ``detail`` that name each sign this flag holds ("cancer", "night"): every short form of the list
    #: shows only the label, so the label must carry them too (tests/test_redflags_short_lists.py).
    key_words: tuple[str, ...] = Field(min_length=1)
    urgency: Urgency
    urgency_by_locale: dict[str, Urgency] = {}
    group: Group
    escalate_if: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _escalation_only_when_soon(self) -> RedFlag:
        if self.escalate_if and self.urgency != "soon":
            raise ValueError(f"red flag {self.id}: escalate_if is only for flags of urgency 'soon'")
        missing = [w for w in self.key_words if w.lower() not in self.detail.lower()]
        if missing:
            raise ValueError(f"red flag {self.id}: key_words {missing} are not in its detail (they name its signs)")
        return self

    @property
    def cauda_equina(self) -> bool:
        """True for the signs of cauda equina syndrome (the nerves of the bladder, bowel and saddle squeezed)."""
        return self.group == "cauda_equina"

    def urgency_in(self, locale: str | None = None) -> Urgency:
        """How urgent this flag is in ``locale`` (default: the current one)."""
        return self.urgency_by_locale.get(locales.resolve(locale), self.urgency)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    red_flags: tuple[RedFlag, ...]


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "red_flags.yaml")
    anatomy.check_sources("red_flags.yaml", [s for f in parsed.red_flags for s in f.sources])
    known = set(locales.ids())
    for f in parsed.red_flags:
        odd = sorted(set(f.urgency_by_locale) - known)
        if odd:
            raise anatomy.DataError(f"data/red_flags.yaml: red flag {f.id} names unknown locales {odd}")
    return parsed


def red_flags() -> tuple[RedFlag, ...]:
    """All red flags, in file order: the cauda-equina emergencies first."""
    return _file().red_flags


def red_flag(flag_id: str) -> RedFlag:
    """One red flag by id, e.g. ``red_flag("saddle_numbness")``."""
    table = {f.id: f for f in _file().red_flags}
    return table[choose(flag_id, table, "red flag")]


def urgency(flag_ids: tuple[str, ...] | list[str], locale: str | None = None) -> Urgency | None:
    """The most urgent level among ``flag_ids`` in ``locale``, or None for no flags."""
    levels = [red_flag(f).urgency_in(locale) for f in flag_ids]
    for level in ("emergency", "urgent", "soon"):
        if level in levels:
            return level  # type: ignore[return-value]
    return None


def action(level: str, locale: str | None = None) -> str:
    """What to do at an urgency level (emergency, urgent or soon), in the locale's words."""
    return locales.get(locale).action(level)


def action_sources(level: str, locale: str | None = None) -> tuple[str, ...]:
    """Source ids of the locale's action at this level."""
    return locales.get(locale).sources[choose(level, ("emergency", "urgent", "soon"), "urgency")]


def flags_at(level: str, locale: str | None = None) -> tuple[RedFlag, ...]:
    """The red-flag box's flags of one urgency level in ``locale`` (the model-only flags left out)."""
    level = choose(level, ("emergency", "urgent", "soon"), "urgency")
    return tuple(f for f in red_flags() if f.group in BOX_GROUPS and f.urgency_in(locale) == level)


def box_sources(locale: str | None = None) -> tuple[str, ...]:
    """Every source id behind the red-flag box of ``locale``: its signs and its actions, in first-cited order."""
    ids: dict[str, None] = {}
    for level in ("emergency", "urgent"):
        for f in flags_at(level, locale):
            ids.update(dict.fromkeys(f.sources))
        ids.update(dict.fromkeys(action_sources(level, locale)))
    ids.update(dict.fromkeys(action_sources("soon", locale)))
    return tuple(ids)


def _for_whom(locale: str | None) -> str:
    loc = locales.get(locale)
    return f"Advice for {loc.name}."


def saddle_img(width: int = 110) -> str:
    """The saddle drawing as an ``<img>`` with a ``data:`` URI: one tag that JupyterLab's Markdown sanitizer keeps
    (it drops inline ``<svg>``), and that Voila and the static export show with no file beside the page."""
    if not isinstance(width, int) or isinstance(width, bool) or not 40 <= width <= 400:
        raise ValueError(f"width must be a whole number of pixels from 40 to 400, not {width!r}")
    # A standalone SVG image needs its namespace; the inline copy in the handout does not.
    svg = SADDLE_SVG.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    height = round(width * 110 / 120)
    return (f'<img class="saddle-drawing" src="data:image/svg+xml;base64,{data}" width="{width}" height="{height}" '
            f'alt="{escape(SADDLE_ALT)}" align="left">')


def box_markdown_parts(locale: str | None = None) -> tuple[str, str]:
    """The red-flag box as two Markdown blockquotes, for notebooks: "now" (with the saddle drawing and its caption,
    floated left and cleared), and "today" with the "soon" advice and whose advice it is. Each goes in its own frame
    (``notebook_tools.red_flag_cell``)."""
    now = [f"> **⚠ Get help now.** {action('emergency', locale)}", ">", "> Do this if you have any of these:"]
    now += [f"> - **{f.label}.** {f.detail}" for f in flags_at("emergency", locale)]
    now += [">", f'> {saddle_img()} *{SADDLE_CAPTION}*<br clear="left">']
    today = [f"> **Get help today.** {action('urgent', locale)}", ">", "> Do this if you have any of these:"]
    today += [f"> - **{f.label}.** {f.detail}" for f in flags_at("urgent", locale)]
    today += [">", f"> {action('soon', locale)}", ">", f"> *{_for_whom(locale)}*"]
    return "\n".join(now), "\n".join(today)


def box_markdown(locale: str | None = None) -> str:
    """The red-flag box as Markdown: the "now" and the "today" blockquotes, one after the other, for one locale."""
    return "\n\n".join(box_markdown_parts(locale))


def box_html(locale: str | None = None) -> str:
    """The red-flag box as self-contained HTML (no external styles): two framed sections, "now" and "today"."""

    def items(level: str) -> str:
        flags = flags_at(level, locale)
        return "".join(f"<li><strong>{escape(f.label)}.</strong> {escape(f.detail)}</li>" for f in flags)

    return (
        f'<section class="red-flags {NOW_CLASS}" role="alert" aria-label="When to get help now" '
        f'style="{NOW_FRAME.css()}padding:0.6em 1em;margin:0.8em 0">'
        f'<h2 style="margin:0.2em 0;color:{NOW_FRAME.heading}">⚠ Get help now</h2>'
        f"<p><strong>{escape(action('emergency', locale))}</strong></p>"
        f"<p>Do this if you have any of these:</p><ul>{items('emergency')}</ul>"
        f'<figure class="saddle" style="margin:0.4em 0;display:flex;align-items:center;gap:0.8em" '
        f'aria-label="{escape(SADDLE_ALT)}">{SADDLE_SVG}<figcaption>{escape(SADDLE_CAPTION)}</figcaption></figure>'
        "</section>"
        f'<section class="red-flags-today {TODAY_CLASS}" aria-label="When to get help today" '
        f'style="{TODAY_FRAME.css()}padding:0.6em 1em;margin:0.8em 0">'
        f'<h2 style="margin:0.2em 0;color:{TODAY_FRAME.heading}">Get help today</h2>'
        f"<p><strong>{escape(action('urgent', locale))}</strong></p>"
        f"<p>Do this if you have any of these:</p><ul>{items('urgent')}</ul>"
        f"<p>{escape(action('soon', locale))}</p>"
        f'<p class="locale-note"><em>{escape(_for_whom(locale))}</em></p>'
        "</section>"
    )


def strip_text(locale: str | None = None) -> tuple[str, str]:
    """The one-line warning for the foot of a screen: (the emergency signs, what to do), for one locale."""
    signs = [f.label for f in flags_at("emergency", locale)]
    listed = "; ".join(s[0].lower() + s[1:] for s in signs)
    return listed, locales.get(locale).short_action("emergency")


def checklist_markdown(locale: str | None = None) -> str:
    """The red flags as a checklist a patient can print: now, today, soon, for one locale.

    The "now" signs are a plain list, not tick boxes: a box to tick invites filling in and waiting, where any one of
    them means going now (the handout does the same; a review found 06 ticking the 999 list)."""
    loc = locales.get(locale)
    lines: list[str] = []
    for level, mark in (("emergency", "- "), ("urgent", "- [ ] ")):
        lines += [f"**{loc.short_action(level).rstrip('.')} if:**", ""]
        lines += [f"{mark}{f.label}" for f in flags_at(level, locale)]
        lines.append("")
    lines += [f"**{loc.short_action('soon').rstrip('.')} if:**", "",
              "- [ ] it is not better after a few weeks, it is getting worse, or it stops me doing normal things", "",
              f"*{_for_whom(locale)}*"]
    return "\n".join(lines)
