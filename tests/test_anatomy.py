"""The anatomy API: the fixed vocabulary, root facts that the sources agree on, disc rules."""

from __future__ import annotations

import pytest

from sciatica_edu.facts import anatomy

# The vocabulary the Foundation issue fixes; every module, notebook and test uses these ids.
REGION_IDS = [
    "lower_back",
    "buttock",
    "groin",
    "anterior_thigh",
    "medial_thigh",
    "lateral_thigh",
    "posterior_thigh",
    "knee",
    "popliteal_fossa",
    "anterior_leg",
    "medial_leg",
    "lateral_leg",
    "posterior_leg",
    "medial_ankle",
    "lateral_ankle",
    "heel",
    "dorsum_foot",
    "sole",
    "medial_foot",
    "lateral_foot",
    "big_toe",
    "middle_toes",
    "little_toe",
    "saddle",
]
MOVEMENT_IDS = [
    "hip_flexion",
    "hip_abduction",
    "knee_extension",
    "knee_flexion",
    "ankle_dorsiflexion",
    "big_toe_extension",
    "ankle_plantarflexion",
    "ankle_inversion",
    "ankle_eversion",
]


def test_region_vocabulary_is_exactly_the_fixed_list():
    assert [r.id for r in anatomy.regions()] == REGION_IDS


def test_every_region_has_a_plain_label_and_a_view():
    for r in anatomy.regions():
        assert r.label and "_" not in r.label, r.id
        assert r.views and r.views <= {"front", "back"}, r.id


@pytest.mark.parametrize(
    ("region_id", "label"),
    [("posterior_thigh", "back of the thigh"), ("dorsum_foot", "top of the foot"), ("big_toe", "big toe")],
)
def test_plain_labels_examples_from_the_issue(region_id, label):
    assert anatomy.region(region_id).label == label


def test_movement_and_reflex_vocabulary():
    assert [m.id for m in anatomy.movements()] == MOVEMENT_IDS
    assert [r.id for r in anatomy.reflexes()] == ["knee", "ankle", "medial_hamstring"]
    assert anatomy.movement("big_toe_extension").label == "lifting the big toe"
    assert anatomy.movement("ankle_plantarflexion").label == "standing on tiptoe"


def test_roots_are_ordered_from_top_to_bottom():
    assert [r.name for r in anatomy.roots()] == ["L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5"]


@pytest.mark.parametrize(
    ("name", "key_point", "reflex", "first_weakness"),
    [
        # ISNCSCI key sensory points and key muscles [S50-S53]; reflexes [S54-S56c].
        ("L2", "anterior_thigh", None, "hip_flexion"),
        ("L3", "knee", "knee", "knee_extension"),
        ("L4", "medial_ankle", "knee", "ankle_dorsiflexion"),
        ("L5", "dorsum_foot", None, "big_toe_extension"),
        ("S1", "heel", "ankle", "ankle_plantarflexion"),
        ("S2", "popliteal_fossa", None, None),
    ],
)
def test_root_key_facts_match_the_standards(name, key_point, reflex, first_weakness):
    r = anatomy.root(name)
    assert r.name == name
    assert r.key_sensory_point == key_point
    assert r.key_sensory_point in r.dermatome | {a.region for a in r.also_reported}
    assert r.key_sensory_description
    assert r.reflex == reflex
    assert (r.weakness[0] if r.weakness else None) == first_weakness
    assert isinstance(r.dermatome, frozenset)
    assert r.sources


def test_typical_territories():
    assert {"dorsum_foot", "big_toe", "lateral_leg"} <= anatomy.root("L5").dermatome
    assert "little_toe" not in anatomy.root("L5").dermatome
    assert {"little_toe", "heel", "sole", "lateral_foot"} <= anatomy.root("S1").dermatome
    assert {"medial_leg", "medial_ankle"} <= anatomy.root("L4").dermatome
    assert "saddle" in anatomy.root("S4").dermatome


def test_disagreements_are_recorded_as_data():
    ids = {d.id for d in anatomy.disagreements()}
    assert {"big_toe_root", "ankle_dorsiflexion_root", "l5_reflex"} <= ids
    # The data itself carries both positions: dorsiflexion under L4 and L5, hamstring reflex for L5.
    assert "ankle_dorsiflexion" in anatomy.root("L4").weakness
    assert "ankle_dorsiflexion" in anatomy.root("L5").weakness
    assert "medial_hamstring" in anatomy.root("L5").other_reflexes
    assert "big_toe" in {a.region for a in anatomy.root("L4").also_reported}


@pytest.mark.parametrize(
    ("disc", "zone", "expected"),
    [
        ("L4-L5", "paracentral", ("L5",)),  # traversing root, one level down
        ("L5-S1", "paracentral", ("S1",)),
        ("L3-L4", "paracentral", ("L4",)),
        ("L4-L5", "foraminal", ("L4",)),  # exiting root
        ("L4-L5", "far_lateral", ("L4",)),
        ("L5-S1", "foraminal", ("L5",)),
        ("L5-S1", "far_lateral", ("L5",)),
    ],
)
def test_disc_to_root_rules(disc, zone, expected):
    assert anatomy.compressed_roots(disc, zone) == expected


def test_central_bulge_meets_several_roots():
    for disc in anatomy.DISCS:
        assert len(anatomy.compressed_roots(disc, "central")) >= 2
    assert set(anatomy.cauda_equina_roots()) >= {"S3", "S4", "S5"}


def test_references_resolve():
    lee = anatomy.reference("S20")
    assert "Lee" in lee.citation and lee.year == 2008
    assert lee.kind == "systematic review" and lee.primary


def test_public_values_are_frozen():
    r = anatomy.root("L5")
    with pytest.raises(Exception):  # pydantic raises ValidationError on frozen assignment  # noqa: B017
        r.reflex = "ankle"
