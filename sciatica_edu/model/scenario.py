"""A compressed nerve root and the symptoms it typically gives: a *teaching model*.

``Compression(disc, zone, side, severity)`` names a disc bulge; ``.roots`` are the roots it
presses on (``data/discs.yaml``) and ``.symptoms()`` paints their typical territory.

The teaching model of peripheralisation and centralisation (not a prediction):

* mild (severity below about 0.3): pain near the spine and in the buttock;
* rising severity: pain reaches further down the root's usual course
  (thigh, then calf, then foot, then toes), tingling joins;
* from 0.55 numbness joins in the root's outer skin area and key sensory point,
  from 0.7 weakness of the root's key movements;
* a severe central bulge (0.8 and above) squeezes every root below it, down to the sacral
  roots for the saddle, bladder and bowel: saddle numbness and the cauda-equina red flags.

A central bulge has no side: it presses on both sides (``side`` is ``"both"``). ``cause`` (a spinal
cause of ``data/causes.yaml``, default ``"disc_herniation"``) and ``onset`` (``"new"`` or
``"long_standing"``) change the red flags: a long-standing narrowing (spinal stenosis) felt in both
legs is a reason to see a doctor soon, not an emergency, unless it is new, severe, getting worse or
comes with cauda equina signs; a new bulge felt in both legs stays an emergency [S12, S39, S40b].

Lowering severity walks the same path back up the leg. Real patterns often cross dermatome borders
[S60, S61] and vary between people [S20, S22]: this model teaches the typical pattern and cannot diagnose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sciatica_edu._errors import choose, fraction
from sciatica_edu.facts import anatomy, causes

__all__ = [
    "CAUDA_EQUINA_SEVERITY",
    "KINDS",
    "MODEL_FLAGS",
    "NUMBNESS_FROM",
    "ONSETS",
    "SIDE_CHOICES",
    "TINGLING_FROM",
    "WEAKNESS_FROM",
    "Compression",
    "Symptom",
    "severity_word",
]

KINDS = ("pain", "tingling", "numbness", "weakness", "cramp")
SIDE_CHOICES = ("left", "right", "both")
#: Every red-flag id ``Compression.red_flags()`` can return (the figure precomputes a warning line for each).
MODEL_FLAGS = ("both_legs", "both_legs_long_standing", "saddle_numbness", "bladder_bowel_change", "worsening_weakness")
#: How long the symptoms have been there: "new" (days or weeks) or "long_standing" (built up over months).
ONSETS = ("new", "long_standing")

#: Severity at which the pain front reaches the end of the root's course (the toes).
FULL_REACH = 0.75
TINGLING_FROM = 0.35
CRAMP_FROM = 0.4
NUMBNESS_FROM = 0.55
WEAKNESS_FROM = 0.7
CAUDA_EQUINA_SEVERITY = 0.8
MAJOR_WEAKNESS_FROM = 0.9

Kind = Literal["pain", "tingling", "numbness", "weakness", "cramp"]


@dataclass(frozen=True, order=True)
class Symptom:
    """One kind of symptom in one region on one side; ``intensity`` runs from 0 to 1."""

    region: str
    side: Literal["left", "right"]
    kind: Kind
    intensity: float


#: Below this the teaching model keeps the pain near the spine and the buttock: "mild".
MILD_BELOW = 0.3


def severity_word(severity: float) -> str:
    """How strong, in a patient's words: none, mild (pain near the spine and buttock, below 0.3), moderate, or
    strong (from 0.7, where weakness joins)."""
    s = fraction(severity, "severity")
    if s == 0:
        return "none"
    if s < MILD_BELOW:
        return "mild"
    return "moderate" if s < WEAKNESS_FROM else "strong"


def _clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


@dataclass(frozen=True)
class Compression:
    """Something at a disc level pressing on nerve roots.

    ``disc`` one of L3-L4, L4-L5, L5-S1; ``zone`` central, paracentral, foraminal or far_lateral;
    ``side`` left, right or both (a central bulge is always ``both``; leave ``side`` out and it is
    ``left``, or ``both`` for central); ``severity`` a number from 0 to 1; ``cause`` a spinal cause
    from ``data/causes.yaml``; ``onset`` new or long_standing. Bad values raise a ValueError that
    names the allowed ones.
    """

    disc: str = "L4-L5"
    zone: str = "paracentral"
    side: str | None = None
    severity: float = 0.5
    cause: str = "disc_herniation"
    onset: str = "new"

    def __post_init__(self) -> None:
        choose(self.disc, anatomy.DISCS, "disc")
        choose(self.zone, anatomy.ZONES, "zone")
        if self.side is None:
            object.__setattr__(self, "side", "both" if self.zone == "central" else "left")
        choose(self.side, SIDE_CHOICES, "side")
        if self.zone == "central" and self.side != "both":
            raise ValueError(
                f"a central bulge presses on both sides, so its side is 'both', not {self.side!r}; "
                "choose side='both' or leave side out"
            )
        object.__setattr__(self, "severity", fraction(self.severity, "severity"))
        choose(self.cause, causes.spinal_ids(), "cause")
        choose(self.onset, ONSETS, "onset")

    @property
    def sides(self) -> tuple[str, ...]:
        """The body sides the symptoms are on: ``("left",)``, ``("right",)`` or both."""
        return ("left", "right") if self.side == "both" else (self.side,)

    @property
    def cauda_equina(self) -> bool:
        """True when a severe central bulge may squeeze the whole bundle of roots."""
        return self.zone == "central" and self.severity >= CAUDA_EQUINA_SEVERITY

    @property
    def roots(self) -> tuple[str, ...]:
        """Roots pressed on, top to bottom; a severe central bulge squeezes every root below it."""
        names = list(anatomy.compressed_roots(self.disc, self.zone))
        if self.cauda_equina:
            names += [r for r in anatomy.roots_below(self.disc) if r not in names]
        order = [r.name for r in anatomy.roots()]
        return tuple(sorted(names, key=order.index))

    def symptoms(self) -> tuple[Symptom, ...]:
        """Symptoms of the teaching model, sorted by region, side and kind; empty at severity 0."""
        s = self.severity
        if s == 0:
            return ()
        best: dict[tuple[str, str, str], float] = {}

        def add(region: str, kind: str, intensity: float, sides: tuple[str, ...]) -> None:
            intensity = round(_clip(intensity), 3)
            if intensity <= 0:
                return
            for side in sides:
                key = (region, side, kind)
                best[key] = max(best.get(key, 0.0), intensity)

        reach = _clip(s / FULL_REACH)
        for name in self.roots:
            r = anatomy.root(name)
            sides = self.sides
            course = r.pain_course
            depth = {reg: (i / (len(course) - 1) if len(course) > 1 else 0.0) for i, reg in enumerate(course)}
            reached = [reg for reg in course if depth[reg] <= reach + 1e-9]
            for reg in reached:
                behind_front = (reach - depth[reg]) / 0.3
                add(reg, "pain", s * (0.6 + 0.4 * _clip(behind_front)), sides)
            outer = [reg for reg in r.dermatome if depth.get(reg, 1.0) >= 0.5]
            if s >= TINGLING_FROM:
                for reg in r.dermatome:
                    if reg in reached or (s >= NUMBNESS_FROM and reg in outer):
                        add(reg, "tingling", 0.8 * s, sides)
            if s >= CRAMP_FROM:
                for reg in r.cramp_regions:
                    add(reg, "cramp", 0.6 * s, sides)
            if s >= NUMBNESS_FROM:
                numb = (s - NUMBNESS_FROM + 0.1) / (1 - NUMBNESS_FROM + 0.1)
                for reg in {r.key_sensory_point, *outer}:
                    add(reg, "numbness", numb, sides)
            if s >= WEAKNESS_FROM:
                weak = (s - WEAKNESS_FROM + 0.1) / (1 - WEAKNESS_FROM + 0.1)
                for mov in r.weakness:
                    add(anatomy.movement(mov).noticed_at, "weakness", weak, sides)
        return tuple(sorted(Symptom(reg, side, kind, i) for (reg, side, kind), i in best.items()))

    def weak_movements(self) -> tuple[str, ...]:
        """Movement ids that may be weaker in this scenario (empty below the weakness threshold)."""
        if self.severity < WEAKNESS_FROM:
            return ()
        seen: dict[str, None] = {}
        for name in self.roots:
            for mov in anatomy.root(name).weakness:
                seen[mov] = None
        return tuple(seen)

    @property
    def long_standing_stenosis(self) -> bool:
        """True for a narrowing that has built up over months (not a new bulge)."""
        return self.cause == "spinal_stenosis" and self.onset == "long_standing"

    def red_flags(self) -> tuple[str, ...]:
        """Red-flag ids this scenario raises (see ``data/red_flags.yaml``); empty when none.

        Symptoms in both legs are an emergency, except a long-standing narrowing (spinal stenosis)
        without cauda equina signs: that is a reason to see a doctor soon, and an emergency only if
        it turns new, severe or worse, or comes with saddle numbness or bladder or bowel change.
        """
        flags: list[str] = []
        if self.severity == 0:
            return ()
        if self.side == "both":
            flags.append("both_legs_long_standing" if self.long_standing_stenosis and not self.cauda_equina
                         else "both_legs")
        if self.cauda_equina:
            flags += ["saddle_numbness", "bladder_bowel_change"]
        if self.severity >= MAJOR_WEAKNESS_FROM and self.weak_movements():
            flags.append("worsening_weakness")
        return tuple(flags)
