"""The hand-drawn pen: seeded rough strokes in the manner of Rough.js, as SVG path data.

Every stroke is drawn twice, each time from slightly jittered end points through a bowed control point, so lines
look drawn with a marker. Randomness comes from a ``random.Random`` seeded from the element's own stable id, so
one element's strokes never depend on another's. With roughness 0 the pen draws crisp, exact geometry.
"""

from __future__ import annotations

import itertools
import math
import random
import zlib
from collections.abc import Sequence

from generator.layout.scene import Point, sample_bezier
from generator.render.pathdata import PathWriter as _Path
from generator.render.pathdata import polygon, subpaths

__all__ = [
    "LONG_EDGE",
    "WOBBLE_SPACING",
    "Pen",
    "Point",
    "fmt",
    "polygon",
    "polygon_of_ellipse",
    "sample_bezier",
    "seeded",
    "subpaths",
    "wobble_spacing",
]


def seeded(key: str) -> random.Random:
    """A random generator seeded from a stable string (CRC32, never Python's per-process ``hash``).

    >>> seeded("node:db").random() == seeded("node:db").random()
    True
    """
    return random.Random(zlib.crc32(key.encode("utf-8")))


def fmt(value: float) -> str:
    """A coordinate rounded to two decimals, without trailing zeros.

    >>> fmt(3.14159), fmt(2.0), fmt(-0.001)
    ('3.14', '2', '0')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


WOBBLE_SPACING = 18.0
"""Units between the wobbled points of a drawn edge: the hand's tremor along a line."""

LONG_EDGE = 1920.0
"""An edge up to a slide's width long keeps the tremor of :data:`WOBBLE_SPACING`."""


def wobble_spacing(length: float) -> float:
    """Units between the wobbled points of an edge whose control polygon is ``length`` long.

    An edge longer than a slide is wide only appears in a picture too big to read whole on a slide, seen shrunk
    or zoomed into: it is sampled more sparsely, the spacing growing with the square root of the length, up to
    three times the tremor (the two strokes still part as a marker's do). On the 200-component benchmark design
    this halves the SVG's path data and the pen's time; the course's edges, all shorter, are drawn as before.

    >>> wobble_spacing(300), wobble_spacing(LONG_EDGE), round(wobble_spacing(4 * LONG_EDGE), 1), wobble_spacing(1e6)
    (18.0, 18.0, 36.0, 54.0)
    """
    return min(3 * WOBBLE_SPACING, WOBBLE_SPACING * math.sqrt(max(1.0, length / LONG_EDGE)))


