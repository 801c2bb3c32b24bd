"""The patient body figure laid out for paper (the handout's print copy): every word at 8 pt or more.

On screen the figure is 860 px wide; a handout prints it in a band of about 86 mm so that the sheet stays on two
A4 or Letter pages, which made its words about 5 pt (PEMAT-P item 18). Scaling it up does not fit: the body views
are twice as tall as they are wide, and the "may be weak" words beside the legs need the width. So the printed
copy is drawn at its own size, at print scale 1, with fewer words:

- the front and back views side by side, narrower, their titles and leg labels kept;
- each "may be weak" label becomes a number at the same place (the arrow is unchanged), and the numbers are
  explained in one list beside the key ("1 lifting the big toe");
- the spine panel is left out (the handout's heading and the sentences under it name the disc and the root);
- every word drawn at ``MIN_FONT_PX`` or more (1 CSS px = 0.75 pt).

Nothing here knows about the handout; it only turns a drawn figure into its printed layout.
"""

from __future__ import annotations

import copy
import re

import plotly.graph_objects as go

from sciatica_edu.figures.style import CLEAR, PATIENT_BACK_DX

#: The printed copy's size in CSS px: narrower than A4's and Letter's printable width (188 and 194 mm, 711 and
#: 733 px), so it prints at scale 1; its height is about the band the screen figure had in print (86 mm).
PRINT_SIZE = (700, 326)
#: The smallest word in the printed copy: 11.5 px = 8.6 pt on paper (the target is 8 pt).
MIN_FONT_PX = 11.5
#: The largest word (the view titles), so the two titles stay apart over the narrower views.
MAX_FONT_PX = 13
_MARGIN = {"l": 4, "r": 4, "t": 4, "b": 4}
#: Where the views and the key go, as fractions of the plot's width (front, back, key).
_FRONT, _BACK, _KEY = (0.0, 0.245), (0.255, 0.5), (0.55, 1.0)
#: The print copy's leg labels sit this much further out from the middle of their view, so "right" and "left" stay
#: apart under the narrower views' feet; the views reach a little lower to hold them.
_LEG_SPREAD = 1.45
_BOTTOM = -2.1
#: "may be weak:<br><b>lifting the</b><br><b>big toe</b>" -> "lifting the big toe".
_MOVE_LEAD = "may be weak:"


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _shown(colour: object) -> bool:
    return colour not in (None, CLEAR)


def print_figure(fig: go.Figure, size: tuple[int, int] = PRINT_SIZE) -> go.Figure:
    """A copy of a patient body figure laid out for paper (module docstring); ``fig`` is left as it was.

    Raises ValueError for a figure without the patient views (a student figure, or a spine figure)."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    layout = out.layout
    if not all(getattr(layout, name, None) is not None for name in ("xaxis", "xaxis3", "xaxis4")):
        raise ValueError("print_figure needs a patient body figure (front and back views and a key)")
    width, height = size
    layout.width, layout.height, layout.margin = width, height, _MARGIN
    layout.meta = None  # no phone layout on paper
    layout.xaxis.domain, layout.xaxis4.domain, layout.xaxis3.domain = _FRONT, _BACK, _KEY
    layout.yaxis.domain = layout.yaxis4.domain = (0.0, 1.0)
    layout.yaxis3.domain = (0.52, 0.93)
    for y in ("yaxis", "yaxis4"):
        layout[y].range = (min(_BOTTOM, layout[y].range[0]), layout[y].range[1])
    # equal units across and down, so the body keeps its shape in the narrower views
    for x, y, (d0, d1) in (("xaxis", "yaxis", _FRONT), ("xaxis4", "yaxis4", _BACK)):
        xr, yr = layout[x].range, layout[y].range
        per_px = (yr[1] - yr[0]) / (height - 8)
        half = (d1 - d0) * (width - 8) * per_px / 2
        mid = (xr[0] + xr[1]) / 2
        layout[x].range = (mid - half, mid + half)
    for trace in out.data:  # the spine panel is left out
        if getattr(trace, "xaxis", None) == "x2":
            trace.visible = False
    moves: list[str] = []
    for ann in layout.annotations:
        text = ann.text or ""
        if (ann.xref or "").startswith("x2") or ann.visible is False or not _shown(ann.font.color):
            ann.visible = False
            continue
        if re.fullmatch(r"<b>(left|right)</b><br>leg", text):
            mid = 0.0 if ann.xref == "x" else PATIENT_BACK_DX
            ann.x = mid + (ann.x - mid) * _LEG_SPREAD
        if text.startswith(_MOVE_LEAD):
            label = _plain(text[len(_MOVE_LEAD):])
            if label not in moves:
                moves.append(label)
            ann.text = f"<b>{moves.index(label) + 1}</b>"
        ann.font.size = min(MAX_FONT_PX, max(MIN_FONT_PX, ann.font.size or MIN_FONT_PX))
        if ann.xref == "x3" and ann.yref == "y3":  # the warning line under the key: wrap it to the key's width
            ann.text = _wrap(text, 44)
    for shape in layout.shapes:
        if (shape.xref or "").startswith("x2"):
            shape.visible = False
    for trace in out.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size is not None:
            font.size = max(MIN_FONT_PX, font.size)
    if moves:
        lines = [f"<b>{i}</b> {m}" for i, m in enumerate(moves, 1)]
        layout.annotations += (
            go.layout.Annotation(
                text="<b>May be weak</b> (the arrows):<br>" + "<br>".join(lines), x=_KEY[0], y=0.0,
                xref="paper", yref="paper", xanchor="left", yanchor="bottom", align="left", showarrow=False,
                font={"size": MIN_FONT_PX + 0.5, "color": "#111111"},
            ),
        )
    return out


def _wrap(text: str, chars: int) -> str:
    """Annotation text rewrapped to ``chars`` a line, keeping its bold parts (``<b>`` runs do not cross a line)."""
    words = re.sub(r"<br>", " ", text).split(" ")
    lines, line, count = [], [], 0
    for word in words:
        n = len(re.sub(r"<[^>]+>", "", word))
        if line and count + 1 + n > chars:
            lines.append(" ".join(line))
            line, count = [], 0
        line.append(word)
        count += n + (1 if count else 0)
    lines.append(" ".join(line))
    return _balance_bold("<br>".join(lines))


def _balance_bold(text: str) -> str:
    """Close and reopen ``<b>`` at each line break so every line's bold is self-contained."""
    out, bold = [], False
    for line in text.split("<br>"):
        start = "<b>" if bold else ""
        opens, closes = line.count("<b>"), line.count("</b>")
        bold = bold + opens - closes > 0
        out.append(start + line + ("</b>" if bold else ""))
    return "<br>".join(out)
