"""Widgets for the symptom explorer (tick findings -> live ranking) and the self-check quiz.

Thin wiring only: the ranking comes from :mod:`sciatica_edu.model.ranking`, the questions from
:mod:`sciatica_edu.model.quiz`. Handlers are plain methods (``on_region_click``, ``refresh``,
``on_check``...) so tests drive them without a browser. The body diagram, when available,
is ``sciatica_edu.widgets.BodyDiagram`` (``on_region_click(callback)``, ``show_selection(pairs)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import ipywidgets as w
import plotly.graph_objects as go

from sciatica_edu._errors import choose, choose_many
from sciatica_edu.facts import anatomy
from sciatica_edu.model import quiz as quizlib
from sciatica_edu.model import ranking as explorer

__all__ = [
    "BAR_HEIGHT",
    "BAR_WIDTH",
    "QuizWidget",
    "SymptomPicker",
    "feedback_html",
    "picks_html",
    "quiz_end_html",
    "ranking_bars",
    "ranking_figure",
    "reasons_html",
    "toggle_pair",
]

BAR_WIDTH = 460
BAR_HEIGHT = 330
BEST_COLOUR = "#1f5fa8"
OTHER_COLOUR = "#9fb7d3"
SIDE_OPTIONS = (("Left leg", "left"), ("Right leg", "right"))


# ---- pure helpers ----------------------------------------------------------------------


def toggle_pair(selection: Iterable[tuple[str, str]], region: str, side: str) -> frozenset[tuple[str, str]]:
    """Add (region, side) to the selection, or remove it if it is there (a click on the diagram)."""
    region = anatomy.region(region).id
    side = choose(side, anatomy.SIDES, "side")
    selection = frozenset(selection)
    pair = (region, side)
    return selection - {pair} if pair in selection else selection | {pair}


def ranking_bars(matches: list[explorer.RootMatch]) -> dict[str, list]:
    """Bar data for a ranking: roots best first, scores, score labels and colours (best fits highlighted)."""
    best = matches[0].score if matches else 0.0
    has_findings = any(m.reasons != (explorer.NO_FINDINGS,) for m in matches)
    return {
        "y": [m.root for m in matches],
        "x": [m.score for m in matches],
        "text": [f"{m.score:g}" for m in matches],
        "colors": [BEST_COLOUR if has_findings and m.score == best else OTHER_COLOUR for m in matches],
        # negative bars carry their label inside, so it cannot collide with the root names
        "textposition": ["inside" if m.score < 0 else "outside" for m in matches],
    }


def ranking_figure(matches: list[explorer.RootMatch], widget: bool = False) -> go.Figure | go.FigureWidget:
    """A horizontal bar chart of a ranking (best at the top), fixed size, layout set in the constructor."""
    bars = ranking_bars(matches)
    data = [
        go.Bar(
            y=bars["y"],
            x=bars["x"],
            text=bars["text"],
            orientation="h",
            marker={"color": bars["colors"]},
            textposition=bars["textposition"],
            insidetextanchor="start",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} points<extra></extra>",
            name="fit score",
        )
    ]
    layout = go.Layout(
        title={"text": "Which root's textbook pattern fits best?", "font": {"size": 14}, "x": 0.02},
        width=BAR_WIDTH,
        height=BAR_HEIGHT,
        margin={"l": 50, "r": 40, "t": 50, "b": 45},
        xaxis={
            "title": {"text": "fit score in points (a teaching aid, not a diagnosis)"},
            "zeroline": True,
            "zerolinecolor": "#444",
        },
        yaxis={"title": {"text": "nerve root"}, "autorange": "reversed", "ticklabelstandoff": 6},
        showlegend=False,
        template="plotly_white",
    )
    if widget:  # drawn by the kit's own front-end (1.2 MB, plotly.js basic has bars), not plotly's 5 MB widget code
        from sciatica_edu.widgets.figure import _figure_widget_class

        return _figure_widget_class()(data=data, layout=layout)
    return go.Figure(data=data, layout=layout)


def reasons_html(matches: list[explorer.RootMatch], notes: Iterable[str] = (), top: int = 3) -> str:
    """The ranking's reasons as escaped HTML: red flags first, then the top roots, then the caveat."""
    text = explorer.ranking_text(matches, notes, top=top)
    parts = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("⚠"):
            parts.append(f'<p role="alert" style="color:#8a0018;font-weight:bold">{escape(stripped)}</p>')
        elif stripped.startswith(("+ ", "− ")):
            mark = "fits" if stripped[0] == "+" else "against"
            parts.append(f'<li class="{mark}">{"✔" if mark == "fits" else "✘"} {escape(stripped[2:])}</li>')
        elif stripped[0].isdigit() and ". " in stripped[:4]:
            parts.append(f"<p><strong>{escape(stripped)}</strong></p>")
        else:
            parts.append(f"<p>{escape(stripped)}</p>")
    # group consecutive <li> into lists
    html, in_list = [], False
    for part in parts:
        if part.startswith("<li") and not in_list:
            html.append('<ul style="margin:0 0 0.4em 1em;padding:0">')
            in_list = True
        elif not part.startswith("<li") and in_list:
            html.append("</ul>")
            in_list = False
        html.append(part)
    if in_list:
        html.append("</ul>")
    return '<div class="explorer-reasons" aria-live="polite">' + "".join(html) + "</div>"


