"""``sciatica_edu.explorer_widgets``: the same module object as ``sciatica_edu.widgets.explorer``."""

import sys

from sciatica_edu.widgets import explorer as _module

sys.modules[__name__] = _module
