"""Kind drawings: one per kind, each its own, filling its square, in its family's colour, stacked for replicas."""

from __future__ import annotations

import re

import pytest

from generator.frontend.model import Kind
from generator.render.pen import Pen, seeded, subpaths
from generator.render.shapes import DRAWINGS, draw_kind, ink_for
from generator.render.themes import THEMES, get_theme

WHITEBOARD = get_theme("whiteboard")
SIZE = 64.0
X0, Y0 = 100.0, 200.0


def draw(kind: str, *, theme: str = "whiteboard", replicas: int = 1, key: str = "") -> list[str]:
    t = get_theme(theme)
    pen = Pen(seeded(key or f"node:{kind}"), roughness=t.roughness, bowing=t.bowing)
    return draw_kind(kind, X0, Y0, SIZE, pen=pen, ink=ink_for(t, kind), replicas=replicas)


def extent(parts: list[str]) -> tuple[float, float, float, float]:
    """Bounding box of every path, circle and rect drawn (arc flags and radii aside)."""
    xs: list[float] = []
    ys: list[float] = []
    for part in parts:
        for d in re.findall(r' d="([^"]+)"', part):
            points = [p for chain in subpaths(d) for p in chain]
            xs += [x for x, _ in points]
            ys += [y for _, y in points]
        for cx, cy, r in re.findall(r'cx="([^"]+)" cy="([^"]+)" r="([^"]+)"', part):
            xs += [float(cx) - float(r), float(cx) + float(r)]
            ys += [float(cy) - float(r), float(cy) + float(r)]
    return min(xs), min(ys), max(xs), max(ys)


def test_every_kind_has_its_own_drawing() -> None:
    assert set(DRAWINGS) == {k.value for k in Kind}
    shapes = {}
    for kind in Kind:
        parts = draw(kind.value, key="same seed")
        assert parts and all(p.startswith("<") and p.endswith(">") for p in parts), kind
        shapes[kind.value] = "".join(parts)
    # Different kinds drawn with the same seed differ, so a reader can tell them apart without labels
    # (sql and nosql share the cylinder but nosql carries a key and document).
    assert len(set(shapes.values())) == len(shapes)


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_drawing_nearly_fills_its_square_and_stays_inside(kind: str) -> None:
    x0, y0, x1, y1 = extent(draw(kind))
    slack = SIZE * 0.06
    assert x0 >= X0 - slack and y0 >= Y0 - slack, kind
    assert x1 <= X0 + SIZE + slack and y1 <= Y0 + SIZE + slack, kind
    assert max(x1 - x0, y1 - y0) >= SIZE * 0.75, f"{kind} leaves its square mostly empty"


@pytest.mark.parametrize("name", THEMES)
def test_families_have_distinct_colours(name: str) -> None:
    theme = get_theme(name)
    families = ["sql", "cache", "queue", "load_balancer", "worker"]
    colours = [theme.kind_color(k) for k in families]
    assert len(set(colours)) == len(colours)
    for kind in families:
        assert f'stroke="{theme.kind_color(kind)}"' in "".join(draw(kind, theme=name))
    assert theme.kind_color("sql") == theme.kind_color("nosql") == theme.kind_color("timeseries")
    assert theme.kind_color("queue") == theme.kind_color("stream")


def test_replicas_draw_a_stack_of_up_to_three_offset_copies() -> None:
    one = draw("sql")
    two = draw("sql", replicas=2)
    three = draw("sql", replicas=3)
    many = draw("sql", replicas=40)
    assert len(two) == 2 * len(one) and len(three) == 3 * len(one) == len(many)
    back = extent(three[: len(one)])  # drawn first: the copy at the back
    front = extent(three[-len(one) :])  # drawn last: the copy in front
    assert back[0] > front[0] and back[1] < front[1], "the copies step up and to the right"
    _, _, x1, y1 = extent(three)
    assert x1 <= X0 + SIZE * 1.06 and y1 <= Y0 + SIZE * 1.06, "the stack still fits the square"


def test_open_drawings_hide_the_copies_behind_them() -> None:
    stack = draw("analytics", replicas=3)
    backings = [p for p in stack if p.startswith("<rect") and WHITEBOARD.paper in p]
    assert len(backings) == 2, "each copy in front of another gets a backing"


def test_clean_theme_draws_crisp_shapes() -> None:
    for kind in ("service", "queue", "generic", "client"):
        for part in draw(kind, theme="clean"):
            for d in re.findall(r' d="([^"]+)"', part):
                assert not re.search("[CcSs]", d), f"{kind}: straight lines stay straight at roughness 0"


def test_highlight_thickens_the_pen() -> None:
    assert ink_for(WHITEBOARD, "sql", emphasis="highlight").width > ink_for(WHITEBOARD, "sql").width
