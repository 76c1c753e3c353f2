"""The output layout: one policy names every file, two views never write the same one, and a build reads each
design file once and plans each design once."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.build import survey as survey_module
from generator.build.fingerprint import render_fingerprint
from generator.build.run import run_build
from generator.plan import outputs
from generator.plan.planner import Planner
from generator.plan.prepare import read_design

ROOT = Path(__file__).resolve().parents[1]

HEAD = "title: T\ncomponents:\n  - {id: a}\n  - {id: b}\n"


def errors(text: str) -> list[str]:
    record, found = read_design(text.encode(), path="d.yaml", default_id="d")
    assert record is None, "the design should be refused"
    return [str(e) for e in found]


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        (
            "flows:\n  - {id: overview, steps: ['a -> b']}\n  - {id: g, steps: ['a -> b']}\n",
            6,
            "flow 'overview' would write overview.svg and .png, which the overview also writes",
        ),
        (
            "views: {review: true}\nflows:\n  - {id: review, steps: ['a -> b']}\n  - {id: g, steps: ['b -> a']}\n",
            7,
            "flow 'review' would write review.svg and .png, which the design-review picture also writes",
        ),
        (
            "examples: [consistent_hashing]\nflows:\n  - {id: hash-ring, steps: ['a -> b']}\n"
            "  - {id: g, steps: ['b -> a']}\n",
            7,
            "flow 'hash-ring' would write hash-ring.svg and .png, which the consistent-hashing ring also writes",
        ),
        (
            "flows:\n  - {id: read, sequence: true, steps: ['a -> b']}\n  - {id: read-sequence, steps: ['b -> a']}\n",
            6,
            "the sequence diagram of flow 'read' would write read-sequence.svg and .png, which flow"
            " 'read-sequence' also writes",
        ),
        (
            "flows:\n  - {id: Read, steps: ['a -> b']}\n  - {id: read, steps: ['b -> a']}\n",
            7,
            "flow 'read' would write read.svg and .png, which flow 'Read' also writes (the names differ only in case",
        ),
        (
            "flows:\n  - {id: chart-pick, steps: ['a -> b']}\n  - {id: g, steps: ['b -> a']}\n"
            "charts:\n  - id: pick\n    title: P\n    nodes: [x: X, y: Y]\n    edges: ['x -> y']\n",
            9,
            "chart 'pick' would write chart-pick.svg and .png, which flow 'chart-pick' also writes",
        ),
    ],
)
def test_two_views_never_write_one_file(body: str, line: int, says: str) -> None:
    found = errors(HEAD + body)
    assert len(found) == 1, found
    assert found[0].startswith(f"d.yaml:{line}:"), found
    assert says in found[0] and "(give it another id)" in found[0]


def test_a_name_that_only_looks_reserved_is_fine_when_nothing_else_claims_it() -> None:
    record, found = read_design(
        (HEAD + "flows:\n  - {id: overview, steps: ['a -> b']}\n").encode(), path="d", default_id="d"
    )
    assert record is not None and found == []
    assert [v.stem for v in record.views] == ["overview"], "one flow gets no picture of its own"


def test_every_file_a_design_writes_comes_from_the_policy() -> None:
    raw = (ROOT / "designs" / "url-shortener.yaml").read_bytes()
    record, _ = read_design(raw, path="url-shortener.yaml", default_id="url-shortener")
    assert record is not None
    assert record.files[0] == "url-shortener/README.md"
    assert record.files[1:] == [f for v in record.views for f in outputs.view_files("url-shortener", v.stem)]
    assert len(set(record.files)) == len(record.files)


@pytest.mark.dot
@pytest.mark.slow
def test_a_build_reads_each_design_once_and_plans_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    designs = tmp_path / "designs"
    designs.mkdir()
    names = ["whiteboard-skeleton", "cache-aside-read-path", "two-phase-commit"]
    for name in names:
        shutil.copy(ROOT / "designs" / f"{name}.yaml", designs)
    (designs / "course.toml").write_text('title = "T"\n[[parts]]\ntitle = "P"\nlessons = [1, 2]\n')
    planned: Counter[str] = Counter()
    reads: Counter[str] = Counter()
    real_views, real_read = Planner.views, survey_module.read_design_file

    def counting_views(self: Planner) -> Any:
        planned[self.design.id] += 1
        return real_views(self)

    def counting_read(path: Path, **kw: Any) -> Any:
        reads[path.name] += 1
        return real_read(path, **kw)

    render_fingerprint()  # the probes it renders are not the build's designs
    monkeypatch.setattr(Planner, "views", counting_views)
    monkeypatch.setattr(survey_module, "read_design_file", counting_read)
    monkeypatch.chdir(tmp_path)
    report = run_build([designs], out_dir=tmp_path / "output", theme=None, jobs=1)
    assert sorted(report.rendered) == sorted(names)
    assert planned == Counter(names), "each design planned once, for its pictures, write-up and the index"
    assert reads == Counter(f"{n}.yaml" for n in names), "each design file read once"
