"""Symptom explorer: from where it is felt, what is weak and which reflex is reduced back to a root.

``rank_roots(regions, weakness, reflexes)`` scores every lumbar and sacral root against the
findings, using only the teaching map in ``data/roots.yaml``, and says why in plain sentences.

The method (a transparent points scheme, the same for every root)
------------------------------------------------------------------

Each finding adds or removes points for each root:

=====================================================  =========
Finding                                                 Points
=====================================================  =========
Region is the root's ISNCSCI key sensory point          +3
Region is in the root's usual skin area (dermatome)     +2, split between the roots that share it
Region is one some maps also give the root              +0.75 (sources disagree: weak evidence)
Region lies on the root's usual pain path only          +0.5 (radicular pain often leaves the dermatome)
Region belongs to another root and not at all to this   -1
Weak movement is the root's key muscle (listed first)   +3
Weak movement is another movement the root may weaken   +1.5
Weak movement belongs to other roots only               -1
Reduced reflex is the root's usual reflex               +2.5
Reduced reflex is one some sources add for the root     +1.25
Reduced reflex belongs to another root                  -2 (-1 if only "some sources" give it)
=====================================================  =========

So a key sensory point outweighs a dermatome area, which outweighs an area only some maps
give (``also_reported``, where the sources disagree [S20, S21]). Overlap is handled by partial
credit: an area in the dermatome of two roots gives each of them half the points, because
neighbouring dermatomes overlap and vary between people [S22, S22b, S23b]. Where sources
disagree about a muscle (lifting the front of the foot is the ISNCSCI key muscle of L4 [S53] but
L5-dominant in clinical texts [S54, S57b]), both roots score, one as key muscle and one as
"may also weaken". A finding that belongs to a different root counts against, which is how
"the ankle reflex belongs to S1, not L5" enters the score. Equal scores keep the order of
the spine (top first) and the text says that the findings cannot separate those roots.

Roots L2 to S2 are always scored; S3 to S5 only when the saddle area is among the findings
(that is a red flag: :func:`cautions` says what to do). The method assumes one root;
findings from two roots (or both legs) make the ranking less meaningful.

Why this is a teaching aid, not a diagnosis
-------------------------------------------

It shows how textbook patterns point backwards to a root; real people differ. Radicular pain
was outside the textbook dermatome in about two thirds of lumbar roots [S60]; clinicians told
L5 from S1 pain drawings no better than chance [S61]; and the full physical examination
localised L5 and S1 poorly (overall judgement LR+ 1.74 for L5 and 1.29 for S1) [S46]. Only
a clinician, with examination and, when needed, a scan that matches the symptoms, can say
which root is involved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sciatica_edu._errors import choose, choose_many, shown
from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.facts.vignettes import Vignette, vignettes
from sciatica_edu.model.words import and_join, leg_words

__all__ = [
    "ALSO_REPORTED",
    "DERMATOME",
    "KEY_MUSCLE",
    "KEY_POINT",
    "OTHER_MUSCLE",
    "OTHER_REFLEX",
    "PAIN_PATH",
    "REFLEX",
    "RootMatch",
    "Vignette",
    "cautions",
    "method_text",
    "parse_regions",
    "plain_text",
    "rank_roots",
    "ranking_text",
    "vignette_report",
    "vignettes",
]

KEY_POINT = 3.0
DERMATOME = 2.0
ALSO_REPORTED = 0.75
PAIN_PATH = 0.5
REGION_AGAINST = -1.0
KEY_MUSCLE = 3.0
OTHER_MUSCLE = 1.5
MOVEMENT_AGAINST = -1.0
REFLEX = 2.5
OTHER_REFLEX = 1.25
REFLEX_AGAINST = -2.0
OTHER_REFLEX_AGAINST = -1.0

SADDLE = "saddle"
NO_FINDINGS = "No findings were given, so no root fits better than another."
NOT_A_DIAGNOSIS = (
    "This ranking teaches typical textbook patterns; it cannot diagnose. Real patterns vary and "
    "overlap: clinicians told L5 from S1 pain drawings no better than chance [S61], and the full "
    "examination localises L5 and S1 poorly [S46]."
)


@dataclass(frozen=True)
class RootMatch:
    """How well one root fits the findings: ``score`` (points) and plain ``reasons`` (for, then against)."""

    root: str
    score: float
    reasons: tuple[str, ...]
    supports: tuple[str, ...] = ()
    against: tuple[str, ...] = ()


def _fmt(points: float) -> str:
    text = f"{points:+.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def parse_regions(regions: object) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Validate region ids or (region, side) pairs; return the ids (order kept) and the pairs given with a side."""
    if isinstance(regions, str) or not isinstance(regions, Iterable):
        raise ValueError(f"regions must be a list or tuple of ids, not {type(regions).__name__} {shown(regions)}")
    allowed = [r.id for r in anatomy.regions()]
    ids: dict[str, None] = {}
    pairs: dict[tuple[str, str], None] = {}
    for item in regions:
        if isinstance(item, (tuple, list)):
            if len(item) != 2:
                raise ValueError(f"a region with a side must be a (region, side) pair, not {shown(item)}")
            region_id = choose(item[0], allowed, "region")
            side = choose(item[1], anatomy.SIDES, "side")
            pairs[(region_id, side)] = None
        else:
            region_id = choose(item, allowed, "region")
        ids[region_id] = None
    return tuple(ids), tuple(pairs)


