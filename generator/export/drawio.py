"""A laid-out diagram written as a draw.io file (uncompressed ``.drawio`` XML), at blueprint's own positions.

Each group is a container cell holding its components (and the groups inside it), each child placed relative to
its container as draw.io expects; each component is a vertex with a style for its kind (a cylinder for stores,
a cloud for outside services, a person for users ...) drawn where blueprint draws its picture, its label under
it; each edge joins its two components (``source``/``target``), bends through points sampled from blueprint's
curve, carries its numbered steps as its label, where blueprint placed them, and has its flow's colour.

The XML is written by :mod:`xml.etree.ElementTree`, which escapes every label (``&``, ``<``, quotes, newlines as
``&#10;``); labels are plain text (``html=0``), so draw.io never reads one as markup. Ids are hashes of
blueprint's ids, so the same design always gives the same bytes.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from generator.export import Palette, stable_id
from generator.frontend.vocabulary import CYLINDERS
from generator.layout.anatomy import icon_box, tag_of
from generator.layout.scene import Box, Point, Scene, SceneEdge, sample_bezier
from generator.plan import ir

__all__ = ["SHAPES", "drawio_file", "kind_style", "style"]

SHAPES: Mapping[str, str] = {
    **dict.fromkeys(sorted(CYLINDERS), "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=10"),
    "queue": "shape=process;backgroundOutline=1;size=0.15",
    "stream": "shape=process;backgroundOutline=1;size=0.15",
    "pubsub": "shape=process;backgroundOutline=1;size=0.15",
    "object_store": "shape=datastore",
    "file_store": "shape=folder;tabWidth=20;tabHeight=8",
    "client": "rounded=1;arcSize=12",
    "mobile": "rounded=1;arcSize=25",
    "user": "shape=umlActor",
    "load_balancer": "rhombus;shape=rhombus;perimeter=rhombusPerimeter",
    "api_gateway": "rhombus;shape=rhombus;perimeter=rhombusPerimeter",
    "rate_limiter": "shape=trapezoid;flipV=1",
    "cdn": "ellipse;shape=cloud;perimeter=ellipsePerimeter",
    "third_party": "ellipse;shape=cloud;perimeter=ellipsePerimeter",
    "dns": "ellipse;shape=ellipse;perimeter=ellipsePerimeter",
    "worker": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.2",
    "analytics": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.2",
    "monitoring": "shape=document;size=0.2",
}
"""The draw.io shape of a kind (the others are rounded rectangles)."""

SKETCH = "sketch=1;curveFitting=1;jiggle=2"
"""draw.io's hand-drawn look (plain mxGraph draws the same cells with straight lines)."""

TEXT = "text;html=0;strokeColor=none;fillColor=none;align=left;verticalAlign=middle"
"""A free text: draw.io's ``text`` style, spelled out for renderers without draw.io's stylesheet."""

_DASHED = frozenset({"response", "async", "replication", "heartbeat"})
_FADED = frozenset({"faded", "removed", "failed"})
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def style(*parts: str, **values: str | float) -> str:
    """A draw.io style string: bare parts, then ``key=value`` pairs (``;`` and ``=`` cannot get in a value).

    >>> style("ellipse", strokeColor="#000", fontSize=14.0, opacity=30)
    'ellipse;strokeColor=#000;fontSize=14;opacity=30;'
    """
    pieces = [p for p in parts if p]
    pieces += [
        f"{key}={re.sub('[;=]', ' ', _num(value) if isinstance(value, float) else str(value))}"
        for key, value in values.items()
    ]
    return ";".join(pieces) + ";"


def kind_style(kind: str) -> str:
    """The shape part of a component's style.

    >>> kind_style("sql").split(";")[0], kind_style("service")
    ('shape=cylinder3', 'rounded=1;arcSize=12')
    """
    return SHAPES.get(kind, "rounded=1;arcSize=12")


def _text(value: str) -> str:
    """A label as draw.io text: characters XML cannot hold dropped (blueprint refuses them in a design anyway)."""
    return _NOT_XML.sub("", value)


def _num(value: float) -> str:
    """A coordinate as draw.io writes it (whole numbers without a point).

    >>> _num(3.0), _num(2.456), _num(-0.0)
    ('3', '2.46', '0')
    """
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _sub(where: ET.Element, tag: str, /, **attributes: str) -> ET.Element:
    """A child element with these attributes, in this order (``as`` spelled ``as_``)."""
    return ET.SubElement(where, tag, {key.rstrip("_"): value for key, value in attributes.items()})


def _geometry(parent: ET.Element, box: Box, origin: Point) -> None:
    _sub(
        parent,
        "mxGeometry",
        x=_num(box.x - origin[0]),
        y=_num(box.y - origin[1]),
        width=_num(box.w),
        height=_num(box.h),
        as_="geometry",
    )


