"""The textbook vignettes of ``data/vignettes.yaml``: single-root cases (a story, its findings, the expected root
and sources) that check the explorer's ranking (``model.ranking.vignette_report``). Schema and cached loader.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sciatica_edu.facts import anatomy
from sciatica_edu.facts.loader import load_yaml


class Vignette(BaseModel):
    """A textbook single-root case: a one-line story, its findings, the expected root and sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^v\d{2,}$")
    story: str = Field(min_length=10)
    regions: tuple[str, ...] = ()
    weakness: tuple[str, ...] = ()
    reflexes: tuple[str, ...] = ()
    expected: str
    pair: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_resolve(self) -> Vignette:
        region_ids = {r.id for r in anatomy.regions()}
        movement_ids = {m.id for m in anatomy.movements()}
        reflex_ids = {r.id for r in anatomy.reflexes()}
        root_names = {r.name for r in anatomy.roots()}
        refs = anatomy.references()
        problems = [f"region {x!r}" for x in self.regions if x not in region_ids]
        problems += [f"movement {x!r}" for x in self.weakness if x not in movement_ids]
        problems += [f"reflex {x!r}" for x in self.reflexes if x not in reflex_ids]
        problems += [f"root {x!r}" for x in (self.expected, self.pair) if x is not None and x not in root_names]
        problems += [f"source {x!r}" for x in self.sources if x not in refs]
        if problems:
            raise ValueError("unknown " + ", ".join(problems))
        if not (self.regions or self.weakness or self.reflexes):
            raise ValueError("a vignette needs at least one finding")
        return self


def parse_vignettes(payload: object) -> tuple[Vignette, ...]:
    """Validate a parsed vignette file; a DataError says what does not resolve."""
    return anatomy.parse_list(Vignette, "vignettes", "vignettes.yaml", payload)


@cache
def vignettes() -> tuple[Vignette, ...]:
    """The textbook vignettes of ``data/vignettes.yaml``, validated (every id must resolve)."""
    return parse_vignettes(load_yaml("vignettes.yaml"))
