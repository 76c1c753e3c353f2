"""Architecture views to positions: DOT built through the `diagrams` library, laid out by ``dot``, then settled.

This is the only module that knows the Graphviz attributes of architecture views; charts have their own
(:mod:`generator.layout.chart`), and both run ``dot`` through :mod:`generator.layout.graphviz`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from functools import cache
from typing import Any

from generator.frontend.vocabulary import kind_info
from generator.layout.graphviz import DotRunner, dot_text, floats, label_box, read_layout, run_dot, spline
from generator.layout.scene import Box, Scene, SceneCluster, SceneEdge, SceneNode
from generator.layout.settle import attach_to_drawings, place_labels
from generator.layout.text import Ruler, wrap_label
from generator.plan import ir

__all__ = ["ICON", "dot_source", "edge_label_lines", "layout", "node_lines", "scene_from_json", "settle"]

ICON = 64.0
"""Side of the square a node's drawing fills, in points."""

BADGE = "0000 "
"""Stand-in text that reserves room for a circled step number in an edge label (and the patch around it)."""


@cache
def _node_class(kind: str) -> Any:
    module, _, name = kind_info(kind).node_class.rpartition(".")
    return getattr(importlib.import_module(f"diagrams.{module}"), name)


def node_lines(node: ir.Node) -> tuple[str, ...]:
    """The label lines drawn under a node's drawing: its label, wrapped (the tech tag is drawn on the node)."""
    return tuple(wrap_label(node.label))


def edge_label_lines(edge: ir.Edge) -> list[str]:
    """One line per numbered step on an edge, with room for the badge."""
    return [f"{BADGE}{label.text}".rstrip() for label in edge.labels]


def dot_source(diagram: ir.Diagram, ruler: Ruler) -> str:
    """The DOT source for a diagram, built with the `diagrams` library, with stable ids and no file paths."""
    import diagrams
    from diagrams import Cluster, Edge

    fs = ruler.size
    graph_attr = {
        "splines": "spline",
        "pad": "0.3",
        "nodesep": "0.55",
        "ranksep": "0.9",
        "fontname": ruler.family,
        "fontsize": str(fs),
        "label": "",
        "newrank": "true",
        "compound": "true",
    }
    node_attr = {
        "shape": "box",
        "fixedsize": "false",
        "fontname": ruler.family,
        "fontsize": str(fs),
        "labelloc": "b",
        "margin": "0.05,0.02",
    }
    edge_attr = {"fontname": ruler.family, "fontsize": str(fs)}
    canvas = diagrams.Diagram(
        name=diagram.id,
        filename="blueprint",
        direction=diagram.direction,
        curvestyle="curved",
        outformat="dot",
        show=False,
        graph_attr=graph_attr,
        node_attr=node_attr,
        edge_attr=edge_attr,
    )
    canvas.dot.graph_attr["label"] = ""
    previous = diagrams.getdiagram()
    diagrams.setdiagram(canvas)
    try:
        handles: dict[str, Any] = {}
        children: dict[str | None, list[ir.Cluster]] = {}
        for cluster in diagram.clusters:
            children.setdefault(cluster.parent, []).append(cluster)
        members: dict[str | None, list[ir.Node]] = {}
        for node in diagram.nodes:
            members.setdefault(node.group, []).append(node)

        def place(node: ir.Node) -> None:
            # The tech tag is drawn smaller under the label; measuring it as a line reserves its room.
            lines = (*node_lines(node), *([node.tech] if node.tech else []))
            height = (ICON + 4 + len(lines) * fs * 1.35) / 72
            handles[node.id] = _node_class(node.kind)(
                dot_text(lines),
                nodeid=node.id,
                shape="box",
                image="",
                width=f"{max(ICON + 16, 80) / 72:.3f}",
                height=f"{height:.3f}",
                fixedsize="false",
                labelloc="b",
            )

        def frame(cluster: ir.Cluster) -> None:
            with Cluster(
                dot_text([cluster.label]),
                graph_attr={
                    "fontname": ruler.family,
                    "fontsize": str(fs),
                    "margin": "18",
                    "labeljust": "l",
                },
            ) as handle:
                handle.dot.name = f"cluster_{cluster.id}"
                for child in children.get(cluster.id, []):
                    frame(child)
                for node in members.get(cluster.id, []):
                    place(node)

        for cluster in children.get(None, []):
            frame(cluster)
        for node in members.get(None, []):
            place(node)
        for edge in diagram.edges:
            lines = edge_label_lines(edge)
            attrs: dict[str, str] = {"id": edge.id}
            if lines:
                attrs["label"] = dot_text([*lines, ""], end="\\l")
            if edge.hop == "response":
                # A reply runs against the request it answers: lay it out as that request (dst -> src) with the
                # arrow at the tail, so it neither pulls the ranks around nor needs constraint=false, which
                # crashes some Graphviz versions inside clusters.
                handles[edge.dst].connect(
                    handles[edge.src],
                    Edge(reverse=True, fontname=ruler.family, fontsize=str(fs), **attrs),
                )
            else:
                handles[edge.src].connect(
                    handles[edge.dst], Edge(forward=True, fontname=ruler.family, fontsize=str(fs), **attrs)
                )
        source = str(canvas.dot)
    finally:
        diagrams.setdiagram(previous)
    return _strip_paths(source)


