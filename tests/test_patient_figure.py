"""The patient look of the body figure (issue 14, PEMAT-P review): no key test spots or "ISNCSCI", a title that
says what the picture shows and a caption on how to read it, weakness as movements that may be weak (not a skin
patch), "left leg" / "right leg" on each leg in both views, and three fill patterns.

Expected values come from the data (``Compression.weak_movements()``, ``anatomy.movement``, the body geometry),
not from the figure.
"""

from __future__ import annotations

import html
import re

import pytest

from sciatica_edu import diagram, widgets
from sciatica_edu.facts import anatomy
from sciatica_edu.figures.patient import arrows_shown, move_view, patient_titles
from sciatica_edu.figures.scene import scene_for
from sciatica_edu.figures.state import state_for
from sciatica_edu.geometry import body
from sciatica_edu.model.scenario import Compression

L5_LEFT = Compression("L4-L5", "paracentral", "left", 0.8)
S1_RIGHT = Compression("L5-S1", "paracentral", "right", 0.8)
CENTRAL = Compression("L4-L5", "central", "both", 0.9)
EVERY_PICTURE = [
    {"compression": L5_LEFT},
    {"compression": S1_RIGHT},
    {"compression": CENTRAL},
    {"root": "L5"},
    {"selection": [("heel", "left")]},
    {},
]


def shown(fig, texts) -> list[str]:
    """Annotations among ``texts`` drawn in a visible colour (the others are transparent)."""
    return [a.text for a in fig.layout.annotations if a.text in texts and a.font.color != diagram.CLEAR]


def titles(fig) -> list[str]:
    return [
        html.unescape(re.sub(r"</?b>", "", t))
        for t in shown(fig, {f"<b>{html.escape(t)}</b>" for t in patient_titles()})
    ]


def key_words(fig) -> list[str]:
    """The key's words as drawn: its text traces and its annotations shown in a visible colour."""
    out = [w for t in fig.data if t.xaxis == "x3" and "text" in (t.mode or "") for w in t.text]
    return out + [a.text for a in fig.layout.annotations if a.xref == "x3" and a.visible is not False
                  and a.font.color not in (None, diagram.CLEAR)]


def key_arrows(fig) -> list[object]:
    """Arrow shapes drawn in the key's axes in a visible colour."""
    return [s for s in fig.layout.shapes if s.xref == "x3" and s.type == "path" and s.fillcolor != diagram.CLEAR]


def movement_labels(fig) -> dict[int, object]:
    """Visible movement-label annotations by index."""
    scene = scene_for(fig.layout.width, fig.layout.height)
    return {
        k: fig.layout.annotations[scene.moves + k]
        for k in range(len(scene.move_keys))
        if fig.layout.annotations[scene.moves + k].font.color != diagram.CLEAR
    }


@pytest.mark.parametrize("kwargs", EVERY_PICTURE)
def test_no_key_test_spots_and_no_isncsci_anywhere(kwargs):
    fig = diagram.body_figure(**kwargs)
    everything = fig.to_json().lower()  # traces, hover text, key, annotations and shapes
    assert "isncsci" not in everything and "key test spot" not in everything
    assert not [t for t in fig.data if t.marker and t.marker.symbol == "diamond"]
    assert not [s for s in fig.layout.shapes if s.xsizemode == "pixel"]  # the spots' highlight diamonds
    student = diagram.body_figure(**kwargs, mode="student").to_json()
    assert "ISNCSCI" in student and "key test spot" in student  # the student view keeps them


