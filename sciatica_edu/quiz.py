"""``sciatica_edu.quiz``: the same module object as ``sciatica_edu.model.quiz``."""

import sys

from sciatica_edu.model import quiz as _module

sys.modules[__name__] = _module
