"""Views from one model: per-flow diagrams, sequence layouts, evolution stages, and their validation."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.build.pipeline import load_design, parse_design
from generator.frontend.model import Design
from generator.layout.sequence import layout_sequence
from generator.layout.text import Ruler
from generator.plan.planner import Planner, plan
from generator.plan.steps import participants
from generator.plan.views import StageView

ROOT = Path(__file__).resolve().parents[1]

BASE = {
    "id": "d",
    "title": "D",
    "components": [
        {"id": "a", "kind": "client"},
        {"id": "b"},
        {"id": "c", "kind": "sql"},
        {"id": "q", "kind": "queue"},
    ],
}


def errors_of(text: str) -> list[str]:
    design, errors = parse_design(textwrap.dedent(text).encode(), path="d.yaml", default_id="d")
    assert design is None
    return [str(e) for e in errors]


HEAD = """\
title: T
components:
  - {id: a}
  - {id: b}
  - {id: c}
"""


def test_stage_validation() -> None:
    errors = errors_of(
        HEAD
        + """\
stages:
  - id: one
    title: One
    add: [a, bb]
    remove: [c]
    change: {b: {replicas: 2}}
    steps: ["a -> c: x"]
  - id: two
    title: Two
    add: [a]
"""
    )
    text = "\n".join(errors)
    assert "stage 'one' adds 'bb', which is not a component (did you mean 'b'?)" in text
    assert "stage 'one' removes 'c', which is not on the board at that stage" in text
    assert "stage 'one' changes 'b', which is not on the board at that stage" in text
    assert "a step of stage 'one' uses 'c', which is not on the board at that stage" in text
    assert "stage 'two' adds 'a', which an earlier stage already added" in text


def test_views_name_flows() -> None:
    errors = errors_of(HEAD + "flows:\n  - {id: read, steps: ['a -> b']}\nviews:\n  flows: [raed]\n")
    assert any("views.flows names 'raed', which is not a flow (did you mean 'read'?)" in e for e in errors)


def test_branch_without_steps_is_refused() -> None:
    errors = errors_of(
        HEAD + "flows:\n  - id: f\n    steps:\n      - alt:\n          - when: ok\n            steps: []\n"
    )
    assert errors and "at least one entry" in errors[0]


def test_default_views() -> None:
    one_flow = Design.model_validate({**BASE, "flows": [{"id": "f", "steps": ["a -> b"]}]})
    assert [v.name for v in plan(one_flow)] == ["overview"]
    two = Design.model_validate({**BASE, "flows": [{"id": "f", "steps": ["a -> b"]}, {"id": "g", "steps": ["b -> c"]}]})
    assert [v.name for v in plan(two)] == ["overview", "f", "g"]
    seq = Design.model_validate({**BASE, "flows": [{"id": "f", "steps": ["a -> b"], "sequence": True}]})
    assert [(v.name, v.kind) for v in plan(seq)] == [("overview", "graph"), ("f-sequence", "sequence")]


def test_hidden_others() -> None:
    d = Design.model_validate(
        {**BASE, "views": {"flows": True, "others": "hide"}, "flows": [{"id": "f", "steps": ["a -> b"]}]}
    )
    flow_view = plan(d)[1].diagram
    assert [n.id for n in flow_view.nodes] == ["a", "b"]


def test_stages_highlight_additions_and_list_removals() -> None:
    d = Design.model_validate(
        {
            **BASE,
            "flows": [{"id": "f", "steps": ["a -> b", "b -> c"]}],
            "stages": [
                {"id": "s1", "title": "One", "add": ["a", "b"]},
                {"id": "s2", "title": "Two", "add": ["c"], "change": {"b": {"replicas": 3}}},
                {"id": "s3", "title": "Three", "add": ["q"], "remove": ["c"], "steps": ["b ~> q: enqueue"]},
            ],
        }
    )
    stages = Planner(d).stage_diagrams()
    first, second, third = (diagram for _, diagram, _ in stages)
    assert [(n.id, n.emphasis) for n in first.nodes] == [("a", "normal"), ("b", "normal")]  # all new: none stands out
    assert [e.id for e in first.edges] == ["a->b:request:f"]
    assert {n.id: (n.emphasis, n.replicas) for n in second.nodes} == {
        "a": ("normal", 1),
        "b": ("highlight", 3),
        "c": ("highlight", 1),
    }
    assert [e.id for e in second.edges] == ["a->b:request:f", "b->c:request:f"]
    assert [n.id for n in third.nodes] == ["a", "b", "q"]
    assert [e.id for e in third.edges] == ["b->q:async:s3"]
    assert stages[2][2] == "Added: q. Removed: c."


def test_a_failed_component_is_crossed_out_where_it_stood() -> None:
    d = Design.model_validate(
        {
            **BASE,
            "stages": [
                {"id": "s1", "title": "One", "add": ["a", "b", "c"], "steps": ["a -> b: x", "b -> c: y"]},
                {"id": "s2", "title": "Two", "fail": ["c"], "steps": ["a -> b: x"]},
                {"id": "s3", "title": "Three", "recover": ["c"]},
            ],
        }
    )
    stages = Planner(d).stage_diagrams()
    _, second, caption = stages[1]
    assert {n.id: n.emphasis for n in second.nodes}["c"] == "failed", "kept on the board, not removed"
    assert ("b->c:request:s1", "hidden") in [(e.id, e.emphasis) for e in second.edges], "it keeps its place"
    assert "Failed: c" in caption
    assert {n.id: n.emphasis for n in stages[2][1].nodes}["c"] != "failed"


def test_course_evolution_has_five_or_more_stages() -> None:
    design = load_design(ROOT / "generator" / "build" / "probes" / "evolution.yaml")
    assert len([v for v in plan(design) if isinstance(v, StageView)]) >= 5


def test_sequence_layout_geometry() -> None:
    design = load_design(ROOT / "generator" / "build" / "probes" / "two-phase-commit.yaml")
    flow = Planner(design).flows[0]
    scene = layout_sequence(design, flow, ruler=Ruler(handwriting=False))
    assert participants(flow) == ["client", "coordinator", "orders", "payments", "orders-db", "payments-db"]
    xs = [p.x for p in scene.participants]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    ys = [m.y for m in scene.messages]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), "one row per message, top to bottom"
    assert [m.number for m in scene.messages][:4] == ["1", "2", "2", "3"]
    kinds = sorted(f.kind for f in scene.fragments)
    assert kinds == ["alt", "par"]
    alt = next(f for f in scene.fragments if f.kind == "alt")
    assert alt.condition == "every participant voted yes"
    assert [text for _, text in alt.dividers] == ["a participant voted no or timed out"]
    for m in scene.messages:
        assert alt.box.y <= m.y <= alt.box.bottom or m.y < alt.box.y
        assert m.label_box.x >= 0 and m.label_box.right <= scene.width
    # Message labels never overlap each other.
    boxes = [m.label_box for m in scene.messages]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_flow_view_keeps_the_overview_layout_with_hidden_edges() -> None:
    d = Design.model_validate(
        {
            **BASE,
            "flows": [{"id": "f", "steps": ["a -> b: x"]}, {"id": "g", "steps": ["b -> c: y", "b ~> q: z"]}],
        }
    )
    view = plan(d)[1].diagram
    assert [(e.id, e.emphasis) for e in view.edges] == [
        ("a->b:request:f", "normal"),
        ("b->c:request:g", "hidden"),
        ("b->q:async:g", "hidden"),
    ]
    assert [e.labels[0].text for e in view.edges if e.emphasis == "normal"] == ["x"]
