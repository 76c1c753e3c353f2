"""SVG export: a laid-out scene drawn with the theme's pen, self-contained (embedded font subset, no references).

The pen runs after layout and never changes it: groups become dashed rough frames, nodes their kind's drawing,
edges rough curves with hand-drawn arrowheads, and each numbered step a circled badge with its text on a patch
of board colour, so no line runs through a label.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cache

from generator.layout.scene import Box, Scene, SceneCluster, SceneEdge, SceneNode
from generator.plan import ir
from generator.render.pen import Pen, Point, fmt, sample_bezier, seeded
from generator.render.shapes import draw_kind, ink_for
from generator.render.themes import Theme

__all__ = ["clearance", "escape", "render_sequence", "render_svg"]

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


class _Doc:
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
        return self.theme.text_width(_glyphs(text, self.theme), size)


def _glyphs(text: str, theme: Theme) -> str:
    if not theme.embed_font:
        return text
    from generator.render.fonts import substitute

    return substitute(text)


def _path(d: str, color: str, width: float, *, dash: str = "", opacity: float = 1.0, cls: str = "") -> str:
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


def _pen(theme: Theme, key: str) -> Pen:
    return Pen(seeded(key), roughness=theme.roughness, bowing=theme.bowing)


# ------------------------------------------------------------------------------------------------------
# Overview-style diagrams


def render_svg(scene: Scene, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out scene as a self-contained SVG document.

    Args:
        scene: Positions from the layout stage.
        theme: Colours, font and pen.
        title: The diagram's title, drawn at the top and used as the SVG's ``<title>``.
        description: What the diagram shows in words, for ``<desc>`` and alt text.
    """
    doc = _Doc(theme)
    fs = scene.font_size
    title_h = theme.title_size * 2.2 if title else PAD
    legend = scene.diagram.legend
    rows = _legend_rows(doc, scene, fs, max(scene.width, 480.0))
    legend_h = fs * (0.8 + 1.6 * len(rows)) if legend else 0.0
    flagged = any(n.node.flags for n in scene.nodes)
    margin = PAD + (36.0 if flagged else 0.0)
    widest = max((sum(w for _, w in row) for row in rows), default=0.0)
    width = max(scene.width + 2 * margin, doc.width(title, theme.title_size) + 2 * PAD, widest + 2 * PAD)
    ox = (width - scene.width) / 2
    oy = title_h + (fs * 2.5 if flagged else 0.0)
    height = oy + scene.height + legend_h + margin

    scene = attach_to_drawings(scene, doc.width)
    for cluster in sorted(scene.clusters, key=lambda c: c.depth):
        _cluster(doc, cluster, ox, oy, fs)
    for node in scene.nodes:
        _node(doc, node, ox, oy, fs)
    occupied: list[Box] = [_shift(n.box, ox, oy) for n in scene.nodes]
    paths = [traced(_drawn_path(edge, ox, oy)) for edge in scene.edges]
    for index, edge in enumerate(scene.edges):
        _edge(doc, edge, ox, oy)
        _edge_labels(doc, edge, index, ox, oy, fs, occupied, paths)
    if title:
        _title(doc, title, width / 2, theme.title_size * 1.35, theme)
    if legend:
        _legend(doc, scene, ox, oy + scene.height + fs * 1.2, fs)
    return _document(doc, width, height, title=title, description=description)


