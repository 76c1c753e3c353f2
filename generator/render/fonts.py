"""Fonts for the renderer: the fallback fonts handed to the rasterizer, and the font subsets every SVG embeds.

Every character of a label is drawn: in the theme's own font (Kalam, or DejaVu Sans for the clean theme), else in
DejaVu Sans (accented Latin, Greek, Cyrillic, symbols), WenQuanYi Micro Hei (Chinese, Japanese, Korean) or
Symbola (emoji, in monochrome). An SVG embeds a subset of each font it uses, so it shows the same on any machine;
the PNG rasterizer is handed the same files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from generator.layout.text import cache_dir, font_codes, font_path

__all__ = [
    "BASE_GLYPHS",
    "CJK_FAMILY",
    "EMOJI_FAMILY",
    "fallback_fonts",
    "font_face",
    "font_faces",
    "raster_fonts",
    "runs",
    "sans_font",
]

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

_EMOJI_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf",
    "/usr/share/fonts/TTF/Symbola.ttf",
    "/usr/local/share/fonts/Symbola.ttf",
)
EMOJI_FAMILY = "Symbola"
"""The fallback for emoji and other pictographs, drawn in monochrome (Debian's ``fonts-symbola``, free for any use)."""


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
    emoji = _find_pair(tuple((p, p) for p in _EMOJI_FILES), (EMOJI_FAMILY,), family=EMOJI_FAMILY)
    return (*sans, *cjk, *emoji)


@cache
def raster_fonts(pictographs: bool = True) -> tuple[Path, ...]:
    """The fallback files handed to the PNG rasterizer: as :func:`fallback_fonts`, but Symbola cut down to its
    pictographs (left out when ``pictographs`` is False: a picture with no character from U+2000 up never needs it).

    Given a line with one character its own font lacks, resvg draws the whole line in a font that has every
    character of it if there is one; Symbola has Latin letters, so "phone 📱" would come out in its serif. Without
    them it draws the letters in Kalam and only the emoji in Symbola. The cut-down copy is made once per machine,
    in the user's cache folder, the first time a picture needs it (cutting takes a second or two).
    """
    found = fallback_fonts()
    out = [path for path in found if "symbola" not in path.name.lower()]
    emoji = next((path for path in found if "symbola" in path.name.lower()), None)
    if pictographs and emoji is not None and out:
        cut = _pictographs(emoji, out[0])
        if cut is not None:
            out.append(cut)
    return tuple(out)


def _pictographs(path: Path, sans: Path) -> Path | None:
    """A copy of a pictograph font with only the characters at U+2000 and above that DejaVu Sans lacks."""
    digest = hashlib.sha256(f"{_digest(path)}\0{_digest(sans)}".encode()).hexdigest()[:16]
    target = cache_dir() / f"pictographs-{digest}.ttf"
    if target.is_file():
        return target
    from fontTools import subset  # only the first time, on this machine
    from fontTools.ttLib import TTFont

    _quiet()
    try:
        font = TTFont(str(path), recalcTimestamp=False)
        keep = [code for code in font.getBestCmap() if code >= 0x2000 and code not in _coverage(sans)]
        options = subset.Options()
        options.notdef_outline = True
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        font.save(str(partial), reorderTables=False)
        partial.replace(target)
    except OSError:  # no writable cache folder: draw emoji in the whole font rather than not at all
        return path
    return target


def _quiet() -> None:
    """Keep fontTools from printing what it drops from a subset (tables it cannot cut, such as FFTM)."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def sans_font() -> Path | None:
    """DejaVu Sans (regular), the clean theme's font and the first fallback; None when it is not installed."""
    found = fallback_fonts()
    return found[0] if found else None


@cache
def _fallbacks() -> tuple[tuple[str, Path], ...]:
    """Each fallback family with its (regular) file, in the order characters are looked up in them."""
    out: list[tuple[str, Path]] = []
    for path in fallback_fonts():
        name = path.name.lower()
        family = "DejaVu Sans" if "dejavu" in name else CJK_FAMILY if "wqy" in name else EMOJI_FAMILY
        if "bold" not in name and all(family != f for f, _ in out):
            out.append((family, path))
    return tuple(out)


@cache
def _coverage(path: Path) -> frozenset[int]:
    for weight in ("regular", "bold"):
        if path == font_path(weight):  # the shipped font: its metrics say, without reading it
            return font_codes(weight)
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap() or {})


