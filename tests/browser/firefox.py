"""Debian's Firefox ESR for the browser tests, driven over WebDriver BiDi (the W3C protocol Firefox speaks itself).

Playwright's Firefox is a patched build it downloads (never here), and its driver for a stock Firefox calls BiDi
commands Firefox ESR does not have yet (``emulation.setMediaFeaturesOverride``), so this is a small client of its
own: a fresh profile, the page's own script (``script.evaluate``) to read and act, screenshots
(``browsingContext.captureScreenshot``), and a guard that nothing leaves the machine.

The guard has two parts. Firefox is told to send every request that is not for 127.0.0.1 or localhost (which
Firefox never proxies) through a "proxy" on 127.0.0.1 that answers 403 and records what was asked for: the page,
its workers and Firefox's own services alike. The profile turns those services off, so anything recorded is a
leak and fails the test. BiDi's ``network.beforeRequestSent`` events are recorded as well, for the log.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

from .conftest import executable, free_port, require_installed
from .driven import Driven, DriverError, RefusingProxy

FIREFOX = Path("/usr/bin/firefox-esr")

#: Profile preferences: no background traffic (updates, telemetry, Remote Settings, safe browsing, captive-portal
#: and connectivity checks, push, DNS prefetch), no first-run pages, downloads saved without asking.
PREFS: dict[str, object] = {
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "browser.aboutwelcome.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.system.topstories": False,
    "browser.newtabpage.activity-stream.showSponsoredTopSites": False,
    "browser.ping-centre.telemetry": False,
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.search.update": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage": "about:blank",
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.translations.enable": False,
    "browser.urlbar.suggest.searches": False,
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "captivedetect.canonicalURL": "",
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.usage.uploadEnabled": False,
    "dom.max_script_run_time": 0,  # never "a script is slowing down this page" on a loaded machine
    "dom.push.connection.enabled": False,
    "dom.push.serverURL": "",
    "extensions.getAddons.cache.enabled": False,
    "focusmanager.testmode": True,
    "extensions.update.enabled": False,
    "extensions.blocklist.enabled": False,
    "extensions.systemAddon.update.enabled": False,
    "geo.provider.network.url": "",
    "media.gmp-manager.updateEnabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.prefetch-next": False,
    "network.trr.mode": 5,
    # Remote Settings (and Nimbus, which syncs through it) at a dummy address; Firefox honours the override only
    # with MOZ_REMOTE_SETTINGS_DEVTOOLS=1 in its environment (set below)
    "services.settings.server": "data:,#remote-settings-dummy/v1",
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.server": "",
    "toolkit.telemetry.unified": False,
    "datareporting.healthreport.service.enabled": False,
}


def require_firefox() -> None:
    require_installed([] if executable(FIREFOX) else [str(FIREFOX)], "Debian's Firefox ESR", "firefox-esr")


class BiDiError(DriverError):
    """A BiDi command failed, or the page's script threw."""


