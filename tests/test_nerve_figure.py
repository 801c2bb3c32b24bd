"""The sciatic nerve's path, drawn (``diagram.nerve_figure``, ``geometry.nerve``), and page 02's pictures.

The fourth PEMAT-P review found 02's core sections ("How five roots make the sciatic nerve", "Where the nerve runs
and splits") without a picture, and the same L5 body picture twice in a row under "See a pressed root". These tests
check the drawing's words, that its clinical content (which roots, where it splits) is the one 02's cited text gives,
that bad input is refused, and that page 02 shows each picture once.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import ipywidgets
import nbformat
import plotly.graph_objects as go
import pytest

from sciatica_edu import diagram
from sciatica_edu.facts import anatomy
from sciatica_edu.geometry import nerve
from sciatica_edu.geometry.body import screen_sign
from sciatica_edu.pages.prelude import _descendants

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02-the-sciatic-nerve.ipynb"


def _words(fig: go.Figure) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", a.text).split()) for a in fig.layout.annotations]


def _markdown() -> str:
    return "\n".join(c.source for c in nbformat.read(str(NOTEBOOK), as_version=4).cells if c.cell_type == "markdown")


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_drawing_names_the_roots_the_nerve_and_its_two_branches_in_plain_words(side):
    fig = diagram.nerve_figure(side)
    words = _words(fig)
    for label in ("the sciatic nerve", "branch to the calf and sole", "branch to the shin and top of the foot",
                  "it splits above the knee", "nerve roots", "lower spine"):
        assert label in words, (label, words)
    assert [w for w in words if w in diagram.NERVE_ROOTS] == list(diagram.NERVE_ROOTS)
    assert "The sciatic nerve, seen from behind" in fig.layout.title.text and f"{side} leg" in fig.layout.title.text
    caption = words[-1]
    assert "This is why a pressed root in the back is felt in the leg." in caption
    alt = fig.layout.meta["alt"]
    assert alt.startswith("The sciatic nerve, seen from behind") and caption in alt
    # no nerve names a patient does not need (item 4): the branches are described, not named
    assert not re.search(r"tibial|fibular|peroneal", json.dumps(fig.to_plotly_json()), re.I)


def test_the_roots_drawn_are_roots_in_the_data_in_their_order_and_the_ones_02_cites():
    known = [r.name for r in anatomy.roots()]
    roots = diagram.nerve_figure().layout.meta["roots"]
    assert roots == list(diagram.NERVE_ROOTS) == ["L4", "L5", "S1", "S2", "S3"]
    assert [known.index(r) for r in roots] == sorted(known.index(r) for r in roots)
    sentence = "It is made from five roots that join together: L4, L5, S1, S2 and S3 [S29c]."
    assert sentence in _markdown()
    assert re.findall(r"\b[LS]\d\b", sentence) == roots


def test_five_roots_leave_the_spine_top_to_bottom_and_join_where_the_nerve_starts():
    g = nerve.nerve_path("right")
    assert list(g.roots) == list(diagram.NERVE_ROOTS)
    starts = [g.roots[r][0] for r in g.roots]
    assert [y for _, y in starts] == sorted((y for _, y in starts), reverse=True)  # L4 highest, S3 lowest
    spine_x = max(abs(x) for p in g.bones.values() for x, _ in p)
    assert all(abs(x) <= spine_x for x, _ in starts)  # each leaves at the side of the spine
    ends = {g.roots[r][-1] for r in g.roots}
    assert ends == {g.nerve[0]}  # all five meet at one point, where the nerve begins


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_nerve_runs_down_the_back_of_its_own_thigh_and_splits_above_the_knee(side):
    g = nerve.nerve_path(side)
    sign = screen_sign("back", side)
    legs = [*g.nerve[1:], *g.calf, *g.shin, *g.shin_front]
    assert all(sign * x > 0 for x, _ in legs)  # on the chosen leg's side of the body, seen from behind
    knee_crease = g.folds[2][0][1]
    buttock_fold = min(y for _, y in g.folds[0])
    assert knee_crease < g.split[1] < buttock_fold  # it splits above the knee, below the buttock
    assert g.calf[0] == g.shin[0] == g.split
    assert min(y for _, y in g.calf) < 0.5  # the calf branch goes on down to the heel and sole
    assert g.shin_front[0] == g.shin[-1] and g.shin[-1][1] < knee_crease  # round the outer knee, then the front
    # the shin branch goes out to the side of the leg, the calf branch stays towards the middle
    assert sign * g.shin[-1][0] > sign * g.calf[len(g.calf) // 2][0]


def test_the_figure_draws_every_piece_of_the_geometry():
    fig, g = diagram.nerve_figure("left"), nerve.nerve_path("left")
    names = [t.name for t in fig.data]
    assert [n for n in names if n.startswith("root ")] == [f"root {r}" for r in diagram.NERVE_ROOTS]
    drawn = {t.name: list(zip(t.x, t.y, strict=True)) for t in fig.data}
    def rounded(path):  # _xy writes 3 decimals
        return [(round(x, 3), round(y, 3)) for x, y in path]

    assert rounded(drawn["sciatic nerve"]) == rounded(g.nerve)
    assert rounded(drawn["branch to the calf and sole"]) == rounded(g.calf)
    dashed = [t for t in fig.data if t.line.dash == "dash"]
    assert [t.name for t in dashed] == ["branch at the front of the leg"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"side": "middle"}, "choose one of"),
        ({"side": None}, "choose one of"),
        ({"width": 10}, "width must be a whole number of pixels from 300 to 4000"),
        ({"width": True}, "width must be a whole number"),
        ({"height": "tall"}, "height must be a whole number"),
    ],
)
def test_bad_input_is_refused_with_the_allowed_values(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        diagram.nerve_figure(**kwargs)
    if "side" in kwargs:
        assert "left" in str(info.value) and "right" in str(info.value)


def test_the_geometry_refuses_a_wrong_number_of_roots():
    with pytest.raises(ValueError, match="room for 5 roots"):
        nerve.nerve_path("right", ("L4", "L5"))


def test_words_stay_at_least_12_px_when_a_phone_scales_the_drawing_down():
    """The exported page scales a fixed-size figure to its width (``fit_html``): at 390 px the page leaves at least
    344 px (measured; tests/browser/test_phone_layout.py measures the words in a real browser)."""
    fig = diagram.nerve_figure()
    smallest = min([a.font.size for a in fig.layout.annotations] + [fig.layout.title.font.size])
    assert smallest * 344 / fig.layout.width >= 12.0


# ---------------------------------------------------------------- page 02's pictures


def _displayed(cell_source: str, namespace: dict) -> object:
    """Run a code cell as IPython would and return its displayed value (its last expression's), or None."""
    tree = ast.parse(cell_source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def _figures_on_page_02() -> list[dict]:
    namespace: dict = {}
    shown = []
    for cell in nbformat.read(str(NOTEBOOK), as_version=4).cells:
        if cell.cell_type == "code":
            value = _displayed(cell.source, namespace)
            for obj in _descendants(value) if isinstance(value, ipywidgets.Widget) else [value]:
                if isinstance(obj, go.Figure | go.FigureWidget):
                    shown.append(obj.to_plotly_json())
    return shown


def test_page_02_shows_no_picture_twice_and_one_body_picture():
    shown = _figures_on_page_02()
    kinds = [(f["layout"].get("meta") or {}).get("sciatica_edu", "") for f in shown]
    assert sum("body diagram" in k for k in kinds) == 1, kinds  # "See a pressed root": once, not twice
    assert kinds.count("nerve drawing") == 1, kinds
    as_text = [json.dumps(f, sort_keys=True, default=str) for f in shown]
    assert len(set(as_text)) == len(as_text)


def test_the_two_check_helpers_can_fail():
    """A page that showed the body picture twice (plain and in the explorer) would be caught."""
    namespace: dict = {}
    _displayed("from sciatica_edu import diagram, widgets\nfrom sciatica_edu.scenario import Compression", namespace)
    example = "Compression(disc='L4-L5', zone='paracentral', side='left', severity=0.6)"
    plain = _displayed(f"diagram.body_figure({example})", namespace)
    explorer = _displayed(f"widgets.explore({example})", namespace)
    kinds = [(o.layout.meta or {}).get("sciatica_edu", "") for o in [plain, *_descendants(explorer)]
             if isinstance(o, go.Figure | go.FigureWidget)]
    assert sum("body diagram" in k for k in kinds) == 2


def test_02_describes_the_branches_without_their_names_and_07_keeps_the_names_with_sources():
    text = _markdown()
    assert not re.search(r"tibial|fibular|peroneal", text, re.I)
    assert "the branch to the calf and sole" in text and "the branch to the shin and top of the foot" in text
    student = "\n".join(c.source for c in nbformat.read(str(NOTEBOOK.with_name("07-clinical-patterns.ipynb")),
                                                          as_version=4).cells if c.cell_type == "markdown")
    named = next(line for line in student.splitlines() if "**tibial nerve**" in line)
    assert "**common fibular (peroneal) nerve**" in named and "[S29, S29c, S29g]" in named
