"""The patient body figure laid out for paper (the handout's print copy): every word at 8 pt or more.

On screen the figure is 860 px wide; a handout prints it in a band of about 86 mm so that the sheet stays on two
A4 or Letter pages, which made its words about 5 pt (PEMAT-P item 18). Scaling it up does not fit: the body views
are twice as tall as they are wide, and the "may be weak" words beside the legs need the width. So the printed
copy is drawn at its own size, at print scale 1, with fewer words:

- the front and back views side by side, narrower, their titles and leg labels kept;
- each "may be weak" label becomes a number at the same place (the arrow is unchanged), and the numbers are
  explained in one list beside the key ("1 lifting the big toe");
- the spine drawing (the inset: which disc bulges, which root is pressed) as a small panel between the views and the
  key, given the compression the figure shows (PEMAT-P item 15): its own caption in a patient's words ("Your L4-L5
  disc presses on the L5 nerve root (left side)", ``spine.patient_spine_caption``), the patient's LEFT and RIGHT
  over it, and a key of its own for its two marks. In greyscale the pressed root is told by its width (a thick line,
  the others thin) and the bulge by its shape and dark edge, each named in that key, not by colour alone; every
  word in the panel at ``SPINE_FONT_PX`` (9 pt) or more;
- the key gets a row for the sciatic nerve's dark line (the back view draws it; the screen figure's pointer to it
  does not fit beside the narrower view), so the key names every kind of mark the picture draws (``drawn_marks``);
- every word drawn at ``MIN_FONT_PX`` or more (1 CSS px = 0.75 pt).

Nothing here knows about the handout; it only turns a drawn figure into its printed layout.
"""

from __future__ import annotations

import copy
import re

import plotly.graph_objects as go

from sciatica_edu.figures.felt import FELT_NAME
from sciatica_edu.figures.patient import KEY_ARROW_Y, KEY_INK, KEY_TEXT_SHIFT
from sciatica_edu.figures.spine import _DISC_CAUSES, patient_spine_caption
from sciatica_edu.figures.style import (
    BULGE,
    CLEAR,
    INK,
    NERVE,
    PATIENT_BACK_DX,
    PATIENT_KEY,
    ROOT_HIT,
    UNPAINTED,
)
from sciatica_edu.model.scenario import Compression
from sciatica_edu.model.words import FELT_KEY_WORDS, WEAK_KEY_WORDS

#: The printed copy's size in CSS px: narrower than A4's and Letter's printable width (188 and 194 mm, 711 and
#: 733 px), so it prints at scale 1; its height is about the band the screen figure had in print (86 mm); the spine
#: panel took no height from it (the sheet has about 40 px to spare on Letter: benchmarks/handout_print_room.py).
PRINT_SIZE = (700, 326)
#: The smallest word in the printed copy: 11.5 px = 8.6 pt on paper (the target is 8 pt).
MIN_FONT_PX = 11.5
#: The smallest word of the spine panel: 12 px = 9 pt on paper (PEMAT-P review of the handout, item 15).
SPINE_FONT_PX = 12
#: The largest word (the view titles), so the two titles stay apart over the narrower views.
MAX_FONT_PX = 13
_MARGIN = {"l": 4, "r": 4, "t": 4, "b": 4}
#: Where the views, the spine panel and the key go, as fractions of the plot's width (front, back, spine, key).
_FRONT, _BACK, _SPINE, _KEY = (0.0, 0.17), (0.175, 0.345), (0.355, 0.575), (0.59, 1.0)
#: The print copy's leg labels sit this much further out from the middle of their view, so "right" and "left" stay
#: apart under the narrower views' feet; the views reach a little lower to hold them, and higher for their titles
#: (two lines each over the narrower views).
_LEG_SPREAD = 1.45
_BOTTOM, _TOP = -2.1, 9.3
#: "may be weak:<br><b>lifting the</b><br><b>big toe</b>" -> "lifting the big toe".
_MOVE_LEAD = "may be weak:"
#: The key's words for the sciatic nerve's dark line (the back view draws the nerve and its two branches).
NERVE_KEY_WORDS = "the sciatic nerve (dark line)"
#: The spine panel's key: its two marks, each told apart in greyscale by more than its colour.
PRESSED_KEY_WORDS = "pressed nerve root"
BULGE_KEY_WORDS = "the disc's bulge"
#: For a cause that is not a disc the drawing marks where the root is pressed, not a bulge (``spine._DISC_CAUSES``).
PRESS_KEY_WORDS = "where it is pressed"
#: Every kind of mark the printed picture can draw, and the key's words for it (``drawn_marks``, ``key_words``).
MARK_WORDS = {
    **{kind: words for kind, words in PATIENT_KEY},
    "nerve": NERVE_KEY_WORDS,
    "arrow": WEAK_KEY_WORDS,
    "felt": FELT_KEY_WORDS,
    "pressed root": PRESSED_KEY_WORDS,
    "bulge": (BULGE_KEY_WORDS, PRESS_KEY_WORDS),
}
#: The ``name`` of the spine panel's own words and key samples (tests find them by it).
SPINE_PANEL = "spine panel"
#: The spine drawing in the panel: its top and bottom (L1's top, the sacrum's tip) in the drawing's units.
_SPINE_TOP, _SPINE_BOTTOM = 0.45, -6.3
#: The panel's words in px: the title and the LEFT / RIGHT over the drawing, a line of the caption (wrapped at
#: ``_SPINE_CHARS``), a row of its key, the gaps between them.
_SPINE_HEAD_PX, _LINE_PX, _ROW_PX, _GAP_PX = 50, 15, 16, 4
_SPINE_CHARS = 24
#: Root widths in the panel: the pressed ones thick, the others thin (greyscale tells them apart by width).
_ROOT_PRESSED, _ROOT_OTHER = 5.0, 1.4
_ROOT_NAME = re.compile(r"^[LS]\d (left|right)$")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _shown(colour: object) -> bool:
    return colour not in (None, CLEAR)


