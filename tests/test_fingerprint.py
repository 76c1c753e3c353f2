"""The render fingerprint: a refactor that draws the same leaves it (and so the manifest and `check`) alone; a
change to a picture, a write-up or the PNG stage changes it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import fingerprint
from generator.render import themes
from generator.writeup import pages


def test_it_depends_on_what_is_drawn_not_on_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fingerprint.render_fingerprint.cache_clear()
    before = fingerprint.render_fingerprint()
    assert (tmp_path / "blueprint" / "fingerprints" / f"{fingerprint.code_hash()}.txt").read_text().strip() == before
    # A refactor: the code's hash changes, the cached value no longer applies, the renders are the same.
    monkeypatch.setattr(fingerprint, "code_hash", lambda: "0" * 64)
    fingerprint.render_fingerprint.cache_clear()
    assert fingerprint.render_fingerprint() == before
    fingerprint.render_fingerprint.cache_clear()


def test_a_change_to_a_picture_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint.compute_fingerprint()
    bolder = replace(themes.WHITEBOARD, stroke=themes.WHITEBOARD.stroke + 0.1)
    monkeypatch.setitem(themes._THEMES, "whiteboard", bolder)
    assert fingerprint.compute_fingerprint() != before


def test_a_change_to_a_write_up_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint.compute_fingerprint()
    real = pages.render_template
    monkeypatch.setattr(pages, "render_template", lambda name, context: real(name, context) + "\n<!-- new -->\n")
    assert fingerprint.compute_fingerprint() != before


def test_the_probes_are_laid_out_from_recordings_only() -> None:
    files = fingerprint.render_probes(fallback=None)  # raises if a probe needs a layout not recorded
    assert "minimal/overview.png" in files and "README.md" in files
    assert any(name.endswith(".dot") for name in files)