def picks_html(selection: Iterable[tuple[str, str]]) -> str:
    """The areas picked so far, leg by leg (both legs always shown, whichever leg the boxes show)."""
    order = {r.id: i for i, r in enumerate(anatomy.regions())}
    by_leg = {side: sorted((r for r, s in selection if s == side), key=order.__getitem__) for side in anatomy.SIDES}
    legs = [
        f"<b>{side.capitalize()} leg:</b> {escape(', '.join(anatomy.region(r).label for r in regions))}."
        for side, regions in by_leg.items()
        if regions
    ]
    if not legs:
        return '<p class="explorer-picks">Areas picked: none yet.</p>'
    return '<p class="explorer-picks">Areas picked: ' + " ".join(legs) + "</p>"


def _default_diagram():
    """A BodyDiagram from sciatica_edu.widgets at its own size (smaller sizes crowd its labels), no text part."""
    try:
        from sciatica_edu.widgets.body import BodyDiagram
    except ImportError:  # the diagram layer is optional for these widgets
        return None
    return BodyDiagram(description=False, clickable=True, mode="student")  # notebook 08: a student view


def _as_widget(obj) -> w.Widget | None:
    """The displayable widget of a diagram object (itself, ``.widget`` or ``.figure``)."""
    if obj is None:
        return None
    if isinstance(obj, w.Widget):
        return obj
    for name in ("widget", "figure", "fig"):
        inner = getattr(obj, name, None)
        if isinstance(inner, w.Widget):
            return inner
    return None


def _checkbox(label: str) -> w.Checkbox:
    return w.Checkbox(value=False, description=label, tooltip=label, indent=False, layout=w.Layout(width="auto"))


# ---- the symptom picker ----------------------------------------------------------------


