"""The body diagram: views, regions, painting, inset, description and the static figure.

Expected paint is computed here from ``Compression.symptoms()`` with the rule the figure's key
states (colour from the strongest intensity, six equal steps), not copied from the figure.
"""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go
import pytest
import textstat

from sciatica_edu import diagram
from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.figures.paint import warning_lines
from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.spine import inset_captions
from sciatica_edu.figures.state import state_for
from sciatica_edu.model.scenario import Compression

L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.9)
#: What the patient figure paints on the skin: weakness is a movement label there, not a skin patch.
SKIN = ("pain", "tingling", "numbness", "cramp")


def region_traces(fig: go.Figure) -> dict[tuple[str, str, str], object]:
    """(view, region, side) -> trace, read from each region trace's ``meta``."""
    out = {}
    for t in fig.data:
        if isinstance(t.meta, (list, tuple)) and len(t.meta) == 3:
            rid, side, view = t.meta
            out[(view, rid, side)] = t
    return out


def painted(fig: go.Figure) -> set[tuple[str, str]]:
    return {(rid, side) for (_v, rid, side), t in region_traces(fig).items() if t.fillcolor != diagram.UNPAINTED}


def expected_colour(intensity: float) -> str:
    """Six equal intensity steps over the palette, milder to stronger (the key's rule)."""
    step = max(0, math.ceil(intensity * 6) - 1)
    return diagram.PALETTE[min(step, 5)]


def expected_paint(c: Compression, kinds=None) -> dict[tuple[str, str], str]:
    strongest: dict[tuple[str, str], float] = {}
    for s in c.symptoms():
        if kinds is None or s.kind in kinds:
            strongest[(s.region, s.side)] = max(strongest.get((s.region, s.side), 0), s.intensity)
    return {k: expected_colour(v) for k, v in strongest.items()}


@pytest.mark.parametrize("mode", diagram.MODES)
def test_both_views_and_every_region_on_both_sides(mode):
    fig = diagram.body_figure(mode=mode)
    traces = region_traces(fig)
    for r in anatomy.regions():
        for view in ("front", "back"):
            for side in anatomy.SIDES:
                assert ((view, r.id, side) in traces) == (view in r.views), (view, r.id, side)
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "FRONT" in texts and "BACK" in texts and "seen from behind" in texts
    if mode == "student":
        assert texts.count("LEFT") >= 3 and texts.count("RIGHT") >= 3  # both views and the inset
        assert "overlap and vary between people" in texts and "cannot diagnose" in texts
    else:  # the inset says the patient's side; each leg in each view says which leg it is (test_patient_figure)
        assert texts.count("LEFT") == 1 and texts.count("RIGHT") == 1


def test_figure_is_fixed_size_and_self_contained():
    fig = diagram.body_figure(L5_LEFT, width=900, height=650)
    assert (fig.layout.width, fig.layout.height, fig.layout.autosize) == (900, 650, False)
    assert fig.layout.template.layout.font.family  # template set on this figure only
    import plotly.io as pio

    assert pio.templates.default == "plotly"  # nothing global changed
    assert diagram.CONFIG["displayModeBar"] is False
    assert "http" not in fig.to_json().replace("http://www.w3.org", "")


def test_left_l5_paints_left_foot_and_nothing_on_the_right():
    fig = diagram.body_figure(L5_LEFT)
    got = painted(fig)
    assert ("dorsum_foot", "left") in got and ("big_toe", "left") in got
    assert not {p for p in got if p[1] == "right"}
    assert ("little_toe", "left") not in got  # little toe is S1, not L5


@pytest.mark.parametrize(("mode", "kinds"), [("student", None), ("patient", SKIN)])
def test_paint_colours_follow_the_symptoms(mode, kinds):
    for c in (L5_LEFT, Compression("L5-S1", "paracentral", "right", 0.5), Compression("L4-L5", "central", "both", 0.9)):
        fig = diagram.body_figure(c, mode=mode)
        want = expected_paint(c, kinds)
        for (_v, rid, side), t in region_traces(fig).items():
            assert t.fillcolor == want.get((rid, side), diagram.UNPAINTED), (c, rid, side)


