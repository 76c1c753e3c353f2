"""After Graphviz: edge ends moved onto the drawings (labels are placed by :mod:`generator.layout.labels`).

Graphviz clips an edge to its node's whole box; with small drawings in big boxes the arrow stops in the air.
These adjustments finish the layout, so the renderer only draws.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from generator.layout.anatomy import icon_box, label_block
from generator.layout.scene import Box, Point, Scene, SceneEdge, sample_bezier

__all__ = ["ATTACH_GAP", "FRAME_GAP", "attach_to_drawings", "drawn_path", "part_frames"]

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


FRAME_GAP = 20.0
"""The least gap between two group frames side by side; closer, they read as one thick line."""

TITLE_BAND = 24.0
"""Room at the top of a frame for the group's name."""


def part_frames(scene: Scene, gap: float = FRAME_GAP) -> Scene:
    """Pull in the facing sides of group frames that nearly touch, so each pair keeps ``gap`` apart.

    Graphviz keeps sibling clusters only a few points apart when their ranks are close. Each facing side moves
    in towards the frame's content (its components, inner frames and, at the top, its name), never onto it;
    the two frames share the move.
    """
    frames = {c.cluster.id: c.box for c in scene.clusters}
    content: dict[str, Box] = {}
    for c in scene.clusters:
        inner = [n.box for n in scene.nodes if n.node.group == c.cluster.id]
        inner += [frames[k.cluster.id] for k in scene.clusters if k.cluster.parent == c.cluster.id]
        if inner:
            content[c.cluster.id] = _around(inner)
    names = list(frames)
    for a, b in itertools.combinations(names, 2):
        first, second = frames[a], frames[b]
        if _inside(first, second) or _inside(second, first):
            continue
        frames[a], frames[b] = _apart(first, second, content.get(a), content.get(b), gap)
    clusters = tuple(replace(c, box=frames[c.cluster.id]) for c in scene.clusters)
    return replace(scene, clusters=clusters)


def _around(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


def _inside(outer: Box, inner: Box) -> bool:
    return outer.x <= inner.x and outer.y <= inner.y and inner.right <= outer.right and inner.bottom <= outer.bottom


def _apart(a: Box, b: Box, inner_a: Box | None, inner_b: Box | None, gap: float) -> tuple[Box, Box]:
    """Two frames with their facing sides pulled in (as far as their content allows) to leave ``gap`` between.

    >>> _apart(Box(0, 0, 100, 100), Box(0, 108, 100, 100), Box(10, 30, 80, 50), Box(10, 140, 80, 50), 20)
    (Box(x=0, y=0, w=100, h=94.0), Box(x=0, y=114.0, w=100, h=94.0))
    """
    pad = 6.0
    side_by_side = a.y < b.bottom and b.y < a.bottom
    stacked = a.x < b.right and b.x < a.right
    if side_by_side and not stacked:
        left, right, inner_l, inner_r = (a, b, inner_a, inner_b) if a.x <= b.x else (b, a, inner_b, inner_a)
        need = gap - (right.x - left.right)
        if need <= 0:
            return a, b
        room_l = left.right - inner_l.right - pad if inner_l else 0.0
        room_r = inner_r.x - right.x - pad if inner_r else 0.0
        move_l, move_r = _share(need, max(room_l, 0.0), max(room_r, 0.0))
        left = Box(left.x, left.y, round(left.w - move_l, 2), left.h)
        right = Box(round(right.x + move_r, 2), right.y, round(right.w - move_r, 2), right.h)
        return (left, right) if a.x <= b.x else (right, left)
    if stacked and not side_by_side:
        upper, lower, inner_u, inner_d = (a, b, inner_a, inner_b) if a.y <= b.y else (b, a, inner_b, inner_a)
        need = gap - (lower.y - upper.bottom)
        if need <= 0:
            return a, b
        room_u = upper.bottom - inner_u.bottom - pad if inner_u else 0.0
        room_d = inner_d.y - lower.y - TITLE_BAND if inner_d else 0.0
        move_u, move_d = _share(need, max(room_u, 0.0), max(room_d, 0.0))
        upper = Box(upper.x, upper.y, upper.w, round(upper.h - move_u, 2))
        lower = Box(lower.x, round(lower.y + move_d, 2), lower.w, round(lower.h - move_d, 2))
        return (upper, lower) if a.y <= b.y else (lower, upper)
    return a, b


def _share(need: float, room_a: float, room_b: float) -> tuple[float, float]:
    """Split a move between two sides, half each, the rest to the side with room.

    >>> _share(12, 10, 10), _share(12, 2, 10), _share(12, 2, 3)
    ((6.0, 6.0), (2.0, 10.0), (2.0, 3.0))
    """
    a = min(need / 2, room_a)
    b = min(need - a, room_b)
    a = min(need - b, room_a)
    return (float(a), float(b))
