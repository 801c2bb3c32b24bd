"""What presses on a nerve root, drawn: :func:`cause_figure`, the lower spine seen from the side with the cause itself.

Drawn from ``geometry.side``. The cause's own shapes (a bulge, a thick ligament, a spur, the slipped bone, the thin
disc) are orange AND hatched, so they stay apart from bone and disc in a black-and-white print; the pressed root is
thick and dark orange (in a narrowed canal, every nerve that passes the narrowing is orange instead: narrowing
squeezes several roots, not one); a dashed line shows the normal shape where the cause changed it. Each root leaves
through the exit opening below its own stem, drawn over the bone there (it runs outside the spine, nearer to you).
Words on the drawing are 16 px at its own size (480 px wide), so about 12 px where an exported page scales it to a
phone's width.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go

from sciatica_edu._errors import choose
from sciatica_edu.facts import anatomy, causes
from sciatica_edu.figures.style import BULGE, DISC, LABEL, ROOT_HIT, ROOT_IDLE, check_size, drawing_layout
from sciatica_edu.geometry.side import PEDICLE, ROOT_LEAVING, SHAPES, side_spine
from sciatica_edu.geometry.splines import _xy

__all__ = ["CAUSE_SIZE", "CAUSE_TEXT", "cause_figure"]

#: The drawing's own size in pixels (exported pages scale it down whole on a phone: ``fit_html``).
CAUSE_SIZE = (480, 680)
BONE, BONE_LINE = "#efe6d8", "#7a6a56"
SAC, SAC_LINE, NERVE = "rgba(255,233,150,0.95)", "#a88c1c", "#b8961e"
OUTLINE = "#333333"
ROOT_EDGE = "#5c4a10"  # a dark edge round a root where it leaves, so it stands out from the nerves behind it
FONT = 16

#: Per drawing: title, caption (what the picture shows, in plain words), and the words pointing at its parts.
CAUSE_TEXT: dict[str, dict[str, str]] = {
    "normal": {
        "title": "A healthy lower spine, seen from the side",
        "caption": "Discs sit between the bones. The nerves run down the canal<br>behind them, and each root leaves by "
                   "an opening at the side.",
    },
    "disc_herniation": {
        "title": "A bulging disc, seen from the side",
        "caption": "The soft centre of the L4-L5 disc bulges back (hatched)<br>and presses on a nerve root in the "
                   "canal. Dashed: the normal space.",
        "change": "bulging disc",
    },
    "spinal_stenosis": {
        "title": "A narrowed spinal canal, seen from the side",
        "caption": "At L4-L5 the disc bulges from the front and a thick ligament<br>from the back (hatched). The "
                   "nerves are squeezed. Dashed: normal.",
        "change": "thick ligament",
    },
    "degenerative_disc": {
        "title": "A worn disc, seen from the side",
        "caption": "The L5-S1 disc is thin (hatched), so L5 has sunk lower<br>and the opening for the L5 root is "
                   "smaller. Dashed: where L5 was.",
        "change": "thin, worn disc",
    },
    "spondylolisthesis": {
        "title": "A slipped bone, seen from the side",
        "caption": "The L4 bone (hatched) has slipped forward on L5.<br>This narrows the space for the nerves. "
                   "Dashed: where L4 should be.",
        "change": "L4 slipped forward",
    },
    "bone_spur": {
        "title": "A bone spur, seen from the side",
        "caption": "Spurs of extra bone (hatched) at L4-L5 and a thick joint<br>narrow the opening where the root "
                   "leaves. Dashed: the normal joint.",
        "change": "bone spurs",
    },
}


def _fill(paths, name: str, fill: str, line: str, width: float = 1.2, pattern: str = "", dash: str = "solid",
          hover: str = "") -> go.Scatter:
    x, y = _xy(paths)
    props = {"fillpattern": {"shape": pattern, "fgcolor": "#5a1e00", "size": 7, "solidity": 0.25}} if pattern else {}
    return go.Scatter(x=x, y=y, fill="toself", mode="lines", fillcolor=fill, name=name, showlegend=False,
                      line={"color": line, "width": width, "dash": dash}, hoverinfo="text" if hover else "skip",
                      hoveron="fills", text=hover or None, **props)


def _line(path, name: str, color: str, width: float, dash: str = "solid", hover: str = "") -> go.Scatter:
    x, y = _xy([path])
    return go.Scatter(x=x, y=y, mode="lines", name=name, showlegend=False, line={"color": color, "width": width,
                      "dash": dash}, hoverinfo="text" if hover else "skip", text=hover or None)


def _mid(path) -> tuple[float, float]:
    xs, ys = [p[0] for p in path], [p[1] for p in path]
    return (sum(xs) / len(xs), sum(ys) / len(ys))


def _pressed(cause: str, disc: str) -> set[str]:
    """The exiting roots the drawing marks as pressed: the roots ``data/discs.yaml`` gives for the cause's level and
    zone (its ``inset``), of those this drawing shows (L3 to L5)."""
    inset = causes.cause(cause).inset
    return set(anatomy.compressed_roots(inset.disc, inset.zone)) & {"L3", "L4", "L5"} if inset else set()


def cause_figure(cause: str = "normal", *, width: int = CAUSE_SIZE[0], height: int = CAUSE_SIZE[1]) -> go.Figure:
    """The lower spine (L3 to the sacrum) seen from the side, with the side openings and nerve roots drawn in,
    showing ``cause`` itself.

    ``cause``: ``"normal"`` or one of ``disc_herniation``, ``spinal_stenosis``, ``degenerative_disc``,
    ``spondylolisthesis``, ``bone_spur`` (``data/causes.yaml``), drawn at that cause's level (its ``inset.disc``).
    Front of the body on the left, back on the right; the cause is hatched, the pressed root thick (the squeezed
    nerves orange, in a narrowed canal), the normal shape dashed. Title and caption say what it shows;
    ``layout.meta.alt`` holds both as one text alternative."""
    choose(cause, SHAPES, "cause (the spine seen from the side)")
    check_size(width, height)
    shape, normal = side_spine(cause), side_spine("normal")
    text = CAUSE_TEXT[cause]
    squeezed = cause == "spinal_stenosis"  # a narrow canal squeezes all the nerves in it, not one root
    pressed = _pressed(cause, shape.disc) if shape.disc and not squeezed else set()
    traces = [_fill([shape.sac], "sac", SAC, SAC_LINE, 1.0, hover="the spinal canal, with the nerves in it")]
    traces += [_line(n, "nerve", NERVE, 1.6) for n in shape.nerves]
    for name, root in shape.roots.items():
        hit = name in pressed
        traces.append(_line(root, f"root {name}", ROOT_HIT if hit else ROOT_IDLE, 6.0 if hit else 3.0,
                            hover=f"{name} nerve root" + (", pressed" if hit else "")))
    for disc, poly in shape.ligaments.items():  # behind the bone at the side, but a thickened one shows past it
        thick = cause == "spinal_stenosis" and disc == shape.disc
        if not thick:
            traces.append(_fill([poly], f"ligament {disc}", "#d9cfa9", "#8a7a3a", 1.0, hover="a ligament"))
    slipped = cause == "spondylolisthesis"
    for name, poly in shape.bones.items():
        changed = slipped and name == f"body {shape.disc.split('-')[0]}"
        traces.append(_fill([poly], name, "#f3c9a8" if changed else BONE, BONE_LINE, 1.3,
                            pattern="/" if changed else "", hover=name.replace("body ", "").replace("arch ", "")))
    for disc, poly in shape.discs.items():
        worn = cause == "degenerative_disc" and disc == shape.disc
        traces.append(_fill([poly], f"disc {disc}", "#f3c9a8" if worn else DISC, "#4f7f99", 1.4,
                            pattern="/" if worn else "", hover=f"the {disc} disc"))
    # where a root leaves, it passes the side of the bone, nearer to you than the middle of the spine: drawn on top
    for name, root in shape.roots.items():
        hit = name in pressed
        traces.append(_line(root[-ROOT_LEAVING:], f"edge of root {name}", ROOT_EDGE, 8.5 if hit else 5.5))
        traces.append(_line(root[-ROOT_LEAVING:], f"root {name} leaving", ROOT_HIT if hit else ROOT_IDLE,
                            6.0 if hit else 3.5))
    if pressed:  # the pressed root on top along its whole path, so it shows where it is pressed
        traces += [t for t in traces if t.name.startswith("root ") and t.line.width > 5.0 and "leaving" not in t.name]
    for disc, poly in shape.ligaments.items():
        if cause == "spinal_stenosis" and disc == shape.disc:
            traces.append(_fill([poly], "thick ligament", "#f3c9a8", BULGE, 2.0, pattern="/",
                                hover="a ligament, thickened"))
    if squeezed:
        segs = _squeezed(shape)  # a dark edge under each, so they stay apart from the sac in black and white
        traces += [_line(seg, "edge of a squeezed nerve", ROOT_EDGE, 4.5) for seg in segs]
        traces += [_line(seg, "squeezed nerve", ROOT_HIT, 2.5, hover="nerves, squeezed") for seg in segs]
    for name, poly in shape.changes.items():  # the cause itself, on top of everything else
        edge = "#5a1e00" if name.startswith("spur") else BULGE  # extra bone: a dark edge, not a root's orange
        traces.append(_fill([poly], name, "#f3c9a8", edge, 2.0, pattern="/", hover=name))
    traces += _normal_outline(cause, shape, normal)
    ann = _labels(cause, shape, pressed)
    y0 = min(p[1] for p in shape.bones["sacrum"]) - 4.0
    layout = {
        **drawing_layout(width, height, font=FONT, title=f"<b>{escape(text['title'])}</b>"),
        "margin": {"l": 6, "r": 6, "t": 48, "b": 78},
        "xaxis": {"visible": False, "fixedrange": True, "range": [-72.0, 72.0]},
        "yaxis": {"visible": False, "fixedrange": True, "range": [y0, 34.0], "scaleanchor": "x"},
        "annotations": [*ann, {"x": 0.5, "y": 0.0, "xref": "paper", "yref": "paper", "yanchor": "top", "yshift": -6,
                               "text": text["caption"], "showarrow": False, "font": {"size": 15, "color": LABEL}}],
        "meta": {"sciatica_edu": "cause drawing", "cause": cause,
                 "alt": f"{text['title']}. {text['caption'].replace('<br>', ' ')}"},
    }
    return go.Figure(data=traces, layout=layout)


def _squeezed(shape) -> list[list[tuple[float, float]]]:
    """The nerves in the canal (the lines down the sac and the roots still in it) where they pass the narrowed
    level: between the stem of the bone above and the stem of the bone below, the exit opening's height."""
    upper = shape.disc.split("-")[0]
    below = ("L3", "L4", "L5", "S1")[("L3", "L4", "L5").index(upper) + 1]
    hi, lo = shape.frames[upper].at(0.0, PEDICLE[1])[1], shape.frames[below].at(0.0, PEDICLE[0])[1]
    lines = [*shape.nerves, *(root[:-ROOT_LEAVING] for root in shape.roots.values())]
    segs = [[p for p in line if lo <= p[1] <= hi] for line in lines]
    return [seg for seg in segs if len(seg) >= 2]


