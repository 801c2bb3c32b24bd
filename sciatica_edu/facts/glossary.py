"""Plain-language glossary of the medical words the patient notebooks use (``data/glossary.yaml``).

Each entry has the word, the other forms it appears in (plurals, spellings), a short plain
definition and its source ids; tests check that patient notebooks define each word on first use.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sciatica_edu._errors import pick
from sciatica_edu.facts import anatomy
from sciatica_edu.facts.loader import load_yaml

__all__ = ["Term", "find", "pattern", "term", "terms", "undefined_on_first_use"]


class Term(BaseModel):
    """One glossary word: ``term``, other ``forms`` it appears in, a ``plain`` definition, ``sources``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    term: str = Field(min_length=2)
    forms: tuple[str, ...] = ()
    plain: str = Field(min_length=10)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("forms")
    @classmethod
    def _lower_forms(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f.lower() for f in forms)

    @property
    def all_forms(self) -> tuple[str, ...]:
        """The term and its other forms, longest first (so "nerve roots" wins over "nerve root")."""
        return tuple(sorted({self.term.lower(), *self.forms}, key=len, reverse=True))


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    terms: tuple[Term, ...]


@cache
def _file() -> _File:
    parsed = anatomy.parse_data(_File, "glossary.yaml", load_yaml("glossary.yaml"))
    anatomy.check_sources("glossary.yaml", (s for t in parsed.terms for s in t.sources))
    return parsed


def terms() -> tuple[Term, ...]:
    """All glossary entries, in file order."""
    return _file().terms


def term(term_id: str) -> Term:
    """One entry by id, e.g. ``term("radiculopathy")``."""
    return pick({t.id: t for t in terms()}, term_id, "glossary term")


@cache
def pattern(term_id: str) -> re.Pattern[str]:
    """A case-insensitive whole-word regex matching any form of the term."""
    forms = "|".join(re.escape(f) for f in term(term_id).all_forms)
    return re.compile(rf"(?<![\w-])(?:{forms})(?![\w-])", re.IGNORECASE)


def find(text: str) -> dict[str, int]:
    """Glossary ids that occur in ``text``, each with the offset of its first occurrence."""
    found: dict[str, int] = {}
    for t in terms():
        match = pattern(t.id).search(text)
        if match:
            found[t.id] = match.start()
    return found


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_CUE = re.compile(r":|\(| is | are | means | meaning | called | — | – ")
_RIGHT_AFTER = re.compile(r"^\s*(?:,|:|\(|—|–|- | is | are | means )")


def undefined_on_first_use(markdown: str) -> list[str]:
    """Glossary words whose first use in ``markdown`` is not defined there; empty when all are.

    Defined means: the first occurrence is inside **bold** text, and the sentence holding it
    explains it (a colon, a bracket, "is", "are", "means", "called" or a dash), or the bold
    word is followed straight away by a comma and a description ("the **spine**, the column..."). Headings and
    link targets are ignored, since a heading may name a word before the text defines it.
    """
    text = "\n".join(line for line in markdown.splitlines() if not line.lstrip().startswith("#"))
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", "", text)  # links name other notebooks, not terms used here
    bold = [m.span() for m in _BOLD.finditer(text)]
    problems = []
    for term_id, start in sorted(find(text).items(), key=lambda item: item[1]):
        span = next(((a, b) for a, b in bold if a <= start < b), None)
        inside = span is not None
        para_start = text.rfind("\n\n", 0, start) + 1
        para_end = text.find("\n\n", start)
        para = text[para_start : para_end if para_end >= 0 else len(text)]
        offset = start - para_start
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|$)", para, re.M)]
        sentence = next((para[a:b] for a, b in sentences if a <= offset < b), para)
        explained = bool(_CUE.search(sentence)) or (inside and bool(_RIGHT_AFTER.match(text[span[1] :])))
        if not inside or not explained:
            word = text[start : start + 40].split("\n")[0]
            problems.append(f"{term_id!r} first used undefined: ...{word}...")
    return problems
