"""What usually helps, how sciatica usually goes, scans, injections and operations (``data/advice.yaml``).

Plain sentences for patients, each with its sources; the handout, the session view and notebook 05 read
them from here so every view says the same thing. ``last_checked()`` is the date the clinical content
was last checked against its sources (shown on every handout and exported page). ``timeline(locale)`` is notebook
05's usual timeline, four stages in order, each with what usually happens and what to do then: its picture
(``diagram.timeline_figure``) reads it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sciatica_edu._errors import choose, pick
from sciatica_edu.facts import anatomy, locales

__all__ = [
    "TOPICS", "Advice", "Stage", "item", "items", "last_checked", "timeline",
]

Topic = Literal["about", "recovery", "self_care", "medicines", "procedures", "imaging", "summary"]
TOPICS: tuple[Topic, ...] = ("about", "recovery", "self_care", "medicines", "procedures", "imaging", "summary")


class Advice(BaseModel):
    """One plain sentence (or two) a patient reads, its topic and its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z_]+$")
    topic: Topic
    text: str = Field(min_length=10)
    sources: tuple[str, ...] = Field(min_length=1)


#: The one word a timeline stage's ``todo`` may leave to the locale: the doctor to see (GP in the UK).
DOCTOR_SLOT = "{doctor}"


class Stage(BaseModel):
    """One stage of the usual timeline: when (a time), what usually happens then and what to do, each sourced.

    ``todo`` may hold ``{doctor}``, the locale's word for the doctor to see; :func:`timeline` fills it in."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z_]+$")
    when: str = Field(min_length=3, max_length=24)
    happens: str = Field(min_length=10)
    happens_sources: tuple[str, ...] = Field(min_length=1)
    todo: str = Field(min_length=10)
    todo_sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("happens", "todo")
    @classmethod
    def _one_slot_only(cls, text: str) -> str:
        if "{" in text.replace(DOCTOR_SLOT, "") or "}" in text.replace(DOCTOR_SLOT, ""):
            raise ValueError(f"the only word left to the locale is {DOCTOR_SLOT}: {text!r}")
        return text


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    last_checked: dt.date
    items: tuple[Advice, ...] = Field(min_length=1)
    timeline: tuple[Stage, ...] = Field(min_length=2)


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "advice.yaml")
    anatomy.check_sources("advice.yaml", (s for a in parsed.items for s in a.sources))
    anatomy.check_sources("advice.yaml", (s for t in parsed.timeline for s in (*t.happens_sources, *t.todo_sources)))
    return parsed


def items(topic: str | None = None) -> tuple[Advice, ...]:
    """Every advice item in reading order, or those of one topic."""
    if topic is None:
        return _file().items
    topic = choose(topic, TOPICS, "advice topic")
    return tuple(a for a in _file().items if a.topic == topic)


def item(advice_id: str) -> Advice:
    """One advice item by id, e.g. ``item("heat_numb_skin")``."""
    return pick({a.id: a for a in _file().items}, advice_id, "advice item")


def last_checked() -> dt.date:
    """When the clinical content was last checked against its sources."""
    return _file().last_checked


def timeline(locale: str | None = None) -> tuple[Stage, ...]:
    """The usual timeline's stages in order, with ``{doctor}`` filled in with ``locale``'s word (GP in the UK; default:
    the locale in force). An unknown locale is a ValueError naming the allowed ones."""
    doctor = locales.get(locale).doctor
    return tuple(s.model_copy(update={"todo": s.todo.replace(DOCTOR_SLOT, doctor)}) for s in _file().timeline)


