"""The SVG document every view kind draws into: layers, text with the embedded font, strokes, patches, badges.

The pen runs after layout and never changes it; every SVG is self-contained: the subsets of the fonts it uses are
embedded as WOFF2 data URIs and nothing is referenced by path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

from generator.layout.anatomy import BADGE_SCALE
from generator.layout.scene import Box
from generator.layout.text import font_path
from generator.render.fonts import font_faces, runs, sans_font
from generator.render.pen import Pen, fmt, seeded
from generator.render.themes import Theme

__all__ = [
    "PAD",
    "Doc",
    "badge",
    "document",
    "escape",
    "merge_strokes",
    "patch",
    "pen_for",
    "shift",
    "stroke",
    "title_line",
]

PAD = 24.0
"""Margin around the drawing."""


def escape(text: str) -> str:
    """Escape text for SVG content and attribute values.

    >>> escape('<script>"x" & \\'y\\'</script>')
    '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;'
    """
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


class Doc:
    """Collects the SVG's layers, the drawings they share (``defs``) and every string drawn, for the font subset."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.layers: dict[str, list[str]] = {
            k: [] for k in ("groups", "highlights", "edges", "nodes", "patches", "labels", "chrome")
        }
        self.texts: list[str] = []
        self.defs: list[str] = []
        self._shared: dict[object, str] = {}

    def use(self, key: object, draw: Callable[[], list[str]], x: float, y: float) -> str:
        """A ``<use>`` of the drawing ``key`` names, moved to (x, y): drawn once at the origin by ``draw`` into the
        document's definitions, the first time it is asked for."""
        ident = self._shared.get(key)
        if ident is None:
            ident = self._shared[key] = f"bp-draw-{len(self._shared) + 1}"
            self.defs.append(f'<g id="{ident}">' + "".join(draw()) + "</g>")
        return f'<use href="#{ident}" x="{fmt(x)}" y="{fmt(y)}"/>'

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        color: str,
        anchor: str = "start",
        layer: str = "labels",
        weight: str = "",
        extra: str = "",
    ) -> None:
        shown = _glyphs(text, self.theme)
        self.texts.append(shown)
        bold = f' font-weight="{weight}"' if weight else ""
        self.layers[layer].append(
            f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(size)}" fill="{color}" '
            f'text-anchor="{anchor}"{bold}{extra}>{_spans(shown, self.theme)}</text>'
        )

    def width(self, text: str, size: float) -> float:
        """The width of a text as drawn (the same ruler the layout measured with)."""
        return self.theme.ruler.drawn_width(text, size)


def _faces(theme: Theme, text: str) -> list[tuple[str, str]]:
    """The font subsets to embed: the theme's font and the fallbacks for what it lacks."""
    own = _own_font(theme)
    if own is None:  # DejaVu Sans is not installed: the clean theme's text is left to the reader's fonts
        return []
    return font_faces(text, theme.font_family, own)


def _spans(text: str, theme: Theme) -> str:
    """A text's content, each run the theme's font lacks in a ``tspan`` naming the fallback font that draws it."""
    own = _own_font(theme)
    if own is None or text.isascii():
        return escape(text)
    spans = runs(text, own)
    if all(family is None for _, family in spans):  # the theme's font draws it all
        return escape(text)
    return "".join(
        f"<tspan font-family=\"'{family or theme.font_family}'\">{escape(run)}</tspan>" for run, family in spans
    )


def _own_font(theme: Theme) -> Path | None:
    return font_path("regular") if theme.handwriting else sans_font()


def _glyphs(text: str, theme: Theme) -> str:
    return theme.ruler.shown(text)


def stroke(d: str, color: str, width: float, *, dash: str = "", opacity: float = 1.0, cls: str = "") -> str:
    if not d:
        return ""
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    if opacity < 1:
        extra += f' opacity="{fmt(opacity)}"'
    if cls:
        extra += f' class="{cls}"'
    return f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{fmt(width)}"{extra}/>'


def pen_for(theme: Theme, key: str) -> Pen:
    return Pen(seeded(key), roughness=theme.roughness, bowing=theme.bowing)


def patch(
    theme: Theme,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    cls: str = "label",
    ident: str = "",
    rx: int = 3,
    opacity: float = 0.92,
    extra: str = "",
) -> str:
    """A patch of board colour behind text, so no line runs through it; ``cls="label"`` patches are what the
    overlap tests read."""
    name = f' id="{ident}"' if ident else ""
    return (
        f'<rect class="{cls}"{name} x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" rx="{rx}" '
        f'fill="{theme.paper}" fill-opacity="{fmt(opacity)}"{extra}/>'
    )


