"""Tests of the explorer and quiz widgets' handlers, driven in the kernel without a front-end."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from sciatica_edu.model import quiz
from sciatica_edu.model import ranking as explorer
from sciatica_edu.widgets import explorer as ew


class FakeDiagram:
    """Stands in for sciatica_edu.widgets.BodyDiagram: records the callback and what was painted."""

    def __init__(self):
        self.callbacks = []
        self.painted = []

    def on_region_click(self, callback):
        self.callbacks.append(callback)

    def show_selection(self, pairs):
        self.painted.append(tuple(pairs))

    def click(self, region, side):
        for callback in self.callbacks:
            callback(region, side)


def bars(picker):
    bar = picker.figure.data[0]
    return dict(zip(bar.y, bar.x, strict=True))


# ---- pure helpers ----------------------------------------------------------------------


def test_toggle_pair_adds_then_removes():
    one = ew.toggle_pair(frozenset(), "heel", "left")
    assert one == {("heel", "left")}
    assert ew.toggle_pair(one, "heel", "right") == {("heel", "left"), ("heel", "right")}
    assert ew.toggle_pair(one, "heel", "left") == frozenset()


@pytest.mark.parametrize(("region", "side", "named"), [("heal", "left", "heel"), ("heel", "both", "left, right")])
def test_toggle_pair_rejects_bad_ids(region, side, named):
    with pytest.raises(ValueError, match=named):
        ew.toggle_pair(frozenset(), region, side)


def test_ranking_bars_follow_the_ranking_and_highlight_the_best():
    matches = explorer.rank_roots(["heel"], reflexes=["ankle"])
    data = ew.ranking_bars(matches)
    assert data["y"] == [m.root for m in matches] and data["y"][0] == "S1"
    assert data["x"] == [m.score for m in matches]
    assert data["colors"][0] == ew.BEST_COLOUR and set(data["colors"][1:]) == {ew.OTHER_COLOUR}
    flat = ew.ranking_bars(explorer.rank_roots())
    assert set(flat["colors"]) == {ew.OTHER_COLOUR}  # nothing is "best" without findings


def test_ranking_figure_is_fixed_size_with_best_on_top():
    matches = explorer.rank_roots(["dorsum_foot"])
    fig = ew.ranking_figure(matches)
    assert isinstance(fig, go.Figure) and not isinstance(fig, go.FigureWidget)
    assert (fig.layout.width, fig.layout.height) == (ew.BAR_WIDTH, ew.BAR_HEIGHT)
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.data[0].y[0] == "L5"
    live = ew.ranking_figure(matches, widget=True)
    assert isinstance(live, go.FigureWidget) and live.layout.width == ew.BAR_WIDTH


def test_reasons_html_escapes_and_flags():
    matches = explorer.rank_roots(["saddle"])
    html = ew.reasons_html(matches, explorer.cautions(["saddle"]))
    assert 'role="alert"' in html and "A&amp;E" in html and "A&E" not in html
    assert "cannot diagnose" in html
    assert "<li" in html and "</ul>" in html


# ---- the picker ------------------------------------------------------------------------


def test_ticking_findings_updates_the_bars_and_reasons():
    picker = ew.SymptomPicker(diagram=None)
    assert set(bars(picker).values()) == {0}
    picker.region_boxes["dorsum_foot"].value = True
    picker.weak_boxes["big_toe_extension"].value = True
    assert picker.figure.data[0].y[0] == "L5"
    assert "L5&#x27;s key sensory test spot" in picker.reasons.value
    before = bars(picker)
    picker.reflex_boxes["ankle"].value = True
    after = bars(picker)
    shift = explorer.REFLEX - explorer.REFLEX_AGAINST
    assert after["S1"] - after["L5"] == pytest.approx(before["S1"] - before["L5"] + shift)
    assert "ankle jerk belongs to S1, not L5" in picker.reasons.value


def test_reduced_ankle_reflex_and_calf_put_s1_on_top():
    picker = ew.SymptomPicker(weakness=["ankle_dorsiflexion"], diagram=None)
    assert picker.figure.data[0].y[0] == "L4"
    picker.reflex_boxes["ankle"].value = True
    picker.weak_boxes["ankle_dorsiflexion"].value = False
    picker.region_boxes["posterior_leg"].value = True
    assert picker.figure.data[0].y[0] == "S1"
    assert picker.figure.data[0].marker.color[0] == ew.BEST_COLOUR


def test_sides_are_kept_apart_and_both_legs_raise_a_red_flag():
    picker = ew.SymptomPicker(diagram=None)
    picker.region_boxes["heel"].value = True  # left leg
    picker.side.value = "right"
    assert picker.region_boxes["heel"].value is False  # the right leg has nothing ticked yet
    assert picker.findings()["regions"] == (("heel", "left"),)
    assert 'role="alert"' not in picker.reasons.value
    picker.region_boxes["heel"].value = True
    assert picker.findings()["regions"] == (("heel", "left"), ("heel", "right"))
    assert "both legs" in picker.reasons.value.lower()
    picker.side.value = "left"
    assert picker.region_boxes["heel"].value is True
    assert len(picker.selection) == 2  # switching legs changed no finding


def test_diagram_clicks_toggle_areas_and_the_choice_is_painted():
    diagram = FakeDiagram()
    picker = ew.SymptomPicker(diagram=diagram)
    assert diagram.callbacks == [picker.on_region_click]
    diagram.click("big_toe", "left")
    assert picker.region_boxes["big_toe"].value is True  # same leg: the list follows the click
    assert diagram.painted[-1] == (("big_toe", "left"),)
    assert picker.figure.data[0].y[0] == "L5"
    diagram.click("sole", "right")  # other leg: painted, not ticked in the left-leg list
    assert picker.region_boxes["sole"].value is False
    assert set(diagram.painted[-1]) == {("big_toe", "left"), ("sole", "right")}
    diagram.click("big_toe", "left")
    assert picker.region_boxes["big_toe"].value is False
    assert diagram.painted[-1] == (("sole", "right"),)


def test_picker_starts_from_given_findings_and_rejects_bad_ones():
    picker = ew.SymptomPicker(["heel", ("sole", "right")], ["ankle_plantarflexion"], ["ankle"], diagram=None)
    assert picker.region_boxes["heel"].value and not picker.region_boxes["sole"].value
    assert picker.findings()["regions"] == (("heel", "left"), ("sole", "right"))
    assert picker.weak_boxes["ankle_plantarflexion"].value and picker.reflex_boxes["ankle"].value
    assert picker.figure.data[0].y[0] == "S1"
    with pytest.raises(ValueError, match="heel"):
        ew.SymptomPicker(["foot"], diagram=None)
    with pytest.raises(ValueError, match="ankle_dorsiflexion"):
        ew.SymptomPicker(weakness=["foot_drop"], diagram=None)
    with pytest.raises(ValueError, match="left, right"):
        ew.SymptomPicker(side="middle", diagram=None)


def test_picks_html_lists_both_legs():
    assert "none yet" in ew.picks_html(frozenset())
    html = ew.picks_html({("sole", "right"), ("heel", "left"), ("big_toe", "left")})
    assert html.endswith("<b>Left leg:</b> heel, big toe. <b>Right leg:</b> sole of the foot.</p>")  # body order


def test_picks_on_the_hidden_leg_stay_listed_and_can_be_cleared():
    diagram = FakeDiagram()
    picker = ew.SymptomPicker(diagram=diagram)
    picker.region_boxes["heel"].value = True  # left leg
    diagram.click("sole", "right")  # the other leg, from the picture
    assert picker.region_boxes["sole"].value is False  # the boxes show the left leg
    assert picker.picks.value.endswith("<b>Left leg:</b> heel. <b>Right leg:</b> sole of the foot.</p>")
    assert "(right leg)" in picker.reasons.value and "(left leg)" in picker.reasons.value  # reasons name the leg
    picker.side.value = "right"
    assert picker.region_boxes["sole"].value is True and picker.region_boxes["heel"].value is False
    assert "Left leg" in picker.picks.value  # still in view
    assert not picker.clear.disabled
    picker.clear.click()
    assert picker.selection == frozenset() and not picker.region_boxes["sole"].value
    assert "none yet" in picker.picks.value and picker.clear.disabled
    assert diagram.painted[-1] == ()
    assert picker.findings()["regions"] == ()


def test_the_picture_comes_before_the_ranking_and_nothing_above_it_changes_height():
    diagram = FakeDiagram()
    body = ew.w.HTML("the body")  # a displayable stand-in for the body diagram
    diagram.widget = body
    picker = ew.SymptomPicker(diagram=diagram)
    rows = list(picker.children)
    picture = next(i for i, r in enumerate(rows) if body in getattr(r, "children", ()))
    results = next(i for i, r in enumerate(rows) if picker.figure in getattr(r, "children", ()))
    assert picture < results  # the ranking lives below the picture
    for row in rows[:picture]:  # above the picture: the boxes and the picks line, of fixed height
        assert picker.reasons not in getattr(row, "children", ())
    assert picker.picks.layout.height and picker.picks.layout.overflow == "auto"
    assert picker.reasons.layout.height == f"{ew.BAR_HEIGHT}px" and picker.reasons.layout.overflow == "auto"
    diagram.click("heel", "left")
    picker.reflex_boxes["ankle"].value = True
    assert list(picker.children) == rows  # a click changes contents, never the layout


def test_the_reasons_show_ties_as_ties():
    picker = ew.SymptomPicker(diagram=None)
    picker.region_boxes["heel"].value = True
    picker.reflex_boxes["ankle"].value = True
    assert "tied: L2, L3, L4, L5 and S2 (score −3 each)" in picker.reasons.value
    assert "not L2" not in picker.reasons.value


# ---- the quiz widget -------------------------------------------------------------------


def right_label(widget):
    view = widget.quiz.current
    stored = next(q for q in quiz.questions() if q.id == view.id)
    return next(key for key, label in view.choices if label == stored.label(stored.answer))


def test_quiz_widget_hides_the_answer_until_checked():
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q16"]), diagram=None)
    stored = next(q for q in quiz.questions() if q.id == "q07")
    shown = widget.question.value + str(widget.choices.options) + widget.feedback.value
    assert stored.explanation[:25] not in shown
    assert widget.check.disabled and widget.next.disabled
    widget.check.click()
    assert widget.quiz.answered == 0


def test_quiz_widget_check_feedback_next_and_final_score():
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q16"]), diagram=None)
    widget.choices.value = right_label(widget)
    assert not widget.check.disabled
    widget.check.click()
    assert "Correct" in widget.feedback.value and "[S32]" in widget.feedback.value
    assert widget.choices.disabled and widget.check.disabled and not widget.next.disabled
    widget.check.click()  # a second press does not answer again
    assert widget.quiz.answered == 1
    widget.next.click()
    assert "Question 2 of 2" in widget.question.value and widget.feedback.value == ""
    wrong = next(k for k, _ in widget.quiz.current.choices if k != right_label(widget))
    widget.choices.value = wrong
    widget.check.click()
    assert "Not quite. The answer is: L5" in widget.feedback.value
    assert widget.next.description == "See my score"
    widget.next.click()
    assert "1 of 2" in widget.score.value and widget.check.disabled


def test_quiz_widget_takes_diagram_clicks_only_for_where_felt_questions():
    diagram = FakeDiagram()
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q13"]), diagram=diagram)
    assert widget.on_region_click("heel", "left") is None  # a which-root question ignores clicks
    assert widget.quiz.answered == 0
    widget.choices.value = "L5"
    widget.check.click()
    widget.next.click()
    assert "body picture" in widget.question.value
    diagram.click("heel", "right")
    assert widget.quiz.answered == 2 and widget.quiz.score == 2
    assert "Correct" in widget.feedback.value
    diagram.click("sole", "right")  # already answered: ignored
    assert widget.quiz.answered == 2


# ---- with the real body diagram (sciatica_edu.widgets.BodyDiagram) ---------------------


def trace_of(body_diagram, region, side):
    return next(i for (_view, r, s), i in body_diagram.scene.region_index.items() if (r, s) == (region, side))


def test_picker_with_the_real_body_diagram():
    from sciatica_edu.widgets import BodyDiagram

    picker = ew.SymptomPicker()
    assert isinstance(picker.diagram, BodyDiagram)
    assert picker.diagram.figure.layout.width  # a fixed size (FigureWidgets do not resize well)
    picker.diagram.handle_click(trace_of(picker.diagram, "heel", "left"))  # what FigureWidget on_click calls
    assert picker.findings()["regions"] == (("heel", "left"),)
    assert picker.region_boxes["heel"].value is True
    assert picker.diagram.writes > 0  # the heel was painted
    assert picker.figure.data[0].y[0] == "S1"
    picker.region_boxes["heel"].value = False  # unticking in the list clears the painting too
    assert picker.diagram.writes > 0 and picker.findings()["regions"] == ()


def test_quiz_picture_shows_only_for_where_felt_and_paints_the_answer_after_a_try():
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q11"]))
    assert widget.picture is not None
    assert widget.picture.layout.display == "none"  # a which-root question: no picture
    widget.choices.value = "L5"
    widget.check.click()
    widget.next.click()
    assert widget.picture.layout.display is None  # "where would you feel it?": picture shown
    widget.diagram.handle_click(trace_of(widget.diagram, "big_toe", "right"))
    assert widget.quiz.score == 2  # the big toe is part of L5's area
    assert widget.diagram.writes > 0  # the right area is painted after the try


def test_one_browser_click_toggles_one_area():
    """plotly's FigureWidget calls every trace's on_click for one click, with empty points on the unclicked ones."""
    from plotly.callbacks import Points

    picker = ew.SymptomPicker()
    fig, target = picker.diagram.figure, trace_of(picker.diagram, "posterior_leg", "left")
    for i, trace in enumerate(fig.data):  # what plotly's basewidget does for a plotly_click event
        hit = i == target
        points = Points(
            point_inds=[0] if hit else [],
            xs=[0] if hit else [],
            ys=[0] if hit else [],
            trace_name=trace.name,
            trace_index=i,
        )
        trace._dispatch_on_click(points, None)
    assert picker.findings()["regions"] == (("posterior_leg", "left"),)


def test_the_picker_diagram_lets_clicks_reach_every_region():
    # In JupyterLab nerve lines and key-spot markers caught the pointer over half the regions
    # (28 of 56 region traces never received a hover or click); only region fills may take it.
    picker = ew.SymptomPicker()
    regions = set(picker.diagram.scene.region_index.values())
    for i, trace in enumerate(picker.diagram.figure.data):
        if i in regions:
            assert trace.hoverinfo != "skip"
        else:
            assert trace.hoverinfo == "skip"


# ---- issue 13: the quiz's buttons, letters and end screen ------------------------------------


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_the_next_step_is_the_primary_button_and_disabled_ones_are_plain():
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q16"]), diagram=None)
    assert widget.check.disabled and widget.check.button_style == ""  # nothing chosen yet
    assert widget.next.disabled and widget.next.button_style == ""
    assert "opacity" in widget.children[0].value and "sciatica-quiz" in widget._dom_classes
    widget.choices.value = right_label(widget)
    assert not widget.check.disabled and widget.check.button_style == "primary"
    widget.check.click()
    assert widget.check.disabled and widget.check.button_style == ""
    assert not widget.next.disabled and widget.next.button_style == "primary"
    widget.next.click()
    assert widget.check.disabled and widget.check.button_style == "" and widget.next.button_style == ""
    assert not shown(widget.again)


def test_every_question_in_the_widget_is_lettered():
    widget = ew.QuizWidget(quiz.Quiz(["q07", "q11", "q01"]), diagram=None)
    for _ in range(3):
        labels = [label for label, _key in widget.choices.options]
        assert [label[:3] for label in labels] == ["A. ", "B. ", "C. ", "D. "][: len(labels)]
        assert not any("_" in label for label in labels)  # region ids are not shown
        widget.choices.value = widget.choices.options[0][1]
        widget.check.click()
        widget.next.click()


def test_the_end_screen_offers_try_again_and_hides_the_rest():
    widget = ew.QuizWidget(quiz.Quiz(["q01", "q07"]), diagram=None)
    wrong = next(k for k, _ in widget.quiz.current.choices if k != right_label(widget))
    widget.choices.value = wrong
    widget.check.click()
    widget.next.click()
    widget.choices.value = right_label(widget)
    widget.check.click()
    assert widget.next.description == "See my score"
    widget.next.click()
    assert shown(widget.again) and widget.again.button_style == "primary"
    assert not shown(widget.check) and not shown(widget.next) and not shown(widget.choices)
    assert "You got 1 of 2 right" in widget.score.value
    assert '<a href="01-what-is-sciatica.ipynb">What sciatica is</a>' in widget.score.value
    assert "what_is" not in widget.score.value and "what is," not in widget.score.value
    widget.again.click()
    assert widget.quiz.answered == 0 and "Question 1 of 2" in widget.question.value
    assert shown(widget.check) and shown(widget.next) and shown(widget.choices) and not shown(widget.again)
    assert widget.check.disabled and widget.next.description == "Next question"
    assert "Score so far: 0 of 0" in widget.score.value


def test_quiz_end_html_without_mistakes():
    q = quiz.Quiz(["q07"])
    q.answer("L5")
    html = ew.quiz_end_html(q)
    assert "You got 1 of 1 right" in html and "Look again" not in html
