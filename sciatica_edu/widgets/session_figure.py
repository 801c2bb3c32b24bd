"""The session view's body diagram at the session's size: its text enlarged for a desk or a projector
(``enlarge_text``) and its layout given room for that text (``session_layout``); split from ``session``.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from sciatica_edu.figures.patient import patient_titles
from sciatica_edu.figures.style import PATIENT_BACK_DX


def enlarge_text(figure: go.Figure, minimum: int, factor: float = 1.0) -> None:
    """Raise every font size the figure sets (annotations, text traces, hover labels) to at least ``minimum``
    px, scaling the rest by ``factor``: the session's diagram is read across a desk or on a projector."""
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 8 <= minimum <= 72:
        raise ValueError(f"minimum must be a whole number of px from 8 to 72, not {minimum!r}")

    def size(v: float | None) -> int:
        return max(minimum, round((v or minimum) * factor))

    with figure.batch_update():
        for a in figure.layout.annotations:
            a.font.size = size(a.font.size)
        for t in figure.data:
            if getattr(t, "mode", None) and "text" in t.mode:
                t.textfont.size = size(t.textfont.size)
        figure.layout.hoverlabel.font.size = size(figure.layout.hoverlabel.font.size)


def session_layout(figure: go.Figure) -> None:
    """Make room for the session's large text on the body diagram (``enlarge_text`` first).

    The view titles go on two lines; one "patient's LEFT" sits between the two views (both left legs face each
    other there); the spine's caption goes below the spine instead of over its corner labels, which say LEFT and
    RIGHT on one line (seen from behind, its left is the patient's left); the key moves down; the warning line
    under the key is hidden (``figure_warning_html`` shows it over the diagram's foot instead). Raises ValueError if
    the diagram no longer has the labels this expects, so a change in ``diagram`` is noticed here, not on screen.
    """
    ann = list(figure.layout.annotations)
    titles = {"<b>FRONT</b>: facing you": "<b>FRONT</b><br>facing you",
              "<b>BACK</b>: seen from behind": "<b>BACK</b><br>seen from behind"}
    found = [a for a in ann if a.text in titles]
    lefts = [a for a in ann if a.text == "patient's<br><b>LEFT</b>" and a.xref == "x"]
    captions = [a for a in ann if a.xref == "x2" and a.yref == "paper" and not a.showarrow and a.yanchor == "top"]
    corners = [a for a in ann if a.xref == "x2 domain" and a.text.startswith("patient's<br>")]
    warnings = [a for a in ann if a.xref == "x3" and a.yanchor == "top" and "Warning sign" in (a.text or "")]
    patient = any((a.text or "").endswith("<br>leg") for a in ann)  # the patient picture labels each leg
    if len(found) != 2 or len(lefts) != (0 if patient else 2) or not captions or len(corners) != 2 or not warnings:
        raise ValueError("the body diagram's titles, side labels or spine captions are not where session_layout "
                         "expects them; update session_figure.session_layout with diagram._layout")
    with figure.batch_update():
        for a in found:
            a.text = titles[a.text]
            a.yanchor = "bottom"
            a.y = 8.42
        if lefts:  # the student picture: one "patient's LEFT" between the views (the patient picture labels legs)
            middle = (lefts[0].x + lefts[1].x) / 2
            lefts[0].update(x=middle, text="patient's<br>\u25c0 <b>LEFT</b> \u25b6")
            lefts[1].visible = False
        for a in captions:
            a.y = 0.552
        for a in warnings:  # too wide for the key's column at this size: shown over the diagram's foot instead
            a.visible = False
        for a in corners:  # the spine is seen from behind: its left is the patient's left
            a.text = a.text.replace("patient's<br>", "")
        figure.layout.margin.t = max(62, figure.layout.margin.t or 0)  # the patient picture's title needs its room
        figure.layout.yaxis2.domain = (0.575, 0.95)
        figure.layout.yaxis3.domain = (0.075, 0.405)
    if patient:  # after the batch: inside it, reads still return the old texts
        _patient_session_layout(figure)