def shift(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x + dx, box.y + dy, box.w, box.h)


def badge(
    doc: Doc,
    cx: float,
    cy: float,
    r: float,
    number: str,
    color: str,
    fs: float,
    *,
    hollow: bool = False,
    width: float = 0.0,
    scale: float = 1.0,
) -> None:
    """A step's number in a circle of its flow's colour (a pill ``width`` wide around a long number such as 10a);
    ``hollow`` (a ring, the number in colour) for a step that may not happen (it sits in an ``opt`` fragment);
    ``scale`` enlarges the number (:data:`~generator.layout.anatomy.NUMBER_DIGITS` when it stands alone)."""
    theme = doc.theme
    pen = pen_for(theme, f"badge:{number}:{fmt(cx)}:{fmt(cy)}")
    fill = theme.paper if hollow else color
    cls = ' class="badge optional"' if hollow else ' class="badge"'
    w = max(width, 2 * r)
    if w > 2 * r + 0.5:  # an oval around a long number
        doc.layers["labels"].append(
            f'<ellipse{cls} cx="{fmt(cx)}" cy="{fmt(cy)}" rx="{fmt(w / 2)}" ry="{fmt(r)}" fill="{fill}"/>'
        )
        outline = pen.ellipse(cx, cy, w + 1, 2 * r + 1, double=False)
    else:
        doc.layers["labels"].append(f'<circle{cls} cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r)}" fill="{fill}"/>')
        outline = pen.ellipse(cx, cy, 2 * r + 1, 2 * r + 1, double=False)
    doc.layers["labels"].append(stroke(outline, color, 1.2))
    size = fs * scale * (BADGE_SCALE if len(number) < 2 else BADGE_SCALE * 0.9)
    ink = color if hollow else theme.paper
    doc.text(cx, cy + size * 0.36, number, size=size, color=ink, anchor="middle", weight="bold")


def title_line(doc: Doc, title: str, cx: float, baseline: float, theme: Theme) -> None:
    size = theme.title_size
    doc.text(cx, baseline, title, size=size, color=theme.ink, anchor="middle", layer="chrome")
    w = doc.width(title, size)
    pen = pen_for(theme, f"title:{title}")
    y = baseline + size * 0.3
    doc.layers["chrome"].append(stroke(pen.line((cx - w / 2 - 4, y), (cx + w / 2 + 6, y + 1)), theme.marker(1), 2.2))


def document(doc: Doc, width: float, height: float, *, title: str, description: str) -> str:
    theme = doc.theme
    w, h = math.ceil(width), math.ceil(height)
    style = (
        "".join(
            f"@font-face{{font-family:'{family}';src:url(data:font/woff2;base64,{data}) format('woff2')}}"
            for family, data in _faces(theme, "".join(doc.texts))
        )
        + f"text{{font-family:{theme.font_stack}}}"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-labelledby="bp-title bp-desc">',
        f'<title id="bp-title">{escape(title)}</title>',
        f'<desc id="bp-desc">{escape(description)}</desc>',
        f"<defs><style>{style}</style>" + "".join(doc.defs) + "</defs>",
        f'<rect width="{w}" height="{h}" fill="{theme.paper}"/>',
        f'<g font-family="{escape(theme.font_stack)}" stroke-linecap="round" stroke-linejoin="round">',
    ]
    for name, items in doc.layers.items():
        parts.append(f'<g class="{name}">')
        parts.extend(item for item in items if item)
        parts.append("</g>")
    parts.append("</g></svg>")
    return merge_strokes("\n".join(parts) + "\n")


_RUN = re.compile(
    r'<path d="[^"]*"( fill="none" stroke="[^"]*" stroke-width="[^"]*"(?: stroke-dasharray="[^"]*")?)/>'
    r'(?:\n?<path d="[^"]*"\1/>)+'
)
_D = re.compile(r'<path d="([^"]*)"')


def merge_strokes(svg: str) -> str:
    """Strokes drawn one after another in the same ink, width and dashes, as one path: the same picture in fewer
    elements (a plain stroke's subpaths are painted as separate strokes would be; dashes restart at each subpath).

    >>> merge_strokes('<path d="M0 0h1" fill="none" stroke="#000" stroke-width="2"/>\\n'
    ...               '<path d="M5 5h1" fill="none" stroke="#000" stroke-width="2"/>')
    '<path d="M0 0h1M5 5h1" fill="none" stroke="#000" stroke-width="2"/>'
    """
    return _RUN.sub(lambda m: f'<path d="{"".join(_D.findall(m[0]))}"{m[1]}/>', svg)
