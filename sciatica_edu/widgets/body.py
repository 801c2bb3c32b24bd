"""Live widgets: the body diagram on a FigureWidget, scenario controls, and ``explore()`` wiring them.

Thin layer over :mod:`sciatica_edu.diagram`. Every handler is a plain method, so tests drive
it without a browser (setting a control's ``.value`` fires its observers in the kernel).

* ``BodyDiagram(compression)``: ``.show(compression)`` repaints in place, inside one
  ``batch_update()``, writing only the properties that changed; ``.show_root("L5")``,
  ``.show_selection([("big_toe", "left")])``, ``.on_region_click(callback)``;
  ``.figure`` (the FigureWidget), ``.description`` (HTML text), ``.widget`` (both, displayable).
* ``ScenarioControls()``: disc, zone, side, severity and symptom kinds; ``.compression``,
  ``.kinds``, ``.set(compression)``, ``.observe(callback)``, ``.widget``. Severity is also said in
  words (``severity_words``); a central bulge has no side, so the side control then shows "both".
* ``explore(compression)``: controls, the scenario's warning signs (``warning_html``), the diagram and
  its description, ready to display.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from html import escape
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go
import traitlets

from sciatica_edu._errors import choose_many
from sciatica_edu.facts import anatomy, causes
from sciatica_edu.figures import plotlyjs
from sciatica_edu.figures.body import default_height
from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.state import State, figure_dict, state_for
from sciatica_edu.figures.static import static_figure, static_html
from sciatica_edu.figures.style import CAVEAT, CONFIG, WIDTH, check_size
from sciatica_edu.model.scenario import KINDS, SIDE_CHOICES, Compression, severity_word
from sciatica_edu.model.words import KIND_WORDS, describe_html, warning_sentences

__all__ = ["BodyDiagram", "Explorer", "ScenarioControls", "explore", "severity_words", "warning_html"]

DEFAULT = Compression("L4-L5", "paracentral", "left", 0.6)

#: The zone whose bulge presses in the middle: it has no left or right (both sides).
CENTRAL = "central"


#: How strong the pressure is, in a patient's word (none, mild, moderate, strong): one rule for the slider, the
#: handout and the session view (``scenario.severity_word``).
severity_words = severity_word


def warning_html(compression: Compression | None, locale: str | None = None) -> str:
    """The scenario's warning signs and what to do (in ``locale``'s words), as a small alert; empty when none.

    The same sentences as the description's (``warning_sentences``), so every view says the same thing.
    """
    lines = warning_sentences(compression, locale) if compression is not None else []
    if not lines:
        return ""
    body = "<br>".join(f"<strong>⚠ {escape(line)}</strong>" for line in lines)
    return (
        '<div class="sciatica-warning" role="alert" style="border:2px solid #b00020;border-radius:6px;'
        f'padding:0.3em 0.8em;background:#fff4f4;color:#8a0018;font-size:17px;max-width:52em">{body}</div>'
    )


FIGURE_WIDGET_JS = Path(__file__).resolve().parent.parent / "static" / "figure-widget.js"


@cache
def figure_widget_code() -> str:
    """The body diagram's front-end: an ES module for anywidget, plotly.js "basic" (1.2 MB, vendored, MIT)
    followed by ``static/figure-widget.js``, which speaks the part of plotly.py's FigureWidget protocol the
    kit uses.

    plotly's own widget code is 5 MB (all of plotly.js: slow to load, above all in Voila) and, after every
    update, diffed plotly.js's data against its own copy and sent it back to Python in the same task as the
    repaint; it also added a marker that made plotly.js recalculate every trace (benchmarks/README.md).
    """
    umd = plotlyjs.plotly_js()  # a UMD script: given a ``module`` object, it puts plotly.js on module.exports
    return (
        "// plotly.js (basic) v" + plotlyjs.bundle_version() + ": MIT licence, Copyright Plotly, Inc.\n"
        "const module = { exports: {} };\n(function (module) {\n" + umd + "\n})(module);\n"
        "const Plotly = module.exports;\n" + FIGURE_WIDGET_JS.read_text(encoding="utf-8")
    )


@cache
def _figure_widget_class() -> type[go.FigureWidget]:
    """plotly.py's FigureWidget (its Python side unchanged) drawn by ``figure_widget_code()``."""
    namespace = {
        "__module__": __name__,
        # One id per figure: its front-end keeps the figure's state under it, shared by the figure's views
        # (anywidget gives each view a model object of its own).
        "_sciatica_key": traitlets.Unicode().tag(sync=True),
        "_default_sciatica_key": traitlets.default("_sciatica_key")(lambda self: uuid.uuid4().hex),
    }
    cls = type("FigureWidget", (go.FigureWidget,), namespace)
    cls._esm = figure_widget_code()  # set after class creation: anywidget would otherwise try the text as a file name
    return cls


