"""The plotly.js bundle that offline pages inline: plotly.js "basic" (scatter, bar, pie).

Every figure this kit draws is made of scatter and bar traces, so the basic bundle
(1.2 MB, MIT, vendored from the npm package plotly.js-basic-dist-min) draws them all; the
full bundle that plotly.py ships is 4.8 MB. Handouts and the course export inline or copy
this one, so a handout is about 1.4 MB instead of 5 MB and opens faster on a phone.
The vendored version must equal plotly.py's own plotly.js version (tests check it).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["BASIC_BUNDLE", "TRACE_TYPES", "bundle_version", "plotly_js"]

BASIC_BUNDLE = Path(__file__).resolve().parent.parent / "static" / "plotly-basic.min.js"
#: Trace types the basic bundle can draw; a figure with any other type needs the full bundle.
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})


@cache
def bundle_version() -> str:
    """The version written in the vendored bundle's header, e.g. ``"4.1.1"``."""
    head = BASIC_BUNDLE.read_text(encoding="utf-8")[:300]
    match = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", head)
    if not match:
        raise RuntimeError(f"{BASIC_BUNDLE.name} has no plotly.js version header")
    return match.group(1)


@cache
def plotly_js() -> str:
    """The JavaScript to inline: the basic bundle, or plotly.py's full one if the versions differ."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    if bundle_version() == get_plotlyjs_version():
        return BASIC_BUNDLE.read_text(encoding="utf-8")
    return get_plotlyjs()
