"""`pip install .` (not editable) works: the data files ship inside the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_non_editable_install_in_a_scratch_venv_finds_its_data(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("sciatica_edu-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for data_file in ("vocabulary.yaml", "roots.yaml", "discs.yaml", "references.yaml", "red_flags.yaml"):
        assert f"sciatica_edu/data/{data_file}" in names
    for init in sorted((ROOT / "sciatica_edu").rglob("__init__.py")):  # every subpackage, e.g. sciatica_edu/lite/
        rel = init.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} is not in the wheel: add its package to [tool.setuptools] packages"

    # A scratch venv that sees this venv's third-party packages but NOT the editable checkout.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3.*/site-packages"))
    ours = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "plotly").is_dir())
    (site / "deps.pth").write_text(str(ours) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path / "target"), str(wheel)],
        check=True,
    )
    (site / "zz-wheel.pth").write_text(str(tmp_path / "target") + "\n")
    code = (
        f"import sys; sys.path = [p for p in sys.path if p.rstrip('/') != {str(ROOT)!r} and p != '']\n"
        "import sciatica_edu, sciatica_edu.anatomy as a, sciatica_edu.scenario as s\n"
        "from sciatica_edu.facts.loader import data_dir\n"
        "assert 'target' in str(data_dir()), data_dir()\n"
        "assert [r.name for r in a.roots()][:3] == ['L2', 'L3', 'L4']\n"
        "assert s.Compression('L4-L5', 'paracentral', 'left', 0.9).roots == ('L5',)\n"
        "print(sciatica_edu.__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert str(tmp_path / "target") in out.stdout


def test_nothing_in_the_repository_points_outside_it():
    """The repository explains itself: no code, doc, data or test refers to ../shared or to a machine's path."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    bad = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".png", ".whl", ".gz", ".pdf") or "static/plotly" in name or not path.is_file() \
                or name == "tests/test_packaging.py":  # the patterns below name what they look for
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for pattern in (r"\.\./shared\b", r"(?<![\w.])/work/\w", r"(?<![\w./])shared/(conventions|stack-notes|"
                        r"clinical-facts|body-proportions|jupyterlite-notes)"):
            if re.search(pattern, text):
                bad.append(f"{name}: {pattern}")
    assert bad == []
