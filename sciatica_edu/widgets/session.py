"""The clinician session view (``notebooks/10-clinician-session.ipynb``, served by ``sciatica-edu present``).

``SessionView`` puts the common pictures one click away (``data/presets.yaml``), free controls
for the rest, the live body diagram and its words, a "what is pressing" panel and a "Make
handout" button that writes the take-home page for the current settings and offers it in a new tab
(``HandoutLink``). ``page()`` adds big, readable controls (CSS shipped with the page, nothing from
outside), the step bar (``STEPS``) and the red-flag strip. Handlers are plain methods, so tests drive
them without a browser.

In Voila (``sciatica-edu present``) the template (``templates/voila-index.html.j2``) docks the step bar
at the top of the screen and the strip at the foot, shows one step of the talk at a time, and keeps the
page scrolling by wheel, keys and touch; the diagram step is one screen: presets and controls beside the
diagram (``where``), which the kit's front-end scales to fill the space (``static/figure-widget.js``),
with its text enlarged for a desk or a projector (``enlarge_text``, ``session_layout``).

Speed in Voila (``benchmarks/browser_latency.py``): the figures' front-end (``widgets.figure_widget_code``,
1.2 MB) is not sent in the widget state; ``present`` serves it as one file the page preloads, and both
figures load it from there.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from copy import deepcopy
from html import escape
from pathlib import Path

import anywidget
import ipywidgets
import plotly.graph_objects as go
import traitlets

from sciatica_edu import browser, widgets
from sciatica_edu.figures.spine import spine_figure
from sciatica_edu.figures.style import CONFIG
from sciatica_edu.model.presets import Preset, preset, presets
from sciatica_edu.model.scenario import Compression
from sciatica_edu.pages import handout
from sciatica_edu.pages.prelude import LIVE_ONLY_CLASS
from sciatica_edu.widgets.session_figure import enlarge_text, session_layout
from sciatica_edu.widgets.session_page import (
    STEPS,
    felt_html,
    figure_warning_html,
    page_css,
    pressing_html,
    red_flag_strip_html,
    steps_nav_html,
)

__all__ = [
    "HANDOUT_DIR_ENV",
    "STEPS",
    "WIDGET_CODE_ENV",
    "HandoutLink",
    "Preset",
    "SessionView",
    "default_handout_dir",
    "enlarge_text",
    "figure_warning_html",
    "page_css",
    "preset",
    "presets",
    "red_flag_strip_html",
    "session_layout",
    "spine_output",
    "steps_nav_html",
    "widget_code_loader",
]

#: Environment variable naming the folder the "Make handout" button writes to (set by ``present --handouts``).
HANDOUT_DIR_ENV = "SCIATICA_EDU_HANDOUT_DIR"
#: Set by ``present``: the path, under Voila's ``{base_url}voila/``, where its template serves plotly's widget code.
WIDGET_CODE_ENV = "SCIATICA_EDU_VOILA_WIDGET_CODE"


#: The diagram's drawn size in the session (px). In Voila the kit's front-end scales it to the space between the
#: step bar and the red-flag strip (``.sciatica-fit``), so this sets the proportions and how large the text is
#: against the drawing: at 1366x768 it is shown at about 0.89, at 1920x1080 about 1.35.
FIGURE_SIZE = (1000, 700)
#: The smallest text on the session's diagram and key (px, as drawn before scaling): 18 px or more on screen at
#: 1366x768 and larger on a projector.
FIGURE_MIN_FONT = 21
#: The larger lumbar-spine drawing of "What is pressing" (px).
SPINE_SIZE = (470, 600)


def default_handout_dir() -> Path:
    """Where handouts go: ``$SCIATICA_EDU_HANDOUT_DIR`` if set, else ``~/sciatica-edu-handouts``."""
    return Path(os.environ.get(HANDOUT_DIR_ENV) or Path.home() / "sciatica-edu-handouts").expanduser()


def spine_output(compression: Compression) -> dict:
    """The larger spine drawing as one Jupyter display output (outside Voila): plotly's JSON, drawn by
    JupyterLab's plotly renderer with no widget code, and a plain-text line for anything that cannot draw it."""
    figure = spine_figure(compression, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
    spec = json.loads(figure.to_json())
    spec["config"] = dict(CONFIG)
    c = compression
    text = f"Drawing of the lower spine from behind: the {c.disc} disc bulges and presses on {', '.join(c.roots)}."
    data = {"application/vnd.plotly.v1+json": spec, "text/plain": text}
    if browser.IN_BROWSER:  # the browser build has no plotly extension: the kit's own plotly.js draws it
        data = {"text/html": browser.figure_html(spec, spec["config"]), "text/plain": text}
    return {"output_type": "display_data", "metadata": {}, "data": data}


def widget_code_loader(path: str) -> str:
    """A few lines of ES module that load the figures' front-end from the Voila page's own server.

    anywidget imports a widget's ``_esm`` text (1.2 MB for the diagram, 5 MB for plotly's own), and Voila sends
    it in the widget state over the websocket before anything is drawn. This loader asks the page's own
    origin (never another host) for the same file, which the browser can cache.
    """
    if not re.fullmatch(r"[A-Za-z0-9_./-]+\.js", path) or ".." in path:
        raise ValueError(f"widget code path must be a relative .js path, not {path!r}")
    return (
        f'const base = (document.body && document.body.dataset.baseUrl) || "/voila/";\n'
        f'const mod = await import(new URL(base + "{path}", window.location.href).href);\n'
        "export default mod.default;\n"
    )


def _sync_figure_state(figure: go.FigureWidget) -> None:
    """Copy a FigureWidget's current data and layout into its synced state before it is shown in a box.

    Repaints made before a browser connects travel as messages and are lost (always so in Voila,
    whose kernel runs the notebook first); plotly copies the state only when the figure itself is
    displayed (``_repr_mimebundle_``), not when it sits inside a VBox. Without this the first view
    shows an unpainted body.
    """
    figure._widget_layout = deepcopy(figure._layout_obj._props)
    figure._widget_data = deepcopy(figure._data)


#: The handout link's front-end: a button that opens the handout the kernel sent (``HandoutLink.html``) in a new
#: tab from a Blob URL made in this browser. Nothing is uploaded or fetched; the tab shows the same file as the
#: saved copy, and "Save a copy" offers it as a download under its file name.
HANDOUT_LINK_JS = """
function render({ model, el }) {
  // ipywidgets' layout code owns el's own style (display included), so the link lives in a box of its own
  const box = document.createElement("div");
  box.className = "sciatica-handout-link";
  const open = document.createElement("button");
  open.type = "button";
  open.className = "jupyter-button widget-button sciatica-handout-open";
  const save = document.createElement("a");
  save.className = "sciatica-handout-save";
  save.textContent = "Save a copy";
  let url = null;
  const draw = () => {
    const html = model.get("html");
    if (url) URL.revokeObjectURL(url);
    url = html ? URL.createObjectURL(new Blob([html], { type: "text/html" })) : null;
    open.textContent = model.get("label");
    box.style.display = html ? "flex" : "none";
    if (url) { save.href = url; save.download = model.get("filename") || "handout.html"; }
  };
  open.addEventListener("click", () => { if (url) window.open(url, "_blank"); });
  box.append(open, save);
  el.append(box);
  model.on("change:html", () => {
    draw();
    // a new handout: make sure its button and the saved path are on screen (the page keeps clear of the strip)
    if (model.get("html")) requestAnimationFrame(() => box.scrollIntoView({ block: "nearest" }));
  });
  model.on("change:filename", draw);
  draw();
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""


class HandoutLink(anywidget.AnyWidget):
    """Opens the last handout in a new browser tab (a Blob URL: the page already has the file's text)."""

    _esm = HANDOUT_LINK_JS
    html = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Open the handout").tag(sync=True)


class SessionView:
    """Presets, free controls, the live diagram, what is pressing, and the "Make handout" button."""

    def __init__(self, compression: Compression | None = None, *, handout_dir: Path | None = None) -> None:
        start = compression or presets()[0].compression
        self.handout_dir = Path(handout_dir) if handout_dir is not None else None
        self.controls = widgets.ScenarioControls(start, cause_controls=False)  # presets set cause and onset
        width, height = FIGURE_SIZE
        # clickable: the areas a patient points to are marked with clicks, so only region fills take the pointer
        self.diagram = widgets.BodyDiagram(start, kinds=self.controls.kinds, width=width, height=height, clickable=True)
        enlarge_text(self.diagram.figure, FIGURE_MIN_FONT, 1.35)
        session_layout(self.diagram.figure)
        self.preset_buttons: dict[str, ipywidgets.Button] = {}
        for p in presets():
            button = ipywidgets.Button(description=p.label, tooltip=f"Show: {p.label}",
                                       layout=ipywidgets.Layout(width="auto"))
            button.on_click(self._preset_handler(p.label))
            self.preset_buttons[p.label] = button
        self.pressing = ipywidgets.HTML(pressing_html(start), layout=ipywidgets.Layout(max_width="36em"))
        self.figure_warning = ipywidgets.HTML()
        self.figure_warning.add_class("sciatica-figure-warning")
        self._show_figure_warning(start)
        # Each FigureWidget carries its front-end code in its widget state (1.2 MB for the diagram's). Served by
        # `present` (Voila), both figures load that code once, as a file the page preloads; the larger spine can
        # then be a FigureWidget too (Voila is told not to load JupyterLab's own 4.8 MB plotly renderer).
        # Elsewhere (JupyterLab, nbval) the spine is a plain figure in an Output, drawn by that renderer.
        self.spine: go.FigureWidget | ipywidgets.Output
        code = os.environ.get(WIDGET_CODE_ENV)
        if code:
            loader = widget_code_loader(code)
            self.diagram.figure._esm = loader
            spine = spine_figure(start, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
            self.spine = go.FigureWidget(data=spine.data, layout=spine.layout)
            self.spine._config = dict(CONFIG)  # as the body diagram: no mode bar over the title
            self.spine._esm = loader
        else:
            self.spine = ipywidgets.Output(layout=ipywidgets.Layout(width=f"{SPINE_SIZE[0]}px", min_height="100px"))
            self._repaint_spine(start)
        self.spine.add_class("sciatica-spine")
        self.handout_button = ipywidgets.Button(description="Make handout", icon="print",
                                                tooltip="Save a take-home page for these settings",
                                                button_style="primary", layout=ipywidgets.Layout(width="auto"))
        self.handout_button.on_click(lambda _button: self.make_handout())
        self.handout_button.add_class("sciatica-handout-button")
        self.handout_status = ipywidgets.HTML("")
        self.handout_status.add_class("sciatica-handout-status")
        self.handout_link = HandoutLink()
        # Full screen for a projector: the page's own script (the template) toggles it at once, with no trip to
        # the kernel, and asks the browser for full screen too; Esc or the button again goes back.
        self.fullscreen_button = ipywidgets.Button(description="Full screen diagram", icon="expand",
                                                   tooltip="Show only the diagram, as large as the screen allows",
                                                   layout=ipywidgets.Layout(width="auto"))
        self.fullscreen_button.add_class("sciatica-fullscreen")
        self.controls.observe(self.update)
        self._mark_preset(start)
        self._build_plan()

    # -- where the patient feels it, and their plan (printed on the handout) ----------------------

    def _build_plan(self) -> None:
        """The areas the patient points to (clicked on the diagram while "Mark where you feel it" is on) and the plan
        the clinician fills in; both go on the handout. Nothing is kept after the page closes."""
        self.felt: list[tuple[str, str]] = []
        self.mark_button = ipywidgets.ToggleButton(
            value=False, description="Mark where you feel it", icon="hand-pointer-o",
            tooltip="Then click the areas on the diagram that the patient points to; click again to remove one",
            layout=ipywidgets.Layout(width="auto"))
        self.felt_html = ipywidgets.HTML(felt_html(()))
        self.felt_html.add_class(LIVE_ONLY_CLASS)  # "No areas marked yet." means nothing on an exported page
        self.clear_felt_button = ipywidgets.Button(description="Clear the areas",
                                                   layout=ipywidgets.Layout(width="auto"))
        self.clear_felt_button.on_click(lambda _b: self.set_felt(()))
        wide = ipywidgets.Layout(width="100%", max_width="40em")
        style = {"description_width": "11em"}
        self.plan_activity = ipywidgets.Text(description="Activity goal:", layout=wide, style=style,
                                             placeholder="e.g. walk 10 minutes, 3 times a day")
        self.plan_pain_relief = ipywidgets.Text(description="Pain relief agreed:", layout=wide, style=style)
        self.plan_exercises = ipywidgets.Text(description="Exercises:", layout=wide, style=style)
        self.plan_follow_up = ipywidgets.DatePicker(description="Next appointment:", layout=wide, style=style)
        self.plan_notes = ipywidgets.Textarea(description="Notes:", placeholder="one note a line", layout=wide,
                                              style=style)
        self.diagram.on_region_click(self.region_clicked)

    def region_clicked(self, region: str, side: str) -> None:
        """A click on the diagram: while marking, add the area (or remove it if it is already marked)."""
        if not self.mark_button.value:
            return
        pair = (region, side)
        self.set_felt([p for p in self.felt if p != pair] if pair in self.felt else [*self.felt, pair])

    def set_felt(self, pairs) -> None:
        """Set the areas the patient feels (validated like the handout's ``--felt``) and show them in words."""
        self.felt = list(handout.check_felt(pairs))
        self.felt_html.value = felt_html(self.felt)

    @property
    def plan(self) -> handout.Plan:
        """The plan as the form shows it now (empty fields print as lines to fill in by hand)."""
        notes = tuple(line.strip() for line in self.plan_notes.value.splitlines() if line.strip())[:8]
        return handout.Plan(activity=self.plan_activity.value.strip()[:300],
                            pain_relief=self.plan_pain_relief.value.strip()[:300],
                            exercises=self.plan_exercises.value.strip()[:300],
                            follow_up=self.plan_follow_up.value, notes=tuple(n[:300] for n in notes))

    def plan_box(self) -> ipywidgets.VBox:
        """Where the patient feels it and their plan, for the handout (below the diagram in the session)."""
        marking = ipywidgets.HBox([self.mark_button, self.clear_felt_button])  # buttons keep their own margins
        ask = ipywidgets.HTML("<p>Ask the patient to point to where they feel it; mark those areas on the diagram. "
                              "Fill in the plan you agree. Both print on the handout.</p>")
        ask.add_class(LIVE_ONLY_CLASS)  # for the clinician; the notebook's own line above speaks to the patient
        box = ipywidgets.VBox([
            ask,
            marking, self.felt_html,
            self.plan_activity, self.plan_pain_relief, self.plan_exercises, self.plan_follow_up, self.plan_notes,
        ])
        box.add_class("sciatica-session")
        box.add_class("sciatica-plan")
        return box

    # -- handlers (plain methods: tests call them directly) ---------------------------------------

    def _preset_handler(self, label: str) -> Callable[[ipywidgets.Button], None]:
        return lambda _button: self.apply_preset(label)

    def apply_preset(self, label: str) -> Compression:
        """Set the controls (and so the diagram) to a preset; return its Compression."""
        compression = preset(label).compression
        self.controls.set(compression)
        return compression

    def update(self, compression: Compression | None = None) -> None:
        """Repaint the diagram and the words for the controls' scenario (the controls' observer)."""
        compression = compression or self.controls.compression
        self.diagram.show(compression, kinds=self.controls.kinds)
        self.pressing.value = pressing_html(compression)
        self._show_figure_warning(compression)
        self._repaint_spine(compression)
        self.handout_status.value = ""
        self.handout_link.html = ""
        self._mark_preset(compression)

    def _show_figure_warning(self, compression: Compression) -> None:
        self.figure_warning.value = figure_warning_html(compression, self.controls.kinds)
        self.figure_warning.layout.display = None if self.figure_warning.value else "none"

    def _repaint_spine(self, compression: Compression) -> None:
        """Redraw the spine for ``compression``: a FigureWidget in place (same traces, new values, one batch);
        an Output gets the new figure as its one output (one message)."""
        if not isinstance(self.spine, go.FigureWidget):
            self.spine.outputs = (spine_output(compression),)
            return
        new = spine_figure(compression, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
        if len(new.data) != len(self.spine.data):  # a different drawing: start again
            self.spine.data = ()
            self.spine.add_traces(new.data)
            return
        with self.spine.batch_update():
            for old, trace in zip(self.spine.data, new.data, strict=True):
                props = trace.to_plotly_json()
                props.pop("type", None)
                props.pop("uid", None)
                old.update(props, overwrite=True)
            self.spine.layout.annotations = new.layout.annotations
            self.spine.layout.shapes = new.layout.shapes

    def _mark_preset(self, compression: Compression) -> None:
        for p in presets():
            self.preset_buttons[p.label].button_style = "info" if p.compression == compression else ""

    @property
    def compression(self) -> Compression:
        """The scenario on screen now."""
        return self.controls.compression

    def make_handout(self) -> Path | None:
        """Write the handout for the current settings into the handout folder; show and return its path."""
        if browser.IN_BROWSER:  # JupyterLite: the kernel cannot write to the user's disk; the browser downloads it
            return self.offer_handout()
        folder = self.handout_dir or default_handout_dir()
        self.handout_button.disabled = True
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = handout.write_handout(self.compression, folder / handout.handout_filename(self.compression),
                                         felt=self.felt, plan=self.plan)
        except OSError as exc:
            self.handout_status.value = f"<p><strong>Could not save the handout:</strong> {escape(str(exc))}</p>"
            return None
        finally:
            self.handout_button.disabled = False
        self.handout_status.value = (
            f"<p>Saved: <code>{escape(str(path))}</code><br>Open it to print it or send it. "
            "It works with no internet.</p>"
        )
        self.handout_link.filename = path.name
        self.handout_link.html = path.read_text(encoding="utf-8")
        return path

    def offer_handout(self) -> None:
        """Show a link that downloads the handout for the current settings through the browser (the browser build,
        where nothing can be saved to disk from the kernel; the file is made in the page and sent nowhere)."""
        name = handout.handout_filename(self.compression)
        page = handout.handout_html(self.compression, felt=self.felt, plan=self.plan)
        link = browser.download_link(page, name, f"Download the handout ({name})")
        self.handout_status.value = f"<p>{link}<br>Open it in a web browser to print it or send it.</p>"

    # -- what the notebook displays -----------------------------------------------------------------

    def page(self) -> ipywidgets.HTML:
        """The page styles, the step bar and the red-flag strip. In Voila the template docks the step bar at the
        top of the screen and the strip at the foot, where they stay at every scroll position."""
        html = ipywidgets.HTML(
            f"<style>{page_css()}</style>{steps_nav_html()}"
            f'<div class="sciatica-dock-bottom">{red_flag_strip_html()}</div>'
        )
        html.add_class("sciatica-page")
        return html

    def where(self) -> ipywidgets.GridBox:
        """Presets, the free controls, "Make handout" and "Full screen diagram" beside the diagram (above it on
        narrow screens), and the diagram's words below. In Voila the diagram is scaled to fill the screen."""
        buttons = ipywidgets.HBox(list(self.preset_buttons.values()))
        buttons.add_class("sciatica-presets")
        actions = ipywidgets.HBox([self.handout_button, self.fullscreen_button])
        actions.add_class("sciatica-actions")
        side = ipywidgets.VBox([
            ipywidgets.HTML("<strong>Common pictures:</strong>"), buttons,
            ipywidgets.HTML("<strong>Or set your own:</strong>"), self.controls.widget,
            actions, self.handout_link, self.handout_status,
        ])
        side.add_class("sciatica-side")
        fit = ipywidgets.Box([self.diagram.figure, self.figure_warning])
        fit.add_class("sciatica-fit")
        box = ipywidgets.GridBox([side, fit, self.diagram.description])
        box.add_class("sciatica-session")
        box.add_class("sciatica-stage")
        _sync_figure_state(self.diagram.figure)
        return box

    def what_is_pressing(self) -> ipywidgets.HBox:
        """The lower spine, larger, and the words: which disc, where it bulges, which root; kept in step."""
        box = ipywidgets.HBox([self.spine, self.pressing],
                              layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center"))
        box.add_class("sciatica-session")
        if isinstance(self.spine, go.FigureWidget):
            _sync_figure_state(self.spine)
        return box
