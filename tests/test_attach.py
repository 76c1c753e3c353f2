"""Edge ends move from Graphviz's node box onto the drawing, or clear of the label: no arrow stops in the air."""

from __future__ import annotations

import math
import re

import pytest

from generator.layout.anatomy import component_boxes, icon_box, label_block, title_box
from generator.layout.architecture import settle
from generator.layout.scene import Box, Point, Scene, SceneCluster, SceneEdge, SceneNode
from generator.layout.settle import ATTACH_GAP, attach_to_drawings, clear_titles
from generator.layout.text import text_width
from generator.plan import ir
from generator.render.svg import render_svg
from generator.render.svg.document import PAD
from generator.render.themes import Theme, get_theme

FS = 14.0


def measure(text: str, size: float) -> float:
    return text_width(text, size)


def scene_with(end: Point, *, back: Point, tail_at: Point = (130.0, 30.0)) -> Scene:
    """A wide-labelled database and one edge from a client ending at ``end`` (the spline reaches ``back`` first)."""
    db = ir.Node("db", "a very long database label", "sql", tech="Postgres")
    client = ir.Node("client", "client", "client")
    db_box = Box(315, 300, 170, 110)  # much wider than the 64 pt drawing, because of the label
    edge = ir.Edge("e", "client", "db", "request")
    mid = ((tail_at[0] + back[0]) / 2, (tail_at[1] + back[1]) / 2)
    points = (tail_at, mid, mid, back)
    diagram = ir.Diagram("d", "T", "TB", (client, db), (), (edge,))
    return Scene(
        diagram=diagram,
        width=600,
        height=500,
        nodes=(
            SceneNode(client, Box(10, 10, 120, 80), ("client",)),
            SceneNode(db, db_box, ("a very long database label",)),
        ),
        clusters=(),
        edges=(SceneEdge(edge, points, end, None),),
        font_size=FS,
    )


def distance_to_box(p: Point, box: Box) -> float:
    dx = max(box.x - p[0], 0.0, p[0] - box.right)
    dy = max(box.y - p[1], 0.0, p[1] - box.bottom)
    return math.hypot(dx, dy)


def tip_and_node(scene: Scene) -> tuple[Point, SceneNode]:
    moved = attach_to_drawings(scene, measure)
    edge = moved.edges[0]
    assert edge.arrow_tip is not None
    return edge.arrow_tip, next(n for n in moved.nodes if n.node.id == "db")


@pytest.mark.parametrize(
    ("end", "back"),
    [
        ((320.0, 300.0), (313.0, 292.0)),  # the box's top-left corner, far left of the drawing
        ((315.0, 330.0), (305.0, 330.0)),  # the box's left side, level with the drawing
        ((480.0, 300.0), (488.0, 292.0)),  # the top-right corner
    ],
)
def test_an_end_level_with_the_drawing_moves_onto_it(end: Point, back: Point) -> None:
    scene = scene_with(end, back=back)
    before = distance_to_box(end, icon_box(scene.nodes[1], FS))
    tip, node = tip_and_node(scene)
    icon = icon_box(node, FS)
    assert before > 3 * ATTACH_GAP, "the test starts in the air"
    assert distance_to_box(tip, icon) == pytest.approx(ATTACH_GAP, abs=0.05)


def test_the_spline_and_the_arrow_move_together() -> None:
    scene = scene_with((320.0, 300.0), back=(313.0, 292.0))
    moved = attach_to_drawings(scene, measure).edges[0]
    original = scene.edges[0]
    assert moved.arrow_tip is not None and original.arrow_tip is not None
    shift = (moved.arrow_tip[0] - original.arrow_tip[0], moved.arrow_tip[1] - original.arrow_tip[1])
    for before, after in zip(original.points[-2:], moved.points[-2:], strict=True):
        assert after == pytest.approx((before[0] + shift[0], before[1] + shift[1]), abs=0.02)
    assert moved.points[:2] != original.points[:2], "the tail left the client's box too"
    assert moved.points[0] != original.points[0]


