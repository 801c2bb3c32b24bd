"""Compression and its teaching model of peripheralisation and centralisation."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_edu.facts import anatomy, redflags
from sciatica_edu.model.scenario import KINDS, MODEL_FLAGS, Compression, Symptom


def regions_of(c: Compression, kind: str | None = None, side: str | None = None) -> set[str]:
    return {s.region for s in c.symptoms() if (kind is None or s.kind == kind) and (side is None or s.side == side)}


def test_default_is_the_commonest_case():
    c = Compression()
    assert (c.disc, c.zone, c.side) == ("L4-L5", "paracentral", "left")
    assert c.roots == ("L5",)


def test_compression_is_a_frozen_value():
    c = Compression("L5-S1", "paracentral", "right", 0.5)
    with pytest.raises(AttributeError):
        c.severity = 1.0  # type: ignore[misc]
    assert c == Compression("L5-S1", "paracentral", "right", 0.5)
    assert hash(c) == hash(Compression("L5-S1", "paracentral", "right", 0.5))


def test_severity_zero_means_no_symptoms_and_no_red_flags():
    c = Compression("L4-L5", "central", "both", 0.0)
    assert c.symptoms() == ()
    assert c.red_flags() == ()


def test_left_l5_severe_paints_the_left_foot_only():
    c = Compression("L4-L5", "paracentral", "left", 0.9)
    assert {"dorsum_foot", "big_toe"} <= regions_of(c, side="left")
    assert regions_of(c, side="right") == set()
    assert "little_toe" not in regions_of(c)


def test_right_s1_reaches_the_little_toe_and_heel():
    c = Compression("L5-S1", "paracentral", "right", 0.9)
    assert {"little_toe", "heel", "sole"} <= regions_of(c, side="right")
    assert regions_of(c, side="left") == set()
    assert "big_toe" not in regions_of(c)


def test_mild_symptoms_stay_near_the_spine():
    mild = regions_of(Compression("L5-S1", "paracentral", "left", 0.15))
    assert mild and mild <= {"lower_back", "buttock"}


def test_rising_severity_spreads_down_the_leg_and_adds_kinds():
    """Peripheralisation: each step reaches at least as far and adds numbness, then weakness."""
    steps = [Compression("L4-L5", "paracentral", "left", s) for s in (0.2, 0.4, 0.6, 0.8, 1.0)]
    reached = [regions_of(c) for c in steps]
    for before, after in itertools.pairwise(reached):
        assert before <= after
    kinds = [{s.kind for s in c.symptoms()} for c in steps]
    assert "numbness" not in kinds[0] and "weakness" not in kinds[0]
    assert "numbness" in kinds[2]
    assert "weakness" in kinds[-1]
    # Distal regions only appear once severity is high.
    assert "big_toe" not in reached[0] and "big_toe" in reached[-1]


def test_weakness_is_painted_where_the_weak_movement_is_noticed():
    c = Compression("L5-S1", "paracentral", "left", 1.0)
    assert "ankle_plantarflexion" in c.weak_movements()
    assert anatomy.movement("ankle_plantarflexion").noticed_at in regions_of(c, kind="weakness")


def test_foraminal_l4_l5_is_l4():
    c = Compression("L4-L5", "foraminal", "right", 0.8)
    assert c.roots == ("L4",)
    assert "medial_ankle" in regions_of(c, side="right")


@pytest.mark.parametrize(
    ("disc", "roots"),
    [
        ("L3-L4", ("L4", "L5", "S1", "S2", "S3", "S4", "S5")),
        ("L4-L5", ("L5", "S1", "S2", "S3", "S4", "S5")),
        ("L5-S1", ("S1", "S2", "S3", "S4", "S5")),
    ],
)
def test_a_severe_central_bulge_squeezes_every_root_below_it(disc, roots):
    """Cauda equina: the whole bundle below the disc, S1 included (it was skipped at L3-L4 before)."""
    assert Compression(disc, "central", "both", 1.0).roots == roots
    assert Compression(disc, "central", "both", 0.5).roots == anatomy.compressed_roots(disc, "central")


def test_a_central_bulge_has_no_side():
    assert Compression(zone="central").side == "both"
    assert Compression().side == "left"
    for side in ("left", "right"):
        with pytest.raises(ValueError, match="central bulge presses on both sides"):
            Compression("L4-L5", "central", side, 0.5)


def test_a_long_standing_stenosis_in_both_legs_is_not_an_emergency():
    stenosis = Compression("L4-L5", "central", "both", 0.5, cause="spinal_stenosis", onset="long_standing")
    assert stenosis.red_flags() == ("both_legs_long_standing",)
    assert redflags.urgency(stenosis.red_flags()) == "soon"
    assert redflags.red_flag("both_legs_long_standing").escalate_if
    # new stenosis, or a new central disc bulge, in both legs: an emergency
    for c in (
        Compression("L4-L5", "central", "both", 0.5, cause="spinal_stenosis", onset="new"),
        Compression("L4-L5", "central", "both", 0.5),
        Compression("L4-L5", "central", "both", 0.5, onset="long_standing"),
    ):
        assert c.red_flags()[0] == "both_legs" and redflags.urgency(c.red_flags()) == "emergency"
    # a long-standing stenosis squeezing the saddle nerves is an emergency after all
    severe = Compression("L4-L5", "central", "both", 0.9, cause="spinal_stenosis", onset="long_standing")
    assert {"both_legs", "saddle_numbness"} <= set(severe.red_flags())
    assert redflags.urgency(severe.red_flags()) == "emergency"


def test_cause_and_onset_are_checked():
    with pytest.raises(ValueError, match="choose one of disc_herniation, spinal_stenosis"):
        Compression(cause="piriformis")  # not in the spine
    with pytest.raises(ValueError, match="choose one of new, long_standing"):
        Compression(onset="chronic")


def test_severe_central_bulge_raises_cauda_equina_flags_on_both_sides():
    c = Compression("L4-L5", "central", "both", 0.9)
    assert {"S3", "S4", "S5"} <= set(c.roots)
    assert {"both_legs", "saddle_numbness", "bladder_bowel_change"} <= set(c.red_flags())
    assert "saddle" in regions_of(c, kind="numbness", side="left")
    assert "saddle" in regions_of(c, kind="numbness", side="right")


def test_moderate_central_bulge_has_no_saddle_signs():
    c = Compression("L4-L5", "central", "both", 0.5)
    assert "saddle" not in regions_of(c)
    assert "saddle_numbness" not in c.red_flags()
    assert c.red_flags() == ("both_legs",)  # sciatica in both legs is itself an NHS red flag [S12]


def test_one_sided_mild_case_has_no_red_flags():
    assert Compression("L5-S1", "paracentral", "left", 0.4).red_flags() == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"disc": "L5-L4"}, "unknown disc 'L5-L4'; choose one of L3-L4, L4-L5, L5-S1"),
        ({"disc": "L9-L10"}, "choose one of L3-L4, L4-L5, L5-S1"),
        ({"disc": ""}, "unknown disc ''"),
        ({"zone": "lateral"}, "choose one of central, paracentral, foraminal, far_lateral"),
        ({"side": "Left"}, "choose one of left, right, both"),
        ({"severity": 1.5}, "severity must be a number from 0 to 1"),
        ({"severity": -0.1}, "severity must be a number from 0 to 1"),
        ({"severity": math.nan}, "severity must be a number from 0 to 1"),
        ({"severity": "0.5"}, "severity must be a number from 0 to 1, not str"),
        ({"severity": True}, "severity must be a number"),
        ({"disc": 45}, "disc must be a string, not int"),
        ({"side": 3}, "side must be a string, not int"),
        ({"zone": "central", "side": "left"}, "a central bulge presses on both sides"),
    ],
)
def test_bad_values_get_a_clear_value_error(kwargs, message):
    with pytest.raises(ValueError) as info:
        Compression(**kwargs)
    assert message in str(info.value)
    assert not isinstance(info.value, KeyError)


SEVERITIES = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
VALID = st.builds(
    Compression,
    disc=st.sampled_from(["L3-L4", "L4-L5", "L5-S1"]),
    zone=st.sampled_from(["paracentral", "foraminal", "far_lateral"]),
    side=st.sampled_from(["left", "right", "both"]),
    severity=SEVERITIES,
) | st.builds(
    Compression,
    disc=st.sampled_from(["L3-L4", "L4-L5", "L5-S1"]),
    zone=st.just("central"),
    side=st.sampled_from(["both", None]),
    severity=SEVERITIES,
    cause=st.sampled_from(["disc_herniation", "spinal_stenosis"]),
    onset=st.sampled_from(["new", "long_standing"]),
)


@settings(max_examples=300, deadline=None)
@given(VALID)
def test_symptoms_are_well_formed_for_any_valid_compression(c):
    region_ids = {r.id for r in anatomy.regions()}

    def territory(name):
        r = anatomy.root(name)
        weak_at = {anatomy.movement(m).noticed_at for m in r.weakness}
        return set(r.pain_course) | r.dermatome | set(r.cramp_regions) | weak_at

    supplied = set().union(*(territory(n) for n in c.roots))
    seen = set()
    for s in c.symptoms():
        assert isinstance(s, Symptom)
        assert s.region in region_ids and s.kind in KINDS
        assert 0 < s.intensity <= 1
        assert s.side in ("left", "right")
        if not c.cauda_equina:
            assert s.side in c.sides
        assert s.region in supplied
        key = (s.region, s.side, s.kind)
        assert key not in seen
        seen.add(key)
    assert set(c.red_flags()) <= set(MODEL_FLAGS)


@settings(max_examples=200, deadline=None)
@given(VALID, SEVERITIES)
def test_more_severity_never_shrinks_the_painted_area(c, other):
    low, high = sorted((c.severity, other))
    a = Compression(c.disc, c.zone, c.side, low, cause=c.cause, onset=c.onset)
    b = Compression(c.disc, c.zone, c.side, high, cause=c.cause, onset=c.onset)
    assert {(s.region, s.side) for s in a.symptoms()} <= {(s.region, s.side) for s in b.symptoms()}


@settings(max_examples=300, deadline=None)
@given(
    disc=st.one_of(st.text(max_size=8), st.integers(), st.none(), st.floats()),
    zone=st.one_of(st.text(max_size=12), st.none(), st.lists(st.text(), max_size=2)),
    side=st.one_of(st.text(max_size=6), st.integers(), st.none()),
    severity=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4), st.none()),
)
def test_any_input_is_either_accepted_or_a_clear_value_error(disc, zone, side, severity):
    try:
        c = Compression(disc, zone, side, severity)
    except ValueError as exc:
        assert "choose one of" in str(exc) or "must be" in str(exc)
    else:
        assert c.disc in anatomy.DISCS and c.zone in anatomy.ZONES and 0 <= c.severity <= 1
