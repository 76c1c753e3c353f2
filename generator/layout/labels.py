"""Each edge's numbered labels placed beside their own edge, as d2 does: glued to the line, on nothing else.

Graphviz reserves room for an edge's label somewhere near the edge, which in a busy picture can be nearer another
line, on a group's frame or far from the edge. These moves finish the layout, so the renderer only draws.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from generator.layout.anatomy import label_rows
from generator.layout.geometry import Lines, Polyline, distance, nearest_point, overlapping, runs_of, shift, traced
from generator.layout.scene import Box, LabelRow, Point, SceneEdge
from generator.layout.settle import drawn_path
from generator.layout.text import step_lines

__all__ = ["GLUE", "beside_edge", "clearance", "place_labels", "stuck_labels", "toward_own_edge"]


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
    gx0, gy0, gx1, gy1 = grown.x, grown.y, grown.right, grown.bottom
    in_cols: list[float] = []  # the heights of the path's points above or below the block
    in_rows: list[float] = []  # and of those beside it
    inside = False
    for rx0, ry0, rx1, ry1, start, stop in runs_of(path):
        cols, rows = rx1 >= gx0 and rx0 <= gx1, ry1 >= gy0 and ry0 <= gy1
        if not (cols or rows):  # no point of this run is level with the block either way
            continue
        for x, y in path[start:stop]:
            col, row = gx0 <= x <= gx1, gy0 <= y <= gy1
            if col:
                in_cols.append(y)
            if row:
                in_rows.append(x)
            inside = inside or (col and row)
    if not inside:
        return (0.0, 0.0)
    moves: list[tuple[float, float]] = []
    if in_cols:
        moves += [(0.0, min(in_cols) - gap - block.bottom), (0.0, max(in_cols) + gap - block.y)]
    if in_rows:
        moves += [(min(in_rows) - gap - block.right, 0.0), (max(in_rows) + gap - block.x, 0.0)]
    already = overlapping(occupied, block, 1.0)
    reach = Box(block.x - limit - 2.0, block.y - limit - 2.0, block.w + 2 * limit + 4.0, block.h + 2 * limit + 4.0)
    nearby = [o for o in overlapping(occupied, reach) if o not in already]  # no move goes further
    for dx, dy in sorted(moves, key=lambda m: (abs(m[0]) + abs(m[1]), m)):
        if abs(dx) + abs(dy) > limit:
            break
        moved = Box(block.x + dx, block.y + dy, block.w, block.h)
        if not any(moved.overlaps(o, margin=1.0) for o in nearby):
            return (round(dx, 2) + 0.0, round(dy, 2) + 0.0)
    return (0.0, 0.0)


def toward_own_edge(
    block: Box,
    own: Sequence[Point],
    others: Lines,
    occupied: Sequence[Box],
    *,
    gap: float,
    glue: float | None = None,
) -> tuple[float, float]:
    """How far to move a label that sits nearer another edge than its own, so it reads as its own edge's.

    Graphviz can leave a label on the far side of a neighbouring line. The block slides towards the nearest
    point of its own edge, as far as it can while staying ``gap`` clear of it, and takes the longest slide after
    which its own edge is the nearest line, no other line runs under it, and it lands on no box of
    ``occupied``; (0, 0) when it already reads right or no slide works. With ``glue``, a block further than that
    from its own edge slides towards it even when no other line is nearer.

    >>> own = [(float(x), 100.0) for x in range(0, 200, 4)]
    >>> other = Lines([[(float(x), 35.0) for x in range(0, 200, 4)]])
    >>> toward_own_edge(Box(48, 10, 40, 16), own, other, [], gap=6)  # 9 from the other line, 74 from its own
    (0.0, 68.0)
    >>> toward_own_edge(Box(48, 70, 40, 16), own, other, [], gap=6)  # nearer its own line already
    (0.0, 0.0)
    >>> toward_own_edge(Box(48, 10, 40, 16), own, other, [Box(40, 60, 60, 30)], gap=6)  # a node in the way
    (0.0, 0.0)
    """
    near_own = distance(block, own)
    if not others or not own or near_own <= gap + 4.0:  # right by its own line: it reads as that line's
        return (0.0, 0.0)
    far = glue is not None and near_own > glue
    if not far and not others.near(block, near_own - 2.0):
        return (0.0, 0.0)
    cx, cy = block.cx, block.cy
    tx, ty = min(own, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    length = math.hypot(tx - cx, ty - cy) or 1.0
    ux, uy = (tx - cx) / length, (ty - cy) / length
    already = overlapping(occupied, block, 1.0)
    room = near_own - gap
    for share in (1.0, 0.85, 0.7, 0.55, 0.4, 0.25):
        dx, dy = round(ux * room * share, 2), round(uy * room * share, 2)
        moved = Box(block.x + dx, block.y + dy, block.w, block.h)
        to_own = distance(moved, own)
        if to_own < gap - 0.5:
            continue
        if others.near(moved, max(to_own, gap) + 1e-9):
            continue
        if any(moved.overlaps(o, margin=1.0) for o in occupied if o not in already):
            continue
        return (dx + 0.0, dy + 0.0)
    return (0.0, 0.0)


def place_labels(
    edges: Sequence[SceneEdge],
    nodes: Sequence[Box],
    *,
    fs: float,
    measure: Callable[[str, float], float],
    frames: Sequence[Box] = (),
    bounds: Box | None = None,
) -> tuple[SceneEdge, ...]:
    """Each edge with its numbered labels placed: clear of its own line, nearer it than any other, on no node and
    across no group frame.

    Edges are placed in order; each label lands on no node and on no label placed before it.

    Args:
        edges: The laid-out edges, ends already attached to their drawings.
        nodes: The boxes labels must not move onto (nodes, group titles).
        fs: The font size.
        measure: The width of a text at a font size, as drawn.
        frames: The group frames: a label sits inside or outside each, never across its border.
        bounds: The drawing's extent: no label is moved out of it (it would be cut off).
    """
    walls = [strip for frame in frames for strip in _borders(frame)]
    if bounds is not None:
        walls += _outside(bounds)
    occupied: list[Box] = list(nodes)
    labels: list[Box] = []
    paths = [traced(Polyline(drawn_path(se))) for se in edges]
    lines = Lines([path for _, path in paths])
    rows_of = [
        label_rows(se, se.label_box or _on_line(path, _line_count(se), fs), fs, measure) if se.edge.labels else []
        for se, (_, path) in zip(edges, paths, strict=True)
    ]
    blocks = [_block(rows) if rows else None for rows in rows_of]
    out: list[SceneEdge] = []
    for index, se in enumerate(edges):
        rows, block = rows_of[index], blocks[index]
        if block is None:
            out.append(se)
            continue
        reserved = se.label_box is not None  # Graphviz made room for it; else it starts on the line's middle
        # A label must not land on the labels still waiting where Graphviz put them, either.
        later = zip(blocks[index + 1 :], edges[index + 1 :], strict=True)
        taken = occupied + [b for b, e in later if b and e.label_box]
        own = paths[index][1]
        others = lines.without(index)
        badges = _badges(rows)
        dx = dy = 0.0
        if reserved:
            dx, dy = clearance(block, own, taken, gap=6.0, limit=fs * 1.3)
            ex, ey = toward_own_edge(shift(block, dx, dy), own, others, taken, gap=6.0)
            dx, dy = dx + ex, dy + ey
            if distance(shift(block, dx, dy), own) > GLUE:  # still far: slide closer even with no line in between
                ex, ey = toward_own_edge(shift(block, dx, dy), own, others, taken, gap=6.0, glue=GLUE)
                dx, dy = dx + ex, dy + ey
        # Frames and the labels placed so far are never to be landed on, even where Graphviz put the label.
        fixed = [*walls, *labels]
        on_wall = any(shift(block, dx, dy).overlaps(w, margin=1.0) for w in fixed)
        crossed = others.near(shift(block, dx, dy), UNDER)  # another edge runs under it: it would hide that line
        if not reserved or on_wall or crossed or not _glued(badges, dx, dy, own, others):  # as d2 does
            hard = fixed if reserved else [*fixed, *taken]
            beside = beside_edge(block, badges, own, others, taken, gap=6.0, walls=hard)
            if beside is None and (not reserved or on_wall or crossed):  # nowhere glued: the nearest free place
                beside = beside_edge(block, badges, own, others, taken, gap=6.0, walls=hard, loose=True)
            if beside is None and (not reserved or on_wall):  # over another line, rather than on a frame or label
                beside = beside_edge(block, badges, own, Lines([]), taken, gap=6.0, walls=hard, loose=True)
            if beside is not None:
                dx, dy = beside
        placed = tuple(replace(row, patch=shift(row.patch, dx, dy), cy=row.cy + dy) for row in rows)
        occupied.extend(row.patch for row in placed)
        labels.extend(row.patch for row in placed)
        leader = None if _glued(badges, dx, dy, own, others) else _leader(shift(block, dx, dy), own)
        out.append(replace(se, rows=placed, leader=leader))
    return tuple(out)


def _line_count(se: SceneEdge) -> int:
    return sum(max(len(step_lines(label.text)), 1) for label in se.edge.labels)


def _on_line(path: Sequence[Point], count: int, fs: float) -> Box:
    """Room for ``count`` rows of labels on the middle of a line, when Graphviz reserved none (step numbers only:
    they are placed beside the line afterwards)."""
    if not path:
        return Box(0.0, 0.0, fs, fs * 1.3 * count)
    x, y = path[len(path) // 2]
    return Box(x - fs * 0.6, y - fs * 0.65 * count, fs * 1.2, fs * 1.3 * count)


def _block(rows: Sequence[LabelRow]) -> Box:
    """The box around an edge's label rows."""
    left = min(row.patch.x for row in rows)
    right = max(row.patch.right for row in rows)
    return Box(left, rows[0].patch.y, right - left, rows[-1].patch.bottom - rows[0].patch.y)


