"""``sciatica_edu.scenario``: the same module object as ``sciatica_edu.model.scenario``."""

import sys

from sciatica_edu.model import scenario as _module

sys.modules[__name__] = _module
