"""Keep the notebooks in step with data/: hub list, "What's next" links, red-flag boxes, Sources.

Generated cells are Markdown cells whose first line is a marker comment, e.g.
``<!-- sciatica_edu:sources -->`` (PythonDataScienceHandbook's navigation cells work the same
way). ``python -m sciatica_edu.notebook_tools sync`` rewrites only those cells and only when
their text changed, so a second run changes nothing. ``check`` lists what is out of date.

Also here: ``readable_text`` / ``reading_grade`` (Flesch-Kincaid on a notebook's prose) and
the plain-text root and disc tables the student notebook prints.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from sciatica_edu import notebook_citations
from sciatica_edu._files import find_notebooks
from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.model.tables import disagreements_table, disc_rule_table, root_table  # notebook 07 calls them here
from sciatica_edu.model.words import and_join
from sciatica_edu.notebook_citations import audience_of, patient_cite, patient_facing

__all__ = [
    "CITE_RE",
    "MARKERS",
    "NAME_RE",
    "NotebookInfo",
    "audience_of",
    "checklist_cell",
    "cited_ids",
    "disagreements_table",
    "disc_rule_table",
    "generated",
    "info",
    "listed_ids",
    "localize",
    "notebook_paths",
    "patient_facing",
    "prose",
    "readable_text",
    "reading_grade",
    "root_table",
    "sync",
]

NAME_RE = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
#: An inline citation: one or more source ids in square brackets, e.g. [S11] or [S24, S25c].
CITE_RE = re.compile(r"\[(S\d+[a-z]?(?:\s*,\s*S\d+[a-z]?)*)\]")
_ID_RE = re.compile(r"S\d+[a-z]?")
MARKERS = {
    "hub": "<!-- sciatica_edu:hub -->",
    "red_flags": "<!-- sciatica_edu:red-flags -->",
    "checklist": "<!-- sciatica_edu:checklist -->",
    "actions": "<!-- sciatica_edu:actions -->",
    "whats_next": "<!-- sciatica_edu:whats-next -->",
    "sources": "<!-- sciatica_edu:sources -->",
}
_AUDIENCE_WORDS = {"patient": "Patients and families", "student": "Students", "clinician": "Clinicians"}


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The course notebooks, named ``NN-kebab-slug.ipynb``, in ``folder`` (default: ``_files.find_notebooks()``),
    in order: the one rule for what a course notebook is (the export and the checks use it too)."""
    folder = Path(folder) if folder is not None else find_notebooks()
    return sorted(p for p in folder.glob("*.ipynb") if NAME_RE.match(p.name))


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat v4 (no validation side effects)."""
    return nbformat.read(str(path), as_version=4)


def generated(cell) -> str | None:
    """The marker kind of a generated Markdown cell ("sources", "hub", ...), or None."""
    if cell.cell_type != "markdown":
        return None
    first = cell.source.lstrip().split("\n", 1)[0].strip()
    for kind, marker in MARKERS.items():
        if first == marker:
            return kind
    return None


# ---------------------------------------------------------------- reading a notebook


@dataclass(frozen=True)
class NotebookInfo:
    """What the hub needs to know about one notebook."""

    path: Path
    number: str
    title: str
    audience: str
    minutes: int | None
    purpose: str


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _purpose(nb) -> str:
    meta = nb.metadata.get("sciatica_edu", {})
    if meta.get("purpose"):
        return str(meta["purpose"])
    for cell in nb.cells:
        if cell.cell_type != "markdown" or generated(cell):
            continue
        for para in re.split(r"\n\s*\n", cell.source):
            para = para.strip()
            if para and not para.startswith(("#", ">", "-", "*", "|", "<", "Time to read")):
                first = re.split(r"(?<=[.!?])\s", " ".join(para.split()))[0]
                return CITE_RE.sub("", first).replace("  ", " ").strip()
    return ""


def info(path: Path) -> NotebookInfo:
    """Title (the H1), audience (metadata), reading time ("Time to read: about N minutes", or "~N min") and purpose."""
    nb = read(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    minutes = re.search(r"Time to read:\s*(?:~\s*|about\s+)(\d+)\s*min", text)
    return NotebookInfo(
        path=Path(path),
        number=Path(path).name[:2],
        title=_title(nb),
        audience=str(nb.metadata.get("sciatica_edu", {}).get("audience", "")),
        minutes=int(minutes.group(1)) if minutes else None,
        purpose=_purpose(nb),
    )


def cited_ids(nb) -> list[str]:
    """Source ids cited in the notebook's Markdown (outside its Sources cell), in first-cited order."""
    seen: dict[str, None] = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown" or generated(cell) == "sources" or _is_sources_cell(cell):
            continue
        for group in CITE_RE.findall(cell.source):
            for ref_id in _ID_RE.findall(group):
                seen[ref_id] = None
    return list(seen)


