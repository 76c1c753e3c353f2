"""After Graphviz: edge ends moved onto the drawings (labels are placed by :mod:`generator.layout.labels`).

Graphviz clips an edge to its node's whole box; with small drawings in big boxes the arrow stops in the air.
These adjustments finish the layout, so the renderer only draws.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from generator.layout.anatomy import icon_box, label_block, title_box
from generator.layout.geometry import traced
from generator.layout.scene import Box, Point, Scene, SceneEdge, sample_bezier

__all__ = [
    "ATTACH_GAP",
    "FRAME_GAP",
    "SAMPLE_SPACING",
    "TITLE_CLEARANCE",
    "TITLE_STEP",
    "attach_to_drawings",
    "clear_titles",
    "crop",
    "drawn_path",
    "drawn_pieces",
    "part_frames",
    "part_parallel",
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


SAMPLE_SPACING = 4.0
"""How far apart the points of an edge's drawn line are sampled."""


def drawn_path(se: SceneEdge, ox: float = 0.0, oy: float = 0.0) -> list[Point]:
    """Points along an edge as drawn (the Bézier chain, then the stretch to the arrow tip), moved by (ox, oy)."""
    pts = [(x + ox, y + oy) for x, y in se.points]
    if len(pts) < 2:
        return pts
    out = sample_bezier(pts, spacing=SAMPLE_SPACING) if len(pts) >= 4 else list(pts)
    if se.arrow_tip:
        out.append((se.arrow_tip[0] + ox, se.arrow_tip[1] + oy))
    return out


def drawn_pieces(se: SceneEdge, ox: float = 0.0, oy: float = 0.0) -> list[tuple[Box, bool, Sequence[Point]]]:
    """An edge's drawn line in pieces, to trace only the pieces near something: each with the box around its
    points, and whether they are a Bézier's control points (sampled ``sample_bezier(points, spacing=SAMPLE_SPACING)``)
    or points on the line. The pieces' points are those of :func:`drawn_path`, each joint in both pieces it joins.

    >>> se = SceneEdge(None, ((0, 0), (10, 0), (20, 0), (30, 0)), (34, 0), None)  # type: ignore[arg-type]
    >>> [(bezier, list(points)) for _, bezier, points in drawn_pieces(se)]
    [(True, [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)]), (False, [(34.0, 0.0)])]
    """
    pts = [(x + ox, y + oy) for x, y in se.points]
    tip = [(se.arrow_tip[0] + ox, se.arrow_tip[1] + oy)] if se.arrow_tip and len(pts) >= 2 else []
    out: list[tuple[Box, bool, Sequence[Point]]] = []
    if len(pts) < 4:
        return [(traced(pts + tip)[0], False, pts + tip)] if pts else out
    out.extend((traced(pts[i : i + 4])[0], True, pts[i : i + 4]) for i in range(0, len(pts) - 3, 3))
    return out + ([(traced(tip)[0], False, tip)] if tip else [])


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
        if first.contains(second) or second.contains(first):
            continue
        frames[a], frames[b] = _apart(first, second, content.get(a), content.get(b), gap)
    clusters = tuple(replace(c, box=frames[c.cluster.id]) for c in scene.clusters)
    return replace(scene, clusters=clusters)


TITLE_STEP = 4.0
"""How far apart the places a group's name may move to along its frame's top are tried."""

TITLE_CLEARANCE = 4.0
"""The least room between a moved group name's patch and a line."""


