"""Fonts for the renderer: the fallback fonts handed to the rasterizer, and the font subset every SVG embeds."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

from generator.layout.text import font_path

__all__ = ["BASE_GLYPHS", "CJK_FAMILY", "fallback_fonts", "font_face"]

_FALLBACK_FILES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"),
)


_CJK_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/local/share/fonts/wqy-microhei.ttc",
)
CJK_FAMILY = "WenQuanYi Micro Hei"
"""The fallback for Chinese, Japanese and Korean (Debian's ``fonts-wqy-microhei``, Apache 2.0 or GPL 3)."""


@cache
def fallback_fonts() -> tuple[Path, ...]:
    """The font files that draw what Kalam cannot: DejaVu Sans (regular, bold), then WenQuanYi Micro Hei for CJK.

    How a character Kalam lacks is drawn: :func:`substitute` first writes the common ones (arrows, ``×``, ``≈``)
    with characters Kalam has. Whatever is left stays in the text: the SVG's ``font-family`` list names
    ``'DejaVu Sans', sans-serif`` after Kalam, so browsers draw it in a sans font, and the PNG rasterizer is handed
    these files (and only them besides Kalam, so PNG bytes do not depend on which other fonts a machine has):
    DejaVu for accented Latin, Greek, Cyrillic and symbols, WenQuanYi Micro Hei for Chinese, Japanese and Korean.
    Looked up at well-known paths first, then with ``fc-match``; ``()`` when DejaVu is not found.
    """
    sans = _find_pair(_FALLBACK_FILES, ("DejaVu Sans", "DejaVu Sans:bold"), family="DejaVu Sans")
    if not sans:
        return ()
    cjk = _find_pair(tuple((p, p) for p in _CJK_FILES), (CJK_FAMILY,), family=CJK_FAMILY)
    return (*sans, *cjk)


def _find_pair(known: tuple[tuple[str, str], ...], patterns: tuple[str, ...], *, family: str) -> tuple[Path, ...]:
    """Font files at a well-known path, else as ``fc-match`` finds them (only if it found that family)."""
    for regular, bold in known:
        if Path(regular).is_file():
            return tuple(dict.fromkeys(Path(p) for p in (regular, bold) if Path(p).is_file()))
    exe = shutil.which("fc-match")
    if exe is None:
        return ()
    found: list[Path] = []
    for pattern in patterns:
        try:
            out = subprocess.run(
                [exe, "-f", "%{family}\t%{file}", pattern], capture_output=True, text=True, timeout=20, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):  # pragma: no cover - fontconfig broken
            return ()
        families, _, file = out.partition("\t")
        path = Path(file)
        if (
            family.lower() in families.lower()
            and path.is_file()
            and path.suffix.lower() in (".ttf", ".otf", ".ttc")
            and path not in found
        ):
            found.append(path)
    return tuple(found)


@cache
def _subset(chars: str) -> str:
    from fontTools import subset  # heavy: only when an SVG is written
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path("regular")), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [1, 2]
    options.layout_features = ["kern", "liga"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=chars + " ")
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


BASE_GLYPHS = frozenset(chr(code) for code in range(0x20, 0x7F))
"""Printable ASCII: every SVG's subset holds these, plus any other character it shows.

Nearly every diagram's text is ASCII, so one subset serves them all and is made once per process: that saves
about 40 ms of subsetting and WOFF2 compression per diagram for about 3 KB more per file than a subset of only
the glyphs used.
"""


def font_face(text: str) -> str:
    """The handwriting font subset for a text (printable ASCII plus its own characters), as base64 WOFF2."""
    chars = "".join(sorted(set(text) | BASE_GLYPHS))
    return _subset(chars)
