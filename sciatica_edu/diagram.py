"""``sciatica_edu.diagram``: the public figure API under the name notebooks and users know.

The code lives in the layers (``figures`` draws, ``model.words`` says it in words); this module only re-exports
it. Public names: :func:`body_figure`, :func:`spine_figure`, :func:`static_figure`, :func:`static_html`,
:func:`fit_html`, :func:`cause_figure` (the spine seen from the side, with what
presses on a root), :func:`nerve_figure` (the roots joining into the sciatic nerve and its path down the leg),
:func:`describe`, :func:`describe_html`, :func:`pressing_sentence`, :func:`warning_sentences`,
:func:`patient_title`, :func:`region_paint`, :func:`timeline_figure` (notebook 05's usual timeline, with what to do
at each stage) and the constants below.
"""

from sciatica_edu.figures.body import body_figure, default_height
from sciatica_edu.figures.cause import CAUSE_SIZE, CAUSE_TEXT, cause_figure
from sciatica_edu.figures.nerve_path import NERVE_ROOTS, NERVE_SIZE, NERVE_TEXT, nerve_figure
from sciatica_edu.figures.paint import Paint, region_paint
from sciatica_edu.figures.patient import patient_title
from sciatica_edu.figures.spine import spine_figure
from sciatica_edu.figures.static import (
    STATIC_SCENARIOS,
    STATIC_SEVERITIES,
    dynamic_traces,
    fit_html,
    restyle_args,
    static_compressions,
    static_figure,
    static_html,
)
from sciatica_edu.figures.style import (
    BULGE,
    CAVEAT,
    CLEAR,
    CONFIG,
    HEIGHT,
    KIND_PATTERNS,
    MODES,
    PALETTE,
    PATIENT_BACK_DX,
    PATIENT_CAPTIONS,
    PATIENT_KEY,
    PATIENT_PATTERNS,
    ROOT_HIT,
    UNPAINTED,
    WIDTH,
)
from sciatica_edu.figures.timeline import timeline_figure
from sciatica_edu.model.words import KIND_WORDS, describe, describe_html, pressing_sentence, warning_sentences

__all__ = [
    "BULGE",
    "CAUSE_SIZE",
    "CAUSE_TEXT",
    "CAVEAT",
    "CLEAR",
    "CONFIG",
    "HEIGHT",
    "KIND_PATTERNS",
    "KIND_WORDS",
    "MODES",
    "NERVE_ROOTS",
    "NERVE_SIZE",
    "NERVE_TEXT",
    "PALETTE",
    "PATIENT_BACK_DX",
    "PATIENT_CAPTIONS",
    "PATIENT_KEY",
    "PATIENT_PATTERNS",
    "ROOT_HIT",
    "STATIC_SCENARIOS",
    "STATIC_SEVERITIES",
    "UNPAINTED",
    "WIDTH",
    "Paint",
    "body_figure",
    "cause_figure",
    "default_height",
    "describe",
    "describe_html",
    "dynamic_traces",
    "fit_html",
    "nerve_figure",
    "patient_title",
    "pressing_sentence",
    "region_paint",
    "restyle_args",
    "spine_figure",
    "static_compressions",
    "static_figure",
    "static_html",
    "timeline_figure",
    "warning_sentences",
]