class SymptomPicker(w.VBox):
    """Tick where it is felt (per leg), weak movements and reduced reflexes; see the ranking and reasons live.

    ``diagram="auto"`` adds the body diagram when ``sciatica_edu.widgets.BodyDiagram`` exists
    (clicks toggle regions; chosen areas are painted); pass ``None`` for no diagram, or any
    object with ``on_region_click`` and ``show_selection``.

    Layout: the boxes, the list of picks, the body picture, then the ranking and reasons in a box of fixed
    height. Nothing above the picture changes height, so the picture stays under the pointer from one
    click to the next (the ranking used to sit above it and push it down as the reasons grew).

    Picks on the leg the boxes do not show are kept, and listed by leg above the picture (``picks``), with
    a "Clear all areas" button. A student clicks areas on either leg of the picture, and findings on both
    legs are a red flag the explorer must be able to show; clearing the other leg when the leg switches
    would silently drop what they clicked, so the picks are kept and always in view instead.
    """

    def __init__(
        self,
        regions: Iterable = (),
        weakness: Iterable[str] = (),
        reflexes: Iterable[str] = (),
        side: str = "left",
        diagram="auto",
    ) -> None:
        region_ids, pairs = explorer.parse_regions(regions)
        side = choose(side, anatomy.SIDES, "side")
        paired = {r for r, _ in pairs}
        plain = {(r, side) for r in region_ids if r not in paired}
        self.selection: frozenset[tuple[str, str]] = frozenset(pairs) | plain
        self._syncing = False

        self.side = w.ToggleButtons(
            options=SIDE_OPTIONS,
            value=side,
            description="Leg:",
            tooltips=["Tick areas on the left leg", "Tick areas on the right leg"],
        )
        self.region_boxes = {r.id: _checkbox(r.label) for r in anatomy.regions()}
        self.weak_boxes = {m.id: _checkbox(f"{m.label} ({m.term})") for m in anatomy.movements()}
        self.reflex_boxes = {r.id: _checkbox(f"{r.label} reduced ({r.term})") for r in anatomy.reflexes()}
        for m in choose_many(weakness, self.weak_boxes, "movement"):
            self.weak_boxes[m].value = True
        for r in choose_many(reflexes, self.reflex_boxes, "reflex"):
            self.reflex_boxes[r].value = True
        self._show_side_boxes()

        matches = self.ranking()
        self.figure = ranking_figure(matches, widget=True)
        self.reasons = w.HTML(reasons_html(matches, self.notes()))
        self.picks = w.HTML(picks_html(self.selection), layout=w.Layout(height="3.2em", overflow="auto"))
        self.clear = w.Button(description="Clear all areas", tooltip="Remove the areas picked on both legs")
        self.clear.on_click(self.on_clear)
        self.diagram = _default_diagram() if diagram == "auto" else diagram
        if self.diagram is not None:
            self.diagram.on_region_click(self.on_region_click)

        self.side.observe(self.on_side, names="value")
        for box in self.region_boxes.values():
            box.observe(self.on_region_box, names="value")
        for box in (*self.weak_boxes.values(), *self.reflex_boxes.values()):
            box.observe(self.refresh, names="value")

        regions_panel = w.VBox(
            [
                w.HTML("<b>Where is it felt?</b> Choose the leg, then tick the areas."),
                self.side,
                w.GridBox(
                    list(self.region_boxes.values()),
                    layout=w.Layout(grid_template_columns="repeat(2, 235px)", grid_gap="0 8px"),
                ),
            ],
            layout=w.Layout(width="490px"),
        )
        findings_panel = w.VBox(
            [
                w.HTML("<b>Which movements are weak?</b>"),
                *self.weak_boxes.values(),
                w.HTML("<b>Which reflexes are reduced?</b>"),
                *self.reflex_boxes.values(),
            ],
            layout=w.Layout(width="500px"),
        )
        picture = _as_widget(self.diagram)
        # Fixed heights: the reasons scroll inside their box instead of growing the page.
        self.reasons.layout = w.Layout(width="460px", height=f"{BAR_HEIGHT}px", overflow="auto")
        self.picks.layout.margin = "0 0 0 1em"
        picks_row = w.HBox([self.clear, self.picks], layout=w.Layout(align_items="center"))
        results = w.HBox([self.figure, self.reasons], layout=w.Layout(height=f"{BAR_HEIGHT + 10}px"))
        results.add_class("explorer-results")
        rows = [w.HBox([regions_panel, findings_panel]), picks_row]
        if picture is not None:
            hint = "<b>Or click the areas on the body picture</b> (click again to remove). The ranking is below it."
            rows.append(w.VBox([w.HTML(hint), picture]))
        rows.append(results)
        super().__init__(rows)
        self.refresh()

    # -- state
    def findings(self) -> dict[str, tuple]:
        """The current findings: (region, side) pairs, weak movement ids, reduced reflex ids."""
        order = [r.id for r in anatomy.regions()]
        pairs = tuple(sorted(self.selection, key=lambda p: (order.index(p[0]), p[1])))
        weak = tuple(m for m, box in self.weak_boxes.items() if box.value)
        reduced = tuple(r for r, box in self.reflex_boxes.items() if box.value)
        return {"regions": pairs, "weakness": weak, "reflexes": reduced}

    def ranking(self) -> list[explorer.RootMatch]:
        return explorer.rank_roots(**self.findings())

    def notes(self) -> tuple[str, ...]:
        return explorer.cautions(self.findings()["regions"])

    # -- handlers
    def on_region_click(self, region: str, side: str) -> None:
        """A click on the diagram: toggle that area on that leg."""
        self.selection = toggle_pair(self.selection, region, side)
        if side == self.side.value:
            self._show_side_boxes()
        self.refresh()

    def on_region_box(self, change) -> None:
        """A ticked or unticked region box: add or remove the area on the chosen leg."""
        if self._syncing:
            return
        region = next(r for r, box in self.region_boxes.items() if box is change["owner"])
        pair = (region, self.side.value)
        self.selection = self.selection | {pair} if change["new"] else self.selection - {pair}
        self.refresh()

    def on_side(self, change=None) -> None:
        """Switching legs shows that leg's ticked areas; the other leg's picks stay, listed in ``picks``."""
        self._show_side_boxes()

    def on_clear(self, button=None) -> None:
        """The "Clear all areas" button: remove the areas picked on both legs (movements and reflexes stay)."""
        self.selection = frozenset()
        self._show_side_boxes()
        self.refresh()

    def _show_side_boxes(self) -> None:
        self._syncing = True
        try:
            side = self.side.value
            for region, box in self.region_boxes.items():
                box.value = (region, side) in self.selection
        finally:
            self._syncing = False

    def refresh(self, change=None) -> None:
        """Recompute the ranking and update the bars, the reasons and the painted areas."""
        matches = self.ranking()
        bars = ranking_bars(matches)
        with self.figure.batch_update():
            bar = self.figure.data[0]
            bar.y, bar.x, bar.text = bars["y"], bars["x"], bars["text"]
            bar.textposition = bars["textposition"]
            bar.marker.color = bars["colors"]
        self.reasons.value = reasons_html(matches, self.notes())
        self.picks.value = picks_html(self.selection)
        self.clear.disabled = not self.selection
        if self.diagram is not None:
            self.diagram.show_selection(self.findings()["regions"])


