"""Red flags: signs that need urgent help, and exactly what to do (``data/red_flags.yaml``).

``box_markdown()`` and ``box_html()`` give the red-flag box that every patient-facing view
carries (notebooks, the session view, handouts).
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sciatica_edu import anatomy
from sciatica_edu._errors import choose

__all__ = ["RedFlag", "action", "box_html", "box_markdown", "red_flag", "red_flags"]

Urgency = Literal["emergency", "urgent", "soon"]


class RedFlag(BaseModel):
    """One warning sign: plain ``label`` and ``detail``, how urgent, its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    label: str
    detail: str
    urgency: Urgency
    cauda_equina: bool
    sources: tuple[str, ...] = Field(min_length=1)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    red_flags: tuple[RedFlag, ...]
    actions: dict[Urgency, str]
    action_sources: dict[Urgency, tuple[str, ...]]


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "red_flags.yaml")
    cited = [s for f in parsed.red_flags for s in f.sources]
    anatomy.check_sources("red_flags.yaml", cited + [s for ids in parsed.action_sources.values() for s in ids])
    return parsed


def red_flags() -> tuple[RedFlag, ...]:
    """All red flags, the cauda-equina emergencies first."""
    return _file().red_flags


def red_flag(flag_id: str) -> RedFlag:
    """One red flag by id, e.g. ``red_flag("saddle_numbness")``."""
    table = {f.id: f for f in _file().red_flags}
    return table[choose(flag_id, table, "red flag")]


def action(urgency: str) -> str:
    """What to do for an urgency level: emergency, urgent or soon."""
    actions = _file().actions
    return actions[choose(urgency, actions, "urgency")]


def box_markdown() -> str:
    """The red-flag box as Markdown (a blockquote), for notebooks."""
    emergency = [f for f in red_flags() if f.urgency == "emergency"]
    lines = ["> **⚠ Get help now.** " + action("emergency"), ">", "> Do this if you have any of these:"]
    lines += [f"> - **{f.label}.** {f.detail}" for f in emergency]
    lines += [">", "> " + action("urgent") + " Do this for weakness that gets worse, a fever, or pain after a fall."]
    return "\n".join(lines)


def box_html() -> str:
    """The red-flag box as self-contained HTML (no external styles), for the session view and handouts."""
    emergency = [f for f in red_flags() if f.urgency == "emergency"]
    items = "".join(f"<li><strong>{escape(f.label)}.</strong> {escape(f.detail)}</li>" for f in emergency)
    return (
        '<section class="red-flags" role="alert" aria-label="When to get help urgently" '
        'style="border:3px solid #b00020;border-radius:8px;padding:0.6em 1em;margin:0.8em 0;'
        'background:#fff4f4;color:#1a1a1a">'
        '<h2 style="margin:0.2em 0;color:#8a0018">⚠ Get help now</h2>'
        f'<p><strong>{escape(action("emergency"))}</strong></p>'
        f"<p>Do this if you have any of these:</p><ul>{items}</ul>"
        f"<p>{escape(action('urgent'))} Do this for weakness that gets worse, a fever, or pain after a fall.</p>"
        "</section>"
    )
