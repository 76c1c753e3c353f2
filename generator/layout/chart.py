"""Flowcharts and state machines: a chart laid out by Graphviz with its labels inside the shapes.

A chart is a stage of its own beside the architecture diagrams: the boxes hold their text (a question in a
diamond, a step in a box, a state in a rounded box), so Graphviz sizes and clips each node to its shape, and the
renderer draws the same shapes with the hand-drawn pen (:mod:`generator.render.svg.chart`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.frontend.model import Chart, Hop
from generator.layout.graphviz import DotRunner, dot_text, label_box, read_layout, run_dot, spline
from generator.layout.labels import place_labels
from generator.layout.scene import Box, SceneEdge
from generator.layout.text import Ruler, step_lines, wrap_label
from generator.plan import ir

__all__ = ["ChartNodeBox", "ChartScene", "chart_dot", "edge_of", "layout_chart"]

WRAP = 24
"""Characters per line of a node's label before it wraps."""

_GLUE = "\ue000"  # a private-use character: not whitespace, so the wrapper keeps it

_DOT_SHAPES = {
    "action": {"shape": "box", "margin": "0.2,0.1"},
    "state": {"shape": "box", "margin": "0.22,0.12"},
    "decision": {"shape": "diamond", "margin": "0.1,0.04", "height": "0.8"},
    "start": {"shape": "box", "margin": "0.26,0.1"},
    "end": {"shape": "box", "margin": "0.26,0.1"},
    "io": {"shape": "box", "margin": "0.34,0.1"},  # drawn slanted inside its box
}
# In a state machine the start and end are pseudo-states: a dot, and a dot in a ring, with no text.
_PSEUDO = {
    "start": {"shape": "circle", "width": "0.28", "fixedsize": "true", "label": ""},
    "end": {"shape": "doublecircle", "width": "0.22", "fixedsize": "true", "label": ""},
}


@dataclass(frozen=True)
class ChartNodeBox:
    """A laid-out node: its shape, box and label lines (none for a state machine's start and end)."""

    id: str
    shape: str
    box: Box
    lines: tuple[str, ...]
    pseudo: bool = False


@dataclass(frozen=True)
class ChartScene:
    """A laid-out chart, in points, origin at the top left."""

    chart: Chart
    width: float
    height: float
    nodes: tuple[ChartNodeBox, ...]
    edges: tuple[SceneEdge, ...]
    font_size: float


def _lines(text: str) -> tuple[str, ...]:
    """A node's label wrapped at word boundaries, never between a number and a short unit after it.

    >>> _lines("detection: 3 failed checks, 10 s apart (30 s)")
    ('detection: 3 failed', 'checks, 10 s apart', '(30 s)')
    """
    glued = re.sub(r"(\d[\d,.]*)\s+(\S{1,3}\b\)?)", lambda m: m[1] + _GLUE + m[2], text)
    return tuple(line.replace(_GLUE, " ") for line in wrap_label(glued, WRAP))


def edge_of(chart: Chart, index: int) -> ir.Edge:
    """The chart's arrow ``index`` as an IR edge: dashed and in red marker when it is the unhappy path."""
    msg = chart.edges[index]
    unhappy = msg.hop != Hop.request
    label = (ir.EdgeLabel("", msg.label),) if msg.label else ()
    hop = "request" if not unhappy else "async"
    return ir.Edge(f"{chart.id}-e{index}", msg.from_, msg.to, hop, label, color=1 if unhappy else None)


def chart_dot(chart: Chart, ruler: Ruler) -> str:
    """DOT source for a chart: explicit ids, labels as plain text (never HTML), no file paths."""
    from graphviz import Digraph  # heavy: only when a chart is laid out

    fontname, fontsize = ruler.family, ruler.size
    g = Digraph(chart.id)
    # Labelled arrows need room between ranks, more so when they fan out sideways (LR).
    ranksep = "0.8" if chart.direction == "LR" else "0.5"
    g.attr(rankdir=chart.direction, nodesep="0.4", ranksep=ranksep, splines="spline", bgcolor="transparent")
    g.attr("node", fontname=fontname, fontsize=str(fontsize), penwidth="1")
    g.attr("edge", fontname=fontname, fontsize=str(fontsize), arrowsize="0.8")
    for node in chart.nodes:
        attrs = dict(_PSEUDO[node.shape] if chart.is_pseudo(node.shape) else _DOT_SHAPES[node.shape])
        label = attrs.pop("label", None)
        g.node(node.id, label=dot_text(_lines(node.title)) if label is None else label, **attrs)
    for index, msg in enumerate(chart.edges):
        attrs = {"id": f"{chart.id}-e{index}"}
        if msg.label:
            attrs["label"] = dot_text(list(step_lines(msg.label)))
        g.edge(msg.from_, msg.to, **attrs)
    return str(g.source)


def layout_chart(chart: Chart, ruler: Ruler, *, dot: DotRunner = run_dot) -> ChartScene:
    """Lay a chart out with Graphviz and place its arrows' labels beside their arrows.

    Raises:
        MissingToolError: Graphviz is not installed.
        BlueprintError: Graphviz failed.
    """
    fontsize = ruler.size
    drawing = read_layout(dot(chart_dot(chart, ruler)))
    declared = {node.id: node for node in chart.nodes}
    boxes: dict[str, ChartNodeBox] = {}
    for obj in drawing.objects():
        node = declared.get(obj.get("name", ""))
        if node is None or "pos" not in obj:
            continue
        pseudo = chart.is_pseudo(node.shape)
        lines = () if pseudo else _lines(node.title)
        boxes[node.id] = ChartNodeBox(node.id, node.shape, drawing.box(obj), lines, pseudo)
    edges: dict[str, SceneEdge] = {}
    for obj in drawing.edges():
        ident = obj.get("id", "")
        if not ident.startswith(f"{chart.id}-e"):
            continue
        index = int(ident.rsplit("-e", 1)[1])
        points, tip = spline(obj.get("pos", ""), drawing.pt)
        edges[ident] = SceneEdge(edge_of(chart, index), tuple(points), tip, label_box(obj, drawing.pt, fontsize))
    nodes = tuple(boxes[n.id] for n in chart.nodes if n.id in boxes)
    ordered = tuple(edges[f"{chart.id}-e{i}"] for i in range(len(chart.edges)) if f"{chart.id}-e{i}" in edges)
    return ChartScene(
        chart=chart,
        width=drawing.width,
        height=drawing.height,
        nodes=nodes,
        edges=place_labels(ordered, [n.box for n in nodes], fs=fontsize, measure=ruler.drawn_width),
        font_size=fontsize,
    )
