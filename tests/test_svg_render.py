"""The SVG renderer on hand-built scenes: safe, self-contained, deterministic, stable per element, readable."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.layout.architecture import settle
from generator.layout.fit import SLIDE_NODES
from generator.layout.scene import Box, Scene, SceneCluster, SceneEdge, SceneNode
from generator.layout.text import text_width
from generator.plan import ir
from generator.render.fonts import _subset, fallback_fonts, sans_font
from generator.render.pen import sample_bezier
from generator.render.svg import render_svg
from generator.render.themes import THEMES, Theme, get_theme

ROOT = Path(__file__).resolve().parents[1]
SVG_NS = "{http://www.w3.org/2000/svg}"
WHITEBOARD = get_theme("whiteboard")
FS = 14.0


def _node_box(col: int, row: int, tech: bool) -> Box:
    h = 64 + 4 + (2 if tech else 1) * FS * 1.35
    return Box(40 + col * 220, 60 + row * 170, 80, round(h, 2))


def _edge(
    eid: str,
    a: Box,
    b: Box,
    hop: str,
    labels: tuple[ir.EdgeLabel, ...],
    color: int | None,
    emphasis: ir.Emphasis = "normal",
    src: str = "",
    dst: str = "",
) -> SceneEdge:
    """A straight edge from a's right side to b's left side, its label box grazing the line as Graphviz's does."""
    sx, sy = a.right, a.y + 32
    tx, ty = b.x, b.y + 32
    ex = tx - 10
    ey = ty - (ty - sy) * 10 / max(tx - sx, 1)
    pts = (
        (sx, sy),
        (sx + (ex - sx) / 3, sy + (ey - sy) / 3),
        (sx + 2 * (ex - sx) / 3, sy + 2 * (ey - sy) / 3),
        (ex, ey),
    )
    edge = ir.Edge(eid, src, dst, hop, labels, color=color, emphasis=emphasis)
    box = None
    if labels:
        w = max(text_width(f"00 {label.text}", FS) for label in labels)
        h = FS * 1.3 + 15 * (len(labels) - 1)
        left = (sx + ex) / 2 - w / 2
        under = [y for x, y in sample_bezier(pts, spacing=2) if left <= x <= left + w]
        box = Box(round(left, 2), round(min(under) + 1 - h, 2), round(w, 2), round(h, 2))
    return SceneEdge(edge, pts, (tx, ty), box)


def make_scene(*, extra: bool = False, label: str = "fetch key range", emphasis: bool = False) -> Scene:
    """client -> lb -> app (x3, in a tier inside a region) -> db => replica, app ~> queue; optionally a cache."""
    specs = [
        ("client", "client", "client", "", 1, None, 0, 1),
        ("lb", "load balancer", "load_balancer", "nginx", 2, None, 1, 1),
        ("app", "app servers", "service", "", 3, "tier", 2, 1),
        ("db", "primary", "sql", "Postgres", 1, "store", 3, 0),
        ("replica", "replica", "sql", "Postgres", 5, "store", 4, 0),
        ("queue", "click events", "stream", "Kafka", 1, None, 3, 2),
    ]
    if extra:
        specs.append(("cache", "url cache", "cache", "Redis", 2, None, 4, 2))
    nodes: list[ir.Node] = []
    boxes: dict[str, Box] = {}
    for nid, text, kind, tech, reps, group, col, row in specs:
        marks: dict[str, ir.Emphasis] = {"lb": "highlight", "queue": "faded", "replica": "removed"}
        mark: ir.Emphasis = marks.get(nid, "normal") if emphasis else "normal"
        nodes.append(ir.Node(nid, text, kind, tech=tech, replicas=reps, group=group, emphasis=mark))
        boxes[nid] = _node_box(col, row, bool(tech))
    e = ir.EdgeLabel
    edges = [
        _edge(
            "client-lb", boxes["client"], boxes["lb"], "request", (e("1", "POST /shorten", 0), e("6", "GET /abc", 1)), 0
        ),
        _edge("lb-app", boxes["lb"], boxes["app"], "request", (e("2", "route", 0),), 0),
        _edge("app-db", boxes["app"], boxes["db"], "request", (e("3", label, 0),), 0),
        _edge("db-replica", boxes["db"], boxes["replica"], "replication", (e("", "async replication"),), None),
        _edge(
            "app-queue",
            boxes["app"],
            boxes["queue"],
            "async",
            (e("7", "emit click", 1),),
            1,
            "removed" if emphasis else "normal",
        ),
        _edge("db-app", boxes["db"], boxes["app"], "response", (), 0),
        _edge("queue-db", boxes["queue"], boxes["db"], "heartbeat", (), None),
    ]
    if extra:
        edges.append(_edge("app-cache", boxes["app"], boxes["cache"], "request", (e("4", "lookup", 1),), 1))
    clusters = (
        ir.Cluster("region", "us-east-1", "region"),
        ir.Cluster("tier", "app tier", "tier", parent="region"),
        ir.Cluster("store", "postgres", "cluster", parent="region"),
    )
    diagram = ir.Diagram(
        "d",
        "URL shortener",
        "LR",
        tuple(nodes),
        clusters,
        tuple(se.edge for se in edges),
        legend=(ir.LegendEntry(0, "write path"), ir.LegendEntry(1, "read path")),
    )
    scene_clusters = (
        SceneCluster(clusters[0], Box(440, 20, 700, 560), (450, 30), 0),
        SceneCluster(clusters[1], Box(460, 200, 140, 140), (470, 210), 1),
        SceneCluster(clusters[2], Box(660, 40, 460, 140), (670, 50), 1),
    )
    return Scene(
        diagram=diagram,
        width=1160,
        height=600,
        nodes=tuple(SceneNode(n, boxes[n.id], (n.label,)) for n in nodes),
        clusters=scene_clusters,
        edges=tuple(edges),
        font_size=FS,
    )