def clear_titles(scene: Scene, drawn: Sequence[Box], measure: Callable[[str, float], float]) -> Scene:
    """Move a group's name right along its frame's top when an edge runs under it at the top left corner: to the
    first place where no line passes within :data:`TITLE_CLEARANCE` and no component, other group's name or other
    frame is. A line under a name reads as striking it through, or as ending at the group. When there is no such
    place the name stays in the corner, where a reader looks first. ``drawn`` are the components' boxes
    (:func:`~generator.layout.anatomy.component_boxes`).
    """
    if not scene.clusters or not scene.edges:
        return scene
    # Only the pieces of line crossing a frame's top are traced, and only there: a large design's long edges cross
    # many frames' tops.
    pieces = [piece for se in scene.edges for piece in drawn_pieces(se)]

    def points_in(band: Box) -> list[Point]:
        """Points of the drawn lines inside ``band``, at most :data:`SAMPLE_SPACING` apart, from left to right."""
        found: list[Point] = []
        for around, bezier, points in pieces:
            if (
                around.x <= band.right
                and band.x <= around.right
                and around.y <= band.bottom
                and band.y <= around.bottom
            ):
                if bezier:
                    _bezier_within(points, band, found)
                else:
                    found += [p for p in points if band.x <= p[0] <= band.right and band.y <= p[1] <= band.bottom]
        return sorted(found)

    def crossed(box: Box, points: list[Point], limit: float) -> bool:
        """Whether a point lies less than ``limit`` from the box."""
        start = bisect.bisect_left(points, (box.x - limit, -math.inf))
        for x, y in itertools.islice(points, start, None):
            if x >= box.right + limit:
                return False
            dx = box.x - x if x < box.x else (x - box.right if x > box.right else 0.0)
            dy = box.y - y if y < box.y else (y - box.bottom if y > box.bottom else 0.0)
            if dx * dx + dy * dy < limit * limit:
                return True
        return False

    clusters = list(scene.clusters)
    for i, c in enumerate(clusters):
        corner = title_box(c, scene.font_size, measure)
        inner = Box(corner.x + 2, corner.y + 2, corner.w - 4, corner.h - 4)
        if not points_in(inner):
            continue  # nothing runs under it (a line only grazing its edge is hidden by nothing)
        band = Box(c.box.x, corner.y - 4.0, c.box.w, corner.h + 8.0)
        points = points_in(band)
        names = [title_box(o, scene.font_size, measure) for o in clusters if o is not c]
        others = [o for o in [*drawn, *names, *(o.box for o in clusters if o is not c)] if o.overlaps(band)]
        room = c.box.w - 12.0 - corner.w
        for step in range(1, int(room // TITLE_STEP) + 2):
            shift = min(step * TITLE_STEP, room)
            box = Box(corner.x + shift, corner.y, corner.w, corner.h)
            if crossed(box, points, TITLE_CLEARANCE) or any(
                box.overlaps(o, 1.0) and not o.contains(box) for o in others
            ):
                continue
            clusters[i] = replace(c, title_shift=round(shift, 2))
            break
    return replace(scene, clusters=tuple(clusters))


def _bezier_within(control: Sequence[Point], band: Box, out: list[Point], depth: int = 0) -> None:
    """Add to ``out`` points of a cubic Bézier lying inside ``band``, at most :data:`SAMPLE_SPACING` apart: the
    curve is halved (de Casteljau) until a half's control points are that close or lie clear of the band."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = control
    if max(x0, x1, x2, x3) < band.x or min(x0, x1, x2, x3) > band.right:
        return
    if max(y0, y1, y2, y3) < band.y or min(y0, y1, y2, y3) > band.bottom:
        return
    if depth >= 24 or max(x0, x1, x2, x3) - min(x0, x1, x2, x3) + max(y0, y1, y2, y3) - min(y0, y1, y2, y3) <= (
        SAMPLE_SPACING
    ):
        out += [(x, y) for x, y in ((x0, y0), (x3, y3)) if band.x <= x <= band.right and band.y <= y <= band.bottom]
        return
    ax, ay, bx, by, cx, cy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 + x2) / 2, (y1 + y2) / 2, (x2 + x3) / 2, (y2 + y3) / 2
    dx, dy, ex, ey = (ax + bx) / 2, (ay + by) / 2, (bx + cx) / 2, (by + cy) / 2
    mx, my = (dx + ex) / 2, (dy + ey) / 2
    _bezier_within(((x0, y0), (ax, ay), (dx, dy), (mx, my)), band, out, depth + 1)
    _bezier_within(((mx, my), (ex, ey), (cx, cy), (x3, y3)), band, out, depth + 1)


def _around(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


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


def crop(scene: Scene, margin: float = 8.0) -> Scene:
    """The scene cut down to what is drawn, ``margin`` around it.

    A flow's picture keeps the overview's layout (the other flows' edges shape it, unseen); where those edges ran
    alone, the picture would otherwise keep an empty band.
    """
    boxes = [n.box for n in scene.nodes] + [c.box for c in scene.clusters]
    boxes += [row.patch for e in scene.edges for row in e.rows]
    points = [p for e in scene.edges for p in (*e.points, *((e.arrow_tip,) if e.arrow_tip else ()))]
    points += [p for e in scene.edges if e.leader for p in e.leader]
    xs = [b.x for b in boxes] + [b.right for b in boxes] + [x for x, _ in points]
    ys = [b.y for b in boxes] + [b.bottom for b in boxes] + [y for _, y in points]
    if not xs:
        return scene
    left, top = max(min(xs) - margin, 0.0), max(min(ys) - margin, 0.0)
    right, bottom = min(max(xs) + margin, scene.width), min(max(ys) + margin, scene.height)
    if left <= 0.5 and top <= 0.5 and right >= scene.width - 0.5 and bottom >= scene.height - 0.5:
        return scene
    return replace(_moved(scene, -left, -top), width=round(right - left, 2), height=round(bottom - top, 2))


def _moved(scene: Scene, dx: float, dy: float) -> Scene:
    def box(b: Box) -> Box:
        return Box(round(b.x + dx, 2), round(b.y + dy, 2), b.w, b.h)

    def point(p: Point) -> Point:
        return (round(p[0] + dx, 2), round(p[1] + dy, 2))

    nodes = tuple(replace(n, box=box(n.box)) for n in scene.nodes)
    clusters = tuple(replace(c, box=box(c.box), label_at=point(c.label_at)) for c in scene.clusters)
    edges = tuple(
        replace(
            e,
            points=tuple(point(p) for p in e.points),
            arrow_tip=point(e.arrow_tip) if e.arrow_tip else None,
            label_box=box(e.label_box) if e.label_box else None,
            rows=tuple(replace(r, patch=box(r.patch), cy=round(r.cy + dy, 2)) for r in e.rows),
            leader=(point(e.leader[0]), point(e.leader[1])) if e.leader else None,
        )
        for e in scene.edges
    )
    return replace(scene, nodes=nodes, clusters=clusters, edges=edges)


PARALLEL_GAP = 7.0
"""How far apart two edges between the same components are drawn when Graphviz routed them on one line."""


def part_parallel(scene: Scene, gap: float = PARALLEL_GAP) -> Scene:
    """Edges between the same two components that Graphviz drew on top of each other (two flows' replies, say),
    moved apart into parallel strokes, so each flow's line and colour can be seen."""
    edges = list(scene.edges)
    ends = [frozenset((e.edge.src, e.edge.dst)) for e in edges]
    shared = {pair for pair, count in Counter(ends).items() if count > 1}
    # Only edges that share their two ends with another are compared: their paths alone are worked out.
    paths = [drawn_path(e) if ends[n] in shared else [] for n, e in enumerate(edges)]
    for i, j in itertools.combinations(range(len(edges)), 2):
        b = edges[j]
        if ends[i] != ends[j] or not paths[i] or not paths[j]:
            continue
        if not _coincide(paths[i], paths[j], gap / 2):
            continue
        (x0, y0), (x1, y1) = paths[j][0], paths[j][-1]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = -(y1 - y0) / length * gap, (x1 - x0) / length * gap
        edges[j] = _offset(b, nx, ny)
        paths[j] = drawn_path(edges[j])
    return replace(scene, edges=tuple(edges))


def _coincide(a: list[Point], b: list[Point], within: float) -> bool:
    """Whether two drawn paths run (nearly) on one line: every few points of one lies within ``within`` of the
    other."""
    probes = b[:: max(len(b) // 8, 1)]
    return all(min(math.dist(p, q) for q in a) <= within for p in probes)


def _offset(se: SceneEdge, dx: float, dy: float) -> SceneEdge:
    """An edge moved sideways by (dx, dy), its ends included (they stay on the drawings' sides)."""
    points = tuple((round(x + dx, 2), round(y + dy, 2)) for x, y in se.points)
    tip = (round(se.arrow_tip[0] + dx, 2), round(se.arrow_tip[1] + dy, 2)) if se.arrow_tip else None
    label = Box(se.label_box.x + dx, se.label_box.y + dy, se.label_box.w, se.label_box.h) if se.label_box else None
    return replace(se, points=points, arrow_tip=tip, label_box=label)
