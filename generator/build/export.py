"""``blueprint export``: one view of a design written for another diagram tool.

D2 and Mermaid get the plan's IR (they lay the diagram out themselves); Excalidraw and draw.io get the scene
blueprint lays out for its own pictures (Graphviz, fitted as the SVG is), drawn in the design's theme's colours.
"""

from __future__ import annotations

from pathlib import Path

from generator.build.pipeline import fit_view, load_prepared, theme_for
from generator.errors import BlueprintError
from generator.export import Palette
from generator.export.d2 import d2_sequence, d2_source
from generator.export.drawio import drawio_file
from generator.export.excalidraw import excalidraw_scene
from generator.export.mermaid import flowchart, sequence
from generator.layout.fit import layout
from generator.layout.scene import Scene
from generator.plan import ir
from generator.plan.planner import Planner
from generator.plan.prepare import Prepared
from generator.plan.views import DiagramView
from generator.render.themes import Theme, get_theme

__all__ = ["FORMATS", "LAID_OUT", "export_view", "palette_of", "view_names"]

FORMATS = ("d2", "mermaid", "excalidraw", "drawio")
"""The formats ``blueprint export`` writes."""

LAID_OUT = frozenset({"excalidraw", "drawio"})
"""The formats written from blueprint's own layout (the others are laid out by their tool)."""


def view_names(record: Prepared) -> list[str]:
    """The views a design can be exported as: its pictures laid out by Graphviz, and every flow's sequence."""
    names = [view.stem for view in record.views if isinstance(view, DiagramView)]
    names += [f"{flow.flow.id}-sequence" for flow in record.flows if f"{flow.flow.id}-sequence" not in names]
    return names


def palette_of(pen: Theme) -> Palette:
    """A theme's colours, for the exports."""
    return Palette(
        paper=pen.paper,
        ink=pen.ink,
        muted=pen.muted,
        markers=pen.markers,
        replication=pen.replication,
        families=pen.families,
        fills=pen.fills,
        groups=pen.groups,
    )


def _laid_out(fmt: str, scene: Scene, pen: Theme, *, name: str, title: str) -> str:
    if fmt == "excalidraw":
        return excalidraw_scene(scene, palette_of(pen), title=title)
    return drawio_file(scene, palette_of(pen), name=name, title=title)


def _picture(fmt: str, diagram: ir.Diagram) -> str:
    return d2_source(diagram) if fmt == "d2" else flowchart(diagram)


def export_view(path: Path, fmt: str, view: str = "overview") -> str:
    """One view of a design as D2, Mermaid, Excalidraw or draw.io.

    Args:
        path: The design file.
        fmt: One of :data:`FORMATS`.
        view: ``overview`` (or another picture's name: a flow's id, ``stage-1-...``), or ``FLOW-sequence``.

    Raises:
        DesignError: The design is invalid (located errors).
        MissingToolError: Graphviz is not installed (Excalidraw and draw.io use blueprint's layout).
        BlueprintError: No such view, or no such format, or a sequence asked of a format that has none.
    """
    if fmt not in FORMATS:
        raise BlueprintError(f"no export format {fmt!r}; the formats are {', '.join(FORMATS)}")
    record = load_prepared(path)
    pen = get_theme(theme_for(record.design, None))
    for candidate in record.views:
        if isinstance(candidate, DiagramView) and candidate.stem == view:
            if fmt in LAID_OUT:
                return _laid_out(fmt, fit_view(candidate, pen), pen, name=view, title=candidate.title)
            return _picture(fmt, candidate.diagram)
    flows = {flow.flow.id: flow for flow in record.flows}
    if view.endswith("-sequence") and view.removesuffix("-sequence") in flows:
        if fmt in LAID_OUT:
            raise BlueprintError(
                f"{path}: {fmt} exports pictures, not sequence diagrams; export {view!r} as d2 or mermaid, "
                f"or the flow's picture as --view {view.removesuffix('-sequence')}"
            )
        numbered = flows[view.removesuffix("-sequence")]
        return d2_sequence(record.design, numbered) if fmt == "d2" else sequence(record.design, numbered)
    if view in flows:  # a flow without a picture of its own in the build: draw its view anyway
        diagram = Planner(record.design).flow_view(flows[view])
        if fmt in LAID_OUT:
            return _laid_out(fmt, layout(diagram, pen.ruler), pen, name=view, title=diagram.title)
        return _picture(fmt, diagram)
    raise BlueprintError(f"{path}: no view {view!r} to export; the views are {', '.join(view_names(record))}")
