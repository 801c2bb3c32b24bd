"""Errors written for people: say what was wrong and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

#: Most characters of a bad value that an error message repeats (a 1 MB id must not give a 1 MB message).
T = TypeVar("T")

SHOW_CHARS = 60


def shown(value: object, limit: int = SHOW_CHARS) -> str:
    """``repr(value)`` cut to about ``limit`` characters, with an ellipsis and the full length when cut.

    >>> shown("L4-L5")
    "'L4-L5'"
    >>> shown("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (1000 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        return f"{text[: limit - 3]}… ({len(value)} characters)"
    return f"{text[: limit - 3]}… ({len(text)} characters)"


def choose(value: object, allowed: Iterable[str], what: str) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ValueError naming them.

    >>> choose("L4-L5", ["L3-L4", "L4-L5"], "disc")
    'L4-L5'
    """
    allowed = tuple(allowed)
    options = ", ".join(allowed)
    if not isinstance(value, str):
        raise ValueError(
            f"{what} must be a string, not {type(value).__name__} {shown(value)}; choose one of {options}"
        )
    if value not in allowed:
        raise ValueError(f"unknown {what} {shown(value)}; choose one of {options}")
    return value


def pick(table: Mapping[str, T], key: object, what: str) -> T:
    """The entry of ``table`` under ``key``; any other key is a ValueError naming the allowed ones (:func:`choose`).

    >>> pick({"L4": 4, "L5": 5}, "L5", "root")
    5
    """
    return table[choose(key, table, what)]


def choose_many(values: object, allowed: Iterable[str], what: str) -> tuple[str, ...]:
    """Validate an iterable of ids (not a bare string) with :func:`choose`; keep order, drop repeats."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(
            f"{what}s must be a list or tuple of ids, not {type(values).__name__} {shown(values)}"
        )
    allowed = tuple(allowed)
    seen: dict[str, None] = {}
    for value in values:
        seen[choose(value, allowed, what)] = None
    return tuple(seen)


def fraction(value: object, what: str) -> float:
    """Return ``value`` as a float in [0, 1]; reject NaN, booleans, strings and out-of-range values."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number from 0 to 1, not {type(value).__name__} {shown(value)}")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also false for NaN
        raise ValueError(f"{what} must be a number from 0 to 1; got {shown(value)}")
    return value
