"""Design to IR: numbering, merging, stable ids, descriptions."""

from __future__ import annotations

from generator.frontend.model import Design
from generator.plan.planner import Planner, plan
from generator.plan.steps import number_steps


def design(**extra: object) -> Design:
    data = {
        "id": "d",
        "title": "D",
        "components": [{"id": i, "kind": "service"} for i in ("a", "b", "c", "d")],
        "flows": [
            {
                "id": "f1",
                "steps": [
                    "a -> b: one",
                    "b -> c: two",
                    {"from": "b", "to": "d", "parallel": True},
                    "b --> a: done",
                ],
            },
            {"id": "f2", "steps": ["a -> b: again", "c ~> d: later"]},
        ],
    }
    data.update(extra)
    return Design.model_validate(data)


def test_numbering_with_parallel_steps() -> None:
    steps = number_steps(design().flows[0].steps)
    assert [s.number for s in steps] == [1, 2, 2, 3]


def test_fragment_numbering_continues() -> None:
    d = Design.model_validate(
        {
            "id": "d",
            "title": "D",
            "components": [{"id": "a"}, {"id": "b"}],
            "flows": [
                {
                    "id": "f",
                    "steps": [
                        "a -> b: x",
                        {"opt": "on miss", "steps": ["b -> a: y", "a -> b: z"]},
                        {
                            "alt": [
                                {"when": "ok", "steps": ["b --> a: 200"]},
                                {"when": "bad", "steps": ["b --> a: 400"]},
                            ]
                        },
                    ],
                }
            ],
        }
    )
    steps = number_steps(d.flows[0].steps)
    assert [s.number for s in steps] == [1, 2, 3, 4, 5]
    assert steps[1].fragments == ("opt on miss",)
    assert steps[4].fragments == ("alt bad",)


def test_overview_merges_edges_and_replies() -> None:
    diagram = Planner(design()).overview
    ids = [e.id for e in diagram.edges]
    assert ids == ["a->b:request", "b->c:request", "b->d:request", "c->d:async"]
    ab = diagram.edges[0]
    assert [(label.number, label.text, label.color) for label in ab.labels] == [
        ("1", "one", 0),
        ("1", "again", 1),
        ("3", "← done", 0),
    ]
    assert len(diagram.legend) == 2


def test_ids_are_stable_across_runs() -> None:
    assert Planner(design()).overview == Planner(design()).overview


def test_flow_view_fades_what_is_off_the_path() -> None:
    d = design()
    view = Planner(d).flow_view(Planner(d).flows[1])
    emphasis = {n.id: n.emphasis for n in view.nodes}
    assert emphasis == {"a": "normal", "b": "normal", "c": "normal", "d": "normal"}
    other = Design.model_validate({**d.model_dump(by_alias=True), "flows": [{"id": "x", "steps": ["a -> b: only"]}]})
    view = Planner(d).flow_view(Planner(other).flows[0])
    assert {n.id: n.emphasis for n in view.nodes}["c"] == "faded"


def test_plan_has_overview_and_flows() -> None:
    assert [v.name for v in plan(design())] == ["overview", "f1", "f2"]