def _normal_outline(cause: str, shape, normal) -> list[go.Scatter]:
    """The normal shape, dashed, where the cause changed it."""
    if cause == "normal":
        return []
    upper = shape.disc.split("-")[0]
    if cause == "spondylolisthesis":
        paths = [normal.bones[f"body {upper}"]]
    elif cause == "degenerative_disc":  # the lower edge of the body above, where it was before it sank
        paths = [normal.bones[f"body {upper}"][4:8]]
    elif cause == "bone_spur":  # the joint piece of the arch below, before it thickened
        below = ("L3", "L4", "L5", "S1")[("L3", "L4", "L5").index(upper) + 1]
        paths = [normal.bones[f"arch {below}"][:6]]
    else:  # the normal canal's walls, near the level only
        mid = _mid(normal.discs[shape.disc])[1]
        n = (len(normal.sac) - 2) // 2
        sides = (normal.sac[:n], normal.sac[n + 1:-1])
        paths = [[p for p in side if abs(p[1] - mid) < 16.0] for side in sides]
    return [_line(p, "normal shape", OUTLINE, 1.6, dash="dash") for p in paths]


def _arrow(x: float, y: float, text: str, ax: float, ay: float, color: str = "#222") -> dict:
    return {"x": x, "y": y, "text": text, "ax": ax, "ay": ay, "axref": "x", "ayref": "y", "showarrow": True,
            "arrowhead": 2, "arrowwidth": 1.5, "arrowcolor": color, "font": {"size": FONT, "color": color},
            "bgcolor": "rgba(255,255,255,0.85)"}


