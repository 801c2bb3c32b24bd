"""Kernels and memory of the session server under load (issue 15): prints measured numbers, asserts nothing.

Starts the session server as ``sciatica-edu present`` does (``present.voila_command``, a token, 127.0.0.1 only),
then ``--clients`` plain HTTP clients (never a websocket, as a tab that crashed or a script would) load the page
``/`` again and again for ``--seconds``, each pausing ``--pause`` s between loads. It prints loads, refusals
("too many open sessions", 503), errors, p50/p90 latency, and the number of kernels with the RSS of the server
and of its kernels: before, during the load and for ``--watch`` s after it (when the culler should free them).

Bounded on purpose: at most 20 clients, 60 s of load, 127.0.0.1 only.
``--old`` starts the server with the settings before issue 15 (no culling, no cap) to compare.

Run: .venv/bin/python benchmarks/session_load.py [--clients 10] [--seconds 60] [--watch 180] [--old]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sciatica_edu import present  # noqa: E402

NOTEBOOK = REPO / "notebooks" / present.SESSION_NOTEBOOK
TOKEN = "session-load-benchmark"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample(server: psutil.Process) -> dict[str, float]:
    """Kernels (ipykernel processes under the server) and RSS in MB of the server and of all kernels."""
    kernels, kernel_rss = 0, 0
    try:
        children = server.children(recursive=True)
        server_rss = server.memory_info().rss
    except psutil.Error:
        return {"kernels": 0, "server_mb": 0.0, "kernels_mb": 0.0}
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                kernels += 1
            kernel_rss += child.memory_info().rss
        except psutil.Error:
            continue
    return {"kernels": kernels, "server_mb": server_rss / 1e6, "kernels_mb": kernel_rss / 1e6}


def show(label: str, s: dict[str, float]) -> None:
    total = s["server_mb"] + s["kernels_mb"]
    print(f"{label:>22}: kernels {s['kernels']:3d}   server {s['server_mb']:7.0f} MB"
          f"   kernels {s['kernels_mb']:7.0f} MB   total {total:7.0f} MB", flush=True)


def client(url: str, deadline: float, pause: float, results: list, lock: threading.Lock) -> None:
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
                outcome = "load" if response.status == 200 else f"http {response.status}"
        except urllib.error.HTTPError as exc:
            outcome = "refused" if exc.code == 503 else f"http {exc.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            outcome = f"error {type(exc).__name__}"
        with lock:
            results.append((outcome, time.monotonic() - start))
        time.sleep(pause)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients, 1 to 20 (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of load, at most 60 (default 60)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds each client waits between loads")
    parser.add_argument("--watch", type=float, default=180, help="seconds to watch after the load (default 180)")
    parser.add_argument("--old", action="store_true", help="settings before issue 15: no culling, no cap")
    args = parser.parse_args()
    if not 1 <= args.clients <= 20:
        parser.error("--clients must be from 1 to 20")
    if not 0 < args.seconds <= 60:
        parser.error("--seconds must be more than 0 and at most 60")
    if not 0 <= args.watch <= 600:
        parser.error("--watch must be from 0 to 600")

    port = free_port()
    settings = {"cull_idle_timeout": 0, "max_page_kernels": 10_000} if args.old else {}
    root = present.voila_template_root()
    tmp = Path(tempfile.mkdtemp(prefix="sciatica-edu-load-"))
    cmd = present.voila_command(NOTEBOOK, port, open_browser=False, **settings)
    env = present.voila_env(root, tmp / "handouts", TOKEN)
    log = (tmp / "voila.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=NOTEBOOK.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    server = psutil.Process(proc.pid)
    url = f"http://127.0.0.1:{port}/?token={TOKEN}"
    print(f"session_load: {args.clients} clients x {args.seconds:.0f} s (pause {args.pause} s),"
          f" watch {args.watch:.0f} s;"
          f" {'OLD settings (no culling, no cap)' if args.old else 'settings of present.voila_command'};"
          f" load average {os.getloadavg()[0]:.1f}", flush=True)
    try:
        deadline = time.monotonic() + 120
        while True:  # the server answers and its pre-heated kernel is up
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/voila.js", timeout=5).close()
                if sample(server)["kernels"] >= 1:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                print("the server did not start; see", tmp / "voila.log")
                return 1
            time.sleep(0.5)
        time.sleep(5)
        show("before", sample(server))

        results: list[tuple[str, float]] = []
        lock = threading.Lock()
        end = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(url, end, args.pause, results, lock), daemon=True)
                   for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        peak = sample(server)
        t0 = time.monotonic()
        while any(t.is_alive() for t in threads):
            time.sleep(5)
            now = sample(server)
            if now["kernels_mb"] >= peak["kernels_mb"]:
                peak = now
            show(f"during, {time.monotonic() - t0:4.0f} s", now)
        show("peak during", peak)

        loads = [dt for outcome, dt in results if outcome == "load"]
        refused = [dt for outcome, dt in results if outcome == "refused"]
        errors = [outcome for outcome, _ in results if outcome not in ("load", "refused")]
        print(f"loads {len(loads)}   refused (503, too many sessions) {len(refused)}   errors {len(errors)}"
              + (f" ({', '.join(sorted(set(errors)))})" if errors else ""))
        for name, values in (("load", loads), ("refusal", refused)):
            if len(values) >= 2:
                q = statistics.quantiles(values, n=10, method="inclusive")
                print(f"{name} latency: p50 {statistics.median(values):.2f} s   p90 {q[8]:.2f} s   "
                      f"max {max(values):.2f} s")

        t1 = time.monotonic()
        mark = 30.0
        while time.monotonic() - t1 < args.watch:
            time.sleep(max(0.0, min(t1 + mark, t1 + args.watch) - time.monotonic()))
            show(f"after, {time.monotonic() - t1:4.0f} s", sample(server))
            mark += 30.0
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