def test_kind_patterns_and_kind_filter():
    c = L5_LEFT
    fig = diagram.body_figure(c, kinds=["numbness"])
    numb = {(s.region, s.side) for s in c.symptoms() if s.kind == "numbness"}
    assert painted(fig) == numb
    for (_v, rid, side), t in region_traces(fig).items():
        if (rid, side) in numb:
            assert t.fillpattern.shape == diagram.KIND_PATTERNS["numbness"] != ""
    pain_only = diagram.body_figure(c, kinds=["pain"])
    assert all(t.fillpattern.shape in ("", None) for t in region_traces(pain_only).values())


def test_hover_names_region_roots_and_what_happens():
    fig = diagram.body_figure(L5_LEFT)
    t = region_traces(fig)[("front", "dorsum_foot", "left")]
    # plotly.js labels a hovered fill with the trace's text, or else its name (style-level, so it is used)
    assert not t.text and "top of the foot" in t.name and "L5" in t.name and "numbness" in t.name
    assert t.hoveron == "fills" and t.hoverinfo == "text"
    quiet = region_traces(fig)[("back", "heel", "right")]
    assert "S1" in quiet.name and "nothing" in quiet.name


def _bulge_shown(trace) -> bool:
    return trace.fillcolor == diagram.BULGE and trace.line.color != diagram.CLEAR and trace.hoverinfo == "text"


def _inset(fig):
    return {t.name: t for t in fig.data if t.xaxis == "x2"}


def _marked_disc(traces) -> str:
    """The one disc drawn differently from all the others (its outline colour)."""
    colours = {t.name: t.line.color for t in traces if t.name and t.name.endswith(" disc")}
    counts = {c: list(colours.values()).count(c) for c in colours.values()}
    odd = [name for name, c in colours.items() if counts[c] == 1]
    assert len(odd) == 1, colours
    return odd[0]


def test_inset_marks_the_chosen_disc_and_compressed_roots():
    for c in (
        L5_LEFT,
        Compression("L5-S1", "foraminal", "right", 0.6),
        Compression("L3-L4", "paracentral", "left", 0.3),
    ):
        inset = _inset(diagram.body_figure(c))
        assert _marked_disc([t for t in inset.values()]) == f"{c.disc} disc"
        disc_ys = [y for y in inset[f"{c.disc} disc"].y if y is not None]
        bulges = [t for name, t in inset.items() if name.startswith("bulge") and _bulge_shown(t)]
        assert len(bulges) == 1
        bulge_ys = [y for y in bulges[0].y if y is not None]
        assert min(disc_ys) - 0.1 < sum(bulge_ys) / len(bulge_ys) < max(disc_ys) + 0.1
        hot = {name for name, t in inset.items() if t.line.color == diagram.ROOT_HIT}
        assert hot == {f"{r} {c.side}" for r in c.roots}
        # the bulge is on the patient's side: seen from behind, left is on the viewer's left
        xs = [x for x in bulges[0].x if x is not None]
        assert (sum(xs) / len(xs) < 0) == (c.side == "left")
        (caption,) = [t for t in _captions(diagram.body_figure(c)) if t in inset_captions()]
        assert c.disc in caption and all(r in caption for r in c.roots)


def test_root_territory_without_compression():
    fig = diagram.body_figure(root="S1")
    got = painted(fig)
    derm = set(anatomy.root("S1").dermatome)
    extra = {a.region for a in anatomy.root("S1").also_reported}
    assert {r for r, _ in got} == derm | extra
    assert {s for _, s in got} == {"left", "right"}


def test_selection_paints_exactly_the_pairs():
    fig = diagram.body_figure(selection=[("big_toe", "left"), ("heel", "right")])
    assert painted(fig) == {("big_toe", "left"), ("heel", "right")}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kinds": ["itch"]}, "pain, tingling"),
        ({"root": "L9"}, "L2"),
        ({"selection": [("ear", "left")]}, "lower_back"),
        ({"selection": [("heel", "middle")]}, "left, right"),
        ({"width": 10}, "width"),
    ],
)
def test_bad_input_names_the_allowed_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagram.body_figure(**kwargs)


