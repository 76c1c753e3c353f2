"""The picture review: how a drawn SVG reads on a slide, checked from the SVG itself, as a reader would see it.

Each check has a stable code (BP130-BP137, explained by ``blueprint lint --explain``): a label far from its edge
or nearer another one, labels on labels or nodes, text too small or a picture too wide for a 1920x1080 slide, a
label on a group's frame, group frames that touch, text cut off at the picture's edge. ``blueprint lint --pictures``
runs it on every view of a design; the tests run it on every picture of the course.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.layout.labels import GLUE
from generator.layout.scene import Box, sample_bezier
from generator.layout.slide import MAX_RATIO, MIN_TEXT, slide_text
from generator.render.pen import subpaths

__all__ = ["PictureFinding", "review_svg"]

FRAME_GAP = 20.0
"""The least gap between two group frames side by side."""

_SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class PictureFinding:
    """One thing that keeps a picture from reading on a slide: a stable code and what is wrong."""

    code: str
    message: str


def review_svg(svg: str, *, slide: bool = True) -> list[PictureFinding]:
    """Review one SVG drawn by blueprint.

    Args:
        svg: The SVG document.
        slide: Check the slide rules (text size, aspect ratio): for overview, flow and stage pictures.

    Returns:
        The findings, in code order; empty when the picture reads well.
    """
    root = ET.fromstring(svg)
    view = [float(v) for v in (root.get("viewBox") or "0 0 0 0").split()]
    width, height = view[2], view[3]
    findings: list[PictureFinding] = []
    if slide and width > 0 and height > 0:
        findings.extend(_slide(root, width, height))
    # A panel's pictures are each read on their own, in their own coordinates, their ids prefixed ``pN-``.
    members = [m for m in root.iter(_SVG + "svg") if m.get("class") == "panel-picture"]
    for n, picture in enumerate(members, 1):
        findings.extend(_picture(picture, f"p{n}-"))
        findings.extend(_cut_off(picture))
    if not members:
        findings.extend(_picture(root, ""))
        findings.extend(_cut_off(root))
    return sorted(findings, key=lambda f: f.code)


_GLYPH = 0.4
"""A glyph's width as a share of the font size, a little under any of the pens' fonts: a text is called cut off only
when even this narrow estimate crosses the picture's edge."""


def _cut_off(root: ET.Element) -> Iterator[PictureFinding]:
    """Texts that run off the picture's left or right edge, so part of them is never drawn."""
    view = [float(v) for v in (root.get("viewBox") or "0 0 0 0").split()]
    left, right = view[0], view[0] + view[2]
    for text in root.iter(_SVG + "text"):
        words = "".join(text.itertext()).strip()
        if not words or text.get("x") is None:
            continue
        x, size = float(text.get("x", "0")), float(text.get("font-size", "0") or 0)
        width = _GLYPH * size * len(words)
        anchor = text.get("text-anchor", "start")
        start = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        if start < left - 2 or start + width > right + 2:
            shown = words if len(words) <= 40 else words[:39] + "…"
            yield PictureFinding("BP137", f"the text '{shown}' runs off the picture's edge")


def _picture(root: ET.Element, prefix: str) -> Iterator[PictureFinding]:
    """The label and frame checks on one picture (``prefix`` begins each of its ids)."""

    def name(element: ET.Element, kind: str) -> str:
        return element.get("id", "").removeprefix(prefix).removeprefix(kind)

    paths = {name(g, "edge-"): _points(g) for g in root.iter(_SVG + "g") if g.get("class") == "edge"}
    leaders = {p.get("data-edge", "") for p in root.iter(_SVG + "path") if p.get("class") == "leader"}
    labels = [
        (rect.get("data-edge", ""), _box(rect), _badge(rect))
        for rect in root.iter(_SVG + "rect")
        if (rect.get("class") or "").split()[:1] == ["label"] and rect.get("data-edge")
    ]
    # A component is its drawing and its name (its box's empty corners may hold a label).
    nodes = [
        (name(g, ""), Box(*map(float, part.split())))
        for g in root.iter(_SVG + "g")
        if (g.get("class") or "").startswith("node") and g.get("data-box")
        for part in (g.get("data-parts") or g.get("data-box") or "").split(";")
    ]
    frames = [(name(g, "group-"), _frame(g)) for g in root.iter(_SVG + "g") if g.get("class") == "group"]
    yield from _labels(labels, paths, leaders)
    boxes = [(edge, box) for edge, box, _ in labels]
    yield from _overlaps(boxes, nodes)
    yield from _frames(boxes, [(group, box) for group, box in frames if box is not None])


def _slide(root: ET.Element, width: float, height: float) -> Iterator[PictureFinding]:
    # Body text is the components' labels (the numbers in badges and the tech tags are smaller by design).
    labels = [g for g in root.iter(_SVG + "g") if g.get("class") == "nodes"]
    texts = [t for g in labels for t in g.iter(_SVG + "text")] or list(root.iter(_SVG + "text"))
    sizes = [float(t.get("font-size", "0")) for t in texts if t.get("font-size")]
    if sizes:
        body = slide_text(width, height, statistics.mode(sizes))
        if body < MIN_TEXT:
            yield PictureFinding(
                "BP133", f"its text would be {body:.1f} px on a 1920x1080 slide; {MIN_TEXT:g} px is the least"
            )
    if width / height > MAX_RATIO:
        yield PictureFinding(
            "BP134", f"it is {width / height:.1f} times as wide as it is tall; {MAX_RATIO:g}:1 at most"
        )


