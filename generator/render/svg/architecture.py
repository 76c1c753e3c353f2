"""Architecture views (overview, flow, stage, review): groups as dashed frames, kinds as drawings, numbered edges."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from generator.layout.anatomy import TITLE_SCALE, icon_box, label_block, tag_of, title_box
from generator.layout.fit import slide_sized
from generator.layout.geometry import apart, closer_than
from generator.layout.scene import Box, Point, Scene, SceneCluster, SceneNode, sample_bezier
from generator.layout.settle import SAMPLE_SPACING, drawn_pieces
from generator.plan import ir
from generator.render.pen import fmt
from generator.render.shapes import draw_kind, ink_for
from generator.render.svg.document import PAD, Doc, document, escape, patch, pen_for, shift, stroke, title_line
from generator.render.svg.edges import draw_edge, draw_labels
from generator.render.themes import Theme

__all__ = ["render_svg"]


def render_svg(scene: Scene, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out scene as a self-contained SVG document.

    Args:
        scene: Positions from the layout stage, edge ends attached and labels placed (see
            :func:`generator.layout.settle.settle`).
        theme: Colours, font and pen.
        title: The diagram's title, drawn at the top and used as the SVG's ``<title>``.
        description: What the diagram shows in words, for ``<desc>`` and alt text.
    """
    doc = Doc(theme)
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

    for cluster in sorted(scene.clusters, key=lambda c: c.depth):
        _cluster(doc, cluster, ox, oy, fs)
    taken = _taken(scene, ox, oy) if any(n.node.replicas > 3 for n in scene.nodes) else None
    # A design too big for a slide draws each kind once and uses it everywhere (shared definitions): its SVG is
    # read zoomed out, where two drawings of a kind cannot be told apart, and is a third smaller.
    shared = not slide_sized(scene.diagram)
    for node in scene.nodes:
        _node(doc, node, ox, oy, fs, taken, shared=shared)
    for index, edge in enumerate(scene.edges):
        draw_edge(doc, edge, ox, oy)
        draw_labels(doc, edge, index, ox, oy, fs)
    if title:
        title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    if legend:
        _legend(doc, scene, ox, oy + scene.height + fs * 1.2, fs)
    return document(doc, width, height, title=title, description=description)


def _cluster(doc: Doc, sc: SceneCluster, ox: float, oy: float, fs: float) -> None:
    theme = doc.theme
    box = shift(sc.box, ox, oy)
    color = theme.group_color(sc.cluster.kind)
    faded = sc.cluster.emphasis in ("faded", "removed")
    opacity = theme.faded_opacity if faded else 1.0
    pen = pen_for(theme, f"group:{sc.cluster.id}")
    crisp = f"M{fmt(box.x)} {fmt(box.y)}h{fmt(box.w)}v{fmt(box.h)}h{fmt(-box.w)}Z"
    out = doc.layers["groups"]
    out.append(
        f'<g class="group" id="group-{escape(sc.cluster.id)}"' + (f' opacity="{fmt(opacity)}"' if faded else "") + ">"
    )
    out.append(f'<path d="{crisp}" fill="{color}" fill-opacity="{fmt(theme.group_fill_opacity)}"/>')
    dash = "9 7" if sc.cluster.kind not in ("region", "datacenter") else "14 6 3 6"
    out.append(stroke(pen.rect(box.x, box.y, box.w, box.h), color, theme.stroke * 1.1, dash=dash))
    out.append("</g>")
    label = sc.cluster.label
    size = fs * TITLE_SCALE
    title = shift(title_box(sc, fs, doc.width), ox, oy)
    lx, ly = title.x + 4, title.y + size
    doc.layers["patches"].append(
        patch(
            theme,
            title.x,
            title.y,
            title.w,
            title.h,
            cls="label group-label",
            opacity=0.85,
            extra=f' opacity="{fmt(opacity)}"' if faded else "",
        )
    )
    doc.text(lx, ly, label, size=size, color=color, extra=f' opacity="{fmt(opacity)}"' if faded else "")


