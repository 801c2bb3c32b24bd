"""The common pictures (``data/presets.yaml``): each a stable id for the command line, a button label and the
:class:`~sciatica_edu.model.scenario.Compression` it shows, checked against the facts when loaded.

The session view's buttons and ``sciatica-edu handout --preset`` both read them here.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy
from sciatica_edu.model.scenario import Compression


class Preset(BaseModel):
    """One common picture: a stable ``id`` (for the command line), a button ``label`` and what it shows."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    label: str = Field(min_length=3)
    disc: str
    zone: str
    side: str
    severity: float
    cause: str = "disc_herniation"
    onset: str = "new"

    @property
    def compression(self) -> Compression:
        """The scenario this preset shows (validated against data/ like any Compression)."""
        return Compression(self.disc, self.zone, self.side, self.severity, cause=self.cause, onset=self.onset)


@cache
def presets() -> tuple[Preset, ...]:
    """The presets of ``data/presets.yaml``, each checked to make a valid Compression."""
    parsed = anatomy.parse_list(Preset, "presets", "presets.yaml")
    try:
        for p in parsed:
            p.compression  # noqa: B018 - validates disc, zone, side, severity, cause and onset
    except ValueError as exc:
        raise anatomy.DataError(f"data/presets.yaml is not valid:\n{exc}") from None
    return parsed


def preset(key: str) -> Preset:
    """One preset by its id or its button label, e.g. ``preset("central-stenosis")``."""
    table = {p.id: p for p in presets()}
    table.update({p.label: p for p in presets()})
    if isinstance(key, str) and key in table:
        return table[key]
    return table[choose(key, [p.id for p in presets()], "preset")]
