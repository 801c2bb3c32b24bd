"""The paint rule: how each skin region is coloured and patterned for an example, and the words on the figure
(hover text per region, the red warning line under the key).

A region's colour is the strongest intensity of any symptom there; its fill pattern shows the kind that matters
most for the nerve (``words.KIND_PRIORITY``; pain alone is a plain fill). The hover text lists every kind. One
pure function, :func:`region_paint`, that the figure, the widget, the static figure and the tests share.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape

from sciatica_edu._errors import choose, shown
from sciatica_edu.facts import anatomy, locales, redflags
from sciatica_edu.figures.style import KIND_PATTERNS, _colour
from sciatica_edu.model.scenario import MODEL_FLAGS, Compression, Symptom
from sciatica_edu.model.words import KIND_WORDS, place_kinds, strength_word


@dataclass(frozen=True)
class Paint:
    """How one region on one side is painted: fill colour, pattern shape and the hover sentence."""

    color: str
    pattern: str
    status: str
    kinds: tuple[tuple[str, float], ...] = ()


def region_paint(
    symptoms: Iterable[Symptom], kinds: Iterable[str] | None = None, *, patterns: dict[str, str] | None = None
) -> dict[tuple[str, str], Paint]:
    """Paint for each painted (region, side): colour = strongest intensity, pattern = kind by priority.

    ``patterns`` maps kind -> fill pattern (default :data:`KIND_PATTERNS`, the student look;
    :data:`PATIENT_PATTERNS` has fewer, clearer ones)."""
    patterns = KIND_PATTERNS if patterns is None else patterns
    out: dict[tuple[str, str], Paint] = {}
    for place, listed in place_kinds(symptoms, kinds).items():
        top = max(v for _, v in listed)
        words = "; ".join(f"{strength_word(v)} {KIND_WORDS[k]}" for k, v in listed)
        # the first kind (by priority) that has a pattern; pain alone is a plain fill
        shape = next((patterns[k] for k, _ in listed if patterns[k]), "")
        out[place] = Paint(_colour(top), shape, words, listed)
    return out


@cache
def _supplying_roots() -> dict[str, tuple[str, ...]]:
    """Region id -> roots whose usual skin area (dermatome) includes it."""
    table: dict[str, list[str]] = {r.id: [] for r in anatomy.regions()}
    for r in anatomy.roots():
        for reg in r.dermatome:
            table[reg].append(r.name)
    return {k: tuple(v) for k, v in table.items()}


def _hover(region_id: str, side: str, status: str) -> str:
    reg = anatomy.region(region_id)
    roots = _supplying_roots()[region_id]
    supply = ", ".join(roots) if roots else "no single root in this map"
    return (
        f"<b>{escape(reg.label)}</b> (patient's {side})<br>"
        f"<i>{escape(reg.term)}</i><br>"
        f"Nerve roots that usually supply it: {supply}<br>"
        f"Here: {escape(status).replace('; ', '<br>&nbsp;&nbsp;')}"
    )


def _warning(compression: Compression | None, locale: str) -> str:
    """A short red line on the figure when the example has red flags: the first sign and the locale's
    whole action for the most urgent level (the full advice is in the words below the figure)."""
    flags = compression.red_flags() if compression is not None else ()
    if not flags:
        return ""
    return _warning_line(flags[0], redflags.urgency(flags, locale), locale)


def _warning_line(flag_id: str, level: str, locale: str) -> str:
    """The warning line drawn under the key: the sign and the locale's whole short action, wrapped to fit the
    key's column (about 40 characters a line at 13 px)."""

    # without its explanations in brackets: the page around the figure spells out A&E and the like
    todo = re.sub(r" \([^)]*\)", "", locales.get(locale).short_action(level))
    sign = f"⚠ Warning sign: {redflags.red_flag(flag_id).label.lower()}."
    sign_lines = [escape(x) for x in textwrap.wrap(sign, 40)]
    sign_lines[0] = sign_lines[0].replace("⚠ Warning sign:", "<b>⚠ Warning sign:</b>", 1)
    todo_lines = [f"<b>{escape(x)}</b>" for x in textwrap.wrap(todo, 40)]
    return "<br>".join(sign_lines + todo_lines)


@cache
def warning_lines(locale: str) -> tuple[str, ...]:
    """Every warning line the figure can show in ``locale`` (first flag x urgency), transparent but the current one."""
    return tuple(_warning_line(f, level, locale) for f in MODEL_FLAGS for level in ("emergency", "urgent", "soon"))


def _nothing(root: str | None, selection) -> str:
    if root is not None:
        return "not in this root's usual area"
    if selection is not None:
        return "not picked"
    return "nothing in this example"


def _check_pair(pair: object) -> tuple[str, str]:
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"a selection is a list of (region, side) pairs, not {shown(pair)}")
    reg, side = pair
    return choose(reg, [r.id for r in anatomy.regions()], "region"), choose(side, anatomy.SIDES, "side")