def _strip_paths(source: str) -> str:
    """Drop icon image attributes (absolute paths inside site-packages) from DOT."""
    return re.sub(r'\s*image="[^"]*"', "", source)


def layout(diagram: ir.Diagram, ruler: Ruler, *, dot: DotRunner = run_dot) -> Scene:
    """Lay a diagram out with Graphviz, then settle it: edge ends on the drawings, labels beside their edges.

    Args:
        diagram: What to draw.
        ruler: How its text is measured.
        dot: What runs Graphviz (a recording, in the goldens).

    Raises:
        MissingToolError: Graphviz is not installed.
        BlueprintError: Graphviz failed.
    """
    return settle(scene_from_json(diagram, dot(dot_source(diagram, ruler)), fontsize=ruler.size), ruler)


def settle(scene: Scene, ruler: Ruler) -> Scene:
    """Finish a scene Graphviz laid out: attach edge ends to the drawings, then place every edge's labels."""
    scene = attach_to_drawings(scene, ruler.drawn_width)
    edges = place_labels(scene.edges, [n.box for n in scene.nodes], fs=scene.font_size, measure=ruler.drawn_width)
    return replace(scene, edges=edges)


def scene_from_json(diagram: ir.Diagram, text: str, *, fontsize: float) -> Scene:
    """Read Graphviz's JSON output into a Scene (not yet settled), in SVG coordinates."""
    drawing = read_layout(text)
    pt = drawing.pt
    nodes_by_name: dict[str, ir.Node] = {n.id: n for n in diagram.nodes}
    clusters_by_name = {f"cluster_{c.id}": c for c in diagram.clusters}
    edges_by_id = {e.id: e for e in diagram.edges}
    scene_nodes: dict[str, SceneNode] = {}
    scene_clusters: dict[str, SceneCluster] = {}
    depth = _depths(diagram)
    for obj in drawing.objects():
        name = obj.get("name", "")
        if name in clusters_by_name and "bb" in obj:
            bx0, by0, bx1, by1 = floats(obj["bb"])
            top_left = pt(bx0, by1)
            cluster = clusters_by_name[name]
            lp = pt(*floats(obj["lp"])) if "lp" in obj else (top_left[0] + 8, top_left[1] + fontsize)
            scene_clusters[cluster.id] = SceneCluster(
                cluster=cluster,
                box=Box(top_left[0], top_left[1], round(bx1 - bx0, 2), round(by1 - by0, 2)),
                label_at=lp,
                depth=depth.get(cluster.id, 0),
            )
        elif name in nodes_by_name and "pos" in obj:
            node = nodes_by_name[name]
            scene_nodes[name] = SceneNode(node=node, box=drawing.box(obj), label_lines=node_lines(node))
    scene_edges: dict[str, SceneEdge] = {}
    for obj in drawing.edges():
        edge_id = obj.get("id", "")
        if edge_id not in edges_by_id:
            continue
        points, tip = spline(obj.get("pos", ""), pt, reverse=edges_by_id[edge_id].hop == "response")
        scene_edges[edge_id] = SceneEdge(
            edge=edges_by_id[edge_id],
            points=tuple(points),
            arrow_tip=tip,
            label_box=label_box(obj, pt, fontsize),
        )
    return Scene(
        diagram=diagram,
        width=drawing.width,
        height=drawing.height,
        nodes=tuple(scene_nodes[n.id] for n in diagram.nodes if n.id in scene_nodes),
        clusters=tuple(scene_clusters[c.id] for c in diagram.clusters if c.id in scene_clusters),
        # Hidden edges shaped the layout; they are not drawn.
        edges=tuple(scene_edges[e.id] for e in diagram.edges if e.id in scene_edges and e.emphasis != "hidden"),
        font_size=fontsize,
    )


def _depths(diagram: ir.Diagram) -> dict[str, int]:
    parents = {c.id: c.parent for c in diagram.clusters}
    out: dict[str, int] = {}
    for cid in parents:
        d, p, seen = 0, parents[cid], {cid}
        while p is not None and p not in seen:
            seen.add(p)
            d += 1
            p = parents.get(p)
        out[cid] = d
    return out