def render(scene: Scene | None = None, theme: str = "whiteboard", **kw: str) -> str:
    return draw(
        scene or make_scene(), get_theme(theme), title=kw.get("title", "URL shortener"), description=kw.get("d", "d")
    )


def elements(svg: str, cls: str) -> dict[str, str]:
    """The body of each ``<g class=cls id=...>`` element, by id."""
    return dict(re.findall(rf'<g class="{cls}" id="([^"]+)"[^>]*>(.*?)</g>', svg, flags=re.S))


def patches(svg: str) -> dict[str, Box]:
    found = re.findall(
        r'<rect class="label" id="([^"]+)" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', svg
    )
    return {i: Box(float(x), float(y), float(w), float(h)) for i, x, y, w, h in found}


def node_boxes(svg: str) -> dict[str, Box]:
    found = re.findall(r'id="(node-[^"]+)" data-box="([^"]+)"', svg)
    return {i: Box(*map(float, box.split())) for i, box in found}


# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", THEMES)
def test_each_theme_renders_valid_deterministic_svg(name: str) -> None:
    first = render(theme=name)
    assert first == render(theme=name)
    root = ET.fromstring(first)
    assert root.tag == f"{SVG_NS}svg"
    assert get_theme(name).paper in first
    w, h = float(root.get("width", "0")), float(root.get("height", "0"))
    assert root.get("viewBox") == f"0 0 {w:g} {h:g}" and w >= 1160 and h >= 600


def test_bytes_match_across_processes() -> None:
    """No set order, hash seed or clock leaks into the SVG."""
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); from test_svg_render import render; "
        "print(hashlib.sha256(render().encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("0", "123")
    }
    assert digests == {hashlib.sha256(render().encode()).hexdigest()}


def test_adding_a_component_leaves_every_other_element_unchanged() -> None:
    before, after = render(make_scene()), render(make_scene(extra=True))
    for cls in ("node", "edge", "group"):
        old, new = elements(before, cls), elements(after, cls)
        assert old, cls
        for key, body in old.items():
            assert new[key] == body, f"{key} changed when a component was added"
    assert "node-cache" in elements(after, "node") and "node-cache" not in elements(before, "node")


def test_renaming_a_label_changes_only_that_label() -> None:
    before, after = render(make_scene()), render(make_scene(label="fetch more keys"))
    assert elements(before, "node") == elements(after, "node")
    assert elements(before, "edge") == elements(after, "edge")