def _taken(scene: Scene, ox: float, oy: float) -> Callable[[Box], bool]:
    """Whether a box on the drawn picture lies on an edge's line or on a step's label (where a replica count would
    be struck through or hidden).

    Each piece of a line (see :func:`~generator.layout.settle.drawn_pieces`) is traced only when a box comes near
    the box around its points (a Bézier curve never leaves its control points'): a large design's far edges are
    never traced."""
    reach = 5.0
    pieces = [piece for se in scene.edges for piece in drawn_pieces(se, ox, oy)]
    points: dict[int, Sequence[Point]] = {}
    labels = [shift(row.patch, ox, oy) for se in scene.edges for row in se.rows]

    def on_a_line(box: Box) -> bool:
        for number, (hull, bezier, control) in enumerate(pieces):
            if apart(box, hull) >= reach + 1.0:  # a unit to spare for rounding
                continue
            if number not in points:
                points[number] = sample_bezier(control, spacing=SAMPLE_SPACING) if bezier else control
            if closer_than(box, points[number], reach):
                return True
        return False

    return lambda box: on_a_line(box) or any(box.overlaps(label, margin=-3.0) for label in labels)


def _mark_at(icon: Box, width: float, high: float, fs: float, taken: Callable[[Box], bool] | None) -> Point:
    """Where a replica count goes (its text's left end and baseline): beside the drawing's top right corner, else
    the first other corner no line or label crosses, else the top right all the same (a patch keeps it legible)."""
    right, left = icon.x + icon.w + 2, icon.x - width - 2
    top, bottom = icon.y + fs * 0.9, icon.y + icon.w - fs * 0.1
    corners = [(right, top), (left, top), (right, bottom), (left, bottom)]
    for x, y in corners if taken is not None else corners[:1]:
        if taken is None or not taken(Box(x - 1, y - high * 0.8, width + 2, high)):
            return (x, y)
    return corners[0]


