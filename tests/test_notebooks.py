"""Notebook conventions (docs/CONTRIBUTING.md "Notebooks" 1-11), checked on every notebook.

``problems()`` lists every broken rule of one notebook, each starting with a short reason
("one-h1", "outputs", ...). It is itself tested on fixture notebooks (tests/fixtures/notebooks):
``test-pass-*`` must give no problem, ``test-fail-<reason>`` exactly that reason.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from sciatica_edu import notebook_tools as nt
from sciatica_edu.facts import anatomy, glossary, redflags

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
AUDIENCES = {"patient", "student", "clinician"}
CHECK = "# NBVAL_CHECK_OUTPUT"
MAX_LINES = 15
OPENING = ("## What you will learn", "## Before you start")
CLOSING = ("## Summary", "### What's next", "## Sources")


def _headings(nb) -> list[tuple[int, str]]:
    """(cell index, heading line) for every Markdown heading outside code fences."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.startswith("```"):
                fenced = not fenced
            elif not fenced and re.match(r"#{1,6} ", line):
                out.append((i, line.strip()))
    return out


def _first(headings, text) -> int | None:
    return next((i for i, h in headings if h == text), None)


def _bullets_after(cell_source: str, heading: str) -> list[str]:
    body = cell_source.split(heading, 1)[1]
    body = re.split(r"^#{1,6} ", body, maxsplit=1, flags=re.M)[0]
    return re.findall(r"^[-*] (.+)$", body, re.M)


def _relative_links(markdown: str) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", markdown)
    return [link for link in links if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


def _audience(nb) -> str | None:
    return nb.metadata.get("sciatica_edu", {}).get("audience")


def _glossary_region(nb) -> str:
    """Patient prose after the opening block, up to "Summary"; generated cells left out."""
    heads = _headings(nb)
    before = _first(heads, "## Before you start")
    start = 0 if before is None else before + 1
    end = _first(heads, "## Summary") or len(nb.cells)
    cells = nb.cells[start:end]
    return "\n\n".join(c.source for c in cells if c.cell_type == "markdown" and not nt.generated(c))


def problems(path: Path) -> list[str]:
    """Every convention the notebook at ``path`` breaks; empty when it follows them all."""
    nb = nbformat.read(str(path), as_version=4)
    found: list[str] = []
    heads = _headings(nb)
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]

    # 2. one H1, in the first cell
    h1 = [(i, h) for i, h in heads if h.startswith("# ")]
    if len(h1) != 1 or h1[0][0] != 0:
        found.append(f"one-h1: need exactly one '# ' title, in the first cell; found {[h for _, h in h1]}")

    # 2. opening block, before the first code cell
    first_code = code_cells[0][0] if code_cells else len(nb.cells)
    spots = [_first(heads, h) for h in OPENING]
    if None in spots or spots != sorted(spots) or max(spots) >= first_code:
        found.append(f"opening: need {OPENING} in order, before the first code cell")
    else:
        bullets = _bullets_after(nb.cells[spots[0]].source, OPENING[0])
        if not 3 <= len(bullets) <= 5:
            found.append(f"opening: 'What you will learn' needs 3-5 bullets, has {len(bullets)}")
        sections = [h for i, h in heads if h.startswith("## ") and i > spots[1] and h not in CLOSING]
        if len(sections) < len(bullets):
            found.append(f"opening: {len(bullets)} learning bullets but only {len(sections)} later '##' sections")
    opening_text = "\n".join(c.source for c in nb.cells[:first_code] if c.cell_type == "markdown")
    if not re.search(r"Time to read: (?:~\d+ min|about \d+ minutes)", opening_text):
        found.append("opening: no 'Time to read: about N minutes' (or '~N min') line before the first code cell")
    if "not medical advice" not in opening_text.lower():
        found.append("opening: no 'not medical advice' note before the first code cell")

    # 3. closing block: Summary, What's next, Sources, and Sources is the last cell
    spots = [_first(heads, h) for h in CLOSING]
    if None in spots or spots != sorted(spots) or spots[-1] != len(nb.cells) - 1:
        found.append(f"closing: need {CLOSING} in order, with Sources in the last cell")

    # 4, 5. one setup cell with the imports; short code cells; no !pip
    for i, cell in code_cells:
        src = cell.source
        if i != first_code and re.search(r"^\s*(import|from)\s+\S+", src, re.M):
            found.append(f"imports: cell {i} imports; keep all imports in the first code cell")
        if len(src.splitlines()) > MAX_LINES:
            found.append(f"long-cell: cell {i} has {len(src.splitlines())} lines (max {MAX_LINES})")
        if re.search(r"^\s*[!%]\s*pip\b", src, re.M) or "pip install" in src:
            found.append(f"pip: cell {i} installs packages")
        if re.search(r"^\s*import \*|^\s*from \S+ import \*", src, re.M):
            found.append(f"imports: cell {i} uses a star import")
        if not src.strip():
            found.append(f"empty-cell: cell {i} is empty")

    # 7. no outputs or widget state, except deterministic NBVAL_CHECK_OUTPUT cells
    if "widgets" in nb.metadata:
        found.append("widget-state: metadata.widgets is committed")
    for i, cell in code_cells:
        checked = cell.source.lstrip().startswith(CHECK)
        if not checked and (cell.outputs or cell.execution_count is not None):
            found.append(f"outputs: cell {i} has outputs or an execution count committed")
        if checked:
            kinds = {o.output_type for o in cell.outputs}
            mimes = {m for o in cell.outputs for m in o.get("data", {})}
            if not cell.outputs or cell.execution_count is None:
                found.append(f"outputs: check cell {i} has no stored output to compare")
            elif kinds - {"stream", "execute_result"} or mimes - {"text/plain"}:
                found.append(f"outputs: check cell {i} stores non-text output {sorted(kinds | mimes)}")

    # 8. audience metadata
    if _audience(nb) not in AUDIENCES:
        found.append(f"audience: metadata sciatica_edu.audience must be one of {sorted(AUDIENCES)}")

    # 10. relative links resolve (What's next among them)
    for link in _relative_links(markdown):
        if not (path.parent / link.split("#")[0]).exists():
            found.append(f"links: {link} does not resolve")
    next_cells = [c.source for c in nb.cells if "### What's next" in c.source]
    if next_cells and not any(_relative_links(s) for s in next_cells):
        found.append("links: 'What's next' has no relative link")

    # Sources: every cited id resolves, every listed id is cited, nothing cited is missing
    refs = anatomy.references()
    cited, listed = nt.cited_ids(nb), nt.listed_ids(nb)
    unknown = [i for i in cited if i not in refs]
    if unknown:
        found.append(f"sources: cited ids not in data/references.yaml: {unknown}")
    if set(listed) - set(cited):
        found.append(f"sources: listed but not cited: {sorted(set(listed) - set(cited))}")
    if set(cited) - set(listed):
        found.append(f"sources: cited but not listed: {sorted(set(cited) - set(listed))}")

    # Patient notebooks: red-flag box and glossary words defined on first use
    if _audience(nb) == "patient":
        boxes = [c.source for c in nb.cells if nt.generated(c) == "red_flags"]
        labels = [f.label for f in redflags.flags_at("emergency")]
        if not boxes or not all(label in boxes[0] for label in labels):
            found.append("red-flags: patient notebook lacks the red-flag box")
        found += [f"glossary: {p}" for p in glossary.undefined_on_first_use(_glossary_region(nb))]
    return found


# ---------------------------------------------------------------- the meta-test: fixtures

PASS = sorted(FIXTURES.glob("test-pass-*.ipynb"))
FAIL = sorted(FIXTURES.glob("test-fail-*.ipynb"))


def test_there_are_fixtures():
    assert len(PASS) >= 2 and len(FAIL) >= 10


@pytest.mark.parametrize("path", PASS, ids=lambda p: p.stem)
def test_passing_fixture_has_no_problem(path):
    assert problems(path) == []


@pytest.mark.parametrize("path", FAIL, ids=lambda p: p.stem)
def test_failing_fixture_fails_for_its_reason_only(path):
    reason = path.stem.removeprefix("test-fail-")
    found = problems(path)
    assert found, f"{path.name} should break the '{reason}' rule"
    assert {p.split(":")[0] for p in found} == {reason}, found


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("00-start-here.ipynb", True),
        ("07-clinical-patterns.ipynb", True),
        ("10-clinician-session.ipynb", True),
        ("7-clinical-patterns.ipynb", False),
        ("07_clinical_patterns.ipynb", False),
        ("07-Clinical-Patterns.ipynb", False),
        ("07-clinical patterns.ipynb", False),
        ("07-clinical-patterns-.ipynb", False),
        ("Untitled.ipynb", False),
    ],
)
def test_name_pattern(name, ok):
    assert bool(nt.NAME_RE.match(name)) is ok


# ---------------------------------------------------------------- the real notebooks

REAL = nt.notebook_paths(NOTEBOOKS)


def test_every_ipynb_is_named_nn_kebab():
    names = [p.name for p in NOTEBOOKS.glob("*.ipynb")]
    assert names, "no notebooks found"
    assert [n for n in names if not nt.NAME_RE.match(n)] == []


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_notebook_follows_conventions(path):
    assert problems(path) == []


def test_patient_path_is_complete():
    audiences = {p.name[:2]: _audience(nbformat.read(str(p), as_version=4)) for p in REAL}
    for number in ("00", "01", "02", "03", "04", "05", "06"):
        assert audiences.get(number) == "patient", f"notebook {number} should exist for patients"
    assert audiences.get("07") == "student"


def test_sync_changes_nothing_on_committed_notebooks():
    assert nt.sync(NOTEBOOKS, write=False) == []


def test_sync_repairs_a_stale_cell_and_is_then_idempotent(tmp_path):
    for p in REAL:
        shutil.copy(p, tmp_path / p.name)
    target = tmp_path / REAL[1].name
    nb = nbformat.read(str(target), as_version=4)
    sources = next(c for c in nb.cells if nt.generated(c) == "sources")
    sources.source = nt.MARKERS["sources"] + "\n## Sources\n\n- **[S1]** stale"
    nbformat.write(nb, str(target))
    before = {p.name: p.read_bytes() for p in REAL}
    assert nt.sync(tmp_path) == [target.name]
    assert nt.sync(tmp_path) == []
    assert target.read_bytes() == before[target.name]


def test_hub_lists_every_notebook_with_its_time():
    hub = next(
        c.source for c in nbformat.read(str(NOTEBOOKS / "00-start-here.ipynb"), 4).cells if nt.generated(c) == "hub"
    )
    for p in REAL:
        row = next((line for line in hub.splitlines() if f"]({p.name})" in line), None)
        assert row, f"hub does not list {p.name}"
        assert re.search(r"about \d+ minutes", row), f"hub row for {p.name} has no reading time"


def test_sources_cell_lists_exactly_the_cited_ids():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Pain [S11]. Both legs [S12, S13].")]
    text = nt.sources_cell(nt.cited_ids(nb))
    assert re.findall(r"\*\*\[(S\d+[a-z]?)\]\*\*", text) == ["S11", "S12", "S13"]
    assert anatomy.reference("S11").citation in text
    with pytest.raises(ValueError, match="unknown reference"):
        nt.sources_cell(["S999"])


def test_check_cells_exist_and_store_text():
    checked = [
        c
        for p in REAL
        for c in nbformat.read(str(p), as_version=4).cells
        if c.cell_type == "code" and c.source.lstrip().startswith(CHECK)
    ]
    assert len(checked) >= 2
    assert all(o.output_type == "stream" for c in checked for o in c.outputs)


# ---------------------------------------------------------------- glossary


def test_glossary_loads_and_every_source_resolves():
    refs = anatomy.references()
    entries = glossary.terms()
    assert len(entries) >= 30
    assert all(s in refs for t in entries for s in t.sources)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"terms": [{"id": "x", "term": "xx", "plain": "a plain definition", "sources": ["S999"]}]}, "unknown sources"),
        ({"terms": [{"id": "x", "term": "xx", "plain": "a plain definition", "sources": []}]}, "schema"),
        ({"terms": [{"id": "x", "term": "xx", "plain": "short", "sources": ["S1"], "extra": 1}]}, "schema"),
        ({"terms": [{"id": "x", "term": "xx", "plain": "a plain definition", "sources": ["S1"]}] * 2}, "repeats ids"),
    ],
)
def test_glossary_loader_rejects_bad_data(monkeypatch, payload, message):
    monkeypatch.setattr(glossary, "load_yaml", lambda name: payload)
    glossary._file.cache_clear()
    try:
        with pytest.raises(anatomy.DataError, match=message):
            glossary.terms()
    finally:
        glossary._file.cache_clear()


def test_glossary_unknown_term_names_the_choices():
    with pytest.raises(ValueError, match="radiculopathy"):
        glossary.term("radiculopathie")


def test_every_glossary_word_is_used_in_a_patient_notebook():
    text = "\n".join(
        _glossary_region(nb) for nb in (nbformat.read(str(p), as_version=4) for p in REAL) if _audience(nb) == "patient"
    )
    unused = [t.id for t in glossary.terms() if not glossary.pattern(t.id).search(text)]
    assert unused == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("A **disc** is a soft pad. The disc bulges.", []),
        ("A **disc** (a soft pad) bulges.", []),
        ("The disc bulges. A **disc** is a soft pad.", ["disc"]),
        ("The **disc** bulges.", ["disc"]),
        ("## The disc\n\nA **disc**: a soft pad.", []),
        ("See [the disc notebook](04-x.ipynb). A **disc** is a pad.", []),
    ],
)
def test_first_use_rule(text, bad):
    assert [p.split("'")[1] for p in glossary.undefined_on_first_use(text)] == bad


def test_readable_text_strips_markdown_and_ends_bullets():
    md = "# Title\n\n- one item\n- two [S11]\n\n`code` and [a link](http://x.org) here\n\n| a | b |\n|---|---|"
    text = nt.readable_text(md)
    assert "Title." in text and "one item." in text and "two." in text
    assert "http" not in text and "code" not in text and "|" not in text and "S11" not in text
    assert "a link here." in text


def test_student_tables_cite_the_sources_of_their_rows():
    """07 prints tables from data/; the ids behind those rows must be cited (and so listed) in its prose."""
    nb = nbformat.read(str(NOTEBOOKS / "07-clinical-patterns.ipynb"), as_version=4)
    cited = set(nt.cited_ids(nb))
    behind = {s for d in anatomy.disagreements() for p in d.positions for s in p.sources}
    behind |= {s for name in ("L2", "L3", "L4", "L5", "S1", "S2") for s in anatomy.root(name).sources}
    assert behind - cited == set()


def test_every_patient_notebook_ends_with_what_you_can_do_now():
    """PEMAT-P actionability: each patient page says what to do, in steps, with a tool to keep (the questions)."""
    for path in REAL:
        nb = nbformat.read(str(path), as_version=4)
        if _audience(nb) != "patient":
            continue
        cells = [c for c in nb.cells if nt.generated(c) == "actions"]
        assert len(cells) == 1, path.name
        text = cells[0].source
        assert "### What you can do now" in text and text.count("- [ ] ") == len(nt.QUESTIONS)
        assert redflags.action("soon") in text
        us = nt.actions_cell("us")
        assert redflags.action("soon", "us") in us and "GP" not in us
