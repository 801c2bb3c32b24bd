"""Where to get help, per country (``data/locales.yaml``): one output speaks for one locale only.

A locale is ``uk``, ``us`` or ``intl``. Every function that writes advice takes ``locale=None``,
meaning :func:`current`: the ``SCIATICA_EDU_LOCALE`` environment variable if set, else the default
in ``data/locales.yaml`` (``uk``: the kit's guidance is NICE's and the NHS's). ``sciatica-edu
handout|present|export --locale`` set it for what they write or serve.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy

__all__ = ["LOCALE_ENV", "Locale", "current", "get", "ids", "locales", "resolve"]

#: Environment variable that chooses the locale of everything the kit writes or shows.
LOCALE_ENV = "SCIATICA_EDU_LOCALE"

Urgency = Literal["emergency", "urgent", "soon"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "urgent", "soon")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Word(_Frozen):
    """An abbreviation or name the actions use, and what it means in plain words."""

    term: str = Field(min_length=2)
    plain: str = Field(min_length=5)


class Locale(_Frozen):
    """One country's (or the general) advice: the action per urgency, a short form, who "your doctor" is."""

    id: str = Field(pattern=r"^[a-z]+$")
    name: str
    short_name: str
    actions: dict[Urgency, str]
    short: dict[Urgency, str]
    doctor: str
    words: tuple[Word, ...] = ()
    sources: dict[Urgency, tuple[str, ...]]

    @model_validator(mode="after")
    def _every_level(self) -> Locale:
        for field in ("actions", "short", "sources"):
            if set(getattr(self, field)) != set(URGENCIES):
                raise ValueError(f"locale {self.id}: {field} must give emergency, urgent and soon")
        return self

    def action(self, urgency: str) -> str:
        """What to do at this urgency level, as a full sentence."""
        return self.actions[choose(urgency, URGENCIES, "urgency")]

    def short_action(self, urgency: str) -> str:
        """The same, in a few words (the warning line on the figure)."""
        return self.short[choose(urgency, URGENCIES, "urgency")]


class _File(_Frozen):
    default: str
    locales: tuple[Locale, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> _File:
        if self.default not in {loc.id for loc in self.locales}:
            raise ValueError(f"default locale {self.default!r} is not one of the locales")
        return self


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "locales.yaml")
    anatomy.check_sources("locales.yaml", (s for loc in parsed.locales for ids in loc.sources.values() for s in ids))
    return parsed


def locales() -> tuple[Locale, ...]:
    """Every locale, in file order."""
    return _file().locales


def ids() -> tuple[str, ...]:
    """The locale ids: ``("uk", "us", "intl")``."""
    return tuple(loc.id for loc in locales())


def resolve(locale: str | None = None) -> str:
    """A valid locale id: ``locale`` if given, else :func:`current`; unknown ids raise a ValueError naming them."""
    if locale is None:
        return current()
    return choose(locale, ids(), "locale")


def current() -> str:
    """The locale in force: ``$SCIATICA_EDU_LOCALE`` if set (it must be valid), else the data's default."""
    chosen = os.environ.get(LOCALE_ENV, "").strip()
    if chosen:
        return choose(chosen, ids(), f"locale (from ${LOCALE_ENV})")
    return _file().default


def get(locale: str | None = None) -> Locale:
    """The :class:`Locale` for ``locale`` (default: :func:`current`)."""
    wanted = resolve(locale)
    return next(loc for loc in locales() if loc.id == wanted)
