"""Ctrl+C (SIGINT) and SIGTERM stop ``export`` and ``handout`` at once: exit 130 / 143, one line on stderr and
no traceback, no page written after the signal, no half-written (``.part``) file, no kernel left running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

SCRIPT = Path(sys.executable).parent / "sciatica-edu"
STOPPED = {signal.SIGINT: (130, "stopped by Ctrl+C"), signal.SIGTERM: (143, "stopped by SIGTERM")}


def _notebooks(folder: Path) -> Path:
    """Three small course notebooks; the second runs for a minute, so a signal lands while it runs."""
    folder.mkdir()
    for name, code in (("01-quick", "x = 1"), ("02-slow", "import time\ntime.sleep(60)"), ("03-quick", "y = 2")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return folder


def _catches_sigterm(pid: int) -> bool:
    """True once the process has a SIGTERM handler (the command's own is set before any work starts)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


def _kernels(pid: int) -> list[psutil.Process]:
    try:
        return [c for c in psutil.Process(pid).children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def _stop_and_check(proc: subprocess.Popen, sig: int, out: Path, err_file: Path) -> tuple[set[str], str]:
    """Send ``sig``; check exit code, timing, one stderr line for the stop, no kernel left; return files, stderr."""
    before = _files(out)
    kernels = _kernels(proc.pid)
    lines_before = err_file.read_text().count("\n")
    start = time.monotonic()
    proc.send_signal(sig)
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"still running 5 s after {sig!r}")
    took = time.monotonic() - start
    err = err_file.read_text()
    new_lines = err.splitlines()[lines_before:]
    want_code, want_text = STOPPED[sig]
    assert code == want_code, err
    assert len(new_lines) == 1 and want_text in new_lines[0], err
    assert "Traceback" not in err
    assert _files(out) == before, "a file appeared or vanished after the signal"
    assert not [f for f in _files(out) if f.endswith(".part")]
    _, alive = psutil.wait_procs(kernels, timeout=5)
    assert not alive, f"kernels left running: {[p.pid for p in alive]}"
    print(f"\n{sig!r}: exit {code} after {took:.2f} s")
    return before, err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_export_stops_on_a_signal_while_a_notebook_runs(tmp_path, sig):
    notebooks, out, err_file = _notebooks(tmp_path / "nb"), tmp_path / "site", tmp_path / "err.txt"
    with err_file.open("w") as err:
        proc = subprocess.Popen([str(SCRIPT), "export", "--notebooks", str(notebooks), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while "01-quick.ipynb -> 01-quick.html" not in err_file.read_text():  # the first page is written
            assert proc.poll() is None and time.monotonic() < deadline, err_file.read_text()
            time.sleep(0.2)
        while not _kernels(proc.pid):  # the second notebook's kernel has started
            assert proc.poll() is None and time.monotonic() < deadline, err_file.read_text()
            time.sleep(0.1)
        time.sleep(1.0)
        files, _ = _stop_and_check(proc, sig, out, err_file)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "01-quick.html" in files and "02-slow.html" not in files and "03-quick.html" not in files
    assert "index.html" not in files  # the export did not go on to finish


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_export_stops_on_a_signal_during_kernel_start(tmp_path, sig):
    """The first kernel is being started (the issue saw a 16-frame traceback here)."""
    notebooks, out, err_file = _notebooks(tmp_path / "nb"), tmp_path / "site", tmp_path / "err.txt"
    with err_file.open("w") as err:
        proc = subprocess.Popen([str(SCRIPT), "export", "--notebooks", str(notebooks), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while not _kernels(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, err_file.read_text()
            time.sleep(0.02)
        files, _ = _stop_and_check(proc, sig, out, err_file)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not [f for f in files if f.endswith(".html")]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_handout_stops_on_a_signal_and_writes_nothing(tmp_path, sig):
    out, err_file = tmp_path / "handout.html", tmp_path / "err.txt"
    with err_file.open("w") as err:
        proc = subprocess.Popen([str(SCRIPT), "handout", "--disc", "L4-L5", "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=err, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not _catches_sigterm(proc.pid):  # the command's handlers are set: it is at work
            assert proc.poll() is None and time.monotonic() < deadline, "handout finished before the signal"
            time.sleep(0.005)
        _stop_and_check(proc, sig, tmp_path, err_file)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["err.txt"]