def test_text_is_escaped_and_the_document_is_safe() -> None:
    nasty = "<script>alert(\"x\")</script> & 'co'"
    scene = make_scene(label=nasty)
    scene = replace(
        scene,
        nodes=tuple(
            replace(sn, node=replace(sn.node, tech=nasty), label_lines=(nasty,)) if sn.node.id == "db" else sn
            for sn in scene.nodes
        ),
    )
    svg = render(scene, title=f"T {nasty}", d=f"D {nasty}")
    root = ET.fromstring(svg)  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert nasty in texts, "the label reads back as text, not markup"
    assert "<script" not in svg and "foreignobject" not in svg.lower()
    assert "href" not in svg and "file:" not in svg and "url(/" not in svg and "url(file" not in svg
    assert str(ROOT) not in svg and "/usr/" not in svg
    assert not [e for e in root.iter() if e.tag.endswith(("image", "use", "script", "a"))]
    children = list(root)
    assert children[0].tag == f"{SVG_NS}title" and children[1].tag == f"{SVG_NS}desc"
    assert children[0].text == f"T {nasty}" and children[1].text == f"D {nasty}"


def test_coordinates_are_rounded() -> None:
    svg = render()
    for attr in re.findall(r' (?:x|y|width|height|cx|cy|r)="([^"]+)"', svg):
        for value in re.findall(r"-?\d*\.\d+", attr):
            assert len(value.partition(".")[2]) <= 2, value
    for d in re.findall(r' d="([^"]+)"', svg):  # path data in tenths: a twentieth of a pixel at 2x
        for value in re.findall(r"\.\d+", re.sub(r"[aA][^a-zA-Z]*", "", d)):
            assert len(value) <= 2, (value, d[:80])


def test_font_is_embedded_as_a_deterministic_subset() -> None:
    _subset.cache_clear()
    render(make_scene(label="other words"))
    svg = render()
    match = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", svg)
    assert match
    data = base64.b64decode(match[1])
    assert len(data) < 20_000, "a subset, not the whole font"
    font = TTFont(io.BytesIO(data))
    cmap = set(font.getBestCmap())
    shown = set("".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)).replace("&amp;", "&"))
    assert {ord(c) for c in shown} <= cmap | {ord("\n")}
    assert cmap <= {ord(c) for c in shown} | {ord(" ")}, "only the glyphs the picture shows"
    assert ord("é") not in cmap and ord("→") not in cmap, "other glyphs only when a label uses them"
    assert "fpgm" not in font and "prep" not in font, "unhinted: browsers scale the outlines themselves"
    accented = render(make_scene(label="café"))
    extra = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", accented)
    assert extra and ord("é") in TTFont(io.BytesIO(base64.b64decode(extra[1]))).getBestCmap()
    assert font["name"].getDebugName(1) == "Kalam"


def test_label_patches_overlap_neither_each_other_nor_nodes() -> None:
    for extra in (False, True):
        svg = render(make_scene(extra=extra))
        labels = list(patches(svg).items())
        nodes = node_boxes(svg)
        assert len(labels) == 6 + extra
        for i, (name, a) in enumerate(labels):
            for other, b in labels[i + 1 :]:
                assert not a.overlaps(b, margin=1.0), (name, other)
            for node, box in nodes.items():
                assert not a.overlaps(box, margin=1.0), (name, node)


def test_labels_sit_clear_of_their_own_edge() -> None:
    """Graphviz puts the label box right on the line; the renderer lifts the text off it."""
    scene = make_scene()
    svg = render(scene)
    placed = patches(svg)
    ox, oy = _origin(svg, scene)
    for index, se in enumerate(scene.edges):
        if se.label_box is None:
            continue
        path = [(x + ox, y + oy) for x, y in sample_bezier(se.points, spacing=2)]
        for i in range(len(se.edge.labels)):
            patch = placed[f"label-{index}-{i}"]
            near = min(max(patch.x - x, 0, x - patch.right) + max(patch.y - y, 0, y - patch.bottom) for x, y in path)
            assert near >= 4.0, f"edge {se.edge.id} runs {near:.1f} pt from its label"


