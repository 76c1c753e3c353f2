"""The laid-out scene: positions from Graphviz, in SVG coordinates, handed from the layout stage to the renderers.

Coordinates are in points (1/72 inch), origin at the top left, y growing downwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.plan import ir

__all__ = ["Box", "Point", "Scene", "SceneCluster", "SceneEdge", "SceneNode"]

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


@dataclass(frozen=True)
class SceneEdge:
    """An edge: its cubic Bézier control points (p0, c1, c2, p1, c1, c2, p2 ...) ending at the arrow tip.

    ``label_box`` is the space Graphviz reserved for the label, or None.
    """

    edge: ir.Edge
    points: tuple[Point, ...]
    arrow_tip: Point | None
    label_box: Box | None


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
