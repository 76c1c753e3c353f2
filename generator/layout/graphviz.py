"""IR to positions: builds DOT through the `diagrams` library, runs Graphviz ``dot`` and reads back a Scene.

This is the only module that knows Graphviz attributes. It never writes files: the DOT source goes to ``dot`` on
standard input and the layout comes back as JSON on standard output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from typing import Any

from generator.errors import BlueprintError, MissingToolError
from generator.frontend.vocabulary import kind_info
from generator.layout.scene import Box, Point, Scene, SceneCluster, SceneEdge, SceneNode
from generator.plan import ir

__all__ = ["ICON", "LayoutOptions", "dot_source", "layout", "run_dot", "wrap_label"]

ICON = 64.0
"""Side of the square a node's drawing fills, in points."""

BADGE = "0000 "
"""Stand-in text that reserves room for a circled step number in an edge label (and the patch around it)."""

INSTALL_HINT = (
    "Graphviz's 'dot' was not found: install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
    "macOS: brew install graphviz)"
)


class LayoutOptions:
    """Font and spacing used to measure and place everything."""

    def __init__(self, *, fontname: str = "Kalam", fontsize: float = 14.0) -> None:
        self.fontname = fontname
        self.fontsize = fontsize


@cache
def _node_class(kind: str) -> Any:
    import importlib

    module, _, name = kind_info(kind).node_class.rpartition(".")
    return getattr(importlib.import_module(f"diagrams.{module}"), name)


def wrap_label(text: str, width: int = 22) -> list[str]:
    """Wrap a label at word boundaries.

    >>> wrap_label("analytics worker for click events", 16)
    ['analytics worker', 'for click events']
    """
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out.append(line)
    return [line for line in out if line] or [""]


def dot_text(lines: list[str] | tuple[str, ...], *, end: str = "\\n") -> Any:
    """Label text for DOT: backslashes doubled (no ``\\N`` or ``\\l`` escapes from users), never an HTML label.

    >>> from graphviz import Digraph
    >>> g = Digraph()
    >>> g.node("x", label=dot_text(["a\\\\N", "<b>hi</b>"]))
    >>> print(g.source.splitlines()[1].strip())
    x [label="a\\\\N\\n<b>hi</b>"]
    """
    from graphviz import nohtml

    from generator.render.fonts import substitute

    # Measure what will be drawn: characters the handwriting font lacks become the look-alikes drawn instead.
    joined = end.join(substitute(line).replace("\\", "\\\\") for line in lines)
    return nohtml(joined)


def node_lines(node: ir.Node) -> tuple[str, ...]:
    """The label lines drawn under a node's drawing: its label, wrapped (the tech tag is drawn on the node)."""
    return tuple(wrap_label(node.label))


def edge_label_lines(edge: ir.Edge) -> list[str]:
    """One line per numbered step on an edge, with room for the badge."""
    return [f"{BADGE}{label.text}".rstrip() for label in edge.labels]


def dot_source(diagram: ir.Diagram, options: LayoutOptions) -> str:
    """The DOT source for a diagram, built with the `diagrams` library, with stable ids and no file paths."""
    import diagrams
    from diagrams import Cluster, Edge

    fs = options.fontsize
    graph_attr = {
        "splines": "spline",
        "pad": "0.3",
        "nodesep": "0.55",
        "ranksep": "0.9",
        "fontname": options.fontname,
        "fontsize": str(fs),
        "label": "",
        "newrank": "true",
        "compound": "true",
    }
    node_attr = {
        "shape": "box",
        "fixedsize": "false",
        "fontname": options.fontname,
        "fontsize": str(fs),
        "labelloc": "b",
        "margin": "0.05,0.02",
    }
    edge_attr = {"fontname": options.fontname, "fontsize": str(fs)}
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
                    "fontname": options.fontname,
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
                    Edge(reverse=True, fontname=options.fontname, fontsize=str(fs), **attrs),
                )
            else:
                handles[edge.src].connect(
                    handles[edge.dst], Edge(forward=True, fontname=options.fontname, fontsize=str(fs), **attrs)
                )
        source = str(canvas.dot)
    finally:
        diagrams.setdiagram(previous)
    return _strip_paths(source)


def _strip_paths(source: str) -> str:
    """Drop icon image attributes (absolute paths inside site-packages) from DOT."""
    return re.sub(r'\s*image="[^"]*"', "", source)


