"""Working examples in write-ups, the hash ring, the theme gallery and the review overlay."""

from __future__ import annotations

import re

import pytest

from generator.analysis.lint import lint
from generator.analysis.worked import EXAMPLES, Paragraph, Table, worked_example
from generator.build.pipeline import render_writeup
from generator.frontend.model import Design
from generator.plan.planner import Planner, plan
from generator.render.svg import render_ring
from generator.render.themes import get_theme
from generator.writeup.markdown import inline

BASE = {
    "id": "d",
    "title": "D",
    "components": [{"id": "c", "kind": "client"}, {"id": "app", "kind": "service"}, {"id": "db", "kind": "sql"}],
    "flows": [{"id": "f", "steps": ["c -> app: GET", "app -> db: SELECT"]}],
}


def test_consistent_hashing_quotes_the_simulation() -> None:
    text = "\n".join(_markdown(worked_example("consistent_hashing").blocks))
    modulo = float(re.search(r"\| `hash % N` \| ([\d.]+)%", text)[1])  # type: ignore[index]
    ring = float(re.search(r"\| ring, 200 virtual nodes per server \| ([\d.]+)%", text)[1])  # type: ignore[index]
    assert 75 <= modulo <= 85 and 17 <= ring <= 23


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_renders_and_is_deterministic(name: str) -> None:
    # Run twice for real (worked_example caches its result per process): the simulations are seeded.
    assert EXAMPLES[name]() == EXAMPLES[name]() == worked_example(name)
    assert all(isinstance(block, Paragraph | Table) for block in worked_example(name).blocks)
    for block in worked_example(name).blocks:
        if isinstance(block, Table):
            assert all(len(row) == len(block.header) for row in block.rows), "every row fills the table"


def test_writeup_includes_examples_and_ring() -> None:
    design = Design.model_validate({**BASE, "examples": ["consistent_hashing", "quorum"]})
    assert [v.name for v in plan(design)] == ["overview", "hash-ring"]
    text = render_writeup(design, source="d.yaml")
    assert "## Worked example: consistent hashing" in text and "(hash-ring.svg)" in text
    assert "## Worked example: quorum reads and writes" in text


def test_ring_svg_is_drawn_and_described() -> None:
    svg, description = render_ring(get_theme("whiteboard"))
    assert svg.count('class="node"') == 0 and svg.count("<circle") >= 12
    assert "first server point clockwise" in description and "<desc" in svg


def test_the_ring_worked_shows_a_fifth_server_and_counts_the_moved_keys() -> None:
    from generator.analysis.examples.hashing import ring_layout, stable_hash
    from generator.render.svg.ring import KEYS, SERVERS, VNODES

    before = ring_layout(SERVERS[:4], vnodes=VNODES, keys=KEYS)
    after = ring_layout(SERVERS, vnodes=VNODES, keys=KEYS)
    moved = [b.key for a, b in zip(before.keys, after.keys, strict=True) if a.owner != b.owner]
    assert moved and all(b.owner == "s4" for a, b in zip(before.keys, after.keys, strict=True) if a.owner != b.owner)
    modulo = [k for k in KEYS if stable_hash(k) % 4 != stable_hash(k) % 5]
    svg, description = render_ring(get_theme("whiteboard"))
    assert ", ".join(moved) + " move to s4" in description
    assert svg.count('class="moved"') == len(moved), "each moved key highlighted once, on the second ring"
    assert f"{len(moved)} of {len(KEYS)} keys move" in svg and f"{len(modulo)} of {len(KEYS)} move" in svg
    assert "⁶⁴" in svg and "³²" not in svg, "the positions are 8 bytes of MD5: 0 to 2^64 - 1"
    assert "Simulated with 100,000 keys and 200 points per server" in svg


def test_theme_gallery_views() -> None:
    design = Design.model_validate({**BASE, "views": {"themes": ["whiteboard", "blackboard", "clean"]}})
    views = [(v.name, v.theme) for v in plan(design)]
    assert views[1:] == [
        ("overview-whiteboard", "whiteboard"),
        ("overview-blackboard", "blackboard"),
        ("overview-clean", "clean"),
    ]
    text = render_writeup(design, source="d.yaml")
    assert "## The same design in every theme" in text and "(overview-clean.png)" in text


def test_review_overlay_flags_single_points_of_failure() -> None:
    design = Design.model_validate({**BASE, "views": {"review": True}})
    diagram = Planner(design, findings=lint(design)).review_view()
    flags = {n.id: n.flags for n in diagram.nodes}
    assert flags == {"c": (), "app": ("single point of failure",), "db": ("single point of failure",)}
    assert "Flagged by the design review" in diagram.description
    assert "review" in [v.name for v in plan(design)]


def _markdown(blocks: tuple[Paragraph | Table, ...]) -> list[str]:
    """The blocks as the Markdown template writes them (tables as pipe rows)."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(inline(block.spans))
        else:
            out.extend("| " + " | ".join(inline(cell) for cell in row) + " |" for row in (block.header, *block.rows))
    return out
