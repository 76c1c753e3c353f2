"""A non-editable install works outside the repository: templates and fonts ship inside the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.dot
def test_wheel_ships_its_data_and_builds_outside_the_repo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("blueprint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/writeup/templates/design.md.j2",
        "generator/writeup/templates/index.md.j2",
        "generator/fonts/Kalam-Regular.ttf",
        "generator/fonts/OFL.txt",
        "generator/py.typed",
        "generator/analysis/examples/hashing.py",
    ):
        assert needed in names, needed
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    (work / "designs").mkdir(parents=True)
    shutil.copy(ROOT / "generator" / "build" / "probes" / "minimal.yaml", work / "designs" / "minimal.yaml")
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(target)), "the installed copy is the one imported"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=work, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    readme = (work / "output" / "minimal" / "README.md").read_text()
    assert "# Minimal" in readme
    assert str(ROOT) not in readme and str(target) not in (work / "output" / "minimal" / "overview.svg").read_text()
