"""The live widgets, driven without a front-end: setting ``.value`` fires observers in the kernel."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from sciatica_edu import diagram, widgets
from sciatica_edu.facts import anatomy
from sciatica_edu.figures import plotlyjs
from sciatica_edu.figures.state import figure_dict, state_for
from sciatica_edu.figures.style import CLEAR
from sciatica_edu.model.scenario import Compression

L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.9)
S1_RIGHT = Compression("L5-S1", "paracentral", "right", 0.6)


def painted(fig) -> set[tuple[str, str]]:
    return {
        (t.meta[0], t.meta[1])
        for t in fig.data
        if isinstance(t.meta, (list, tuple)) and len(t.meta) == 3 and t.fillcolor != diagram.UNPAINTED
    }


def test_show_repaints_in_place_with_few_writes():
    d = widgets.BodyDiagram(L5_LEFT)
    fig = d.figure
    assert isinstance(fig, go.FigureWidget)
    assert fig.layout.width == diagram.WIDTH and fig.layout.autosize is False
    assert fig._config["displayModeBar"] is False
    d.show(S1_RIGHT)
    assert d.figure is fig  # same object: no new figure
    assert painted(fig) == painted(diagram.body_figure(S1_RIGHT))
    total = sum(len(v) for v in state_for(S1_RIGHT).props.values())
    assert 0 < d.writes < total  # only what differs
    d.show(S1_RIGHT)
    assert d.writes == 0
    assert "right side" in d.description.value.lower()


def test_show_matches_a_fresh_figure_for_every_dynamic_property():
    d = widgets.BodyDiagram()
    for c in (L5_LEFT, Compression("L4-L5", "central", "both", 0.95), None, S1_RIGHT):
        d.show(c)
        traces, layout = figure_dict(state_for(c, scene=d.scene), d.scene)  # the live figure, built afresh
        fresh = go.Figure(data=traces, layout=layout, skip_invalid=False)
        for i in diagram.dynamic_traces():
            live = {k: v for k, v in d.figure.data[i].to_plotly_json().items() if k != "uid"}
            assert live == fresh.data[i].to_plotly_json(), (c, i)
        # captions, warnings and key-spot highlights are layout items
        assert d.figure.layout.annotations == fresh.layout.annotations, c
        assert d.figure.layout.shapes == fresh.layout.shapes, c
        # the plain figure is the same picture: the same words, those it does not show left out (not transparent)
        plain = diagram.body_figure(c).layout.annotations
        assert [a.text for a in plain] == [a.text for a in fresh.layout.annotations], c
        assert [a.visible is False for a in plain] == [a.font.color == CLEAR for a in fresh.layout.annotations], c


def test_one_batch_per_show(monkeypatch):
    d = widgets.BodyDiagram(L5_LEFT)
    calls = []
    real = d.figure.plotly_update
    monkeypatch.setattr(d.figure, "plotly_update", lambda *a, **k: (calls.append(1), real(*a, **k)))
    d.show(S1_RIGHT)
    assert len(calls) == 1


def test_bad_input_raises_value_error():
    d = widgets.BodyDiagram()
    with pytest.raises(ValueError):
        d.show("L4-L5")
    with pytest.raises(ValueError, match="pain"):
        d.show(L5_LEFT, kinds=["itch"])
    with pytest.raises(ValueError):
        d.show_root("L9")
    with pytest.raises(ValueError):
        d.show_selection([("ear", "left")])
    with pytest.raises(ValueError):
        d.on_region_click("not callable")
    with pytest.raises(ValueError):
        widgets.ScenarioControls().set("L5")


def test_root_and_selection_and_clicks():
    d = widgets.BodyDiagram()
    d.show_root("L4")
    assert {r for r, _ in painted(d.figure)} >= set(anatomy.root("L4").dermatome)
    d.show_selection([("heel", "left")])
    assert painted(d.figure) == {("heel", "left")}
    clicked = []
    d.on_region_click(lambda region, side: clicked.append((region, side)))
    idx = next(i for i, t in enumerate(d.figure.data) if t.meta and list(t.meta) == ["big_toe", "right", "front"])
    d.handle_click(idx)
    d.handle_click(0)  # the outline is not a region
    assert clicked == [("big_toe", "right")]
    # the message the front-end sends for a click on a filled area (no point number)
    clicked.clear()
    heel = next(i for i, t in enumerate(d.figure.data) if t.meta and list(t.meta) == ["heel", "left", "back"])
    msg = {
        "event_type": "plotly_click",
        "points": {"xs": [1.0], "ys": [0.0], "point_indexes": [None], "trace_indexes": [heel]},
    }
    d.figure._handler_js2py_pointsCallback({"new": msg})
    assert clicked == [("heel", "left")]


def test_controls_defaults_set_and_observe():
    c = widgets.ScenarioControls()
    assert c.compression == Compression("L4-L5", "paracentral", "left", 0.6)
    assert c.kinds == ("pain", "tingling", "numbness", "weakness", "cramp")
    heard = []
    c.observe(heard.append)
    c.severity.value = 0.8
    assert heard[-1].severity == 0.8
    heard.clear()
    c.set(S1_RIGHT, kinds=["pain"])
    assert heard == [S1_RIGHT]  # one notification for a preset
    assert c.kinds == ("pain",)
    assert c.disc.description and c.zone.description and c.side.description and c.severity.description


def test_explore_wires_controls_to_the_diagram():
    e = widgets.explore()
    assert painted(e.diagram.figure) == painted(diagram.body_figure(e.controls.compression))
    e.controls.side.value = "right"
    assert {s for _, s in painted(e.diagram.figure)} == {"right"}
    e.controls.kind_boxes["pain"].value = False
    e.controls.kind_boxes["tingling"].value = False
    c = e.controls.compression
    want = {(s.region, s.side) for s in c.symptoms() if s.kind in ("numbness", "weakness", "cramp")}
    assert painted(e.diagram.figure) == want
    e.controls.set(L5_LEFT)
    assert ("dorsum_foot", "left") in painted(e.diagram.figure)


def test_body_diagram_draws_with_the_kits_slim_front_end():
    """The live figure keeps plotly.py's FigureWidget in Python but is drawn by the kit's own module on
    plotly.js basic (about 1.2 MB instead of plotly's 5 MB widget bundle); other FigureWidgets keep plotly's."""
    d = widgets.BodyDiagram()
    assert isinstance(d.figure, go.FigureWidget) and type(d.figure).__module__ == widgets.figure.__name__
    esm = d.figure._esm
    assert esm == widgets.figure_widget_code()
    assert f"plotly.js (basic) v{plotlyjs.bundle_version()}" in esm and "export default { initialize, render }" in esm
    assert len(esm) < 1_500_000 < len(go.FigureWidget()._esm)
    assert "_doNotReportToPy" not in esm  # the marker that made plotly.js recalculate every trace


def test_python_hears_when_an_edit_is_drawn():
    """The front-end answers each edit with empty trace and layout deltas carrying the edit's ids (after the
    paint); plotly.py then marks the edit done and runs on_edits_completed callbacks."""
    d = widgets.BodyDiagram(widgets.DEFAULT)
    fig = d.figure
    d.show(L5_LEFT)
    assert fig._trace_edit_in_process and fig._layout_edit_in_process
    done = []
    fig.on_edits_completed(lambda: done.append(True))
    assert not done
    fig._js2py_traceDeltas = {"trace_deltas": [], "trace_edit_id": fig._last_trace_edit_id}
    fig._js2py_layoutDelta = {"layout_delta": {}, "layout_edit_id": fig._last_layout_edit_id}
    assert not fig._trace_edit_in_process and not fig._layout_edit_in_process
    assert done == [True]


def test_each_figure_has_its_own_front_end_key():
    """The front-end keeps a figure's state (what a view opened later draws) under the figure's synced
    ``_sciatica_key``: anywidget gives every view its own model object, so the key is how views share it."""
    a, b = widgets.BodyDiagram(), widgets.BodyDiagram()
    keys = [d.figure.get_state()["_sciatica_key"] for d in (a, b)]
    assert all(isinstance(k, str) and len(k) == 32 for k in keys) and keys[0] != keys[1]
    assert "_sciatica_key" in widgets.figure_widget_code()


# ---- issue 13: severity in words, no central bulge on one side, the warning next to the picture -------------


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (0, "none"),
        (0.05, "mild"),
        (0.29, "mild"),
        (0.3, "moderate"),
        (0.65, "moderate"),
        (0.7, "strong"),
        (1, "strong"),
    ],
)
def test_severity_words(value, word):
    assert widgets.severity_words(value) == word


@pytest.mark.parametrize("bad", [float("nan"), -0.1, 1.5, "0.5", None])
def test_severity_words_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="from 0 to 1"):
        widgets.severity_words(bad)


def test_the_severity_word_follows_the_slider():
    c = widgets.ScenarioControls()
    assert "moderate" in c.severity_label.value  # the default 0.6
    c.severity.value = 0.0
    assert "none" in c.severity_label.value
    c.severity.value = 0.9
    assert "strong" in c.severity_label.value
    c.set(Compression(severity=0.1))
    assert "mild" in c.severity_label.value
    row = next(w for w in c.widget.children if c.severity in getattr(w, "children", ()))
    assert c.severity_label in row.children  # shown next to the slider


def test_a_central_bulge_shows_both_sides_and_restores_the_side_after():
    c = widgets.ScenarioControls()
    c.side.value = "right"
    heard = []
    c.observe(heard.append)
    c.zone.value = "central"
    assert c.side.value == "both" and c.side.disabled
    assert heard == [Compression("L4-L5", "central", "both", 0.6)]  # one notification, already consistent
    c.side.value = "left"  # even from code, a central bulge keeps both sides
    assert c.compression.side == "both"
    c.zone.value = "foraminal"
    assert c.side.value == "right" and not c.side.disabled  # the side chosen before comes back
    assert heard[-1] == Compression("L4-L5", "foraminal", "right", 0.6)
    assert all(h.zone != "central" or h.side == "both" for h in heard)


@pytest.mark.parametrize("side", ["left", "right", "both"])
def test_controls_never_yield_a_central_bulge_on_one_side(side):
    c = widgets.ScenarioControls(Compression("L5-S1", "paracentral", side, 0.5))
    c.zone.value = "central"
    assert c.compression.side == "both" and c.side.disabled
    c.side.value = side  # even from code, a central bulge stays on both sides
    assert c.compression.side == "both"
    c2 = widgets.ScenarioControls()
    heard = []
    c2.observe(heard.append)
    c2.set(Compression("L4-L5", "central", None, 0.8))
    assert heard == [Compression("L4-L5", "central", "both", 0.8)]
    c2.set(S1_RIGHT)  # leaving central through a preset gives the preset's side
    assert heard[-1] == S1_RIGHT and not c2.side.disabled


def test_warning_html_names_the_flags_and_what_to_do():
    from sciatica_edu.facts import redflags

    assert widgets.warning_html(None) == ""
    assert widgets.warning_html(Compression("L4-L5", "paracentral", "left", 0.6)) == ""
    both = widgets.warning_html(Compression("L4-L5", "paracentral", "both", 0.5))
    assert 'role="alert"' in both and redflags.red_flag("both_legs").label.lower() in both.lower()
    assert redflags.action("emergency").replace("&", "&amp;") in both
    weak = widgets.warning_html(Compression("L4-L5", "paracentral", "left", 0.95))
    assert redflags.red_flag("worsening_weakness").label.lower() in weak.lower()
    assert redflags.action("urgent").replace("&", "&amp;") in weak
    severe = widgets.warning_html(Compression("L4-L5", "central", "both", 0.95))
    for flag in ("both_legs", "saddle_numbness", "bladder_bowel_change"):
        assert redflags.red_flag(flag).label.lower() in severe.lower()
    us = widgets.warning_html(Compression("L4-L5", "central", "both", 0.95), locale="us")
    assert "911" in us and "999" not in us


def test_the_explorer_warning_sits_between_the_controls_and_the_picture():
    e = widgets.explore()
    assert list(e.children) == [e.controls.widget, e.warning, e.diagram.widget]
    assert e.warning.value == ""
    e.controls.side.value = "both"
    assert "sciatica in both legs" in e.warning.value
    e.controls.side.value = "left"
    assert e.warning.value == ""
    e.controls.zone.value = "central"
    e.controls.severity.value = 0.9
    assert "sciatica in both legs" in e.warning.value and "between the legs" in e.warning.value
    assert e.warning.layout.min_height  # room kept, so the picture does not jump when it appears
