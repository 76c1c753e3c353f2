"""Edges and their numbered labels, as architecture views and charts draw them."""

from __future__ import annotations

import math
from collections.abc import Sequence

from generator.layout.scene import Point, SceneEdge
from generator.layout.settle import drawn_path
from generator.render.pen import fmt
from generator.render.svg.document import Doc, badge, escape, patch, pen_for, shift, stroke

__all__ = ["draw_edge", "draw_labels", "edge_style"]


def edge_style(hop: str) -> tuple[str, float, bool]:
    """Dash pattern, width factor and whether the head is open."""
    return {
        "request": ("", 1.0, True),
        "response": ("7 6", 0.85, True),
        "async": ("10 6", 1.0, True),
        "replication": ("6 6", 0.85, True),
        "heartbeat": ("1 6", 1.0, True),
    }.get(hop, ("", 1.0, True))


def draw_edge(doc: Doc, se: SceneEdge, ox: float, oy: float) -> None:
    """Draw an edge as a rough curve with a hand-drawn arrowhead, in its flow's colour and its hop's dash."""
    theme = doc.theme
    edge = se.edge
    pts = [(x + ox, y + oy) for x, y in se.points]
    if len(pts) < 2:
        return
    tip = (se.arrow_tip[0] + ox, se.arrow_tip[1] + oy) if se.arrow_tip else pts[-1]
    color = theme.replication if edge.hop == "replication" else theme.marker(edge.color)
    dash, factor, open_head = edge_style(edge.hop)
    width = theme.edge_stroke * factor
    pen = pen_for(theme, f"edge:{edge.id}")
    faded = edge.emphasis in ("faded", "removed")
    d = pen.bezier_path(pts)
    if se.arrow_tip:
        d += pen.line(pts[-1], tip, double=False)
    group = f'<g class="edge" id="edge-{escape(edge.id)}"' + (f' opacity="{fmt(theme.faded_opacity)}"' if faded else "")
    doc.layers["edges"].append(group + ">")
    doc.layers["edges"].append(stroke(d, color, width, dash=dash))
    head_from = _back_point(pts, tip)
    size = 11.0 if edge.hop != "replication" else 8.0
    doc.layers["edges"].append(stroke(pen.arrowhead(tip, head_from, size=size, open_=open_head), color, width * 1.1))
    doc.layers["edges"].append("</g>")
    if edge.emphasis == "removed":
        path = drawn_path(se, ox, oy)
        mx, my = path[len(path) // 2]
        mark = pen_for(theme, f"removed:{edge.id}")
        cross = mark.line((mx - 6, my - 6), (mx + 6, my + 6)) + mark.line((mx + 6, my - 6), (mx - 6, my + 6))
        doc.layers["edges"].append(
            f'<g class="removed-mark" id="removed-{escape(edge.id)}">{stroke(cross, theme.marker(1), 2.4)}</g>'
        )


def _back_point(pts: Sequence[Point], tip: Point) -> Point:
    """A point some way back along the path from the tip, to aim the arrowhead."""
    for p in reversed(pts):
        if math.dist(p, tip) > 8:
            return p
    return pts[0]


def draw_labels(doc: Doc, se: SceneEdge, index: int, ox: float, oy: float, fs: float) -> None:
    """Draw an edge's numbered labels where the layout placed them: a badge and the text, on a patch of board."""
    theme = doc.theme
    edge = escape(se.edge.id)
    faded = se.edge.emphasis in ("faded", "removed")
    marks = {layer: len(doc.layers[layer]) for layer in ("edges", "patches", "labels")}
    if se.leader is not None and se.rows:
        (ax, ay), (bx, by) = se.leader
        color = theme.marker(se.rows[0].label.color)
        pen = pen_for(theme, f"leader:{se.edge.id}")
        doc.layers["edges"].append(
            stroke(
                pen.line((ax + ox, ay + oy), (bx + ox, by + oy), double=False), color, 1.3, dash="2 4", cls="leader"
            ).replace("/>", f' data-edge="{escape(se.edge.id)}"/>')
        )
        doc.layers["edges"].append(
            f'<circle class="leader-end" cx="{fmt(bx + ox)}" cy="{fmt(by + oy)}" r="2.6" fill="{color}"/>'
        )
    for i, row in enumerate(se.rows):
        box = shift(row.patch, ox, oy)
        cy = row.cy + oy
        x = box.x + 3
        r = row.radius
        doc.layers["patches"].append(
            patch(
                theme,
                box.x,
                box.y,
                box.w,
                box.h,
                ident=f"label-{index}-{i}",
                rx=4,
                extra=f' data-edge="{edge}"'
                + (
                    f' data-step="{escape(row.label.number)}" '
                    f'data-badge="{fmt(x + max(row.badge_w, 2 * r) / 2)} {fmt(cy)} {fmt(r)}"'
                    if row.label.number
                    else ""
                ),
            )
        )
        if row.label.number:
            w = max(row.badge_w, 2 * r)
            color = theme.marker(row.label.color)
            badge(
                doc,
                x + w / 2,
                cy,
                r,
                row.label.number,
                color,
                fs,
                hollow=row.label.optional,
                width=w,
                scale=row.number_scale,
            )
            x += w + 6
        for k, line in enumerate(row.lines):
            doc.text(x, cy + k * row.line_height + fs * 0.35, line, size=fs, color=theme.ink)
    if faded:  # a faded edge's labels fade with it
        for layer, start in marks.items():
            if len(doc.layers[layer]) > start:
                doc.layers[layer].insert(start, f'<g opacity="{fmt(theme.faded_opacity)}">')
                doc.layers[layer].append("</g>")
