"""Patient mode of the body figure: what a patient needs from the picture (PEMAT-P review, issue 14).

No key test spots, a title saying what the picture shows and a line on how to read it, weakness as the movement
that may be weak (words and an arrow at the body part where it is noticed, not a skin patch), "left leg" / "right
leg" under each foot in both views, and three patterns that survive black-and-white print. Everything that changes
with the scenario is a layout item switched by colour (see ``figures.state``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from sciatica_edu.facts import anatomy
from sciatica_edu.figures.style import BACK_AXES, BACK_DX, CAVEAT, CLEAR, INK, PATIENT_BACK_DX, PATIENT_CAPTIONS
from sciatica_edu.geometry import body
from sciatica_edu.model.scenario import KINDS, SIDE_CHOICES, Compression
from sciatica_edu.model.words import NOTHING_TITLE, SELECTION_TITLE, WEAK_KEY_WORDS, compression_title, root_title

if TYPE_CHECKING:
    from sciatica_edu.figures.scene import Scene


#: The key's row for the "may be weak" arrow (in the key's axes, below its three pattern rows), and the colour of
#: the key's words.
KEY_ARROW_Y = 0.55
KEY_INK = "#222222"
#: An annotation in the key starts this many px left of its x, in line with the key's other words (a text trace).
KEY_TEXT_SHIFT = -3

_MOVE_SLOTS = {  # label heights (head heights) per movement: fixed, so labels never overlap each other
    "big_toe_extension": -0.6,
    "ankle_inversion": 0.35,
    "ankle_dorsiflexion": 1.3,
    "ankle_eversion": 2.25,
    "knee_extension": 3.2,
    "hip_flexion": 4.15,
    "ankle_plantarflexion": 0.6,
    "knee_flexion": 2.3,
    "hip_abduction": 4.45,
}


def _skin_kinds(kinds: tuple[str, ...] | None) -> tuple[str, ...]:
    """The kinds painted on the skin in patient mode: weakness is shown as movements instead."""
    return tuple(k for k in (KINDS if kinds is None else kinds) if k != "weakness")


@cache
def patient_titles() -> tuple[str, ...]:
    """Every title the patient figure can show (one annotation each, transparent but the current one)."""
    out: list[str] = []
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for severity in (0.0, 1.0):
                for side in ("both",) if zone == "central" else SIDE_CHOICES:
                    t = compression_title(Compression(disc, zone, side, severity))
                    if t not in out:
                        out.append(t)
    out += [root_title(r.name) for r in anatomy.roots()]
    return (*out, SELECTION_TITLE, NOTHING_TITLE)


def arrows_shown(compression: Compression | None, kinds: Iterable[str] | None = None) -> bool:
    """Whether the patient figure of ``compression`` (showing ``kinds``, default all) draws any "may be weak"
    arrow: its key, its caption and the handout's "How to read it" name the arrows only then (issue 14)."""
    if compression is None or (kinds is not None and "weakness" not in tuple(kinds)):
        return False
    return bool(compression.weak_movements()) and bool(compression.sides)


def patient_title(
    compression: Compression | None = None,
    *,
    root: str | None = None,
    selection: Iterable[tuple[str, str]] | None = None,
    kinds: Iterable[str] | None = None,
) -> tuple[str, str]:
    """The patient figure's title and how-to-read caption (plain text with ``<br>``) for what it shows; the
    caption speaks of arrows only when ``compression`` (showing ``kinds``) has some, and points to the ⚠ line
    instead of "tell your doctor or physio" when the example has a warning sign (both legs, worse weakness)."""
    if compression is not None:
        caption = "compression" if arrows_shown(compression, kinds) else "compression_no_arrows"
        if compression.red_flags():
            caption = caption.replace("compression", "compression_warning")
        return compression_title(compression), PATIENT_CAPTIONS[caption]
    if root is not None:
        return root_title(anatomy.root(root).name), PATIENT_CAPTIONS["root"]
    if selection is not None:
        return SELECTION_TITLE, PATIENT_CAPTIONS["selection"]
    return NOTHING_TITLE, PATIENT_CAPTIONS["nothing"]