UNDER = 1.5
"""A label this close to another edge's line lies on it (the line would run under the label, hidden)."""

GLUE = 24.0
"""A label reads as its edge's when it is at most this far from it (and nearer it than any other line)."""


def beside_edge(
    block: Box,
    badges: Sequence[tuple[Point, float]],
    own: Sequence[Point],
    others: Lines,
    occupied: Sequence[Box],
    *,
    gap: float,
    walls: Sequence[Box] = (),
    loose: bool = False,
) -> tuple[float, float] | None:
    """The move that puts a label block right beside its own edge, its badges nearest the line, nearest the middle
    of the edge first, on no box of ``occupied`` and with no other line under it or nearer; None when there is no
    such place.

    Args:
        block: The label block as Graphviz placed it.
        badges: Each badge's centre and radius, where Graphviz placed them.
        own: Points along the label's own edge.
        others: The other edges.
        occupied: Boxes the block must not land on (unless it is on them already).
        gap: The least room between the line and the block.
        walls: Boxes the block must not land on, even when it is on them already (group frames' borders).
        loose: Take a place further out, or nearer another line (but on none), when there is none right beside
            the edge (the caller then joins the label to its edge with a leader).

    >>> own = [(float(x), 100.0) for x in range(0, 201, 4)]
    >>> beside_edge(Box(0, 0, 40, 16), [((11.0, 8.0), 8.0)], own, Lines([]), [], gap=6)  # above the middle of the line
    (80.0, 77.0)
    """
    if len(own) < 2 or not badges:
        return None
    lengths = [0.0]
    for a, b in itertools.pairwise(own):
        lengths.append(lengths[-1] + math.dist(a, b))
    total = lengths[-1]
    if total <= 0:
        return None
    already = overlapping(occupied, block, 1.0)
    reaches = (gap + 1.0, gap + 14.0, gap + 28.0, gap + 48.0, gap + 80.0, gap + 120.0) if loose else (gap + 1.0,)
    # Every place tried lies within this reach of the line: only the boxes near it can be in the way.
    xs, ys = [x for x, _ in own], [y for _, y in own]
    room = 2 * (block.w + block.h) + reaches[-1] + 10.0
    region = Box(min(xs) - room, min(ys) - room, max(xs) - min(xs) + 2 * room, max(ys) - min(ys) + 2 * room)
    occupied = [o for o in overlapping(occupied, region) if o not in already]
    walls = overlapping(walls, region)
    for share, out in itertools.product((0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85), reaches):
        at = total * share
        k = next(i for i in range(1, len(lengths)) if lengths[i] >= at)
        (ax, ay), (cx, cy) = own[k - 1], own[k]
        seg = math.dist((ax, ay), (cx, cy)) or 1.0
        f = (at - lengths[k - 1]) / seg
        px, py = ax + (cx - ax) * f, ay + (cy - ay) * f
        nx, ny = -(cy - ay) / seg, (cx - ax) / seg  # a normal to the line there
        for side, align in itertools.product((-1.0, 1.0), (0.5, 0.1, 0.9)):
            ux, uy = nx * side, ny * side
            # Centre the block on the normal (or start or end it there: a long label may fit only that way
            # between two frames), pulled along it until it clears the line by the gap; then slide it sideways so
            # its first badge faces the line, when the line runs up or down beside it.
            reach = abs(ux) * block.w / 2 + abs(uy) * block.h / 2 + out
            left = px + ux * reach - block.w * align
            if abs(ux) > 0.7:  # the line runs up or down: the badges go on the side facing it, or nowhere
                if ux < 0 or align != 0.5:
                    continue
                left = px + ux * out
            moved = Box(left, py + uy * reach - block.h / 2, block.w, block.h)
            dx, dy = round(moved.x - block.x, 2) + 0.0, round(moved.y - block.y, 2) + 0.0
            moved = shift(block, dx, dy)
            to_own = distance(moved, own)
            if to_own < gap - 0.5:
                continue
            if not loose and not _glued(badges, dx, dy, own, others):
                continue
            if others.near(moved, to_own + 2.0 if not loose else UNDER):
                continue
            if loose and _crosses(_leader(moved, own), others):
                continue
            if any(moved.overlaps(o, margin=1.0) for o in occupied):
                continue
            if any(moved.overlaps(w, margin=1.0) for w in walls):
                continue
            return (dx, dy)
    return None