def _is_sources_cell(cell) -> bool:
    return cell.cell_type == "markdown" and bool(re.search(r"^## Sources\s*$", cell.source, re.M))


def listed_ids(nb) -> list[str]:
    """Source ids listed under ``## Sources`` (each list item starts with its id in bold brackets)."""
    ids: list[str] = []
    for cell in nb.cells:
        if _is_sources_cell(cell):
            body = cell.source.split("## Sources", 1)[1]
            ids += re.findall(r"^\s*[-*]\s+\*\*\[(S\d+[a-z]?)\]\*\*", body, re.M)
    return ids


# ---------------------------------------------------------------- generated cells


#: The warning boxes' frames (``redflags.NOW_FRAME``: red, solid; ``redflags.TODAY_FRAME``: dark orange, dashed), so
#: they never look like the grey "General information" quote or like each other. Inline, because JupyterLab's sanitizer
#: keeps a ``style`` (border, background, colour) but Lab loads no CSS of ours; the exported pages and the session
#: view add rules for ``WARNING_CLASS`` and ``TODAY_CLASS`` on top.
WARNING_CLASS = redflags.NOW_CLASS
WARNING_STYLE = redflags.NOW_FRAME.css() + "padding:0.3em 0.9em;margin:1em 0"
TODAY_CLASS = redflags.TODAY_CLASS
TODAY_STYLE = redflags.TODAY_FRAME.css() + "padding:0.3em 0.9em;margin:1em 0"


def red_flag_cell(locale: str | None = None, audience: str = "patient") -> str:
    """The red-flag boxes from sciatica_edu.redflags for one locale: "now" and "today" each in its own frame, the
    sources its advice follows at the foot of the second (for a patient-facing ``audience``, the primary ones only).

    Each Markdown blockquote sits inside a ``<div>`` with its frame; the blank lines around it let CommonMark (Lab,
    nbconvert, Voila) still parse the Markdown inside the HTML block."""
    ids = patient_cite(redflags.box_sources(locale), audience)
    now, today = redflags.box_markdown_parts(locale)
    return (f"{MARKERS['red_flags']}\n<div class=\"{WARNING_CLASS}\" style=\"{WARNING_STYLE}\">\n\n{now}\n\n</div>\n"
            f"<div class=\"{TODAY_CLASS}\" style=\"{TODAY_STYLE}\">\n\n{today}\n>\n> *Sources: [{ids}].*\n\n</div>")


def checklist_cell(locale: str | None = None, audience: str = "patient") -> str:
    """The red flags as a tick-box checklist for one locale (notebook 06), with its sources (``patient_cite``)."""
    ids = patient_cite(redflags.box_sources(locale), audience)
    return f"{MARKERS['checklist']}\n{redflags.checklist_markdown(locale)}\n\n*Sources: [{ids}].*"


#: The steps of "What you can do now": (lead words, advice ids of data/advice.yaml).
ACTION_STEPS = (
    ("Keep moving.", ("keep_active",)),
    ("Ease the pain safely.", ("heat", "heat_numb_skin")),
    ("Check your medicines.", ("medicines",)),
    ("Watch for weakness.", ("weakness_while_pain_fades",)),
)
#: Questions a patient may tick and take to the next appointment (not clinical claims: no sources needed).
QUESTIONS = (
    "What do you think is causing my pain?",
    "What can I do to help myself, and which exercises are safe for me?",
    "Do I need a scan? What would it change?",
    "What should I do if it gets worse, and when should I come back?",
)