# ---- the quiz --------------------------------------------------------------------------


def feedback_html(feedback: quizlib.Feedback) -> str:
    """Feedback as escaped HTML: right or not, the answer, the explanation and the full sources."""
    head = "✔ Correct." if feedback.correct else f"✘ Not quite. The answer is: {feedback.answer.rstrip('.')}."
    colour = "#1b5e20" if feedback.correct else "#8a0018"
    cites = "".join(
        f"<li>[{escape(s)}] {escape(c)}</li>" for s, c in zip(feedback.sources, feedback.citations, strict=True)
    )
    return (
        f'<div class="quiz-feedback" role="status"><p style="color:{colour};font-weight:bold">{escape(head)}</p>'
        f"<p>{escape(feedback.explanation)}</p><p>Sources:</p><ul>{cites}</ul></div>"
    )


#: Disabled buttons must look disabled (ipywidgets only dims them a little, and a primary one stays blue).
QUIZ_CSS = (
    "<style>.sciatica-quiz .jupyter-button:disabled, .sciatica-quiz .jupyter-button.mod-disabled"
    " {opacity: 0.35; background: #e8e8e8; color: #555; box-shadow: none; cursor: not-allowed;}</style>"
)


def quiz_end_html(quiz: quizlib.Quiz) -> str:
    """The end screen: the score and, for any question missed, the topics to look at again, with their notebooks."""
    items = "".join(
        f'<li><a href="{escape(quizlib.TOPIC_NAMES[t][1])}">{escape(quizlib.topic_name(t))}</a></li>'
        for t in quiz.missed_topics()
    )
    again = f"<p>Look again at:</p><ul>{items}</ul>" if items else "<p>All right: well done.</p>"
    return f"<p><b>All done. You got {quiz.score} of {quiz.total} right.</b></p>{again}"


