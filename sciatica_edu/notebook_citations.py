"""Patient pages cite primary sources only: find and remove secondary source ids in notebooks' citations.

A secondary source (``kind: secondary`` in data/references.yaml: a blog, study notes, a quiz or AI-summary site, a
clinic page) may stand beside a primary one in data/ as extra reading for students. A notebook a patient reads
(audience patient or clinician: 00-06 and the session notebook 10) cites the primary ones only. The generated cells
follow that rule as they are rendered (:func:`patient_cite`, with ``anatomy.patient_sources``); the hand-written
prose is rewritten here, by ``python -m sciatica_edu.notebook_tools patient-citations NB...``, and
``notebook_tools check`` reports what is left (:func:`secondary_citations`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy

__all__ = [
    "AUDIENCES",
    "PATIENT_FACING",
    "audience_of",
    "drop_secondary_citations",
    "patient_citations",
    "patient_cite",
    "patient_facing",
    "run",
    "secondary_citations",
]

#: Audiences whose notebooks a patient reads (00-06 and the session notebook 10): they cite primary sources only.
PATIENT_FACING = ("patient", "clinician")
AUDIENCES = ("patient", "student", "clinician")


def audience_of(nb) -> str:
    """The notebook's ``metadata.sciatica_edu.audience`` for citing: patient, student or clinician; a notebook with
    none or another value counts as a patient's (the strict case: it cites primary sources only)."""
    audience = nb.metadata.get("sciatica_edu", {}).get("audience")
    return audience if audience in AUDIENCES else "patient"


def patient_facing(audience: str) -> bool:
    """True for the audiences a patient reads with (patient, clinician); a ValueError names the allowed ones."""
    return choose(audience, AUDIENCES, "audience") in PATIENT_FACING


def patient_cite(ids: Iterable[str], audience: str) -> str:
    """``ids`` as a citation's inside, "S12, S80": for a patient-facing audience only the primary sources
    (``anatomy.patient_sources``), for students every source data/ gives."""
    return ", ".join(anatomy.patient_sources(ids) if patient_facing(audience) else dict.fromkeys(ids))


def _secondary(ref_id: str) -> bool:
    return not anatomy.reference(ref_id).primary


def drop_secondary_citations(nb) -> tuple[list[str], list[str]]:
    """Remove secondary source ids from the ``[S.., S..]`` brackets of a notebook's hand-written Markdown, in place.

    Returns (the ids dropped, in first-dropped order; the brackets left as written because none of their ids is
    primary). Generated cells are left to :func:`sync`, the Sources cell is rebuilt from what is still cited. Running
    it again changes nothing. A bracket with no primary id is reported, never emptied: its statement needs a primary
    source (or rewording) by hand."""
    from sciatica_edu import notebook_tools as nt  # not at the top: notebook_tools imports this module

    dropped: dict[str, None] = {}
    orphans: list[str] = []

    def rewrite(match: re.Match[str]) -> str:
        ids = nt._ID_RE.findall(match.group(1))
        keep = [i for i in ids if not _secondary(i)]
        if not keep:
            orphans.append(match.group(0))
            return match.group(0)
        dropped.update(dict.fromkeys(i for i in ids if i not in keep))
        return f"[{', '.join(dict.fromkeys(keep))}]" if len(keep) < len(ids) else match.group(0)

    for cell in nb.cells:
        if cell.cell_type == "markdown" and not nt.generated(cell) and not nt._is_sources_cell(cell):
            cell.source = nt.CITE_RE.sub(rewrite, cell.source)
    if dropped:
        for cell in nb.cells:
            if nt.generated(cell) == "sources":
                cell.source = nt.sources_cell(nt.cited_ids(nb))
    return list(dropped), orphans


def secondary_citations(nb) -> list[str]:
    """One line per secondary source cited in a patient-facing notebook's Markdown (generated cells included, the
    Sources list not): a patient page cites primary sources only. Empty for a student notebook."""
    if not patient_facing(audience_of(nb)):
        return []
    from sciatica_edu import notebook_tools as nt

    found, refs = [], anatomy.references()
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or nt.generated(cell) == "sources" or nt._is_sources_cell(cell):
            continue
        ids = dict.fromkeys(i for group in nt.CITE_RE.findall(cell.source) for i in nt._ID_RE.findall(group))
        for ref_id in ids:
            ref = refs.get(ref_id)
            if ref is not None and not ref.primary:
                found.append(f"secondary: cell {n} cites {ref_id} ({ref.secondary_type}); a page a patient reads "
                             "cites primary sources only (run patient-citations)")
    return found


def patient_citations(paths: Iterable[Path], write: bool = True) -> dict[str, tuple[list[str], list[str]]]:
    """:func:`drop_secondary_citations` on each patient or clinician notebook of ``paths`` (student notebooks keep
    their extra reading and are skipped); {notebook name: (ids dropped, brackets with no primary id)} for each one
    that needed a change or has such a bracket."""
    from sciatica_edu import notebook_tools as nt

    out: dict[str, tuple[list[str], list[str]]] = {}
    for path in paths:
        path = Path(path)
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"{path}: not a notebook file (give .ipynb paths, e.g. notebooks/0*.ipynb)")
        nb = nt.read(path)
        if not patient_facing(audience_of(nb)):
            continue
        dropped, orphans = drop_secondary_citations(nb)
        if dropped or orphans:
            out[path.name] = (dropped, orphans)
        if dropped and write:
            nbformat.write(nb, str(path))
    return out


def run(paths: list[Path]) -> int:
    """The ``patient-citations`` command: print what was dropped where; exit 1 if a bracket has no primary id."""
    report = patient_citations(paths)
    for name, (dropped, orphans) in report.items():
        if dropped:
            print(f"{name}: dropped {', '.join(dropped)}")
        for bracket in orphans:
            print(f"{name}: {bracket} has no primary source; left as written, reword or cite a primary source",
                  file=sys.stderr)
    if not any(d for d, _ in report.values()):
        print("no secondary citations to drop")
    return 1 if any(o for _, o in report.values()) else 0