#: Session view, patient picture (px, as drawn before the fit scaling): the title's lift above the plot, over the
#: caption's two enlarged lines (``yshift`` 6, about 2 x 1.25 x 21 px tall), and the top margin that holds both.
SESSION_TITLE_SHIFT = 64
SESSION_MARGIN_TOP = 100
#: The body views' top (paper fraction) in the session: the two-line view headings sit above it, under the caption.
SESSION_VIEWS_TOP = 0.9
#: The key's column in the session starts further left (the body views end there instead of at 0.64) and its
#: x range runs further right (so its words start nearer its swatches): its enlarged words end inside the picture.
SESSION_KEY_LEFT = 0.6
SESSION_KEY_RANGE_END = 7.0
#: ... and its y range starts higher (its warning line, at -1.02, is hidden in the session), so its enlarged rows
#: are further apart (at -1.2 the rows' line boxes overlapped).
SESSION_KEY_Y_START = -0.5
#: ... and the key sits lower (paper fractions), so its title clears the back view's "sciatic nerve" pointer.
SESSION_KEY_DOMAIN = (0.03, 0.36)
#: "right leg" / "left leg" under the feet end this far from the body's midline (x units of the view): at the
#: session's size, centred under each foot, the two words ran together ("rightleft").
SESSION_LEG_GAP = 0.15


def _patient_session_layout(figure: go.Figure) -> None:
    """Room for the patient picture's enlarged words at the session's size (issue 14): the title above its two-line
    caption, the view headings below that caption (at the plot's top, over the body views, which start lower), the
    spine's LEFT/RIGHT at its foot (its caption hangs below the panel here, so the foot is free; at the top RIGHT
    ran into "nerve root"), and a wider key column (its words ran past the picture's right edge)."""
    n = len(patient_titles())
    titles = [a for a in figure.layout.annotations if a.xref == "paper" and a.yref == "paper" and a.yshift == 46]
    if len(titles) != n:
        raise ValueError("the patient picture's titles are not where session_layout expects them; update "
                         "session_figure._patient_session_layout with patient._title_annotations")
    for a in titles:
        a.yshift = SESSION_TITLE_SHIFT
    for a in figure.layout.annotations:
        if a.text in ("<b>FRONT</b><br>facing you", "<b>BACK</b><br>seen from behind"):
            a.update(yref="paper", y=1.0, yanchor="top")
        elif a.xref == "x2 domain" and a.text in ("<b>LEFT</b>", "<b>RIGHT</b>"):
            a.update(y=0.0, yanchor="bottom")
        elif re.fullmatch(r"<b>(left|right)</b><br>leg", a.text or ""):  # each word reaches out from the midline
            mid = 0.0 if a.xref == "x" else PATIENT_BACK_DX
            out = 1 if a.x > mid else -1
            a.update(x=mid + out * SESSION_LEG_GAP, xanchor="left" if out > 0 else "right")
    figure.layout.margin.t = SESSION_MARGIN_TOP
    figure.layout.yaxis.domain = (figure.layout.yaxis.domain[0], SESSION_VIEWS_TOP)
    figure.layout.yaxis4.domain = (figure.layout.yaxis4.domain[0], SESSION_VIEWS_TOP)
    views_end = figure.layout.xaxis4.domain[1]
    for axis in (figure.layout.xaxis, figure.layout.xaxis4):
        axis.domain = tuple(round(d * SESSION_KEY_LEFT / views_end, 4) for d in axis.domain)
    figure.layout.xaxis3.domain = (SESSION_KEY_LEFT, 1.0)
    figure.layout.xaxis3.range = (figure.layout.xaxis3.range[0], SESSION_KEY_RANGE_END)
    figure.layout.yaxis3.range = (SESSION_KEY_Y_START, figure.layout.yaxis3.range[1])
    figure.layout.yaxis3.domain = SESSION_KEY_DOMAIN
