"""Live widgets: the body diagram on a FigureWidget, and ``explore()`` wiring it to the scenario controls.

Thin layer over the figures (``sciatica_edu.figures``). Every handler is a plain method, so tests drive
it without a browser (setting a control's ``.value`` fires its observers in the kernel).

* ``BodyDiagram(compression)``: ``.show(compression)`` repaints in place, inside one
  ``batch_update()``, writing only the properties that changed; ``.show_root("L5")``,
  ``.show_selection([("big_toe", "left")])``, ``.on_region_click(callback)``;
  ``.figure`` (the FigureWidget), ``.description`` (HTML text), ``.widget`` (both, displayable).
* ``ScenarioControls()`` (``widgets.controls``): disc, zone, side, severity and symptom kinds.
* ``explore(compression)``: controls, the scenario's warning signs (``warning_html``), the diagram and
  its description, ready to display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

import ipywidgets as widgets

from sciatica_edu.facts import anatomy
from sciatica_edu.figures.body import default_height
from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.state import State, figure_dict, state_for
from sciatica_edu.figures.static import static_figure, static_html
from sciatica_edu.figures.style import CAVEAT, CONFIG, WIDTH, check_size
from sciatica_edu.model.scenario import Compression
from sciatica_edu.model.words import describe_html, warning_sentences
from sciatica_edu.widgets.controls import ScenarioControls
from sciatica_edu.widgets.figure import _figure_widget_class

__all__ = ["BodyDiagram", "Explorer", "explore", "warning_html"]

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
        # Export hook (sciatica_edu.pages.export): a kernel-free stand-in with plotly-native controls.
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
