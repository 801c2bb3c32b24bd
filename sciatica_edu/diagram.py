"""``sciatica_edu.diagram``, the public figure API under its old name (notebooks import it so).

The figures now live in ``sciatica_edu.figures``; this module is that code, re-exported.
"""

import sys

from sciatica_edu.figures import scene as _module

sys.modules[__name__] = _module