def _towards(box: Box, target: Point) -> Point:
    """Where the line from a box's centre to a point leaves the box (draw.io's rectangle perimeter)."""
    dx, dy = target[0] - box.cx, target[1] - box.cy
    if dx == 0 and dy == 0:
        return (box.cx, box.cy)
    scale = min(box.w / 2 / abs(dx) if dx else math.inf, box.h / 2 / abs(dy) if dy else math.inf, 1.0)
    return (box.cx + dx * scale, box.cy + dy * scale)


def _halfway(points: list[Point]) -> Point:
    """The point halfway along a polyline (where draw.io puts an edge's label before its offset)."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    goal = sum(lengths) / 2
    for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
        if length >= goal and length > 0:
            t = goal / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        goal -= length
    return points[-1]


def _bends(se: SceneEdge) -> list[Point]:
    """Points on blueprint's curve for draw.io to bend the edge through (none for a straight edge)."""
    if len(se.points) < 4:
        return []
    path = sample_bezier(se.points, spacing=70.0)
    inner = path[1:-1]
    straight = all(
        abs((path[-1][0] - path[0][0]) * (path[0][1] - y) - (path[0][0] - x) * (path[-1][1] - path[0][1]))
        / max(math.dist(path[0], path[-1]), 1e-9)
        < 2.0
        for x, y in inner
    )
    return [] if straight else inner


