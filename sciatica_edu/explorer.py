"""``sciatica_edu.explorer``: the same module object as ``sciatica_edu.model.ranking``."""

import sys

from sciatica_edu.model import ranking as _module

sys.modules[__name__] = _module
