"""Output paths stay inside the output folder; writes are atomic and skip unchanged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.io import find_designs, inside, write_if_changed
from generator.errors import OutputPathError


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../x", "", "a\x00b"])
def test_escaping_paths_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(OutputPathError):
        inside(tmp_path, bad)


def test_symlink_out_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(OutputPathError):
        inside(out, "link/x.svg")


def test_write_if_changed(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    assert write_if_changed(target, b"one") is True
    mtime = target.stat().st_mtime_ns
    assert write_if_changed(target, b"one") is False
    assert target.stat().st_mtime_ns == mtime
    assert write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"], "no temporary file left behind"


def test_find_designs(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "a.yml").write_text("x")
    (tmp_path / "c.txt").write_text("x")
    assert [p.name for p in find_designs([tmp_path])] == ["a.yml", "b.yaml"]
