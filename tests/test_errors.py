"""Every public anatomy look-up rejects bad input with a ValueError that names the allowed values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_edu.facts import anatomy, redflags


@pytest.mark.parametrize(
    ("call", "arg", "must_name"),
    [
        (anatomy.root, "L7", "L2, L3, L4, L5, S1"),
        (anatomy.root, "", "L2, L3"),
        (anatomy.root, "l5", "L5"),
        (anatomy.root, None, "root must be a string"),
        (anatomy.region, "calf", "posterior_leg"),
        (anatomy.region, 3, "region must be a string, not int"),
        (anatomy.movement, "foot_drop", "ankle_dorsiflexion"),
        (anatomy.reflex, "biceps", "knee, ankle, medial_hamstring"),
        (anatomy.zone, "lateral", "far_lateral"),
        (anatomy.reference, "S0", "data/references.yaml"),
        (redflags.red_flag, "fever", "fever_unwell"),
        (redflags.action, "now", "emergency, urgent, soon"),
    ],
)
def test_bad_ids_name_the_allowed_values(call, arg, must_name):
    with pytest.raises(ValueError) as info:
        call(arg)
    assert must_name in str(info.value)


@pytest.mark.parametrize(
    ("disc", "zone", "must_name"),
    [
        ("L5-L4", "paracentral", "unknown disc 'L5-L4'; choose one of L3-L4, L4-L5, L5-S1"),
        ("L9-L10", "central", "choose one of L3-L4, L4-L5, L5-S1"),
        ("L4-L5", "posterior", "choose one of central, paracentral, foraminal, far_lateral"),
        (("L4", "L5"), "central", "disc must be a string, not tuple"),
    ],
)
def test_compressed_roots_rejects_bad_discs_and_zones(disc, zone, must_name):
    with pytest.raises(ValueError) as info:
        anatomy.compressed_roots(disc, zone)
    assert must_name in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=6), st.integers(), st.none(), st.binary(max_size=3)))
def test_root_lookup_never_raises_anything_but_value_error(name):
    try:
        r = anatomy.root(name)
    except ValueError as exc:
        assert "choose one of" in str(exc)
    else:
        assert r.name == name


def test_notebook_tools_command_line_reports_a_bad_folder_in_one_line(tmp_path, capsys):
    from sciatica_edu import notebook_tools

    code = notebook_tools._main_cleanly(["check", "--dir", str(tmp_path / "missing")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "error:" in err and "Traceback" not in err

