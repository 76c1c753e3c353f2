"""The text ruler shared by layout and render: the handwriting font's files and metrics, wrapping, and measuring.

Kalam Regular and Bold (Indian Type Foundry, SIL Open Font License 1.1) ship in ``generator/fonts`` as TrueType,
converted from the Latin subset fontsource publishes; ``OFL.txt`` is their licence. Graphviz measures labels with
the real font once ``FONTCONFIG_FILE`` points at :func:`fontconfig_file`; the layout stage measures the rest (edge
ends, label patches, sequence columns) with :class:`Ruler`, and the renderer draws with the same numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "FAMILY",
    "FONT_DIR",
    "STEP_WRAP",
    "Ruler",
    "Weight",
    "cache_dir",
    "covered",
    "font_codes",
    "font_path",
    "fontconfig_file",
    "missing_glyphs",
    "step_lines",
    "substitute",
    "text_width",
    "wrap_label",
]

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
"""The folder holding the font files."""

FAMILY = "Kalam"
"""The font's family name, as fontconfig, Graphviz and SVG know it."""

Weight = Literal["regular", "bold"]

_FILES: dict[str, str] = {"regular": "Kalam-Regular.ttf", "bold": "Kalam-Bold.ttf"}

# Characters the font lacks, written with ones it has where the look-alike says the same (an arrow drawn as
# "->"). What is left after this is drawn by a fallback font (ticks, crosses, roots: see generator.render.fonts).
_SUBSTITUTES: dict[str, str] = {
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "⇒": "=>",
    "⇐": "<=",
    "↩": "<-",
    "↪": "->",
    "⇔": "<=>",
    "≡": "==",
    "∼": "~",
    "\u2009": " ",
    "\u202f": " ",
    "×": "x",
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "•": "-",
    "\u00a0": " ",
}


def font_path(weight: Weight = "regular") -> Path:
    """The TrueType file of a weight.

    >>> font_path("bold").name
    'Kalam-Bold.ttf'
    """
    return FONT_DIR / _FILES[weight]


def cache_dir() -> Path:
    """A folder of this user's for files blueprint makes once and reuses (the fonts.conf, the render fingerprint)."""
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
    folder = cache_dir()
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


METRICS = FONT_DIR / "metrics.json"
"""Each font file's advance widths and units per em, read from the fonts once (:func:`read_metrics`) and shipped
beside them, so that measuring text needs neither fontTools nor a parse of the font in every new process. A font
file whose SHA-256 differs from the one recorded is read itself."""


def read_metrics(path: Path) -> dict[str, object]:
    """A font file's metrics as :data:`METRICS` holds them: its SHA-256, units per em, and the advance width of
    each character it maps (by code point)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), recalcTimestamp=False, lazy=False)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    return {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "upm": font["head"].unitsPerEm,
        "advances": {str(code): metrics[name][0] for code, name in sorted(cmap.items())},
    }


@cache
def _metrics(weight: Weight) -> dict[str, object]:
    path = font_path(weight)
    try:
        stored = json.loads(METRICS.read_text(encoding="utf-8")).get(path.name)
    except (OSError, ValueError):
        stored = None
    if isinstance(stored, dict) and stored.get("sha256") == hashlib.sha256(path.read_bytes()).hexdigest():
        return stored
    return read_metrics(path)  # a replaced font file: measured from the file itself


@cache
def _cmap(weight: Weight = "regular") -> frozenset[int]:
    return frozenset(_advances(weight)[0])


def font_codes(weight: Weight = "regular") -> frozenset[int]:
    """The code points the font of a weight draws.

    >>> ord("a") in font_codes(), ord("→") in font_codes()
    (True, False)
    """
    return _cmap(weight)


@cache
def _advances(weight: Weight = "regular") -> tuple[dict[int, int], int]:
    metrics = _metrics(weight)
    advances = metrics["advances"]
    upm = metrics["upm"]
    assert isinstance(advances, dict) and isinstance(upm, int)
    return {int(code): int(width) for code, width in advances.items()}, upm


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
    return upm if unicodedata.east_asian_width(ch) in ("W", "F") else int(upm * 0.6)


STEP_WRAP = 30
"""Characters per line of a step's label beside its arrow before it wraps."""


def step_lines(text: str) -> tuple[str, ...]:
    """A step's label as drawn beside its arrow: wrapped at :data:`STEP_WRAP` characters; () when it has none.

    >>> step_lines("SELECT url FROM mappings WHERE key = ? (a replica read)")
    ('SELECT url FROM mappings WHERE', 'key = ? (a replica read)')
    """
    return tuple(wrap_label(text, STEP_WRAP)) if text.strip() else ()


def wrap_label(text: str, width: int = 22) -> list[str]:
    """Wrap a label at word boundaries.

    >>> wrap_label("analytics worker for click events", 16)
    ['analytics worker', 'for click events']
    """
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out.append(line)
    return [line for line in out if line] or [""]


@dataclass(frozen=True)
class Ruler:
    """How a view's text is measured: the font Graphviz lays it out in, its size, and widths as they are drawn.

    Attributes:
        family: The font family Graphviz measures labels with (fontconfig resolves it).
        size: The body text size, in points.
        handwriting: Measured with Kalam's own advance widths (characters it lacks written with look-alikes
            first, as the pen draws them); otherwise estimated at 0.56 em a character, for fonts blueprint does
            not ship.

    >>> Ruler().drawn_width("a → b", 10) == Ruler().width("a -> b", 10)
    True
    """

    family: str = FAMILY
    size: float = 14.0
    handwriting: bool = True

    def width(self, text: str, size: float | None = None) -> float:
        """The width of a line of text as written, at ``size`` (default: the body size)."""
        size = self.size if size is None else size
        if self.handwriting:
            return text_width(text, size)
        return len(text) * size * 0.56

    def shown(self, text: str) -> str:
        """The text as the pen draws it: look-alikes for characters the handwriting font lacks."""
        return substitute(text) if self.handwriting else text

    def drawn_width(self, text: str, size: float | None = None) -> float:
        """The width of a line of text as the pen draws it (see :meth:`shown`)."""
        return self.width(self.shown(text), size)
