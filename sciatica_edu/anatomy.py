"""``sciatica_edu.anatomy``: the same module object as ``sciatica_edu.facts.anatomy``."""

import sys

from sciatica_edu.facts import anatomy as _module

sys.modules[__name__] = _module
