"""Flowcharts and state machines: shapes that hold their text, drawn with the same pen as the architecture views."""

from __future__ import annotations

import math
from collections.abc import Sequence

from generator.layout.chart import ChartScene
from generator.layout.scene import Box, Point
from generator.render.pen import Pen, fmt, polygon
from generator.render.svg.document import PAD, Doc, document, escape, pen_for, shift, stroke, title_line
from generator.render.svg.edges import draw_edge, draw_labels
from generator.render.themes import Theme

__all__ = ["render_chart_svg"]

_CHART_SLOTS = {"action": None, "state": None, "decision": 0, "start": 2, "end": 2, "io": 3}
"""Each chart shape's marker colour (None: the ink): questions blue, starts and ends green, input/output purple."""


def render_chart_svg(scene: ChartScene, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out chart (:class:`generator.layout.chart.ChartScene`) as a self-contained SVG.

    Shapes hold their text: a rough box for a step, a rough diamond for a question, a rough rounded box for a
    state, a stadium for a start or an end (a dot, and a dot in a ring, in a state machine). Arrows, their
    labels and their patches are drawn as on the architecture diagrams.
    """
    doc = Doc(theme)
    fs = scene.font_size
    title_h = theme.title_size * 2.6 if title else PAD
    width = max(scene.width + 2 * PAD, doc.width(title, theme.title_size) + 2 * PAD)
    ox, oy = (width - scene.width) / 2, title_h
    height = oy + scene.height + PAD
    for node in scene.nodes:
        _chart_node(doc, node.id, node.shape, shift(node.box, ox, oy), node.lines, node.pseudo, fs)
    for index, edge in enumerate(scene.edges):
        draw_edge(doc, edge, ox, oy)
        draw_labels(doc, edge, index, ox, oy, fs)
    if title:
        title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    return document(doc, width, height, title=title, description=description)


def _chart_outline(shape: str, box: Box) -> list[Point]:
    """The corners of a chart shape, clockwise from the top left (a diamond from the top)."""
    x, y, w, h = box.x, box.y, box.w, box.h
    if shape == "decision":
        return [(box.cx, y), (box.right, box.cy), (box.cx, box.bottom), (x, box.cy)]
    if shape == "io":
        slant = min(h * 0.4, w * 0.12)
        return [(x + slant, y), (box.right, y), (box.right - slant, box.bottom), (x, box.bottom)]
    return [(x, y), (box.right, y), (box.right, box.bottom), (x, box.bottom)]


def _rounded(pen: Pen, box: Box, radius: float) -> str:
    """A rough rectangle with round corners: four rough sides and four rough quarter arcs."""
    x, y, r = box.x, box.y, min(radius, box.w / 2, box.h / 2)
    right, bottom = box.right, box.bottom
    sides = [((x + r, y), (right - r, y)), ((right, y + r), (right, bottom - r))]
    sides += [((right - r, bottom), (x + r, bottom)), ((x, bottom - r), (x, y + r))]
    out = [pen.line(a, b) for a, b in sides if math.dist(a, b) > 1]
    corners = [(right - r, y + r, -math.pi / 2, 0.0), (right - r, bottom - r, 0.0, math.pi / 2)]
    corners += [(x + r, bottom - r, math.pi / 2, math.pi), (x + r, y + r, math.pi, 1.5 * math.pi)]
    out += [pen.arc(cx, cy, 2 * r, 2 * r, start, stop) for cx, cy, start, stop in corners]
    return "".join(out)


def _chart_node(doc: Doc, ident: str, shape: str, box: Box, lines: Sequence[str], pseudo: bool, fs: float) -> None:
    theme = doc.theme
    color = theme.marker(_CHART_SLOTS[shape])
    tint = fmt(min(theme.fill_opacity * 0.6, 0.15))  # a light wash: the text sits on it
    pen = pen_for(theme, f"chart-node:{ident}")
    out = doc.layers["nodes"]
    out.append(
        f'<g class="node chart-{shape}" id="node-{escape(ident)}" '
        f'data-box="{fmt(box.x)} {fmt(box.y)} {fmt(box.w)} {fmt(box.h)}">'
    )
    if pseudo:
        r = min(box.w, box.h) / 2
        if shape == "end":
            out.append(stroke(pen.ellipse(box.cx, box.cy, 2 * r, 2 * r), theme.ink, theme.stroke))
            r *= 0.55
        out.append(f'<circle cx="{fmt(box.cx)}" cy="{fmt(box.cy)}" r="{fmt(r * 0.8)}" fill="{theme.ink}"/>')
        out.append("</g>")
        return
    if shape in ("start", "end", "state"):
        radius = box.h / 2 if shape != "state" else min(12.0, box.h / 3)
        fill = (
            f'<rect x="{fmt(box.x)}" y="{fmt(box.y)}" width="{fmt(box.w)}" height="{fmt(box.h)}" '
            f'rx="{fmt(min(radius, box.w / 2))}" fill="{color}" fill-opacity="{tint}"/>'
        )
        outline = _rounded(pen, box, radius)
    else:
        corners = _chart_outline(shape, box)
        crisp = polygon(corners)
        fill = f'<path d="{crisp}" fill="{color}" fill-opacity="{tint}"/>'
        outline = pen.polyline(corners, closed=True)
    out.append(fill)
    out.append(stroke(outline, color, theme.stroke))
    line_h = fs * 1.25
    baseline = box.cy - line_h * len(lines) / 2 + fs * 0.95
    for line in lines:
        doc.text(box.cx, baseline, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
        baseline += line_h
    out.append("</g>")