@pytest.mark.parametrize(
    ("kwargs", "title"),
    [
        ({"compression": L5_LEFT}, "Where a pressed L5 root is often felt: left leg"),
        ({"compression": S1_RIGHT}, "Where a pressed S1 root is often felt: right leg"),
        ({"compression": CENTRAL}, "Where pressed L5 to S5 roots are often felt: both legs"),
        (
            {"compression": Compression("L4-L5", "paracentral", "both", 0.5)},
            "Where a pressed L5 root is often felt: both legs",
        ),
        ({"root": "L5"}, "The usual skin area of the L5 root"),
        ({"selection": [("heel", "left")]}, "The areas picked"),
        ({}, "The body picture"),
    ],
)
def test_one_title_and_one_caption_say_what_the_picture_shows(kwargs, title):
    fig = diagram.body_figure(**kwargs)
    assert titles(fig) == [title]
    (caption,) = shown(fig, set(diagram.PATIENT_CAPTIONS.values()))
    if "compression" in kwargs:
        assert "how strong" in caption and "not a diagnosis" in caption
        # an example with a warning sign points to its ⚠ line, not to "tell your doctor or physio" (sixth review, 06)
        warned = bool(kwargs["compression"].red_flags())
        assert ("do what the ⚠ line says" in caption) == warned
        assert ("tell your doctor or physio" in caption) == (not warned)
    # the title sits above the plot, the caption between it and the plot
    top = [a for a in fig.layout.annotations if a.text in (f"<b>{title}</b>", caption)]
    assert all(a.yref == "paper" and a.y == 1.0 and a.yanchor == "bottom" for a in top)
    assert not titles(diagram.body_figure(**kwargs, mode="student"))


def test_every_scenario_the_controls_can_make_has_a_drawn_title():
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for side in ("both",) if zone == "central" else ("left", "right", "both"):
                for sev in (0.0, 0.3, 0.6, 0.85, 1.0):
                    c = Compression(disc, zone, side, sev)
                    (t,) = titles(diagram.body_figure(c))
                    assert t == diagram.patient_title(c)[0]
                    assert ("both legs" if side == "both" else f"{side} leg") in t
                    assert all(r in t for r in (c.roots if len(c.roots) <= 2 else (c.roots[0], c.roots[-1])))


def test_the_live_title_follows_the_scenario_with_colour_edits_only():
    d = widgets.BodyDiagram(L5_LEFT, description=False)
    assert titles(d.figure) == ["Where a pressed L5 root is often felt: left leg"]
    d.show(S1_RIGHT)
    assert titles(d.figure) == ["Where a pressed S1 root is often felt: right leg"]
    d.show_root("S1")
    assert titles(d.figure) == ["The usual skin area of the S1 root"]
    d.show(None)
    assert titles(d.figure) == ["The body picture"]
    # every layout edit a repaint makes is a colour (plotly.js redraws that one item: no recalculation)
    for c in (L5_LEFT, CENTRAL, None):
        state = state_for(c, scene=d.scene)
        assert {re.sub(r"\[\d+\]", "[]", k) for k in state.layout} <= {"annotations[].font.color", "shapes[].fillcolor"}


@pytest.mark.parametrize("c", [L5_LEFT, S1_RIGHT, CENTRAL, Compression("L3-L4", "central", "both", 1.0)])
def test_weakness_is_a_labelled_movement_at_the_body_part_not_a_skin_patch(c):
    fig = diagram.body_figure(c)
    scene = scene_for()
    want = {(m, s) for m in c.weak_movements() for s in c.sides}
    assert want, "these examples are strong enough for weakness"
    got = {scene.move_keys[k] for k in movement_labels(fig)}
    assert got == want
    for k, label in movement_labels(fig).items():
        mid, side = scene.move_keys[k]
        words = html.unescape(re.sub(r"<[^>]+>", " ", label.text))
        assert "may be weak" in words and " ".join(anatomy.movement(mid).label.split()) in " ".join(words.split())
        # its arrow is drawn and ends inside the region where the weakness is noticed, on that side
        arrow = fig.layout.shapes[scene.move_shapes + k]
        assert arrow.fillcolor != diagram.CLEAR
        tip = [float(v) for v in arrow.path.split("L")[3].split(",")]
        view = move_view(mid)
        dx = 0.0 if view == "front" else diagram.PATIENT_BACK_DX
        pts = [p for path in body.view(view).regions[(anatomy.movement(mid).noticed_at, side)] for p in path]
        xs, ys = [x + dx for x, _ in pts], [y for _, y in pts]
        assert min(xs) <= tip[0] <= max(xs) and min(ys) <= tip[1] <= max(ys), (mid, side, tip)
        # the label is beside the leg on the patient's side of that view, outside the body
        assert (label.x - dx) * body.screen_sign(view, side) > 0.6
    # no skin patch stands for weakness: the painted regions are those of the other kinds
    skin = {(s.region, s.side) for s in c.symptoms() if s.kind != "weakness"}
    painted = {
        (t.meta[0], t.meta[1])
        for t in fig.data
        if isinstance(t.meta, (list, tuple)) and len(t.meta) == 3 and t.fillcolor != diagram.UNPAINTED
    }
    assert painted == skin
    assert "weak" in diagram.describe(c)  # the words still say it


