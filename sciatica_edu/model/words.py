"""The body picture in words: every sentence the figures, widgets, session view and handout build from the facts.

Pure Python (no plotly): :func:`describe` says what the picture shows (what is pressed, then what to do if the
example has warning signs, then which areas, which side, what kind, how strong, and the caveat);
:func:`pressing_sentence` what presses where; :func:`warning_sentences` the example's red flags with the locale's
action; the titles name what a patient figure shows. Every clinical word comes from ``data/`` (roots, regions, red
flags, locales). Dermatomes overlap and vary between people [S20, S22]: a typical pattern, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from sciatica_edu._errors import choose, choose_many
from sciatica_edu.facts import anatomy, causes, locales, redflags
from sciatica_edu.model.scenario import KINDS, Compression, Symptom

#: When several kinds meet in one region, the pattern shows the first of these.
KIND_PRIORITY = ("numbness", "tingling", "weakness", "cramp", "pain")
KIND_WORDS = {
    "pain": "pain",
    "tingling": "tingling (pins and needles)",
    "numbness": "numbness (less feeling)",
    "weakness": "weakness",
    "cramp": "cramp",
}


def place_kinds(
    symptoms: Iterable[Symptom], kinds: Iterable[str] | None = None
) -> dict[tuple[str, str], tuple[tuple[str, float], ...]]:
    """The kinds felt at each (region, side) with their intensity, in :data:`KIND_PRIORITY` order.

    ``kinds`` keeps only those kinds (default all); a symptom of intensity 0 is not felt."""
    keep = set(KINDS if kinds is None else kinds)
    by_place: dict[tuple[str, str], dict[str, float]] = {}
    for s in symptoms:
        if s.kind in keep and s.intensity > 0:
            by_place.setdefault((s.region, s.side), {})[s.kind] = s.intensity
    return {
        place: tuple(sorted(found.items(), key=lambda kv: KIND_PRIORITY.index(kv[0])))
        for place, found in by_place.items()
    }


def strength_word(intensity: float) -> str:
    """How strong a symptom of ``intensity`` (0 to 1) is, in one word: "mild", "some" or "strong"."""
    if intensity >= 0.75:
        return "strong"
    if intensity >= 0.45:
        return "some"  # "moderate" pushed long descriptions past reading grade 7
    return "mild"


#: The patient key's words for the two marks that are not skin patterns: the arrow to a weak movement, and the
#: dashed outline the handout draws round each area the patient said they feel. The figure's key, its printed copy
#: and the handout's "How to read it" (:func:`how_to_read`) all use these.
WEAK_KEY_WORDS = "a movement that may be weak"
FELT_KEY_WORDS = "where you said you feel it"


def how_to_read(*, arrows: bool, felt: bool) -> str:
    """The handout's "How to read it" words for its picture, naming only the marks the picture draws: the weakness
    arrows when it has any, the dashed outline when the patient's areas are marked (clinician review, issue 14)."""
    parts = ["darker colours mean stronger symptoms; patterns show the kind (see the key)."]
    if arrows:
        parts.append("Arrows point to movements that may be weak.")
    if felt:
        parts.append(f"A dashed outline marks {FELT_KEY_WORDS}.")
    return " ".join(parts)


NOTHING_TITLE = "The body picture"
SELECTION_TITLE = "The areas picked"


def roots_words(roots: Iterable[str]) -> str:
    """``L5``; ``L5 and S1``; three or more in a row: ``L5 to S5``."""
    roots = list(roots)
    if len(roots) > 2:
        return f"{roots[0]} to {roots[-1]}"
    return and_join(roots)


def leg_words(side: str) -> str:
    """The leg or legs of a side in a patient's words: "left leg", "right leg" or "both legs"."""
    return "both legs" if side == "both" else f"{choose(side, anatomy.SIDES, 'side')} leg"


def compression_title(c: Compression) -> str:
    """What a picture of ``c`` shows, as its title: "Where a pressed L5 root is often felt: left leg"."""
    if len(c.roots) == 1:
        return f"Where a pressed {c.roots[0]} root is often felt: {leg_words(c.side)}"
    return f"Where pressed {roots_words(c.roots)} roots are often felt: {leg_words(c.side)}"


def root_title(name: str) -> str:
    """The title of a picture of one root's usual skin area."""
    return f"The usual skin area of the {name} root"


#: Where a bulge points, in a patient's words (the zone labels of data/discs.yaml, without the term).
ZONE_WORDS = {
    "central": "in the middle",
    "paracentral": "just off the middle",
    "foraminal": "in the side opening",
    "far_lateral": "outside the side opening",
}


def pressing_sentence(compression: Compression) -> str:
    """What presses where, in one or two plain sentences: the cause, the disc level, the side and the roots.

    A central bulge has no side: it presses on both sides. Shared by :func:`describe`, the session view
    and the handout, so every view says the same thing.
    """
    c = compression
    roots = and_join(list(c.roots))
    noun = "roots" if len(c.roots) > 1 else "root"
    where = ZONE_WORDS[c.zone]
    side = "" if c.zone == "central" else f", on the {c.side} side" if c.side != "both" else ", on both sides"
    if c.cause == "disc_herniation":
        first = f"The {c.disc} disc bulges {where}{side}."
    elif c.cause == "spinal_stenosis":
        first = f"The space for the nerves is narrowed at the {c.disc} level, {where}{side}."
    else:
        first = f"{causes.cause(c.cause).label} at the {c.disc} level, {where}{side}."
    both = " on both sides" if c.side == "both" else ""
    text = f"{first} It presses on the {roots} nerve {noun}{both}."
    if c.onset == "long_standing":
        text += " This has built up slowly over months."
    return text