class Pen:
    """Draws rough shapes as SVG path data.

    Args:
        rng: The element's own random generator (see :func:`seeded`).
        roughness: 0 draws exact geometry; 1 looks hand-drawn; 2 is sloppy.
        bowing: How much lines bow in their middle.
    """

    def __init__(self, rng: random.Random, *, roughness: float = 1.0, bowing: float = 1.0) -> None:
        self.rng = rng
        self.roughness = roughness
        self.bowing = bowing

    # -- jitter -----------------------------------------------------------------------------------------
    def _off(self, amount: float, gain: float = 1.0) -> float:
        if self.roughness <= 0:
            return 0.0
        return self.roughness * gain * (self.rng.random() * 2 * amount - amount)

    # -- lines ------------------------------------------------------------------------------------------
    def _stroke(self, path: _Path, a: Point, b: Point, *, overlay: bool) -> None:
        x1, y1 = a
        x2, y2 = b
        length = math.hypot(x2 - x1, y2 - y1)
        offset = 1.6 if length > 16 else max(length / 10, 0.3)
        gain = 1.0 if length < 200 else (0.8 if length < 500 else 0.6)
        half = offset / 2
        diverge = 0.2 + self.rng.random() * 0.2
        bow = self.bowing * 1.6 * gain
        mid_x = bow * (y2 - y1) / 200 + self._off(offset, gain)
        mid_y = bow * (x1 - x2) / 200 + self._off(offset, gain)
        j = half if overlay else offset

        def r() -> float:
            return self._off(j, gain)

        start = (x1 + r(), y1 + r())
        c1 = (mid_x + x1 + (x2 - x1) * diverge + r(), mid_y + y1 + (y2 - y1) * diverge + r())
        c2 = (mid_x + x1 + 2 * (x2 - x1) * diverge + r(), mid_y + y1 + 2 * (y2 - y1) * diverge + r())
        end = (x2 + r(), y2 + r())
        path.move(start)
        path.cubic(c1, c2, end)

    def _line(self, path: _Path, a: Point, b: Point, *, double: bool) -> None:
        if self.roughness <= 0:
            path.move(a)
            path.line(b)
            return
        self._stroke(path, a, b, overlay=False)
        if double:
            self._stroke(path, a, b, overlay=True)

    def line(self, a: Point, b: Point, *, double: bool = True) -> str:
        """A rough line from ``a`` to ``b``, stroked twice unless ``double`` is False."""
        path = _Path()
        self._line(path, a, b, double=double)
        return path.text()

    def polyline(self, points: Sequence[Point], *, closed: bool = False, double: bool = True) -> str:
        """Rough straight segments through the points (closed back to the first when asked)."""
        pts = list(points)
        if closed and pts:
            pts.append(pts[0])
        if not pts:
            return ""
        path = _Path()
        if self.roughness <= 0:
            path.move(pts[0])
            for p in pts[1:-1] if closed else pts[1:]:  # Z draws the last side
                path.line(p)
            if closed:
                path.close()
            return path.text()
        for a, b in itertools.pairwise(pts):
            self._line(path, a, b, double=double)
        return path.text()

    def rect(self, x: float, y: float, w: float, h: float, *, double: bool = True) -> str:
        """A rough rectangle."""
        return self.polyline([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], closed=True, double=double)

    # -- curves -----------------------------------------------------------------------------------------
    def curve(self, points: Sequence[Point], *, closed: bool = False) -> str:
        """A smooth curve through the points (Catmull-Rom turned into cubic Béziers)."""
        pts = list(points)
        if len(pts) < 2:
            return ""
        ring = [pts[-1], *pts, pts[0], pts[1]] if closed else [pts[0], *pts, pts[-1]]
        path = _Path()
        path.move(ring[1])
        for i in range(1, len(ring) - 2):
            p0, p1, p2, p3 = ring[i - 1], ring[i], ring[i + 1], ring[i + 2]
            c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
            c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
            path.cubic(c1, c2, p2)
        return path.text()

    def ellipse(self, cx: float, cy: float, w: float, h: float, *, double: bool = True) -> str:
        """A rough ellipse of width ``w`` and height ``h``: an overlapping loop, drawn twice."""
        rx, ry = w / 2, h / 2
        if self.roughness <= 0:
            return (
                f"M{fmt(cx - rx)} {fmt(cy)}a{fmt(rx)} {fmt(ry)} 0 1 0 {fmt(2 * rx)} 0"
                f"a{fmt(rx)} {fmt(ry)} 0 1 0 {fmt(-2 * rx)} 0Z"
            )
        out = self._loop(cx, cy, rx, ry, 1.0)
        if double:
            out += self._loop(cx, cy, rx, ry, 0.5)
        return out

    def _loop(self, cx: float, cy: float, rx: float, ry: float, scale: float) -> str:
        steps = max(8, min(22, int(math.hypot(rx, ry) / 3)))
        start = self.rng.random() * math.tau
        wobble = min(min(rx, ry) * 0.06 + 0.6, 2.2)
        pts: list[Point] = []
        for i in range(steps + 2):
            angle = start + math.tau * i / steps
            k = 1 + self._off(0.04, scale)
            pts.append(
                (
                    cx + rx * k * math.cos(angle) + self._off(wobble, scale * 0.5),
                    cy + ry * k * math.sin(angle) + self._off(wobble, scale * 0.5),
                )
            )
        return self.curve(pts)

    def arc(self, cx: float, cy: float, w: float, h: float, start: float, stop: float) -> str:
        """A rough elliptical arc between two angles (radians, clockwise from 3 o'clock)."""
        rx, ry = w / 2, h / 2
        steps = max(4, int(abs(stop - start) / (math.pi / 10)))
        pts = [
            (
                cx + rx * math.cos(start + (stop - start) * i / steps) + self._off(0.6),
                cy + ry * math.sin(start + (stop - start) * i / steps) + self._off(0.6),
            )
            for i in range(steps + 1)
        ]
        first = self.curve(pts)
        if self.roughness <= 0:
            return first
        pts2 = [(x + self._off(0.5), y + self._off(0.5)) for x, y in pts]
        return first + self.curve(pts2)

    def bezier_path(self, points: Sequence[Point], *, double: bool = True) -> str:
        """A rough version of a Graphviz spline (p0, c1, c2, p1, c1, c2, p2 ...)."""
        if len(points) < 4:
            return self.polyline(points, double=double) if len(points) >= 2 else ""
        if self.roughness <= 0:
            path = _Path()
            path.move(points[0])
            for i in range(1, len(points) - 2, 3):
                path.cubic(points[i], points[i + 1], points[i + 2])
            return path.text()
        length = sum(math.dist(points[i], points[i + 1]) for i in range(len(points) - 1))
        samples = sample_bezier(points, spacing=wobble_spacing(length))
        passes = [self._wobble(samples, 1.0)]
        if double:
            passes.append(self._wobble(samples, 0.6))
        return "".join(self.curve(p) for p in passes)

    def _wobble(self, samples: Sequence[Point], scale: float) -> list[Point]:
        out: list[Point] = []
        n = len(samples)
        for i, (x, y) in enumerate(samples):
            edge = 0.35 if i in (0, n - 1) else 1.0
            out.append((x + self._off(1.1, scale * edge), y + self._off(1.1, scale * edge)))
        return out

    # -- fills ------------------------------------------------------------------------------------------
    def hachure(self, polygon: Sequence[Point], *, gap: float = 5.0, angle: float = -41.0) -> str:
        """Parallel rough strokes filling a polygon, as marker hatching."""
        if len(polygon) < 3:
            return ""
        theta = math.radians(angle)
        cos, sin = math.cos(theta), math.sin(theta)
        rotated = [(x * cos + y * sin, -x * sin + y * cos) for x, y in polygon]
        ys = [p[1] for p in rotated]
        out: list[str] = []
        y = min(ys) + gap * (0.5 + self.rng.random() * 0.3)
        while y < max(ys):
            xs = _crossings(rotated, y)
            for a, b in zip(xs[::2], xs[1::2], strict=False):
                if b - a < 2:
                    continue
                inset = min(1.5, (b - a) / 6)
                p1 = ((a + inset) * cos - y * sin, (a + inset) * sin + y * cos)
                p2 = ((b - inset) * cos - y * sin, (b - inset) * sin + y * cos)
                out.append(self.line(p1, p2, double=False))
            y += gap
        return "".join(out)

    # -- arrowheads -------------------------------------------------------------------------------------
    def arrowhead(self, tip: Point, came_from: Point, *, size: float = 10.0, open_: bool = True) -> str:
        """A hand-drawn arrowhead at ``tip`` pointing away from ``came_from``: two strokes (or a closed triangle)."""
        dx, dy = tip[0] - came_from[0], tip[1] - came_from[1]
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        spread = 0.45 + self._off(0.05)
        left = (
            tip[0] - size * (ux * math.cos(spread) - uy * math.sin(spread)),
            tip[1] - size * (uy * math.cos(spread) + ux * math.sin(spread)),
        )
        right = (
            tip[0] - size * (ux * math.cos(-spread) - uy * math.sin(-spread)),
            tip[1] - size * (uy * math.cos(-spread) + ux * math.sin(-spread)),
        )
        if open_:
            return self.line(left, tip) + self.line(right, tip)
        return self.polyline([left, tip, right], closed=True)


def _crossings(polygon: Sequence[Point], y: float) -> list[float]:
    xs: list[float] = []
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if (y1 <= y < y2) or (y2 <= y < y1):
            xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return sorted(xs)


def polygon_of_ellipse(cx: float, cy: float, w: float, h: float, steps: int = 24) -> list[Point]:
    """An ellipse as a polygon, for hatching.

    >>> len(polygon_of_ellipse(0, 0, 10, 10, 8))
    8
    """
    return [
        (cx + w / 2 * math.cos(math.tau * i / steps), cy + h / 2 * math.sin(math.tau * i / steps)) for i in range(steps)
    ]
