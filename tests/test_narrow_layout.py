"""The patient figure's narrow (phone) layout as data: the back view on axes of its own, side by side at the old
scale, and a narrow layout (``layout.meta.narrow``, ``figures.narrow._narrow_spec``) whose every edit names an item the
figure has. What a browser draws from it: tests/browser/test_phone_layout.py."""

from __future__ import annotations

import re

import pytest

from sciatica_edu import diagram
from sciatica_edu.figures import narrow, style
from sciatica_edu.model.scenario import Compression

L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.8)


def _resolve(layout: dict, path: str) -> object:
    """The value at a relayout path such as ``annotations[3].font.size`` (KeyError/IndexError if it is missing)."""
    d: object = layout
    for part in re.sub(r"\[(\d+)\]", r".\1", path).split("."):
        d = d[int(part)] if isinstance(d, list) else d[part]
    return d


def test_back_view_has_its_own_axes_and_the_wide_picture_keeps_its_scale():
    fig = diagram.body_figure(L5_LEFT).to_plotly_json()
    lay = fig["layout"]
    for t in fig["data"]:
        meta = t.get("meta")
        if isinstance(meta, list) and len(meta) == 3:
            want = ("x4", "y4") if meta[2] == "back" else ("x", "y")
            assert (t.get("xaxis"), t.get("yaxis")) == want, meta
    # the same pixels per unit in both views, side by side, as the one axis they replace
    per = [(lay[a]["range"][1] - lay[a]["range"][0]) / (lay[a]["domain"][1] - lay[a]["domain"][0])
           for a in ("xaxis", "xaxis4")]
    assert per[0] == pytest.approx(per[1], rel=1e-3)
    assert lay["xaxis"]["domain"][1] == lay["xaxis4"]["domain"][0]
    assert lay["yaxis4"]["range"] == lay["yaxis"]["range"] and lay["yaxis4"]["scaleanchor"] == "x4"
    # everything drawn on the back view is placed on its axes
    backs = [a for a in lay["annotations"] if a.get("xref") == "x4"]
    assert {a["text"] for a in backs} >= {"<b>BACK</b>: seen from behind", "<b>left</b><br>leg", "<b>right</b><br>leg"}
    assert all(a["x"] > diagram.PATIENT_BACK_DX - 2.4 for a in backs)
    assert all(a["x"] < diagram.PATIENT_BACK_DX / 2 for a in lay["annotations"] if a.get("xref") == "x")


@pytest.mark.parametrize("make", [lambda: diagram.body_figure(L5_LEFT), lambda: diagram.static_figure(L5_LEFT)])
def test_every_narrow_edit_names_an_item_the_figure_has(make):
    lay = make().to_plotly_json()["layout"]
    spec = lay["meta"]["narrow"]
    assert spec["min"] < spec["below"] and spec["view_max"] >= spec["min"]
    for path in spec["edits"]:
        head = path.rsplit(".", 1)[0]
        _resolve(lay, head)  # the item (and for nested keys its parent object) exists
    axes = [a for band in spec["bands"] for a in band[0]]
    assert axes == ["yaxis", "yaxis4", "yaxis2", "yaxis3"]  # front, back, spine, key: top to bottom
    assert all(f"{a}" in lay for a in spec["centre"] + axes)
    for band in spec["bands"]:
        for path in band[3]:
            assert _resolve(lay, path) == style.CAPTION_Y  # the spine's captions, placed below its band


def test_narrow_titles_and_captions_are_wrapped_and_every_word_keeps_its_size():
    lay = diagram.body_figure(L5_LEFT).to_plotly_json()["layout"]
    edits = lay["meta"]["narrow"]["edits"]
    texts = {int(re.search(r"\[(\d+)\]", k).group(1)): v for k, v in edits.items() if k.endswith(".text")}
    assert texts
    for i, text in texts.items():
        words = re.sub(r"</?b>", "", lay["annotations"][i]["text"]).replace("<br>", " ").split()
        lines = [re.sub(r"</?b>", "", line) for line in text.split("<br>")]
        assert " ".join(lines).split() == words  # the same words, only the line breaks differ
        assert max(len(line) for line in lines) <= narrow.NARROW_CAPTION_CHARS
    sizes = {int(re.search(r"\[(\d+)\]", k).group(1)): v for k, v in edits.items() if k.endswith(".font.size")}
    assert sizes == {i: a["font"]["size"] for i, a in enumerate(lay["annotations"]) if a["font"].get("size")}
    assert min(sizes.values()) >= 12


def test_student_figure_has_no_narrow_layout():
    lay = diagram.body_figure(L5_LEFT, mode="student").to_plotly_json()["layout"]
    assert "narrow" not in lay["meta"] and "xaxis4" not in lay


def test_fit_html_inlines_the_widget_code_narrow_layout_once():
    html = diagram.fit_html("<div></div>", 940, 850)
    assert html.count("function narrowLayout(") == 1 and html.count("function wideLayout(") == 1
    assert "/*NARROW*/" not in html and "export default" not in html  # only the plain functions