class BodyDiagram:
    """The body diagram as a live FigureWidget that repaints in place (no new figure, no flicker)."""

    def __init__(
        self,
        compression: Compression | None = None,
        *,
        kinds: Iterable[str] | None = None,
        width: int = WIDTH,
        height: int | None = None,
        description: bool = True,
        clickable: bool = False,
        locale: str | None = None,
        mode: str = "patient",
    ) -> None:
        # The first picture and the layout go to the constructor: restyles made before a front-end
        # connects are lost there (painted traces came up empty in Lab and Voila; tests/browser).
        # Built from the plain figure dicts (body_figure's own steps), so plotly validates them
        # once, in the FigureWidget, instead of twice (0.1-0.2 s less per diagram here).
        # mode: "patient" (default: a title, weak movements as labels, no ISNCSCI spots) or "student"
        height = default_height(mode) if height is None else height
        scene = scene_for(*check_size(width, height), locale, mode)
        self.locale = scene.locale
        self.mode = scene.mode
        first = state_for(compression, kinds=kinds, scene=scene)
        traces, layout = figure_dict(first, scene)
        self._clickable = clickable
        if clickable:
            # Nerve lines and key-spot markers win plotly's "closest" hover over the fills under them,
            # so clicks on the calf, thigh, heel, knee and toes never reached their region (seen in Lab).
            regions = set(scene.region_index.values())
            for i, trace in enumerate(traces):
                if i not in regions:
                    trace["hoverinfo"] = "skip"
        self.figure = _figure_widget_class()(data=traces, layout=layout)
        # No mode bar: plotly's widget passes this synced trait to Plotly.newPlot as its config.
        self.figure._config = dict(CONFIG)
        # Export hook (sciatica_edu.export): a kernel-free stand-in with plotly-native controls.
        self.figure._sciatica_edu_static = lambda: static_figure(
            self.compression, locale=self.locale, mode=self.mode
        )
        # ... and, where the figure and its words are shown apart (the session view), both as one fragment.
        self.figure._sciatica_edu_static_html = lambda config=None: static_html(
            self.compression, config=config, locale=self.locale, mode=self.mode
        )
        self._current: dict[int, dict[str, object]] = {i: dict(v) for i, v in first.props.items()}
        self._current_layout: dict[str, object] = dict(first.layout)
        self.scene = scene
        self._click_callbacks: list[Callable[[str, str], None]] = []
        self._clicks_wired = False
        self.description = widgets.HTML(layout=widgets.Layout(max_width="34em"))
        self.description.add_class("sciatica-description")
        self._with_description = description
        self.widget = (
            widgets.VBox([self.figure, self.description], layout=widgets.Layout(align_items="flex-start"))
            if description
            else self.figure
        )
        if description:
            # Export hook: the kernel-free figure with words that follow its menu and slider.
            self.widget._sciatica_edu_static_html = lambda config=None: static_html(
                self.compression, config=config, locale=self.locale, mode=self.mode
            )
        self.compression: Compression | None = None
        self.writes = 0  # property writes made by the last repaint (for tests and benchmarks)
        self.show(compression, kinds=kinds)

    # -- repainting ----------------------------------------------------------------------------

    def _paint(self, state: State) -> int:
        """Write the properties that differ from what the figure shows, in one batch; return how many.

        Every dynamic property is style-level in plotly.js (colours, fill patterns, hover text), so the
        browser restyles in place instead of recalculating and redrawing all traces.

        Values come from :func:`state_for`, the same code that builds (and so validates) the
        plain figure; they are staged straight into the batch, skipping plotly's per-assignment
        validation, which cost about half of the time (see benchmarks/diagram_latency.py).
        """
        changes: list[tuple[int, str, object]] = []
        for i, values in state.props.items():
            cur = self._current[i]
            for key, value in values.items():
                if key == "hoverinfo" and self._clickable:
                    continue  # clickable: only region fills take the pointer (set once in __init__)
                if cur.get(key) != value:
                    changes.append((i, key, value))
        relayout = {k: v for k, v in state.layout.items() if self._current_layout.get(k) != v}
        if changes or relayout:
            fig = self.figure
            staged = getattr(fig, "_batch_trace_edits", None)
            staged_layout = getattr(fig, "_batch_layout_edits", None)
            with fig.batch_update():
                for i, key, value in changes:
                    if staged is not None:
                        staged.setdefault(i, {})[key] = value
                    else:  # pragma: no cover - older or newer plotly without the batch store
                        fig.data[i][key] = value
                    self._current[i][key] = value
                for key, value in relayout.items():
                    if staged_layout is not None:
                        staged_layout[key] = value
                    else:  # pragma: no cover - older or newer plotly without the batch store
                        fig.layout[key] = value
                    self._current_layout[key] = value
        self.writes = len(changes) + len(relayout)
        return self.writes

    def show(self, compression: Compression | None = None, *, kinds: Iterable[str] | None = None) -> None:
        """Paint a compression's typical symptoms (``None`` clears); ``kinds`` limits the kinds shown."""
        if compression is not None and not isinstance(compression, Compression):
            raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
        state = state_for(compression, kinds=kinds, scene=self.scene)
        self._paint(state)
        self.compression = compression
        if self._with_description:
            self.description.value = describe_html(compression, kinds=kinds, locale=self.locale)

    def show_root(self, root: str) -> None:
        """Paint one root's usual skin area on both sides (no compression), e.g. ``show_root("L5")``."""
        self._paint(state_for(root=root, scene=self.scene))
        self.compression = None
        if self._with_description:
            r = anatomy.root(root)
            areas = ", ".join(anatomy.region(x).label for x in sorted(r.dermatome))
            self.description.value = (
                f"<p>The {r.name} nerve root usually supplies the skin of: {areas}.</p><p>{CAVEAT}</p>"
            )

    def show_selection(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Paint an arbitrary set of ``(region_id, side)`` pairs, e.g. areas a student picked."""
        pairs = list(pairs)
        self._paint(state_for(selection=pairs, scene=self.scene))
        self.compression = None
        if self._with_description:
            if pairs:
                items = "".join(f"<li>{anatomy.region(r).label}, {s} side</li>" for r, s in pairs)
                self.description.value = f"<p>Areas picked:</p><ul>{items}</ul>"
            else:
                self.description.value = "<p>No areas picked yet.</p>"

    # -- clicking ------------------------------------------------------------------------------

    def region_at(self, trace_index: int) -> tuple[str, str] | None:
        """The (region_id, side) a trace draws, or None for outlines, the spine and the key."""
        for (_view, rid, side), i in self.scene.region_index.items():
            if i == trace_index:
                return rid, side
        return None

    def handle_click(self, trace_index: int) -> None:
        """Call the click callbacks for the region drawn by ``trace_index`` (plain, testable)."""
        place = self.region_at(trace_index)
        if place is None:
            return
        for cb in list(self._click_callbacks):
            cb(*place)

    def _trace_clicked(self, trace, points, state) -> None:
        # plotly calls every trace's click callbacks for each click; only the clicked trace has
        # point indexes (a click on a filled area sends one, with no point number).
        if points.point_inds:
            self.handle_click(points.trace_index)

    def on_region_click(self, callback: Callable[[str, str], None]) -> None:
        """Call ``callback(region_id, side)`` when a person clicks a region (FigureWidget ``on_click``)."""
        if not callable(callback):
            raise ValueError(f"callback must be callable, not {type(callback).__name__}")
        self._click_callbacks.append(callback)
        if not self._clicks_wired:
            for i in set(self.scene.region_index.values()):
                self.figure.data[i].on_click(self._trace_clicked)
            self._clicks_wired = True


class _SeveritySlider(widgets.FloatSlider):
    """A FloatSlider that ignores NaN or infinity (keeps its value) and clamps other numbers to [min, max].

    Values also arrive over the widget comm from any page; a NaN there used to reach ``Compression``,
    whose ValueError broke that page's session.
    """

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        # The last good value is kept apart: during a comm update (hold_trait_notifications) ``self.value``
        # already holds the new, bad, value when this runs.
        value = proposal["value"]
        if math.isfinite(value):
            self._last_good = min(max(value, self.min), self.max)
        return getattr(self, "_last_good", self.min)


class ScenarioControls:
    """Disc, zone, side, severity and symptom-kind controls; large, labelled, keyboard operable."""

    def __init__(
        self, compression: Compression | None = None, *, kinds: Iterable[str] | None = None, cause_controls: bool = True
    ) -> None:
        """``cause_controls=False`` leaves the cause and onset controls off the screen (the session view, where the
        presets set them and there is no room); they still hold the scenario's cause and onset."""
        c = compression or DEFAULT
        wide = widgets.Layout(width="36em")
        style = {"description_width": "9em"}
        self.disc = widgets.Dropdown(
            options=[(f"{d} disc", d) for d in anatomy.DISCS],
            value=c.disc,
            description="Disc:",
            layout=wide,
            style=style,
        )
        self.zone = widgets.Dropdown(
            options=[(z.label, z.id) for z in anatomy.zones()],
            value=c.zone,
            description="Where it bulges:",
            layout=wide,
            style=style,
        )
        self.side = widgets.ToggleButtons(
            options=[("Left", "left"), ("Right", "right"), ("Both", "both")],
            value=c.side,
            description="Side:",
            style={"description_width": "9em", "button_width": "6em", "font_weight": "bold"},
            tooltips=["the patient's left", "the patient's right", "both sides"],
        )
        # What presses and since when (presets set them too: a long-standing stenosis is not an emergency).
        self.cause = widgets.Dropdown(
            options=[(causes.cause(i).label, i) for i in causes.spinal_ids()],
            value=c.cause,
            description="What presses:",
            layout=wide,
            style=style,
        )
        self.onset = widgets.ToggleButtons(
            options=[("New", "new"), ("For months", "long_standing")],
            value=c.onset,
            description="Since when:",
            style={"description_width": "9em", "button_width": "8em"},
            tooltips=["started in the last days or weeks", "built up slowly over months"],
        )
        self.severity = _SeveritySlider(
            value=c.severity,
            min=0.0,
            max=1.0,
            step=0.05,
            description="How strong:",
            readout_format=".2f",
            continuous_update=False,
            layout=wide,
            style=style,
        )
        # The number means little to a patient: the word next to it says how strong (severity_words).
        self.severity_label = widgets.HTML(layout=widgets.Layout(margin="0 0 0 0.8em"))
        self.severity_label.add_class("sciatica-severity-words")
        shown = set(KINDS if kinds is None else choose_many(kinds, KINDS, "symptom kind"))
        self.kind_boxes = {
            k: widgets.Checkbox(
                value=k in shown,
                description=KIND_WORDS[k],
                indent=False,
                layout=widgets.Layout(width="auto", margin="0 2em 0 0"),
            )
            for k in KINDS
        }
        self._callbacks: list[Callable[[Compression], None]] = []
        self._holding = False
        self._free_side = c.side if c.side != "both" else "left"
        self._good = c  # the last scenario the controls showed: put back if the page sends an impossible one
        self._wire_side_and_words()  # before the scenario observers below
        for w in (self.disc, self.zone, self.side, self.cause, self.onset, self.severity, *self.kind_boxes.values()):
            w.observe(self._changed, names="value")
        kinds_box = widgets.VBox(
            [
                widgets.HTML("<b>Show these symptoms:</b>"),
                widgets.HBox(list(self.kind_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")),
            ],
        )
        # Large, readable controls for a screen across a desk (ipywidgets styles have no font size).
        css = widgets.HTML(
            "<style>.sciatica-controls .widget-label, .sciatica-controls select, .sciatica-controls button,"
            " .sciatica-controls .widget-readout, .sciatica-controls .widget-checkbox label"
            " {font-size: 17px !important;} .sciatica-controls .widget-inline-hbox {min-height: 2.4em;}"
            " .sciatica-controls select {height: 2.2em;}</style>"
        )
        severity_row = widgets.HBox([self.severity, self.severity_label], layout=widgets.Layout(align_items="center"))
        shown = [self.cause, self.onset] if cause_controls else []
        self.widget = widgets.VBox([css, self.disc, self.zone, self.side, *shown, severity_row, kinds_box])
        self.widget.add_class("sciatica-controls")

    # -- severity in words; a central bulge has no side (kept apart from .compression for easy merges) -----------

    def _wire_side_and_words(self) -> None:
        """Observers that run before the scenario observers, so callbacks only ever hear a consistent scenario."""
        self.zone.observe(self._zone_changed, names="value")
        self.side.observe(self._side_changed, names="value")
        self.severity.observe(self._show_severity_words, names="value")
        self._zone_changed({"new": self.zone.value})
        self._show_severity_words()

    def _show_severity_words(self, change: dict | None = None) -> None:
        """Write how strong the pressure is in words next to the slider (e.g. "moderate")."""
        self.severity_label.value = f'<b style="font-size:17px">{severity_words(self.severity.value)}</b>'

    def _zone_changed(self, change: dict) -> None:
        """Central: the side shows "both" and cannot be changed; other zones: the side chosen before comes back."""
        central = change["new"] == CENTRAL
        holding, self._holding = self._holding, True  # one notification: the zone's own, after this
        try:
            if central:
                self.side.value = "both"
            elif self.side.disabled:  # leaving central: restore what the person had chosen
                self.side.value = self._free_side
        finally:
            self._holding = holding
        self.side.disabled = central
        self.side.tooltips = (
            ["a bulge in the middle has no side"] * 3
            if central
            else ["the patient's left", "the patient's right", "both sides"]
        )

    def _side_changed(self, change: dict) -> None:
        """Remember the side a person chose; keep "both" while the bulge is central (even if set from code)."""
        if self.zone.value == CENTRAL:
            if change["new"] != "both":
                self.side.value = "both"
        else:
            self._free_side = change["new"]

    @property
    def compression(self) -> Compression:
        """The scenario the controls show now."""
        return Compression(self.disc.value, self.zone.value, self.side.value, self.severity.value,
                           cause=self.cause.value, onset=self.onset.value)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Symptom kinds ticked, in the fixed order pain, tingling, numbness, weakness, cramp."""
        return tuple(k for k in KINDS if self.kind_boxes[k].value)

    def set(self, compression: Compression, *, kinds: Iterable[str] | None = None) -> None:
        """Jump to a scenario (presets use this); observers hear about it once.

        A central bulge is shown on both sides (the controls never offer central with one side).
        """
        if not isinstance(compression, Compression):
            raise ValueError(f"compression must be a Compression, not {type(compression).__name__}")
        wanted = None if kinds is None else set(choose_many(kinds, KINDS, "symptom kind"))
        if compression.side not in SIDE_CHOICES:  # pragma: no cover - Compression validates this
            raise ValueError(compression.side)
        self._holding = True
        try:
            self.disc.value = compression.disc
            self.zone.value = compression.zone
            self.side.value = compression.side if compression.zone != CENTRAL else "both"
            self.severity.value = compression.severity
            self.cause.value = compression.cause
            self.onset.value = compression.onset
            if wanted is not None:
                for k, box in self.kind_boxes.items():
                    box.value = k in wanted
        finally:
            self._holding = False
        self._notify()

    def observe(self, callback: Callable[[Compression], None]) -> None:
        """Call ``callback(compression)`` after every change."""
        if not callable(callback):
            raise ValueError(f"callback must be callable, not {type(callback).__name__}")
        self._callbacks.append(callback)

    def _changed(self, change: dict) -> None:
        if self._holding:
            return
        try:
            _ = self.compression
        except ValueError:  # a value no Compression takes (a menu cleared over the widget comm): undo it
            self.set(self._good)
            return
        self._notify()

    def _notify(self) -> None:
        c = self._good = self.compression
        for cb in list(self._callbacks):
            cb(c)


class Explorer(widgets.VBox):
    """Controls, the warning signs, then the diagram and its description; ``.controls``, ``.warning`` and
    ``.diagram`` for code.

    The warning sits between the controls and the picture, in a box of fixed minimum height, so it is seen
    where the person is looking (the description's own warning is about 1,400 px further down) and the
    picture does not jump when it appears.
    """

    def __init__(self, compression: Compression | None = None, *, mode: str = "patient", **kwargs) -> None:
        self.controls = ScenarioControls(compression)
        self.diagram = BodyDiagram(self.controls.compression, kinds=self.controls.kinds, mode=mode)
        self.warning = widgets.HTML(
            warning_html(self.controls.compression), layout=widgets.Layout(min_height="4.2em", margin="0.4em 0")
        )
        self.warning.add_class("sciatica-scenario-warning")
        self.controls.observe(self.update)
        super().__init__([self.controls.widget, self.warning, self.diagram.widget], **kwargs)

    def update(self, compression: Compression | None = None) -> None:
        """Repaint for the controls' current scenario and say its warning signs (the observer; plain and testable)."""
        compression = compression or self.controls.compression
        self.diagram.show(compression, kinds=self.controls.kinds)
        self.warning.value = warning_html(compression)


def explore(compression: Compression | None = None, *, mode: str = "patient") -> Explorer:
    """The main interactive: scenario controls wired to a live body diagram and its words. ``mode``:
    "patient" (default) or "student" (the ISNCSCI key test spots, every kind as a skin pattern)."""
    return Explorer(compression, mode=mode)
