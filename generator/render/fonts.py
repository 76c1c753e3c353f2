"""The handwriting font (Kalam, SIL Open Font License 1.1), its fontconfig registration and glyph coverage.

Kalam Regular and Bold (Indian Type Foundry) ship here as TrueType, converted from the Latin subset that
fontsource publishes; ``OFL.txt`` is their licence. Graphviz measures labels with the real font once
``FONTCONFIG_FILE`` points at :func:`fontconfig_file`; the SVG embeds a subset of it; the PNG rasterizer is handed
the files directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "CJK_FAMILY",
    "FAMILY",
    "FONT_DIR",
    "covered",
    "fallback_fonts",
    "font_path",
    "fontconfig_file",
    "missing_glyphs",
    "substitute",
    "text_width",
]

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
"""The folder holding the font files."""

FAMILY = "Kalam"
"""The font's family name, as fontconfig, Graphviz and SVG know it."""

Weight = Literal["regular", "bold"]

_FILES: dict[str, str] = {"regular": "Kalam-Regular.ttf", "bold": "Kalam-Bold.ttf"}

# Characters the font lacks, written with ones it has. What is left after this falls back to a sans font.
_SUBSTITUTES: dict[str, str] = {
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "⇒": "=>",
    "⇐": "<=",
    "↩": "<-",
    "↪": "->",
    "⇔": "<=>",
    "↑": "^",
    "↓": "v",
    "≡": "==",
    "∼": "~",
    "\u2009": " ",
    "\u202f": " ",
    "×": "x",
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "√": "sqrt",
    "∞": "inf",
    "✔": "v",
    "✘": "x",
    "✓": "v",
    "✗": "x",
    "•": "-",
    "\u00a0": " ",
}


def font_path(weight: Weight = "regular") -> Path:
    """The TrueType file of a weight.

    >>> font_path("bold").name
    'Kalam-Bold.ttf'
    """
    return FONT_DIR / _FILES[weight]


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


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for candidate in (Path(base) / "blueprint", Path(tempfile.gettempdir()) / f"blueprint-{os.getuid()}"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            probe = candidate / ".write-test"
            probe.write_text("ok")
            probe.unlink()
            return candidate
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix="blueprint-"))  # pragma: no cover - nowhere writable


@cache
def fontconfig_file() -> Path:
    """A fonts.conf that adds the package's fonts to the system's; written once per process, atomically.

    Point ``FONTCONFIG_FILE`` at it before Graphviz (pango, cairo) first runs.
    """
    folder = _cache_dir()
    conf = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{_xml(str(FONT_DIR))}</dir>\n"
        f"  <cachedir>{_xml(str(folder / 'fontconfig'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    target = folder / "fonts.conf"
    try:
        if target.read_text(encoding="utf-8") == conf:
            return target
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".fonts.conf.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(conf)
    os.replace(tmp, target)
    return target


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def _font(weight: Weight) -> object:
    from fontTools.ttLib import TTFont

    return TTFont(str(font_path(weight)), recalcTimestamp=False, lazy=False)


@cache
def _cmap(weight: Weight = "regular") -> frozenset[int]:
    return frozenset(_font(weight).getBestCmap())  # type: ignore[attr-defined]


@cache
def _advances(weight: Weight = "regular") -> tuple[dict[int, int], int]:
    font = _font(weight)
    cmap = font.getBestCmap()  # type: ignore[attr-defined]
    metrics = font["hmtx"].metrics  # type: ignore[index]
    upm = font["head"].unitsPerEm  # type: ignore[index]
    return {code: metrics[name][0] for code, name in cmap.items()}, upm


def missing_glyphs(text: str, weight: Weight = "regular") -> set[str]:
    """Characters of ``text`` the font has no glyph for (spaces and line breaks aside).

    >>> sorted(missing_glyphs("cache → db"))
    ['→']
    """
    have = _cmap(weight)
    return {ch for ch in text if ord(ch) not in have and ch not in "\n\r\t"}


def covered(text: str, weight: Weight = "regular") -> bool:
    """Whether the font can draw every character of ``text``.

    >>> covered("GET /abc123"), covered("日本")
    (True, False)
    """
    return not missing_glyphs(text, weight)


def substitute(text: str) -> str:
    """Replace characters the font lacks by look-alikes it has; anything else is left for a fallback font.

    >>> substitute("app → cache ≈ 1 ms × 3")
    'app -> cache ~ 1 ms × 3'
    """
    return "".join(_SUBSTITUTES.get(ch, ch) if ord(ch) not in _cmap() else ch for ch in text)


def text_width(text: str, size: float, weight: Weight = "regular") -> float:
    """Width of a line of text at a font size, from the font's advance widths.

    Characters Kalam lacks count 0.6 em, or a full em for wide East Asian ones (the CJK fallback draws those
    square).

    >>> round(text_width("mm", 10), 1) > round(text_width("ii", 10), 1)
    True
    >>> text_width("数据", 10)
    20.0
    """
    advances, upm = _advances(weight)
    total = 0
    for ch in text:
        advance = advances.get(ord(ch))
        total += advance if advance is not None else _fallback_advance(ch, upm)
    return total * size / upm


def _fallback_advance(ch: str, upm: int) -> int:
    import unicodedata

    return upm if unicodedata.east_asian_width(ch) in ("W", "F") else int(upm * 0.6)
