"""Distances between boxes and drawn lines, shared by the steps that settle a layout."""

from __future__ import annotations

import math
from collections.abc import Sequence

from generator.layout.scene import Box, Point

__all__ = [
    "Lines",
    "Polyline",
    "Traced",
    "apart",
    "closer_than",
    "distance",
    "nearest_point",
    "overlapping",
    "runs_of",
    "shift",
    "traced",
]


def overlapping(boxes: Sequence[Box], box: Box, margin: float = 0.0) -> list[Box]:
    """The boxes ``o`` for which ``o.overlaps(box, margin)``, in their order: the same sums, written out in one pass
    (a large design's labels are checked against its hundreds of boxes many times over).

    >>> overlapping([Box(0, 0, 10, 10), Box(20, 0, 5, 5), Box(9.5, 0, 5, 5)], Box(5, 5, 10, 10), margin=1.0)
    [Box(x=0, y=0, w=10, h=10)]
    """
    x, y = box.x, box.y
    right, bottom = box.x + box.w - margin, box.y + box.h - margin
    return [o for o in boxes if o.x < right and x < o.x + o.w - margin and o.y < bottom and y < o.y + o.h - margin]


RUN = 32
"""Points per run of a :class:`Polyline`: the box around each run lets a search skip the runs far away."""

Run = tuple[float, float, float, float, int, int]
"""A run of a polyline's points: the box around them (left, top, right, bottom) and their slice (start, stop)."""


class Polyline(tuple[Point, ...]):
    """Points along a drawn line (a few points apart), with the box around each run of :data:`RUN` of them.

    A label is measured against its own edge hundreds of times while it is placed; a long edge of a large design
    has a thousand points or more. :func:`distance` and :func:`nearest_point` look only into the runs whose box
    could hold a nearer point than the best found so far, and give exactly what a look at every point would.

    >>> line = Polyline([(float(x), 0.0) for x in range(0, 400, 4)])
    >>> len(line), len(line.runs), distance(Box(396, 10, 4, 4), line) == distance(Box(396, 10, 4, 4), list(line))
    (100, 4, True)
    """

    runs: tuple[Run, ...]

    def __new__(cls, points: Sequence[Point]) -> Polyline:
        self = super().__new__(cls, points)
        runs: list[Run] = []
        for start in range(0, len(self), RUN):
            part = self[start : start + RUN]
            xs, ys = [x for x, _ in part], [y for _, y in part]
            runs.append((min(xs), min(ys), max(xs), max(ys), start, start + len(part)))
        self.runs = tuple(runs)
        return self


def runs_of(path: Sequence[Point]) -> tuple[Run, ...]:
    """The runs to search: a polyline's own, else the whole path as one run with no box (never skipped)."""
    if isinstance(path, Polyline):
        return path.runs
    return ((-math.inf, -math.inf, math.inf, math.inf, 0, len(path)),)


def _gap2(x0: float, y0: float, x1: float, y1: float, run: Run) -> float:
    """The squared distance from a box (its sides) to a run's box: no point of the run is nearer (rounding is
    monotonic, so this holds in floating point too)."""
    rx0, ry0, rx1, ry1 = run[0], run[1], run[2], run[3]
    dx = x0 - rx1 if rx1 < x0 else (rx0 - x1 if rx0 > x1 else 0.0)
    dy = y0 - ry1 if ry1 < y0 else (ry0 - y1 if ry0 > y1 else 0.0)
    return dx * dx + dy * dy


def distance(box: Box, path: Sequence[Point]) -> float:
    """The shortest distance from a box to any point of a path (0 when a point is inside)."""
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    runs: Sequence[Run] = runs_of(path)
    if len(runs) > 1:  # the run whose box is nearest first: the best found there rules out most others
        runs = sorted(runs, key=lambda run: _gap2(x0, y0, x1, y1, run))
    best = math.inf
    for run in runs:
        if _gap2(x0, y0, x1, y1, run) >= best:
            break  # sorted: every run after this one is at least as far
        for x, y in path[run[4] : run[5]]:
            dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
            dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
            d = dx * dx + dy * dy
            if d < best:
                best = d
    return math.sqrt(best)


def nearest_point(box: Box, path: Sequence[Point]) -> Point | None:
    """The point of a path nearest a box, to a tenth of a unit; of those, the nearest the box's centre (the first
    one of equals along the path); None for an empty path.

    >>> nearest_point(Box(40, 40, 40, 16), Polyline([(float(x), 100.0) for x in range(0, 200, 4)]))
    (60.0, 100.0)
    """
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    cx, cy = box.cx, box.cy
    runs = runs_of(path)
    # The runs are searched in order along the path, so that of equal points the first is kept; a run whose box
    # is further, to a tenth, than the nearest point found so far cannot hold a better one and is skipped.
    best: tuple[float, float] | None = None
    found: Point | None = None
    for run in runs:
        if best is not None and round(math.sqrt(_gap2(x0, y0, x1, y1, run)), 1) > best[0]:
            continue
        for point in path[run[4] : run[5]]:
            x, y = point
            dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
            dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
            key = (round(math.sqrt(dx * dx + dy * dy), 1), math.hypot(x - cx, y - cy))
            if best is None or key < best:
                best, found = key, point
    return found


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
    """Many drawn lines, their runs of points (see :class:`Polyline`) kept in a grid so that "does any line pass
    near this box?" looks only at the runs close by: placing the labels of a 300-edge design asks it hundreds of
    thousands of times.

    >>> along = lambda y: [(float(x), y) for x in range(0, 101, 4)]
    >>> lines = Lines([along(0.0), along(50.0)])
    >>> lines.near(Box(40, 10, 10, 10), 11.0), lines.without(0).near(Box(40, 10, 10, 10), 11.0)
    (True, False)
    """

    CELL = 32.0

    def __init__(self, paths: Sequence[Sequence[Point]], *, skip: int | None = None) -> None:
        self.count = len(paths)
        self.skip = skip
        self.grid: dict[tuple[int, int], list[tuple[int, Polyline, Run]]] = {}
        if skip is None:
            cell = self.CELL
            for number, path in enumerate(paths):
                line = path if isinstance(path, Polyline) else Polyline(path)
                for run in line.runs:  # in every cell its box touches, so every point is found from its own cell
                    for gx in range(int(run[0] // cell), int(run[2] // cell) + 1):
                        for gy in range(int(run[1] // cell), int(run[3] // cell) + 1):
                            self.grid.setdefault((gx, gy), []).append((number, line, run))

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
                for number, line, run in self.grid.get((gx, gy), ()):
                    if number == self.skip or _gap2(x0, y0, x1, y1, run) >= reach:
                        continue
                    for x, y in line[run[4] : run[5]]:
                        dx = x0 - x if x < x0 else (x - x1 if x > x1 else 0.0)
                        dy = y0 - y if y < y0 else (y - y1 if y > y1 else 0.0)
                        if dx * dx + dy * dy < reach:
                            return True
        return False