def actions_cell(locale: str | None = None, audience: str = "patient") -> str:
    """"What you can do now" for every patient page: direct steps from data/advice.yaml, the locale's "soon"
    action, and a tick-box list of questions to take to the next appointment (PEMAT-P actionability). Each step
    cites its sources, the primary ones only for a patient-facing ``audience``."""
    from sciatica_edu.facts import advice

    lines = [MARKERS["actions"], "### What you can do now", ""]
    for n, (lead, ids) in enumerate(ACTION_STEPS, start=1):
        items = [advice.item(i) for i in ids]
        refs = patient_cite((s for a in items for s in a.sources), audience)
        lines.append(f"{n}. **{lead}** {' '.join(a.text for a in items)} [{refs}]")
    n = len(ACTION_STEPS) + 1
    lines.append(f"{n}. **Check the warning signs.** If any sign in the warning box (⚠) applies to you, do what the "
                 f"box says. [{patient_cite(redflags.action_sources('emergency', locale), audience)}]")
    lines.append(f"{n + 1}. **Know when to see your doctor.** {redflags.action('soon', locale)} "
                 f"[{patient_cite(redflags.action_sources('soon', locale), audience)}]")
    lines += ["", "**Questions for your next appointment** (tick the ones you want to ask):", ""]
    lines += [f"- [ ] {q}" for q in QUESTIONS]
    return "\n".join(lines)


def localize(nb, locale: str | None = None) -> bool:
    """Rewrite a notebook's locale-dependent cells (red-flag box, checklist, actions) for ``locale``;
    True if changed.

    The committed notebooks carry the default locale; ``export --locale`` and ``present --locale`` give
    their readers one country's advice by localizing a copy before it runs.
    """
    audience = audience_of(nb)
    want = {
        "red_flags": lambda: red_flag_cell(locale, audience),
        "checklist": lambda: checklist_cell(locale, audience),
        "actions": lambda: actions_cell(locale, audience),
    }
    dirty = False
    for cell in nb.cells:
        kind = generated(cell)
        if kind in want:
            text = want[kind]()
            if cell.source != text:
                cell.source = text
                dirty = True
    return dirty


def sources_cell(ids: Iterable[str]) -> str:
    """``## Sources``: citation and link for exactly ``ids`` (unknown ids raise a ValueError)."""
    lines = [MARKERS["sources"], "## Sources", ""]
    ids = list(ids)
    if not ids:
        lines.append("This notebook cites no sources.")
    for ref_id in ids:
        ref = anatomy.reference(ref_id)
        url = f" <{ref.link}>" if ref.link else ""
        lines.append(f"- **[{ref_id}]** {ref.citation}{url}")
    return "\n".join(lines)


def _link(item: NotebookInfo) -> str:
    return f"[{item.number} · {item.title}]({item.path.name})"


def whats_next_cell(path: Path, items: list[NotebookInfo]) -> str:
    """``### What's next``: a relative link to the next notebook (or back to the hub at the end, and at the end of
    the patients' notebooks)."""
    names = [i.path.name for i in items]
    here = names.index(Path(path).name)
    lines = [MARKERS["whats_next"], "### What's next", ""]
    if items[here].audience == "patient" and here + 1 < len(items) and items[here + 1].audience != "patient":
        # a patient's last page leads back to the map, not into the students' notebooks and their terms
        lines.append(f"This is the last page for patients and families. Go back to {_link(items[0])} to choose "
                     "another.")
    elif here + 1 < len(items):
        nxt = items[here + 1]
        lines.append(f"Next: {_link(nxt)}." + (f" {nxt.purpose}" if nxt.purpose else ""))
    else:
        lines.append(f"This is the last page. Go back to {_link(items[0])} to choose another.")
    return "\n".join(lines)


#: The hub's plain line for each audience that is not the patients' (PEMAT-P items 2 and 4: a patient reading the map
#: sees their own pages in full; the others get one line in everyday words, with their notebooks' numbers only, since
#: the students' titles use their own terms).
_OTHERS_LINES = {
    "student": "**For students** of medicine or therapy, who want more detail: {links}. You do not need these.",
    "clinician": "**For your clinician**, to go through with you in a visit: {links}.",
}