def _dot_env() -> dict[str, str]:
    env = dict(os.environ)
    try:
        from generator.render import fonts

        env["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    except (ImportError, AttributeError):  # pragma: no cover - fonts ship with the package
        pass
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


def run_dot(source: str, *, fmt: str = "json") -> str:
    """Run ``dot`` on DOT source and return its output.

    Raises:
        MissingToolError: Graphviz is not installed, with the command that installs it.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise MissingToolError(INSTALL_HINT)
    proc = subprocess.run(
        [exe, f"-T{fmt}"],
        input=source.encode("utf-8"),
        capture_output=True,
        env=_dot_env(),
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BlueprintError(f"Graphviz could not lay out the diagram: {message[-1] if message else 'unknown error'}")
    return proc.stdout.decode("utf-8")


def layout(diagram: ir.Diagram, *, fontname: str = "Kalam", fontsize: float = 14.0) -> Scene:
    """Lay a diagram out with Graphviz and return the positioned scene."""
    options = LayoutOptions(fontname=fontname, fontsize=fontsize)
    raw = json.loads(run_dot(dot_source(diagram, options)))
    return scene_from_json(diagram, raw, fontsize=fontsize)


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.replace(",", " ").split()]


def scene_from_json(diagram: ir.Diagram, raw: dict[str, Any], *, fontsize: float) -> Scene:
    """Read Graphviz's JSON output into a Scene, flipping y so the origin is the top left."""
    x0, y0, x1, y1 = _floats(raw["bb"])
    height = y1 - y0

    def pt(x: float, y: float) -> Point:
        return (round(x - x0, 2), round(height - (y - y0), 2))

    nodes_by_name: dict[str, ir.Node] = {n.id: n for n in diagram.nodes}
    clusters_by_name = {f"cluster_{c.id}": c for c in diagram.clusters}
    edges_by_id = {e.id: e for e in diagram.edges}
    scene_nodes: dict[str, SceneNode] = {}
    scene_clusters: dict[str, SceneCluster] = {}
    depth = _depths(diagram)
    for obj in raw.get("objects", []):
        name = obj.get("name", "")
        if name in clusters_by_name and "bb" in obj:
            bx0, by0, bx1, by1 = _floats(obj["bb"])
            top_left = pt(bx0, by1)
            cluster = clusters_by_name[name]
            lp = pt(*_floats(obj["lp"])) if "lp" in obj else (top_left[0] + 8, top_left[1] + fontsize)
            scene_clusters[cluster.id] = SceneCluster(
                cluster=cluster,
                box=Box(top_left[0], top_left[1], round(bx1 - bx0, 2), round(by1 - by0, 2)),
                label_at=lp,
                depth=depth.get(cluster.id, 0),
            )
        elif name in nodes_by_name and "pos" in obj:
            cx, cy = pt(*_floats(obj["pos"]))
            w = float(obj["width"]) * 72
            h = float(obj["height"]) * 72
            node = nodes_by_name[name]
            scene_nodes[name] = SceneNode(
                node=node,
                box=Box(round(cx - w / 2, 2), round(cy - h / 2, 2), round(w, 2), round(h, 2)),
                label_lines=node_lines(node),
            )
    scene_edges: dict[str, SceneEdge] = {}
    for obj in raw.get("edges", []):
        edge_id = obj.get("id", "")
        if edge_id not in edges_by_id:
            continue
        points, tip = _spline(obj.get("pos", ""), pt, reverse=edges_by_id[edge_id].hop == "response")
        scene_edges[edge_id] = SceneEdge(
            edge=edges_by_id[edge_id],
            points=tuple(points),
            arrow_tip=tip,
            label_box=_label_box(obj, pt, fontsize),
        )
    return Scene(
        diagram=diagram,
        width=round(x1 - x0, 2),
        height=round(height, 2),
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


def _spline(pos: str, pt: Any, *, reverse: bool = False) -> tuple[list[Point], Point | None]:
    """Parse an edge's ``pos``: optional ``s,x,y`` and ``e,x,y`` arrow points, then Bézier control points.

    With ``reverse`` (an edge laid out backwards, its arrow at the tail) the points come back in drawing order,
    ending at the arrow's tip.
    """
    tip: Point | None = None
    start: Point | None = None
    points: list[Point] = []
    # Several splines are separated by ';' (only for concentrated edges); use the first.
    for token in pos.split(";")[0].split():
        if token.startswith("e,"):
            _, x, y = token.split(",")
            tip = pt(float(x), float(y))
        elif token.startswith("s,"):
            _, x, y = token.split(",")
            start = pt(float(x), float(y))
        else:
            x, y = token.split(",")[:2]
            points.append(pt(float(x), float(y)))
    if reverse:
        return points[::-1], start
    if start is not None:
        points.insert(0, start)
    return points, tip


def _label_box(obj: dict[str, Any], pt: Any, fontsize: float) -> Box | None:
    boxes = list(_text_boxes(obj.get("_ldraw_", []), pt, fontsize))
    if not boxes:
        return None
    left = min(b.x for b in boxes)
    top = min(b.y for b in boxes)
    right = max(b.right for b in boxes)
    bottom = max(b.bottom for b in boxes)
    return Box(round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2))


def _text_boxes(ops: list[dict[str, Any]], pt: Any, fontsize: float) -> Iterator[Box]:
    size = fontsize
    for op in ops:
        if op.get("op") == "F":
            size = float(op.get("size", fontsize))
        elif op.get("op") == "T":
            x, y = pt(*op["pt"])
            width = float(op["width"])
            align = op.get("align", "c")
            left = x - width / 2 if align == "c" else (x - width if align == "r" else x)
            yield Box(left, y - size * 0.95, width, size * 1.3)