def test_an_end_beside_the_label_is_pushed_clear_of_its_text() -> None:
    scene = scene_with((315.0, 385.0), back=(305.0, 385.0))  # the left side, level with the label
    label = label_block(scene.nodes[1], FS, measure)
    assert label is not None and label.x < 325, "the label is nearly as wide as the box"
    tip, _ = tip_and_node(scene)
    assert tip[1] == 385.0, "it stays by the label"
    assert tip[0] <= label.x - ATTACH_GAP + 0.01


def test_an_end_under_the_label_clear_of_it_stays() -> None:
    scene = scene_with((400.0, 410.0), back=(400.0, 420.0))
    tip, _ = tip_and_node(scene)
    assert tip == (400.0, 410.0)


def test_an_end_already_at_the_drawing_stays() -> None:
    scene = scene_with((400.0, 300.0), back=(400.0, 290.0))  # the top side, right above the drawing
    tip, _ = tip_and_node(scene)
    assert tip == (400.0, 300.0)


def test_the_renderer_draws_the_moved_ends_and_moving_twice_changes_nothing() -> None:
    scene = scene_with((320.0, 300.0), back=(313.0, 292.0))
    once = attach_to_drawings(scene, measure)
    assert attach_to_drawings(once, measure) == once
    theme = get_theme("clean")
    drawn = draw(scene, theme, title="", description="")
    assert drawn == draw(once, theme, title="", description="")


def draw(scene: Scene, theme: Theme, **kw: str) -> str:
    """Settle a hand-made scene as the layout stage would, then draw it."""
    return render_svg(settle(scene, theme.ruler), theme, **kw)


def framed_scene(x: float, *, width: float = 300.0) -> Scene:
    """A group 'web tier' framed at (100, 100), with a vertical edge from above down into it at ``x``."""
    web = ir.Node("web", "web", "service", group="g")
    client = ir.Node("client", "client", "client")
    edge = ir.Edge("e", "client", "web", "request")
    diagram = ir.Diagram("d", "T", "TB", (client, web), (ir.Cluster("g", "web tier", "tier"),), (edge,))
    frame = Box(100, 100, width, 200)
    return Scene(
        diagram=diagram,
        width=600,
        height=500,
        nodes=(SceneNode(client, Box(x - 40, 0, 80, 60), ("client",)), SceneNode(web, Box(220, 200, 80, 87), ("web",))),
        clusters=(SceneCluster(diagram.clusters[0], frame, (108.0, 114.0), 0),),
        edges=(SceneEdge(edge, ((x, 60.0), (x, 100.0), (x, 150.0), (x, 190.0)), (x, 196.0), None),),
        font_size=FS,
    )


def test_a_group_name_with_a_line_under_it_moves_right_along_the_frame_top_clear_of_it() -> None:
    settled = clear_titles(scene := framed_scene(130.0), component_boxes(scene.nodes, FS, measure), measure)
    cluster = settled.clusters[0]
    title = title_box(cluster, FS, measure)
    assert cluster.title_shift > 0 and title.x > 130.0 + 3.0  # right of the line, with room
    assert title.right <= cluster.box.right - 6.0  # still inside the frame
    # Nothing under the corner: the name stays there.
    assert (
        clear_titles(other := framed_scene(380.0), component_boxes(other.nodes, FS, measure), measure)
        .clusters[0]
        .title_shift
        == 0.0
    )
    # A frame with no room beside the line: the name stays in the corner rather than leave the frame.
    narrow = framed_scene(130.0, width=title.w + 20.0)
    assert clear_titles(narrow, component_boxes(narrow.nodes, FS, measure), measure).clusters[0].title_shift == 0.0


def test_the_renderer_draws_a_moved_group_name_where_the_layout_put_it() -> None:
    settled = settle(framed_scene(130.0), get_theme("whiteboard").ruler)
    cluster = settled.clusters[0]
    assert cluster.title_shift > 0
    svg = render_svg(settled, get_theme("whiteboard"), title="", description="")
    patch = re.search(r'<rect class="label group-label" x="([\d.]+)"', svg)
    assert patch is not None
    title = title_box(cluster, FS, get_theme("whiteboard").ruler.drawn_width)
    assert float(patch[1]) == pytest.approx(title.x + PAD, abs=0.5)
