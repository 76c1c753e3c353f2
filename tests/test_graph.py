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
    assert [s.label for s in steps] == ["1", "2", "3", "4a", "4b"], "an alt's branches share a number, lettered"
    assert [s.optional for s in steps] == [False, True, True, False, False]
    assert steps[1].fragments == ("opt on miss",)
    assert steps[4].fragments == ("alt bad",)


def test_overview_draws_each_flow_and_each_reply_on_its_own_edge() -> None:
    diagram = Planner(design()).overview
    assert [(e.id, [(label.number, label.text, label.color) for label in e.labels]) for e in diagram.edges] == [
        ("a->b:request:f1", [("1", "one", 0)]),
        ("b->c:request:f1", [("2", "two", 0)]),
        ("b->d:request:f1", [("2", "", 0)]),
        ("b->a:response:f1", [("3", "done", 0)]),  # a reply is a dashed return edge, never "<- done"
        ("a->b:request:f2", [("1", "again", 1)]),
        ("c->d:async:f2", [("2", "later", 1)]),
    ]
    assert len(diagram.legend) == 2


def test_an_edge_carries_at_most_three_steps_per_block() -> None:
    d = Design.model_validate(
        {
            "id": "d",
            "title": "D",
            "components": [{"id": "a"}, {"id": "b"}],
            "flows": [{"id": "f", "steps": [f"a -> b: s{i}" for i in range(5)]}],
        }
    )
    edges = Planner(d).overview.edges
    assert [[label.number for label in e.labels] for e in edges] == [["1", "2", "3"], ["4", "5"]]


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
