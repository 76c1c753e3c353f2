"""Where the parts of a drawn node sit inside its laid-out box: the drawing on top, the label lines under it.

Shared by the layout stage (edge ends stop at the drawing, labels keep clear of it) and the renderer (which draws
them there), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.layout.scene import Box, SceneCluster, SceneNode
from generator.plan import ir

__all__ = [
    "BADGE_SCALE",
    "LINE_HEIGHT",
    "TECH_SCALE",
    "TITLE_SCALE",
    "badge_width",
    "icon_box",
    "label_block",
    "tag_of",
    "title_box",
]

LINE_HEIGHT = 1.25
"""A label line's height, in multiples of the font size."""

TECH_SCALE = 0.8
"""The tech tag's size, relative to the label's."""

TITLE_SCALE = 0.95
"""A group's name's size, relative to the labels'."""

BADGE_SCALE = 0.78
"""A step number's size in its badge, relative to the labels'."""


def badge_width(number: str, radius: float, fs: float, measure: Callable[[str, float], float]) -> float:
    """How wide a step's badge is drawn: a circle for one or two characters, an oval around longer numbers (10a)
    so they keep their size.

    >>> badge_width("3", 8.0, 14.0, lambda t, s: 6.0 * len(t)), badge_width("10a", 8.0, 14.0, lambda t, s: 6.0 * len(t))
    (16.0, 30.5)
    """
    return max(2 * radius, measure(number, fs * BADGE_SCALE) * 1.25 + radius) if number else 0.0


def tag_of(node: ir.Node) -> str:
    """The small line under a node's label: its technology, and ``standby`` when a standby waits to take over.

    >>> tag_of(ir.Node("db", "db", "sql", tech="PostgreSQL", standby=True)), tag_of(ir.Node("a", "a", "sql"))
    ('PostgreSQL + standby', '')
    """
    if node.standby:
        return f"{node.tech} + standby" if node.tech else "+ standby"
    return node.tech


def icon_box(sn: SceneNode, fs: float) -> Box:
    """Where a node's drawing sits in its box: a square, centred at the top, above the label lines.

    >>> from generator.plan import ir
    >>> icon_box(SceneNode(ir.Node("a", "a", "sql"), Box(0, 0, 80, 100), ("a",)), 14.0)
    Box(x=8.0, y=2, w=64.0, h=64.0)
    """
    box = sn.box
    text_h = len(sn.label_lines) * fs * LINE_HEIGHT + (fs * 1.1 if tag_of(sn.node) else 0.0) + 4
    size = max(24.0, min(box.w, box.h - text_h, 64.0))
    return Box(box.cx - size / 2, box.y + 2, size, size)


def label_block(sn: SceneNode, fs: float, measure: Callable[[str, float], float]) -> Box | None:
    """The box of a node's label lines and tech tag, under its drawing (None when it has no label).

    Args:
        sn: The laid-out node.
        fs: The font size.
        measure: The width of a text at a font size, as drawn.
    """
    lines = [line for line in sn.label_lines if line]
    tag = tag_of(sn.node)
    if not lines and not tag:
        return None
    icon = icon_box(sn, fs)
    widths = [measure(line, fs) for line in lines]
    if tag:
        widths.append(measure(tag, fs * TECH_SCALE))
    widest = max(widths)
    top = icon.bottom + 2
    height = len(sn.label_lines) * fs * LINE_HEIGHT + (fs * 0.9 if tag else 0.0) + 2
    return Box(sn.box.cx - widest / 2 - 3, top, widest + 6, height)


def title_box(sc: SceneCluster, fs: float, measure: Callable[[str, float], float]) -> Box:
    """The patch behind a group's name, inside its frame's top left corner.

    >>> from generator.plan import ir
    >>> title_box(SceneCluster(ir.Cluster("g", "web", "tier"), Box(0, 0, 200, 100), (0, 0), 0), 20, lambda t, s: 30.0)
    Box(x=6.0, y=5.0, w=38.0, h=24.7)
    """
    size = fs * TITLE_SCALE
    return Box(sc.box.x + 6.0, sc.box.y + 5.0, measure(sc.cluster.label, size) + 8, size * 1.3)
