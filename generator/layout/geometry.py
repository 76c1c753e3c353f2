"""Distances between boxes and drawn lines, shared by the steps that settle a layout."""

from __future__ import annotations

import math
from collections.abc import Sequence

from generator.layout.scene import Box, Point

__all__ = ["Traced", "apart", "closer_than", "distance", "shift", "traced"]


def distance(box: Box, path: Sequence[Point]) -> float:
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


def closer_than(box: Box, path: Sequence[Point], limit: float) -> bool:
    """Whether some point of the path is less than ``limit`` from the box (stops at the first one).

    >>> square = Box(0, 0, 10, 10)
    >>> closer_than(square, [(30.0, 5.0), (13.0, 5.0)], 4.0), closer_than(square, [(14.0, 5.0)], 4.0)
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


def apart(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they overlap)."""
    return math.hypot(max(a.x - b.right, 0.0, b.x - a.right), max(a.y - b.bottom, 0.0, b.y - a.bottom))


def shift(box: Box, dx: float, dy: float) -> Box:
    """The box moved by (dx, dy)."""
    return Box(box.x + dx, box.y + dy, box.w, box.h)