@dataclass
class Firefox(Driven):
    """One headless Firefox ESR with a fresh profile and one tab (``context``), driven over WebDriver BiDi."""

    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.proxy = RefusingProxy()
        profile = self.home / "profile"
        profile.mkdir(parents=True)
        prefs = dict(PREFS)
        prefs.update({
            "network.proxy.type": 1,
            "network.proxy.http": "127.0.0.1", "network.proxy.http_port": self.proxy.port,
            "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": self.proxy.port,
            "network.proxy.no_proxies_on": "",
            "network.proxy.allow_hijacking_localhost": False,  # 127.0.0.1 and localhost go direct
            "browser.download.dir": str(self.home / "downloads"),
        })
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()))
        port = free_port()
        env = dict(os.environ, HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / "config"),
                   XDG_CACHE_HOME=str(self.home / "cache"), MOZ_CRASHREPORTER_DISABLE="1",
                   MOZ_REMOTE_SETTINGS_DEVTOOLS="1")
        self.log = (self.artefacts / "firefox.log").open("w")
        self.ws = None
        self.proc = subprocess.Popen(
            [str(FIREFOX), "--headless", "--no-remote", "--profile", str(profile),
             f"--remote-debugging-port={port}", "about:blank"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            self.ws = self._connect(f"ws://127.0.0.1:{port}/session")
            self._ids = itertools.count(1)
            self.call("session.new", {"capabilities": {}})
            self.call("session.subscribe", {"events": ["network.beforeRequestSent", "log.entryAdded"]})
            self.context = self.call("browsingContext.getTree", {})["contexts"][0]["context"]
            self.call("browsingContext.activate", {"context": self.context})  # JupyterLab follows the focused page
            self.call("browsingContext.setViewport",
                      {"context": self.context, "viewport": {"width": self.width, "height": self.height}})
        except BaseException:  # never leave a Firefox (its own process group) running behind a failed start
            self.close()
            raise

    def _connect(self, url: str) -> ClientConnection:
        deadline = time.monotonic() + 60
        while True:
            try:
                # proxy=None: never an HTTP(S)_PROXY from the environment for 127.0.0.1; no keepalive pings,
                # which a loaded 2-core machine can miss (the commands have their own time-outs)
                return connect(url, max_size=None, open_timeout=5, legacy=True, proxy=None,
                               ping_interval=None)  # closed in close()
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise BiDiError(f"Firefox did not open WebDriver BiDi on {url} (see firefox.log)") from None
                time.sleep(0.2)

    # ------------------------------------------------------------------ protocol

    def _event(self, msg: dict) -> None:
        params = msg.get("params", {})
        if msg.get("method") == "network.beforeRequestSent":
            self.requests.append(params.get("request", {}).get("url", ""))
        elif msg.get("method") == "log.entryAdded":
            self.console.append(f"[{params.get('level')}] {params.get('text')}")

    def call(self, method: str, params: dict, timeout_s: float | None = None) -> dict:
        """Send one command and return its result (events that arrive meanwhile are recorded)."""
        n = next(self._ids)
        self.ws.send(json.dumps({"id": n, "method": method, "params": params}))
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("type") == "event":
                self._event(msg)
            elif msg.get("id") == n:
                if msg.get("type") == "error":
                    raise BiDiError(f"{method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]

    def js(self, expression: str, arg: object = None) -> object:
        """The value of ``expression`` (a function of one argument, ``arg``) in the page, through JSON.

        An exception in the page, or a rejected promise, raises BiDiError with its message.
        """
        src = f"(async () => JSON.stringify(await ({expression})({json.dumps(arg)}) ?? null))()"
        r = self.call("script.evaluate", {"expression": src, "target": {"context": self.context},
                                          "awaitPromise": True, "resultOwnership": "none"})
        if r.get("type") == "exception":
            d = r.get("exceptionDetails", {})
            raise BiDiError(f"in the page: {d.get('text')}")
        return json.loads(r["result"]["value"])

    def goto(self, url: str) -> None:
        self.call("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def shot(self, name: str) -> Path:
        """A numbered screenshot of the viewport under the test's artefact folder."""
        self.steps += 1
        data = self.call("browsingContext.captureScreenshot", {"context": self.context})["data"]
        path = self.artefacts / f"{self.steps:02d}-{name}.png"
        path.write_bytes(base64.b64decode(data))
        return path

    # ------------------------------------------------------------------ the guard and the end

    def seen_requests(self) -> list[str]:
        return self.requests

    def download_dirs(self) -> list[Path]:
        return [self.home / "downloads"]  # browser.download.dir

    def close(self) -> None:
        """End the session and Firefox, then every process left in its group (content processes), the proxy and
        the log; safe to call after a failed start."""
        if self.ws is not None:
            with contextlib.suppress(Exception):  # already gone, or it closed before answering
                self.call("browser.close", {}, timeout_s=10)
            with contextlib.suppress(Exception):
                self.ws.close()
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):  # its own process group (start_new_session)
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        finally:
            self.proxy.stop()
            self.log.close()
            (self.artefacts / "console.log").write_text("\n".join(self.console) + "\n")
            (self.artefacts / "requests.log").write_text("\n".join(self.requests) + "\n")
