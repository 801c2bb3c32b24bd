"""WebKit, the engine of Safari, for the browser tests: Debian's WebKitGTK, driven over classic W3C WebDriver.

Safari itself runs only on Apple's systems, and Playwright's WebKit is a download (never here). WebKitGTK is the
same engine (WebCore, JavaScriptCore and its WebAssembly) with a GTK shell: ``WebKitWebDriver`` (package
``webkit2gtk-driver``) drives its ``MiniBrowser`` in automation mode, on a private X display (``Xvfb``, package
``xvfb``) since WebKitGTK has no headless mode. Each ``WebKit`` is a fresh browser with its own home, cache and
storage, and one window.

What the tests use: the page's own script (``execute/sync``, awaiting a promise) to read and act, screenshots,
and the guard of ``driven.py``: the session's proxy capability sends every request that is not for 127.0.0.1
or localhost to the refusing proxy, which records it. Classic WebDriver reports no requests and no console, so
the proxy is the whole guard; ``test_lite_other_browsers`` checks that it sees a request for another host.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import executable, free_port, require_installed
from .driven import Driven, DriverError, RefusingProxy

WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
XVFB = Path("/usr/bin/Xvfb")
#: Debian's packages that hold them (``make browser-deps``).
PACKAGES = "webkit2gtk-driver xvfb"


def minibrowser() -> Path | None:
    """WebKitGTK's MiniBrowser (in ``libwebkit2gtk-4.1-0``, under the machine's multiarch folder)."""
    found = sorted(Path("/usr/lib").glob("*/webkit2gtk-4.1/MiniBrowser"))
    return found[0] if found else None


def require_webkit() -> None:
    missing = [str(p) for p in (WEBKIT_DRIVER, XVFB) if not executable(p)]
    if minibrowser() is None:
        missing.append("WebKitGTK's MiniBrowser")
    require_installed(missing, "WebKitGTK's driver and a virtual display", PACKAGES)


class WebDriverError(DriverError):
    """A WebDriver command failed (its error code and message), or the page's script threw."""


def _start_xvfb(width: int, height: int, log, env: dict) -> tuple[subprocess.Popen, str]:
    """A private X display; Xvfb picks a free number and writes it to a pipe (``-displayfd``)."""
    r, w = os.pipe()
    proc = subprocess.Popen([str(XVFB), "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    os.close(w)
    # Xvfb writes the number, then a newline, then closes its end: read up to the newline. Closing the pipe after
    # the number alone made its second write fail, and Xvfb exit ("Cannot write display number to fd").
    got = b""
    deadline = time.monotonic() + 30
    try:
        while not got.endswith(b"\n") and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([r], [], [], left)
            chunk = os.read(r, 64) if ready else b""
            if not chunk:
                break  # the time is up, or Xvfb closed its end (it exited)
            got += chunk
    finally:
        os.close(r)
    number = got.decode().strip() if got.endswith(b"\n") else ""
    if not number:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        raise WebDriverError("Xvfb did not start a display within 30 s (see webkit.log)")
    return proc, f":{number}"


@dataclass
class WebKit(Driven):
    """One WebKitGTK MiniBrowser with a fresh home (cache, storage, downloads) and one window."""

    procs: list[subprocess.Popen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session = ""
        self.downloads = self.home / "Downloads"
        for d in ("cache", "config", "data", "runtime"):
            (self.home / d).mkdir(parents=True, exist_ok=True)
        self.downloads.mkdir(parents=True, exist_ok=True)
        (self.home / "runtime").chmod(0o700)
        env = dict(os.environ, HOME=str(self.home), XDG_CACHE_HOME=str(self.home / "cache"),
                   XDG_CONFIG_HOME=str(self.home / "config"), XDG_DATA_HOME=str(self.home / "data"),
                   XDG_RUNTIME_DIR=str(self.home / "runtime"), XDG_DOWNLOAD_DIR=str(self.downloads),
                   GTK_A11Y="none", NO_AT_BRIDGE="1")
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(name, None)  # only the session's proxy (below) decides where a request goes
        self.proxy = RefusingProxy()  # then nothing can fail before the try that closes it
        self.log = (self.artefacts / "webkit.log").open("w")
        try:
            xvfb, env["DISPLAY"] = _start_xvfb(self.width, self.height, self.log, env)
            self.procs.append(xvfb)
            port = free_port()
            self.base = f"http://127.0.0.1:{port}"
            self.procs.append(subprocess.Popen([str(WEBKIT_DRIVER), f"--port={port}", "--host=local"],
                                               stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                               start_new_session=True))
            self._ready()
            proxy = f"127.0.0.1:{self.proxy.port}"
            caps = {"proxy": {"proxyType": "manual", "httpProxy": proxy, "sslProxy": proxy,
                              "noProxy": ["127.0.0.1", "localhost"]},
                    "webkitgtk:browserOptions": {"binary": str(minibrowser()), "args": ["--automation"]}}
            self.session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}},
                                      timeout_s=120)["sessionId"]
            self._call("POST", self._s("/window/rect"), {"x": 0, "y": 0, "width": self.width,
                                                         "height": self.height})
        except BaseException:  # never leave a display or a browser running behind a failed start
            self.close()
            raise

    # ------------------------------------------------------------------ protocol

    def _ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                if self._call("GET", "/status", timeout_s=5).get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            if self.procs[-1].poll() is not None or time.monotonic() > deadline:
                raise WebDriverError(f"WebKitWebDriver did not answer on {self.base} (see webkit.log)")
            time.sleep(0.2)

    def _s(self, path: str) -> str:
        return f"/session/{self.session}{path}"

    def _call(self, method: str, path: str, body: dict | None = None, timeout_s: float | None = None) -> object:
        """One WebDriver command; its ``value``, or WebDriverError with the driver's error and message."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never an environment proxy
        try:
            with opener.open(req, timeout=timeout_s or self.timeout_s) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as exc:
            try:
                value = json.loads(exc.read()).get("value", {})
            except ValueError:
                value = {}
            raise WebDriverError(f"{method} {path}: {value.get('error', exc.code)}: {value.get('message', '')}")\
                from None

    def js(self, expression: str, arg: object = None) -> object:
        src = f"return (async () => JSON.stringify(await ({expression})({json.dumps(arg)}) ?? null))();"
        value = self._call("POST", self._s("/execute/sync"), {"script": src, "args": []})
        return json.loads(value) if isinstance(value, str) else value

    def goto(self, url: str) -> None:
        """Navigate and wait for the page's load event."""
        self._call("POST", self._s("/url"), {"url": url}, timeout_s=300)

    def shot(self, name: str) -> Path:
        """A numbered screenshot of the window under the test's artefact folder."""
        self.steps += 1
        path = self.artefacts / f"{self.steps:02d}-{name}.png"
        path.write_bytes(base64.b64decode(self._call("GET", self._s("/screenshot"))))
        return path

    def download_dirs(self) -> list[Path]:
        return [self.home, self.downloads]  # MiniBrowser saves into its home

    # ------------------------------------------------------------------ the end

    def close(self) -> None:
        """End the session, then the driver and the display with every process in their groups (MiniBrowser and
        its web and network processes), the proxy and the log; safe to call after a failed start."""
        if self.session:
            with contextlib.suppress(Exception):  # already gone
                self._call("DELETE", self._s(""), timeout_s=15)
        try:
            for proc in reversed(self.procs):
                with contextlib.suppress(ProcessLookupError):  # each its own process group (start_new_session)
                    os.killpg(proc.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
        finally:
            self.proxy.stop()
            self.log.close()
