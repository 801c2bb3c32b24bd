"""The vendored plotly.js basic bundle matches plotly.py and draws every trace type the kit uses."""

from __future__ import annotations

import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

from sciatica_edu import diagram
from sciatica_edu.figures import plotlyjs
from sciatica_edu.model.scenario import Compression

PACKAGE = Path(plotlyjs.__file__).resolve().parent.parent  # sciatica_edu/


def test_vendored_bundle_is_the_same_plotly_js_version_as_plotly_py():
    assert plotlyjs.bundle_version() == get_plotlyjs_version(), (
        "plotly was upgraded: vendor plotly.js-basic-dist-min at the new plotly.js version "
        "(npm pack plotly.js-basic-dist-min@VERSION) into sciatica_edu/static/"
    )
    js = plotlyjs.plotly_js()
    assert js.startswith("/**\n* plotly.js (basic - minified)")
    assert 1_000_000 < len(js) < 2_000_000


def test_bundle_licence_ships_beside_it():
    assert "MIT" in (PACKAGE / "static" / "plotly-basic.LICENSE.txt").read_text()


def test_every_figure_the_kit_draws_uses_only_basic_trace_types():
    figures = [
        diagram.body_figure(Compression("L4-L5", "central", "both", 0.9)),
        diagram.body_figure(root="S1"),
        diagram.spine_figure(cause="spinal_stenosis"),
        diagram.static_figure(Compression("L5-S1", "paracentral", "left", 0.6)),
    ]
    from sciatica_edu.model.ranking import rank_roots
    from sciatica_edu.widgets.explorer import ranking_figure

    figures.append(ranking_figure(rank_roots(regions=["dorsum_foot"])))
    for fig in figures:
        assert {t.type for t in fig.data} <= plotlyjs.TRACE_TYPES


def test_no_source_file_builds_a_trace_type_outside_the_bundle():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", path.read_text(encoding="utf-8")))
    allowed = {"Figure", "FigureWidget", "Layout"} | {t.capitalize() for t in plotlyjs.TRACE_TYPES}
    assert used <= allowed, f"new trace type(s) {used - allowed}: check the basic bundle draws them"