def _node(
    doc: Doc, sn: SceneNode, ox: float, oy: float, fs: float, taken: Callable[[Box], bool] | None, *, shared: bool
) -> None:
    theme = doc.theme
    node = sn.node
    box = shift(sn.box, ox, oy)
    lines = list(sn.label_lines)
    line_h = fs * 1.25
    icon = shift(icon_box(sn, fs), ox, oy)
    size = icon.w
    x0 = icon.x
    y0 = icon.y
    tag = tag_of(node)
    faded = node.emphasis in ("faded", "removed", "failed")
    text = label_block(sn, fs, doc.width)
    drawn = [icon] + ([shift(text, ox, oy)] if text else [])
    parts = ";".join(f"{fmt(p.x)} {fmt(p.y)} {fmt(p.w)} {fmt(p.h)}" for p in drawn)
    group = (
        f'<g class="node" id="node-{escape(node.id)}" data-box="{fmt(box.x)} {fmt(box.y)} {fmt(box.w)} {fmt(box.h)}"'
        f' data-parts="{parts}"'
    )
    if faded:
        group += f' opacity="{fmt(theme.faded_opacity)}"'
    if node.emphasis == "failed":
        group += ' data-failed="true"'
    out = doc.layers["nodes"]
    out.append(group + ">")
    if node.emphasis == "highlight":
        _highlight(doc, node.id, (x0, y0, size))
    if node.flags:
        _flag(doc, node.id, box, node.flags, fs)
    ink = ink_for(theme, node.kind, emphasis=node.emphasis)
    if node.standby:  # a dashed copy waiting behind the drawing
        ghost = pen_for(theme, f"standby:{node.id}").rect(x0 + 7, y0 - 5, size, size)
        out.append(stroke(ghost, ink.stroke, theme.stroke, dash="4 4", opacity=0.7, cls="standby"))
    mark = f"×{node.replicas}" if node.replicas > 3 else ""
    high = fs * 0.85
    mx, my = _mark_at(icon, doc.width(mark, high), high, fs, taken) if mark else (0.0, 0.0)
    if mark:  # on a patch of board, under the drawing: a line that still reaches it passes under, not across
        out.append(patch(theme, mx - 1, my - high * 0.8, doc.width(mark, high) + 2, high, cls="mark"))
    if shared:  # one drawing of each kind, size, stack and ink, used wherever it stands
        copies = min(node.replicas, 3)
        pen = pen_for(theme, f"kind:{node.kind}:{fmt(size)}:{copies}")
        draw = partial(draw_kind, node.kind, 0.0, 0.0, size, pen=pen, ink=ink, replicas=node.replicas)
        out.append(doc.use((node.kind, fmt(size), copies, ink), draw, x0, y0))
    else:
        pen = pen_for(theme, f"node:{node.id}")
        out.extend(draw_kind(node.kind, x0, y0, size, pen=pen, ink=ink, replicas=node.replicas))
    if mark:
        doc.text(mx, my, mark, size=high, color=ink.stroke, layer="nodes")
    ty = y0 + size + fs + 2
    if any(lines) and text is not None:
        # A patch of board behind the label: an edge arriving from below ends under it, not across the text. A
        # node new in this stage gets a highlighter patch instead, behind the whole text, never across it.
        left, top, width, height = text.x + ox, text.y + oy, text.w, text.h
        out.append(patch(theme, left, top, width, height, cls="node-label", opacity=0.85))
        if node.emphasis == "highlight":
            out.append(
                f'<rect class="highlight" x="{fmt(left - 2)}" y="{fmt(top)}" width="{fmt(width + 4)}" '
                f'height="{fmt(height)}" rx="{fmt(fs * 0.4)}" fill="{theme.highlight}" '
                f'fill-opacity="{fmt(min(1.0, theme.highlight_opacity * 1.4))}"/>'
            )
    for line in lines:
        doc.text(box.cx, ty, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
        ty += line_h
    if tag:
        tsize = fs * 0.8
        doc.text(
            box.cx,
            ty - line_h + tsize * 1.25,
            tag,
            size=tsize,
            color=ink.stroke,
            anchor="middle",
            layer="nodes",
            extra=' font-style="italic"',
        )
    out.append("</g>")
    if node.emphasis in ("removed", "failed"):
        pen = pen_for(theme, f"removed:{node.id}")
        a, b = x0 - 4, x0 + size + 4
        top, bottom = y0 - 2, y0 + size + 2
        cross = pen.line((a, top), (b, bottom)) + pen.line((b, top), (a, bottom))
        out.append(f'<g class="removed-mark" id="removed-{escape(node.id)}">')
        out.append(stroke(cross, theme.marker(1), theme.stroke * 1.7))
        out.append("</g>")


def _highlight(doc: Doc, node_id: str, icon: tuple[float, float, float]) -> None:
    """A node new in this stage: a soft highlighter glow behind its drawing, ringed in marker, above its label."""
    theme = doc.theme
    x0, y0, size = icon
    pen = pen_for(theme, f"highlight:{node_id}")
    pad = 7.0
    layer = doc.layers["highlights"]
    layer.append(
        f'<rect class="highlight" x="{fmt(x0 - pad)}" y="{fmt(y0 - pad)}" width="{fmt(size + 2 * pad)}" '
        f'height="{fmt(size + 2 * pad)}" rx="{fmt(size / 3)}" fill="{theme.highlight}" '
        f'fill-opacity="{fmt(theme.highlight_opacity)}"/>'
    )
    ring = pen.ellipse(x0 + size / 2, y0 + size / 2, size + 2 * pad + 6, size + 2 * pad + 2, double=False)
    layer.append(stroke(ring, theme.marker(4), theme.stroke * 1.2))


def _flag(doc: Doc, node_id: str, box: Box, flags: Sequence[str], fs: float) -> None:
    """Circle a node the review flags, in red marker, with what it breaks written above it."""
    theme = doc.theme
    color = theme.marker(1)
    pen = pen_for(theme, f"flag:{node_id}")
    doc.layers["highlights"].append(
        stroke(pen.ellipse(box.cx, box.cy, box.w * 1.35 + 10, box.h * 1.2 + 10), color, theme.stroke * 1.4)
    )
    size = fs * 0.8
    y = box.y - fs * 0.6
    for text in reversed(flags):
        width = doc.width(f"! {text}", size)
        doc.layers["patches"].append(
            patch(theme, box.cx - width / 2 - 3, y - size, width + 6, size * 1.3, cls="label flag", opacity=0.9)
        )
        doc.text(box.cx, y, f"! {text}", size=size, color=color, anchor="middle")
        y -= size * 1.3


def _legend_rows(doc: Doc, scene: Scene, fs: float, room: float) -> list[list[tuple[object, float]]]:
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


def _legend(doc: Doc, scene: Scene, x: float, y: float, fs: float) -> None:
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
            pen = pen_for(theme, f"legend:{entry.color}")
            doc.layers["chrome"].append(stroke(pen.line((cx, y), (cx + 28, y)), color, theme.edge_stroke))
            doc.layers["chrome"].append(stroke(pen.arrowhead((cx + 30, y), (cx, y), size=8), color, theme.edge_stroke))
            doc.text(cx + 38, y + fs * 0.35, entry.text, size=size, color=theme.ink, layer="chrome")
            cx += width
        y += fs * 1.6
