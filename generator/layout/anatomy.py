"""Where the parts of a drawn node sit inside its laid-out box (the drawing on top, the label lines under it), and
an edge's label rows (a badge, then the step's words) before they are placed.

Shared by the layout stage (edge ends stop at the drawing, labels keep clear of it) and the renderer (which draws
them there), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.layout.scene import Box, LabelRow, SceneCluster, SceneEdge, SceneNode
from generator.layout.text import step_lines
from generator.plan import ir

__all__ = [
    "BADGE_RADIUS",
    "BADGE_SCALE",
    "LINE_HEIGHT",
    "NUMBER_BADGE",
    "NUMBER_DIGITS",
    "TECH_SCALE",
    "TITLE_SCALE",
    "badge_width",
    "component_boxes",
    "icon_box",
    "label_block",
    "label_rows",
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

BADGE_RADIUS = 0.6
"""A step's badge's radius, relative to the labels' size (less where Graphviz left a line less room)."""

NUMBER_BADGE = 1.1
"""How much larger a step's badge is drawn when its number stands alone, with no words beside it (a practice
picture, a dense overview shown with step numbers only): the numbers are then the picture's text. Larger badges
crowd a dense picture off its slide (at 1.2 the course's densest practice picture and an evolution's first stage
no longer fit), so the gain is kept to a tenth."""

NUMBER_DIGITS = 1.15
"""How much larger a number standing alone is drawn (0.9 of the labels' size): it fills a little more of its
larger badge, so a picture whose text it is reads on a slide as its names do."""


def badge_width(
    number: str, radius: float, fs: float, measure: Callable[[str, float], float], *, scale: float = 1.0
) -> float:
    """How wide a step's badge is drawn: a circle for one or two characters, an oval around longer numbers (10a)
    so they keep their size. ``scale`` is :data:`NUMBER_DIGITS` for a number standing alone.

    >>> badge_width("3", 8.0, 14.0, lambda t, s: 6.0 * len(t)), badge_width("10a", 8.0, 14.0, lambda t, s: 6.0 * len(t))
    (16.0, 30.5)
    """
    return max(2 * radius, measure(number, fs * BADGE_SCALE * scale) * 1.25 + radius) if number else 0.0


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


def component_boxes(nodes: Sequence[SceneNode], fs: float, measure: Callable[[str, float], float]) -> list[Box]:
    """Where the components are drawn: each drawing's box, then each name's (what labels and group names keep off)."""
    boxes = [icon_box(n, fs) for n in nodes]
    return boxes + [b for n in nodes if (b := label_block(n, fs, measure)) is not None]


def title_box(sc: SceneCluster, fs: float, measure: Callable[[str, float], float]) -> Box:
    """The patch behind a group's name, inside its frame's top left corner (``title_shift`` further right).

    >>> from generator.plan import ir
    >>> title_box(SceneCluster(ir.Cluster("g", "web", "tier"), Box(0, 0, 200, 100), (0, 0), 0), 20, lambda t, s: 30.0)
    Box(x=6.0, y=5.0, w=38.0, h=24.7)
    >>> title_box(SceneCluster(ir.Cluster("g", "web", "tier"), Box(0, 0, 200, 100), (0, 0), 0, 150.0), 20,
    ...           lambda t, s: 30.0)
    Box(x=156.0, y=5.0, w=38.0, h=24.7)
    """
    size = fs * TITLE_SCALE
    return Box(sc.box.x + 6.0 + sc.title_shift, sc.box.y + 5.0, measure(sc.cluster.label, size) + 8, size * 1.3)


def label_rows(se: SceneEdge, box: Box, fs: float, measure: Callable[[str, float], float]) -> list[LabelRow]:
    """One row per numbered step of an edge, its label's lines stacked in ``box`` (the room Graphviz reserved),
    before :mod:`generator.layout.labels` moves them beside the edge. Numbers standing alone (no step has words)
    get badges :data:`NUMBER_BADGE` times the full size, each in a row tall enough for it."""
    texts = [step_lines(label.text) for label in se.edge.labels]
    line_h = box.h / max(sum(max(len(lines), 1) for lines in texts), 1)
    alone = not any(texts)
    scale = NUMBER_DIGITS if alone else 1.0
    r = fs * BADGE_RADIUS * NUMBER_BADGE if alone else min(fs * BADGE_RADIUS, line_h * 0.47)
    line_h = max(line_h, 2 * r + 2) if alone else line_h
    rows: list[LabelRow] = []
    top = box.y
    for label, lines in zip(se.edge.labels, texts, strict=True):
        height = line_h * max(len(lines), 1)
        text_w = max((measure(line, fs) for line in lines), default=0.0)
        width = badge_width(label.number, r, fs, measure, scale=scale)
        badge = width + 6 if label.number else 0.0
        total = badge + text_w if lines else badge - 6
        patch = Box(box.x - 3, top, total + 6, height)
        rows.append(LabelRow(label, patch, top + line_h / 2, r, lines, width, number_scale=scale))
        top += height
    return rows