def _badges(rows: Sequence[LabelRow]) -> list[tuple[Point, float]]:
    """Each row's badge: its centre and radius (rows without a number have none)."""
    return [(row.badge, row.radius) for row in rows if row.label.number]


def _glued(badges: Sequence[tuple[Point, float]], dx: float, dy: float, own: Sequence[Point], others: Lines) -> bool:
    """Whether, moved by (dx, dy), every badge sits within :data:`GLUE` of its own edge and nearer it than any
    other line."""
    for (x, y), r in badges:
        centre = (x + dx, y + dy)
        spot = Box(centre[0], centre[1], 0.0, 0.0)
        near = distance(spot, own) - r
        if near > GLUE - 2.0:  # a little inside the limit: the pen wobbles
            return False
        if others.near(spot, near + r - 1.0):
            return False
    return True


def _crosses(leader: tuple[Point, Point] | None, others: Lines) -> bool:
    """Whether another line passes across a leader (the box it spans): it would join the label to the wrong one."""
    if leader is None:
        return False
    (ax, ay), (bx, by) = leader
    return others.near(Box(min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay)), UNDER)


def _leader(block: Box, own: Sequence[Point]) -> tuple[Point, Point] | None:
    """A short line joining a label to its edge, from the block's point nearest the edge to the edge.

    >>> own = [(float(x), 100.0) for x in range(0, 200, 4)]
    >>> _leader(Box(40, 40, 40, 16), own)
    ((60.0, 56), (60.0, 100.0))
    """
    nearest = nearest_point(block, own)
    if nearest is None:
        return None
    px, py = nearest
    qx, qy = min(max(px, block.x), block.right), min(max(py, block.y), block.bottom)
    return ((round(qx, 2), round(qy, 2)), (round(px, 2), round(py, 2)))


