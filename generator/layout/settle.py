"""After Graphviz: edge ends moved onto the drawings, and each edge's numbered labels placed beside their own edge.

Graphviz clips an edge to its node's whole box and puts a label right beside its edge; with a handwriting font
and a wobbling pen that reads badly. These adjustments finish the layout, so the renderer only draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from generator.layout.anatomy import icon_box, label_block
from generator.layout.scene import Box, LabelRow, Point, Scene, SceneEdge, sample_bezier

__all__ = [
    "ATTACH_GAP",
    "Traced",
    "attach_to_drawings",
    "clearance",
    "drawn_path",
    "place_labels",
    "toward_own_edge",
    "traced",
]

ATTACH_GAP = 4.0
"""How far from a node's drawing or label an edge attached to it stops."""


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


def drawn_path(se: SceneEdge, ox: float = 0.0, oy: float = 0.0) -> list[Point]:
    """Points along an edge as drawn (the Bézier chain, then the stretch to the arrow tip), moved by (ox, oy)."""
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


def _rows(se: SceneEdge, box: Box, fs: float, measure: Callable[[str, float], float]) -> list[LabelRow]:
    """One row per numbered step of an edge, stacked in the room Graphviz reserved, before any move."""
    n = len(se.edge.labels)
    line_h = box.h / n
    r = min(fs * 0.6, line_h * 0.47)
    rows: list[LabelRow] = []
    for i, label in enumerate(se.edge.labels):
        cy = box.y + line_h * (i + 0.5)
        text_w = measure(label.text, fs) if label.text else 0.0
        badge = 2 * r + 6 if label.number else 0.0
        total = badge + text_w if label.text else badge - 6
        rows.append(LabelRow(label, Box(box.x - 3, cy - line_h / 2, total + 6, line_h), cy, r))
    return rows


def place_labels(
    edges: Sequence[SceneEdge], nodes: Sequence[Box], *, fs: float, measure: Callable[[str, float], float]
) -> tuple[SceneEdge, ...]:
    """Each edge with its numbered labels placed: clear of its own line, nearer it than any other, on no node.

    Edges are placed in order; each label lands on no node and on no label placed before it.

    Args:
        edges: The laid-out edges, ends already attached to their drawings.
        nodes: The boxes labels must not move onto.
        fs: The font size.
        measure: The width of a text at a font size, as drawn.
    """
    occupied: list[Box] = list(nodes)
    paths = [traced(drawn_path(se)) for se in edges]
    out: list[SceneEdge] = []
    for index, se in enumerate(edges):
        if se.label_box is None or not se.edge.labels:
            out.append(se)
            continue
        rows = _rows(se, se.label_box, fs, measure)
        left = min(row.patch.x for row in rows)
        block = Box(
            left, rows[0].patch.y, max(row.patch.right for row in rows) - left, rows[-1].patch.bottom - rows[0].patch.y
        )
        own = paths[index][1]
        others = [path for number, path in enumerate(paths) if number != index]
        dx, dy = clearance(block, own, occupied, gap=6.0, limit=fs * 1.3)
        ex, ey = toward_own_edge(_shift(block, dx, dy), own, others, occupied, gap=6.0)
        dx, dy = dx + ex, dy + ey
        placed = tuple(replace(row, patch=_shift(row.patch, dx, dy), cy=row.cy + dy) for row in rows)
        occupied.extend(row.patch for row in placed)
        out.append(replace(se, rows=placed))
    return tuple(out)


def _shift(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x + dx, box.y + dy, box.w, box.h)
