"""Tests of the self-check questions and the Quiz: data, hidden answers, scoring, shuffling."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
import textstat

from sciatica_edu.facts import anatomy
from sciatica_edu.facts import quiz as quiz_facts
from sciatica_edu.model import quiz
from sciatica_edu.model.quiz import Quiz


def right_key(q: Quiz) -> str:
    """The display key of the right answer, worked out from the stored question (a test-only peek)."""
    view = q.current
    stored = next(x for x in quiz.questions() if x.id == view.id)
    if view.kind == "where_felt":
        return stored.answer
    return next(key for key, label in view.choices if label == stored.label(stored.answer))


def wrong_key(q: Quiz) -> str:
    return next(key for key, _ in q.current.choices if key != right_key(q))


# ---- the data --------------------------------------------------------------------------


def test_at_least_20_questions_of_every_kind_audience_and_topic():
    qs = quiz.questions()
    assert len(qs) >= 20
    assert {q.kind for q in qs} == set(quiz.KINDS)
    assert {q.audience for q in qs} == set(quiz.AUDIENCES)
    assert {q.topic for q in qs} == set(quiz.TOPICS)


def test_red_flag_questions_send_people_to_emergency_care_in_no_one_country_s_words():
    flagged = [q for q in quiz.questions() if q.kind == "what_to_do" and "emergency help now" in q.label(q.answer)]
    assert len(flagged) >= 3
    for q in flagged:
        assert "emergency help at once" in q.explanation
    for q in quiz.questions():  # the quiz is read in every country: no country's numbers or services
        choices = q.choices.values() if isinstance(q.choices, dict) else q.choices
        words = " ".join([q.prompt, q.explanation, *choices])
        assert not re.search(r"\b(999|911|111|GP)\b|A&E", words), q.id  # citing the NHS as a source is fine


def test_every_source_resolves():
    refs = anatomy.references()
    for q in quiz.questions():
        assert q.sources and all(s in refs for s in q.sources), q.id


def plain_text(q: quiz.Question) -> str:
    # Each choice is a sentence of its own, so a list is not scored as one long sentence.
    parts = [q.prompt, *(q.label(c).rstrip(".") + "." for c in q.choices), q.explanation]
    return " ".join(parts)


@pytest.mark.parametrize("q", [q for q in quiz.questions() if q.audience == "patient"], ids=lambda q: q.id)
def test_patient_questions_are_plain_language(q):
    grade = textstat.flesch_kincaid_grade(plain_text(q))
    assert grade <= 7.0, f"{q.id} reads at grade {grade:.1f}"


GOOD = {
    "id": "q99",
    "kind": "which_root",
    "audience": "student",
    "topic": "anatomy",
    "prompt": "Which root is this made-up one?",
    "choices": ["L4", "L5"],
    "answer": "L5",
    "explanation": "Because this is a made-up question for a test.",
    "sources": ["S54"],
}


@pytest.mark.parametrize(
    "change",
    [
        {"answer": "S1"},
        {"choices": ["L4", "L9"]},
        {"sources": ["S999"]},
        {"kind": "where_felt", "choices": ["heel", "toe_tip"], "answer": "heel"},
        {"kind": "multiple_choice"},
        {"kind": "multiple_choice", "choices": {"a": "x", "b": "y"}, "answer": "a", "also_correct": ["b"]},
        {"audience": "everyone"},
        {"topic": "astrology"},
        {"choices": ["L5"]},
        {"hint": "no such field"},
    ],
)
def test_bad_questions_are_rejected(change):
    assert quiz_facts.parse_questions({"questions": [GOOD]})[0].answer == "L5"
    with pytest.raises(anatomy.DataError):
        quiz_facts.parse_questions({"questions": [{**GOOD, **change}]})


def test_duplicate_question_ids_are_rejected():
    with pytest.raises(anatomy.DataError, match=r"data/quiz\.yaml repeats ids: id 'q99'"):
        quiz_facts.parse_questions({"questions": [GOOD, GOOD]})


# ---- the answer stays hidden until a try -------------------------------------------------


def test_the_view_and_reprs_never_show_the_answer_or_explanation():
    q = Quiz()
    view = q.current
    names = {f.name for f in dataclasses.fields(view)}
    assert not names & {"answer", "explanation", "also_correct", "sources"}
    stored = quiz.questions()[0]
    for text in (repr(view), str(view), view.text(), repr(q), str(q), repr(stored)):
        assert stored.explanation[:30] not in text
        assert "answer=" not in text


def test_feedback_comes_only_after_a_try_and_moves_on():
    q = Quiz()
    first = q.current.id
    fb = q.answer(right_key(q))
    assert fb.correct and fb.question_id == first
    assert fb.explanation and fb.sources
    assert all(c for c in fb.citations)
    assert q.current.id != first
    assert q.score == 1 and q.answered == 1


def test_a_wrong_try_gets_the_right_answer_explained():
    q = Quiz()
    stored = quiz.questions()[0]
    fb = q.answer(wrong_key(q))
    assert not fb.correct
    assert fb.answer == stored.label(stored.answer)
    assert fb.text().startswith("Not quite. The answer is: ")
    assert "S5" in fb.text()
    assert q.score == 0


def test_score_and_finished_after_all_questions():
    q = Quiz(["q07", "q16", "q29"])
    assert q.total == 3 and not q.finished
    q.answer(right_key(q))
    q.answer(wrong_key(q))
    q.answer(right_key(q))
    assert q.finished and q.current is None
    assert q.score == 2
    assert [f.correct for f in q.results] == [True, False, True]
    assert "2 of 3" in q.summary()
    assert "clinical patterns" in q.summary()
    with pytest.raises(ValueError, match="finished"):
        q.answer("L5")


def test_where_felt_accepts_any_region_and_the_rest_of_the_area():
    q = Quiz(["q11", "q11", "q11"])  # L5: top of the foot; big toe also right; heel wrong
    assert q.current.any_region
    assert q.answer("dorsum_foot").correct
    assert q.answer("big_toe").correct  # not in the shown list, but part of L5's area
    fb = q.answer("heel")
    assert not fb.correct and fb.answer == "top of the foot"


def test_bad_choices_raise_value_error_naming_allowed():
    q = Quiz(["q07"])
    with pytest.raises(ValueError, match="choose one of L3, L4, L5, S1"):
        q.answer("L9")
    q = Quiz(["q01"])
    with pytest.raises(ValueError, match="choose one of A, B, C, D"):
        q.answer("a")  # stored letters are not the shown ones
    q = Quiz(["q11"])
    with pytest.raises(ValueError, match="dorsum_foot"):
        q.answer("top of foot")
    assert q.answered == 0  # a bad choice is not a try


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [({"questions": ["q999"]}, "q01"), ({"questions": "q01"}, "list"), ({"audience": "public"}, "patient, student")],
)
def test_bad_quiz_arguments(kwargs, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        Quiz(**kwargs)


def test_audience_filter():
    q = Quiz(audience="patient")
    assert q.total == sum(x.audience == "patient" for x in quiz.questions())
    while not q.finished:
        assert q.current.audience == "patient"
        q.answer(right_key(q))
    assert q.score == q.total


# ---- order -----------------------------------------------------------------------------


def order(q: Quiz) -> list[tuple[str, tuple]]:
    seen = []
    while not q.finished:
        seen.append((q.current.id, q.current.choices))
        q.answer(q.current.choices[0][0])
    return seen


def test_shuffle_is_reproducible_with_a_seed_and_leaves_global_random_alone():
    state = random.getstate()
    a = order(Quiz(seed=7, shuffle=True))
    b = order(Quiz(seed=7, shuffle=True))
    c = order(Quiz(seed=8, shuffle=True))
    assert random.getstate() == state
    assert a == b
    assert [i for i, _ in a] != [i for i, _ in c]
    assert sorted(i for i, _ in a) == sorted(q.id for q in quiz.questions())


def test_without_shuffle_the_order_is_the_file_order_and_fixed():
    assert [i for i, _ in order(Quiz())] == [q.id for q in quiz.questions()]
    assert order(Quiz()) == order(Quiz())


def test_the_right_answer_is_not_always_in_the_same_place():
    q = Quiz()
    places = set()
    while not q.finished:
        keys = [k for k, _ in q.current.choices]
        key = right_key(q)
        if key in keys:
            places.add(keys.index(key))
        q.answer(key)
    assert len(places) >= 3


def test_feedback_names_the_regions_to_paint_only_for_where_felt():
    q = Quiz(["q11", "q07"])
    fb = q.answer("heel")
    assert fb.regions[0] == "dorsum_foot" and "big_toe" in fb.regions and "heel" not in fb.regions
    assert q.answer("L5").regions == ()


def test_quiz_takes_question_objects_and_refuses_an_empty_list():
    own = quiz_facts.parse_questions({"questions": [GOOD]})
    q = Quiz(own)
    assert q.current.prompt == GOOD["prompt"] and q.answer("L5").correct
    with pytest.raises(ValueError, match="at least one question"):
        Quiz([])


# ---- issue 13: letters on every question, readable topics, starting again --------------------


def test_every_question_is_lettered_and_a_letter_answers_it():
    q = Quiz(["q07", "q11", "q01"])
    kinds = []
    while not q.finished:
        view = q.current
        kinds.append(view.kind)
        marks = [mark for mark, _key, _label in view.lettered]
        assert marks == ["A", "B", "C", "D"][: len(view.choices)]
        assert [line.strip()[:3] for line in view.text().splitlines()[1:]] == [f"{m}. " for m in marks]
        right = right_key(q)
        mark = next(m for m, key, _ in view.lettered if key == right)
        assert q.answer(mark).correct  # the shown letter works like the key
    assert kinds == ["which_root", "where_felt", "multiple_choice"]
    assert q.score == 3


def test_where_felt_text_shows_words_not_ids():
    view = Quiz(["q11"]).current
    assert "dorsum_foot" not in view.text() and "top of the foot" in view.text()


@pytest.mark.parametrize("bad", [-1, 26, 1.0, True, "A"])
def test_letter_rejects_bad_positions(bad):
    with pytest.raises(ValueError, match="from 0 to 25"):
        quiz.letter(bad)


def test_topics_have_plain_names_and_a_notebook_that_teaches_them():
    assert set(quiz.TOPIC_NAMES) == set(quiz.TOPICS)
    assert quiz.topic_name("what_is") == "What sciatica is"
    assert quiz.topic_name("where_felt") == "Where it is felt"
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    for topic, (name, notebook) in quiz.TOPIC_NAMES.items():
        assert "_" not in name and name[0].isupper(), topic
        assert (notebooks / notebook).exists(), notebook
    with pytest.raises(ValueError, match="what_is"):
        quiz.topic_name("what is")


def test_summary_names_missed_topics_in_plain_words():
    q = Quiz(["q01", "q11", "q07"])
    q.answer(wrong_key(q))
    q.answer(wrong_key(q))
    q.answer(right_key(q))
    text = q.summary()
    assert "Look again at: what sciatica is (notebook 01); where it is felt (notebook 03)." in text
    assert "what is" not in text.replace("what sciatica is", "") and "where_felt" not in text
    assert q.missed_topics() == ("what_is", "where_felt")


def test_restart_starts_over_in_the_same_order():
    q = Quiz(shuffle=True, seed=3)
    first = order(Quiz(shuffle=True, seed=3))
    while not q.finished:
        q.answer(right_key(q))
    q.restart()
    assert q.answered == 0 and q.score == 0 and not q.finished
    assert order(q) == first


def test_notebook_09_runs_no_code_that_reveals_an_answer():
    """Every question is in the self-check, so a cell that answers one (and prints the feedback) gives it away."""
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "09-self-check.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert any("QuizWidget" in src for src in code)
    for src in code:
        assert ".answer(" not in src and ".explanation" not in src and ".results" not in src, src