def _patient_layout(layout: dict) -> None:
    """Turn the shared layout into the patient one: the back view moved right, the "patient's LEFT/RIGHT"
    notes beside the legs dropped (``_leg_labels`` put "left leg"/"right leg" under each foot instead), the
    disclaimer moved into the caption under the title, room at the top for the title."""
    shift = PATIENT_BACK_DX - BACK_DX
    keep = []
    for a in layout["annotations"]:
        if a.get("text") == CAVEAT:
            continue
        if a.get("xref") == "x2 domain" and str(a.get("text", "")).startswith("patient's"):
            # the spine's side notes go to its top corners: the caption under the sacrum can be long
            a = {**a, "y": 1.0, "yanchor": "top"}
        if a.get("xref") == "x":
            if str(a.get("text", "")).startswith("patient's"):
                continue
            if a["x"] > BACK_DX - 1.6:  # the back view's heading and pointers: on the back view's axes
                a = {**a, "x": round(a["x"] + shift, 3), "xref": BACK_AXES[0], "yref": BACK_AXES[1]}
        keep.append(a)
    layout["annotations"] = keep
    # the front view on x/y, the back view on x4/y4, side by side: together the old single axis's range and
    # domain, split at the middle between the views (the same scale, so the picture is as before)
    x0, x1, mid = -2.4, PATIENT_BACK_DX + 2.4, PATIENT_BACK_DX / 2
    d0, d1 = layout["xaxis"]["domain"]
    split = round(d0 + (d1 - d0) * (mid - x0) / (x1 - x0), 4)
    layout["xaxis"].update(range=[x0, mid], domain=[d0, split])
    layout["xaxis4"] = {**layout["xaxis"], "range": [mid, x1], "domain": [split, d1]}
    layout["xaxis3"]["domain"] = [0.7, 1.0]  # room for the key's longer words
    layout["yaxis"]["range"] = [-1.7, 8.7]
    layout["yaxis4"] = {**layout["yaxis"], "scaleanchor": BACK_AXES[0]}
    layout["margin"] = {**layout["margin"], "t": 96, "b": 10}
    layout["meta"] = {**layout["meta"], "mode": "patient"}


def _region_anchor(view: str, region_id: str, side: str, dx: float) -> tuple[float, float]:
    """A point inside a region (the middle of its largest outline's bounding box), shifted ``dx``."""
    paths = body.view(view).regions[(region_id, side)]
    path = max(paths, key=len)
    xs = [x for x, _ in path]
    ys = [y for _, y in path]
    return round((min(xs) + max(xs)) / 2 + dx, 3), round((min(ys) + max(ys)) / 2, 3)


def _move_keys() -> list[tuple[str, str]]:
    """(movement id, side) for every movement label the patient figure can show."""
    return [(m.id, side) for m in anatomy.movements() for side in anatomy.SIDES]


def move_view(movement_id: str) -> str:
    """The view that shows where a movement's weakness is noticed (the front one when both do)."""
    where = anatomy.movement(movement_id).noticed_at
    return "front" if (where, "left") in body.view("front").regions else "back"


def _wrap2(text: str) -> str:
    """Break a label into two lines of about equal length (at a space)."""
    words = text.split()
    if len(words) < 2:
        return text
    best = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "<br>" + " ".join(words[best:])


def _move_label(movement_id: str) -> str:
    return "may be weak:<br><b>" + _wrap2(anatomy.movement(movement_id).label).replace("<br>", "</b><br><b>") + "</b>"


def _arrow_path(x0: float, y0: float, x1: float, y1: float, width: float = 0.03, head: float = 0.14) -> str:
    """A filled arrow from (x0, y0) to (x1, y1) as an SVG path in data units (a filled shape: its colour is a
    style-only edit, like every other item that changes with the scenario)."""
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    px, py = -uy, ux
    bx, by = x1 - ux * head, y1 - uy * head
    w, hw = width / 2, head * 0.45
    pts = [
        (x0 + px * w, y0 + py * w),
        (bx + px * w, by + py * w),
        (bx + px * hw, by + py * hw),
        (x1, y1),
        (bx - px * hw, by - py * hw),
        (bx - px * w, by - py * w),
        (x0 - px * w, y0 - py * w),
    ]
    return "M" + "L".join(f"{x:.3f},{y:.3f}" for x, y in pts) + "Z"


def _move_items(movement_id: str, side: str) -> tuple[dict, dict]:
    """The label annotation and the arrow shape of one movement on one side, both transparent."""
    view = move_view(movement_id)
    dx = 0.0 if view == "front" else PATIENT_BACK_DX
    sign = body.screen_sign(view, side)
    y = _MOVE_SLOTS[movement_id]
    gap = 0.72 if y < 2.0 else 0.98 if y < 3.4 else 1.22  # just outside the leg (and the hand, higher up)
    lx = round(dx + sign * gap, 3)
    tx, ty = _region_anchor(view, anatomy.movement(movement_id).noticed_at, side, dx)
    xref, yref = ("x", "y") if view == "front" else BACK_AXES
    label = {
        "x": lx,
        "y": y,
        "xref": xref,
        "yref": yref,
        "text": _move_label(movement_id),
        "showarrow": False,
        "xanchor": "left" if sign > 0 else "right",
        "yanchor": "middle",
        "align": "left" if sign > 0 else "right",
        "font": {"size": 12, "color": CLEAR},
    }
    arrow = {
        "type": "path",
        "xref": xref,
        "yref": yref,
        "path": _arrow_path(lx - sign * 0.04, y, tx, ty),
        "fillcolor": CLEAR,
        "line": {"width": 0},
        "layer": "above",
    }
    return label, arrow