def test_bad_compression_and_cause():
    with pytest.raises(ValueError, match="Compression"):
        diagram.body_figure("L4-L5")
    with pytest.raises(ValueError, match="disc_herniation"):
        diagram.spine_figure(cause="gout")
    with pytest.raises(ValueError):
        diagram.describe("L5")


def test_spine_figure_for_causes():
    causes = ("disc_herniation", "spinal_stenosis", "degenerative_disc", "spondylolisthesis", "bone_spur")
    for cause in causes:
        fig = diagram.spine_figure(cause=cause)
        chosen = _marked_disc(fig.data)
        from sciatica_edu.facts.loader import load_yaml

        entry = next(c for c in load_yaml("causes.yaml")["causes"] if c["id"] == cause)
        assert chosen == f"{entry['inset']['disc']} disc"
    piri = diagram.spine_figure(cause="piriformis")
    assert any("Not in the spine" in a.text for a in piri.layout.annotations)
    assert not any(_bulge_shown(t) for t in piri.data if t.name.startswith("bulge"))
    assert all(t.fillcolor == diagram.CLEAR and t.hoverinfo == "skip" for t in piri.data if t.name.startswith("bulge"))


def _described(text: str) -> set[tuple[str, str]]:
    labels = {r.label.capitalize(): r.id for r in anatomy.regions()}
    out, side = set(), None
    for line in text.splitlines():
        m = re.match(r"On the (left|right) side:", line)
        if m:
            side = m.group(1)
        elif line.startswith("- "):
            out.add((labels[line[2:].split(":")[0]], side))
    return out


@pytest.mark.parametrize(
    "c",
    [
        L5_LEFT,
        Compression("L5-S1", "paracentral", "right", 0.6),
        Compression("L4-L5", "foraminal", "left", 0.4),
        Compression("L4-L5", "central", "both", 0.95),
        Compression("L3-L4", "paracentral", "left", 0.1),
    ],
)
def test_describe_matches_the_figure_and_reads_easily(c):
    text = diagram.describe(c)
    # the words list every kind, weakness too: the student figure paints them all on the skin
    assert _described(text) == painted(diagram.body_figure(c, mode="student"))
    assert _described(text) >= painted(diagram.body_figure(c))  # the patient figure: weakness is a label
    if c.side == "left":
        assert "right" not in text.lower()
    assert "cannot diagnose" in text
    plain = text.replace("- ", "").replace(":\n", ".\n")
    assert textstat.flesch_kincaid_grade(plain) <= 7.0, textstat.flesch_kincaid_grade(plain)


def test_describe_says_what_to_do_for_red_flags():
    severe = Compression("L4-L5", "central", "both", 0.95)
    assert severe.red_flags()
    text = diagram.describe(severe)
    assert redflags.action("emergency") in text
    assert "Warning" not in diagram.describe(Compression("L4-L5", "paracentral", "left", 0.5))
    assert "<li>" in diagram.describe_html(severe) and 'role="alert"' in diagram.describe_html(severe)


def test_body_figure_stays_small():
    assert len(diagram.body_figure(L5_LEFT).to_json()) <= 300_000


def _sv(args: dict, trace: int, dyn: list[int], key: str):
    return args[key][dyn.index(trace)]