def hub_cell(items: list[NotebookInfo]) -> str:
    """The map of notebooks for 00: the patients' notebooks as a table (purpose, reading time), then one short, plain
    line for the students' notebooks and one for the clinician's, each link with its reading time."""
    lines = [MARKERS["hub"], "## Map of the pages", "", f"**{_AUDIENCE_WORDS['patient']}**", "",
             "| Page | What it is about | Time to read |", "|---|---|---|"]
    for i in (i for i in items if i.audience == "patient"):
        time = f"about {i.minutes} minutes" if i.minutes else ""
        lines.append(f"| {_link(i)} | {i.purpose} | {time} |")
    for audience, line in _OTHERS_LINES.items():
        group = [i for i in items if i.audience == audience]
        if not group:
            continue
        links = [(f"[{i.number}]({i.path.name})" if audience == "student" else _link(i))
                 + (f" (about {i.minutes} minutes)" if i.minutes else "") for i in group]
        lines += ["", line.format(links=and_join(links))]
    return "\n".join(lines)


def _refresh(nb, path: Path, items: list[NotebookInfo]) -> bool:
    """Rewrite the marker cells of ``nb`` in place; Sources last, from the refreshed text. True if changed."""
    audience = audience_of(nb)
    want = {
        "hub": lambda: hub_cell(items),
        "red_flags": lambda: red_flag_cell(audience=audience),
        "checklist": lambda: checklist_cell(audience=audience),
        "actions": lambda: actions_cell(audience=audience),
        "whats_next": lambda: whats_next_cell(path, items),
    }
    dirty = False
    for kind in ("hub", "red_flags", "checklist", "actions", "whats_next", "sources"):
        for cell in nb.cells:
            if generated(cell) != kind:
                continue
            text = sources_cell(cited_ids(nb)) if kind == "sources" else want[kind]()
            if cell.source != text:
                cell.source = text
                dirty = True
    return dirty


def sync(folder: Path | None = None, write: bool = True) -> list[str]:
    """Regenerate every marker cell in every notebook; return the names of notebooks that changed."""
    paths = notebook_paths(folder)
    items = [info(p) for p in paths]
    changed: list[str] = []
    for path in paths:
        nb = read(path)
        if _refresh(nb, path, items):
            changed.append(path.name)
            if write:
                nbformat.write(nb, str(path))
    return changed


# ---------------------------------------------------------------- readability


def prose(nb, skip_generated: Iterable[str] = ("sources", "hub")) -> str:
    """The Markdown a reader reads, joined: generated cells of the ``skip_generated`` kinds left out."""
    skip = set(skip_generated)
    parts = [c.source for c in nb.cells if c.cell_type == "markdown" and generated(c) not in skip]
    return "\n\n".join(parts)


