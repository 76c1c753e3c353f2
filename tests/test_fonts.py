"""The shipped handwriting font: its files, its fontconfig registration, glyph coverage and the fallback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from generator.layout import text as fonts
from generator.layout.text import (
    FONT_DIR,
    covered,
    font_path,
    fontconfig_file,
    missing_glyphs,
    substitute,
    text_width,
)
from generator.render.fonts import fallback_fonts


@pytest.fixture
def fresh_conf(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget the per-process fonts.conf before and after a test that moves the cache folder."""
    fontconfig_file.cache_clear()
    yield
    monkeypatch.undo()
    fontconfig_file.cache_clear()


@pytest.mark.parametrize(("weight", "style", "weight_class"), [("regular", "Regular", 400), ("bold", "Bold", 700)])
def test_font_files_are_kalam_truetype(weight: fonts.Weight, style: str, weight_class: int) -> None:
    font = TTFont(str(font_path(weight)))
    assert font["name"].getDebugName(1) == "Kalam", "fontconfig and pango match the family name"
    assert font["name"].getDebugName(2) == style
    assert font["OS/2"].usWeightClass == weight_class
    assert font.sfntVersion == "\x00\x01\x00\x00" and font.flavor is None, "plain TrueType, not WOFF"


def test_licence_ships_beside_the_font() -> None:
    text = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Indian Type Foundry" in text, "the licence carries Kalam's copyright line"


def test_fontconfig_file_registers_the_font_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_conf: None
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    conf = fontconfig_file()
    assert conf.parent == tmp_path / "blueprint"
    root = ET.fromstring(conf.read_text(encoding="utf-8"))
    include = root.find("include")
    assert include is not None and include.text == "/etc/fonts/fonts.conf"
    assert include.get("ignore_missing") == "yes"
    assert [d.text for d in root.findall("dir")] == [str(FONT_DIR)]
    cachedir = root.find("cachedir")
    assert cachedir is not None and cachedir.text and cachedir.text.startswith(str(tmp_path))

    stamp = conf.stat().st_mtime_ns
    fontconfig_file.cache_clear()
    assert fontconfig_file() == conf
    assert conf.stat().st_mtime_ns == stamp, "an unchanged fonts.conf is not rewritten"
    assert not [p for p in conf.parent.iterdir() if p.name.startswith(".fonts.conf.")], "no temporary left behind"


def test_fontconfig_file_falls_back_when_the_cache_is_not_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_conf: None
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    conf = fontconfig_file()
    assert conf.is_file() and not str(conf).startswith(str(blocker))


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_fontconfig_resolves_kalam_to_the_shipped_file() -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", "Kalam"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert Path(out) == font_path()


@pytest.mark.dot
def test_graphviz_measures_labels_with_kalam() -> None:
    """With FONTCONFIG_FILE set, dot resolves fontname=Kalam to the shipped file and uses its advance widths."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    text = "fetch key range 1,000 keys"
    source = f'digraph {{ a [shape=plaintext fontname="Kalam" fontsize=14 label="{text}"] }}'
    verbose = subprocess.run(["dot", "-v", "-Tjson"], input=source, capture_output=True, text=True, env=env)
    assert verbose.returncode == 0, verbose.stderr
    assert 'fontname: "Kalam" resolved to' in verbose.stderr
    assert "Kalam-Regular.ttf" in verbose.stderr
    ops = [op for obj in json.loads(verbose.stdout)["objects"] for op in obj.get("_ldraw_", [])]
    width = next(float(op["width"]) for op in ops if op.get("op") == "T")
    assert width == pytest.approx(text_width(text, 14), rel=0.06)


def test_coverage_from_the_character_map() -> None:
    ascii_printable = "".join(chr(c) for c in range(32, 127))
    assert covered(ascii_printable) and covered(ascii_printable, "bold")
    assert covered("naïve café — “quoted” … 3 × 4")
    assert missing_glyphs("a → b 日") == {"→", "日"}
    assert not covered("→")


def test_every_substitute_is_drawable() -> None:
    for char, replacement in fonts._SUBSTITUTES.items():
        assert covered(replacement), f"{char!r} becomes {replacement!r}, which the font lacks"
    assert substitute("a → b ⇒ c ≈ d ≤ e ≥ f") == "a -> b => c ~ d <= e >= f"
    assert substitute("3 × 4 — ok") == "3 × 4 — ok", "characters the font has are kept"


@given(st.text(max_size=40))
def test_substitute_never_touches_drawable_text_and_only_removes_gaps(text: str) -> None:
    out = substitute(text)
    if covered(text):
        assert out == text
    assert missing_glyphs(out) <= missing_glyphs(text)


def test_fallback_font_draws_what_kalam_lacks() -> None:
    found = fallback_fonts()
    if not found:
        pytest.skip("no DejaVu Sans on this machine: the PNG falls back to system fonts")
    font = TTFont(str(found[0]))
    assert font["name"].getDebugName(1) == "DejaVu Sans"
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "Ωλ→≠")
    assert fallback_fonts() is found, "looked up once per process"


def test_wide_east_asian_characters_measure_a_full_em() -> None:
    from generator.layout.text import text_width

    assert text_width("数据库", 10) == pytest.approx(30.0)
    assert text_width("ΩΣ", 10) == pytest.approx(12.0), "other missing glyphs count 0.6 em"
    assert text_width("데이터", 14) == pytest.approx(3 * 14.0)


def test_the_shipped_metrics_are_the_fonts_own() -> None:
    """metrics.json is what the font files say (regenerate it with read_metrics when a font changes)."""
    shipped = json.loads(fonts.METRICS.read_text(encoding="utf-8"))
    for weight in ("regular", "bold"):
        path = font_path(weight)
        assert shipped[path.name] == fonts.read_metrics(path), f"{path.name}: metrics.json is stale"


def test_a_replaced_font_is_measured_from_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "metrics.json"
    stale.write_text(json.dumps({"Kalam-Regular.ttf": {"sha256": "0" * 64, "upm": 1, "advances": {"109": 1}}}))
    monkeypatch.setattr(fonts, "METRICS", stale)
    fonts._metrics.cache_clear()
    try:
        measured = fonts._metrics("regular")
    finally:
        fonts._metrics.cache_clear()
    assert measured == fonts.read_metrics(font_path("regular"))