def _origin(svg: str, scene: Scene) -> tuple[float, float]:
    """Where the renderer put the scene's origin, read from a node's box."""
    first = scene.nodes[0]
    box = node_boxes(svg)[f"node-{first.node.id}"]
    return box.x - first.box.x, box.y - first.box.y


def test_steps_get_circled_badges_in_their_flow_colour() -> None:
    svg = render()
    badges = re.findall(r'<circle class="badge" cx="[^"]+" cy="[^"]+" r="[^"]+" fill="(#[0-9a-f]+)"/>', svg)
    markers = WHITEBOARD.markers
    assert badges.count(markers[0]) == 3 and badges.count(markers[1]) == 2, "numbered steps only"
    numbers = re.findall(r'font-weight="bold">(\d+)</text>', svg)
    assert sorted(numbers) == ["1", "2", "3", "6", "7"]


def test_edge_style_follows_the_hop() -> None:
    svg = render()
    edges = elements(svg, "edge")

    def stroke(edge_id: str) -> tuple[str, str]:
        first = re.search(
            r'<path d="[^"]+" fill="none" stroke="([^"]+)"[^>]*?(?:stroke-dasharray="([^"]+)")?/>', edges[edge_id]
        )
        assert first
        return first[1], first[2] or ""

    assert stroke("edge-client-lb") == (WHITEBOARD.markers[0], "")
    assert stroke("edge-app-queue")[0] == WHITEBOARD.markers[1] and stroke("edge-app-queue")[1]
    assert stroke("edge-db-replica")[0] == WHITEBOARD.replication and stroke("edge-db-replica")[1]
    assert stroke("edge-db-app")[1], "a response is dashed"
    assert stroke("edge-queue-db") == (WHITEBOARD.ink, "1 6"), "a heartbeat is dotted, in ink"


def test_emphasis_fades_highlights_and_crosses_out() -> None:
    svg = render(make_scene(emphasis=True))
    faded = f'opacity="{WHITEBOARD.faded_opacity:g}"'
    assert re.search(rf'<g class="node" id="node-queue"[^>]*{faded}', svg)
    assert re.search(rf'<g class="node" id="node-replica"[^>]*{faded}', svg)
    assert '<g class="removed-mark" id="removed-replica">' in svg
    assert '<g class="removed-mark" id="removed-app-queue">' in svg
    assert '<rect class="highlight"' in svg and WHITEBOARD.highlight in svg
    assert "removed-mark" not in render(make_scene())


def test_replicas_tech_and_legend_are_written() -> None:
    svg = render()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "×5" in texts and "×3" not in texts, "a count only above three copies"
    assert {"Postgres", "Kafka", "nginx"} <= set(texts)
    assert {"write path", "read path"} <= set(texts)
    assert texts.count("URL shortener") == 1
    no_legend = replace(make_scene(), diagram=replace(make_scene().diagram, legend=()))
    assert "write path" not in render(no_legend)


def test_groups_are_drawn_outer_first_with_their_labels() -> None:
    svg = render()
    order = re.findall(r'<g class="group" id="group-([^"]+)"', svg)
    assert order.index("region") < order.index("tier") and order.index("region") < order.index("store")
    assert {"us-east-1", "app tier", "postgres"} <= set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_missing_glyphs_are_substituted_or_drawn_by_a_named_fallback() -> None:
    svg = render(make_scene(label="cache → db, 日本"))
    stack = re.search(r'<g font-family="([^"]+)"', svg)
    assert stack and stack[1].startswith("Kalam") and "DejaVu Sans" in stack[1] and stack[1].endswith("sans-serif")
    if not any("wqy" in p.name for p in fallback_fonts()):
        pytest.skip("WenQuanYi Micro Hei is not installed (make system installs it)")
    # The arrow is written with look-alikes; the CJK run is named with the font that has it, and embedded.
    assert "<tspan font-family=\"'Kalam'\">cache -&gt; db, </tspan>" in svg
    assert "<tspan font-family=\"'WenQuanYi Micro Hei'\">日本</tspan>" in svg
    assert "@font-face{font-family:'WenQuanYi Micro Hei';src:url(data:font/woff2;base64," in svg