def _borders(frame: Box, width: float = 4.0) -> list[Box]:
    """Thin boxes along a frame's four sides: a label overlapping one lies across the frame.

    >>> _borders(Box(0, 0, 100, 50))[0]
    Box(x=-2.0, y=-2.0, w=104.0, h=4.0)
    """
    h = width / 2
    return [
        Box(frame.x - h, frame.y - h, frame.w + width, width),
        Box(frame.x - h, frame.bottom - h, frame.w + width, width),
        Box(frame.x - h, frame.y - h, width, frame.h + width),
        Box(frame.right - h, frame.y - h, width, frame.h + width),
    ]


def stuck_labels(edges: Sequence[SceneEdge], frames: Sequence[Box]) -> list[str]:
    """The edges whose labels could find no place off every group frame (they lie across one)."""
    walls = [strip for frame in frames for strip in _borders(frame)]
    return [se.edge.id for se in edges if any(row.patch.overlaps(w, margin=1.0) for row in se.rows for w in walls)]


def _outside(bounds: Box, reach: float = 10_000.0) -> list[Box]:
    """Four boxes around ``bounds``, covering everything outside it.

    >>> _outside(Box(0, 0, 100, 50), reach=10)[0]
    Box(x=-10, y=-10, w=120, h=10)
    """
    return [
        Box(bounds.x - reach, bounds.y - reach, bounds.w + 2 * reach, reach),
        Box(bounds.x - reach, bounds.bottom, bounds.w + 2 * reach, reach),
        Box(bounds.x - reach, bounds.y, reach, bounds.h),
        Box(bounds.right, bounds.y, reach, bounds.h),
    ]
