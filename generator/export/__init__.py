"""Exports: a design's views written for other diagram tools, and what the exports share (colours, stable ids,
the geometry of paths leaving shapes).

D2 and Mermaid are written from the plan's IR, before layout (those tools lay the diagram out themselves);
Excalidraw and draw.io files are written from blueprint's own laid-out scene, so they keep its positions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from generator.frontend.vocabulary import kind_info
from generator.layout.scene import Box, Point

__all__ = ["Palette", "clip", "inside", "simplify", "stable_id", "stable_number"]


@dataclass(frozen=True)
class Palette:
    """The colours an export draws with: a theme's, handed over by the build stage (exports do not import the
    renderer's themes)."""

    paper: str
    ink: str
    muted: str
    markers: tuple[str, ...]
    replication: str
    families: Mapping[str, str]
    """Stroke colour per colour family (see :data:`generator.frontend.vocabulary.FAMILIES`)."""
    fills: Mapping[str, str]
    """Fill colour per colour family."""
    groups: Mapping[str, str]
    """Frame colour per kind of group."""

    def marker(self, slot: int | None) -> str:
        """The colour of a flow's marker slot (None: the ink).

        >>> p = Palette("#fff", "#000", "#888", ("#00f", "#f00"), "#999", {}, {}, {})
        >>> p.marker(0), p.marker(3), p.marker(None)
        ('#00f', '#f00', '#000')
        """
        return self.ink if slot is None or not self.markers else self.markers[slot % len(self.markers)]

    def edge(self, slot: int | None, hop: str) -> str:
        """The colour of an edge: grey for replication, else its flow's marker."""
        return self.replication if hop == "replication" else self.marker(slot)

    def stroke(self, kind: str) -> str:
        """The stroke colour of a kind of component."""
        return self.families.get(kind_info(kind).family, self.ink)

    def fill(self, kind: str) -> str:
        """The fill colour of a kind of component."""
        return self.fills.get(kind_info(kind).family, self.paper)

    def group(self, kind: str) -> str:
        """The frame colour of a kind of group."""
        return self.groups.get(kind, self.muted)


def stable_id(*parts: str, size: int = 16) -> str:
    """A deterministic id made from names (a hash, so any characters in them are safe).

    >>> stable_id("node", "db") == stable_id("node", "db"), stable_id("node", "db") != stable_id("edge", "db")
    (True, True)
    >>> len(stable_id("x")), stable_id("a", "bc") != stable_id("ab", "c")
    (16, True)
    """
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()
    return digest[:size]


def stable_number(*parts: str) -> int:
    """A deterministic positive 31-bit number made from names (a seed for a hand-drawn stroke).

    >>> stable_number("node", "db") == stable_number("node", "db"), 0 < stable_number("x") < 2**31
    (True, True)
    """
    return int(stable_id("seed", *parts), 16) % (2**31 - 1) + 1


def inside(shape: str, box: Box, p: Point, grow: float) -> bool:
    """Whether a point lies inside a rectangle, an ellipse or a diamond drawn in ``box``, grown by ``grow``.

    >>> box = Box(0, 0, 100, 100)
    >>> inside("rectangle", box, (95, 95), 0), inside("ellipse", box, (95, 95), 0), inside("diamond", box, (50, 5), 0)
    (True, False, True)
    """
    a, b = box.w / 2 + grow, box.h / 2 + grow
    dx, dy = abs(p[0] - box.cx), abs(p[1] - box.cy)
    if shape == "ellipse":
        return (dx / a) ** 2 + (dy / b) ** 2 <= 1.0
    if shape == "diamond":
        return dx / a + dy / b <= 1.0
    return dx <= a and dy <= b


def clip(points: list[Point], shape: str, box: Box, gap: float) -> list[Point]:
    """The path from where it leaves a shape (``gap`` outside its outline); unchanged when it starts outside it
    or never leaves it.

    >>> clip([(50.0, 50.0), (150.0, 50.0)], "rectangle", Box(0, 0, 100, 100), 4.0)
    [(104.0, 50.0), (150.0, 50.0)]
    """
    if not points or not inside(shape, box, points[0], gap):
        return points
    for i in range(1, len(points)):
        if not inside(shape, box, points[i], gap):
            (x0, y0), (x1, y1) = points[i - 1], points[i]
            lo, hi = 0.0, 1.0
            for _ in range(30):  # bisect for the crossing
                mid = (lo + hi) / 2
                if inside(shape, box, (x0 + (x1 - x0) * mid, y0 + (y1 - y0) * mid), gap):
                    lo = mid
                else:
                    hi = mid
            crossing = (round(x0 + (x1 - x0) * hi, 2), round(y0 + (y1 - y0) * hi, 2))
            return [crossing, *points[i:]] if math.dist(crossing, points[i]) > 1.0 else points[i:]
    return points


def simplify(points: list[Point], tolerance: float = 1.0) -> list[Point]:
    """The path without the points that lie (within ``tolerance``) on the line between their neighbours.

    >>> simplify([(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 5.0)])
    [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]
    """
    kept = list(points)
    i = 1
    while i < len(kept) - 1:
        (ax, ay), (px, py), (bx, by) = kept[i - 1], kept[i], kept[i + 1]
        length = math.hypot(bx - ax, by - ay)
        off = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length else 0.0
        if off < tolerance:
            del kept[i]
        else:
            i += 1
    return kept