def runs(text: str, path: Path) -> list[tuple[str, str | None]]:
    """A text cut into runs by the font that draws them: None for the font at ``path``, else a fallback's family.

    Each run of characters the theme's font lacks is named with the fallback that has them, so browsers and the
    rasterizer agree on which font draws what (left to itself the rasterizer may draw a whole line in the one
    font that has every character, a serif pictograph font for "phone 📱").
    """
    own = _coverage(path)
    out: list[tuple[str, str | None]] = []
    for char in text:
        family: str | None = None
        if ord(char) not in own and not char.isspace():
            family = next((name for name, file in _fallbacks() if ord(char) in _coverage(file)), None)
        if out and (out[-1][1] == family or (char.isspace() and out[-1][1] is not None)):
            out[-1] = (out[-1][0] + char, out[-1][1])
        else:
            out.append((char, family))
    return out


def font_faces(text: str, family: str, path: Path) -> list[tuple[str, str]]:
    """The font subsets an SVG showing ``text`` embeds: ``family`` (its file at ``path``) for what it draws, then
    each fallback for the characters the fonts before it lack. Each as (family, base64 WOFF2).

    Characters no font has are left out (a reader's own fonts may still draw them).
    """
    wanted = set(text) | {" "}
    if text.isascii() and path == font_path("regular"):  # nearly every diagram: Kalam has all of ASCII
        return [(family, _subset(path, "".join(sorted(wanted))))]
    own = _coverage(path)
    out = [(family, _subset(path, "".join(sorted(c for c in wanted if ord(c) in own))))]
    rest = sorted(c for c in wanted if ord(c) not in own and not c.isspace() and ord(c) >= 0x20)
    for name, file in _fallbacks():
        if name == family or not rest:
            continue
        covered = _coverage(file)
        have = [c for c in rest if ord(c) in covered]
        if have:
            out.append((name, _subset(file, "".join(have))))
            rest = [c for c in rest if ord(c) not in covered]
    return out


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
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _subset(path: Path, chars: str) -> str:
    """A font's subset for some characters as base64 WOFF2, kept in the user's cache folder between runs.

    Subsetting and WOFF2 compression take about 0.4 s in a new process (fontTools and Brotli); the result depends
    only on the font file and the characters, so a stored copy is byte for byte what a new one would be.
    """
    import fontTools

    key = hashlib.sha256(f"{_digest(path)}\0{fontTools.version}\0{_RECIPE}\0{chars}".encode()).hexdigest()[:32]
    stored = cache_dir() / "subsets" / f"{key}.woff2.b64"
    try:
        return stored.read_text(encoding="ascii")
    except OSError:
        pass
    data = _make_subset(path, chars)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        partial = stored.with_name(f"{stored.name}.{os.getpid()}.part")
        partial.write_text(data, encoding="ascii")
        partial.replace(stored)
    except OSError:  # no writable cache folder: made again next time
        pass
    return data


_RECIPE = "woff2 unhinted kern liga"
"""How :func:`_make_subset` cuts a font, part of each stored subset's key: change it whenever the options change."""


def _make_subset(path: Path, chars: str) -> str:
    from fontTools import subset  # heavy: only when an SVG is written

    _quiet()
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=0, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [1, 2]
    options.layout_features = ["kern", "liga"]
    options.notdef_outline = True
    options.hinting = False  # browsers scale the outlines themselves; the instructions were half the bytes
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=chars + " ")
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


BASE_GLYPHS = frozenset(chr(code) for code in range(0x20, 0x7F))
"""Printable ASCII: what :func:`font_face` embeds besides a text's own characters.

An SVG embeds only the glyphs it shows (about 4 KB of Kalam, against 10 KB for all of ASCII): making a subset takes
about 20 ms, once per set of characters on a machine (:func:`_subset` keeps each in the user's cache folder).
"""


def font_face(text: str) -> str:
    """The handwriting font subset for a text (printable ASCII plus its own characters), as base64 WOFF2."""
    chars = "".join(sorted(set(text) | BASE_GLYPHS))
    return _subset(font_path("regular"), chars)
