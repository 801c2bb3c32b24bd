"""The clinician session view (``notebooks/10-clinician-session.ipynb``, served by ``sciatica-edu present``).

``SessionView`` puts the common pictures one click away (``data/presets.yaml``), free controls
for the rest, the live body diagram and its words, a "what is pressing" panel and a "Make
handout" button that writes the take-home page for the current settings. ``page()`` adds big,
readable controls (CSS shipped with the page, nothing from outside) and a red-flag strip that
stays on screen in Voila. Handlers are plain methods, so tests drive them without a browser.

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
from functools import cache
from html import escape
from pathlib import Path

import ipywidgets
import plotly.graph_objects as go
from pydantic import BaseModel, ConfigDict, Field

from sciatica_edu import anatomy, browser, diagram, handout, redflags, widgets
from sciatica_edu._data import load_yaml
from sciatica_edu._errors import choose
from sciatica_edu.scenario import Compression

__all__ = [
    "HANDOUT_DIR_ENV",
    "WIDGET_CODE_ENV",
    "Preset",
    "SessionView",
    "default_handout_dir",
    "page_css",
    "preset",
    "presets",
    "spine_output",
    "widget_code_loader",
]

#: Environment variable naming the folder the "Make handout" button writes to (set by ``present --handouts``).
HANDOUT_DIR_ENV = "SCIATICA_EDU_HANDOUT_DIR"
#: Set by ``present``: the path, under Voila's ``{base_url}voila/``, where its template serves plotly's widget code.
WIDGET_CODE_ENV = "SCIATICA_EDU_VOILA_WIDGET_CODE"


#: The diagram's size in the session (px): as wide as a 1366 px screen allows, so the labels read across a desk.
FIGURE_SIZE = (1160, 835)
#: The larger lumbar-spine drawing of "What is pressing" (px).
SPINE_SIZE = (470, 600)


class Preset(BaseModel):
    """One common picture: a button ``label`` and the disc bulge it shows."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str = Field(min_length=3)
    disc: str
    zone: str
    side: str
    severity: float

    @property
    def compression(self) -> Compression:
        """The disc bulge this preset shows (validated against data/ like any Compression)."""
        return Compression(self.disc, self.zone, self.side, self.severity)


class _PresetsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    presets: tuple[Preset, ...] = Field(min_length=1)


@cache
def presets() -> tuple[Preset, ...]:
    """The presets of ``data/presets.yaml``, each checked to make a valid Compression."""
    try:
        parsed = _PresetsFile.model_validate(load_yaml("presets.yaml"))
        for p in parsed.presets:
            p.compression  # noqa: B018 - validates disc, zone, side and severity
    except ValueError as exc:
        raise anatomy.DataError(f"data/presets.yaml is not valid:\n{exc}") from None
    return parsed.presets


def preset(label: str) -> Preset:
    """One preset by its button label, e.g. ``preset("L5-S1 disc, right (S1)")``."""
    table = {p.label: p for p in presets()}
    return table[choose(label, table, "preset")]


def default_handout_dir() -> Path:
    """Where handouts go: ``$SCIATICA_EDU_HANDOUT_DIR`` if set, else ``~/sciatica-edu-handouts``."""
    return Path(os.environ.get(HANDOUT_DIR_ENV) or Path.home() / "sciatica-edu-handouts").expanduser()


