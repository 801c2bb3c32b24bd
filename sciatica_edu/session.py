"""``sciatica_edu.session``: the same module object as ``sciatica_edu.widgets.session``."""

import sys

from sciatica_edu.widgets import session as _module

sys.modules[__name__] = _module
