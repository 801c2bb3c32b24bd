"""What the browsers driven without Playwright share: Firefox ESR (``firefox.py``, WebDriver BiDi) and WebKitGTK
(``webkit.py``, classic WebDriver).

Each sends every request that is not for 127.0.0.1 or localhost through a "proxy" on 127.0.0.1 that answers 403
and records what was asked for: the page's, its workers' and the browser's own. Anything recorded is a leak and
fails the test. ``Driven`` gives both the same reading of the page (``js``, ``wait``) and of the guard.
"""

from __future__ import annotations

import socketserver
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .conftest import LOCAL_HOSTS


class DriverError(AssertionError):
    """The browser refused a command, or the page's script threw."""


class _Refuse(socketserver.StreamRequestHandler):
    """Reads the request line ("CONNECT host:443 HTTP/1.1", "GET http://host/ HTTP/1.1"), records it, refuses."""

    def handle(self) -> None:
        line = self.rfile.readline(8192).decode("latin-1").strip()
        if line:
            self.server.asked.append(line)  # type: ignore[attr-defined]
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class RefusingProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Refuse)
        self.asked: list[str] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@dataclass
class Driven:
    """The part of a driven browser the tests use besides its protocol: its home (profile, downloads), where its
    artefacts go, the window's size, the default wait; ``js`` (a subclass's), ``wait``, downloads and the guard.
    A subclass starts the browser in ``__post_init__`` and sets ``proxy``."""

    home: Path
    artefacts: Path
    width: int = 1400
    height: int = 1000
    timeout_s: float = 90.0
    steps: int = 0
    proxy: RefusingProxy = field(init=False)
    forgotten: set[str] = field(default_factory=set)

    def js(self, expression: str, arg: object = None) -> object:
        """The value of ``expression`` (a function of one argument, ``arg``) in the page, through JSON; an exception
        in the page, or a rejected promise, raises DriverError with its message."""
        raise NotImplementedError

    def wait(self, expression: str, arg: object = None, timeout_s: float | None = None, what: str = "") -> object:
        """Poll ``expression`` (as in ``js``) until it returns something truthy; return that."""
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        last_error = ""
        while True:
            try:
                value = self.js(expression, arg)
            except DriverError as exc:  # the page is navigating, or its app is not there yet
                value, last_error = None, str(exc)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s or self.timeout_s:.0f} s waiting for "
                                     f"{what or expression[:80]}" + (f" (last error: {last_error})" if last_error
                                                                       else ""))
            time.sleep(0.2)

    def download_dirs(self) -> list[Path]:
        """Where the browser saves a download."""
        raise NotImplementedError

    def saved_download(self, name: str, timeout_s: float = 60) -> Path:
        """The downloaded file ``name`` once written in full: no partial twin beside it (Firefox's ``.part``,
        WebKit's ``.download``) and the same size on two looks."""
        deadline = time.monotonic() + timeout_s
        size = -1
        while True:
            found = next((d / name for d in self.download_dirs() if (d / name).is_file()), None)
            partial = found is not None and any(found.with_name(found.name + suffix).exists()
                                                for suffix in (".part", ".download", ".wkdownload"))
            now = found.stat().st_size if found is not None and not partial else -1
            if now > 0 and now == size:
                return found
            size = now
            if time.monotonic() > deadline:
                there = sorted(p.name for d in self.download_dirs() if d.is_dir() for p in d.iterdir())
                raise AssertionError(f"the browser did not save {name!r} in full within {timeout_s:.0f} s "
                                     f"(there: {there})")
            time.sleep(0.3)

    def forget_requests(self, host: str) -> None:
        """Leave ``host`` out of what the guard reports, now and later (its own check asks that host on purpose,
        and the page's follow-ups, its favicon, may come late); anything else still fails the test."""
        self.forgotten.add(host)

    def seen_requests(self) -> list[str]:
        """Requests the protocol itself reported (BiDi does; classic WebDriver cannot)."""
        return []

    def left_the_machine(self) -> list[str]:
        """Every request for another host: asked of the refusing proxy, or reported by the protocol."""
        seen = [u for u in self.seen_requests()
                if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS]
        return [x for x in dict.fromkeys(self.proxy.asked + seen) if not any(h in x for h in self.forgotten)]