def _legs(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Region id -> " (left leg)", " (right leg)" or " (both legs)" for the regions given with a side."""
    sides: dict[str, set[str]] = {}
    for region_id, side in pairs:
        sides.setdefault(region_id, set()).add(side)
    return {reg: f" ({leg_words('both' if len(found) > 1 else next(iter(found)))})" for reg, found in sides.items()}


def _candidates(region_ids: tuple[str, ...]) -> tuple[anatomy.Root, ...]:
    """L2 to S2 always; the saddle roots (S3 to S5) only when the saddle area is a finding."""
    return tuple(r for r in anatomy.roots() if SADDLE not in r.dermatome or SADDLE in region_ids)


def rank_roots(regions: Iterable = (), weakness: Iterable[str] = (), reflexes: Iterable[str] = ()) -> list[RootMatch]:
    """Rank the roots for the findings, best first (see the module docstring for the points).

    ``regions``: region ids (or (region, side) pairs) where it is felt; ``weakness``: weak
    movement ids; ``reflexes``: reduced reflex ids. A region given with a side is named with its leg
    in the reasons ("the heel (left leg)"); the score does not depend on the side. Unknown ids raise a
    ValueError naming the allowed ones. With no findings every root scores 0 and the reasons say so.
    """
    region_ids, pairs = parse_regions(regions)
    legs = _legs(pairs)
    weak = choose_many(weakness, [m.id for m in anatomy.movements()], "movement")
    reduced = choose_many(reflexes, [r.id for r in anatomy.reflexes()], "reflex")
    candidates = _candidates(region_ids)
    if not (region_ids or weak or reduced):
        return [RootMatch(r.name, 0.0, (NO_FINDINGS,)) for r in candidates]

    skin_owners = {reg: [r.name for r in candidates if reg in r.dermatome] for reg in region_ids}
    point_owners = {reg: [r.name for r in candidates if r.key_sensory_point == reg] for reg in region_ids}
    matches = []
    for r in candidates:
        supports: list[str] = []
        against: list[str] = []
        score = 0.0
        also = {a.region: a for a in r.also_reported}
        for reg in region_ids:
            label = "the " + anatomy.region(reg).label + legs.get(reg, "")
            label_cap = "T" + label[1:]
            if r.key_sensory_point == reg:
                score += KEY_POINT
                supports.append(f"{label_cap} is {r.name}'s key sensory test spot ({_fmt(KEY_POINT)}).")
            elif reg in r.dermatome:
                sharers = skin_owners[reg]
                points = DERMATOME / len(sharers)
                score += points
                if len(sharers) == 1:
                    supports.append(f"{label_cap} is in {r.name}'s usual skin area ({_fmt(points)}).")
                else:
                    others = and_join(n for n in sharers if n != r.name)
                    supports.append(
                        f"{label_cap} is in {r.name}'s usual skin area, shared with {others}, "
                        f"so the credit is split ({_fmt(points)})."
                    )
            elif reg in also:
                score += ALSO_REPORTED
                supports.append(
                    f"Some sources also give {label} to {r.name}, but others do not ({_fmt(ALSO_REPORTED)}): "
                    f"{also[reg].note}."
                )
            elif reg in r.pain_course:
                score += PAIN_PATH
                supports.append(
                    f"{label_cap} lies on {r.name}'s usual pain path, though not its skin area ({_fmt(PAIN_PATH)})."
                )
            else:
                owners = [n for n in dict.fromkeys(point_owners[reg] + skin_owners[reg]) if n != r.name]
                if owners:
                    score += REGION_AGAINST
                    against.append(f"{label_cap} belongs to {and_join(owners)}, not {r.name} ({_fmt(REGION_AGAINST)}).")
        for mov in weak:
            label = anatomy.movement(mov).label
            if r.weakness and r.weakness[0] == mov:
                score += KEY_MUSCLE
                supports.append(f"Weakness in {label} is {r.name}'s key muscle test ({_fmt(KEY_MUSCLE)}).")
            elif mov in r.weakness:
                score += OTHER_MUSCLE
                supports.append(f"Weakness in {label} may also come from {r.name} ({_fmt(OTHER_MUSCLE)}).")
            else:
                owners = [o.name for o in candidates if mov in o.weakness]
                if owners:
                    score += MOVEMENT_AGAINST
                    against.append(
                        f"Weakness in {label} belongs to {and_join(owners)}, not {r.name} ({_fmt(MOVEMENT_AGAINST)})."
                    )
        for ref in reduced:
            label = anatomy.reflex(ref).label
            if r.reflex == ref:
                score += REFLEX
                supports.append(f"A reduced {label} is {r.name}'s usual reflex sign ({_fmt(REFLEX)}).")
            elif ref in r.other_reflexes:
                score += OTHER_REFLEX
                supports.append(
                    f"Some sources link a reduced {label} to {r.name}, others give {r.name} no reflex "
                    f"({_fmt(OTHER_REFLEX)})."
                )
            else:
                main = [o.name for o in candidates if o.reflex == ref]
                extra = [o.name for o in candidates if ref in o.other_reflexes]
                if main or extra:
                    points = REFLEX_AGAINST if main else OTHER_REFLEX_AGAINST
                    score += points
                    against.append(f"The {label} belongs to {and_join(main or extra)}, not {r.name} ({_fmt(points)}).")
        if not supports and not against:
            supports.append(f"None of the findings is part of {r.name}'s usual pattern (0).")
        matches.append(RootMatch(r.name, round(score, 2), tuple(supports + against), tuple(supports), tuple(against)))
    # sorted() is stable: equal scores keep the order of the spine.
    return sorted(matches, key=lambda m: -m.score)


def cautions(regions: Iterable = ()) -> tuple[str, ...]:
    """Red-flag sentences the findings call for (saddle area, both legs); empty when there are none."""
    region_ids, pairs = parse_regions(regions)
    notes = []
    if SADDLE in region_ids:
        flag = redflags.red_flag("saddle_numbness")
        notes.append(
            f"⚠ {flag.label}: this is a red flag (possible cauda equina syndrome). {redflags.action('emergency')}"
        )
    if {side for _, side in pairs} == set(anatomy.SIDES):
        flag = redflags.red_flag("both_legs")
        notes.append(f"⚠ {flag.label}: this is a red flag. {redflags.action('emergency')}")
    return tuple(notes)


def _score(points: float) -> str:
    """A score as text, with a real minus sign (as in the reasons)."""
    return f"{points:g}".replace("-", "−")


def _ties(matches: list[RootMatch]) -> list[list[RootMatch]]:
    """The ranking as groups of equal score, best first (the order inside a group is the spine's)."""
    groups: list[list[RootMatch]] = []
    for m in matches:
        if groups and groups[-1][0].score == m.score:
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def ranking_text(matches: list[RootMatch], notes: Iterable[str] = (), top: int = 3) -> str:
    """The ranking as plain text for a notebook or widget: red flags first, then about ``top`` roots with reasons.

    Equal scores share a place and say so ("1. L4 (score 1, tied with L5)"). Runners-up that tie at
    zero or below (findings that belong to other roots) are one line, "tied: L2, L3 and S2", not a list of
    reasons that all say the same; so are those in the "Others" line.
    """
    lines = list(notes)
    if notes:
        lines.append("")
    if not matches or all(m.reasons == (NO_FINDINGS,) for m in matches):
        lines += ["No findings yet: choose where it is felt, weak movements or reduced reflexes.", "", NOT_A_DIAGNOSIS]
        return "\n".join(lines)
    groups = _ties(matches)
    best = groups[0]
    tied = [m.root for m in best]
    lines.append(f"Best fit: {and_join(tied)} (score {_score(best[0].score)}).")
    if len(tied) > 1:
        lines.append(f"{and_join(tied)} fit equally well: these findings cannot tell them apart.")
    elif len(groups) > 1 and best[0].score - groups[1][0].score < 1.0:
        close = and_join(m.root for m in groups[1])
        lines.append(f"{best[0].root} and {close} are close: these findings barely separate them.")
    lines.append("")
    shown = 0
    place = 0
    for place, group in enumerate(groups, start=1):
        if shown >= top:
            place -= 1
            break
        score = _score(group[0].score)
        detailed = len(group) == 1 or place == 1 or (group[0].score > 0 and shown + len(group) <= top)
        if not detailed:
            lines.append(f"{place}. tied: {and_join(m.root for m in group)} (score {score} each)")
        for m in group if detailed else ():
            others = [o.root for o in group if o is not m]
            with_others = f", tied with {and_join(others)}" if others else ""
            lines.append(f"{place}. {m.root} (score {score}{with_others})")
            lines += [f"   + {s}" for s in m.supports]
            lines += [f"   − {s}" for s in m.against]
        shown += len(group)
    rest = [
        f"{group[0].root} {_score(group[0].score)}"
        if len(group) == 1
        else f"tied at {_score(group[0].score)}: {and_join(m.root for m in group)}"
        for group in groups[place:]
    ]
    if rest:
        lines.append("Others: " + "; ".join(rest) + ".")
    lines += ["", NOT_A_DIAGNOSIS]
    return "\n".join(lines)


def plain_text(rst: str) -> str:
    """reStructuredText as plain text for students: no ``code`` quotes, :role:`x` markup or table and title rules.

    ``rank_roots`` becomes rank_roots, :func:`cautions` becomes cautions(), and lines made only of
    ``=`` or ``-`` (table borders, title underlines) are dropped.
    """
    text = re.sub(r":(?:func|meth|class|mod|attr|data|obj):`~?([^`]+)`", lambda m: m.group(1).split(".")[-1]
                  + ("()" if m.group(0).startswith((":func:", ":meth:")) else ""), rst)  # fmt: skip
    text = re.sub(r"``([^`]+)``", r"\1", text)
    lines = [line for line in text.splitlines() if not re.fullmatch(r"\s*[=-]{3,}[=\s-]*", line)]
    return "\n".join(lines).strip()


def method_text() -> str:
    """The points scheme and its caveats from this module's docstring, as plain text (for the student notebook)."""
    return plain_text(__doc__.split("\n", 2)[2])


# ---- textbook vignettes (data/vignettes.yaml, facts/vignettes.py) ---------------------------


def vignette_report() -> str:
    """How the ranking does on the textbook vignettes: top-1 hits out of all, and each miss with its reasons."""
    cases = vignettes()
    lines, hits = [], 0
    for v in cases:
        ranking = rank_roots(v.regions, v.weakness, v.reflexes)
        if ranking[0].root == v.expected:
            hits += 1
            continue
        lines.append(f"Miss {v.id}: expected {v.expected}, ranked {ranking[0].root} first. {v.story}")
    head = f"Top-ranked root matches the textbook root in {hits} of {len(cases)} vignettes."
    return "\n".join([head, *lines])