def _labels(cause: str, shape, pressed: set[str]) -> list[dict]:
    """Level names in the bodies, plain words with arrows, and which side is the front."""
    ann = []
    for lv in ("L3", "L4", "L5"):
        x, y = _mid(shape.bones[f"body {lv}"])
        ann.append({"x": x, "y": y, "text": f"<b>{lv}</b>", "showarrow": False, "font": {"size": FONT},
                    "bgcolor": "rgba(255,255,255,0.85)"})
    sx, sy = shape.frames["S1"].at(-17.0, -24.0)
    ann.append({"x": sx, "y": sy, "text": "<b>sacrum</b>", "showarrow": False, "font": {"size": FONT}})
    ann.append({"x": 0.0, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "top",
                "text": "◀ <b>front</b> of the body", "showarrow": False, "font": {"size": FONT}})
    ann.append({"x": 1.0, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "right", "yanchor": "top",
                "text": "<b>back</b> ▶", "showarrow": False, "font": {"size": FONT}})
    top = shape.sac[0]
    ann.append(_arrow(top[0] + 7.0, top[1] - 6.0, "spinal canal", 52.0, 22.0))
    d = shape.discs["L3-L4"]
    ann.append(_arrow(d[4][0] + 2.0, d[4][1], "disc", -66.0, d[4][1] - 10.0))
    root = shape.roots["L3"][-1]
    ann.append(_arrow(root[0] + 1.0, root[1] + 1.0, "nerve root", -62.0, root[1] + 12.0))
    ox, oy = shape.frames["L3"].at(8.0, -23.5)  # the gap between the L3 and L4 stems, behind the L3 root
    ann.append(_arrow(ox, oy, "exit opening", 58.0, oy - 4.0))
    ann.append(_arrow(shape.frames["L4"].at(40.0, -12.0)[0], shape.frames["L4"].at(40.0, -12.0)[1], "bone", 66.0,
                      shape.frames["L4"].at(40.0, -12.0)[1] - 14.0))
    if cause == "normal":
        return ann
    change = CAUSE_TEXT[cause]["change"]
    upper = shape.disc.split("-")[0]
    if cause == "spondylolisthesis":
        x, y = _mid(shape.bones[f"body {upper}"])
        ann.append(_arrow(x - 8.0, y - 6.0, change, -56.0, y - 22.0, LABEL))
    elif cause == "degenerative_disc":
        x, y = _mid(shape.discs[shape.disc])
        ann.append(_arrow(x - 8.0, y, change, -56.0, y - 30.0, LABEL))  # below the pressed root's label
    elif cause == "spinal_stenosis":
        x, y = _mid(shape.ligaments[shape.disc])
        ann.append(_arrow(x, y, change, 56.0, y - 18.0, LABEL))
        ann.append(_arrow(*_mid(shape.changes["bulge"]), "bulging disc", -58.0, y - 20.0, LABEL))
    else:
        name = "bulge" if "bulge" in shape.changes else "spur above"
        x, y = _mid(shape.changes[name])
        ann.append(_arrow(x, y, change, 56.0, y - 20.0, LABEL))
    if cause == "spinal_stenosis":
        x, y = _mid(shape.discs[shape.disc])
        seg = min(_squeezed(shape), key=lambda s: min(abs(p[1] - y) for p in s))
        p = min(seg, key=lambda q: abs(q[1] - y))
        ann.append(_arrow(p[0], p[1], "squeezed nerves", -52.0, p[1] - 30.0, ROOT_HIT))
    if pressed:
        name = sorted(pressed)[-1]
        p = shape.roots[name][-3]  # where it leaves the opening, past the back of the bone
        ann.append(_arrow(p[0], p[1], f"pressed {name} root", -52.0, p[1] - (4.0 if cause == "degenerative_disc"
                                                                             else 30.0), ROOT_HIT))
    return ann
