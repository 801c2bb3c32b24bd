"""The usual timeline of sciatica, drawn: :func:`timeline_figure`, four stages down a line, each with what to do then.

Notebook 05's "A usual timeline", drawn (PEMAT-P items 15, 25 and 26: a visual aid that helps the reader act; the
page shows it once, as this picture). Its words come from ``data/advice.yaml`` (``advice.timeline``). Made to read
in black and white: black words on white, numbered circles on one dark line, no colour that carries meaning. Fixed
size, 480 px wide with words at 17 px (the title 21 px): an exported page scales it down whole on a phone
(``fit_html``) to about 344 px at 390 px, which leaves every word at 12 px or more (16 px gave 11.5 px).
"""

from __future__ import annotations

import textwrap
from html import escape

import plotly.graph_objects as go

from sciatica_edu.facts import advice
from sciatica_edu.figures.style import check_size

__all__ = ["TIMELINE_CAPTION", "TIMELINE_FONT", "TIMELINE_TITLE", "TIMELINE_WIDTH", "timeline_figure"]

TIMELINE_WIDTH = 480
TIMELINE_FONT = 17
TIMELINE_TITLE = "A usual timeline: find where you are"
#: The line under the title: how to use the picture.
TIMELINE_CAPTION = "Find the time closest to how long you have had it.<br>Then read what to do."
INK, LINE = "#000000", "#444444"
TITLE_FONT = 21
LINE_PX = 22  # one line of 17 px text, as plotly.js sets it (about 1.3 em)
CHARS = 47  # a line of 17 px text in the 400 px right of the line (about 8.2 px a letter)
LEFT, TEXT_X = 30, 64  # the line's x and where the words start, in px
TOP = 110  # the first stage's top, below the title and its caption
GAP = 22  # between stages
#: The advice item under the stages, true at every one of them.
ALWAYS = "weakness_while_pain_fades"


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, CHARS) or [""]


def _block(stage: advice.Stage) -> tuple[str, int]:
    """A stage's words as annotation text (``<br>`` breaks) and how many lines they take."""
    happens = _lines(stage.happens)
    todo = _lines(f"What to do: {stage.todo}")
    todo[0] = todo[0].replace("What to do:", "<b>What to do:</b>", 1)
    lines = [f"<b>{escape(stage.when)}</b>", *(escape(x) for x in happens),
             *(x if i == 0 else escape(x) for i, x in enumerate(todo))]
    return "<br>".join(lines), len(lines)


def timeline_figure(locale: str | None = None) -> go.Figure:
    """The usual timeline as a plotly figure: a title, a line on how to use it, then each stage of
    ``advice.timeline(locale)`` in order (a numbered circle on a line down the left, the stage in bold, what usually
    happens, "What to do:" and the step), and in a box under them what holds at any time: a weaker leg or foot
    needs help the same day (``advice.item("weakness_while_pain_fades")``). ``locale`` picks the word for the
    doctor (GP in the UK; default: the locale in force); an unknown one is a ValueError naming the allowed ones."""
    stages = advice.timeline(locale)
    annotations, centres = [], []
    y = TOP
    for number, stage in enumerate(stages, start=1):
        text, count = _block(stage)
        annotations.append(dict(x=TEXT_X, y=y, text=text, xanchor="left", yanchor="top", align="left",
                                showarrow=False, font=dict(size=TIMELINE_FONT, color=INK)))
        centres.append((number, y + LINE_PX / 2))
        y += count * LINE_PX + GAP
    # what holds at every stage, so no stage reads as "wait": a weaker leg or foot needs help the same day
    always = _lines(f"At any time: {advice.item(ALWAYS).text}")
    always[0] = always[0].replace("At any time:", "<b>At any time:</b>", 1)
    annotations.append(dict(x=LEFT - 14, y=y, text="<br>".join(always), xanchor="left", yanchor="top", align="left",
                            showarrow=False, font=dict(size=TIMELINE_FONT, color=INK), bordercolor=INK, borderwidth=2,
                            borderpad=6))
    height = int(y + len(always) * LINE_PX + 30)
    fig = go.Figure()
    fig.add_shape(type="line", x0=LEFT, x1=LEFT, y0=centres[0][1], y1=centres[-1][1], layer="below",
                  line=dict(color=LINE, width=4))
    fig.add_trace(go.Scatter(
        x=[LEFT] * len(centres), y=[c for _, c in centres], mode="markers+text",
        text=[str(n) for n, _ in centres], textposition="middle center", hoverinfo="skip", showlegend=False,
        textfont=dict(size=TIMELINE_FONT, color=INK),
        marker=dict(size=28, color="#ffffff", line=dict(color=INK, width=3)),
    ))
    annotations.append(dict(x=0, y=58, text=TIMELINE_CAPTION, xanchor="left", yanchor="top", align="left",
                            showarrow=False, font=dict(size=TIMELINE_FONT, color=INK)))
    fig.update_layout(
        title=dict(text=f"<b>{TIMELINE_TITLE}</b>", x=0, xanchor="left", y=1, yanchor="top", yref="container",
                   pad=dict(t=16, l=8), font=dict(size=TITLE_FONT, color=INK)),
        width=TIMELINE_WIDTH, height=height, margin=dict(l=8, r=8, t=0, b=0),
        xaxis=dict(range=[0, TIMELINE_WIDTH - 16], visible=False, fixedrange=True),
        yaxis=dict(range=[height, 0], visible=False, fixedrange=True),
        annotations=annotations, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", dragmode=False,
        meta={"sciatica_edu": "timeline", "stages": [s.id for s in stages]},
    )
    check_size(TIMELINE_WIDTH, height)
    return fig
