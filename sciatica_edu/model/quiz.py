"""Self-check questions (``data/quiz.yaml``) with immediate, cited feedback.

``Quiz`` hands out one question at a time as a :class:`QuestionView`, which carries the
prompt and the choices but never the answer; ``Quiz.answer(choice)`` scores it, moves on,
and only then returns :class:`Feedback` with the right answer, the explanation and sources.
So a notebook cannot print an answer by accident before a try.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from sciatica_edu._errors import choose, shown
from sciatica_edu.facts import anatomy
from sciatica_edu.facts.quiz import AUDIENCES, KINDS, TOPICS, Question, questions

__all__ = [
    "AUDIENCES",
    "KINDS",
    "TOPICS",
    "TOPIC_NAMES",
    "Feedback",
    "Question",
    "QuestionView",
    "Quiz",
    "letter",
    "questions",
    "topic_name",
]


#: Each topic in plain words, and the notebook that teaches it (for "look again at").
TOPIC_NAMES = {
    "what_is": ("What sciatica is", "01-what-is-sciatica.ipynb"),
    "anatomy": ("The spine, discs and nerve roots", "02-the-sciatic-nerve.ipynb"),
    "where_felt": ("Where it is felt", "03-where-you-feel-it.ipynb"),
    "causes": ("What presses on the nerve", "04-what-presses-on-the-nerve.ipynb"),
    "getting_better": ("Getting better", "05-getting-better.ipynb"),
    "red_flags": ("When to get help fast", "06-when-to-get-help.ipynb"),
    "clinical_patterns": ("Clinical patterns", "07-clinical-patterns.ipynb"),
}


def topic_name(topic: str) -> str:
    """A topic in plain words, e.g. ``topic_name("what_is")`` is "What sciatica is"."""
    return TOPIC_NAMES[choose(topic, TOPIC_NAMES, "topic")][0]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def letter(position: int) -> str:
    """The letter shown before the choice at ``position`` (0 is A): every question is lettered A, B, C, D."""
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < 26:
        raise ValueError(f"position must be a whole number from 0 to 25, not {position!r}")
    return chr(ord("A") + position)


_all_questions = questions  # Quiz's parameter is also called ``questions``


@dataclass(frozen=True)
class QuestionView:
    """What a learner may see before answering: the prompt and the choices, never the answer."""

    id: str
    number: int
    total: int
    kind: str
    audience: str
    topic: str
    prompt: str
    choices: tuple[tuple[str, str], ...]

    @property
    def any_region(self) -> bool:
        """True when any body region is a valid answer (a "where would you feel it?" question)."""
        return self.kind == "where_felt"

    @property
    def lettered(self) -> tuple[tuple[str, str, str], ...]:
        """The choices as (letter, key, label): A, B, C... in the order shown, whatever the kind of question."""
        return tuple((letter(i), key, label) for i, (key, label) in enumerate(self.choices))

    def text(self) -> str:
        """The question and its choices, lettered A, B, C..., as plain text."""
        lines = [f"Question {self.number} of {self.total}: {self.prompt}"]
        lines += [f"  {mark}. {label}" for mark, _key, label in self.lettered]
        return "\n".join(lines)


@dataclass(frozen=True)
class Feedback:
    """The result of one try: whether it was right, the right answer, why, and the sources."""

    question_id: str
    chosen: str
    correct: bool
    answer: str
    explanation: str
    sources: tuple[str, ...]
    regions: tuple[str, ...] = ()  # where_felt: the right area(s), to paint on the diagram after the try

    @property
    def citations(self) -> tuple[str, ...]:
        """The full citation of every source id."""
        return tuple(anatomy.reference(s).citation for s in self.sources)

    def text(self) -> str:
        """Plain-text feedback: right or not, the answer, the explanation and the source ids."""
        head = "Correct." if self.correct else f"Not quite. The answer is: {self.answer.rstrip('.')}."
        return f"{head} {self.explanation} (Sources: {', '.join(self.sources)})"


class Quiz:
    """A run through some questions: ``current`` to show, ``answer(choice)`` to try, then the next one.

    ``questions``: question ids or Question objects (default: all, optionally only one
    ``audience``); ``shuffle=True`` shuffles the questions and their choices with ``seed`` (a
    private random generator: the global one is untouched); without it the order is fixed.
    Each question counts once: the first try is the one scored.
    """

    def __init__(
        self,
        questions: Iterable[str | Question] | None = None,
        seed: int | None = None,
        shuffle: bool = False,
        audience: str | None = None,
    ) -> None:
        table = {q.id: q for q in _all_questions()}
        if questions is None:
            chosen = list(table.values())
        elif isinstance(questions, str):
            raise ValueError(f"questions must be a list of question ids, not the string {shown(questions)}")
        else:
            chosen = [q if isinstance(q, Question) else table[choose(q, table, "question")] for q in questions]
        if audience is not None:
            choose(audience, AUDIENCES, "audience")
            chosen = [q for q in chosen if q.audience == audience]
        if not chosen:
            raise ValueError("a quiz needs at least one question")
        rng = random.Random(seed)
        order = list(chosen)
        if shuffle:
            rng.shuffle(order)
        self._questions = order
        # Display keys -> stored choice ids. Choices are mixed (roots stay in spinal order) so the
        # right answer is not always first; lettered choices are re-lettered A, B, C in shown order.
        self._keys: list[dict[str, str]] = []
        for q in order:
            ids = list(q.choices)
            if q.kind != "which_root":
                (rng if shuffle else random.Random(q.id)).shuffle(ids)
            if isinstance(q.choices, dict):
                self._keys.append({chr(ord("A") + i): cid for i, cid in enumerate(ids)})
            else:
                self._keys.append({cid: cid for cid in ids})
        self._index = 0
        self._results: list[Feedback] = []

    def __repr__(self) -> str:
        return f"<Quiz: {len(self._results)} of {self.total} answered, score {self.score}>"

    @property
    def total(self) -> int:
        return len(self._questions)

    @property
    def score(self) -> int:
        """Questions answered right at the first (and only) try."""
        return sum(f.correct for f in self._results)

    @property
    def answered(self) -> int:
        return len(self._results)

    @property
    def finished(self) -> bool:
        return self._index >= self.total

    @property
    def results(self) -> tuple[Feedback, ...]:
        """Feedback for the questions answered so far, in order."""
        return tuple(self._results)

    @property
    def current(self) -> QuestionView | None:
        """The question to show now, or None when the quiz is finished."""
        if self.finished:
            return None
        q = self._questions[self._index]
        choices = tuple((key, q.label(cid)) for key, cid in self._keys[self._index].items())
        return QuestionView(q.id, self._index + 1, self.total, q.kind, q.audience, q.topic, q.prompt, choices)

    def answer(self, choice: str) -> Feedback:
        """Try ``choice`` (a key of ``current.choices`` or the letter shown before it; for where_felt any
        region id), then move on."""
        if self.finished:
            raise ValueError(f"the quiz is finished ({self.score} of {self.total}); call restart() to try again")
        q = self._questions[self._index]
        keys = self._keys[self._index]
        shown = {mark: key for mark, key, _label in self.current.lettered}
        if isinstance(choice, str) and choice not in keys and choice in shown:
            choice = shown[choice]  # the letter shown before a root name or a body area
        if q.kind == "where_felt":
            choice = choose(choice, [r.id for r in anatomy.regions()], "region")
        else:
            choice = keys[choose(choice, keys, "choice")]
        regions = (q.answer, *q.also_correct) if q.kind == "where_felt" else ()
        feedback = Feedback(q.id, choice, q.is_correct(choice), q.label(q.answer), q.explanation, q.sources, regions)
        self._results.append(feedback)
        self._index += 1
        return feedback

    def summary(self) -> str:
        """The score in words, with the topics to look at again."""
        if not self._results:
            return f"No answers yet: {self.total} questions to go."
        text = f"You got {self.score} of {self.answered} right"
        text += "." if self.finished else f" so far ({self.total - self.answered} to go)."
        missed = self.missed_topics()
        if missed:
            names = [f"{_lower_first(topic_name(t))} (notebook {TOPIC_NAMES[t][1][:2]})" for t in missed]
            text += " Look again at: " + "; ".join(names) + "."
        return text

    def missed_topics(self) -> tuple[str, ...]:
        """Topic ids of the questions answered wrong, each once, in the order met."""
        missed = [q.topic for q, f in zip(self._questions, self._results, strict=False) if not f.correct]
        return tuple(dict.fromkeys(missed))

    def restart(self) -> None:
        """Start again from the first question, in the same order with the same choices; the score is reset."""
        self._index = 0
        self._results = []