def test_static_figure_buttons_carry_the_right_restyle():
    fig = diagram.static_figure()
    assert len(fig.to_json()) <= 1_500_000
    traces = region_traces(fig)
    index = {
        (t.meta[0], t.meta[1], t.meta[2]): i
        for i, t in enumerate(fig.data)
        if isinstance(t.meta, (list, tuple)) and len(t.meta) == 3
    }
    menu = fig.layout.updatemenus[0]
    assert len(menu.buttons) == len(diagram.STATIC_SCENARIOS)
    for button, (label, disc, zone, side) in zip(menu.buttons, diagram.STATIC_SCENARIOS, strict=True):
        restyle, relayout, dyn = button.args
        c = Compression(disc, zone, side, 0.6)
        want = expected_paint(c, SKIN)
        for (rid, side2, _view), i in index.items():
            assert _sv(restyle, i, dyn, "fillcolor") == want.get((rid, side2), diagram.UNPAINTED), (label, rid, side2)
        # the slider is re-pointed to this scenario at every severity
        for j, (_, sev) in enumerate(diagram.STATIC_SEVERITIES):
            step_restyle, step_layout, step_dyn = relayout[f"sliders[0].steps[{j}].args"]
            assert step_layout == state_for(Compression(disc, zone, side, sev)).layout
            want_j = expected_paint(Compression(disc, zone, side, sev), SKIN)
            for (rid, side2, _view), i in index.items():
                assert _sv(step_restyle, i, step_dyn, "fillcolor") == want_j.get((rid, side2), diagram.UNPAINTED)
        if side == "left":
            assert all(
                _sv(restyle, i, dyn, "fillcolor") == diagram.UNPAINTED
                for (_r, s2, _v), i in index.items()
                if s2 == "right"
            )
    assert traces  # the figure itself is painted for its starting scenario


def test_static_figure_starts_at_the_given_scenario():
    c = Compression("L5-S1", "paracentral", "right", 0.9)
    fig = diagram.static_figure(c)
    assert diagram.STATIC_SCENARIOS[fig.layout.updatemenus[0].active][1:] == ("L5-S1", "paracentral", "right")
    assert diagram.STATIC_SEVERITIES[fig.layout.sliders[0].active][1] == 0.9
    assert painted(fig) == set(expected_paint(c, SKIN))
    with pytest.raises(ValueError):
        diagram.static_figure("L5")


def test_static_html_carries_the_words_of_every_state_it_can_show():
    """Without a kernel the words below the figure follow its menu and slider: the page holds every state's
    description, in the figure's state order (scenario-major, then severity), and starts with the figure's."""
    import json

    c = Compression("L5-S1", "paracentral", "right", 0.6)
    html = diagram.static_html(c)
    plot_id = re.search(r'<div id="(sciatica-static-[0-9a-f]+)"', html).group(1)
    start = html.index(f'<div id="{plot_id}-words" aria-live="polite">')
    assert html[start:].split(">", 1)[1].startswith(diagram.describe_html(c))
    script = html[html.index("<script>(function ()"):]
    assert "</script>" not in script[: script.index("})();</script>")]  # the words cannot end the script early
    words = json.loads(re.search(r"words = (\[.*?\]);\n", script).group(1).replace("<\\/", "</"))
    assert words == [diagram.describe_html(x) for x in diagram.static_compressions()]
    assert f"menu.active * {len(diagram.STATIC_SEVERITIES)} + slider.active" in script
    fig = diagram.static_figure(c)
    assert len(fig.layout.updatemenus[0].buttons) * len(fig.layout.sliders[0].steps) == len(words)


def test_static_restyle_reproduces_the_fresh_figure_exactly():
    """Applying a button's restyle must give the same traces as building that scenario afresh,
    so no property is reset by a null (plotly's restyle deletes properties given as null)."""
    fig = diagram.static_figure()
    for button, (_label, disc, zone, side) in zip(
        fig.layout.updatemenus[0].buttons, diagram.STATIC_SCENARIOS, strict=True
    ):
        restyle, relayout, dyn = button.args
        live = go.Figure(fig)
        live.plotly_restyle(restyle, dyn)
        live.plotly_relayout({k: v for k, v in relayout.items() if not k.startswith("sliders")})
        fresh = diagram.body_figure(Compression(disc, zone, side, 0.6))
        for i in range(len(fresh.data)):
            assert _pruned(live.data[i].to_plotly_json()) == fresh.data[i].to_plotly_json(), (disc, zone, side, i)
        # captions, warnings and key-spot highlights (layout items) follow too
        assert live.layout.shapes == fresh.layout.shapes
        assert [a.font.color for a in live.layout.annotations[: len(fresh.layout.annotations)]] == [
            a.font.color for a in fresh.layout.annotations
        ]


