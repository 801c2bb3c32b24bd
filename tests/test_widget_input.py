"""Widget values arrive over the comm from any page: NaN, infinity, out-of-range numbers or a cleared menu
must be clamped or ignored, never reach ``Compression`` (whose ValueError broke the page's session)."""

from __future__ import annotations

import math

import pytest

from sciatica_edu import widgets
from sciatica_edu.model.scenario import Compression


@pytest.mark.parametrize(
    ("sent", "want"),
    [(math.nan, 0.4), (math.inf, 0.4), (-math.inf, 0.4), (-5.0, 0.0), (7.0, 1.0), (0.25, 0.25)],
    ids=["nan", "inf", "-inf", "below", "above", "good"],
)
def test_severity_from_the_page_is_clamped_or_ignored(sent, want):
    controls = widgets.ScenarioControls(Compression("L4-L5", "paracentral", "left", 0.4))
    heard: list[Compression] = []
    controls.observe(heard.append)
    controls.severity.set_state({"value": sent})  # as a comm message from the front-end would
    assert controls.severity.value == want
    assert controls.compression.severity == want
    assert all(0.0 <= c.severity <= 1.0 for c in heard)


def test_a_cleared_or_impossible_menu_from_the_page_is_undone():
    controls = widgets.ScenarioControls(Compression("L5-S1", "foraminal", "right", 0.5))
    heard: list[Compression] = []
    controls.observe(heard.append)
    controls.disc.set_state({"index": None})  # a cleared selection: value None
    assert controls.disc.value == "L5-S1" and controls.compression.disc == "L5-S1"
    with pytest.raises(Exception, match="index out of bounds"):  # refused by ipywidgets itself
        controls.zone.set_state({"index": 99})
    assert controls.compression == Compression("L5-S1", "foraminal", "right", 0.5)
    controls.severity.set_state({"value": math.nan})
    controls.severity.set_state({"value": 0.7})  # the controls still work afterwards
    assert heard[-1] == Compression("L5-S1", "foraminal", "right", 0.7)
