"""Scenario controls: disc, zone, side, cause, onset, severity and symptom kinds, large, labelled and keyboard
operable.

``ScenarioControls()`` gives ``.compression``, ``.kinds``, ``.set(compression)``, ``.observe(callback)`` and
``.widget``. Severity is also said in words (``severity_words``); a central bulge has no side, so the side control
then shows "both". Every handler is a plain method: setting a control's ``.value`` fires its observers in the kernel,
so tests drive it without a browser.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import ipywidgets as widgets
import traitlets

from sciatica_edu._errors import choose_many
from sciatica_edu.facts import anatomy, causes
from sciatica_edu.model.scenario import KINDS, SIDE_CHOICES, Compression, severity_word
from sciatica_edu.model.words import KIND_WORDS

DEFAULT = Compression("L4-L5", "paracentral", "left", 0.6)

#: The zone whose bulge presses in the middle: it has no left or right (both sides).
CENTRAL = "central"


#: How strong the pressure is, in a patient's word (none, mild, moderate, strong): one rule for the slider, the
#: handout and the session view (``scenario.severity_word``).
severity_words = severity_word


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
