"""The session view's server (``sciatica_edu.voila_server`` as ``present`` starts it): Host check, token,
kernels of pages that went away shut down, a cap on page kernels. No browser: plain HTTP, as an attacker
or a crashed tab would leave it."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from sciatica_edu import present, voila_server

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / present.SESSION_NOTEBOOK
TOKEN = "test-token-7f3a"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


# --------------------------------------------------------------------------- fast: the pieces


def test_host_allowed_only_this_server_on_this_machine():
    port = 8866
    assert voila_server.host_allowed("127.0.0.1:8866", port)
    assert voila_server.host_allowed("LOCALHOST:8866", port)
    for bad in ("evil.test", "evil.test:8866", "127.0.0.1", "127.0.0.1:8867", "localhost.evil.test:8866",
                "127.0.0.1:8866.evil.test", "[::1]:8866", "", "0.0.0.0:8866", "127.0.0.2:8866"):
        assert not voila_server.host_allowed(bad, port), bad


class _FakeTask:
    def __init__(self, kernel_id: str | None) -> None:
        self.kernel_id = kernel_id

    def done(self) -> bool:
        return self.kernel_id is not None

    def cancelled(self) -> bool:
        return False

    def exception(self):
        return None

    def result(self) -> dict:
        return {"kernel_id": self.kernel_id}


class _FakeManager:
    def __init__(self, running: list[str], pooled: list[str | None]) -> None:
        self._running = running
        self._pools = {"10.ipynb": [_FakeTask(k) for k in pooled]}

    def list_kernel_ids(self) -> list[str]:
        return list(self._running)


def test_page_kernels_are_the_running_kernels_not_waiting_in_the_pool():
    manager = _FakeManager(["a", "b", "warm"], ["warm", None])  # one warm kernel, one still starting
    assert voila_server.page_kernel_ids(manager) == ["a", "b"]


def test_sessions_full_page_says_close_a_tab():
    html = voila_server.sessions_full_html(6)
    assert "Too many open sessions" in html and "Close a tab" in html and "6 tabs" in html
    assert "http" not in html  # nothing to fetch


def test_voila_command_culls_caps_and_keeps_one_warm_kernel(tmp_path):
    cmd = present.voila_command(tmp_path / "s.ipynb", 12345, open_browser=False)
    assert cmd[1:3] == ["-m", "sciatica_edu.voila_server"]
    assert f"--MappingKernelManager.cull_idle_timeout={present.CULL_IDLE_TIMEOUT}" in cmd
    assert f"--MappingKernelManager.cull_interval={present.CULL_INTERVAL}" in cmd
    assert "--MappingKernelManager.cull_connected=False" in cmd
    assert present.CULL_IDLE_TIMEOUT + present.CULL_INTERVAL <= 110  # a page that went away frees its kernel in < 2 min
    assert "--VoilaConfiguration.default_pool_size=1" in cmd
    assert f"--SessionVoila.max_page_kernels={present.MAX_PAGE_KERNELS}" in cmd
    assert "--Voila.port_retries=0" in cmd


def test_present_token_is_random_and_travels_in_the_environment_not_the_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv(present.SESSION_TOKEN_ENV, raising=False)
    first, second = present.session_token(), present.session_token()
    assert first != second and len(first) >= 24
    assert present.session_url(8866, first) == f"http://127.0.0.1:8866/?token={first}"
    env = present.voila_env(tmp_path, None, first)
    assert env[voila_server.TOKEN_ENV] == first
    assert not any(first in part for part in present.voila_command(tmp_path / "s.ipynb", 8866, open_browser=True))


# --------------------------------------------------------------------------- slow: a real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    def __init__(self, tmp: Path, **settings) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.root = present.voila_template_root()
        self.log = tmp / f"voila-{self.port}.log"
        cmd = present.voila_command(NOTEBOOK, self.port, open_browser=False, **settings)
        env = present.voila_env(self.root, tmp / "handouts", TOKEN)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=NOTEBOOK.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            if self.get("/voila/static/voila.js")[0]:
                return
            time.sleep(0.3)
        raise AssertionError("server did not start:\n" + self.log.read_text()[-3000:])

    def get(self, path: str, *, host: str | None = None, opener=None, data: bytes | None = None):
        request = urllib.request.Request(self.url + path, data=data)
        if host is not None:
            request.add_header("Host", host)
        opener = opener or urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)
        except (urllib.error.URLError, ConnectionError):
            return 0, "", {}

    def kernel_pids(self) -> set[int]:
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return set()
        return {c.pid for c in children if "ipykernel" in " ".join(c.cmdline())}

    def stop(self) -> None:
        import os
        import shutil
        import signal

        kernels = [psutil.Process(p) for p in self.kernel_pids()]
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        _, alive = psutil.wait_procs(kernels, timeout=5)
        for proc in alive:
            proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


CULL_IDLE, CULL_INTERVAL = 6, 2


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The session server with short cull settings (6 s idle, checked every 2 s)."""
    srv = _Server(tmp_path_factory.mktemp("voila"), cull_idle_timeout=CULL_IDLE, cull_interval=CULL_INTERVAL)
    yield srv
    srv.stop()


