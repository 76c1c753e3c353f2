"""A panel: several of a design's pictures side by side in one SVG, each under its own caption, fitted to a slide.

Each picture is kept whole as a nested ``<svg>``; the panel embeds one font subset for all their text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from generator.layout.slide import MAX_RATIO, SLIDE
from generator.render.pen import fmt
from generator.render.svg.document import PAD, Doc, badge, document, pen_for, stroke, title_line
from generator.render.svg.edges import edge_style
from generator.render.themes import Theme

__all__ = ["GAP", "HOP_LEGEND", "TITLE_HEIGHT", "columns_for", "render_panel", "sizes_of"]

HOP_LEGEND = {
    "request": "a request",
    "response": "a reply",
    "async": "a message sent without waiting",
    "replication": "replication",
    "heartbeat": "a heartbeat",
}
"""What each kind of line means, in the panel's shared legend."""

GAP = 28.0
"""Room between two pictures of a panel."""

TITLE_HEIGHT = 2.4
"""The band over a panel for its title, in title sizes."""

_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)
_TAG = re.compile(r"<[^>]+>")


def columns_for(sizes: Sequence[tuple[float, float]], title_h: float) -> tuple[int, float, bool]:
    """How many pictures a row reads best on a 16:9 slide, how large that panel is drawn there, and whether it is
    no wider than :data:`~generator.layout.slide.MAX_RATIO`: the count that draws it largest within that ratio
    (else the largest).

    >>> columns_for([(400, 300)] * 4, 50)[0], columns_for([(900, 300)] * 3, 50)[0]
    (2, 1)
    """
    options = []
    for columns in range(1, len(sizes) + 1):
        width, height = _extent(sizes, columns, title_h)
        scale = min(SLIDE[0] / width, SLIDE[1] / height)
        options.append((width / height <= MAX_RATIO, scale, -columns, columns))
    best = max(options)
    return best[3], best[1], best[0]


def _extent(sizes: Sequence[tuple[float, float]], columns: int, title_h: float) -> tuple[float, float]:
    """The panel's width and height with ``columns`` pictures a row: columns as wide as the widest picture, each
    row as tall as its tallest."""
    cell_w = max(w for w, _ in sizes)
    heights = _row_heights(sizes, columns)
    width = columns * cell_w + (columns - 1) * GAP + 2 * PAD
    return width, title_h + sum(heights) + (len(heights) - 1) * GAP + PAD


def _row_heights(sizes: Sequence[tuple[float, float]], columns: int) -> list[float]:
    return [max(h for _, h in sizes[start : start + columns]) for start in range(0, len(sizes), columns)]


def sizes_of(pictures: Sequence[str]) -> list[tuple[float, float]]:
    """Each SVG document's width and height, from its ``viewBox``."""
    out = []
    for svg in pictures:
        match = _VIEWBOX.search(svg)
        out.append((float(match[1]), float(match[2])) if match else (400.0, 300.0))
    return out


def render_panel(
    pictures: Sequence[str],
    theme: Theme,
    *,
    title: str,
    description: str,
    columns: int | None,
    hops: Sequence[str] = (),
    optional: bool = False,
) -> str:
    """Compose pictures (whole SVG documents blueprint drew) into one, in rows, under a title and over one legend.

    Args:
        pictures: The SVG documents, in order.
        theme: The theme they were drawn in.
        title: The panel's title.
        description: The panel in words (its ``<desc>``).
        columns: Pictures a row; None chooses what fits a slide best.
        hops: The kinds of line its pictures draw (request, response, async…): the shared legend says what each
            means, once for all the pictures, when there are two kinds or more.
        optional: Whether a picture has a step that may not happen (a hollow badge): the legend says so.
    """
    sizes = sizes_of(pictures)
    bodies: list[str] = []
    doc = Doc(theme)
    for svg in pictures:
        # Their text joins the panel's, so the one font subset the panel embeds draws all of it.
        doc.texts.extend(html.unescape(_TAG.sub("", t)) for t in _TEXT.findall(svg))
        body = svg[svg.index("</defs>") + len("</defs>") : svg.rindex("</svg>")] if "</defs>" in svg else ""
        # Ids stay unique in the panel: each picture's are prefixed with its place.
        bodies.append(body.replace(' id="', f' id="p{len(bodies) + 1}-'))
    title_h = theme.title_size * TITLE_HEIGHT
    count = columns or columns_for(sizes, title_h)[0]
    cell_w = max(w for w, _ in sizes)
    heights = _row_heights(sizes, count)
    width, height = _extent(sizes, count, title_h)
    keys = [hop for hop in HOP_LEGEND if hop in hops] if len(set(hops)) > 1 or optional else []
    if keys or optional:
        height += _legend(doc, keys, optional, PAD, height, width)
    title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    for index, ((w, h), body) in enumerate(zip(sizes, bodies, strict=True)):
        row, column = divmod(index, count)
        short = count - min(count, len(sizes) - row * count)  # a last row with fewer pictures is centred
        x = PAD + (column + short / 2) * (cell_w + GAP) + (cell_w - w) / 2
        y = title_h + sum(heights[:row]) + row * GAP + (heights[row] - h) / 2
        doc.layers["nodes"].append(
            f'<svg class="panel-picture" x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" '
            f'viewBox="0 0 {fmt(w)} {fmt(h)}">{body}</svg>'
        )
    return document(doc, width, height, title=title, description=description)


def _legend(doc: Doc, hops: Sequence[str], optional: bool, x: float, top: float, width: float) -> float:
    """One legend for all the panel's pictures, at its foot: each kind of line they draw, and the hollow badge of a
    step that may not happen. Returns the height it takes."""
    theme = doc.theme
    fs = theme.font_size
    ink = theme.muted
    y = top + fs * 0.6
    doc.text(x, y + fs * 0.35, "lines:", size=fs * 0.9, color=ink, layer="chrome", extra=' font-style="italic"')
    at = x + doc.width("lines:", fs * 0.9) + 16
    for hop in hops:
        dash, factor, open_head = edge_style(hop)
        pen = pen_for(theme, f"panel-legend:{hop}")
        color = theme.replication if hop == "replication" else theme.ink
        doc.layers["chrome"].append(
            stroke(pen.line((at, y), (at + 40, y), double=False), color, 1.8 * factor, dash=dash)
        )
        doc.layers["chrome"].append(
            stroke(pen.arrowhead((at + 44, y), (at + 30, y), size=9, open_=open_head), color, 1.8)
        )
        doc.text(at + 54, y + fs * 0.35, HOP_LEGEND[hop], size=fs, color=theme.ink, layer="chrome")
        at += 54 + doc.width(HOP_LEGEND[hop], fs) + 28
    if optional:
        words = "a step that may not happen"
        if at + 30 + doc.width(words, fs) > width - PAD:  # no room left on the line: a second one
            at, y = x + doc.width("lines:", fs * 0.9) + 16, y + fs * 1.8
        badge(doc, at + 10, y, fs * 0.62, "3", theme.ink, fs, hollow=True)
        doc.text(at + 26, y + fs * 0.35, words, size=fs, color=theme.ink, layer="chrome")
    return (y - top) + fs * 1.4
