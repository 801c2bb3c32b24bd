"""The nbclient that runs notebooks for the course export (``pages.export``) and the browser build's stored
outputs (``lite.outputs``): one place for the workaround both need.

nbclient 0.11 mimics Output widgets by writing into ``widget_state`` even with ``store_widget_state=False``, where
that dict stays empty, so a notebook with an Output widget fails with a bare KeyError. The client here keeps it a
``defaultdict``. nbclient is imported only when a notebook is run (it is slow to import).
"""

from __future__ import annotations

import collections
import functools


@functools.cache
def client_class() -> type:
    """``nbclient.NotebookClient`` with a ``widget_state`` that tolerates Output widgets (see the module)."""
    from nbclient import NotebookClient

    class WidgetTolerantClient(NotebookClient):
        def reset_execution_trackers(self) -> None:
            super().reset_execution_trackers()
            self.widget_state = collections.defaultdict(dict)

    return WidgetTolerantClient
