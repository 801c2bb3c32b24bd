"""Where the patient said they feel it, marked on a patient body figure (the handout's picture; clinician review,
issue 14).

Each marked area gets a thin dashed dark line along its edge, drawn as a line of its own over the regions with no
fill, so the symptom's colour and pattern stay visible inside it, even in the narrowest areas (the outer lower leg,
the top of the foot are 5 to 10 px wide on the page), and the dashes tell it apart from the body's solid outline in
greyscale print. The key gets a row for it, "where you said you feel it", only when areas are marked. (A 4 px
black border was used before: it filled the narrow areas solid black, exactly where the patient said they feel it,
and black was not in the key.)

Nothing here knows about the handout; it only adds marks to a drawn patient figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from sciatica_edu.figures.patient import KEY_ARROW_Y, KEY_INK, KEY_TEXT_SHIFT
from sciatica_edu.figures.style import CLEAR, INK, PALETTE, _fill, _trace
from sciatica_edu.geometry.splines import _xy
from sciatica_edu.model.words import FELT_KEY_WORDS, WEAK_KEY_WORDS

#: The felt areas' outline: thin (narrow areas keep their colour between the two edges), dashed (not the body's
#: solid outline, not a symptom's pattern), near-black (reads in greyscale over every symptom step).
FELT_LINE = {"color": INK, "width": 1.2, "dash": "5px,2px"}
#: The trace name of every felt outline and of the key's sample (tests and browser checks find them by it).
FELT_NAME = FELT_KEY_WORDS
#: How far below the arrow's row the felt row sits in the key (one key row).
_ROW = 0.55


def mark_felt(fig: go.Figure, felt: Iterable[tuple[str, str]]) -> go.Figure:
    """Outline the regions ``felt`` ((region id, side) pairs, already checked) in both views of a patient body
    figure, and add the key's row for them; ``fig`` is changed in place and returned. No areas: no change.

    The outlines copy the region traces' own coordinates (region traces carry ``meta = [region, side, view]``);
    each outline's ``meta`` is ``{"felt": [region, side, view]}``."""
    marked = set(felt)
    if not marked:
        return fig
    outlines = []
    for trace in fig.data:
        meta = getattr(trace, "meta", None)
        if isinstance(meta, (list, tuple)) and len(meta) == 3 and (meta[0], meta[1]) in marked:
            outlines.append(_trace(trace.xaxis or "x", trace.yaxis or "y", x=trace.x, y=trace.y, mode="lines",
                                   line=FELT_LINE, fill="none", hoverinfo="skip", name=FELT_NAME,
                                   meta={"felt": list(meta)}))
    fig.add_traces(outlines)
    _add_key_row(fig)
    return fig


def _arrow_row_shown(fig: go.Figure) -> bool:
    return any(a.text == WEAK_KEY_WORDS and a.visible is not False and a.font.color not in (None, CLEAR)
               for a in fig.layout.annotations)


def _add_key_row(fig: go.Figure) -> None:
    """The key's "where you said you feel it" row: a swatch in the key's colour with the dashed outline, in the
    arrow's row when the picture has no arrow, else just below it."""
    y = KEY_ARROW_Y - (_ROW if _arrow_row_shown(fig) else 0.0)
    x, ys = _xy([[(0, y - 0.21), (0.7, y - 0.21), (0.7, y + 0.21), (0, y + 0.21), (0, y - 0.21)]])
    fig.add_trace(_fill("x3", "y3", x=x, y=ys, fillcolor=PALETTE[2], line=FELT_LINE, hoverinfo="skip",
                        name=FELT_NAME, meta={"felt": "key"}))
    fig.add_annotation(x=0.85, y=y, xref="x3", yref="y3", text=FELT_KEY_WORDS, showarrow=False, xanchor="left",
                       yanchor="middle", xshift=KEY_TEXT_SHIFT, font={"size": 13, "color": KEY_INK})
