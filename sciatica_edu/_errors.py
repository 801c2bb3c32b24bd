"""Errors written for people: say what was wrong and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable


def choose(value: object, allowed: Iterable[str], what: str) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ValueError naming them.

    >>> choose("L4-L5", ["L3-L4", "L4-L5"], "disc")
    'L4-L5'
    """
    allowed = tuple(allowed)
    options = ", ".join(allowed)
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {type(value).__name__} {value!r}; choose one of {options}")
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; choose one of {options}")
    return value


def choose_many(values: object, allowed: Iterable[str], what: str) -> tuple[str, ...]:
    """Validate an iterable of ids (not a bare string) with :func:`choose`; keep order, drop repeats."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(
            f"{what}s must be a list or tuple of ids, not {type(values).__name__} {values!r}"
        )
    allowed = tuple(allowed)
    seen: dict[str, None] = {}
    for value in values:
        seen[choose(value, allowed, what)] = None
    return tuple(seen)


def fraction(value: object, what: str) -> float:
    """Return ``value`` as a float in [0, 1]; reject NaN, booleans, strings and out-of-range values."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number from 0 to 1, not {type(value).__name__} {value!r}")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also false for NaN
        raise ValueError(f"{what} must be a number from 0 to 1; got {value!r}")
    return value