def test_no_movement_labels_without_weakness_or_when_weakness_is_filtered_out():
    assert not movement_labels(diagram.body_figure(Compression("L4-L5", "paracentral", "left", 0.5)))
    assert not movement_labels(diagram.body_figure(L5_LEFT, kinds=["pain", "numbness"]))
    assert movement_labels(diagram.body_figure(L5_LEFT, kinds=["weakness"]))
    assert not movement_labels(diagram.body_figure(root="L5"))


def test_each_leg_says_which_leg_it_is_in_both_views():
    """Under each foot, in both views: "left leg" under the patient's left foot, so the back view's swap of
    sides cannot be misread."""
    fig = diagram.body_figure(L5_LEFT)
    labels = [a for a in fig.layout.annotations if re.fullmatch(r"<b>(left|right)</b><br>leg", a.text or "")]
    assert len(labels) == 4
    for view, dx in (("front", 0.0), ("back", diagram.PATIENT_BACK_DX)):
        for side in anatomy.SIDES:
            foot = [
                p for path in body.view(view).regions[("big_toe" if view == "front" else "heel", side)] for p in path
            ]
            fx = sum(x for x, _ in foot) / len(foot) + dx
            (lbl,) = [
                a
                for a in labels
                if f"<b>{side}</b>" in a.text and abs(a.x - dx) < 1.0 and (a.x - dx) * body.screen_sign(view, side) > 0
            ]
            assert abs(lbl.x - fx) < 0.3, (view, side, lbl.x, fx)  # right under that foot
            assert lbl.y < min(y for _, y in foot)
            assert lbl.font.color != diagram.CLEAR


def test_three_patterns_the_key_names():
    assert sorted(set(diagram.PATIENT_PATTERNS.values())) == ["", ".", "/"]
    fig = diagram.body_figure(CENTRAL)
    keys = {t.name: t for t in fig.data if (t.name or "").startswith("key ") and t.name != "key labels"}
    assert {n.removesuffix(" dark") for n in keys} == {"key pain", "key tingling", "key numbness"}
    assert {t.fillpattern.shape or "" for t in keys.values()} == {"", ".", "/"}
    words = " ".join(t for tr in fig.data if tr.name == "key labels" for t in tr.text)
    assert "dots" in words and "lines" in words and "plain" in words
    assert CENTRAL.weak_movements() and "a movement that may be weak" in key_words(fig)  # the arrow's row
    # regions use the same three, with marks that contrast with their colour (black on light, white on dark)
    for t in fig.data:
        if isinstance(t.meta, (list, tuple)) and t.fillpattern.shape:
            assert t.fillpattern.shape in (".", "/")
            light = t.fillcolor in diagram.PALETTE[:3]
            assert t.fillpattern.fgcolor == ("#000000" if light else "#ffffff")


def _drawn_marks(fig) -> set[tuple[str, str, str]]:
    """(pattern shape, mark colour, fill colour) of every patterned skin region the picture paints."""
    return {
        (t.fillpattern.shape, t.fillpattern.fgcolor, t.fillcolor)
        for t in fig.data
        if isinstance(t.meta, (list, tuple)) and t.fillpattern.shape and t.fillcolor in diagram.PALETTE
    }


