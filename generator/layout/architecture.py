"""Architecture views to positions: DOT built through the `diagrams` library, laid out by ``dot``, then settled
(:mod:`generator.layout.fit` chooses how to fit each to a slide).

This is the only module that knows the Graphviz attributes of architecture views; charts have their own
(:mod:`generator.layout.chart`), and both run ``dot`` through :mod:`generator.layout.graphviz`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from functools import cache
from typing import Any

from generator.errors import BlueprintError
from generator.frontend.vocabulary import kind_info
from generator.layout.anatomy import component_boxes, tag_of, title_box
from generator.layout.graphviz import DotRunner, dot_text, floats, label_box, read_layout, spline
from generator.layout.labels import place_labels
from generator.layout.scene import Box, Scene, SceneCluster, SceneEdge, SceneNode
from generator.layout.settle import attach_to_drawings, clear_titles, crop, part_frames, part_parallel
from generator.layout.slide import Fit
from generator.layout.text import Ruler, step_lines, wrap_label
from generator.layout.wrap import in_reading_order, ranks, row_constraints, rows
from generator.plan import ir

__all__ = [
    "ICON",
    "TIGHT_ICON",
    "TURNED",
    "OutOfOrder",
    "dot_source",
    "edge_label_lines",
    "fitted_source",
    "laid_out",
    "node_lines",
    "scene_from_json",
    "settle",
]

ICON = 64.0
"""Side of the square a node's drawing fills, in points."""

TIGHT_ICON = 48.0
"""The drawing's side in a dense diagram packed tight to fit a slide."""

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
    """The lines of an edge's labels, each step's label wrapped, every line with room for the badge."""
    return [f"{BADGE}{line}".rstrip() for label in edge.labels for line in (step_lines(label.text) or ("",))]


def dot_source(diagram: ir.Diagram, ruler: Ruler, *, tight: bool = False, rank: dict[str, int] | None = None) -> str:
    """The DOT source for a diagram, built with the `diagrams` library, with stable ids and no file paths.

    ``tight`` packs a dense diagram whose edges show step numbers only: smaller drawings, ranks and nodes closer
    together, and no
    room reserved for edge labels (in ``dot`` every label takes a rank of its own); the numbers are placed beside
    their edges afterwards. ``rank`` (each component's rank along the flow) declares the groups and components
    in that order, for a wrapped layout.
    """
    import diagrams
    from diagrams import Cluster, Edge

    fs = ruler.size
    graph_attr = {
        "splines": "spline",
        "pad": "0.3",
        "nodesep": "0.4" if tight else "0.55",
        "ranksep": "0.62" if tight else "0.9",
        "fontname": ruler.family,
        "fontsize": str(fs),
        "label": "",
        "newrank": "true",
        "compound": "true",
        # Sibling groups in one rank are this far apart (Graphviz's 8-point default reads as one line).
        "margin": "24",
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
        children, members = diagram.tree()

        def place(node: ir.Node) -> None:
            # The tech tag is drawn smaller under the label; measuring it as a line reserves its room.
            lines = (*node_lines(node), *([tag_of(node)] if tag_of(node) else []))
            height = ((TIGHT_ICON if tight else ICON) + 4 + len(lines) * fs * 1.35) / 72
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
                    "margin": "12" if tight else "22",
                    "labeljust": "l",
                },
            ) as handle:
                handle.dot.name = f"cluster_{cluster.id}"
                for child in children.get(cluster.id, []):
                    frame(child)
                for node in members.get(cluster.id, []):
                    place(node)

        order = rank or {}

        def earliest(cluster: ir.Cluster) -> int:
            inside = [order.get(n.id, 0) for n in members.get(cluster.id, [])]
            inside += [earliest(child) for child in children.get(cluster.id, [])]
            return min(inside, default=0)

        tops: list[tuple[int, int, ir.Cluster | ir.Node]] = [
            *((0, i, c) for i, c in enumerate(children.get(None, []))),
            *((0, len(diagram.clusters) + i, n) for i, n in enumerate(members.get(None, []))),
        ]
        if rank:  # Graphviz starts each rank in declaration order: declare a wrapped row's items left to right
            tops = [
                (earliest(item) if isinstance(item, ir.Cluster) else order.get(item.id, 0), i, item)
                for _, i, item in tops
            ]
            tops.sort(key=lambda top: top[:2])
        for _, _, item in tops:
            if isinstance(item, ir.Cluster):
                frame(item)
            else:
                place(item)
        for edge in diagram.edges:
            lines = [] if tight else edge_label_lines(edge)
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


TURNED = {"LR": "TB", "TB": "LR", "RL": "BT", "BT": "RL"}
"""Each direction and the one a diagram turns to when it does not fit a slide."""


def fitted_source(diagram: ir.Diagram, ruler: Ruler, fit: Fit) -> tuple[ir.Diagram, str, list[list[str]] | None]:
    """The diagram as drawn in one of the ways to fit a slide (turned, wrapped or with step numbers only), the DOT
    that lays it out, and its rows when wrapped."""
    drawn = diagram
    lines = rows(diagram, fit.rows) if fit.rows > 1 and diagram.direction in ("LR", "RL") else None
    if fit.turn or lines:
        drawn = replace(drawn, direction=TURNED.get(drawn.direction, drawn.direction))
    if fit.compact:
        edges = tuple(replace(e, labels=tuple(replace(lb, text="") for lb in e.labels)) for e in drawn.edges)
        drawn = replace(drawn, edges=edges)
    source = dot_source(drawn, ruler, tight=fit.compact, rank=ranks(diagram) if lines else None)
    if lines:
        source = source.rstrip().removesuffix("}") + row_constraints(lines) + "\n}\n"
    return drawn, source, lines


def laid_out(
    diagram: ir.Diagram,
    ruler: Ruler,
    dot: DotRunner,
    fit: Fit,
    fitted: tuple[ir.Diagram, str, list[list[str]] | None] | None = None,
) -> Scene:
    """A diagram laid out by Graphviz in one of the ways to fit it to a slide, then settled; ``fitted`` is what
    :func:`fitted_source` gives for that fit, when the caller has it already.

    Raises:
        MissingToolError: Graphviz is not installed.
        BlueprintError: Graphviz failed, or a wrapped layout came out of reading order (:class:`OutOfOrder`).
    """
    drawn, source, lines = fitted or fitted_source(diagram, ruler, fit)
    scene = scene_from_json(drawn, dot(source), fontsize=ruler.size)
    if lines and not in_reading_order(scene, lines, ranks(diagram)):
        raise OutOfOrder("Graphviz put a wrapped row out of reading order")
    return replace(settle(scene, ruler), fit=fit)


class OutOfOrder(BlueprintError):
    """A wrapped layout whose rows do not read left to right: the wrap is not used."""


def settle(scene: Scene, ruler: Ruler) -> Scene:
    """Finish a scene Graphviz laid out: attach edge ends to the drawings, then place every edge's labels."""
    scene = part_parallel(part_frames(attach_to_drawings(scene, ruler.drawn_width)))
    drawn = component_boxes(scene.nodes, scene.font_size, ruler.drawn_width)
    scene = clear_titles(scene, drawn, ruler.drawn_width)
    drawn += [title_box(c, scene.font_size, ruler.drawn_width) for c in scene.clusters]
    edges = place_labels(
        scene.edges,
        drawn,
        fs=scene.font_size,
        measure=ruler.drawn_width,
        frames=[c.box for c in scene.clusters],
        bounds=Box(0.0, 0.0, scene.width, scene.height),
    )
    return crop(replace(scene, edges=edges))


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