def print_figure(fig: go.Figure, size: tuple[int, int] = PRINT_SIZE, *, compression: Compression | None = None
                 ) -> go.Figure:
    """A copy of a patient body figure laid out for paper (module docstring); ``fig`` is left as it was.

    ``compression`` is the example ``fig`` shows: with it the spine panel is printed (its caption names the disc and
    the roots); without it (one root's area, picked areas) the panel is left out. Raises ValueError for a figure
    without the patient views (a student figure, or a spine figure), or a compression whose pressed roots are not
    the ones ``fig`` draws."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    layout = out.layout
    if not all(getattr(layout, name, None) is not None for name in ("xaxis", "xaxis3", "xaxis4")):
        raise ValueError("print_figure needs a patient body figure (front and back views and a key)")
    if compression is not None and not isinstance(compression, Compression):
        raise ValueError(f"compression must be a Compression or None, not {type(compression).__name__}")
    width, height = size
    layout.width, layout.height, layout.margin = width, height, _MARGIN
    layout.meta = None  # no phone layout on paper
    layout.xaxis.domain, layout.xaxis4.domain, layout.xaxis3.domain = _FRONT, _BACK, _KEY
    layout.yaxis.domain = layout.yaxis4.domain = (0.0, 1.0)
    layout.yaxis3.domain = (0.52, 0.93)
    for y in ("yaxis", "yaxis4"):
        layout[y].range = (min(_BOTTOM, layout[y].range[0]), max(_TOP, layout[y].range[1]))
    # equal units across and down, so the body keeps its shape in the narrower views
    for x, y, (d0, d1) in (("xaxis", "yaxis", _FRONT), ("xaxis4", "yaxis4", _BACK)):
        xr, yr = layout[x].range, layout[y].range
        per_px = (yr[1] - yr[0]) / (height - 8)
        half = (d1 - d0) * (width - 8) * per_px / 2
        mid = (xr[0] + xr[1]) / 2
        layout[x].range = (mid - half, mid + half)
    moves: list[str] = []
    for ann in layout.annotations:
        text = ann.text or ""
        if (ann.xref or "").startswith("x2") or ann.visible is False or not _shown(ann.font.color):
            ann.visible = False  # the spine panel's words are its own (``_spine_panel``)
            continue
        if text == "sciatic<br>nerve":  # no room beside the narrower back view: the key names the line instead
            ann.visible = False
            continue
        if re.fullmatch(r"<b>(FRONT|BACK)</b>: .+", text):
            ann.text = text.replace(": ", ":<br>", 1)
            ann.yanchor = "bottom"
            ann.y = 8.05
        if re.fullmatch(r"<b>(left|right)</b><br>leg", text):
            mid = 0.0 if ann.xref == "x" else PATIENT_BACK_DX
            ann.x = mid + (ann.x - mid) * _LEG_SPREAD
        if text.startswith(_MOVE_LEAD):
            label = _plain(text[len(_MOVE_LEAD):])
            if label not in moves:
                moves.append(label)
            ann.text = f"<b>{moves.index(label) + 1}</b>"
        ann.font.size = min(MAX_FONT_PX, max(MIN_FONT_PX, ann.font.size or MIN_FONT_PX))
        if ann.xref == "x3" and ann.yref == "y3":
            if ann.yanchor == "top":  # the warning line under the key: wrapped to the key's width, where it was
                ann.text = _wrap(text, 44)
            elif ann.y <= KEY_ARROW_Y + 1e-9:  # the arrow's and felt areas' rows make room for the nerve's row
                ann.y -= _KEY_SHIFT
    for shape in layout.shapes:
        if (shape.xref or "").startswith("x2"):
            shape.visible = False
        elif shape.xref == "x3" and shape.type == "path" and _path_ys(shape.path) and max(_path_ys(shape.path)) < 1:
            shape.path = _shift_path(shape.path, -_KEY_SHIFT)  # the arrow's sample, under the nerve's row
    for trace in out.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size is not None:
            font.size = max(MIN_FONT_PX, font.size)
        if trace.name == FELT_NAME and trace.xaxis == "x3":
            trace.y = [None if v is None else v - _KEY_SHIFT for v in trace.y]
    _nerve_row(out)
    if moves:
        lines = [f"<b>{i}</b> {m}" for i, m in enumerate(moves, 1)]
        layout.annotations += (
            go.layout.Annotation(
                text="<b>May be weak</b> (the arrows):<br>" + "<br>".join(lines), x=_KEY[0], y=0.0,
                xref="paper", yref="paper", xanchor="left", yanchor="bottom", align="left", showarrow=False,
                font={"size": MIN_FONT_PX + 0.5, "color": "#111111"},
            ),
        )
    if compression is None:
        for trace in out.data:
            if getattr(trace, "xaxis", None) == "x2":
                trace.visible = False
    else:
        _spine_panel(out, compression)
    return out


#: The nerve's row in the key (in the key's units): one row (0.55) under the last pattern's; the rows under it (the
#: arrow's and the felt areas') move down this much; the warning line under them stays where it was.
_NERVE_ROW = 2.2 - 3 * 0.55 + 0.21
_KEY_SHIFT = KEY_ARROW_Y - (_NERVE_ROW - 0.55)


def _path_ys(path: str | None) -> list[float]:
    return [float(y) for y in re.findall(r"[-\d.]+,([-\d.]+)", path or "")]


def _shift_path(path: str, dy: float) -> str:
    """An SVG path of ``M``/``L`` points ``x,y`` moved ``dy`` up."""
    return re.sub(r"([-\d.]+),([-\d.]+)", lambda m: f"{m.group(1)},{float(m.group(2)) + dy:.3f}", path)


def _nerve_row(fig: go.Figure) -> None:
    """The key's row for the sciatic nerve: a sample of the back view's dark line and its words, under the patterns."""
    y = _NERVE_ROW
    fig.add_shape(type="line", xref="x3", yref="y3", x0=0.0, x1=0.7, y0=y, y1=y, line={"color": NERVE, "width": 3.2})
    fig.add_annotation(x=0.85, y=y, xref="x3", yref="y3", text=NERVE_KEY_WORDS, showarrow=False, xanchor="left",
                       yanchor="middle", xshift=KEY_TEXT_SHIFT, font={"size": 13, "color": KEY_INK})


def _spine_panel(fig: go.Figure, compression: Compression) -> None:
    """The inset's drawing in its print column: the drawing as the figure has it (this example's disc, bulge and
    roots), pressed roots thick and the others thin, the level names at ``SPINE_FONT_PX``; over it a title and the
    patient's LEFT and RIGHT, under it the caption and a key of its two marks. The drawing takes the height the words
    leave it, at equal units across and down, centred in its column."""
    layout = fig.layout
    width, height = layout.width - 8, layout.height - 8
    drawn = sorted(t.name for t in fig.data if t.xaxis == "x2" and _ROOT_NAME.match(t.name or "")
                   and t.line.color == ROOT_HIT)
    wanted = sorted(f"{r} {side}" for r in compression.roots for side in compression.sides)
    if drawn != wanted:
        raise ValueError(f"the figure presses on {', '.join(drawn) or 'no root'}, the compression on "
                         f"{', '.join(wanted)}: give print_figure the compression the figure was drawn for")
    for trace in fig.data:
        if trace.xaxis != "x2":
            continue
        if _ROOT_NAME.match(trace.name or ""):
            trace.line.width = _ROOT_PRESSED if trace.line.color == ROOT_HIT else _ROOT_OTHER
        if trace.name == "levels":
            trace.textfont.size = SPINE_FONT_PX
        if (trace.name or "").startswith("bulge ") and _shown(trace.fillcolor):
            trace.line.width = 2.0  # a dark edge that reads in greyscale too
    caption = _wrap(patient_spine_caption(compression), _SPINE_CHARS)
    marks = (("pressed root", PRESSED_KEY_WORDS),
             ("bulge", BULGE_KEY_WORDS if compression.cause in _DISC_CAUSES else PRESS_KEY_WORDS))
    below = _GAP_PX + (caption.count("<br>") + 1) * _LINE_PX + _GAP_PX + len(marks) * _ROW_PX
    d0, d1 = _SPINE
    drawing_px = height - _SPINE_HEAD_PX - below
    per_px = (_SPINE_TOP - _SPINE_BOTTOM) / drawing_px
    half = (d1 - d0) * width * per_px / 2
    top = 1 - _SPINE_HEAD_PX / height
    bottom = below / height
    layout.xaxis2.update(domain=_SPINE, range=(-half, half))
    layout.yaxis2.update(domain=(bottom, top), range=(_SPINE_BOTTOM, _SPINE_TOP), scaleanchor=None)
    mid = (d0 + d1) / 2
    words = {"xref": "paper", "yref": "paper", "showarrow": False, "name": SPINE_PANEL,
             "font": {"size": SPINE_FONT_PX, "color": KEY_INK}}
    fig.add_annotation(text="<b>Your spine</b>, from behind", x=mid, y=1.0, xanchor="center", yanchor="top", **words)
    for x, anchor, side in ((d0, "left", "LEFT"), (d1, "right", "RIGHT")):
        fig.add_annotation(text=f"patient's<br><b>{side}</b>", x=x, y=top, xanchor=anchor, yanchor="bottom",
                           align=anchor, **words)
    fig.add_annotation(text=caption, x=mid, y=bottom - _GAP_PX / height, xanchor="center", yanchor="top", **words)
    for k, (kind, text) in enumerate(marks):
        y = (len(marks) - k - 0.5) * _ROW_PX / height
        x0, x1 = d0 + 2 / width, d0 + 22 / width
        if kind == "pressed root":
            fig.add_shape(type="line", xref="paper", yref="paper", x0=x0, x1=x1, y0=y, y1=y, name=SPINE_PANEL,
                          line={"color": ROOT_HIT, "width": _ROOT_PRESSED})
        else:  # a half disc, as the bulge stands out from its disc
            fig.add_shape(type="path", xref="paper", yref="paper", fillcolor=BULGE, name=SPINE_PANEL,
                          line={"color": "#7a2e00", "width": 2.0},
                          path=_bulge_sample(x0 + 3 / width, x1 - 3 / width, y, 8 / height))
        fig.add_annotation(text=text, x=x1 + 4 / width, y=y, xanchor="left", yanchor="middle", **words)


def _bulge_sample(x0: float, x1: float, y: float, h: float) -> str:
    """A half ellipse from ``x0`` to ``x1``, ``h`` high, its middle at ``y`` (paper units)."""
    base, mid, half = y - h / 2, (x0 + x1) / 2, (x1 - x0) / 2
    points = [(mid + half * c, base + h * s) for c, s in
              ((1, 0), (0.87, 0.5), (0.5, 0.87), (0, 1), (-0.5, 0.87), (-0.87, 0.5), (-1, 0))]
    return "M" + "L".join(f"{x:.4f},{y:.4f}" for x, y in points) + "Z"


def drawn_marks(fig: go.Figure) -> set[str]:
    """The kinds of mark a printed figure draws (keys of ``MARK_WORDS``), read from what is shown: painted regions
    by their pattern, the nerve lines, the felt outlines, the "may be weak" arrows, the spine's bulge and pressed
    roots."""
    marks: set[str] = set()
    patterns = {"": "pain", ".": "tingling", "/": "numbness"}
    for t in fig.data:
        if t.visible is False:
            continue
        meta = t.meta
        if isinstance(meta, (list, tuple)) and len(meta) == 3 and _shown(t.fillcolor) and t.fillcolor != UNPAINTED:
            marks.add(patterns[t.fillpattern.shape or ""])
        elif t.xaxis in ("x", "x4") and t.line.color == NERVE:
            marks.add("nerve")
        elif isinstance(meta, dict) and isinstance(meta.get("felt"), list):
            marks.add("felt")
        elif t.xaxis == "x2" and (t.name or "").startswith("bulge ") and _shown(t.fillcolor):
            marks.add("bulge")
        elif t.xaxis == "x2" and _ROOT_NAME.match(t.name or "") and t.line.color == ROOT_HIT:
            marks.add("pressed root")
    for s in fig.layout.shapes:
        if s.visible is not False and s.xref in ("x", "x4") and s.type == "path" and s.fillcolor == INK:
            marks.add("arrow")
    return marks


def key_words(fig: go.Figure) -> list[str]:
    """The words a printed figure shows (visible annotations and text traces), plain: the keys' rows among them."""
    words = [_plain(a.text or "") for a in fig.layout.annotations if a.visible is not False and _shown(a.font.color)]
    for t in fig.data:
        if t.visible is not False and "text" in (t.mode or "") and t.text is not None:
            words += [_plain(str(w)) for w in (t.text if isinstance(t.text, (list, tuple)) else [t.text])]
    return words


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
