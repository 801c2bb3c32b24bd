"""``sciatica_edu.redflags``: the same module object as ``sciatica_edu.facts.redflags``."""

import sys

from sciatica_edu.facts import redflags as _module

sys.modules[__name__] = _module