def _box(rect: ET.Element) -> Box:
    return Box(*(float(rect.get(k, "0")) for k in ("x", "y", "width", "height")))


def _frame(group: ET.Element) -> Box | None:
    """A group frame's rectangle, from its crisp fill path (``Mx yhWvHh-WZ``)."""
    for path in group.iter(_SVG + "path"):
        d = path.get("d", "")
        match = re.fullmatch(r"M(-?[\d.]+) (-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h-?[\d.]+Z", d)
        if match:
            x, y, w, h = (float(v) for v in match.groups())
            return Box(x, y, w, h)
    return None


def _points(group: ET.Element) -> list[tuple[float, float]]:
    """Points along an edge as drawn: its first stroke's first pass (the pen draws each line twice), Bézier
    curves sampled a few units apart."""
    for path in group.iter(_SVG + "path"):
        first = subpaths(path.get("d", ""))[:1]
        points = first[0] if first else []
        return sample_bezier(points, spacing=4.0) if len(points) >= 4 else points
    return []


def _segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _distance(p: tuple[float, float], line: Sequence[tuple[float, float]]) -> float:
    if len(line) < 2:
        return math.inf
    return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(line))


def _badge(rect: ET.Element) -> tuple[float, float, float] | None:
    """A label's badge (centre and radius), from the ``data-badge`` the pen writes; None for a label with none."""
    values = (rect.get("data-badge") or "").split()
    return (float(values[0]), float(values[1]), float(values[2])) if len(values) == 3 else None


def _labels(
    labels: Sequence[tuple[str, Box, tuple[float, float, float] | None]],
    paths: dict[str, list[tuple[float, float]]],
    leaders: set[str],
) -> Iterator[PictureFinding]:
    for edge, box, badge in labels:
        own = paths.get(edge)
        if not own or edge in leaders:
            continue
        if badge is None:  # a label with no number: its nearest side
            near = min(_box_distance(box, a, b) for a, b in itertools.pairwise(own)) if len(own) > 1 else math.inf
            if near > GLUE:
                yield PictureFinding(
                    "BP130", f"the label of '{edge}' sits {near:.0f} px from its edge; {GLUE:g} at most"
                )
            continue
        x, y, r = badge
        centre = _distance((x, y), own)
        if centre - r > GLUE:
            yield PictureFinding(
                "BP130", f"the badge of '{edge}' sits {centre - r:.0f} px from its edge; {GLUE:g} at most"
            )
            continue
        closer = [other for other, line in paths.items() if other != edge and _distance((x, y), line) < centre - 4.0]
        if closer:
            yield PictureFinding("BP131", f"the label of '{edge}' is nearer the edge '{closer[0]}' than its own")


def _box_distance(box: Box, a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance from a box to a line segment (0 when they meet), from the segment's points and the corners."""
    corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
    inside = any(box.x <= x <= box.right and box.y <= y <= box.bottom for x, y in (a, b))
    if inside:
        return 0.0
    ends = [math.hypot(max(box.x - x, 0.0, x - box.right), max(box.y - y, 0.0, y - box.bottom)) for x, y in (a, b)]
    return min(*ends, *(_segment_distance(c, a, b) for c in corners))


def _overlaps(labels: Sequence[tuple[str, Box]], nodes: Sequence[tuple[str, Box]]) -> Iterator[PictureFinding]:
    for i, (edge, box) in enumerate(labels):
        for other, second in labels[i + 1 :]:
            if box.overlaps(second, margin=1.0):
                yield PictureFinding("BP132", f"the labels of '{edge}' and '{other}' overlap")
        for node, drawn in nodes:
            if box.overlaps(drawn, margin=1.0):
                yield PictureFinding("BP132", f"the label of '{edge}' lies on the component '{node[5:]}'")


def _frames(labels: Sequence[tuple[str, Box]], frames: Sequence[tuple[str, Box]]) -> Iterator[PictureFinding]:
    for edge, box in labels:
        for name, frame in frames:
            inside, outside = frame.contains(box), not frame.overlaps(box, margin=0.0)
            if not inside and not outside:
                yield PictureFinding("BP135", f"the label of '{edge}' lies on the frame of the group '{name}'")
    for i, (name, a) in enumerate(frames):
        for other, b in frames[i + 1 :]:
            if a.contains(b) or b.contains(a):
                continue
            gap = math.hypot(max(a.x - b.right, 0.0, b.x - a.right), max(a.y - b.bottom, 0.0, b.y - a.bottom))
            if gap < FRAME_GAP:
                touch = "overlap" if a.overlaps(b, margin=0.0) else f"are {gap:.0f} px apart"
                yield PictureFinding(
                    "BP136", f"the frames of the groups '{name}' and '{other}' {touch}; {FRAME_GAP:g} px at least"
                )