def test_the_key_shows_each_pattern_as_the_picture_draws_it_on_light_and_dark():
    """The PEMAT-P rater (item 18): the key showed black dots and stripes on orange, the picture at moderate or
    stronger settings white ones on red. For each patterned kind the key has a swatch with black marks on a colour
    the picture draws black marks on, and one with white marks on a colour it draws white marks on, each with the
    shape the picture uses for that kind; the plain row has a lighter and a darker plain fill."""
    drawn: set[tuple[str, str, str]] = set()
    for disc in anatomy.DISCS:
        for zone in anatomy.ZONES:
            for severity in (0.4, 0.6, 0.8):
                c = Compression(disc, zone, "both" if zone == "central" else "left", severity)
                drawn |= _drawn_marks(diagram.body_figure(c))
    inks = {(shape, ink) for shape, ink, _ in drawn}
    assert inks == {(".", "#000000"), (".", "#ffffff"), ("/", "#000000"), ("/", "#ffffff")}  # the picture draws both
    fig = diagram.body_figure(L5_LEFT)
    swatches = [t for t in fig.data if (t.name or "").startswith("key ") and t.name != "key labels"]
    for kind, shape in diagram.PATIENT_PATTERNS.items():
        if kind not in {k for k, _ in diagram.PATIENT_KEY}:
            continue
        own = [t for t in swatches if t.name.removesuffix(" dark") == f"key {kind}"]
        if not shape:  # plain colour: no marks, a lighter and a darker fill
            assert all(not t.fillpattern.shape for t in own)
            assert {t.fillcolor in diagram.PALETTE[:3] for t in own} == {True, False}, kind
            continue
        for ink in ("#000000", "#ffffff"):
            colours = {c for s, i, c in drawn if s == shape and i == ink}
            match = [t for t in own if t.fillpattern.shape == shape and t.fillpattern.fgcolor == ink
                     and t.fillcolor in colours]
            assert match, (kind, ink, [(t.fillpattern.shape, t.fillpattern.fgcolor, t.fillcolor) for t in own])
        # side by side on the row, before the row's words
        xs = sorted((min(t.x), max(t.x)) for t in own)
        assert len(xs) == 2 and xs[0][1] < xs[1][0]
        words_x = min(x for tr in fig.data if tr.name == "key labels" for x in tr.x[2:])
        assert xs[1][1] < words_x


def test_the_printed_key_keeps_both_swatches_of_each_pattern():
    """The handout's print copy (``figures.printed``) takes its key from the patient figure: black marks on a lighter
    colour and white marks on a darker one for each patterned kind, shown, in the key's axes."""
    from sciatica_edu.figures import printed

    paper = printed.print_figure(diagram.body_figure(L5_LEFT), compression=L5_LEFT)
    for kind, _words in diagram.PATIENT_KEY:
        shape = diagram.PATIENT_PATTERNS[kind]
        own = [t for t in paper.data if (t.name or "").removesuffix(" dark") == f"key {kind}"
               and t.visible is not False and t.xaxis == "x3"]
        if shape:
            assert {t.fillpattern.fgcolor for t in own if t.fillpattern.shape == shape} == {"#000000", "#ffffff"}
        else:
            assert len(own) == 2 and not any(t.fillpattern.shape for t in own)


def test_the_student_key_is_unchanged_one_swatch_a_kind():
    fig = diagram.body_figure(L5_LEFT, mode="student")
    others = ("key labels", "key spot", "key test spots")
    names = [t.name for t in fig.data if (t.name or "").startswith("key ") and t.name not in others]
    assert sorted(names) == sorted(f"key {k}" for k in diagram.KIND_PATTERNS)


def test_static_figure_and_html_in_both_modes():
    fig = diagram.static_figure(L5_LEFT)
    assert "isncsci" not in fig.to_json().lower() and fig.layout.meta["mode"] == "patient"
    # the title changes with the menu: each button's relayout shows its scenario's title
    scene = scene_for(fig.layout.width, fig.layout.height)
    for button, (_label, disc, zone, side) in zip(
        fig.layout.updatemenus[0].buttons, diagram.STATIC_SCENARIOS, strict=True
    ):
        relayout = button.args[1]
        want = diagram.patient_title(Compression(disc, zone, side, 0.6))[0]
        on = [
            k
            for k in range(len(patient_titles()))
            if relayout[f"annotations[{scene.titles + k}].font.color"] != diagram.CLEAR
        ]
        assert [patient_titles()[k] for k in on] == [want]
    assert "ISNCSCI" in diagram.static_figure(L5_LEFT, mode="student").to_json()
    assert "ISNCSCI" not in diagram.static_html(L5_LEFT)


