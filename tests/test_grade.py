"""``blueprint grade`` on the worked practice set: each learner design's expected findings and scores."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.pipeline import load_prepared
from generator.cli import main
from generator.frontend.model import Requirements
from generator.practice.grade import grade
from generator.practice.report import render_grade

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = Path(__file__).parent / "data" / "learners"


def _grade(problem: str, name: str) -> tuple[str, dict[str, int]]:
    learner = load_prepared(LEARNERS / problem / f"{name}.yaml", shown_as=f"{name}.yaml")
    reference = load_prepared(ROOT / "designs" / f"{problem}.yaml").design
    result = grade(learner.design, reference, reference_name=problem)
    return render_grade(result, learner.source), {a.name: a.score for a in result.areas} | {"total": result.total}


@pytest.mark.parametrize("problem", ["url-shortener", "news-feed"])
def test_a_good_design_scores_full_marks(problem: str) -> None:
    text, scores = _grade(problem, "good")
    assert scores["total"] == 100, text
    assert "miss" not in text


def test_url_shortener_without_a_cache() -> None:
    text, scores = _grade("url-shortener", "no-cache")
    assert "no-cache.yaml:3:1: miss roles: no component plays the cache's part (the reference has 'url cache')" in text
    assert "no-cache.yaml:18:5: miss flows: flow 'redirect' never reaches a cache" in text
    assert scores == {
        "roles": 80, "flows": 88, "resilience": 100, "estimates": 100, "requirements": 100, "total": 94,
    }  # fmt: skip


def test_url_shortener_with_a_single_database_on_the_write_path() -> None:
    text, scores = _grade("url-shortener", "single-db")
    assert "single-db.yaml:9:5: miss resilience: 'pg' (sql) is a single point of failure" in text
    assert scores["resilience"] == 80 and scores["roles"] == 100 and scores["total"] == 96


def test_url_shortener_with_estimates_off_by_a_hundred() -> None:
    """One wrong input is one mistake: the figures worked out from it (storage_needed by hand, rightly from the
    learner's own inputs) are named under it, carried forward, not scored again."""
    text, scores = _grade("url-shortener", "estimates-off")
    assert (
        "estimates-off.yaml:40:3: miss estimates: new_urls_per_day is 1M: 100× too low; the reference has 100M" in text
    )
    assert "9 figures worked out from the inputs are off only because of it: average writes, peak writes," in text
    assert "storage_needed, bandwidth in" in text
    assert text.count("miss estimates") == 1
    assert scores["estimates"] == 75 and scores["total"] == 95


def test_a_figure_worked_out_wrong_is_a_mistake_of_its_own() -> None:
    """Carrying an error forward excuses only what follows from it: storage_needed worked out 10x too high from the
    learner's own (wrong) inputs is still a miss, with the reference's working."""
    learner = load_prepared(LEARNERS / "url-shortener" / "estimates-off.yaml").design
    reference = load_prepared(ROOT / "designs" / "url-shortener.yaml").design
    estimates = {**learner.estimates, "storage_needed": "3.65 TB"}
    result = grade(learner.model_copy(update={"estimates": estimates}), reference)
    misses = [r.message for r in result.remarks if r.area == "estimates"]
    assert misses[0].startswith("new_urls_per_day is 1M: 100× too low")
    assert misses[1:] == ["storage_needed is 3.65 TB: 10× too low; the reference has 36.5 TB"]
    assert "8 figures worked out from the inputs" in result.remarks[0].hint


def test_news_feed_learners() -> None:
    text, scores = _grade("news-feed", "no-cache")
    assert "miss roles: no component plays the cache's part" in text
    assert "miss flows: flow 'read' never reaches a cache" in text
    assert scores["total"] == 93
    text, scores = _grade("news-feed", "single-db")
    assert "single-db.yaml:13:5: miss resilience: 'postdb' (sql) is a single point of failure" in text
    assert scores["total"] == 97
    text, scores = _grade("news-feed", "estimates-off")
    assert "new_posts_per_day is 5M: 100× too low; the reference has 500M /day" in text
    assert "7 figures worked out from the inputs are off only because of it: average writes" in text
    assert "the figure for storage over retention comes to" not in text, "carried forward, not a second miss"
    assert scores["estimates"] == 90


def test_what_the_learner_added_is_reported_not_scored() -> None:
    learner = load_prepared(ROOT / "designs" / "url-shortener-at-scale.yaml").design
    reference = load_prepared(ROOT / "designs" / "url-shortener.yaml").design
    result = grade(learner, reference)
    extras = [r.message for r in result.remarks if r.extra]
    assert any("analytics" in m for m in extras)
    assert result.areas[0].score == 100


def test_the_command_line_formats_and_is_deterministic() -> None:
    runner = CliRunner()
    mine = str(LEARNERS / "url-shortener" / "no-cache.yaml")
    reference = str(ROOT / "designs" / "url-shortener.yaml")
    first = runner.invoke(main, ["grade", mine, "--against", reference, "--format", "json"])
    second = runner.invoke(main, ["grade", mine, "--against", reference, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["total"] == 94 and data["areas"][0]["area"] == "roles"
    assert data["remarks"][0]["line"] == 3
    markdown = runner.invoke(main, ["grade", mine, "--against", reference, "--format", "markdown"])
    assert "| roles | 80/100 | 4 of 5 |" in markdown.output


def test_a_course_id_as_reference_and_a_wrong_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    mine = str(LEARNERS / "url-shortener" / "good.yaml")
    result = runner.invoke(main, ["grade", mine, "--against", "url-shortener"])
    assert result.exit_code == 0 and "100/100" in result.output
    wrong = runner.invoke(main, ["grade", mine, "--against", "url-shortner"])
    assert wrong.exit_code == 1 and "did you mean 'url-shortener'" in wrong.output


def test_an_invalid_learner_design_gets_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\ncomponents:\n  - {id: a, kind: redis}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(bad), "--against", str(ROOT / "designs" / "url-shortener.yaml")])
    assert result.exit_code == 1
    assert "bad.yaml:3:" in result.output and "did you mean 'cache'" in result.output
    assert "Traceback" not in result.output


def test_grading_is_fast() -> None:
    start = time.perf_counter()
    _grade("news-feed", "good")
    assert time.perf_counter() - start < 1.0


def _stated(learner_requirements: dict[str, list[str]], problem: str) -> list[str]:
    """The reference's requirements that a learner's requirements count as stating."""
    reference = load_prepared(ROOT / "designs" / f"{problem}.yaml").design
    learner = reference.model_copy(update={"requirements": Requirements(**learner_requirements), "api": []})
    missed = " ".join(r.message for r in grade(learner, reference).remarks if r.area == "requirements")
    wanted = [*reference.requirements.functional, *reference.requirements.non_functional]
    return [text for text in wanted if f'"{text}"' not in missed]


def test_a_requirement_said_in_other_words_still_counts() -> None:
    """A learner does not copy the reference's sentences: other word forms (highly available, high availability),
    the field's plain synonyms (link, code, p99, seven) and other word order all count."""
    paraphrased = {
        "functional": [
            "Shorten a long URL into a 7-character code.",
            "Visiting the short link redirects the user to the original URL.",
            "The same long URL always gets the same short code.",
        ],
        "non_functional": [
            "Highly available: no single server failure breaks redirects.",
            "p99 redirect latency under 20 ms.",
            "Short codes are not predictable.",
        ],
    }
    assert len(_stated(paraphrased, "url-shortener")) == 6


def test_another_problems_requirements_do_not_count() -> None:
    """The words two texts share decide: a chat system's or a news feed's requirements state nothing the URL
    shortener does; at most a quality they share (high availability of the servers, a latency at the 99th
    percentile in ms) counts."""
    reference = load_prepared(ROOT / "designs" / "url-shortener.yaml").design.requirements
    for other in ("chat-system", "news-feed"):
        stated = load_prepared(ROOT / "designs" / f"{other}.yaml").design.requirements
        theirs = {"functional": list(stated.functional), "non_functional": list(stated.non_functional)}
        counted = _stated(theirs, "url-shortener")
        assert len(counted) <= 1 and not set(counted) & set(reference.functional), (other, counted)
