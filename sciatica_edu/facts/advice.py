"""What usually helps, how sciatica usually goes, scans, injections and operations (``data/advice.yaml``).

Plain sentences for patients, each with its sources; the handout, the session view and notebook 05 read
them from here so every view says the same thing. ``last_checked()`` is the date the clinical content
was last checked against its sources (shown on every handout and exported page).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sciatica_edu._errors import choose, pick
from sciatica_edu.facts import anatomy

__all__ = ["TOPICS", "Advice", "item", "items", "last_checked"]

Topic = Literal["about", "recovery", "self_care", "medicines", "procedures", "imaging", "summary"]
TOPICS: tuple[Topic, ...] = ("about", "recovery", "self_care", "medicines", "procedures", "imaging", "summary")


class Advice(BaseModel):
    """One plain sentence (or two) a patient reads, its topic and its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z_]+$")
    topic: Topic
    text: str = Field(min_length=10)
    sources: tuple[str, ...] = Field(min_length=1)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    last_checked: dt.date
    items: tuple[Advice, ...] = Field(min_length=1)


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "advice.yaml")
    anatomy.check_sources("advice.yaml", (s for a in parsed.items for s in a.sources))
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
