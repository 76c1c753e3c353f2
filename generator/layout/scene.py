"""The laid-out scene: positions from Graphviz, in SVG coordinates, handed from the layout stage to the renderers.

Coordinates are in points (1/72 inch), origin at the top left, y growing downwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.layout.slide import Fit
from generator.plan import ir

__all__ = ["Box", "LabelRow", "Point", "Scene", "SceneCluster", "SceneEdge", "SceneNode", "sample_bezier"]

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        """Centre x."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """Centre y."""
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        """Right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """Bottom edge."""
        return self.y + self.h

    def contains(self, other: Box) -> bool:
        """Whether ``other`` lies inside this box.

        >>> Box(0, 0, 10, 10).contains(Box(2, 2, 3, 3)), Box(0, 0, 10, 10).contains(Box(8, 8, 3, 3))
        (True, False)
        """
        return self.x <= other.x and self.y <= other.y and other.right <= self.right and other.bottom <= self.bottom

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """Whether two boxes overlap (touching within ``margin`` counts as not overlapping).

        >>> Box(0, 0, 10, 10).overlaps(Box(5, 5, 10, 10))
        True
        >>> Box(0, 0, 10, 10).overlaps(Box(10, 0, 10, 10))
        False
        """
        return (
            self.x < other.right - margin
            and other.x < self.right - margin
            and self.y < other.bottom - margin
            and other.y < self.bottom - margin
        )


@dataclass(frozen=True)
class SceneNode:
    """A node and its box. The drawing sits in the top part, the label lines below it."""

    node: ir.Node
    box: Box
    label_lines: tuple[str, ...]


@dataclass(frozen=True)
class SceneCluster:
    """A group frame: its box, its label and where Graphviz put the label."""

    cluster: ir.Cluster
    box: Box
    label_at: Point
    depth: int
    title_shift: float = 0.0
    """How far right of the frame's top left corner the group's name sits: an edge runs under the corner (see
    :func:`~generator.layout.settle.clear_titles`)."""


@dataclass(frozen=True)
class LabelRow:
    """One numbered step placed beside its edge: the patch of board behind it, its first line's centre, the
    radius of its number's badge (drawn at the patch's left, level with the first line) and its text's lines."""

    label: ir.EdgeLabel
    patch: Box
    cy: float
    radius: float
    lines: tuple[str, ...] = ()
    badge_w: float = 0.0
    """The badge's width: ``2 * radius`` for a circle, more for a pill around a long number (10a)."""
    number_scale: float = 1.0
    """How much larger than beside words its number is drawn (:data:`~generator.layout.anatomy.NUMBER_DIGITS` when
    it stands alone)."""

    @property
    def line_height(self) -> float:
        """The height of one of its lines."""
        return self.patch.h / max(len(self.lines), 1)

    @property
    def badge(self) -> Point:
        """Its badge's centre."""
        return (self.patch.x + 3 + max(self.badge_w, 2 * self.radius) / 2, self.cy)


@dataclass(frozen=True)
class SceneEdge:
    """An edge: its cubic Bézier control points (p0, c1, c2, p1, c1, c2, p2 ...) ending at the arrow tip.

    ``label_box`` is the space Graphviz reserved for the label, or None; ``rows`` are its labels as placed (see
    :func:`generator.layout.labels.place_labels`), empty until then, and ``leader`` joins them to the edge when
    they could not sit close to it.
    """

    edge: ir.Edge
    points: tuple[Point, ...]
    arrow_tip: Point | None
    label_box: Box | None
    rows: tuple[LabelRow, ...] = ()
    leader: tuple[Point, Point] | None = None
    """A line from the labels to the edge, when they could not sit close to it."""


@dataclass(frozen=True)
class Scene:
    """A laid-out diagram."""

    diagram: ir.Diagram
    width: float
    height: float
    nodes: tuple[SceneNode, ...]
    clusters: tuple[SceneCluster, ...]
    edges: tuple[SceneEdge, ...]
    font_size: float = 14.0
    fit: Fit = field(default_factory=Fit)
    """How the diagram was fitted to a slide (turned, or compacted to step numbers)."""


def sample_bezier(points: Sequence[Point], *, spacing: float) -> list[Point]:
    """Points along a chain of cubic Béziers, about ``spacing`` apart, ends included.

    >>> pts = sample_bezier([(0, 0), (10, 0), (20, 0), (30, 0)], spacing=10)
    >>> pts[0], pts[-1], len(pts)
    ((0.0, 0.0), (30.0, 0.0), 4)
    """
    out: list[Point] = [(float(points[0][0]), float(points[0][1]))]
    for i in range(0, len(points) - 3, 3):
        p0, c1, c2, p1 = points[i], points[i + 1], points[i + 2], points[i + 3]
        approx = math.dist(p0, c1) + math.dist(c1, c2) + math.dist(c2, p1)
        steps = max(1, round(approx / spacing))
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, c1, c2, p1
        for s in range(1, steps + 1):
            t = s / steps
            mt = 1 - t
            # The Bernstein weights, each worked out once for x and y, in the order of the written-out formula
            # (mt**3 * x0 + 3 * mt**2 * t * x1 + ...), so every point is the very same float.
            a, b, c, d = mt**3, 3 * mt**2 * t, 3 * mt * t**2, t**3
            out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out
