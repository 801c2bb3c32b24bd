"""Tables built from the facts for the student notebooks: the roots (skin area, muscles, reflex), where the
sources disagree, and which root a bulge of each disc usually presses on. Every cell comes from ``data/``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy


def root_table(fmt: str = "text", names: Iterable[str] = ("L2", "L3", "L4", "L5", "S1", "S2")) -> str:
    """Root by root, from data/: skin area, key sensory point, weaker movements, reflex (students' terms).

    ``fmt`` is "text" (one block per root, for a printed, output-checked cell) or "markdown" (a table).
    """
    fmt = choose(fmt, ("text", "markdown"), "table format")
    rows = []
    for name in names:
        r = anatomy.root(name)
        skin = ", ".join(anatomy.region(g).term for g in sorted(r.dermatome, key=_region_order().index))
        weak = "; ".join(anatomy.movement(m).term for m in r.weakness) or "no key muscle"
        reflex = anatomy.reflex(r.reflex).term if r.reflex else "none routine"
        if r.other_reflexes:
            reflex += "; may be reduced: " + ", ".join(anatomy.reflex(x).term for x in r.other_reflexes)
        point = r.key_sensory_description
        rows.append((r.name, skin, point, weak, reflex))
    if fmt == "markdown":
        lines = [
            "| Root | Skin area (dermatome) | Key sensory point | May be weaker | Reflex |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| **{n}** | {s} | {p} | {w} | {x} |" for n, s, p, w, x in rows]
        return "\n".join(lines)
    blocks = []
    for n, s, p, w, x in rows:
        blocks.append(f"{n}\n  skin:       {s}\n  key point:  {p}\n  weaker:     {w}\n  reflex:     {x}")
    return "\n".join(blocks)


def disagreements_table() -> str:
    """Markdown table of where the sources disagree and how this kit handles it (``anatomy.disagreements()``)."""
    lines = ["| Topic | What sources say | How this kit handles it |", "|---|---|---|"]
    for d in anatomy.disagreements():
        said = "<br>".join(f"{p.claim} [{', '.join(p.sources)}]" for p in d.positions)
        lines.append(f"| {d.topic} | {said} | {d.handling} |")
    return "\n".join(lines)


def _region_order() -> list[str]:
    return [g.id for g in anatomy.regions()]


def disc_rule_table() -> str:
    """Plain-text table: which root a bulge of each disc usually presses on, by zone (from data/)."""
    zones = anatomy.zones()
    rows = [("Disc", *[z.id.replace("_", " ") for z in zones])]
    for disc in anatomy.DISCS:
        rows.append((disc, *[" + ".join(anatomy.compressed_roots(disc, z.id)) for z in zones]))
    return _text_table(rows)


def _text_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