def _patch(
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


def _shift(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x + dx, box.y + dy, box.w, box.h)


def _cluster(doc: _Doc, sc: SceneCluster, ox: float, oy: float, fs: float) -> None:
    theme = doc.theme
    box = _shift(sc.box, ox, oy)
    color = theme.group_color(sc.cluster.kind)
    faded = sc.cluster.emphasis in ("faded", "removed")
    opacity = theme.faded_opacity if faded else 1.0
    pen = _pen(theme, f"group:{sc.cluster.id}")
    crisp = f"M{fmt(box.x)} {fmt(box.y)}h{fmt(box.w)}v{fmt(box.h)}h{fmt(-box.w)}Z"
    out = doc.layers["groups"]
    out.append(
        f'<g class="group" id="group-{escape(sc.cluster.id)}"' + (f' opacity="{fmt(opacity)}"' if faded else "") + ">"
    )
    out.append(f'<path d="{crisp}" fill="{color}" fill-opacity="{fmt(theme.group_fill_opacity)}" stroke="none"/>')
    dash = "9 7" if sc.cluster.kind not in ("region", "datacenter") else "14 6 3 6"
    out.append(_path(pen.rect(box.x, box.y, box.w, box.h), color, theme.stroke * 1.1, dash=dash))
    out.append("</g>")
    label = sc.cluster.label
    size = fs * 0.95
    tw = doc.width(label, size)
    lx, ly = box.x + 10, box.y + size + 5
    doc.layers["patches"].append(
        _patch(
            theme,
            lx - 4,
            ly - size,
            tw + 8,
            size * 1.3,
            cls="label group-label",
            opacity=0.85,
            extra=f' opacity="{fmt(opacity)}"' if faded else "",
        )
    )
    doc.text(lx, ly, label, size=size, color=color, extra=f' opacity="{fmt(opacity)}"' if faded else "")


def icon_box(sn: SceneNode, fs: float) -> Box:
    """Where a node's drawing sits in its box: a square, centred at the top, above the label lines."""
    box = sn.box
    text_h = len(sn.label_lines) * fs * 1.25 + (fs * 1.1 if sn.node.tech else 0.0) + 4
    size = max(24.0, min(box.w, box.h - text_h, 64.0))
    return Box(box.cx - size / 2, box.y + 2, size, size)


ATTACH_GAP = 4.0
"""How far from a node's drawing or label an edge attached to it stops."""


def label_block(sn: SceneNode, fs: float, measure: Callable[[str, float], float]) -> Box | None:
    """The box of a node's label lines and tech tag, under its drawing (None when it has no label)."""
    lines = [line for line in sn.label_lines if line]
    if not lines and not sn.node.tech:
        return None
    icon = icon_box(sn, fs)
    widths = [measure(line, fs) for line in lines]
    if sn.node.tech:
        widths.append(measure(sn.node.tech, fs * 0.8))
    widest = max(widths)
    top = icon.bottom + 2
    height = len(sn.label_lines) * fs * 1.25 + (fs * 0.9 if sn.node.tech else 0.0) + 2
    return Box(sn.box.cx - widest / 2 - 3, top, widest + 6, height)


def attach_to_drawings(scene: Scene, measure: Callable[[str, float], float]) -> Scene:
    """Move edge ends from the node's box onto its drawing, so no arrow stops in the air beside a small icon.

    Graphviz clips an edge to the node's whole box, which is as wide as the label under the drawing. An end
    level with the drawing (on the box's top, or on a side) is moved along the line towards the drawing's
    centre until it is :data:`ATTACH_GAP` away from it. An end lower down, beside or under the label, stays
    by the label (the node's lower part) but is pushed clear of its text. Either way the end's last control
    point moves with it, so the edge keeps the direction Graphviz gave it.

    Args:
        scene: The laid-out scene.
        measure: The width of a text at a font size, as drawn.
    """
    fs = scene.font_size
    icons = {sn.node.id: icon_box(sn, fs) for sn in scene.nodes}
    labels = {sn.node.id: label_block(sn, fs, measure) for sn in scene.nodes}
    edges = []
    for se in scene.edges:
        pts = list(se.points)
        tip = se.arrow_tip
        if len(pts) >= 2 and se.edge.src != se.edge.dst:
            start = _attach_point(pts[0], icons.get(se.edge.src), labels.get(se.edge.src))
            if start is not None:
                dx, dy = start[0] - pts[0][0], start[1] - pts[0][1]
                pts[0], pts[1] = start, (pts[1][0] + dx, pts[1][1] + dy)
            end = tip if tip is not None else pts[-1]
            moved = _attach_point(end, icons.get(se.edge.dst), labels.get(se.edge.dst))
            if moved is not None:
                dx, dy = moved[0] - end[0], moved[1] - end[1]
                pts[-1] = (pts[-1][0] + dx, pts[-1][1] + dy)
                pts[-2] = (pts[-2][0] + dx, pts[-2][1] + dy)
                tip = moved if tip is not None else None
        edges.append(replace(se, points=tuple(pts), arrow_tip=tip))
    return replace(scene, edges=tuple(edges))


def _attach_point(p: Point, icon: Box | None, label: Box | None = None) -> Point | None:
    """Where an edge end at ``p`` should sit instead, by the drawing ``icon`` or clear of ``label``; None to stay.

    >>> _attach_point((0.0, 10.0), Box(40, 0, 20, 20))
    (36.0, 10.0)
    >>> _attach_point((50.0, 60.0), Box(40, 0, 20, 20)) is None  # under the drawing, with no label
    True
    >>> _attach_point((31.0, 30.0), Box(40, 0, 20, 20), Box(30, 22, 40, 16))  # beside the label: pushed out
    (26.0, 30.0)
    """
    if icon is None:
        return None
    g = ATTACH_GAP
    left, top, right, bottom = icon.x - g, icon.y - g, icon.right + g, icon.bottom + g
    x, y = p
    if left <= x <= right and top <= y <= bottom:
        return None
    if y <= bottom:
        cx, cy = icon.cx, icon.cy
        tx = (left - x) / (cx - x) if x < left else (right - x) / (cx - x) if x > right else 0.0
        ty = (top - y) / (cy - y) if y < top else 0.0
        t = max(tx, ty)
        return (round(x + (cx - x) * t, 2), round(y + (cy - y) * t, 2))
    if label is None or not (label.x - g < x < label.right + g and label.y - g < y < label.bottom + g):
        return None
    moves = [(label.x - g - x, 0.0), (label.right + g - x, 0.0), (0.0, label.bottom + g - y)]
    dx, dy = min(moves, key=lambda m: abs(m[0]) + abs(m[1]))
    return (round(x + dx, 2), round(y + dy, 2))


def _node(doc: _Doc, sn: SceneNode, ox: float, oy: float, fs: float) -> None:
    theme = doc.theme
    node = sn.node
    box = _shift(sn.box, ox, oy)
    lines = list(sn.label_lines)
    line_h = fs * 1.25
    icon = _shift(icon_box(sn, fs), ox, oy)
    size = icon.w
    x0 = icon.x
    y0 = icon.y
    faded = node.emphasis in ("faded", "removed")
    group = (
        f'<g class="node" id="node-{escape(node.id)}" data-box="{fmt(box.x)} {fmt(box.y)} {fmt(box.w)} {fmt(box.h)}"'
    )
    if faded:
        group += f' opacity="{fmt(theme.faded_opacity)}"'
    out = doc.layers["nodes"]
    out.append(group + ">")
    if node.emphasis == "highlight":
        _highlight(doc, node.id, box, (x0, y0, size), [doc.width(line, fs) for line in lines], fs)
    if node.flags:
        _flag(doc, node.id, box, node.flags, fs)
    pen = _pen(theme, f"node:{node.id}")
    ink = ink_for(theme, node.kind, emphasis=node.emphasis)
    out.extend(draw_kind(node.kind, x0, y0, size, pen=pen, ink=ink, replicas=node.replicas))
    if node.replicas > 3:
        tag = f"×{node.replicas}"
        doc.layers["nodes"].append("")
        doc.text(x0 + size + 2, y0 + fs * 0.9, tag, size=fs * 0.85, color=ink.stroke, layer="nodes")
    ty = y0 + size + fs + 2
    if node.emphasis != "highlight" and any(lines):
        # A patch of board behind the label: an edge arriving from below ends under it, not across the text.
        widest = max(doc.width(line, fs) for line in lines)
        block = len(lines) * line_h + (fs * 0.9 if node.tech else 0.0)
        out.append(
            _patch(theme, box.cx - widest / 2 - 3, ty - fs, widest + 6, block + 2, cls="node-label", opacity=0.85)
        )
    for line in lines:
        doc.text(box.cx, ty, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
        ty += line_h
    if node.tech:
        tsize = fs * 0.8
        doc.text(
            box.cx,
            ty - line_h + tsize * 1.25,
            node.tech,
            size=tsize,
            color=ink.stroke,
            anchor="middle",
            layer="nodes",
            extra=' font-style="italic"',
        )
    out.append("</g>")
    if node.emphasis == "removed":
        pen = _pen(theme, f"removed:{node.id}")
        a, b = x0 - 4, x0 + size + 4
        top, bottom = y0 - 2, y0 + size + 2
        cross = pen.line((a, top), (b, bottom)) + pen.line((b, top), (a, bottom))
        out.append(f'<g class="removed-mark" id="removed-{escape(node.id)}">')
        out.append(_path(cross, theme.marker(1), theme.stroke * 1.7))
        out.append("</g>")


def _highlight(
    doc: _Doc, node_id: str, box: Box, icon: tuple[float, float, float], line_widths: Sequence[float], fs: float
) -> None:
    """A highlighted node: a soft highlighter glow behind its drawing and a highlighter swipe under its label."""
    theme = doc.theme
    x0, y0, size = icon
    pen = _pen(theme, f"highlight:{node_id}")
    pad = 7.0
    layer = doc.layers["highlights"]
    layer.append(
        f'<rect class="highlight" x="{fmt(x0 - pad)}" y="{fmt(y0 - pad)}" width="{fmt(size + 2 * pad)}" '
        f'height="{fmt(size + 2 * pad)}" rx="{fmt(size / 3)}" fill="{theme.highlight}" '
        f'fill-opacity="{fmt(theme.highlight_opacity)}"/>'
    )
    ty = y0 + size + fs + 2
    for width in line_widths:
        y = ty - fs * 0.3
        swipe = pen.line((box.cx - width / 2 - 4, y + 1), (box.cx + width / 2 + 4, y - 1), double=False)
        layer.append(
            f'<path d="{swipe}" fill="none" stroke="{theme.highlight}" stroke-width="{fmt(fs * 0.95)}" '
            f'stroke-linecap="round" opacity="{fmt(min(1.0, theme.highlight_opacity * 1.6))}"/>'
        )
        ty += fs * 1.25
    ring = pen.ellipse(x0 + size / 2, y0 + size / 2, size + 2 * pad + 6, size + 2 * pad + 2, double=False)
    layer.append(_path(ring, theme.marker(4), theme.stroke * 1.2))


def _flag(doc: _Doc, node_id: str, box: Box, flags: Sequence[str], fs: float) -> None:
    """Circle a node the review flags, in red marker, with what it breaks written above it."""
    theme = doc.theme
    color = theme.marker(1)
    pen = _pen(theme, f"flag:{node_id}")
    doc.layers["highlights"].append(
        _path(pen.ellipse(box.cx, box.cy, box.w * 1.35 + 10, box.h * 1.2 + 10), color, theme.stroke * 1.4)
    )
    size = fs * 0.8
    y = box.y - fs * 0.6
    for text in reversed(flags):
        width = doc.width(f"! {text}", size)
        doc.layers["patches"].append(
            _patch(theme, box.cx - width / 2 - 3, y - size, width + 6, size * 1.3, cls="label flag", opacity=0.9)
        )
        doc.text(box.cx, y, f"! {text}", size=size, color=color, anchor="middle")
        y -= size * 1.3


def _edge_style(doc: _Doc, hop: str) -> tuple[str, float, bool]:
    """Dash pattern, width factor and whether the head is open."""
    return {
        "request": ("", 1.0, True),
        "response": ("7 6", 0.85, True),
        "async": ("10 6", 1.0, True),
        "replication": ("6 6", 0.85, True),
        "heartbeat": ("1 6", 1.0, True),
    }.get(hop, ("", 1.0, True))


def _edge(doc: _Doc, se: SceneEdge, ox: float, oy: float) -> None:
    theme = doc.theme
    edge = se.edge
    pts = [(x + ox, y + oy) for x, y in se.points]
    if len(pts) < 2:
        return
    tip = (se.arrow_tip[0] + ox, se.arrow_tip[1] + oy) if se.arrow_tip else pts[-1]
    color = theme.replication if edge.hop == "replication" else theme.marker(edge.color)
    dash, factor, open_head = _edge_style(doc, edge.hop)
    width = theme.edge_stroke * factor
    pen = _pen(theme, f"edge:{edge.id}")
    faded = edge.emphasis in ("faded", "removed")
    d = pen.bezier_path(pts)
    if se.arrow_tip:
        d += pen.line(pts[-1], tip, double=False)
    group = f'<g class="edge" id="edge-{escape(edge.id)}"' + (f' opacity="{fmt(theme.faded_opacity)}"' if faded else "")
    doc.layers["edges"].append(group + ">")
    doc.layers["edges"].append(_path(d, color, width, dash=dash))
    head_from = _back_point(pts, tip)
    size = 11.0 if edge.hop != "replication" else 8.0
    doc.layers["edges"].append(_path(pen.arrowhead(tip, head_from, size=size, open_=open_head), color, width * 1.1))
    doc.layers["edges"].append("</g>")
    if edge.emphasis == "removed":
        path = _drawn_path(se, ox, oy)
        mx, my = path[len(path) // 2]
        mark = _pen(theme, f"removed:{edge.id}")
        cross = mark.line((mx - 6, my - 6), (mx + 6, my + 6)) + mark.line((mx + 6, my - 6), (mx - 6, my + 6))
        doc.layers["edges"].append(
            f'<g class="removed-mark" id="removed-{escape(edge.id)}">{_path(cross, theme.marker(1), 2.4)}</g>'
        )


def _back_point(pts: Sequence[Point], tip: Point) -> Point:
    """A point some way back along the path from the tip, to aim the arrowhead."""
    for p in reversed(pts):
        if math.dist(p, tip) > 8:
            return p
    return pts[0]


def _edge_labels(
    doc: _Doc,
    se: SceneEdge,
    index: int,
    ox: float,
    oy: float,
    fs: float,
    occupied: list[Box],
    paths: Sequence[Traced],
) -> None:
    """Draw an edge's labels on patches; ``paths`` holds every edge's drawn path, this one's at ``index``."""
    if se.label_box is None or not se.edge.labels:
        return
    theme = doc.theme
    box = _shift(se.label_box, ox, oy)
    n = len(se.edge.labels)
    line_h = box.h / n
    r = min(fs * 0.6, line_h * 0.47)
    rows: list[tuple[Box, float]] = []
    for i, label in enumerate(se.edge.labels):
        cy = box.y + line_h * (i + 0.5)
        text_w = doc.width(label.text, fs) if label.text else 0.0
        badge = 2 * r + 6 if label.number else 0.0
        total = badge + text_w if label.text else badge - 6
        rows.append((Box(box.x - 3, cy - line_h / 2, total + 6, line_h), cy))
    block = Box(
        min(b.x for b, _ in rows),
        rows[0][0].y,
        max(b.right for b, _ in rows) - min(b.x for b, _ in rows),
        rows[-1][0].bottom - rows[0][0].y,
    )
    own = paths[index][1]
    others = [path for number, path in enumerate(paths) if number != index]
    dx, dy = clearance(block, own, occupied, gap=6.0, limit=fs * 1.3)
    ex, ey = toward_own_edge(_shift(block, dx, dy), own, others, occupied, gap=6.0)
    dx, dy = dx + ex, dy + ey
    for i, (label, (patch0, cy0)) in enumerate(zip(se.edge.labels, rows, strict=True)):
        patch = _shift(patch0, dx, dy)
        cy = cy0 + dy
        x = patch.x + 3
        occupied.append(patch)
        doc.layers["patches"].append(
            _patch(theme, patch.x, patch.y, patch.w, patch.h, ident=f"label-{index}-{i}", rx=4)
        )
        if label.number:
            _badge(doc, x + r, cy, r, label.number, theme.marker(label.color), fs)
            x += 2 * r + 6
        if label.text:
            doc.text(x, cy + fs * 0.35, label.text, size=fs, color=theme.ink)


def _drawn_path(se: SceneEdge, ox: float, oy: float) -> list[Point]:
    """Points along an edge as drawn (the Bézier chain, then the stretch to the arrow tip), in document space."""
    pts = [(x + ox, y + oy) for x, y in se.points]
    if len(pts) < 2:
        return pts
    out = sample_bezier(pts, spacing=4.0) if len(pts) >= 4 else list(pts)
    if se.arrow_tip:
        out.append((se.arrow_tip[0] + ox, se.arrow_tip[1] + oy))
    return out


def clearance(
    block: Box, path: Sequence[Point], occupied: Sequence[Box], *, gap: float, limit: float
) -> tuple[float, float]:
    """How far to move a label block so the edge it belongs to runs ``gap`` clear of it, without new overlaps.

    Graphviz puts an edge's label right beside the edge, so with a handwriting font's descenders and a wobbling
    pen the line grazes the text. This nudges the block up, down, left or right (the smallest move that clears the
    path, at most ``limit``) unless that move lands it on a box in ``occupied``; (0, 0) when none works.

    Args:
        block: The label's patches, all lines together.
        path: Points along the edge as drawn, a few points apart.
        occupied: Boxes the label must not move onto (nodes, labels placed before it).
        gap: The clearance wanted between the line and the patch.
        limit: The longest move allowed (Manhattan distance).

    Returns:
        The move ``(dx, dy)``.

    >>> along = lambda y: [(float(x), y) for x in range(-10, 61, 4)]
    >>> clearance(Box(0, 0, 50, 18), along(17.0), [], gap=3, limit=10)
    (0.0, -4.0)
    >>> clearance(Box(0, 0, 50, 18), along(30.0), [], gap=3, limit=10)
    (0.0, 0.0)
    >>> clearance(Box(0, 0, 50, 18), along(9.0), [], gap=3, limit=10)
    (0.0, 0.0)
    >>> clearance(Box(0, 0, 50, 18), along(17.0), [Box(0, -20, 50, 18)], gap=3, limit=10)
    (0.0, 0.0)
    """
    grown = Box(block.x - gap, block.y - gap, block.w + 2 * gap, block.h + 2 * gap)
    if not any(grown.x <= x <= grown.right and grown.y <= y <= grown.bottom for x, y in path):
        return (0.0, 0.0)
    in_cols = [y for x, y in path if grown.x <= x <= grown.right]
    in_rows = [x for x, y in path if grown.y <= y <= grown.bottom]
    moves: list[tuple[float, float]] = []
    if in_cols:
        moves += [(0.0, min(in_cols) - gap - block.bottom), (0.0, max(in_cols) + gap - block.y)]
    if in_rows:
        moves += [(min(in_rows) - gap - block.right, 0.0), (max(in_rows) + gap - block.x, 0.0)]
    already = [o for o in occupied if o.overlaps(block, margin=1.0)]
    for dx, dy in sorted(moves, key=lambda m: (abs(m[0]) + abs(m[1]), m)):
        if abs(dx) + abs(dy) > limit:
            break
        moved = Box(block.x + dx, block.y + dy, block.w, block.h)
        if not any(moved.overlaps(o, margin=1.0) for o in occupied if o not in already):
            return (round(dx, 2) + 0.0, round(dy, 2) + 0.0)
    return (0.0, 0.0)


def _distance(box: Box, path: Sequence[Point]) -> float:
    """The shortest distance from a box to any point of a path (0 when a point is inside)."""
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    best = math.inf
    for x, y in path:
        dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
        dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
        d = dx * dx + dy * dy
        if d < best:
            best = d
    return math.sqrt(best)


def _closer_than(box: Box, path: Sequence[Point], limit: float) -> bool:
    """Whether some point of the path is less than ``limit`` from the box (stops at the first one).

    >>> square = Box(0, 0, 10, 10)
    >>> _closer_than(square, [(30.0, 5.0), (13.0, 5.0)], 4.0), _closer_than(square, [(14.0, 5.0)], 4.0)
    (True, False)
    """
    if limit <= 0:
        return False
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    reach = limit * limit
    for x, y in path:
        if x0 - limit < x < x1 + limit and y0 - limit < y < y1 + limit:
            dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
            dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
            if dx * dx + dy * dy < reach:
                return True
    return False


Traced = tuple[Box, Sequence[Point]]
"""Points along a drawn edge, with the box around them (to skip far-away edges cheaply)."""


def traced(points: Sequence[Point]) -> Traced:
    """A path with its bounding box.

    >>> traced([(0.0, 5.0), (10.0, 1.0)])[0]
    Box(x=0.0, y=1.0, w=10.0, h=4.0)
    """
    if not points:
        return (Box(0.0, 0.0, 0.0, 0.0), points)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), points)


def _apart(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they overlap)."""
    return math.hypot(max(a.x - b.right, 0.0, b.x - a.right), max(a.y - b.bottom, 0.0, b.y - a.bottom))


def toward_own_edge(
    block: Box,
    own: Sequence[Point],
    others: Sequence[Traced],
    occupied: Sequence[Box],
    *,
    gap: float,
) -> tuple[float, float]:
    """How far to move a label that sits nearer another edge than its own, so it reads as its own edge's.

    Graphviz can leave a label on the far side of a neighbouring line. The block slides towards the nearest
    point of its own edge, as far as it can while staying ``gap`` clear of it, and takes the longest slide after
    which its own edge is the nearest line, no other line runs under it, and it lands on no box of
    ``occupied``; (0, 0) when it already reads right or no slide works.

    >>> own = [(float(x), 100.0) for x in range(0, 200, 4)]
    >>> other = traced([(float(x), 35.0) for x in range(0, 200, 4)])
    >>> toward_own_edge(Box(48, 10, 40, 16), own, [other], [], gap=6)  # 9 from the other line, 74 from its own
    (0.0, 68.0)
    >>> toward_own_edge(Box(48, 70, 40, 16), own, [other], [], gap=6)  # nearer its own line already
    (0.0, 0.0)
    >>> toward_own_edge(Box(48, 10, 40, 16), own, [other], [Box(40, 60, 60, 30)], gap=6)  # a node in the way
    (0.0, 0.0)
    """
    near_own = _distance(block, own)
    if not others or not own or near_own <= gap + 4.0:  # right by its own line: it reads as that line's
        return (0.0, 0.0)
    # Only lines that pass within reach matter: the block moves at most near_own - gap.
    nearby = [path for bounds, path in others if _apart(bounds, block) < 2 * near_own]
    if not any(_closer_than(block, path, near_own - 2.0) for path in nearby):
        return (0.0, 0.0)
    cx, cy = block.cx, block.cy
    tx, ty = min(own, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    length = math.hypot(tx - cx, ty - cy) or 1.0
    ux, uy = (tx - cx) / length, (ty - cy) / length
    already = [o for o in occupied if o.overlaps(block, margin=1.0)]
    room = near_own - gap
    for share in (1.0, 0.85, 0.7, 0.55, 0.4, 0.25):
        dx, dy = round(ux * room * share, 2), round(uy * room * share, 2)
        moved = Box(block.x + dx, block.y + dy, block.w, block.h)
        to_own = _distance(moved, own)
        if to_own < gap - 0.5:
            continue
        if any(_closer_than(moved, path, max(to_own, gap) + 1e-9) for path in nearby):
            continue
        if any(moved.overlaps(o, margin=1.0) for o in occupied if o not in already):
            continue
        return (dx + 0.0, dy + 0.0)
    return (0.0, 0.0)


def _badge(doc: _Doc, cx: float, cy: float, r: float, number: str, color: str, fs: float) -> None:
    theme = doc.theme
    pen = _pen(theme, f"badge:{number}:{fmt(cx)}:{fmt(cy)}")
    doc.layers["labels"].append(f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r)}" fill="{color}" stroke="none"/>')
    doc.layers["labels"].append(_path(pen.ellipse(cx, cy, 2 * r + 1, 2 * r + 1, double=False), color, 1.2))
    size = fs * (0.78 if len(number) < 2 else 0.66)
    doc.text(cx, cy + size * 0.36, number, size=size, color=theme.paper, anchor="middle", weight="bold")


def _title(doc: _Doc, title: str, cx: float, baseline: float, theme: Theme) -> None:
    size = theme.title_size
    doc.text(cx, baseline, title, size=size, color=theme.ink, anchor="middle", layer="chrome")
    w = doc.width(title, size)
    pen = _pen(theme, f"title:{title}")
    y = baseline + size * 0.3
    doc.layers["chrome"].append(_path(pen.line((cx - w / 2 - 4, y), (cx + w / 2 + 6, y + 1)), theme.marker(1), 2.2))


def _legend_rows(doc: _Doc, scene: Scene, fs: float, room: float) -> list[list[tuple[object, float]]]:
    """The legend's entries (the "flows:" caption first) packed into rows no wider than ``room``."""
    if not scene.diagram.legend:
        return []
    size = fs * 0.9
    items: list[tuple[object, float]] = [(None, doc.width("flows:", size) + 12)]
    items += [(entry, 38 + doc.width(entry.text, size) + 24) for entry in scene.diagram.legend]
    rows: list[list[tuple[object, float]]] = [[]]
    for item in items:
        if rows[-1] and sum(w for _, w in rows[-1]) + item[1] > room:
            rows.append([])
        rows[-1].append(item)
    return rows


def _legend(doc: _Doc, scene: Scene, x: float, y: float, fs: float) -> None:
    theme = doc.theme
    size = fs * 0.9
    for row in _legend_rows(doc, scene, fs, max(scene.width, 480.0)):
        cx = x
        for entry, width in row:
            if not isinstance(entry, ir.LegendEntry):
                doc.text(cx, y + fs * 0.35, "flows:", size=size, color=theme.muted, layer="chrome")
                cx += width
                continue
            color = theme.marker(entry.color)
            pen = _pen(theme, f"legend:{entry.color}")
            doc.layers["chrome"].append(_path(pen.line((cx, y), (cx + 28, y)), color, theme.edge_stroke))
            doc.layers["chrome"].append(_path(pen.arrowhead((cx + 30, y), (cx, y), size=8), color, theme.edge_stroke))
            doc.text(cx + 38, y + fs * 0.35, entry.text, size=size, color=theme.ink, layer="chrome")
            cx += width
        y += fs * 1.6


# ------------------------------------------------------------------------------------------------------
# Sequence diagrams


def render_sequence(scene: object, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out sequence diagram (:class:`generator.layout.sequence.SequenceScene`) as a self-contained SVG."""
    from generator.layout.sequence import SequenceScene

    assert isinstance(scene, SequenceScene)
    doc = _Doc(theme)
    fs = scene.font_size
    width = max(scene.width, doc.width(title, theme.title_size) + 2 * PAD)
    height = scene.height
    color = theme.marker(scene.color)
    for p in scene.participants:
        pen = _pen(theme, f"lifeline:{p.node.id}")
        doc.layers["groups"].append(
            _path(
                pen.line((p.x, scene.lifeline_top), (p.x, scene.lifeline_bottom), double=False),
                theme.muted,
                1.2,
                dash="5 6",
            )
        )
        size = 40.0
        ink = ink_for(theme, p.node.kind)
        doc.layers["nodes"].append(f'<g class="node" id="node-{escape(p.node.id)}">')
        doc.layers["nodes"].extend(
            draw_kind(p.node.kind, p.x - size / 2, p.head.y + 2, size, pen=_pen(theme, f"node:{p.node.id}"), ink=ink)
        )
        ty = p.head.y + size + fs + 4
        for line in p.label_lines:
            doc.text(p.x, ty, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
            ty += fs * 1.25
        doc.layers["nodes"].append("</g>")
    for frag in sorted(scene.fragments, key=lambda f: (f.box.y, -f.box.w)):
        _fragment(doc, frag, fs)
    for m in scene.messages:
        _message(doc, m, color, fs)
    if title:
        _title(doc, title, width / 2, theme.title_size * 1.35, theme)
    return _document(doc, width, height, title=title, description=description)


_CHART_SLOTS = {"action": None, "state": None, "decision": 0, "start": 2, "end": 2, "io": 3}
"""Each chart shape's marker colour (None: the ink): questions blue, starts and ends green, input/output purple."""


def render_chart_svg(scene: object, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out chart (:class:`generator.layout.chart.ChartScene`) as a self-contained SVG.

    Shapes hold their text: a rough box for a step, a rough diamond for a question, a rough rounded box for a
    state, a stadium for a start or an end (a dot, and a dot in a ring, in a state machine). Arrows, their
    labels and their patches are drawn as on the architecture diagrams.
    """
    from generator.layout.chart import ChartScene

    assert isinstance(scene, ChartScene)
    doc = _Doc(theme)
    fs = scene.font_size
    title_h = theme.title_size * 2.6 if title else PAD
    width = max(scene.width + 2 * PAD, doc.width(title, theme.title_size) + 2 * PAD)
    ox, oy = (width - scene.width) / 2, title_h
    height = oy + scene.height + PAD
    occupied: list[Box] = []
    for node in scene.nodes:
        box = _shift(node.box, ox, oy)
        occupied.append(box)
        _chart_node(doc, node.id, node.shape, box, node.lines, node.pseudo, fs)
    paths = [traced(_drawn_path(edge, ox, oy)) for edge in scene.edges]
    for index, edge in enumerate(scene.edges):
        _edge(doc, edge, ox, oy)
        _edge_labels(doc, edge, index, ox, oy, fs, occupied, paths)
    if title:
        _title(doc, title, width / 2, theme.title_size * 1.35, theme)
    return _document(doc, width, height, title=title, description=description)


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


def _chart_node(doc: _Doc, ident: str, shape: str, box: Box, lines: Sequence[str], pseudo: bool, fs: float) -> None:
    theme = doc.theme
    color = theme.marker(_CHART_SLOTS[shape])
    tint = fmt(min(theme.fill_opacity * 0.6, 0.15))  # a light wash: the text sits on it
    pen = _pen(theme, f"chart-node:{ident}")
    out = doc.layers["nodes"]
    out.append(
        f'<g class="node chart-{shape}" id="node-{escape(ident)}" '
        f'data-box="{fmt(box.x)} {fmt(box.y)} {fmt(box.w)} {fmt(box.h)}">'
    )
    if pseudo:
        r = min(box.w, box.h) / 2
        if shape == "end":
            out.append(_path(pen.ellipse(box.cx, box.cy, 2 * r, 2 * r), theme.ink, theme.stroke))
            r *= 0.55
        out.append(
            f'<circle cx="{fmt(box.cx)}" cy="{fmt(box.cy)}" r="{fmt(r * 0.8)}" fill="{theme.ink}" stroke="none"/>'
        )
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
        crisp = "M" + "L".join(f"{fmt(px)} {fmt(py)}" for px, py in corners) + "Z"
        fill = f'<path d="{crisp}" fill="{color}" fill-opacity="{tint}" stroke="none"/>'
        outline = pen.polyline(corners, closed=True)
    out.append(fill)
    out.append(_path(outline, color, theme.stroke))
    line_h = fs * 1.25
    baseline = box.cy - line_h * len(lines) / 2 + fs * 0.95
    for line in lines:
        doc.text(box.cx, baseline, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
        baseline += line_h
    out.append("</g>")


def _fragment(doc: _Doc, frag: object, fs: float) -> None:
    from generator.layout.sequence import SeqFragment

    assert isinstance(frag, SeqFragment)
    theme = doc.theme
    pen = _pen(theme, f"fragment:{frag.id}")
    box = frag.box
    color = theme.muted
    doc.layers["groups"].append(_path(pen.rect(box.x, box.y, box.w, box.h), color, theme.stroke))
    tag = frag.kind
    size = fs * 0.9
    tw = doc.width(tag, size) + 12
    th = size * 1.45
    doc.layers["groups"].append(
        f'<path d="M{fmt(box.x)} {fmt(box.y)}h{fmt(tw)}v{fmt(th - 5)}l-5 5H{fmt(box.x)}Z" fill="{theme.paper}" '
        f'stroke="none"/>'
    )
    doc.layers["groups"].append(
        _path(
            pen.polyline(
                [(box.x + tw, box.y), (box.x + tw, box.y + th - 5), (box.x + tw - 5, box.y + th), (box.x, box.y + th)]
            ),
            color,
            theme.stroke,
        )
    )
    doc.text(box.x + 6, box.y + size * 1.1, tag, size=size, color=theme.ink, weight="bold", layer="chrome")
    if frag.condition:
        _patched_text(doc, box.x + tw + 8, box.y + size * 1.1, f"[{frag.condition}]", size)
    for y, text in frag.dividers:
        doc.layers["groups"].append(_path(pen.line((box.x, y), (box.right, y), double=False), color, 1.2, dash="6 5"))
        _patched_text(doc, box.x + 8, y + size * 1.2, f"[{text}]", size)


def _patched_text(doc: _Doc, x: float, baseline: float, text: str, size: float) -> None:
    """Text on a patch of board colour, so the lifelines it crosses do not run through it."""
    width = doc.width(text, size)
    doc.layers["patches"].append(_patch(doc.theme, x - 3, baseline - size, width + 6, size * 1.35))
    doc.text(x, baseline, text, size=size, color=doc.theme.ink, layer="chrome")


def _message(doc: _Doc, m: object, color: str, fs: float) -> None:
    from generator.layout.sequence import SeqMessage

    assert isinstance(m, SeqMessage)
    theme = doc.theme
    pen = _pen(theme, f"message:{m.id}")
    dash, factor, _ = _edge_style(doc, m.hop)
    if m.hop == "async":
        dash = ""  # UML: an asynchronous message is a solid line with an open head; a reply is dashed
    width = theme.edge_stroke * factor
    line_color = theme.replication if m.hop == "replication" else color
    if m.x1 == m.x2:
        x, y = m.x1, m.y
        pts = [(x, y - 8), (x + 30, y - 8), (x + 30, y + 10), (x + 2, y + 10)]
        d = pen.polyline(pts)
        tip, back = pts[-1], pts[-2]
    else:
        d = pen.line((m.x1, m.y), (m.x2, m.y))
        tip = (m.x2, m.y)
        back = (m.x1, m.y)
    doc.layers["edges"].append(f'<g class="message" id="message-{m.id}">')
    doc.layers["edges"].append(_path(d, line_color, width, dash=dash))
    closed = m.hop == "request"
    head = pen.arrowhead(tip, back, size=10, open_=not closed)
    if closed:
        doc.layers["edges"].append(
            f'<path d="{head}" fill="{line_color}" stroke="{line_color}" stroke-width="{fmt(width)}" '
            f'stroke-linejoin="round"/>'
        )
    else:
        doc.layers["edges"].append(_path(head, line_color, width))
    doc.layers["edges"].append("</g>")
    box = m.label_box
    r = fs * 0.55
    text_w = doc.width(m.text, fs) if m.text else 0.0
    total = 2 * r + (6 + text_w if m.text else 0)
    x = box.x + (box.w - total) / 2 if m.x1 != m.x2 else box.x
    cy = box.y + box.h / 2
    doc.layers["patches"].append(_patch(theme, x - 3, box.y, total + 6, box.h, ident=f"label-{m.id}", rx=4))
    _badge(doc, x + r, cy, r, m.number, color, fs)
    if m.text:
        doc.text(x + 2 * r + 6, cy + fs * 0.35, m.text, size=fs, color=theme.ink)
    if m.note:
        size = fs * 0.85
        width = doc.width(m.note, size)
        cx = (m.x1 + m.x2) / 2 if m.x1 != m.x2 else m.x1 + 40 + width / 2
        doc.layers["patches"].append(_patch(theme, cx - width / 2 - 3, m.y + fs * 1.3 - size, width + 6, size * 1.35))
        doc.text(
            cx, m.y + fs * 1.3, m.note, size=size, color=theme.muted, anchor="middle", extra=' font-style="italic"'
        )


# ------------------------------------------------------------------------------------------------------
# The document


def _document(doc: _Doc, width: float, height: float, *, title: str, description: str) -> str:
    theme = doc.theme
    w, h = math.ceil(width), math.ceil(height)
    style = f"text{{font-family:{theme.font_stack}}}"
    if theme.embed_font:
        font = _font_face(theme.font_family, "".join(doc.texts))
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


@cache
def _subset(family: str, chars: str) -> str:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from generator.render.fonts import font_path

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


def _font_face(family: str, text: str) -> str:
    chars = "".join(sorted(set(text) | BASE_GLYPHS))
    return _subset(family, chars)


def texts_of(svg: str) -> Iterable[str]:  # pragma: no cover - debugging helper
    """Every text string of an SVG produced here."""
    import re

    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)
