"""The body figure: front and back body with an example's symptoms painted, and the lumbar-spine inset.

:func:`body_figure` is one plain ``go.Figure`` for a :class:`~sciatica_edu.model.scenario.Compression` (or one
root's usual territory, or picked regions, or nothing painted). Show it with ``fig.show(config=CONFIG)`` or write
it with ``fig.write_html(path, include_plotlyjs=True, config=CONFIG)`` to hide plotly's mode bar. The maps follow
Lee, McPhee & Stringer 2008 [S20]; dermatomes overlap and vary between people [S20, S22] and radicular pain often
crosses them [S60]: a typical pattern, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.state import figure_dict, state_for
from sciatica_edu.figures.style import CLEAR, HEIGHT, PATIENT_HEIGHT, WIDTH, _check_mode, check_size
from sciatica_edu.model.scenario import Compression


def body_figure(
    compression: Compression | None = None,
    *,
    kinds: Iterable[str] | None = None,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
    width: int = WIDTH,
    height: int | None = None,
    locale: str | None = None,
    mode: str = "patient",
) -> go.Figure:
    """Front and back body with the compression's symptoms painted, and the lumbar-spine inset.

    ``kinds`` limits the symptom kinds shown (default all); ``root="L5"`` paints one root's
    usual skin area instead (no compression); ``selection=[("big_toe", "left"), ...]`` paints
    picked areas; ``locale`` chooses whose emergency numbers a warning line gives.
    ``mode="patient"`` (default): a title and how to read it, weak movements as labelled arrows, "left leg" /
    "right leg" under each foot, three print-safe patterns; ``mode="student"`` adds the ISNCSCI key test spots
    and draws every kind, weakness too, as a skin pattern. ``height`` defaults to :func:`default_height`.
    A plain ``go.Figure`` with a fixed size and no mode bar.
    """
    mode = _check_mode(mode)
    scene = scene_for(*check_size(width, default_height(mode) if height is None else height), locale, mode)
    state = state_for(compression, kinds=kinds, root=root, selection=selection, scene=scene)
    traces, layout = figure_dict(state, scene)
    fig = go.Figure(data=traces, layout=layout, skip_invalid=False)
    _drop_unshown_words(fig)
    return fig


def _drop_unshown_words(fig: go.Figure) -> None:
    """A plain figure never changes, so the words the live scene keeps ready but transparent (every warning line,
    every spine caption) are made not visible: plotly then leaves them out of the page, and a screen reader does
    not read three urgencies for one sign. Indices stay (the phone layout edits annotations by index)."""
    for annotation in fig.layout.annotations:
        if annotation.font is not None and annotation.font.color == CLEAR:
            annotation.visible = False


def default_height(mode: str = "patient") -> int:
    """The figure's height in pixels when none is given: the patient figure is taller by its title."""
    return PATIENT_HEIGHT if _check_mode(mode) == "patient" else HEIGHT
