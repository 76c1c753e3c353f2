"""Practice pages: planned by the output policy, computed from the model, answers kept apart, tunable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.analysis.drills import flawed, knock_out, scaled_report
from generator.analysis.reliability import analyse
from generator.build import pipeline
from generator.build.pipeline import load_prepared, render_design
from generator.frontend.model import Design
from generator.layout.anatomy import NUMBER_BADGE, NUMBER_DIGITS
from generator.layout.graphviz import run_dot
from generator.layout.scene import Scene
from generator.layout.slide import Fit
from generator.plan.prepare import prepare
from generator.plan.views import PracticeView
from generator.render.themes import get_theme
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


def _badges(svg: str) -> list[tuple[float, float]]:
    """Each step badge's radius and the size of the number in it (one-character numbers)."""
    circles = re.findall(r'<circle class="badge[^"]*" cx="[^"]+" cy="[^"]+" r="([\d.]+)"', svg)
    digits = re.findall(r'<text [^>]*font-size="([\d.]+)"[^>]*font-weight="bold"[^>]*>\w</text>', svg)
    assert circles and len(circles) == len(digits), "a number in every badge"
    return [(float(r), float(size)) for r, size in zip(circles, digits, strict=True)]


def test_numbers_standing_alone_are_drawn_larger_than_beside_words() -> None:
    """In the practice picture (and a dense overview with step numbers only) the numbers are the picture's text."""
    built = render_design(load_prepared(ROOT / "designs" / "url-shortener.yaml"), source="d.yaml", rasterize=False)
    worded = set(_badges(built.files["url-shortener/overview.svg"].decode()))
    alone = set(_badges(built.files["url-shortener/practice-overview.svg"].decode()))
    assert len(alone) == 1, "every number alone drawn the same size"
    (r_alone, size_alone) = alone.pop()
    assert [size for _, size in worded] == pytest.approx([size_alone / NUMBER_DIGITS] * len(worded), abs=0.01)
    # Beside words a badge is at most its full size (less where Graphviz left a line less room).
    assert r_alone == pytest.approx(max(r for r, _ in worded) * NUMBER_BADGE, abs=0.01)
    assert size_alone > max(size for _, size in worded) + 1


def test_the_practice_picture_keeps_the_overviews_shape_unless_its_own_reads_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = load_prepared(ROOT / "designs" / "url-shortener.yaml")
    calls: list[Fit | None] = []
    real = pipeline.fit_view

    def scored(view: object, pen: object, *, dot: object = None, fit: Fit | None = None) -> object:
        calls.append(fit)
        return real(view, pen, fit=fit)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "fit_view", scored)
    pen = get_theme("whiteboard")
    family = Fit(turn=True)
    reading = {True: 3, False: 2}
    for family_reads, own_met, expect_own in [(True, 3, False), (False, 3, True), (False, 2, False), (False, 1, False)]:
        calls.clear()

        def score(scene: Scene, family_reads: bool = family_reads, own_met: int = own_met) -> tuple[int, bool, float]:
            ours = scene.fit == family
            met = reading[family_reads] if ours else own_met
            return (met, met == 3, 20.0)

        monkeypatch.setattr(pipeline, "slide_score", score)
        monkeypatch.setattr(pipeline, "reads_on_slide", lambda scene, s=score: s(scene)[0] == 3)
        scene = pipeline._practice_scene(record, pen, family, run_dot)
        assert calls[0] == family
        assert (scene.fit != family) == expect_own, (family_reads, own_met)
        assert len(calls) == (1 if family_reads else 2), "its own drawing is tried only when the family's fails"