def _pruned(d: dict) -> dict:
    """Drop empty sub-objects left behind when a restyle resets a property to its default."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            v = _pruned(v)
            if not v:
                continue
        out[k] = v
    return out


def test_left_cases_never_mention_the_right_and_read_easily_everywhere():
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for sev in (0.0, 0.2, 0.5, 0.75, 1.0):
                for side in ("both",) if zone == "central" else ("left", "right"):
                    c = Compression(disc, zone, side, sev)
                    text = diagram.describe(c)
                    if side != "both":
                        other = "right" if side == "left" else "left"
                        assert other not in text.lower(), (c, text)
                    plain = text.replace("- ", "").replace(":\n", ".\n")
                    assert textstat.flesch_kincaid_grade(plain) <= 7.0, (c, textstat.flesch_kincaid_grade(plain))


def test_a_central_bulge_is_never_described_with_one_side():
    for disc in anatomy.DISCS:
        for sev in (0.3, 0.6, 0.9):
            text = diagram.describe(Compression(disc, "central", "both", sev)).lower()
            first = text.split("\n")[0]
            assert "in the middle" in first and "left side" not in first and "right side" not in first
            assert "on both sides" in first


@pytest.mark.parametrize("locale", ["uk", "us", "intl"])
def test_the_warning_comes_before_the_lists_of_areas(locale):
    """Ninth review: with both legs the lists run to about 40 lines, and the warning after them was the last thing
    a reader reached. It now follows the sentence that says what is pressed, in every locale."""
    for c in (Compression("L4-L5", "central", "both", 0.9), Compression("L5-S1", "paracentral", "left", 0.9)):
        lines = diagram.describe(c, locale=locale).split("\n")
        assert c.red_flags(), c
        first_list = next(i for i, line in enumerate(lines) if line.endswith(" side:"))
        warnings = [i for i, line in enumerate(lines) if line.startswith(("Warning:", "Note:"))]
        assert warnings and warnings[0] == 1 and max(warnings) < first_list, (locale, lines[:4])


def test_the_display_filter_never_changes_what_the_words_claim():
    c = Compression("L4-L5", "paracentral", "left", 0.8)
    full = diagram.describe(c)
    for kinds in ((), ("pain",), ("numbness", "weakness")):
        text = diagram.describe(c, kinds=kinds)
        assert "no leg symptoms" not in text
        assert [ln for ln in full.split("\n") if ln.startswith("- ")] == [
            ln for ln in text.split("\n") if ln.startswith("- ")
        ]
        assert "The picture shows only" in text
    with pytest.raises(ValueError, match="choose one of pain, tingling, numbness, weakness, cramp"):
        diagram.describe(c, kinds=["itch"])
    with pytest.raises(ValueError, match="symptom kinds must be a list or tuple"):
        diagram.describe_html(c, kinds="pain")


@pytest.mark.parametrize(
    ("locale", "says", "never"),
    [
        ("uk", ("A&E", "999"), ("911", "emergency room", "local emergency number")),
        ("us", ("911", "emergency room"), ("A&E", "999", "NHS", "GP")),
        ("intl", ("local emergency number",), ("A&E", "999", "911", "NHS", "GP")),
    ],
)
def test_words_and_warning_line_speak_for_one_locale(locale, says, never):
    severe = Compression("L4-L5", "central", "both", 0.9)
    text = diagram.describe(severe, locale=locale)
    line = [t for t in _captions(diagram.body_figure(severe, locale=locale), locale) if t in warning_lines(locale)]
    assert len(line) == 1
    line = [html.unescape(line[0].replace("<br>", " "))]
    for word in says:
        assert word in text and word in line[0], word
    for word in never:
        assert word not in text and word not in line[0], word


def test_figure_warns_when_the_example_has_red_flags():
    def warning(fig):
        shown = [t for t in _captions(fig) if t in warning_lines("uk")]
        assert len(shown) <= 1
        return shown[0] if shown else ""

    severe = Compression("L4-L5", "central", "both", 0.9)
    assert "Warning" in warning(diagram.body_figure(severe)) and "999" in warning(diagram.body_figure(severe))
    assert "A&amp;E" in warning(diagram.body_figure(severe))  # the whole UK action, not half of it
    assert warning(diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.5))) == ""
    assert warning(diagram.body_figure(root="S1")) == ""


#: Trace properties plotly.js 4.1 marks editType "style" (or "none": hoverinfo): restyling them repaints in
#: place. "text", "visible", "x", "y", "marker.size", the whole "marker" object and any array value of an
#: arrayOk property are "calc" (every trace recalculated and redrawn); the whole "line" object is "plot".
STYLE_LEVEL = {"fillcolor", "fillpattern", "name", "line.color", "hoverinfo"}


def test_scenario_changes_write_only_style_level_properties():
    severe, quiet = Compression("L4-L5", "central", "both", 0.95), Compression("L5-S1", "far_lateral", "right", 0)
    scenarios = (L5_LEFT, severe, quiet)
    cases = [state_for(c) for c in scenarios]
    cases += [state_for(None), state_for(root="S1"), state_for(selection=[("heel", "left")])]
    written = {k for st in cases for v in st.props.values() for k in v}
    assert written <= STYLE_LEVEL, written - STYLE_LEVEL
    # layout edits: colours of annotations and shapes only (editType "arraydraw": that item is redrawn)
    relaid = {re.sub(r"\[\d+\]", "[]", k) for st in cases for k in st.layout}
    assert relaid == {"annotations[].font.color", "shapes[].fillcolor"}, relaid
    static = diagram.static_figure()
    for step in static.layout.sliders[0].steps:
        assert set(step.args[0]) <= STYLE_LEVEL and step.method == "update"
        assert {re.sub(r"\[\d+\]", "[]", k) for k in step.args[1]} <= {"annotations[].font.color", "shapes[].fillcolor"}
    for button in static.layout.updatemenus[0].buttons:
        assert set(button.args[0]) <= STYLE_LEVEL


def _captions(fig, locale: str = "uk") -> list[str]:
    """Caption and warning annotations drawn in a visible colour (the rest are transparent)."""
    known = set(inset_captions()) | set(warning_lines(locale))
    return [a.text for a in fig.layout.annotations if a.text in known and a.font.color != diagram.CLEAR]


def test_every_caption_and_warning_the_figure_can_show_is_drawn():
    """Captions and warnings are precomputed annotations made visible by colour: each state shows exactly
    one caption (none without a scenario) and the warning its red flags call for."""
    labels, warnings = set(inset_captions()), set(warning_lines("uk"))
    assert len(labels) == len(inset_captions()) and len(warnings) == len(warning_lines("uk"))
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for sev in (0.0, 0.5, 0.85, 1.0):
                c = Compression(disc, zone, "both", sev)
                shown = _captions(diagram.body_figure(c))
                (caption,) = [t for t in shown if t in labels]
                assert caption.startswith(f"<b>{disc} disc</b>") and caption.endswith(", ".join(c.roots))
                assert len([t for t in shown if t in warnings]) == (1 if c.red_flags() else 0)
    assert _captions(diagram.body_figure()) == []
    (root_caption,) = _captions(diagram.body_figure(root="L4"))
    assert "L4 nerve root" in root_caption


def test_key_spots_of_the_compressed_roots_turn_black():
    """Student mode: the ISNCSCI key test spots of the pressed roots stand out (patient mode has none)."""
    scene = scene_for(mode="student")
    fig = diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.6), mode="student")  # L5, left
    spots = fig.layout.shapes[: len(scene.keypoint_roots)]  # the key-spot diamonds come first
    assert all(sh.xref == "x" and sh.xsizemode == "pixel" for sh in spots)
    black = [scene.keypoint_roots[k] for k, sh in enumerate(spots) if sh.fillcolor != diagram.CLEAR]
    assert black and set(black) == {("L5", "left")}
