"""``blueprint export``: one view of a design written for another diagram tool (D2 or Mermaid)."""

from __future__ import annotations

from pathlib import Path

from generator.build.pipeline import load_prepared
from generator.errors import BlueprintError
from generator.export.d2 import d2_sequence, d2_source
from generator.export.mermaid import flowchart, sequence
from generator.plan.planner import Planner
from generator.plan.prepare import Prepared
from generator.plan.views import DiagramView

__all__ = ["FORMATS", "export_view", "view_names"]

FORMATS = ("d2", "mermaid")
"""The formats ``blueprint export`` writes."""


def view_names(record: Prepared) -> list[str]:
    """The views a design can be exported as: its pictures laid out by Graphviz, and every flow's sequence."""
    names = [view.stem for view in record.views if isinstance(view, DiagramView)]
    names += [f"{flow.flow.id}-sequence" for flow in record.flows if f"{flow.flow.id}-sequence" not in names]
    return names


def export_view(path: Path, fmt: str, view: str = "overview") -> str:
    """One view of a design as D2 or Mermaid source.

    Args:
        path: The design file.
        fmt: ``d2`` or ``mermaid``.
        view: ``overview`` (or another picture's name: a flow's id, ``stage-1-...``), or ``FLOW-sequence``.

    Raises:
        DesignError: The design is invalid (located errors).
        BlueprintError: No such view, or no such format.
    """
    if fmt not in FORMATS:
        raise BlueprintError(f"no export format {fmt!r}; the formats are {', '.join(FORMATS)}")
    record = load_prepared(path)
    for candidate in record.views:
        if isinstance(candidate, DiagramView) and candidate.stem == view:
            return d2_source(candidate.diagram) if fmt == "d2" else flowchart(candidate.diagram)
    flows = {flow.flow.id: flow for flow in record.flows}
    if view.endswith("-sequence") and view.removesuffix("-sequence") in flows:
        numbered = flows[view.removesuffix("-sequence")]
        return d2_sequence(record.design, numbered) if fmt == "d2" else sequence(record.design, numbered)
    if view in flows:  # a flow without a picture of its own in the build: draw its view anyway
        diagram = Planner(record.design).flow_view(flows[view])
        return d2_source(diagram) if fmt == "d2" else flowchart(diagram)
    raise BlueprintError(f"{path}: no view {view!r} to export; the views are {', '.join(view_names(record))}")
