"""sciatica_edu: an evidence-based teaching kit on sciatica for JupyterLab.

Layers, imports flowing one way (docs/architecture.md, checked by lint-imports): the app (cli, present, lite) ->
widgets/ -> pages/ -> figures/ -> model/ and geometry/ -> facts/ -> data/.
Importing the package changes nothing global and reads no files until a function needs them (in the
browser build only, it makes plotly draw plain figures with the kit's plotly.js: see ``browser``).
General information for teaching, not medical advice.
"""

__version__ = "0.1.0"

import sys as _sys

if _sys.platform == "emscripten":  # the browser build (JupyterLite): plain figures drawn by the kit's plotly.js
    from sciatica_edu import browser as _browser

    _browser.setup()