def _leg_labels() -> list[dict]:
    """ "left leg" / "right leg" under each foot in both views: the back view is not a mirror to misread."""
    out = []
    for view, dx in (("front", 0.0), ("back", PATIENT_BACK_DX)):
        for side in anatomy.SIDES:
            out.append(
                {
                    "x": round(dx + body.screen_sign(view, side) * 0.42, 3),
                    "y": -0.9,
                    "xref": "x" if view == "front" else BACK_AXES[0],
                    "yref": "y" if view == "front" else BACK_AXES[1],
                    "text": f"<b>{side}</b><br>leg",
                    "showarrow": False,
                    "xanchor": "center",
                    "yanchor": "top",
                    "font": {"size": 14, "color": "#222"},
                }
            )
    return out


def _title_annotations() -> list[dict]:
    """Every title, then every caption, all transparent (``_patient_state`` shows one of each)."""
    common = {"x": 0.0, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom",
              "showarrow": False, "align": "left"}
    out = [{**common, "text": f"<b>{escape(t)}</b>", "yshift": 46, "font": {"size": 19, "color": CLEAR}}
           for t in patient_titles()]
    out += [{**common, "text": c, "yshift": 6, "font": {"size": 14, "color": CLEAR}} for c in PATIENT_CAPTIONS.values()]
    return out


def _add_patient_items(scene: Scene) -> None:
    """Append the patient mode's titles, captions, movement labels and arrows and leg labels to a scene."""
    ann = scene.layout["annotations"]
    shapes = scene.layout["shapes"]
    scene.titles = len(ann)
    ann += _title_annotations()
    scene.move_keys = _move_keys()
    scene.moves = len(ann)
    scene.move_shapes = len(shapes)
    for mid, side in scene.move_keys:
        label, arrow = _move_items(mid, side)
        ann.append(label)
        shapes.append(arrow)
    ann += _leg_labels()
    # the key's arrow sample and its words (in the key's own axes), transparent: shown only when an arrow is drawn
    scene.key_arrow = len(ann)
    ann.append({"x": 0.85, "y": KEY_ARROW_Y, "xref": "x3", "yref": "y3", "text": WEAK_KEY_WORDS, "showarrow": False,
                "xanchor": "left", "yanchor": "middle", "xshift": KEY_TEXT_SHIFT, "font": {"size": 13, "color": CLEAR}})
    scene.key_arrow_shape = len(shapes)
    shapes.append(
        {"type": "path", "xref": "x3", "yref": "y3",
         "path": _arrow_path(0.0, KEY_ARROW_Y, 0.7, KEY_ARROW_Y, 0.05, 0.22), "fillcolor": CLEAR, "line": {"width": 0}}
    )


def _patient_state(
    scene: Scene,
    compression: Compression | None,
    kinds: tuple[str, ...] | None,
    root: str | None,
    selection: Iterable[tuple[str, str]] | None,
) -> dict[str, object]:
    """Relayout colours for the patient items: the current title and caption, the weak movements' labels."""
    title, caption = patient_title(compression, root=root, selection=selection, kinds=kinds)
    out: dict[str, object] = {}
    titles = patient_titles()
    for k, text in enumerate(titles):
        out[f"annotations[{scene.titles + k}].font.color"] = INK if text == title else CLEAR
    for k, text in enumerate(PATIENT_CAPTIONS.values()):
        out[f"annotations[{scene.titles + len(titles) + k}].font.color"] = "#333333" if text == caption else CLEAR
    weak: set[str] = set()
    sides: tuple[str, ...] = ()
    if compression is not None and (kinds is None or "weakness" in kinds):
        weak, sides = set(compression.weak_movements()), compression.sides
    for k, (mid, side) in enumerate(scene.move_keys):
        on = mid in weak and side in sides
        out[f"annotations[{scene.moves + k}].font.color"] = INK if on else CLEAR
        out[f"shapes[{scene.move_shapes + k}].fillcolor"] = INK if on else CLEAR
    arrows = arrows_shown(compression, kinds)
    out[f"annotations[{scene.key_arrow}].font.color"] = KEY_INK if arrows else CLEAR
    out[f"shapes[{scene.key_arrow_shape}].fillcolor"] = INK if arrows else CLEAR
    return out
