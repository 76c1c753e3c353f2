"""The SVG document every view kind draws into: layers, text with the embedded font, strokes, patches, badges.

The pen runs after layout and never changes it; every SVG is self-contained: its font subset is embedded as a
WOFF2 data URI and nothing is referenced by path.
"""

from __future__ import annotations

import math

from generator.layout.scene import Box
from generator.render.fonts import font_face
from generator.render.pen import Pen, fmt, seeded
from generator.render.themes import Theme

__all__ = ["PAD", "Doc", "badge", "document", "escape", "patch", "pen_for", "shift", "stroke", "title_line"]

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
    """Collects the SVG's layers and every string drawn, for the font subset."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.layers: dict[str, list[str]] = {
            k: [] for k in ("groups", "highlights", "edges", "nodes", "patches", "labels", "chrome")
        }
        self.texts: list[str] = []

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
            f'text-anchor="{anchor}"{bold}{extra}>{escape(shown)}</text>'
        )

    def width(self, text: str, size: float) -> float:
        """The width of a text as drawn (the same ruler the layout measured with)."""
        return self.theme.ruler.drawn_width(text, size)


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
    return (
        f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{fmt(width)}" '
        f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
    )


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


def badge(doc: Doc, cx: float, cy: float, r: float, number: str, color: str, fs: float) -> None:
    theme = doc.theme
    pen = pen_for(theme, f"badge:{number}:{fmt(cx)}:{fmt(cy)}")
    doc.layers["labels"].append(f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r)}" fill="{color}" stroke="none"/>')
    doc.layers["labels"].append(stroke(pen.ellipse(cx, cy, 2 * r + 1, 2 * r + 1, double=False), color, 1.2))
    size = fs * (0.78 if len(number) < 2 else 0.66)
    doc.text(cx, cy + size * 0.36, number, size=size, color=theme.paper, anchor="middle", weight="bold")


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
    style = f"text{{font-family:{theme.font_stack}}}"
    if theme.embed_font:
        font = font_face("".join(doc.texts))
        style = (
            f"@font-face{{font-family:'{theme.font_family}';src:url(data:font/woff2;base64,{font}) format('woff2')}}"
            + style
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-labelledby="bp-title bp-desc">',
        f'<title id="bp-title">{escape(title)}</title>',
        f'<desc id="bp-desc">{escape(description)}</desc>',
        f"<defs><style>{style}</style></defs>",
        f'<rect width="{w}" height="{h}" fill="{theme.paper}"/>',
        f'<g font-family="{escape(theme.font_stack)}">',
    ]
    for name, items in doc.layers.items():
        parts.append(f'<g class="{name}">')
        parts.extend(item for item in items if item)
        parts.append("</g>")
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"
