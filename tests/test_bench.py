"""``python -m generator.bench``: a smoke run with tiny sizes (no timing is asserted)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.bench import main, synthetic_design
from generator.build import pipeline
from generator.build import scheduler as run_module
from generator.build.pipeline import parse_design

ROOT = Path(__file__).resolve().parents[1]


def fake_render(
    design: Any, *, source: str, theme: str | None = None, course: Any = None, **_: Any
) -> pipeline.BuiltDesign:
    """A stand-in renderer with a real PNG header (the bench reads the PNG's size)."""
    record = pipeline.prepared(design)
    design = record.design
    built = pipeline.BuiltDesign(prepared=record, source=source)
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (320).to_bytes(4, "big") + (200).to_bytes(4, "big")
    built.files[f"{design.id}/overview.svg"] = b"<svg/>"
    built.files[f"{design.id}/overview.png"] = header
    built.files[f"{design.id}/README.md"] = pipeline.render_writeup(
        record, source=source, links=_.get("links")
    ).encode()
    return built


def test_the_generated_design_is_valid_and_deterministic() -> None:
    data = synthetic_design(components=30, groups=5, steps=40, flows=2)
    assert data == synthetic_design(components=30, groups=5, steps=40, flows=2)
    design, errors = parse_design(json.dumps(data).encode(), path="g.yaml", default_id="generated")
    assert errors == [] and design is not None
    assert len(design.components) == 30 and len(design.groups) == 5 and len(design.flows) == 2


@pytest.mark.dot
def test_a_tiny_bench_prints_its_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    try:
        import generator.render.png
        import generator.render.svg  # noqa: F401
    except ImportError:
        monkeypatch.setattr(run_module, "render_design", fake_render)
    designs = tmp_path / "designs"
    designs.mkdir()
    shutil.copy(ROOT / "generator" / "build" / "probes" / "minimal.yaml", designs / "minimal.yaml")
    args = ["--runs", "1", "--designs", str(designs), "--components", "4", "--groups", "1", "--steps", "3"]
    status = main([*args, "--flows", "1", "--jobs", "1"])
    out = capsys.readouterr().out
    assert status == 0, out
    rows = (
        "full build, course (1 design)",
        "no-op rebuild, course",
        "new process",
        "generated: 4 components",
        "--help",
    )
    for row in rows:
        assert row in out
    assert "generated overview.png: " in out and "ratio" in out
