"""The export kernel's display hook: what a notebook shows becomes something a page without a kernel can show.

``pages.export`` runs each notebook with one hidden first cell, ``prelude.install(...)``, then drops that cell from
the page. From then on every figure is drawn as static plotly HTML (it still zooms and shows labels); a
``FigureWidget``, alone or in a box of controls, becomes a plain figure; a body diagram becomes
``figures.static.static_figure`` (its own menu and slider, the ``_sciatica_edu_static`` hook) or, shown with its
words, ``static_html`` (the ``_sciatica_edu_static_html`` hook); live controls are left out and a note says so.

A real module (not a string of code) so ruff, import-linter and tests read it like the rest of the kit.

A runner that cannot add a first cell (nbval in ``make test``, which then runs every notebook once, in this mode,
for the tests and the export alike) starts the kernel ``pages.kernel`` instead: it calls :func:`install_from_env`
before the first cell, with the notes the runner put in ``$SCIATICA_EDU_EXPORT_PRELUDE`` (``export.prelude_env``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator

import ipywidgets as w
import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BaseFigure
from plotly.io._base_renderers import MimetypeRenderer

from sciatica_edu.figures.static import fit_html

__all__ = [
    "CONFIG", "LIVE_ONLY_CLASS", "PRELUDE_ENV", "StaticDisplay", "install", "install_from_env", "is_label", "live",
    "text",
]

#: The plotly config of every figure on an exported page: no toolbar (its zoom, pan and download buttons over a
#: patient's picture were clutter, ninth review), labels still show on hover or tap.
CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
PLOTLY_JSON = "application/vnd.plotly.v1+json"
RENDERER = "sciatica_edu_static"
#: A widget with this DOM class speaks to a live session only (the session's "Ask the patient to point …", its
#: "No areas marked yet."): a page without a kernel leaves it out, with no note, since nothing is missing there.
LIVE_ONLY_CLASS = "sciatica-live-only"
#: The notes of :func:`install` as a JSON list, for a kernel that installs the hook at start (``pages.kernel``).
PRELUDE_ENV = "SCIATICA_EDU_EXPORT_PRELUDE"


class _StaticRenderer(MimetypeRenderer):
    """Plain figures as HTML that loads plotly.js from the page (``static/plotly-basic.min.js``), not inline.

    A figure of fixed size (the body picture, the spine drawing) goes through ``fit_html``, as the example
    figure and the handout do: on a phone a patient body picture stacks its views at the page's width, and any
    other fixed figure scales down whole, so no figure scrolls sideways in its box."""

    def to_mimebundle(self, fig_dict):
        html = pio.to_html(fig_dict, include_plotlyjs=False, full_html=False, config=CONFIG)
        layout = fig_dict.get("layout", {})
        width, height = layout.get("width"), layout.get("height")
        if isinstance(width, (int, float)) and isinstance(height, (int, float)):
            html = fit_html(html, int(width), int(height))
        return {"text/html": html}


def text(obj: object) -> str:
    """The words of an HTML or Label widget, without tags, styles or scripts."""
    value = re.sub(r"<(style|script)\b.*?</\1>", " ", str(getattr(obj, "value", "")), flags=re.S | re.I)
    return " ".join(re.sub(r"<[^>]+>", " ", value).split())


def is_label(obj: object) -> bool:
    """A short phrase that names a control ("Or set your own:", "moderate"); sentences are content."""
    if not isinstance(obj, (w.HTML, w.HTMLMath, w.Label)):
        return False
    words = text(obj)
    return len(words) <= 40 and not words.endswith((".", "!", "?"))


def live(obj: object) -> bool:
    """Only live controls (and their labels): nothing a page without a kernel can show."""
    if isinstance(obj, w.Box) and not callable(getattr(obj, "_sciatica_edu_static_html", None)):
        kids = list(obj.children)
        return any(live(c) for c in kids) and all(live(c) or is_label(c) for c in kids)
    if isinstance(obj, (BaseFigure, w.Output, w.HTML, w.HTMLMath, w.Label)):
        return False
    return isinstance(obj, w.DOMWidget)


def _descendants(obj: object) -> Iterator[object]:
    yield obj
    for child in getattr(obj, "children", ()) if isinstance(obj, w.Box) else ():
        yield from _descendants(child)


def _paired(obj: object) -> tuple[object | None, list]:
    """A body diagram's figure and its words shown apart (the session view): one figure with the words that
    follow its menu and slider, so the words never describe a picture no longer on screen."""
    figures = [o for o in _descendants(obj) if callable(getattr(o, "_sciatica_edu_static_html", None))
               and isinstance(o, BaseFigure)]
    words = [o for o in _descendants(obj) if isinstance(o, w.HTML) and "sciatica-description" in o._dom_classes]
    return (figures[0], words) if len(figures) == 1 and words else (None, [])


class StaticDisplay:
    """Shows a widget the way an exported page can: ``show(obj)`` is the kernel's display hook.

    ``emit(kind, value)`` receives what to show: ``("html", str)``, ``("figure", go.Figure)``, ``("data", (data,
    metadata))`` or ``("text", str)``; :func:`install` wires it to IPython's display. ``note`` is said where
    controls were left out; on a patient page (``patient_note`` not None) the note says what works there instead.
    """

    def __init__(self, emit: Callable[[str, object], None], note: str, patient_note: str | None, menu_sentence: str):
        self.emit, self.note, self.patient_note, self.menu_sentence = emit, note, patient_note, menu_sentence

    def show(self, obj: object) -> None:
        state = {"left_out": False, "menus": False}
        figure, words = _paired(obj)
        self._walk(obj, state, figure, words)
        if not state["left_out"]:
            return
        if self.patient_note is None:
            self.emit("html", self.note)
            return
        sentences = [s for s in (self.patient_note, self.menu_sentence if state["menus"] else "") if s]
        if sentences:
            self.emit("html", '<p class="sciatica-edu-controls-note"><em>' + " ".join(sentences) + "</em></p>")

    def _walk(self, obj: object, state: dict, figure: object | None = None, words=()) -> None:
        """Show what can be shown without a kernel; record in ``state`` what was left out or shown."""
        if isinstance(obj, w.DOMWidget) and LIVE_ONLY_CLASS in obj._dom_classes:
            return  # words for the live session only
        static_html = getattr(obj, "_sciatica_edu_static_html", None)  # a BodyDiagram with its words
        if obj is figure or (isinstance(obj, w.Box) and callable(static_html)):
            self.emit("html", static_html(config=CONFIG))
            state["menus"] = True
        elif any(obj is x for x in words):
            pass  # shown with its figure
        elif isinstance(obj, BaseFigure):
            static = getattr(obj, "_sciatica_edu_static", None)  # set by sciatica_edu.widgets.BodyDiagram
            self.emit("figure", static() if callable(static) else go.Figure(obj))
            state["menus"] = state["menus"] or callable(static)
        elif isinstance(obj, w.Box):
            kids = list(obj.children)
            controls = any(live(c) for c in kids)
            for child in kids:
                if controls and is_label(child):
                    continue  # the label of a control that is left out
                self._walk(child, state, figure, words)
        elif isinstance(obj, w.Output):
            for out in obj.outputs:
                if out.get("output_type") == "stream":
                    self.emit("text", out.get("text", ""))
                elif PLOTLY_JSON in out.get("data", {}):  # a plain figure (the session's spine): draw it here
                    spec = out["data"][PLOTLY_JSON]
                    self.emit("figure", go.Figure(data=spec.get("data"), layout=spec.get("layout")))
                elif "data" in out:
                    self.emit("data", (out["data"], out.get("metadata", {})))
        elif isinstance(obj, (w.HTML, w.HTMLMath)):
            self.emit("html", obj.value)
        elif isinstance(obj, w.Label):
            if obj.value:
                self.emit("html", "<p>" + obj.value + "</p>")
        else:
            state["left_out"] = True


def _ipython_emit(kind: str, value: object) -> None:
    from IPython.display import HTML, display, publish_display_data

    if kind == "html":
        display(HTML(value))
    elif kind == "figure":
        display(value)
    elif kind == "data":
        data, metadata = value
        publish_display_data(data, metadata)
    else:
        print(value, end="")


def install(note: str, patient_note: str | None, menu_sentence: str) -> StaticDisplay:
    """Make the running IPython kernel show figures and widgets as static HTML (see the module's docstring)."""
    from IPython import get_ipython

    pio.renderers[RENDERER] = _StaticRenderer()
    pio.renderers.default = RENDERER
    hook = StaticDisplay(_ipython_emit, note, patient_note, menu_sentence)
    formatter = get_ipython().display_formatter.ipython_display_formatter
    formatter.for_type(go.FigureWidget, hook.show)
    formatter.for_type(w.DOMWidget, hook.show)  # every visible widget: boxes, outputs, HTML, controls
    return hook


def install_from_env() -> StaticDisplay:
    """:func:`install` with the notes in ``$SCIATICA_EDU_EXPORT_PRELUDE`` (a JSON list: note, patient note or null,
    menu sentence). Missing or malformed, it raises: a kernel meant for the export's mode must not run plain."""
    raw = os.environ.get(PRELUDE_ENV)
    if raw is None:
        raise RuntimeError(f"${PRELUDE_ENV} is not set: the export's kernel needs the notes of its page")
    notes = json.loads(raw)
    if not (isinstance(notes, list) and len(notes) == 3 and isinstance(notes[0], str) and isinstance(notes[2], str)
            and (notes[1] is None or isinstance(notes[1], str))):
        raise ValueError(f"${PRELUDE_ENV} must be a JSON list [note, patient note or null, menu sentence], not {raw!r}")
    return install(*notes)
