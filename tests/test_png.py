"""PNG export: resvg at 2x with the shipped font, stable bytes, capped size, and a real fallback for odd glyphs."""

from __future__ import annotations

import hashlib
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from generator.render.fonts import fallback_fonts
from generator.render.png import render_png, scale_for
from generator.render.themes import THEMES, get_theme

ROOT = Path(__file__).resolve().parents[1]
WHITEBOARD = get_theme("whiteboard")


def size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def text_svg(text: str, family: str, *, width: int = 240, height: int = 60) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="10" y="40" font-size="28" font-family="{family}" fill="#000000">{text}</text></svg>'
    )


def scene_svg(theme: str = "whiteboard") -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_svg_render import render

    return render(theme=theme)


@pytest.mark.parametrize("name", THEMES)
def test_png_is_twice_the_svg_and_stable(name: str) -> None:
    svg = scene_svg(name)
    png = render_png(svg, get_theme(name))
    match = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    assert match
    assert size(png) == (2 * int(match[1]), 2 * int(match[2]))
    assert png == render_png(svg, get_theme(name))
    assert len(png) > 20_000, "something was drawn"


def test_png_bytes_match_across_processes() -> None:
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); from test_png import scene_svg; "
        "from generator.render.png import render_png; from generator.render.themes import get_theme; "
        "print(hashlib.sha256(render_png(scene_svg(), get_theme('whiteboard'))).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "7"},
    ).stdout.strip()
    assert out == hashlib.sha256(render_png(scene_svg(), WHITEBOARD)).hexdigest()


def test_large_drawings_are_scaled_down_not_cropped() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3000 2000" width="3000" height="2000">'
        '<rect width="3000" height="2000" fill="#fff"/></svg>'
    )
    width, height = size(render_png(svg, WHITEBOARD, max_pixels=2_000_000))
    assert width * height <= 2_000_000
    assert width / height == pytest.approx(1.5, rel=0.01)
    assert width > 1500, "scaled only as much as needed"
    assert scale_for(100, 50, scale=2, max_pixels=16_000_000) == 2.0


def test_the_handwriting_font_is_used() -> None:
    kalam = render_png(text_svg("Hello board", "Kalam"), WHITEBOARD)
    sans = render_png(text_svg("Hello board", "DejaVu Sans"), WHITEBOARD)
    blank = render_png(text_svg("", "Kalam"), WHITEBOARD)
    assert kalam != sans and kalam != blank


def test_characters_kalam_lacks_fall_back_to_a_sans_font() -> None:
    """Greek is not in Kalam: it must come out exactly as DejaVu Sans draws it, not as boxes or nothing."""
    if not fallback_fonts():
        pytest.skip("no DejaVu Sans here: resvg falls back to whatever system fonts exist")
    in_kalam = render_png(text_svg("ΩΣλ", "Kalam"), WHITEBOARD)
    in_sans = render_png(text_svg("ΩΣλ", "DejaVu Sans"), WHITEBOARD)
    blank = render_png(text_svg("", "Kalam"), WHITEBOARD)
    assert in_kalam == in_sans
    assert in_kalam != blank


def test_chinese_japanese_and_korean_fall_back_to_the_cjk_font() -> None:
    """Neither Kalam nor DejaVu has CJK: WenQuanYi Micro Hei draws it (make installs it), not empty boxes."""
    from generator.render.fonts import CJK_FAMILY

    if not any(p.suffix == ".ttc" and "wqy" in p.name for p in fallback_fonts()):
        pytest.skip("no WenQuanYi Micro Hei here (apt-get install fonts-wqy-microhei)")
    blank = render_png(text_svg("", "Kalam"), WHITEBOARD)
    for text in ("数据库", "アプリ", "데이터"):
        in_kalam = render_png(text_svg(text, "Kalam"), WHITEBOARD)
        assert in_kalam == render_png(text_svg(text, CJK_FAMILY), WHITEBOARD), text
        assert in_kalam != blank, text
    boxes = render_png(text_svg("数据库", "DejaVu Sans"), WHITEBOARD)
    assert boxes == render_png(text_svg("数据库", "Kalam"), WHITEBOARD), "DejaVu falls back to the CJK font too"
