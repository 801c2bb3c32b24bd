"""The session view's server: Voila with the guards a clinic needs when it runs all day.

``sciatica-edu present`` starts ``python -m sciatica_edu.voila_server`` (see ``cli.voila_command``); it is
Voila 0.5 with four changes, all made where Voila lets a subclass make them:

- **Only this machine's pages.** Every handler refuses (403) a request whose ``Host`` header is not
  ``127.0.0.1:PORT`` or ``localhost:PORT``, so a DNS-rebinding page (``evil.test`` resolving to 127.0.0.1)
  cannot load the view, open its websocket or press its buttons. jupyter_server's own check
  (``allow_remote_access=False``, which Voila turns on) is kept as well.
- **A token.** The token comes from ``$SCIATICA_EDU_SESSION_TOKEN`` (``present`` makes a random one); it is
  removed from the environment before any kernel starts. Without it a page redirects to the login form and
  the API answers 403. The browser opens the tokened URL through a local file (not on a command line).
- **A cap on page kernels.** Each open page holds a kernel (about 120 MB). When ``max_page_kernels`` are in
  use (counting pages still loading), a new page gets a short "too many open sessions" page (503) instead.
- **Closed pages give their kernel back.** The page sets Voila's ``_xsrf`` cookie so the browser's unload
  beacon (``POST voila/api/shutdown/<id>``) is accepted; crashed tabs, sleeping laptops and clients that never
  connect are culled by jupyter_server's culler (``cli.voila_command`` sets ``cull_idle_timeout``).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import webbrowser
from html import escape
from pathlib import Path
from urllib.parse import quote

import tornado.web
from traitlets import Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["TOKEN_ENV", "SessionVoila", "host_allowed", "main", "page_kernel_ids", "sessions_full_html"]

#: Environment variable holding the session token (read once, then removed from the server's environment).
TOKEN_ENV = "SCIATICA_EDU_SESSION_TOKEN"
_HOST_RE = re.compile(r"^(127\.0\.0\.1|localhost):(\d+)$", re.I)


def host_allowed(host: str, port: int) -> bool:
    """True if a request's ``Host`` header names this server on this machine: ``127.0.0.1:PORT`` or ``localhost:PORT``.

    >>> host_allowed("127.0.0.1:8866", 8866), host_allowed("evil.test:8866", 8866), host_allowed("localhost", 8866)
    (True, False, False)
    """
    match = _HOST_RE.match(host or "")
    return bool(match) and int(match[2]) == port


def page_kernel_ids(kernel_manager) -> list[str]:
    """Kernels held by pages: every running kernel except those waiting, pre-heated, in Voila's pool."""
    pooled = set()
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in pool:
            if task.done() and not task.cancelled() and task.exception() is None:
                pooled.add(task.result().get("kernel_id"))
    return [k for k in kernel_manager.list_kernel_ids() if k not in pooled]


def sessions_full_html(limit: int) -> str:
    """The page shown instead of the session view when every allowed session is in use."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Too many open sessions</title>
<style>body {{ font: 20px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }}</style>
</head><body>
<h1>Too many open sessions</h1>
<p>The session view is already open in {escape(str(limit))} tabs or windows. <strong>Close a tab</strong> of the
session view, then reload this page.</p>
<p>A tab that was closed, crashed or went to sleep frees its place within about two minutes.</p>
</body></html>
"""


class _LocalHostOnly:
    """Handler mix-in: refuse (403) any request whose ``Host`` is not this server on 127.0.0.1 or localhost."""

    def prepare(self):
        port = self.application.settings["sciatica_edu_port"]
        if not host_allowed(self.request.host, port):
            raise tornado.web.HTTPError(403, "Host %s is not this server", self.request.host)
        return super().prepare()


class SessionPageHandler(TornadoVoilaHandler):
    """Voila's page handler with a cap on page kernels and the ``_xsrf`` cookie its unload beacon needs."""

    #: Page requests being rendered now (their kernel may not be listed yet): counted against the cap.
    loading = 0

    @tornado.web.authenticated
    async def get(self, path=None):
        if path:  # Voila redirects other paths to voila/files/; no kernel involved
            return await super().get(path)
        limit = self.settings["sciatica_edu_max_page_kernels"]
        in_use = len(page_kernel_ids(self.kernel_manager)) + SessionPageHandler.loading
        if in_use >= limit:
            self.log.warning("Refused a page: %s of %s page kernels in use", in_use, limit)
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Cache-Control", "no-store")
            self.finish(sessions_full_html(limit))
            return None
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie that Voila's unload beacon sends back
        SessionPageHandler.loading += 1
        try:
            return await super().get(path)
        finally:
            SessionPageHandler.loading -= 1


def _guarded(handler: type) -> type:
    return type(f"LocalOnly{handler.__name__}", (_LocalHostOnly, handler), {})


class SessionVoila(Voila):
    """Voila for the session view: Host check on every handler, a token, a cap on page kernels."""

    max_page_kernels = Integer(
        6, config=True, help="Most pages (browser tabs) with a kernel at once; more get a 'too many sessions' page."
    )

    def initialize(self, argv=None) -> None:
        # Read the token and drop it from the environment before the kernel manager copies that for kernels.
        token = os.environ.pop(TOKEN_ENV, "")
        super().initialize(argv)
        if token and self.token is None:
            self.token = token

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["allow_remote_access"] = False  # jupyter_server's Host check too (Voila turns it off)
        settings["local_hostnames"] = ["localhost"]
        settings["sciatica_edu_port"] = self.port
        settings["sciatica_edu_max_page_kernels"] = max(1, self.max_page_kernels)
        return settings

    def init_handlers(self) -> list:
        handlers = []
        for spec in super().init_handlers():
            pattern, handler, *rest = spec
            if handler is TornadoVoilaHandler:
                handler = SessionPageHandler
            handlers.append((pattern, _guarded(handler), *rest))
        return handlers

    def launch_browser(self) -> None:
        """Open the tokened URL through a local redirect file, so the token is not on a command line."""
        url = f"http://127.0.0.1:{self.port}{self.base_url}"
        token = self.identity_provider.token if getattr(self, "identity_provider", None) else ""
        if token:
            url += f"?token={quote(token)}"
        fd, name = tempfile.mkstemp(prefix="sciatica-edu-open-", suffix=".html")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(
                f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={escape(url)}">'
                f'<p><a href="{escape(url)}">Open the session view</a></p>\n'
            )
        threading.Thread(target=webbrowser.open, args=(Path(name).as_uri(),), daemon=True).start()


main = SessionVoila.launch_instance

if __name__ == "__main__":
    main()