def page_css() -> str:
    """Styles for the session: big controls and text; in Voila the red-flag strip stays at the bottom."""
    return """
.sciatica-session { font-size: 20px; }
.sciatica-session .widget-button, .sciatica-session .jupyter-button,
.sciatica-session .widget-toggle-button { font-size: 20px !important; height: auto !important;
  min-height: 2.6em; padding: 0.35em 0.9em !important; line-height: 1.25 !important; white-space: normal !important; }
.sciatica-session .widget-label, .sciatica-session .widget-label-basic, .sciatica-session .widget-readout,
.sciatica-session label, .sciatica-session .widget-inline-hbox .widget-label { font-size: 20px !important;
  line-height: 1.6 !important; }
.sciatica-session .widget-dropdown select { font-size: 20px !important; height: 2.2em !important; }
.sciatica-session .widget-slider .noUi-target { height: 10px; }
.sciatica-session .widget-slider .noUi-handle { width: 26px !important; height: 26px !important; top: -9px !important;
  border-radius: 50% !important; }
.sciatica-session .widget-checkbox input { width: 22px; height: 22px; }
.sciatica-session .widget-html, .sciatica-session .widget-html-content { font-size: 20px; line-height: 1.5; }
.sciatica-session .sciatica-description, .sciatica-session .sciatica-description li { font-size: 20px !important; }
.sciatica-presets { gap: 0.5em; flex-wrap: wrap; margin: 0.3em 0 0.8em 0; }
.sciatica-presets .jupyter-button { min-width: 12em; font-weight: 600; }
.sciatica-session :focus-visible { outline: 4px solid #1f5fbf !important; outline-offset: 2px; }
.sciatica-handout-status { font-size: 18px; }
.sciatica-redflag-strip { border: 3px solid #b00020; background: #fff4f4; color: #1a1a1a; padding: 0.4em 0.9em;
  font-size: 18px; line-height: 1.4; border-radius: 6px; }
body[data-voila] .sciatica-redflag-strip { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000;
  border-radius: 0; border-width: 3px 0 0 0; }
body[data-voila] #rendered_cells { padding-bottom: 7em; }
"""


def red_flag_strip_html() -> str:
    """A short red-flag line for the foot of the screen: the emergency signs and what to do."""
    signs = [f.label for f in redflags.red_flags() if f.urgency == "emergency"]
    listed = "; ".join(s[0].lower() + s[1:] for s in signs)
    return (
        '<div class="sciatica-redflag-strip" role="note" aria-label="When to get help urgently">'
        f"<strong>⚠ Get help now</strong> if you have {escape(listed)}. "
        f"<strong>{escape(redflags.action('emergency'))}</strong></div>"
    )


def pressing_html(compression: Compression) -> str:
    """What is pressing, in plain words: the disc, where the bulge points, and the root it presses on."""
    c = compression
    zone = anatomy.zone(c.zone)
    roots = list(c.roots)
    root_words = roots[0] if len(roots) == 1 else ", ".join(roots[:-1]) + " and " + roots[-1]
    sides = {"left": "the left side", "right": "the right side", "both": "both sides"}[c.side]
    noun = "root" if len(roots) == 1 else "roots"
    lines = [
        f"<p><strong>The {escape(c.disc)} disc</strong> bulges {escape(zone.label)}, on {sides}.</p>",
        f"<p>{escape(zone.description)}</p>",
        f"<p>Here it presses on the <strong>{escape(root_words)}</strong> nerve {noun}.</p>",
    ]
    if c.cauda_equina:
        lines.append(
            "<p><strong>A big bulge in the middle can press on the nerves for the bladder, bowel and "
            "the skin between the legs. That needs help at once.</strong></p>"
        )
    return f'<div class="sciatica-pressing">{"".join(lines)}</div>'


