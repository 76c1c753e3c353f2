"""Golden cases: each folder in tests/cases holds a design and its expected model JSON, DOT and write-up.

Set BLUEPRINT_ACCEPT=1 to accept new goldens (`make accept`); a mismatch leaves `*.got.*` beside the golden.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from generator.build.pipeline import load_design, render_writeup
from generator.frontend.model import Design
from generator.layout.architecture import dot_source
from generator.layout.sequence import layout_sequence
from generator.layout.text import Ruler
from generator.plan.graph import overview
from generator.plan.views import plan
from generator.render.themes import get_theme

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "design.yaml").is_file())


def _views(design: Design) -> str:
    """Every view's content before layout (IR), and each sequence view's geometry: no Graphviz involved."""
    out = []
    for view in plan(design):
        entry: dict[str, object] = {"name": view.name, "kind": view.kind, "title": view.title, "caption": view.caption}
        if view.kind == "sequence" and view.flow is not None:
            entry["sequence"] = asdict(layout_sequence(design, view.flow, ruler=get_theme("whiteboard").ruler))
        elif view.kind == "graph":
            entry["diagram"] = asdict(view.diagram)
        out.append(entry)
    return json.dumps(out, indent=1, sort_keys=True, default=str) + "\n"


def _outputs(case: Path) -> dict[str, str]:
    design = load_design(case / "design.yaml", shown_as=f"cases/{case.name}/design.yaml")
    return {
        "model.json": json.dumps(design.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True) + "\n",
        "overview.dot": dot_source(overview(design), Ruler()),
        "views.json": _views(design),
        "README.md": render_writeup(design, source=f"cases/{case.name}/design.yaml"),
    }


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    case = CASES / name
    first, second = _outputs(case), _outputs(case)
    assert first == second, "two runs differ"
    accept = os.environ.get("BLUEPRINT_ACCEPT") == "1"
    mismatched = []
    for filename, text in first.items():
        golden = case / filename
        got = case / (golden.stem + ".got" + golden.suffix)
        if accept:
            golden.write_text(text, encoding="utf-8")
            got.unlink(missing_ok=True)
            continue
        if not golden.exists() or golden.read_text(encoding="utf-8") != text:
            got.write_text(text, encoding="utf-8")
            mismatched.append(filename)
        else:
            got.unlink(missing_ok=True)
    assert not mismatched, f"{name}: {mismatched} differ from the goldens (see *.got.*; BLUEPRINT_ACCEPT=1 accepts)"
