"""Where the sciatic nerve runs, drawn: :func:`nerve_figure`, the five roots leaving the lower spine, joining in the
pelvis into the sciatic nerve, down the back of the thigh and splitting above the knee into two branches.

Page 02's core sections ("How five roots make the sciatic nerve", "Where the nerve runs and splits") had no picture
(fourth PEMAT-P review, item 15). Drawn from ``geometry.nerve`` (the back view's own outline and nerve lines, so it
agrees with the body picture). Black-and-white safe: the nerve is the body picture's dark indigo line on a light
body, thick where it is one nerve, thinner for the branches; where the shin branch runs on round the front of the
leg, it is dashed. Every word is 16 px or more at the drawing's own size (440 px wide): at least 12 px where an exported
page scales it to a phone's width (``fit_html``; 344 px on a 390 px phone, measured in
tests/browser/test_phone_layout.py).
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy
from sciatica_edu.figures.style import LINE, NERVE, SKIN, check_size, drawing_layout
from sciatica_edu.geometry.nerve import SIDES, nerve_path
from sciatica_edu.geometry.splines import _xy

__all__ = ["NERVE_ROOTS", "NERVE_SIZE", "NERVE_TEXT", "nerve_figure"]

#: The drawing's own size in pixels (exported pages scale it down whole on a phone: ``fit_html``).
NERVE_SIZE = (440, 868)
#: The roots that make the sciatic nerve, top to bottom, as page 02 says [S29c, S29d]; each is a root in data/.
NERVE_ROOTS = ("L4", "L5", "S1", "S2", "S3")
FONT = 16
BONE, BONE_LINE = "#efe6d8", "#7a6a56"
#: Title, caption and the plain words on the drawing (no nerve names a patient does not need: PEMAT-P item 4).
NERVE_TEXT = {
    "title": "The sciatic nerve, seen from behind",
    "caption": "Five nerve roots leave the lower spine and join to<br>make the sciatic nerve. It runs down the back of"
               "<br>the thigh and splits in two above the knee. This is<br>why a pressed root in the back is felt "
               "in the leg.",
    "nerve": "the sciatic nerve",
    "split": "it splits above<br>the knee",
    "calf": "branch to the calf<br>and sole",
    "shin": "branch to the shin<br>and top of the foot",
    "front": "dashed: at the<br>front of the leg",
    "roots": "nerve<br>roots",
    "spine": "lower<br>spine",
}


def _roots() -> tuple[str, ...]:
    """``NERVE_ROOTS`` in the order data/roots.yaml lists them, each checked to be a root there."""
    known = [r.name for r in anatomy.roots()]
    missing = [r for r in NERVE_ROOTS if r not in known]
    if missing:
        raise ValueError(f"roots {', '.join(missing)} are not in data/roots.yaml; it has {', '.join(known)}")
    return tuple(sorted(NERVE_ROOTS, key=known.index))


def _line(path, name: str, color: str, width: float, dash: str = "solid", hover: str = "") -> go.Scatter:
    x, y = _xy([path])
    return go.Scatter(x=x, y=y, mode="lines", name=name, showlegend=False, hoverinfo="text" if hover else "skip",
                      text=hover or None, line={"color": color, "width": width, "dash": dash})


def _fill(path, name: str, fill: str, line: str, width: float) -> go.Scatter:
    x, y = _xy([path])
    return go.Scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=fill, name=name, showlegend=False,
                      hoverinfo="skip", line={"color": line, "width": width})


def _arrow(x: float, y: float, text: str, ax: float, ay: float, **more) -> dict:
    return {"x": x, "y": y, "text": text, "ax": ax, "ay": ay, "axref": "x", "ayref": "y", "showarrow": True,
            "arrowhead": 2, "arrowwidth": 1.5, "arrowcolor": "#222", "font": {"size": FONT, "color": "#222"},
            "bgcolor": "rgba(255,255,255,0.85)", **more}


def _at(path, y: float) -> tuple[float, float]:
    """The point of ``path`` nearest to height ``y``."""
    return min(path, key=lambda p: abs(p[1] - y))


def nerve_figure(side: str = "right", *, width: int = NERVE_SIZE[0], height: int = NERVE_SIZE[1]) -> go.Figure:
    """The sciatic nerve of the patient's ``side`` leg ("left" or "right"), seen from behind: roots L4 to S3 leave
    the lower spine and join in the pelvis, the nerve runs through the buttock and down the back of the thigh and
    splits above the knee into the branch to the calf and sole and the branch to the shin and top of the foot.
    Title and caption say what it shows and why it matters; ``layout.meta.alt`` holds both as one text
    alternative, ``layout.meta.roots`` the roots drawn."""
    choose(side, SIDES, "side (which leg's nerve)")
    check_size(width, height)
    roots = _roots()
    g = nerve_path(side, roots)
    s = 1 if g.split[0] > 0 else -1  # the drawn leg's screen side: labels go on its outer side
    traces = [_fill(g.outline[0], "body", SKIN, LINE, 1.4)]
    traces += [_line(p, "fold", LINE, 1.0) for p in g.folds]
    traces += [_fill(p, f"bone {n}", BONE, BONE_LINE, 1.3) for n, p in g.bones.items()]
    traces += [_line(p, f"root {n}", NERVE, 2.6, hover=f"{n} nerve root") for n, p in g.roots.items()]
    traces.append(_line(g.nerve, "sciatic nerve", NERVE, 5.0, hover="the sciatic nerve"))
    traces.append(_line(g.calf, "branch to the calf and sole", NERVE, 3.0, hover="branch to the calf and sole"))
    traces.append(_line(g.shin, "branch to the shin and top of the foot", NERVE, 3.0,
                        hover="branch to the shin and top of the foot"))
    traces.append(_line(g.shin_front, "branch at the front of the leg", NERVE, 2.4, dash="dash"))
    ann = []
    for name, (_x, y) in g.exits.items():  # each root's name on the other side of the spine, level with its exit
        ann.append({"x": -s * 0.1, "y": y, "text": f"<b>{name}</b>", "showarrow": False, "xanchor": "right" if s > 0
                    else "left", "font": {"size": FONT, "color": "#222"}})
    top_exit = g.exits[roots[0]][1]
    ann.append({"x": -s * 0.5, "y": top_exit - 0.2, "text": NERVE_TEXT["roots"], "showarrow": False,
                "xanchor": "right" if s > 0 else "left", "font": {"size": FONT, "color": "#222"}})
    ann.append(_arrow(0.0, top_exit + 0.12, NERVE_TEXT["spine"], -s * 0.75, top_exit + 0.3))
    nx, ny = _at(g.nerve, 3.3)
    ann.append(_arrow(nx, ny, NERVE_TEXT["nerve"], s * 1.55, 3.55))
    sx, sy = g.split
    ann.append(_arrow(sx, sy, NERVE_TEXT["split"], s * 1.55, sy + 0.3))
    cx, cy = _at(g.calf, 1.2)
    ann.append(_arrow(cx, cy, NERVE_TEXT["calf"], s * 1.55, 0.85))
    fx, fy = _at(g.shin, 1.85)
    ann.append(_arrow(fx, fy, NERVE_TEXT["shin"], s * 1.6, 1.75))
    dx, dy = _at(g.shin_front, 0.9)
    ann.append(_arrow(dx, dy, NERVE_TEXT["front"], s * 1.55, 0.3))
    alt = f"{NERVE_TEXT['title']} ({side} leg). {NERVE_TEXT['caption'].replace('<br>', ' ')}"
    layout = {
        **drawing_layout(width, height, font=FONT, title=f"<b>{escape(NERVE_TEXT['title'])}</b><br>{side} leg"),
        "margin": {"l": 4, "r": 4, "t": 64, "b": 100},
        "xaxis": {"visible": False, "fixedrange": True, "range": [-1.0, 2.3] if s > 0 else [-2.3, 1.0]},
        "yaxis": {"visible": False, "fixedrange": True, "range": [-0.12, 5.4], "scaleanchor": "x"},
        "annotations": [*ann, {"x": 0.5, "y": 0.0, "xref": "paper", "yref": "paper", "yanchor": "top", "yshift": -6,
                               "text": NERVE_TEXT["caption"], "showarrow": False, "font": {"size": FONT}}],
        "meta": {"sciatica_edu": "nerve drawing", "side": side, "roots": list(roots), "alt": alt},
    }
    return go.Figure(data=traces, layout=layout)