def spine_output(compression: Compression) -> dict:
    """The larger spine drawing as one Jupyter display output (outside Voila): plotly's JSON, drawn by
    JupyterLab's plotly renderer with no widget code, and a plain-text line for anything that cannot draw it."""
    figure = diagram.spine_figure(compression, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
    spec = json.loads(figure.to_json())
    spec["config"] = dict(diagram.CONFIG)
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


class SessionView:
    """Presets, free controls, the live diagram, what is pressing, and the "Make handout" button."""

    def __init__(self, compression: Compression | None = None, *, handout_dir: Path | None = None) -> None:
        start = compression or presets()[0].compression
        self.handout_dir = Path(handout_dir) if handout_dir is not None else None
        self.controls = widgets.ScenarioControls(start)
        width, height = FIGURE_SIZE
        self.diagram = widgets.BodyDiagram(start, kinds=self.controls.kinds, width=width, height=height)
        self.preset_buttons: dict[str, ipywidgets.Button] = {}
        for p in presets():
            button = ipywidgets.Button(description=p.label, tooltip=f"Show: {p.label}",
                                       layout=ipywidgets.Layout(width="auto"))
            button.on_click(self._preset_handler(p.label))
            self.preset_buttons[p.label] = button
        self.pressing = ipywidgets.HTML(pressing_html(start), layout=ipywidgets.Layout(max_width="36em"))
        # Each FigureWidget carries its front-end code in its widget state (1.2 MB for the diagram's). Served by
        # `present` (Voila), both figures load that code once, as a file the page preloads; the larger spine can
        # then be a FigureWidget too (Voila is told not to load JupyterLab's own 4.8 MB plotly renderer).
        # Elsewhere (JupyterLab, nbval) the spine is a plain figure in an Output, drawn by that renderer.
        self.spine: go.FigureWidget | ipywidgets.Output
        code = os.environ.get(WIDGET_CODE_ENV)
        if code:
            loader = widget_code_loader(code)
            self.diagram.figure._esm = loader
            spine = diagram.spine_figure(start, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
            self.spine = go.FigureWidget(data=spine.data, layout=spine.layout)
            self.spine._config = dict(diagram.CONFIG)  # as the body diagram: no mode bar over the title
            self.spine._esm = loader
        else:
            self.spine = ipywidgets.Output(layout=ipywidgets.Layout(width=f"{SPINE_SIZE[0]}px", min_height="100px"))
            self._repaint_spine(start)
        self.spine.add_class("sciatica-spine")
        self.handout_button = ipywidgets.Button(description="Make handout", icon="print",
                                                tooltip="Save a take-home page for these settings",
                                                button_style="primary", layout=ipywidgets.Layout(width="auto"))
        self.handout_button.on_click(lambda _button: self.make_handout())
        self.handout_status = ipywidgets.HTML("")
        self.handout_status.add_class("sciatica-handout-status")
        self.controls.observe(self.update)
        self._mark_preset(start)

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
        self._repaint_spine(compression)
        self.handout_status.value = ""
        self._mark_preset(compression)

    def _repaint_spine(self, compression: Compression) -> None:
        """Redraw the spine for ``compression``: a FigureWidget in place (same traces, new values, one batch);
        an Output gets the new figure as its one output (one message)."""
        if not isinstance(self.spine, go.FigureWidget):
            self.spine.outputs = (spine_output(compression),)
            return
        new = diagram.spine_figure(compression, width=SPINE_SIZE[0], height=SPINE_SIZE[1])
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
            path = handout.write_handout(self.compression, folder / handout.handout_filename(self.compression))
        except OSError as exc:
            self.handout_status.value = f"<p><strong>Could not save the handout:</strong> {escape(str(exc))}</p>"
            return None
        finally:
            self.handout_button.disabled = False
        self.handout_status.value = (
            f"<p>Saved: <code>{escape(str(path))}</code><br>Open it in a web browser to print it or send it. "
            "It works with no internet.</p>"
        )
        return path

    def offer_handout(self) -> None:
        """Show a link that downloads the handout for the current settings through the browser (the browser build,
        where nothing can be saved to disk from the kernel; the file is made in the page and sent nowhere)."""
        name = handout.handout_filename(self.compression)
        link = browser.download_link(handout.handout_html(self.compression), name, f"Download the handout ({name})")
        self.handout_status.value = f"<p>{link}<br>Open it in a web browser to print it or send it.</p>"

    # -- what the notebook displays -----------------------------------------------------------------

    def page(self) -> ipywidgets.HTML:
        """The page styles and the red-flag strip (in Voila it stays at the foot of the screen)."""
        return ipywidgets.HTML(f"<style>{page_css()}</style>{red_flag_strip_html()}")

    def where(self) -> ipywidgets.VBox:
        """Presets, the diagram, its words and the free controls, with the "Make handout" button."""
        buttons = ipywidgets.HBox(list(self.preset_buttons.values()))
        buttons.add_class("sciatica-presets")
        heading = ipywidgets.HTML("<strong>Common pictures:</strong>")
        handout_row = ipywidgets.VBox([self.handout_button, self.handout_status],
                                      layout=ipywidgets.Layout(align_items="flex-start", margin="0.8em 0 0 0"))
        side = ipywidgets.VBox(
            [ipywidgets.HTML("<strong>Or set your own:</strong>"), self.controls.widget, handout_row],
            layout=ipywidgets.Layout(min_width="32em"),
        )
        lower = ipywidgets.HBox([side, self.diagram.description],
                                layout=ipywidgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        box = ipywidgets.VBox([heading, buttons, self.diagram.figure, lower])
        box.add_class("sciatica-session")
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