class QuizWidget(w.VBox):
    """One question at a time: choose, press Check, read the cited feedback, then Next; a score at the end.

    A "where would you feel it?" question can also be answered by clicking the body diagram
    (``diagram="auto"`` adds one when ``sciatica_edu.widgets.BodyDiagram`` exists).

    The button for the next step is the primary (blue) one: Check while choosing, then "Next question"
    (or "See my score"); the other is disabled and greyed. Every question's choices are lettered A, B, C, D.
    The end screen hides the answer buttons, Check and Next, and offers "Try again" (same questions).
    """

    def __init__(self, quiz: quizlib.Quiz | None = None, diagram="auto") -> None:
        self.quiz = quiz if quiz is not None else quizlib.Quiz()
        self.question = w.HTML()
        self.choices = w.RadioButtons(options=[], layout=w.Layout(width="auto"))
        self.check = w.Button(description="Check", tooltip="Check your answer")
        self.next = w.Button(description="Next question", tooltip="Go to the next question")
        self.again = w.Button(description="Try again", icon="refresh", tooltip="Start the self-check again")
        self.feedback = w.HTML()
        self.score = w.HTML()
        self.check.on_click(self.on_check)
        self.next.on_click(self.on_next)
        self.again.on_click(self.on_again)
        self.choices.observe(self._on_choice, names="value")
        uses_regions = any(q.kind == "where_felt" for q in quizlib.questions())
        self.diagram = (_default_diagram() if uses_regions else None) if diagram == "auto" else diagram
        if self.diagram is not None:
            self.diagram.on_region_click(self.on_region_click)
        self.buttons = w.HBox([self.check, self.next, self.again])
        parts = [w.HTML(QUIZ_CSS), self.question, self.choices, self.buttons, self.feedback, self.score]
        inner = _as_widget(self.diagram)
        # A box around the picture: a FigureWidget's own .layout is plotly's, not a widget layout.
        self.picture = w.VBox([inner]) if inner is not None else None
        if self.picture is not None:
            parts.insert(3, self.picture)
        super().__init__(parts, layout=w.Layout(width="800px"))
        self.add_class("sciatica-quiz")
        self.show_question()

    # -- button states: the next step is the primary button; the others are disabled and plain

    def _buttons(self, *, check: bool, next_: bool, end: bool = False) -> None:
        """Enable the buttons given; the enabled one is primary; at the end only "Try again" is shown."""
        self.check.disabled, self.next.disabled = not check, not next_
        self.check.button_style = "primary" if check else ""
        self.next.button_style = "primary" if next_ else ""
        self.again.button_style = "primary" if end else ""
        for button, shown in ((self.check, not end), (self.next, not end), (self.again, end)):
            button.layout.display = None if shown else "none"
        self.choices.layout.display = "none" if end else None

    def show_question(self) -> None:
        """Show the current question with nothing chosen, or the end screen when finished."""
        view = self.quiz.current
        self.feedback.value = ""
        self.next.description = "Next question"
        if self.diagram is not None:
            self.diagram.show_selection([])
            if self.picture is not None:  # the picture is only for "where would you feel it?"
                self.picture.layout.display = None if view is not None and view.any_region else "none"
        if view is None:
            self.question.value = ""
            self.choices.options = []
            self.choices.disabled = True
            self.score.value = quiz_end_html(self.quiz)
            self._buttons(check=False, next_=False, end=True)
            return
        hint = " You can also click the area on the body picture." if view.any_region and self.diagram else ""
        self.question.value = (
            f"<p>Question {view.number} of {view.total}</p><p><b>{escape(view.prompt)}</b>{escape(hint)}</p>"
        )
        self.choices.options = [(f"{mark}. {label}", key) for mark, key, label in view.lettered]
        self.choices.value = None
        self.choices.disabled = False
        self._buttons(check=False, next_=False)  # Check lights up (primary) once an answer is chosen
        self.score.value = f"<p>Score so far: {self.quiz.score} of {self.quiz.answered}</p>"

    def _on_choice(self, change) -> None:
        if self.quiz.finished or not self.next.disabled:
            return
        self._buttons(check=change["new"] is not None, next_=False)

    def _answer(self, choice: str) -> quizlib.Feedback:
        fb = self.quiz.answer(choice)
        self.feedback.value = feedback_html(fb)
        if self.diagram is not None and fb.regions:  # paint the right area(s) after the try
            self.diagram.show_selection([(r, s) for r in fb.regions for s in anatomy.SIDES])
        self.choices.disabled = True
        self._buttons(check=False, next_=True)
        self.next.description = "See my score" if self.quiz.finished else "Next question"
        self.score.value = f"<p>Score so far: {self.quiz.score} of {self.quiz.answered}</p>"
        return fb

    def on_check(self, button=None) -> quizlib.Feedback | None:
        """The Check button: score the chosen answer and show the feedback (nothing chosen: a prompt)."""
        if self.choices.value is None or not self.next.disabled or self.quiz.finished:
            if self.choices.value is None and not self.quiz.finished:
                self.feedback.value = "<p>Choose an answer first.</p>"
            return None
        return self._answer(self.choices.value)

    def on_region_click(self, region: str, side: str) -> quizlib.Feedback | None:
        """A click on the diagram answers a "where would you feel it?" question; other questions ignore it."""
        view = self.quiz.current
        if view is None or not view.any_region or not self.next.disabled:
            return None
        return self._answer(region)

    def on_next(self, button=None) -> None:
        """The Next button: show the next question (or the end screen)."""
        self.show_question()

    def on_again(self, button=None) -> None:
        """The "Try again" button: the same questions from the first, score reset."""
        self.quiz.restart()
        self.show_question()
