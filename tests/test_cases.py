"""Golden cases, as d2 pins its sketch renderer: each probe design (``generator/build/probes/*.yaml``) and, in
``tests/cases/<probe>/``, its expected model JSON, DOT, view IR, write-up and every view's SVG.

The SVGs are laid out from the Graphviz output recorded beside each probe (``*.layout.json``), so they do not
depend on the local Graphviz and any change to the pen shows in review as a change to a ``*.exp.svg``. The same
renders make the render fingerprint (:mod:`generator.build.fingerprint`).

Set BLUEPRINT_ACCEPT=1 to accept new goldens and record new layouts with the local ``dot`` (``make accept``); a
mismatch leaves ``*.got.*`` beside the golden.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from generator.build.fingerprint import PROBES, Recording, probe_layouts
from generator.build.pipeline import load_prepared, render_design, render_writeup
from generator.layout.architecture import dot_source
from generator.layout.graphviz import run_dot
from generator.layout.sequence import layout_sequence
from generator.layout.text import Ruler
from generator.plan.planner import Planner
from generator.plan.prepare import Prepared
from generator.plan.views import DiagramView, SequenceView
from generator.render.themes import get_theme

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.stem for p in PROBES.glob("*.yaml"))
ACCEPT = os.environ.get("BLUEPRINT_ACCEPT") == "1"


def _views(record: Prepared) -> str:
    """Every view's content before layout (IR), and each sequence view's geometry: no Graphviz involved."""
    out = []
    for view in record.views:
        entry: dict[str, object] = {"name": view.name, "kind": view.kind, "title": view.title, "caption": view.caption}
        if isinstance(view, SequenceView):
            entry["sequence"] = asdict(layout_sequence(record.design, view.flow, ruler=get_theme("whiteboard").ruler))
        elif isinstance(view, DiagramView):
            entry["diagram"] = asdict(view.diagram)
        out.append(entry)
    return json.dumps(out, indent=1, sort_keys=True, default=str) + "\n"


def _outputs(name: str) -> dict[str, str]:
    source = f"cases/{name}/design.yaml"
    record = load_prepared(PROBES / f"{name}.yaml", shown_as=source)
    design = record.design
    out = {
        "model.json": json.dumps(design.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True) + "\n",
        "overview.dot": dot_source(Planner(design).overview, Ruler()),
        "views.json": _views(record),
        "README.md": render_writeup(record, source=source),
    }
    recording = Recording(probe_layouts(name), fallback=run_dot if ACCEPT else None)
    built = render_design(record, source=source, rasterize=False, dot=recording)
    for path, data in built.files.items():
        if path.endswith(".svg"):
            out[Path(path).stem + ".exp.svg"] = data.decode("utf-8")
    if ACCEPT and (recording.missed or not (PROBES / f"{name}.layout.json").exists()):
        (PROBES / f"{name}.layout.json").write_text(json.dumps(recording.used(), indent=0, sort_keys=True) + "\n")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    case = CASES / name
    first, second = _outputs(name), _outputs(name)
    assert first == second, "two runs differ"
    case.mkdir(exist_ok=True)
    mismatched = []
    for filename, text in first.items():
        golden = case / filename
        got = (
            case / filename.replace(".exp.", ".got.")
            if ".exp." in filename
            else case / (golden.stem + ".got" + golden.suffix)
        )
        if ACCEPT:
            golden.write_text(text, encoding="utf-8")
            got.unlink(missing_ok=True)
            continue
        if not golden.exists() or golden.read_text(encoding="utf-8") != text:
            got.write_text(text, encoding="utf-8")
            mismatched.append(filename)
        else:
            got.unlink(missing_ok=True)
    stale = sorted(p.name for p in case.glob("*.exp.svg") if p.name not in first)
    assert not stale, f"{name}: goldens of views the case no longer has: {stale}"
    assert not mismatched, f"{name}: {mismatched} differ from the goldens (see *.got.*; BLUEPRINT_ACCEPT=1 accepts)"


def test_every_case_is_a_probe() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == NAMES
