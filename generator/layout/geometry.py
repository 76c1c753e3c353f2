"""Distances between boxes and drawn lines, shared by the steps that settle a layout."""

from __future__ import annotations

import math
from collections.abc import Sequence

from generator.layout.scene import Box, Point

__all__ = ["Lines", "Traced", "apart", "closer_than", "distance", "shift", "traced"]


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


class Lines:
    """The points of many drawn lines, kept in a grid so that "does any line pass near this box?" looks only at
    the points close by: placing the labels of a 300-edge design asks it hundreds of thousands of times.

    >>> along = lambda y: [(float(x), y) for x in range(0, 101, 4)]
    >>> lines = Lines([along(0.0), along(50.0)])
    >>> lines.near(Box(40, 10, 10, 10), 11.0), lines.without(0).near(Box(40, 10, 10, 10), 11.0)
    (True, False)
    """

    CELL = 32.0

    def __init__(self, paths: Sequence[Sequence[Point]], *, skip: int | None = None) -> None:
        self.count = len(paths)
        self.skip = skip
        self.grid: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
        if skip is None:
            for number, path in enumerate(paths):
                for x, y in path:
                    self.grid.setdefault((int(x // self.CELL), int(y // self.CELL)), []).append((number, x, y))

    def without(self, index: int) -> Lines:
        """The same lines, but for the one at ``index`` (an edge asking about the others)."""
        view = Lines([], skip=index)
        view.grid, view.count = self.grid, self.count
        return view

    def __bool__(self) -> bool:
        return self.count > (1 if self.skip is not None else 0)

    def near(self, box: Box, limit: float) -> bool:
        """Whether a point of any of the lines is less than ``limit`` from the box."""
        if limit <= 0:
            return False
        x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
        reach = limit * limit
        cell = self.CELL
        for gx in range(int((x0 - limit) // cell), int((x1 + limit) // cell) + 1):
            for gy in range(int((y0 - limit) // cell), int((y1 + limit) // cell) + 1):
                for number, x, y in self.grid.get((gx, gy), ()):
                    if number == self.skip:
                        continue
                    dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
                    dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
                    if dx * dx + dy * dy < reach:
                        return True
        return False
