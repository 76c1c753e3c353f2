"""Flowcharts and state machines: model, validation, layout, drawing and their place in the write-up."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.pipeline import BuiltDesign, parse_design, render_design
from generator.frontend.model import Chart, Design
from generator.layout.chart import chart_dot, layout_chart
from generator.layout.scene import Box
from generator.layout.text import text_width
from generator.plan.describe import describe_chart
from generator.plan.planner import plan
from generator.render.svg import render_chart_svg
from generator.render.themes import THEMES, get_theme

RULER = get_theme("whiteboard").ruler

DECISION: dict[str, Any] = {
    "id": "pick",
    "title": "Which database?",
    "nodes": [
        {"start": "a new data set", "shape": "start"},
        {"joins": "need joins or transactions?", "shape": "decision"},
        {"sql": "relational (PostgreSQL)"},
        {"kv": "key-value or wide-column"},
        {"done": "done", "shape": "end"},
    ],
    "edges": ["start -> joins", "joins -> sql: yes", "joins -> kv: no", "sql -> done", "kv --> done: retry"],
}
PRESENCE: dict[str, Any] = {
    "id": "presence",
    "title": "Presence",
    "kind": "state",
    "direction": "LR",
    "nodes": [
        {"start": "", "shape": "start"},
        {"on": "online", "shape": "state"},
        {"off": "offline", "shape": "state"},
    ],
    "edges": ["start -> on: connect", "on --> off: no heartbeat for 30 s", "off -> on: heartbeat"],
}


def chart(data: dict[str, Any]) -> Chart:
    return Chart.model_validate(data)


def node_boxes(svg: str) -> dict[str, Box]:
    return {i: Box(*map(float, b.split())) for i, b in re.findall(r'id="node-([^"]+)" data-box="([^"]+)"', svg)}


def label_patches(svg: str) -> list[Box]:
    found = re.findall(
        r'<rect class="label" id="[^"]+" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', svg
    )
    return [Box(*map(float, f)) for f in found]


def test_short_and_long_node_forms_and_arrows() -> None:
    c = chart(DECISION)
    assert [n.id for n in c.nodes] == ["start", "joins", "sql", "kv", "done"]
    assert c.nodes[1].shape == "decision" and c.nodes[2].shape == "action"
    assert c.nodes[0].title == "a new data set"
    assert [(e.from_, e.to, e.label) for e in c.edges][:2] == [("start", "joins", ""), ("joins", "sql", "yes")]
    assert c.edges[-1].hop.value == "response", "--> is the unhappy path"


def test_the_dot_uses_each_shape_and_plain_text_labels() -> None:
    data = dict(DECISION, nodes=[*DECISION["nodes"][:4], {"done": 'a "quoted" <b>label</b> \\N', "shape": "end"}])
    source = chart_dot(chart(data), RULER)
    assert 'joins [label="need joins or\\ntransactions?"' in source and "shape=diamond" in source
    assert "<b>label</b>" in source and "\\\\N" in source, "never an HTML label, backslashes doubled"
    assert 'id="pick-e0"' in source and "image=" not in source and "/usr/" not in source


@pytest.mark.dot
def test_layout_sizes_each_shape_to_hold_its_text() -> None:
    scene = layout_chart(chart(DECISION), RULER)
    boxes = {n.id: n for n in scene.nodes}
    assert len(scene.edges) == 5
    for node in scene.nodes:
        widest = max(text_width(line, 14) for line in node.lines)
        assert node.box.w > widest, node.id
    decision = boxes["joins"].box
    assert decision.w > boxes["sql"].box.w, "a diamond needs more room than a box for the same text"
    assert scene.edges[1].label_box is not None and scene.edges[0].label_box is None
    tops = [boxes[i].box.y for i in ("start", "joins", "sql", "done")]
    assert tops == sorted(tops), "top to bottom"


@pytest.mark.dot
@pytest.mark.parametrize("theme", THEMES)
def test_a_chart_draws_every_node_with_its_text_inside_and_labels_clear(theme: str) -> None:
    c = chart(DECISION)
    svg = render_chart_svg(layout_chart(c, RULER), get_theme(theme), title=c.title, description=describe_chart(c))
    assert svg == render_chart_svg(
        layout_chart(c, RULER), get_theme(theme), title=c.title, description=describe_chart(c)
    )
    ET.fromstring(svg)
    nodes = node_boxes(svg)
    assert set(nodes) == {"start", "joins", "sql", "kv", "done"}
    assert 'class="node chart-decision"' in svg and 'class="node chart-start"' in svg
    for ident, box in nodes.items():
        body = svg.split(f'id="node-{ident}"', 1)[1].split("</g>", 1)[0]
        for x, y in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"', body):
            assert box.x < float(x) < box.right and box.y < float(y) < box.bottom, (ident, x, y)
    for patch in label_patches(svg):
        for ident, box in nodes.items():
            assert not patch.overlaps(box, margin=1.0), ident
    assert svg.count("stroke-dasharray") >= 1, "the retry arrow is dashed"


@pytest.mark.dot
def test_a_state_machine_draws_its_start_as_a_dot_without_text() -> None:
    c = chart(PRESENCE)
    scene = layout_chart(c, RULER)
    start = next(n for n in scene.nodes if n.id == "start")
    assert start.pseudo and start.lines == () and start.box.w < 25
    svg = render_chart_svg(scene, get_theme("whiteboard"), title=c.title, description=describe_chart(c))
    body = svg.split('id="node-start"', 1)[1].split("</g>", 1)[0]
    assert "<circle" in body and "<text" not in body
    assert scene.nodes[1].box.x > start.box.x, "left to right"


def test_the_description_reads_the_chart_in_words() -> None:
    assert describe_chart(chart(PRESENCE)) == (
        "State machine: Presence. the start leads to online (connect). online leads to offline "
        "(no heartbeat for 30 s). offline leads to online (heartbeat)."
    )


def design_with_charts() -> Design:
    return Design.model_validate(
        {
            "id": "d",
            "title": "D",
            "components": [{"id": "a"}, {"id": "b"}],
            "flows": [{"id": "f", "steps": ["a -> b"]}],
            "charts": [DECISION, PRESENCE],
        }
    )


def test_each_chart_is_a_view_and_a_section_of_the_write_up() -> None:
    design = design_with_charts()
    views = [v for v in plan(design) if v.kind == "chart"]
    assert [v.name for v in views] == ["chart-pick", "chart-presence"]
    assert views[0].description.startswith("Flowchart: Which database?")


@pytest.mark.dot
def test_a_design_renders_its_charts_and_the_write_up_shows_them() -> None:
    built: BuiltDesign = render_design(design_with_charts(), source="designs/d.yaml")
    assert {"d/chart-pick.svg", "d/chart-pick.png", "d/chart-presence.svg"} <= set(built.files)
    readme = built.files["d/README.md"].decode()
    assert "## Which database?" in readme and "](chart-pick.svg)" in readme
    assert "![Flowchart: Which database? a new data set leads to" in readme


def errors(text: str) -> list[str]:
    design, found = parse_design(textwrap.dedent(text).encode(), path="c.yaml", default_id="c")
    assert design is None
    return [f"{e.location.line}:{e.location.column}: {e.message} ({e.hint})" for e in found]


def test_arrows_to_unknown_nodes_and_repeated_nodes_are_located() -> None:
    found = errors(
        """\
        title: T
        components: [{id: a}]
        charts:
          - id: pick
            title: Pick
            nodes:
              - {start: go, shape: start}
              - {joins: need joins?, shape: decision}
              - {start: again}
            edges:
              - start -> join: yes
        """
    )
    assert found == [
        "9:9: chart 'pick' declares node 'start' twice (first at line 7) (give each node of a chart its own id)",
        "11:9: an arrow of chart 'pick' goes to 'join', which is not one of its nodes (did you mean 'joins'?)",
    ]


NASTY = st.text(alphabet=st.sampled_from(list("ab <>&\"'\\{}#:,é数→\n")), max_size=30)


@pytest.mark.dot
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(NASTY, st.sampled_from(["start", "end", "action", "decision", "state", "io"])), min_size=2, max_size=6
    ),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), NASTY, st.booleans()), min_size=1, max_size=8),
    st.sampled_from(["flowchart", "state"]),
    st.sampled_from(["TB", "LR"]),
)
def test_any_chart_lays_out_and_draws_valid_escaped_svg(
    nodes: list[tuple[str, str]], edges: list[tuple[int, int, str, bool]], kind: str, direction: str
) -> None:
    data = {
        "id": "c",
        "title": "C <&>",
        "kind": kind,
        "direction": direction,
        "nodes": [{"id": f"n{i}", "label": label, "shape": shape} for i, (label, shape) in enumerate(nodes)],
        "edges": [
            {
                "from": f"n{a % len(nodes)}",
                "to": f"n{b % len(nodes)}",
                "label": text,
                "hop": "async" if dashed else "request",
            }
            for a, b, text, dashed in edges
        ],
    }
    c = chart(data)
    svg = render_chart_svg(
        layout_chart(c, RULER), get_theme("whiteboard"), title=c.title, description=describe_chart(c)
    )
    root = ET.fromstring(svg)  # well-formed: every label escaped
    assert root.find(".//{http://www.w3.org/2000/svg}script") is None
    assert set(node_boxes(svg)) == {f"n{i}" for i in range(len(nodes))}
