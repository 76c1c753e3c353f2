"""Practice pages: planned by the output policy, computed from the model, answers kept apart, tunable."""

from __future__ import annotations

from pathlib import Path

from generator.analysis.drills import flawed, knock_out, scaled_report
from generator.analysis.reliability import analyse
from generator.build.pipeline import load_prepared
from generator.frontend.model import Design
from generator.plan.prepare import prepare
from generator.plan.views import PracticeView
from generator.writeup.pages import design_markdown, practice_markdown

ROOT = Path(__file__).resolve().parent.parent


def _design(**extra: object) -> Design:
    return Design.model_validate(
        {
            "id": "shop",
            "title": "Shop",
            "components": [
                {"id": "client", "kind": "client"},
                {"id": "app", "kind": "service", "replicas": 2},
                {"id": "cache", "kind": "cache", "expiry": "TTL 1h"},
                {"id": "db", "kind": "sql", "standby": True},
            ],
            "flows": [{"id": "read", "steps": ["client -> app: GET", "app -> cache: get", "app -> db: SELECT"]}],
            **extra,
        }
    )


def test_the_practice_page_and_picture_are_planned_outputs() -> None:
    record, errors = prepare(_design(), None)
    assert record is not None and not errors
    assert record.practice_files == ["shop/practice.md", "shop/practice-overview.svg", "shop/practice-overview.png"]
    assert not any(isinstance(v, PracticeView) for v in record.views)  # not a picture of the write-up
    view = record.practice
    assert view is not None
    assert [n.label for n in view.diagram.nodes] == ["#1", "#2", "#3", "#4"]
    assert all(label.text == "" for e in view.diagram.edges for label in e.labels)
    assert "app" not in view.description


def test_a_flow_named_like_the_practice_picture_collides() -> None:
    design = _design(
        flows=[{"id": "practice-overview", "steps": ["client -> app"]}, {"id": "b", "steps": ["app -> db"]}]
    )
    record, errors = prepare(design, None)
    assert record is None and "the practice picture" in str(errors[0])


def test_practice_can_be_switched_off_and_its_references_are_checked() -> None:
    record, _ = prepare(_design(practice={"enabled": False}), None)
    assert record is not None and record.practice_files == [] and record.practice is None
    assert "practice" not in design_markdown(record, source="d.yaml").lower()
    record, errors = prepare(_design(practice={"kill": ["dbb"], "order": "write"}), None)
    assert record is None
    assert [str(e).split(": error: ", 1)[1] for e in errors] == [
        "practice.order names 'write', which is not a flow (its flows are read)",
        "practice.kill names 'dbb', which is not a component (its components are client, app, cache, db)",
    ]


def test_answers_come_after_every_question_and_are_computed() -> None:
    record = load_prepared(ROOT / "designs" / "url-shortener.yaml")
    page = practice_markdown(record)
    questions, answers = page.split("\n## Answers\n")
    assert "## 1. Redraw it" in questions and "practice-overview.svg" in questions
    assert "url cache" not in questions.split("## 2.")[0]  # the redraw names no component
    assert "| 200 GB | 10B reads/day × 100 B × 20% (80/20 rule) | 20 GB |" in answers  # the cache at 10x
    assert "| shortest key length | 8 characters |" in answers
    assert "Shorten a URL (write path)* breaks" in answers
    assert "**High availability promised on a single database** (error)" in answers
    assert "[exercises with answers](practice.md)" in design_markdown(record, source="d.yaml")
    assert page == practice_markdown(load_prepared(ROOT / "designs" / "url-shortener.yaml"))


def test_the_drills_use_the_engines() -> None:
    design = load_prepared(ROOT / "designs" / "url-shortener.yaml").design
    scaled = scaled_report(design.estimates, 10)
    assert scaled is not None and scaled[0].row("storage").pretty == "365 TB"
    knocked = knock_out(design, "kgs", analyse(design))
    assert [(e.flow_id, e.outcome, e.after) for e in knocked.effects] == [("write", "breaks", "0%")]
    assert knocked.fix.startswith("with a standby: 'write' ")
    variant = flawed(design, ["expiry"])
    assert variant is not None and [f.code for f in variant.findings] == ["BP118"]
    assert variant.design.component("cache").expiry == ""


def test_every_course_design_gets_a_practice_page() -> None:
    for path in sorted((ROOT / "designs").glob("*.yaml")):
        page = practice_markdown(load_prepared(path))
        assert page.startswith("# Practice: ") and "\n## Answers\n" in page, path.name