def readable_text(markdown: str) -> str:
    """Markdown reduced to sentences for a readability score.

    Drops code, HTML, URLs, tables and citation markers; keeps link text; gives headings and
    bullet lines a full stop so a list is not scored as one endless sentence.
    """
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = CITE_RE.sub("", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|") or re.fullmatch(r"[-=*_ ]{3,}", line or "x"):
            continue
        line = re.sub(r"^(?:>\s*)+", "", line)
        line = re.sub(r"^(?:#+|[-*+]|\d+[.)]|\[[ xX]\])\s+", "", line)
        line = re.sub(r"^[-*+]\s+", "", line)
        line = line.replace("**", "").replace("__", "").replace("*", "").strip()
        if not line:
            out.append("")
            continue
        if not re.search(r"[.!?:;]$", line):
            line += "."
        out.append(line)
    return re.sub(r"[ \t]+", " ", "\n".join(out)).strip()


def reading_grade(markdown: str) -> float:
    """Flesch-Kincaid grade of Markdown prose (textstat 0.7.8, offline)."""
    import textstat  # a test/dev tool: imported only when measuring

    return float(textstat.flesch_kincaid_grade(readable_text(markdown)))


# ---------------------------------------------------------------- stored outputs for nbval

CHECK = "# NBVAL_CHECK_OUTPUT"


def store_check_outputs(path: Path, timeout: int = 120) -> bool:
    """Run the setup cell and the ``# NBVAL_CHECK_OUTPUT`` cells in a fresh kernel and store their text output.

    Every other cell is left without outputs, as committed. Returns True if the file changed.
    """
    from nbclient import NotebookClient  # a maintainer tool: the kernel is needed only here

    nb = read(path)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    checks = [i for i in code if nb.cells[i].source.lstrip().startswith(CHECK)]
    if not checks:
        return False
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    run.cells = [nbformat.from_dict(dict(nb.cells[i])) for i in [code[0], *checks]]
    where = {"metadata": {"path": str(path.parent)}}
    NotebookClient(run, timeout=timeout, kernel_name="python3", resources=where).execute()
    dirty = False
    for n, i in enumerate(checks, start=1):
        outputs = [o for o in run.cells[n].outputs if o.output_type == "stream"]
        for o in outputs:
            o.pop("metadata", None)
        if nb.cells[i].outputs != outputs or nb.cells[i].execution_count != n:
            nb.cells[i].outputs, nb.cells[i].execution_count = outputs, n
            dirty = True
    if dirty:
        from sciatica_edu.notebook_clean import strip_notebook  # saved exactly as `make lab` saves it

        nbformat.write(nbformat.from_dict(strip_notebook(nb)), str(path))
    return dirty


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``sync`` rewrites generated cells; ``check`` exits 1 if any are out of date or a patient notebook cites a
    secondary source; ``grades``: FK grades; ``store-checks``: stored outputs; ``patient-citations NB...``."""
    parser = argparse.ArgumentParser(prog="python -m sciatica_edu.notebook_tools", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["sync", "check", "grades", "store-checks", "patient-citations"])
    parser.add_argument("notebooks", nargs="*", type=Path, help="patient-citations only: the notebooks to rewrite")
    parser.add_argument("--dir", type=Path, default=None, help="notebooks folder (default: this checkout's)")
    args = parser.parse_args(argv)
    if (args.command == "patient-citations") != bool(args.notebooks):
        parser.error("patient-citations needs notebook paths (e.g. notebooks/0*.ipynb); the other commands take none")
    if args.command == "patient-citations":
        return notebook_citations.run(args.notebooks)
    if not notebook_paths(args.dir):  # a wrong --dir must not read as "all up to date"
        raise ValueError(f"no NN-name.ipynb notebooks in {args.dir or find_notebooks()}")
    if args.command == "grades":
        for path in notebook_paths(args.dir):
            nb = read(path)
            audience = nb.metadata.get("sciatica_edu", {}).get("audience", "?")
            print(f"{path.name:40s} {audience:10s} FK grade {reading_grade(prose(nb)):5.2f}")
        return 0
    if args.command == "store-checks":
        for path in notebook_paths(args.dir):
            if store_check_outputs(path):
                print(f"stored check outputs: {path.name}")
        return 0
    changed = sync(args.dir, write=args.command == "sync")
    verb = "updated" if args.command == "sync" else "out of date"
    for name in changed:
        print(f"{verb}: {name}")
    if not changed:
        print("all generated cells are up to date")
    weak = [f"{p.name}: {line}" for p in notebook_paths(args.dir)
            for line in notebook_citations.secondary_citations(read(p))] if args.command == "check" else []
    for line in weak:
        print(line)
    return 1 if (changed or weak) and args.command == "check" else 0


def _main_cleanly(argv: list[str] | None = None) -> int:
    """``main`` for the command line: bad data or a bad notebook is one line on stderr (exit 2), no traceback."""
    try:
        return main(argv)
    except (ValueError, OSError) as exc:  # DataError is a ValueError; a missing folder an OSError
        # One line, but the whole of it: a schema error's reason is on the lines after its heading.
        message = " ".join(f"python -m sciatica_edu.notebook_tools: error: {exc}".split())
        print(message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(_main_cleanly())