@pytest.mark.slow
def test_other_host_headers_are_refused_403(server):
    """A DNS-rebinding page reaches 127.0.0.1 with its own name in Host: every handler says 403."""
    for host in ("evil.test", f"evil.test:{server.port}", f"127.0.0.1:{server.port + 1}"):
        for path in (f"/?token={TOKEN}", "/voila/static/voila.js", f"/api/kernels/x?token={TOKEN}", "/login"):
            status, _, _ = server.get(path, host=host)
            assert status == 403, (host, path, status)
    assert server.get("/voila/static/voila.js", host=f"localhost:{server.port}")[0] == 200


@pytest.mark.slow
def test_no_token_no_page(server):
    status, _, headers = server.get("/")
    assert status == 302 and "/login" in headers["Location"]
    assert server.get("/?token=wrong")[0] == 302
    assert server.get("/api/kernels/00000000-0000-0000-0000-000000000000")[0] == 403


@pytest.mark.slow
def test_a_page_kernel_whose_client_went_away_is_shut_down(server):
    """A plain GET of the page (the websocket never opens) leaves a kernel; the culler shuts it down."""
    status, page, _ = server.get(f"/?token={TOKEN}")
    assert status == 200 and "Too many" not in page
    kernel_id = KERNEL_ID.search(page)[1]
    api = f"/api/kernels/{kernel_id}?token={TOKEN}"
    assert server.get(api)[0] == 200
    start = time.monotonic()
    while server.get(api)[0] == 200:
        assert time.monotonic() - start < CULL_IDLE + CULL_INTERVAL + 30, "the kernel was not culled"
        time.sleep(0.5)
    assert server.get(api)[0] == 404
    assert f"Culling 'idle' kernel 'python3' ({kernel_id}) with 0 connections" in server.log.read_text()


@pytest.mark.slow
def test_unload_beacon_shuts_the_kernel_down(server):
    """Voila's beforeunload beacon posts the _xsrf cookie's value: the page now sets that cookie, so it works."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    status, page, _ = server.get(f"/?token={TOKEN}", opener=opener)
    assert status == 200
    kernel_id = KERNEL_ID.search(page)[1]
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    body = urllib.parse.urlencode({"_xsrf": xsrf}).encode()
    status, _, _ = server.get(f"/voila/api/shutdown/{kernel_id}", opener=opener, data=body)
    assert status == 204
    assert server.get(f"/api/kernels/{kernel_id}?token={TOKEN}")[0] == 404


@pytest.mark.slow
def test_page_kernels_are_capped_with_a_clear_page(tmp_path):
    srv = _Server(tmp_path, cull_idle_timeout=600, cull_interval=60, max_page_kernels=1)
    try:
        # While the pool's first kernel is still starting it counts as in use (its id is listed before its
        # start-up is done), so with a cap of 1 a page may be refused for a few seconds on a busy machine.
        deadline = time.monotonic() + 90
        first = srv.get(f"/?token={TOKEN}")
        while first[0] == 503 and time.monotonic() < deadline:
            time.sleep(2)
            first = srv.get(f"/?token={TOKEN}")
        assert first[0] == 200
        status, page, headers = srv.get(f"/?token={TOKEN}")
        assert status == 503 and "Too many open sessions" in page and "Close a tab" in page
        assert headers.get("Retry-After") == "60"
        # closing the first page (its kernel shut down) frees the place
        kernel_id = KERNEL_ID.search(first[1])[1]
        req = urllib.request.Request(f"{srv.url}/api/kernels/{kernel_id}?token={TOKEN}", method="DELETE")
        with urllib.request.urlopen(req, timeout=60) as response:
            assert response.status == 204
        assert srv.get(f"/?token={TOKEN}")[0] == 200
    finally:
        srv.stop()


def test_present_opens_the_tokened_url_through_a_local_file(monkeypatch, tmp_path):
    """The browser gets a file:// page that forwards to the tokened address (the token is on no command line)."""
    import types

    opened: list[str] = []
    monkeypatch.setattr(voila_server.webbrowser, "open", opened.append)
    monkeypatch.setattr(voila_server.tempfile, "tempdir", str(tmp_path))
    app = voila_server.SessionVoila(port=18999)
    app.identity_provider = types.SimpleNamespace(token="abc-123")
    app.launch_browser()
    deadline = time.monotonic() + 10
    while not opened and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(opened) == 1 and opened[0].startswith("file://")
    page = Path(urllib.parse.urlparse(opened[0]).path).read_text(encoding="utf-8")
    assert 'content="0;url=http://127.0.0.1:18999/?token=abc-123"' in page

