"""What can press on a nerve root (``data/causes.yaml``), validated like every data file.

Each cause has plain words for patients, how well established it is, its sources and, for causes in
the spine, where the spine drawing shows it (``inset``: a disc and a zone). ``Compression(cause=...)``
accepts the causes in the spine.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sciatica_edu._errors import pick
from sciatica_edu.facts import anatomy

__all__ = ["Cause", "Inset", "cause", "causes", "spinal_ids"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Inset(_Frozen):
    """Where the spine drawing shows a cause: a disc level and a zone."""

    disc: str
    zone: str


class Cause(_Frozen):
    """One cause: ``label`` and ``plain`` words, ``evidence`` (established or contested), ``inset``, sources."""

    id: str = Field(pattern=r"^[a-z_]+$")
    label: str = Field(min_length=3)
    plain: str = Field(min_length=20)
    evidence: Literal["established", "contested"]
    inset: Inset | None
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def spinal(self) -> bool:
        """True when the cause sits in the spine (it has a place on the spine drawing)."""
        return self.inset is not None


class _File(_Frozen):
    causes: tuple[Cause, ...] = Field(min_length=1)


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "causes.yaml")
    anatomy.check_sources("causes.yaml", (s for c in parsed.causes for s in c.sources))
    for c in parsed.causes:
        if c.inset is not None:
            try:
                anatomy.compressed_roots(c.inset.disc, c.inset.zone)
            except ValueError as exc:
                raise anatomy.DataError(f"data/causes.yaml: cause {c.id}: {exc}") from None
    return parsed


def causes() -> tuple[Cause, ...]:
    """Every cause, in file order (the commonest first)."""
    return _file().causes


def cause(cause_id: str) -> Cause:
    """One cause by id, e.g. ``cause("spinal_stenosis")``."""
    return pick({c.id: c for c in causes()}, cause_id, "cause")


def spinal_ids() -> tuple[str, ...]:
    """Ids of the causes in the spine: the ones a :class:`~sciatica_edu.model.scenario.Compression` can have."""
    return tuple(c.id for c in causes() if c.spinal)