def test_clean_theme_is_crisp_and_embeds_its_font() -> None:
    svg = render(theme="clean")
    if sans_font() is None:
        pytest.skip("DejaVu Sans is not installed (make system installs it)")
    assert "@font-face{font-family:'DejaVu Sans';src:url(data:font/woff2;base64," in svg, "self-contained"
    rack = elements(svg, "node")["node-app"]
    curved = [d for d in re.findall(r' d="([^"]+)"', rack) if re.search("[CcSs]", d)]
    assert rack and not curved, "straight lines stay straight"


def test_pen_pass_is_fast() -> None:
    """About 15 components render well under 100 ms (target); the bound here leaves room for a busy machine."""
    scene = make_scene(extra=True)
    big = replace(
        scene,
        nodes=scene.nodes
        + tuple(
            replace(sn, node=replace(sn.node, id=f"{sn.node.id}-2"), box=replace(sn.box, y=sn.box.y + 600))
            for sn in scene.nodes
        ),
        height=1200,
    )
    render(big)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        render(big)
        timings.append(time.perf_counter() - start)
    assert len(big.nodes) == 14
    assert min(timings) < 0.25


def draw(scene: Scene, theme: Theme, **kw: str) -> str:
    """Settle a hand-made scene as the layout stage would, then draw it."""
    return render_svg(settle(scene, theme.ruler), theme, **kw)


def test_a_replica_count_moves_to_a_corner_no_line_crosses() -> None:
    from generator.layout.scene import Box
    from generator.render.svg.architecture import _mark_at

    icon = Box(100.0, 100.0, 50.0, 50.0)
    right_top = _mark_at(icon, 14.0, 12.0, 14.0, None)
    assert right_top == (152.0, 100.0 + 14.0 * 0.9), "beside the top right corner when nothing is in the way"
    crossed = Box(right_top[0] - 1, right_top[1] - 12.0 * 0.8, 16.0, 12.0)
    moved = _mark_at(icon, 14.0, 12.0, 14.0, lambda box: box.overlaps(crossed))
    assert moved == (100.0 - 14.0 - 2, right_top[1]), "a line through the top right: the top left corner"
    assert _mark_at(icon, 14.0, 12.0, 14.0, lambda box: True) == right_top, "nowhere free: where it always was"


def _grid_scene(count: int) -> Scene:
    """``count`` components of three kinds in rows of ten, no edges."""
    kinds = ("service", "sql", "cache")
    nodes = tuple(ir.Node(f"n{i}", f"component {i}", kinds[i % 3], replicas=1 + i % 2) for i in range(count))
    boxes = {n.id: _node_box(i % 10, i // 10, False) for i, n in enumerate(nodes)}
    diagram = ir.Diagram("grid", "Grid", "LR", nodes, (), ())
    scene_nodes = tuple(SceneNode(n, boxes[n.id], (n.label,)) for n in nodes)
    rows = (count + 9) // 10
    return Scene(diagram=diagram, width=2240, height=rows * 170 + 60, nodes=scene_nodes, clusters=(), edges=(),
                 font_size=FS)  # fmt: skip


def test_a_design_too_big_for_a_slide_draws_each_kind_once_and_uses_it() -> None:
    """Shared definitions: each kind (at its size, stack and ink) drawn once in ``defs``, a ``<use>`` wherever it
    stands; a picture that fits a slide draws every component in its own hand."""
    from generator.site.svg import inline_svg

    big = render(_grid_scene(SLIDE_NODES + 5))
    uses = re.findall(r'<use href="#(bp-draw-\d+)" x="[\d.-]+" y="[\d.-]+"/>', big)
    defined = re.findall(r'<g id="(bp-draw-\d+)">', big.split("</defs>")[0])
    assert len(uses) == SLIDE_NODES + 5 and len(defined) == 6, "three kinds, one or two high each"
    assert set(uses) == set(defined)
    for body in elements(big, "node").values():
        assert body.count("<use ") == 1 and "<path" not in body.split("<rect")[0], "the drawing is the use"
    small = render(_grid_scene(SLIDE_NODES))
    assert "<use " not in small and "bp-draw" not in small
    inlined = inline_svg(big, prefix="p7")
    assert 'href="#bp-draw' not in inlined and inlined.count('href="#p7-bp-draw-') == SLIDE_NODES + 5
    assert inlined.count('<g id="p7-bp-draw-') == 6