def drawio_file(scene: Scene, palette: Palette, *, name: str = "overview", title: str = "") -> str:
    """A laid-out diagram as an uncompressed draw.io file (XML text, ending in a newline).

    Args:
        scene: The diagram as blueprint laid it out (see :func:`generator.layout.fit.layout`).
        palette: The colours to draw with (the design's theme's).
        name: The page's name.
        title: A title written above the picture (none when empty).
    """
    fs = scene.font_size
    mxfile = ET.Element("mxfile", host="blueprint", agent="blueprint", version="24.0.0", type="device")
    diagram = _sub(mxfile, "diagram", id=stable_id("diagram", scene.diagram.id, name), name=_text(name))
    top = -fs * 3.5 if title else 0.0
    bottom = scene.height + (fs * 4 if scene.diagram.legend else 0.0)
    model = _sub(
        diagram,
        "mxGraphModel",
        dx="0",
        dy="0",
        grid="1",
        gridSize="10",
        guides="1",
        tooltips="1",
        connect="1",
        arrows="1",
        fold="1",
        page="1",
        pageScale="1",
        pageWidth=_num(math.ceil(scene.width + 40)),
        pageHeight=_num(math.ceil(bottom - top + 40)),
        background=palette.paper,
        math="0",
        shadow="0",
    )
    root = _sub(model, "root")
    _sub(root, "mxCell", id="0")
    _sub(root, "mxCell", id="1", parent="0")

    cells: dict[str, str] = {}
    """Each group's cell id and each component's, by blueprint id (groups prefixed ``group:``)."""
    origins: dict[str, Point] = {"1": (0.0, 0.0)}
    """Where each container's top left corner is, for its children's relative positions."""
    boxes: dict[str, Box] = {}
    if title:
        cell = _sub(
            root,
            "mxCell",
            id=stable_id("title", scene.diagram.id),
            value=_text(title),
            style=style(TEXT, fontSize=fs * 1.7, fontColor=palette.ink, fontStyle=2),
            vertex="1",
            parent="1",
        )
        _geometry(cell, Box(0, top, max(scene.width / 2, 200), fs * 2.4), (0.0, 0.0))

    for sc in scene.clusters:  # parents come before their children
        cluster = sc.cluster
        cell_id = stable_id("group", cluster.id)
        parent = cells.get(f"group:{cluster.parent}", "1") if cluster.parent is not None else "1"
        color = palette.group(cluster.kind)
        cell = _sub(
            root,
            "mxCell",
            id=cell_id,
            value=_text(cluster.label),
            style=style(
                "rounded=0",
                "container=1",
                "collapsible=0",
                "recursiveResize=0",
                "html=0",
                SKETCH,
                dashed=1,
                strokeColor=color,
                fillColor=color,
                fillOpacity=8,
                fontColor=color,
                fontStyle=2,
                fontSize=round(fs * 0.95, 1),
                verticalAlign="top",
                align="left",
                spacingLeft=8,
                spacingTop=2,
                strokeWidth=2,
                opacity=35 if cluster.emphasis in _FADED else 100,
            ),
            vertex="1",
            parent=parent,
        )
        _geometry(cell, sc.box, origins[parent])
        cells[f"group:{cluster.id}"] = cell_id
        origins[cell_id] = (sc.box.x, sc.box.y)

    for sn in scene.nodes:
        node = sn.node
        cell_id = stable_id("node", node.id)
        parent = cells.get(f"group:{node.group}", "1") if node.group is not None else "1"
        label = "\n".join(line for line in sn.label_lines if line) or node.label
        tag = tag_of(node)
        box = icon_box(sn, fs)
        boxes[node.id] = box
        cell = _sub(
            root,
            "mxCell",
            id=cell_id,
            value=_text(f"{label}\n{tag}" if tag else label),
            style=style(
                kind_style(node.kind),
                "html=0",
                SKETCH,
                strokeColor=palette.stroke(node.kind),
                fillColor=palette.fill(node.kind),
                fontColor=palette.ink,
                fontSize=fs,
                verticalLabelPosition="bottom",
                verticalAlign="top",
                labelPosition="center",
                align="center",
                strokeWidth=3 if node.emphasis == "highlight" else 2,
                opacity=30 if node.emphasis in _FADED else 100,
                **({"dashed": 1} if node.standby or node.emphasis in ("removed", "failed") else {}),
            ),
            vertex="1",
            parent=parent,
        )
        _geometry(cell, box, origins[parent])
        cells[node.id] = cell_id

    for se in scene.edges:
        edge = se.edge
        if edge.emphasis == "hidden" or edge.src not in boxes or edge.dst not in boxes:
            continue
        _edge(root, se, palette, fs, cells, boxes)

    x = 0.0
    for entry in scene.diagram.legend:
        color = palette.marker(entry.color)
        text = f"\u2192 {entry.text}"
        width = len(text) * fs * 0.55 + 20
        cell = _sub(
            root,
            "mxCell",
            id=stable_id("legend", str(entry.color), entry.text),
            value=_text(text),
            style=style(TEXT, fontColor=color, fontSize=fs),
            vertex="1",
            parent="1",
        )
        _geometry(cell, Box(x, scene.height + fs, width, fs * 2), (0.0, 0.0))
        x += width + 20
    ET.indent(mxfile, space="  ")
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def _edge(
    root: ET.Element, se: SceneEdge, palette: Palette, fs: float, cells: Mapping[str, str], boxes: Mapping[str, Box]
) -> None:
    """An edge between two component cells, bent along blueprint's curve, its steps as its label."""
    edge = se.edge
    text = "\n".join(_step_text(row.label, row.lines) for row in se.rows)
    if not se.rows:
        text = "\n".join(f"{lb.number}. {lb.text}".strip(". ") for lb in edge.labels)
    bends = _bends(se)
    src, dst = boxes[edge.src], boxes[edge.dst]
    first = bends[0] if bends else (dst.cx, dst.cy)
    last = bends[-1] if bends else (src.cx, src.cy)
    route = [_towards(src, first), *bends, _towards(dst, last)]
    color = palette.edge(edge.color, edge.hop)
    values: dict[str, str | float] = {
        "endArrow": "classic",
        "endFill": 1,
        "strokeColor": color,
        "strokeWidth": 3 if edge.emphasis == "highlight" else 2,
        "fontColor": palette.ink,
        "fontSize": fs,
        "labelBackgroundColor": palette.paper,
        "opacity": 30 if edge.emphasis in _FADED else 100,
    }
    if edge.hop in _DASHED:
        values["dashed"] = 1
    cell = _sub(
        root,
        "mxCell",
        id=stable_id("edge", edge.id),
        value=_text(text),
        style=style("edgeStyle=none", "curved=1", "rounded=0", "html=0", SKETCH, **values),
        edge="1",
        parent="1",
        source=cells[edge.src],
        target=cells[edge.dst],
    )
    geometry = _sub(cell, "mxGeometry", relative="1", as_="geometry")
    if bends:
        array = _sub(geometry, "Array", as_="points")
        for x, y in bends:
            _sub(array, "mxPoint", x=_num(x), y=_num(y))
    if se.rows:  # move the label from the edge's middle to where blueprint placed it
        left = min(row.patch.x for row in se.rows)
        right = max(row.patch.right for row in se.rows)
        top = min(row.patch.y for row in se.rows)
        bottom = max(row.patch.bottom for row in se.rows)
        middle = _halfway(route)
        dx, dy = (left + right) / 2 - middle[0], (top + bottom) / 2 - middle[1]
        _sub(geometry, "mxPoint", x=_num(dx), y=_num(dy), as_="offset")


def _step_text(label: ir.EdgeLabel, lines: tuple[str, ...]) -> str:
    """A step as its edge's label says it: ``3. fetch key range`` (its wrapped lines kept)."""
    text = "\n".join(lines) if lines else label.text
    return f"{label.number}. {text}" if label.number and text else label.number or text
