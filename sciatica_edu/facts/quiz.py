"""The self-check questions of ``data/quiz.yaml``: their schema and the strict, cached loader.

Every question names its kind, audience and topic, the right answer (kept out of its repr) and its sources;
``model.quiz`` asks them one at a time and gives feedback.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sciatica_edu.facts import anatomy
from sciatica_edu.facts.loader import load_yaml

KINDS = ("multiple_choice", "which_root", "where_felt", "what_to_do")
AUDIENCES = ("patient", "student")
TOPICS = ("what_is", "anatomy", "where_felt", "causes", "getting_better", "red_flags", "clinical_patterns")


Kind = Literal["multiple_choice", "which_root", "where_felt", "what_to_do"]


Audience = Literal["patient", "student"]


Topic = Literal["what_is", "anatomy", "where_felt", "causes", "getting_better", "red_flags", "clinical_patterns"]


class Question(BaseModel):
    """One question as stored in ``data/quiz.yaml``; the answer fields are kept out of its repr."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^q\d{2,}$")
    kind: Kind
    audience: Audience
    topic: Topic
    prompt: str = Field(min_length=10)
    choices: dict[str, str] | tuple[str, ...]
    answer: str = Field(repr=False)
    also_correct: tuple[str, ...] = Field(default=(), repr=False)
    explanation: str = Field(min_length=20, repr=False)
    sources: tuple[str, ...] = Field(min_length=1, repr=False)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        lettered = self.kind in ("multiple_choice", "what_to_do")
        if lettered != isinstance(self.choices, dict):
            raise ValueError(f"{self.kind} questions take choices as " + ("{letter: text}" if lettered else "a list"))
        ids = list(self.choices)
        if len(ids) < 2 or len(ids) != len(set(ids)):
            raise ValueError("a question needs at least two different choices")
        if self.answer not in ids:
            raise ValueError(f"answer {self.answer!r} is not one of the choices {ids}")
        if self.kind == "which_root":
            names = {r.name for r in anatomy.roots()}
            bad = [c for c in ids if c not in names]
        elif self.kind == "where_felt":
            region_ids = {r.id for r in anatomy.regions()}
            bad = [c for c in (*ids, *self.also_correct) if c not in region_ids]
        else:
            bad = []
        if bad:
            raise ValueError(f"unknown {'root' if self.kind == 'which_root' else 'region'} ids {bad}")
        if self.also_correct and self.kind != "where_felt":
            raise ValueError("also_correct is only for where_felt questions")
        refs = anatomy.references()
        missing = [s for s in self.sources if s not in refs]
        if missing:
            raise ValueError(f"unknown sources {missing}")
        return self

    def label(self, choice: str) -> str:
        """The words shown for a choice id (a letter's text, a root name, a region's label)."""
        if isinstance(self.choices, dict):
            return self.choices[choice]
        if self.kind == "where_felt":
            region = anatomy.region(choice)
            return region.label if self.audience == "patient" else f"{region.label} ({region.term})"
        return choice

    def is_correct(self, choice: str) -> bool:
        return choice == self.answer or choice in self.also_correct


def parse_questions(payload: object) -> tuple[Question, ...]:
    """Validate a parsed quiz file; a DataError says what is wrong."""
    return anatomy.parse_list(Question, "questions", "quiz.yaml", payload)


@cache
def questions() -> tuple[Question, ...]:
    """All questions of ``data/quiz.yaml``, validated."""
    return parse_questions(load_yaml("quiz.yaml"))