def describe(
    compression: Compression | None, *, kinds: Iterable[str] | None = None, locale: str | None = None
) -> str:
    """The picture in plain words: what is pressed, what to do if the example has warning signs, which areas, which
    side, what kind, how strong, and the caveat.

    ``kinds`` is the picture's display filter: the words still tell every symptom of the example and
    say which kinds the picture shows. ``locale`` chooses whose emergency numbers the words give.
    """
    shown = None if kinds is None else choose_many(kinds, KINDS, "symptom kind")
    locale = locales.resolve(locale)
    if compression is None:
        return "Nothing is marked on the body yet. " + caveat_words()
    if not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
    painted = place_kinds(compression.symptoms())
    # The warning comes straight after what is pressed, before the lists: with both legs those run to about 40
    # lines, and a warning after them was the last thing a reader reached (ninth review).
    lines = [pressing_sentence(compression), *warning_sentences(compression, locale)]
    if not painted:
        lines.append("At this level there are no leg symptoms in this example.")
    elif shown is not None and set(shown) != set(KINDS):
        listed = and_join([KIND_WORDS[k].split(" (")[0] for k in KINDS if k in shown]) or "no symptoms"
        lines.append(f"The picture shows only {listed}. All of the example's symptoms are listed here.")
    by_side: dict[str, list[tuple[str, tuple[tuple[str, float], ...]]]] = {}
    for (reg, side), felt in painted.items():
        by_side.setdefault(side, []).append((reg, felt))
    order = [r.id for r in anatomy.regions()]
    for side in anatomy.SIDES:
        items = sorted(by_side.get(side, []), key=lambda kv: order.index(kv[0]))
        if not items:
            continue
        lines.append(f"On the {side} side:")
        for reg, felt in items:
            kinds_words = and_join([f"{strength_word(v)} {k}" for k, v in felt])
            lines.append(f"- {anatomy.region(reg).label.capitalize()}: {kinds_words}.")
    lines.append(caveat_words())
    return "\n".join(lines)


def warning_sentences(compression: Compression, locale: str | None = None) -> list[str]:
    """The example's red flags in words, with the locale's action for the most urgent level (empty when none).

    A "soon" flag also says when it becomes an emergency after all (its ``escalate_if``).
    """
    flags = compression.red_flags()
    if not flags:
        return []
    level = redflags.urgency(flags, locale)
    names = and_join([redflags.red_flag(f).label.lower() for f in flags])
    if level == "soon":
        out = [f"Note: {names}. {redflags.action('soon', locale)}"]
        for f in flags:
            flag = redflags.red_flag(f)
            if flag.escalate_if:
                out.append(f"Warning: if {flag.escalate_if}, get help now. {redflags.action('emergency', locale)}")
        return out
    fast = "need help now" if level == "emergency" else "need help today"
    return [f"Warning: this example has signs that {fast}: {names}. {redflags.action(level, locale)}"]


def and_join(items: Iterable[str]) -> str:
    """Words in a list as a person says them: "A", "A and B", "A, B and C" (the one joiner every view uses)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def caveat_words() -> str:
    """The caveat every description ends with: a typical pattern, not a diagnosis."""
    return "This is a typical pattern. It cannot diagnose you. Nerve areas overlap and are not the same in everyone."


def describe_html(
    compression: Compression | None, *, kinds: Iterable[str] | None = None, locale: str | None = None
) -> str:
    """:func:`describe` as accessible HTML (a heading, paragraphs and a list per side)."""
    text = describe(compression, kinds=kinds, locale=locale)
    parts: list[str] = ['<div class="sciatica-description" role="region" aria-label="What the picture shows">']
    in_list = False
    for line in text.split("\n"):
        if line.startswith("- "):
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{escape(line[2:])}</li>")
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if line.startswith("Warning:"):
            parts.append(f'<p role="alert" style="color:#8a0018"><strong>{escape(line)}</strong></p>')
        elif line.endswith(" side:"):
            parts.append(f"<p><strong>{escape(line)}</strong></p>")
        else:
            parts.append(f"<p>{escape(line)}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _nth(name: str) -> str:
    """"4th" for L4 (the lower back's bones are L1 to L5)."""
    n = int(name[1:])
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n, 'th')}"


def level_words(compression: Compression) -> str:
    """The names in the picture's words, in plain words: which disc "L4-L5" is and where the root "L5" leaves.

    The lower back's bones are L1 to L5, the sacrum's roots S1 to S5; a lumbar root leaves the spine just below
    the bone with its number (L4 at the L4-L5 disc), a sacral one through the sacrum (data/glossary.yaml's lumbar
    and sacrum, data/discs.yaml)."""
    upper, lower = compression.disc.split("-")
    place = f"{compression.disc} means the place between the {_nth(upper)}"
    if lower.startswith("L"):
        disc = f"{place} and {_nth(lower)} bones of the lower back."
    else:
        disc = f"{place} bone of the lower back and the sacrum (the bone at the base of the spine)."
    roots = [f"{root} is the nerve root that leaves the spine "
             + (f"just below the {_nth(root)} bone of the lower back." if root.startswith("L")
                else "through the sacrum.")
             for root in compression.roots]
    return " ".join([disc, *roots])
