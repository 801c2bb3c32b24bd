"""The patient figure on a narrow screen (a phone): the front view above the back one, each the full width, then
the spine and the key, titles and captions wrapped to the width.

:func:`_narrow_spec` describes that layout as data in the figure's ``layout.meta.narrow``; the page's script
(``narrowLayout`` in ``static/figure-widget.js``, also inlined by ``figures.static.fit_html``) applies it below
``NARROW_BELOW`` px. Nothing here draws: it only says where things go.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from sciatica_edu.figures.patient import patient_titles
from sciatica_edu.figures.spine import inset_captions
from sciatica_edu.figures.style import PATIENT_BACK_DX, PATIENT_CAPTIONS

if TYPE_CHECKING:
    from sciatica_edu.figures.scene import Scene


#: Patient mode on a narrow screen (``_narrow_spec``): below this container width (CSS px) the views stack.
NARROW_BELOW = 700


#: ... and the narrowest figure it lays out; a narrower container scales that down whole (as ``fit_html`` does).
NARROW_MIN = 300


NARROW_MARGIN = {"l": 6, "r": 6, "b": 8}


#: ... and the widest a stacked view gets (wider containers centre it): a view's height stays about a screen's.
NARROW_VIEW_MAX = 440


NARROW_TITLE_CHARS = 28  # a title line at 19 px bold in NARROW_MIN px


NARROW_CAPTION_CHARS = 44  # a caption line at 14 px


_LINE_PX = {19: 25, 14: 18}  # line heights plotly.js gives these font sizes (about 1.3 em)


def _wrap_html(text: str, chars: int, bold: bool = False) -> str:
    """Plain annotation text (``<br>`` breaks, optionally all bold) rewrapped to ``chars`` a line."""

    words = re.sub(r"</?b>", "", text).replace("<br>", " ")
    lines = textwrap.wrap(words, chars) or [""]
    return "</b><br><b>".join(lines).join(("<b>", "</b>")) if bold else "<br>".join(lines)


def _narrow_spec(scene: Scene) -> dict:
    """How the patient figure lays itself out in a narrow container (a phone), read by the page's script
    (``narrowLayout`` in ``static/figure-widget.js``, also inlined by :func:`fit_html`): the front view above
    the back one, each the full width, then the spine and the key; titles and captions wrapped to the width.

    ``bands`` run top to bottom: the y axes that share a band, the gap above it, its height as ``[px, per px
    of view width]`` (the body views keep their aspect; the spine and key a fixed size) and the annotation
    paths placed just below it (in paper units, as the wide figure places the spine's captions). ``edits``
    are relayout values that do not depend on the width. Nothing else moves: every other item is placed in
    its own axes, which move with their domains."""
    lay = scene.layout
    titles = patient_titles()
    title_ann = range(scene.titles, scene.titles + len(titles))
    caption_ann = range(scene.titles + len(titles), scene.titles + len(titles) + len(PATIENT_CAPTIONS))
    edits: dict[str, object] = {}
    title_lines = caption_lines = 1
    for i in title_ann:
        text = _wrap_html(lay["annotations"][i]["text"], NARROW_TITLE_CHARS, bold=True)
        title_lines = max(title_lines, text.count("<br>") + 1)
        edits[f"annotations[{i}].text"] = text
    for i in caption_ann:
        text = _wrap_html(lay["annotations"][i]["text"], NARROW_CAPTION_CHARS)
        caption_lines = max(caption_lines, text.count("<br>") + 1)
        edits[f"annotations[{i}].text"] = text
    title_shift = 6 + caption_lines * _LINE_PX[14] + 8
    # every word at the size this layout was made for: a figure whose text was enlarged afterwards (the session
    # view's, read across a desk) would not fit a phone's width; a wide screen gets the enlarged sizes back
    for i, a in enumerate(lay["annotations"]):
        if (a.get("font") or {}).get("size"):
            edits[f"annotations[{i}].font.size"] = a["font"]["size"]
    for i in title_ann:
        edits[f"annotations[{i}].yshift"] = title_shift
    # each view centred on its body, as wide as its half of the wide figure
    half = (lay["xaxis"]["range"][1] - lay["xaxis"]["range"][0]) / 2
    edits["xaxis.range"] = [-half, half]
    edits["xaxis4.range"] = [PATIENT_BACK_DX - half, PATIENT_BACK_DX + half]
    y0, y1 = lay["yaxis"]["range"]
    view = round((y1 - y0) / (2 * half), 4)  # a body view's height per pixel of width
    captions = [f"annotations[{scene.captions + k}].y" for k in range(len(inset_captions()))]
    return {
        "below": NARROW_BELOW,
        "min": NARROW_MIN,
        "margin": {**NARROW_MARGIN, "t": title_shift + title_lines * _LINE_PX[19] + 8},
        "view_max": NARROW_VIEW_MAX,
        "centre": ["xaxis", "xaxis4", "xaxis2", "xaxis3"],  # centred, at most NARROW_VIEW_MAX px wide
        "bands": [
            [["yaxis"], 24, [0, view], []],  # the gap: room for a two-line view heading (the session view's)
            [["yaxis4"], 36, [0, view], []],
            [["yaxis2"], 48, [300, 0], captions],  # the gap: the spine's heading
            [["yaxis3"], 96, [200, 0], []],  # the gap: the spine's captions (three lines), the key's heading
            [[], 78, [0, 0], []],  # room for the warning line under the key
        ],
        "edits": edits,
    }
