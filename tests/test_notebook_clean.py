"""Notebooks saved from ``make lab`` stay as committed: outputs, counts and widget state are stripped on save.

The stripping function is pure and tested on notebook dicts; the last test starts JupyterLab with the same
``--config`` as ``make lab`` and saves notebooks through the contents API (PUT /api/contents/...), then
reads the files on disk.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from sciatica_edu.notebook_clean import CHECK, pre_save_hook_for, strip_notebook

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
CONFIG = REPO / "jupyter" / "jupyter_server_config.py"
BIN = Path(sys.executable).parent

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FULL_LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11.2",
}


def used(nb: dict, count: int = 7) -> dict:
    """``nb`` as JupyterLab saves it after a person ran it: outputs, counts, widget state, kernel details."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        cell["metadata"]["scrolled"] = True
        cell["metadata"]["jupyter"] = {"outputs_hidden": False}
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        if "".join(cell["source"]).lstrip().startswith(CHECK):
            for output in cell["outputs"]:
                if "execution_count" in output:
                    output["execution_count"] = count
            continue
        cell["outputs"] = [
            {"output_type": "stream", "name": "stdout", "text": "printed\n"},
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "x"},
            },
        ]
    nb["metadata"]["widgets"] = {WIDGET_VIEW.replace("view", "state"): {"state": {"abc": {}}}}
    nb["metadata"]["language_info"] = dict(FULL_LANGUAGE_INFO)
    return nb


def committed(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def as_saved(nb: dict) -> str:
    """The text Jupyter's file contents manager writes for a notebook (nbformat.write)."""
    text = nbformat.writes(nbformat.from_dict(nb))
    return text if text.endswith("\n") else text + "\n"


# ---- the pure function -------------------------------------------------------------------


def test_strip_removes_outputs_counts_widget_state_and_kernel_details():
    nb = used(committed("03-where-you-feel-it.ipynb"))
    before = copy.deepcopy(nb)
    clean = strip_notebook(nb)
    assert nb == before  # the input is left alone
    code = [c for c in clean["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    # only the kit's own cell tags stay (e.g. "notebook-only": the export leaves such a cell out)
    assert all(set(c["metadata"]) <= {"tags"} for c in clean["cells"])
    assert [c["metadata"]["tags"] for c in clean["cells"] if c["metadata"]] == [["notebook-only"]]
    assert "widgets" not in clean["metadata"]
    assert clean["metadata"]["language_info"] == {"name": "python"}
    assert clean["metadata"]["sciatica_edu"] == {"audience": "patient"}  # the kit's own metadata stays
    assert clean == committed("03-where-you-feel-it.ipynb")


def test_strip_keeps_check_cells_and_numbers_them_in_order():
    original = committed("07-clinical-patterns.ipynb")
    clean = strip_notebook(used(original, count=40))
    checks = [c for c in clean["cells"] if c["cell_type"] == "code" and "".join(c["source"]).startswith(CHECK)]
    assert len(checks) == 2
    assert [c["execution_count"] for c in checks] == [1, 2]
    assert all(c["outputs"] and c["outputs"][0]["output_type"] in ("stream", "execute_result") for c in checks)
    assert clean == original


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_committed_notebooks_are_saved_byte_for_byte_as_they_are(path):
    """A save that only passes through the hook changes no committed notebook (git status stays clean)."""
    text = path.read_text(encoding="utf-8")
    assert as_saved(strip_notebook(json.loads(text))) == text
    assert as_saved(strip_notebook(used(json.loads(text)))) == text


@pytest.mark.parametrize("bad", [None, "notebook", {"cells": "x"}, {"cells": ["not a cell"]}])
def test_strip_rejects_what_is_not_a_notebook(bad):
    with pytest.raises(ValueError, match="must be a dict"):
        strip_notebook(bad)


# ---- the hook ----------------------------------------------------------------------------


class FakeContents:
    """The one thing the hook asks of Jupyter's file contents manager: where a path lives on disk."""

    def __init__(self, root: Path):
        self.root = root

    def _get_os_path(self, path: str) -> str:
        return str(self.root / path)


def test_the_hook_strips_only_notebooks_in_its_folder(tmp_path):
    (tmp_path / "notebooks" / "deeper").mkdir(parents=True)
    hook = pre_save_hook_for(tmp_path / "notebooks")
    cm = FakeContents(tmp_path)
    for path, stripped in [
        ("notebooks/03.ipynb", True),
        ("notebooks/deeper/03.ipynb", True),
        ("mine.ipynb", False),
        ("notebooks-old/03.ipynb", False),
    ]:
        model = {"type": "notebook", "content": used(committed("03-where-you-feel-it.ipynb"))}
        hook(model=model, path=path, contents_manager=cm)
        assert (model["content"] == committed("03-where-you-feel-it.ipynb")) is stripped, path
    text = {"type": "file", "content": "outputs"}
    hook(model=text, path="notebooks/notes.txt", contents_manager=cm)
    assert text == {"type": "file", "content": "outputs"}
    with pytest.raises(ValueError, match="folder"):
        pre_save_hook_for()


def test_make_lab_starts_jupyter_with_the_config():
    recipe = re.search(r"^lab:.*?(?=^\S)", (REPO / "Makefile").read_text(), re.M | re.S).group()
    flag = re.search(r"--config=(\S+)", recipe)
    assert flag and "cd notebooks" in recipe
    assert (NOTEBOOKS / flag.group(1)).resolve() == CONFIG
    assert "pre_save_hook_for" in CONFIG.read_text()


# ---- through a real Jupyter server --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(method: str, url: str, token: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"{}")


@pytest.mark.slow
def test_a_lab_save_through_the_contents_api_leaves_no_outputs_on_disk(tmp_path):
    """JupyterLab started as ``make lab`` starts it (same --config, from notebooks/); saves go through the API."""
    kit = tmp_path / "kit"
    (kit / "jupyter").mkdir(parents=True)
    shutil.copy(CONFIG, kit / "jupyter" / CONFIG.name)  # the config finds notebooks/ next to its own folder
    (kit / "notebooks").mkdir()
    for sub in ("config", "data", "runtime"):
        (tmp_path / sub).mkdir()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    env.pop("JUPYTER_TOKEN", None)
    port, token = _free_port(), f"t{os.getpid()}x{time.time_ns()}"
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", f"--config=../jupyter/{CONFIG.name}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={kit}", f"--IdentityProvider.token={token}", "--LabApp.news_url=",
    ]  # fmt: skip
    if os.getuid() == 0:
        cmd.append("--allow-root")
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=kit / "notebooks", env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            try:
                _request("GET", f"{url}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.3)
        for name in ("03-where-you-feel-it.ipynb", "07-clinical-patterns.ipynb"):
            body = {"type": "notebook", "format": "json", "content": used(committed(name))}
            _request("PUT", f"{url}/api/contents/notebooks/{name}", token, body)
            on_disk = (kit / "notebooks" / name).read_text(encoding="utf-8")
            assert '"output_type": "display_data"' not in on_disk and '"widgets"' not in on_disk
            assert on_disk == (NOTEBOOKS / name).read_text(encoding="utf-8"), name  # as committed, byte for byte
        # a notebook outside the kit's notebooks/ folder is saved as given
        body = {"type": "notebook", "format": "json", "content": used(committed("03-where-you-feel-it.ipynb"))}
        _request("PUT", f"{url}/api/contents/mine.ipynb", token, body)
        assert '"output_type": "display_data"' in (kit / "mine.ipynb").read_text(encoding="utf-8")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
