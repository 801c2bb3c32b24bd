"""The figure's key: a swatch per kind of symptom with its pattern, the colour steps and their words.

Two keys: the student one (every kind, the ISNCSCI key test spot) and the patient one (three patterns that stay
apart in black-and-white print; the arrow that marks a movement that may be weak is a row of its own, in
``figures.patient``, drawn only when the picture has one).
"""

from __future__ import annotations

import plotly.graph_objects as go

from sciatica_edu.figures.style import (
    BORDER,
    KIND_PATTERNS,
    PALETTE,
    PATIENT_KEY,
    PATIENT_PATTERNS,
    _fill,
    _patient_pattern,
    _pattern,
    _trace,
)
from sciatica_edu.geometry.splines import _xy
from sciatica_edu.model.words import KIND_PRIORITY, KIND_WORDS

#: The patient key's two swatches per row, side by side in the room one swatch had (x from, x to; the words start
#: at 0.85 in both keys): a lighter colour with black marks, then a darker one with white marks, as the picture
#: draws them (``_patient_pattern``).
PATIENT_SWATCHES = ((0.0, 0.33, PALETTE[2]), (0.37, 0.7, PALETTE[4]))


def _key_swatch(
    xaxis: str, yaxis: str, row: int, kind: str, pattern: dict, *, x0: float = 0.0, x1: float = 0.7,
    color: str = PALETTE[2], name: str | None = None,
) -> go.Scatter:
    """One row's swatch of the key: a square in ``color`` (the key's middle colour unless told) with the kind's fill
    pattern, from ``x0`` to ``x1``."""
    y0 = 2.2 - row * 0.55
    x, y = _xy([[(x0, y0), (x1, y0), (x1, y0 + 0.42), (x0, y0 + 0.42), (x0, y0)]])
    return _fill(xaxis, yaxis, x=x, y=y, fillcolor=color, line={"color": BORDER, "width": 0.8},
                 fillpattern=pattern, hoverinfo="skip", name=name or f"key {kind}")


def _key_labels(xaxis: str, yaxis: str, xs: list, ys: list, labels: list, positions: list) -> go.Scatter:
    """The key's words as one text trace (both modes' keys)."""
    return _trace(xaxis, yaxis, x=xs, y=ys, text=labels, mode="text", textposition=positions,
                  textfont={"size": 13, "color": "#222"}, hoverinfo="skip", name="key labels")


def _key_traces(xaxis: str, yaxis: str) -> list[go.Scatter]:
    """The key: one swatch per kind with its pattern, and the labels (the colour steps: ``_key_shapes``)."""
    traces = []
    n = len(PALETTE)
    kinds_rows = [k for k in KIND_PRIORITY]
    for j, k in enumerate(kinds_rows):
        traces.append(_key_swatch(xaxis, yaxis, j, k, _pattern(KIND_PATTERNS[k])))
    labels_x = [0, n * 0.5] + [0.85] * len(kinds_rows)
    labels_y = [3.7, 3.7] + [2.2 - j * 0.55 + 0.21 for j in range(len(kinds_rows))]
    labels = ["milder", "stronger"] + [KIND_WORDS[k] + (" (plain fill)" if k == "pain" else "") for k in kinds_rows]
    positions = ["middle right", "middle left"] + ["middle right"] * len(kinds_rows)
    traces.append(_key_labels(xaxis, yaxis, labels_x, labels_y, labels, positions))
    traces.append(
        _trace(
            xaxis,
            yaxis,
            x=[0.35],
            y=[-0.75],
            mode="markers+text",
            text=["key test spot (ISNCSCI)"],
            textposition="middle right",
            textfont={"size": 13, "color": "#222"},
            marker={"symbol": "diamond", "size": 9, "color": "#ffffff", "line": {"color": "#333", "width": 1.2}},
            hoverinfo="skip",
            name="key spot",
        )
    )
    return traces


def _key_shapes(xref: str, yref: str) -> list[dict]:
    """The key's colour steps, milder to stronger: plain rectangles (static layout shapes cost plotly.js far
    less on every restyle than traces do)."""
    return [
        {
            "type": "rect",
            "xref": xref,
            "yref": yref,
            "x0": i * 0.5,
            "x1": i * 0.5 + 0.5,
            "y0": 3.0,
            "y1": 3.45,
            "fillcolor": c,
            "line": {"color": BORDER, "width": 0.8},
            "layer": "below",
        }
        for i, c in enumerate(PALETTE)
    ]


def _patient_key_traces(xaxis: str, yaxis: str) -> list[go.Scatter]:
    """The patient key: per row two pattern swatches, the marks as the picture draws them (black on a lighter colour,
    white on a darker one: a patient matches either to the key, issue 14, PEMAT-P item 18), and the colour steps'
    words (the colour steps are layout shapes; the weakness arrow's row is a layout shape and annotation shown only
    when the picture draws an arrow: ``figures.patient``). The darker swatches come after the words, so the traces
    before them keep their places (named ``key <kind> dark``)."""
    (lx0, lx1, light), (dx0, dx1, dark) = PATIENT_SWATCHES
    traces = []
    for j, (k, _words) in enumerate(PATIENT_KEY):
        traces.append(_key_swatch(xaxis, yaxis, j, k, _patient_pattern(PATIENT_PATTERNS[k], light), x0=lx0, x1=lx1,
                                  color=light))
    rows = len(PATIENT_KEY)
    labels_x = [0, len(PALETTE) * 0.5] + [0.85] * rows
    labels_y = [3.7, 3.7] + [2.2 - j * 0.55 + 0.21 for j in range(rows)]
    labels = ["milder", "stronger"] + [w for _, w in PATIENT_KEY]
    positions = ["middle right", "middle left"] + ["middle right"] * rows
    traces.append(_key_labels(xaxis, yaxis, labels_x, labels_y, labels, positions))
    for j, (k, _words) in enumerate(PATIENT_KEY):
        traces.append(_key_swatch(xaxis, yaxis, j, k, _patient_pattern(PATIENT_PATTERNS[k], dark), x0=dx0, x1=dx1,
                                  color=dark, name=f"key {k} dark"))
    return traces