@pytest.mark.parametrize("bad", ["doctor", None, 3])
def test_bad_mode_names_the_allowed_values(bad):
    for make in (
        lambda: diagram.body_figure(mode=bad),
        lambda: diagram.static_figure(mode=bad),
        lambda: widgets.BodyDiagram(mode=bad),
        lambda: widgets.explore(mode=bad),
    ):
        with pytest.raises(ValueError, match="patient, student"):
            make()


def test_a_spine_drawing_of_a_cause_that_is_not_a_disc_names_the_level_not_a_disc():
    """Under "spinal stenosis", "a slipped bone" or "a bone spur" the caption says "L4-L5 level": the drawing marks
    where the root is pressed, and "L4-L5 disc" there read as a disc bulge (second independent review)."""
    from sciatica_edu import diagram

    def caption(cause):
        texts = [str(getattr(t, "text", "")) for t in diagram.spine_figure(cause=cause).data]
        return " ".join(x for x in texts if "presses on" in x)

    for cause in ("spinal_stenosis", "spondylolisthesis", "bone_spur"):
        assert "level</b>" in caption(cause) and "disc</b>" not in caption(cause), cause
    for cause in ("disc_herniation", "degenerative_disc"):
        assert "disc</b>" in caption(cause), cause


def test_a_plain_figure_leaves_out_the_words_it_does_not_show():
    """Screen readers read transparent text: a plain body figure keeps only the warning line and spine caption it
    shows (the second review heard all three urgencies of one sign in the accessibility tree)."""
    from sciatica_edu import diagram
    from sciatica_edu.figures.style import CLEAR
    from sciatica_edu.scenario import Compression

    fig = diagram.body_figure(Compression("L4-L5", "central", "both", 0.9))
    shown = [a for a in fig.layout.annotations if a.visible is not False]
    assert not [a for a in shown if a.font is not None and a.font.color == CLEAR]
    warnings = [a.text for a in shown if "Warning sign" in str(a.text)]
    assert len(warnings) == 1 and "999" in warnings[0]
    assert [a for a in fig.layout.annotations if a.visible is False]  # kept, by index, for the phone layout


MODERATE_L5 = Compression("L4-L5", "paracentral", "left", 0.6)


@pytest.mark.parametrize(
    ("kwargs", "arrows"),
    [
        ({"compression": L5_LEFT}, True),
        ({"compression": MODERATE_L5}, False),  # the clinician's case (issue 14): no weak movement at this strength
        ({"compression": L5_LEFT, "kinds": ["pain", "numbness"]}, False),  # weakness not shown: no arrow
        ({"root": "L5"}, False),
        ({}, False),
    ],
)
def test_the_key_and_the_caption_name_the_arrow_only_when_one_is_drawn(kwargs, arrows):
    """Issue 14: the key listed "a movement that may be weak" and the caption promised arrows with none drawn."""
    fig = diagram.body_figure(**kwargs)
    assert bool(movement_labels(fig)) == arrows  # what the picture draws
    assert ("a movement that may be weak" in key_words(fig)) == arrows
    assert len(key_arrows(fig)) == int(arrows)
    captions = shown(fig, set(diagram.PATIENT_CAPTIONS.values()))
    assert all(("Arrows point" in c) == arrows for c in captions) and len(captions) == 1
    assert arrows_shown(kwargs.get("compression"), kwargs.get("kinds")) == arrows


def test_the_live_key_shows_the_arrow_row_as_arrows_come_and_go():
    d = widgets.BodyDiagram(MODERATE_L5, description=False)
    assert "a movement that may be weak" not in key_words(d.figure) and not key_arrows(d.figure)
    d.show(L5_LEFT)
    assert "a movement that may be weak" in key_words(d.figure) and len(key_arrows(d.figure)) == 1
    d.show(L5_LEFT, kinds=["pain"])
    assert "a movement that may be weak" not in key_words(d.figure) and not key_arrows(d.figure)
    d.show(MODERATE_L5)
    assert "a movement that may be weak" not in key_words(d.figure) and not key_arrows(d.figure)
