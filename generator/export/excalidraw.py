"""A laid-out diagram written as an Excalidraw scene (``.excalidraw``), at blueprint's own positions.

Each component is a shape (a rectangle, an ellipse for people, stores, caches and clouds, a diamond for load
balancers and gateways) with its label bound inside it, the two sharing a group; a top-level group is a frame
holding its components (a group inside a group is a dashed rectangle); each step's edge is an arrow bound to the
shapes at its ends, so dragging a box in Excalidraw drags its arrows; each numbered step is a badge and a text
beside its edge, where blueprint placed it. Strokes are hand-drawn (roughness 1) and the text is Virgil.

Ids and seeds are hashes of blueprint's ids, elements come in declared order and the JSON is written by
``json.dumps`` (every label is a JSON string, nothing else), so the same design always gives the same bytes.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

from generator.export import Palette, clip, simplify, stable_id, stable_number
from generator.frontend.vocabulary import CYLINDERS
from generator.layout.anatomy import tag_of
from generator.layout.scene import Box, Point, Scene, SceneEdge, SceneNode, sample_bezier
from generator.plan import ir

__all__ = ["DIAMONDS", "ELLIPSES", "SOURCE", "excalidraw_scene", "focus", "shape_of", "text_size"]

SOURCE = "https://github.com/blueprint-diagrams/blueprint"
"""What the scene says made it (Excalidraw keeps it as the file's ``source``)."""

ELLIPSES = frozenset({"client", "user", "mobile", "cdn", "dns", "third_party"} | CYLINDERS)
"""Kinds drawn as ellipses: people, stores and caches (round like a cylinder), clouds."""

DIAMONDS = frozenset({"load_balancer", "api_gateway", "rate_limiter"})
"""Kinds drawn as diamonds: the ones that route or decide."""

VIRGIL = 1
"""Excalidraw's hand-drawn font."""
LINE_HEIGHT = 1.25
"""Excalidraw's line height for Virgil, in multiples of the font size."""
GAP = 4.0
"""Room between an arrow's end and the shape it is bound to."""
PAD = 10.0
"""Room between a shape's outline and its label."""
GROWTH = 1.2
"""How much larger than blueprint's box a shape may grow to hold its label before the label's font shrinks."""
_DASHED = frozenset({"response", "async", "replication"})
_FADED = frozenset({"faded", "removed", "failed"})


def shape_of(kind: str) -> str:
    """The Excalidraw shape a kind is drawn as.

    >>> shape_of("sql"), shape_of("load_balancer"), shape_of("service")
    ('ellipse', 'diamond', 'rectangle')
    """
    if kind in ELLIPSES:
        return "ellipse"
    return "diamond" if kind in DIAMONDS else "rectangle"


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """About how wide and tall Excalidraw draws a text in Virgil (wide East Asian characters count double);
    Excalidraw measures it again when the text is edited.

    >>> text_size("ab\\nc", 20)
    (20.8, 50.0)
    """
    lines = text.split("\n")
    widest = max(sum(_advance(ch) for ch in line) for line in lines)
    return round(widest * font_size, 2), round(len(lines) * font_size * LINE_HEIGHT, 2)


def _advance(ch: str) -> float:
    """About how wide Virgil draws a character, in multiples of the font size (measured in Chromium)."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    return 0.64 if ch.isupper() or ch.isdigit() else 0.52


def _base(kind: str, key: str, box: Box, **extra: Any) -> dict[str, Any]:
    """An element's common properties; ``key`` names it (its id and seeds are hashes of it)."""
    element: dict[str, Any] = {
        "id": stable_id(key),
        "type": kind,
        "x": round(box.x, 2),
        "y": round(box.y, 2),
        "width": round(box.w, 2),
        "height": round(box.h, 2),
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "roundness": None,
        "seed": stable_number(key),
        "version": 1,
        "versionNonce": stable_number("nonce", key),
        "isDeleted": False,
        "boundElements": [],
        "updated": 1,
        "link": None,
        "locked": False,
    }
    element.update(extra)
    return element


def _text(key: str, text: str, at: Point, size: float, color: str, **extra: Any) -> dict[str, Any]:
    """A free text, its top left corner at ``at``."""
    w, h = text_size(text, size)
    return _base("text", key, Box(at[0], at[1], w, h), strokeColor=color, **_font(text, size), **extra)


def _label(key: str, text: str, container: dict[str, Any], size: float, color: str, **extra: Any) -> dict[str, Any]:
    """A text bound inside a shape, centred in it (the shape must list it in its ``boundElements``)."""
    w, h = text_size(text, size)
    cx, cy = container["x"] + container["width"] / 2, container["y"] + container["height"] / 2
    fields = {**_font(text, size), "textAlign": "center", "verticalAlign": "middle", "containerId": container["id"]}
    return _base("text", key, Box(cx - w / 2, cy - h / 2, w, h), strokeColor=color, **fields, **extra)


def _font(text: str, size: float) -> dict[str, Any]:
    return {
        "text": text,
        "originalText": text,
        "fontSize": size,
        "fontFamily": VIRGIL,
        "textAlign": "left",
        "verticalAlign": "top",
        "containerId": None,
        "autoResize": True,
        "lineHeight": LINE_HEIGHT,
    }


def _linear(kind: str, key: str, path: Sequence[Point], **extra: Any) -> dict[str, Any]:
    """An arrow or a line through points (Excalidraw stores them relative to the first)."""
    x0, y0 = path[0]
    points = [[round(x - x0, 2), round(y - y0, 2)] for x, y in path]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    fields: dict[str, Any] = {
        "points": points,
        "lastCommittedPoint": None,
        "startBinding": None,
        "endBinding": None,
        "startArrowhead": None,
        "endArrowhead": "arrow" if kind == "arrow" else None,
    }
    if kind == "arrow":
        fields["elbowed"] = False
    fields.update(extra)
    return _base(kind, key, Box(x0, y0, max(xs) - min(xs), max(ys) - min(ys)), **fields)


def focus(shape: str, box: Box, adjacent: Point, end: Point) -> float:
    """Where an arrow bound to a shape aims, as Excalidraw measures it: the signed distance from the shape's
    centre at which the arrow's last segment, carried on into the shape, crosses the shape's diagonals (a
    diamond's axes), over their half-length; 0 aims at the centre.

    >>> box = Box(0, 0, 100, 100)
    >>> focus("rectangle", box, (-100, 50), (-5, 50))
    0.0
    >>> round(focus("rectangle", box, (-100, 25), (-5, 25)), 3), round(focus("rectangle", box, (-100, 75), (-5, 75)), 3)
    (0.5, -0.5)
    """
    if adjacent == end:
        return 0.0
    cx, cy = box.cx, box.cy
    dx, dy = end[0] - adjacent[0], end[1] - adjacent[1]
    cross = dx * (end[1] - cy) - dy * (end[0] - cx)
    sign = -math.copysign(1.0, cross) if cross else 0.0
    if shape == "diamond":
        axes = [((cx, box.y), (cx, box.bottom)), ((box.x, cy), (box.right, cy))]
    else:
        axes = [((box.x, box.y), (box.right, box.bottom)), ((box.right, box.y), (box.x, box.bottom))]
    best: float | None = None
    for (x1, y1), (x2, y2) in axes:
        ex, ey = x2 - x1, y2 - y1
        denominator = dx * ey - dy * ex
        if abs(denominator) < 1e-9:
            continue
        t = ((x1 - end[0]) * ey - (y1 - end[1]) * ex) / denominator  # along the arrow, from its end
        if t < 0:
            continue
        hit = (end[0] + dx * t, end[1] + dy * t)
        ratio = math.dist((cx, cy), hit) / (math.hypot(ex, ey) / 2)
        if best is None or ratio < abs(best):
            best = sign * ratio
    return max(-1.0, min(1.0, best)) if best is not None else 0.0


def _fitting(shape: str, around: Box, tw: float, th: float) -> Box:
    """The box of a shape centred on a node's box, at least as big, that holds a text ``tw`` by ``th`` inside
    its outline (an ellipse or a diamond grows more than a rectangle).

    >>> _fitting("rectangle", Box(0, 0, 80, 80), 100, 20)
    Box(x=-20.0, y=0.0, w=120.0, h=80.0)
    >>> b = _fitting("diamond", Box(0, 0, 80, 80), 100, 20); (b.w / 2 - 56) / (b.w / 2) + (14 / (b.h / 2)) <= 1.0
    True
    """
    half_w, half_h = tw / 2 + PAD, th / 2 + PAD / 2
    if shape == "rectangle":
        a, b = max(around.w / 2, half_w), max(around.h / 2, half_h)
    elif shape == "ellipse":  # (half_w / a)^2 + (half_h / b)^2 <= 1
        b = max(around.h / 2, half_h * 1.6)
        a = max(around.w / 2, half_w / math.sqrt(1 - (half_h / b) ** 2))
    else:  # a diamond: half_w / a + half_h / b <= 1
        b = max(around.h / 2, half_h * 2.2)
        a = max(around.w / 2, half_w / (1 - half_h / b))
    return Box(around.cx - a, around.cy - b, 2 * a, 2 * b)


class _Builder:
    """Collects the elements of one scene, in drawing order."""

    def __init__(self, scene: Scene, palette: Palette, font_size: float) -> None:
        self.scene = scene
        self.palette = palette
        self.fs = font_size
        self.elements: list[dict[str, Any]] = []
        self.shapes: dict[str, dict[str, Any]] = {}
        """Each component's shape element, by component id."""
        self.boxes: dict[str, Box] = {}
        self.frames: dict[str, str] = {}
        """The frame each group's members belong to (its top-level group's), by group id."""

    def groups(self) -> None:
        """Top-level groups as frames, groups inside them as dashed rectangles with their name."""
        parents = {c.cluster.id: c.cluster.parent for c in self.scene.clusters}
        for sc in self.scene.clusters:
            top, seen = sc.cluster.id, set()
            while parents.get(top) is not None and top not in seen:
                seen.add(top)
                top = parents[top] or top
            frame_id = stable_id("frame", top)
            self.frames[sc.cluster.id] = frame_id
            color = self.palette.group(sc.cluster.kind)
            common: dict[str, Any] = {
                "opacity": 40 if sc.cluster.emphasis in _FADED else 100,
                "customData": {"blueprint": {"group": sc.cluster.id, "kind": sc.cluster.kind}},
            }
            if sc.cluster.parent is None:
                key = f"frame\x00{sc.cluster.id}"
                frame = _base("frame", key, sc.box, name=sc.cluster.label, strokeColor=color, **common)
                self.elements.append({**frame, "roughness": 0})
                continue
            common |= {"groupIds": [stable_id("group", sc.cluster.id)], "frameId": frame_id}
            key = f"group\x00{sc.cluster.id}"
            dashed = {"strokeColor": color, "strokeStyle": "dashed", "strokeWidth": 1}
            self.elements.append(_base("rectangle", key, sc.box, **dashed, **common))
            at = (sc.box.x + 8 + sc.title_shift, sc.box.y + 6)  # moved off a line, as in the SVG
            title = _text(f"group-title\x00{sc.cluster.id}", sc.cluster.label, at, self.fs * 0.95, color, **common)
            self.elements.append(title)

    def component(self, sn: SceneNode) -> None:
        """A component: its shape, and its label (and tech) bound inside it, grouped."""
        node = sn.node
        shape = shape_of(node.kind)
        label = "\n".join(line for line in sn.label_lines if line) or node.label
        tag = tag_of(node)
        text = f"{label}\n{tag}" if tag else label
        for scale in (1.0, 0.9, 0.8, 0.7):  # a smaller hand before a shape that crowds its neighbours
            fs = round(self.fs * scale, 1)
            box = _fitting(shape, sn.box, *text_size(text, fs))
            if box.w <= sn.box.w * GROWTH and box.h <= sn.box.h * GROWTH:
                break
        self.boxes[node.id] = box
        common = {
            "groupIds": [stable_id("component", node.id)],
            "frameId": self.frames.get(node.group) if node.group is not None else None,
            "opacity": 30 if node.emphasis in _FADED else 100,
            "customData": {"blueprint": {"component": node.id, "kind": node.kind}},
        }
        element = _base(
            shape,
            f"node\x00{node.id}",
            box,
            strokeColor=self.palette.stroke(node.kind),
            backgroundColor=self.palette.fill(node.kind),
            fillStyle="hachure",
            strokeWidth=4 if node.emphasis == "highlight" else 2,
            strokeStyle="dashed" if node.emphasis in ("removed", "failed") or node.standby else "solid",
            roundness={"type": 3} if shape == "rectangle" else {"type": 2},
            boundElements=[{"type": "text", "id": stable_id(f"label\x00{node.id}")}],
            **common,
        )
        self.shapes[node.id] = element
        self.elements.append(element)
        self.elements.append(_label(f"label\x00{node.id}", text, element, fs, self.palette.ink, **common))

    def edge(self, se: SceneEdge) -> None:
        """A step's edge as an arrow bound to its ends, then its numbered steps beside it."""
        edge = se.edge
        if edge.emphasis == "hidden" or edge.src not in self.shapes or edge.dst not in self.shapes:
            return
        path = sample_bezier(se.points, spacing=40.0) if len(se.points) >= 4 else list(se.points)
        if se.arrow_tip is not None and (not path or math.dist(path[-1], se.arrow_tip) > 0.5):
            path.append(se.arrow_tip)
        src, dst = self.boxes[edge.src], self.boxes[edge.dst]  # run the ends into the shapes, then cut them there
        path = clip([(src.cx, src.cy), *path], self.shapes[edge.src]["type"], src, GAP)
        path = simplify(clip([(dst.cx, dst.cy), *path[::-1]], self.shapes[edge.dst]["type"], dst, GAP)[::-1])
        if len(path) < 2:
            return
        key = f"edge\x00{edge.id}"
        color = self.palette.edge(edge.color, edge.hop)
        ends = []
        for end, far, near in ((edge.src, path[1], path[0]), (edge.dst, path[-2], path[-1])):
            shape = self.shapes[end]
            shape["boundElements"].append({"type": "arrow", "id": stable_id(key)})
            aim = focus(shape["type"], self.boxes[end], far, near)
            ends.append({"elementId": shape["id"], "focus": round(aim, 4), "gap": GAP})
        arrow = _linear(
            "arrow",
            key,
            path,
            strokeColor=color,
            strokeWidth=4 if edge.emphasis == "highlight" else 2,
            strokeStyle="dotted" if edge.hop == "heartbeat" else "dashed" if edge.hop in _DASHED else "solid",
            roundness={"type": 2},
            opacity=30 if edge.emphasis in _FADED else 100,
            startBinding=ends[0],
            endBinding=ends[1],
            customData={"blueprint": {"edge": edge.id, "from": edge.src, "to": edge.dst, "hop": edge.hop}},
        )
        self.elements.append(arrow)
        for index, row in enumerate(se.rows):
            self.step(f"{edge.id}\x00{index}", se.edge.id, row.label, row.patch, row.lines, color)
        if se.leader is not None:
            leader = _linear("line", f"leader\x00{edge.id}", se.leader, strokeColor=color, strokeStyle="dotted")
            self.elements.append({**leader, "strokeWidth": 1})

    def step(self, key: str, edge: str, label: ir.EdgeLabel, patch: Box, lines: Sequence[str], color: str) -> None:
        """A numbered step: its number in a badge (hollow for an optional step) and its text, grouped."""
        common = {
            "groupIds": [stable_id("step", key)],
            "customData": {"blueprint": {"step": label.number, "edge": edge}},
        }
        size = self.fs * 0.8
        nw, nh = text_size(label.number, size)
        diameter = max(nh + 4, nw + 10)
        line_h = patch.h / max(len(lines), 1)
        badge = _base(
            "ellipse",
            f"badge\x00{key}",
            Box(patch.x + 2, patch.y + (line_h - diameter) / 2, diameter, diameter),
            strokeColor=color,
            backgroundColor="transparent" if label.optional else color,
            strokeWidth=1,
            roughness=0,
            boundElements=[{"type": "text", "id": stable_id(f"number\x00{key}")}],
            **common,
        )
        ink = color if label.optional else self.palette.paper
        self.elements += [badge, _label(f"number\x00{key}", label.number, badge, size, ink, **common)]
        text = "\n".join(lines) if lines else label.text
        if text:  # as large as fits where blueprint measured its own hand (Virgil is wider than Kalam)
            room = patch.right - (patch.x + diameter + 8)
            fs = round(max(self.fs * 0.75, min(self.fs, self.fs * room / max(text_size(text, self.fs)[0], 1.0))), 1)
            at = (patch.x + diameter + 8, patch.y + (line_h - fs * LINE_HEIGHT) / 2)
            self.elements.append(_text(f"step\x00{key}", text, at, fs, self.palette.ink, **common))

    def legend(self) -> None:
        """The flows' colours and names under the picture, as blueprint draws them."""
        x, y = 0.0, self.scene.height + 30
        for entry in self.scene.diagram.legend:
            color = self.palette.marker(entry.color)
            key = f"legend\x00{entry.color}\x00{entry.text}"
            together = [stable_id("legend", key)]
            self.elements.append(_linear("arrow", key, [(x, y), (x + 40, y)], strokeColor=color, groupIds=together))
            at = (x + 50, y - self.fs * 0.6)
            text = _text(f"legend-text\x00{key}", entry.text, at, self.fs, self.palette.ink, groupIds=together)
            self.elements.append(text)
            x += 50 + text["width"] + 40


def excalidraw_scene(scene: Scene, palette: Palette, *, title: str = "") -> str:
    """A laid-out diagram as an Excalidraw scene (JSON text, ending in a newline).

    Args:
        scene: The diagram as blueprint laid it out (see :func:`generator.layout.fit.layout`).
        palette: The colours to draw with (the design's theme's).
        title: A title written above the picture (none when empty).
    """
    fs = max(scene.font_size, 14.0)
    builder = _Builder(scene, palette, fs)
    if title:
        builder.elements.append(_text("title", title, (0, -fs * 3.2), fs * 1.7, palette.ink))
    builder.groups()
    for sn in scene.nodes:
        builder.component(sn)
    for se in scene.edges:
        builder.edge(se)
    builder.legend()
    document = {
        "type": "excalidraw",
        "version": 2,
        "source": SOURCE,
        "elements": builder.elements,
        "appState": {"viewBackgroundColor": palette.paper, "gridSize": 20, "currentItemFontFamily": VIRGIL},
        "files": {},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
