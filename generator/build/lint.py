"""``blueprint lint``: review designs as an interviewer would, and report located findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.analysis.lint import RULES, Finding, KeyPath, to_diagnostic, to_json, to_sarif
from generator.analysis.units import counted
from generator.build.io import discover, display_path
from generator.build.loading import prepare_all, read_files
from generator.build.pipeline import render_design
from generator.errors import BlueprintError, Location
from generator.frontend.model import Design
from generator.plan.outputs import view_files
from generator.plan.prepare import Prepared
from generator.plan.views import ChartView, DiagramView, FlowView, PanelView, StageView, TimelineView, View
from generator.render.review import review_svg

__all__ = ["LintOutcome", "picture_findings", "run_lint"]


@dataclass(frozen=True)
class LintOutcome:
    """What to print and the exit status."""

    text: str
    exit_code: int


def run_lint(paths: Sequence[Path], *, strict: bool, fmt: str, pictures: bool = False) -> LintOutcome:
    """Lint every design found under ``paths``: the findings each design's prepared record holds, located.

    Args:
        paths: Design files or folders.
        strict: Fail (exit status 1) on warnings as well as errors.
        fmt: ``text``, ``json`` or ``sarif``.
        pictures: Also draw every view (in memory) and review how it reads on a slide (BP130-BP136).

    An invalid design is reported as ``validate`` would, and the others are still reviewed; the exit status is
    then 1.

    Raises:
        BlueprintError: No design file was found.
    """
    found, errors = discover(paths)
    if not found and not errors:
        raise BlueprintError(f"no design files (*.yaml, *.yml) in {', '.join(display_path(p) for p in paths)}")
    files, unread = read_files(found)
    errors.extend(unread)
    loaded, problems = prepare_all(files)
    errors.extend(problems)
    located = []
    for path, record in loaded:
        shown = display_path(path)
        for finding in [*record.findings, *(picture_findings(record) if pictures else ())]:
            where: Location = record.source.locate(finding.path)
            located.append((finding, shown, where.line, where.column))
    failing = {"error"} | ({"warning"} if strict else set())
    status = 1 if errors or any(f.severity in failing for f, *_ in located) else 0
    if fmt == "json":
        return LintOutcome(to_json(located), status)
    if fmt == "sarif":
        return LintOutcome(to_sarif(located, tool_version=__version__), status)
    lines = [str(e) for e in errors]
    lines += [str(to_diagnostic(f, Location(file, line, col))) for f, file, line, col in located]
    counts = {sev: sum(1 for f, *_ in located if f.severity == sev) for sev in ("error", "warning", "note")}
    invalid = len({e.location.path for e in errors})
    summary = (
        f"{counted(len(loaded), 'design')} reviewed: {counted(counts['error'], 'error')}, "
        f"{counted(counts['warning'], 'warning')}, {counted(counts['note'], 'note')}"
        + (f"; {counted(invalid, 'design')} invalid" if invalid else "")
    )
    return LintOutcome("\n".join([*lines, summary]), status)


def picture_findings(record: Prepared) -> list[Finding]:
    """Draw every view of a design in memory and review each picture (see :mod:`generator.render.review`).

    A finding is located at the flow, stage or chart the picture shows (the design's first line for the
    overview) and names the picture. ``suppress: {BP133: reason}`` on the design silences a code.

    Raises:
        MissingToolError: Graphviz is not installed.
    """
    built = render_design(record, source="", rasterize=False)
    design = record.design
    silenced = {code for code, reason in design.suppress.items() if reason.strip()}
    out: list[Finding] = []
    for view in record.views:
        svg = built.files[view_files(design.id, view.stem)[0]].decode("utf-8")
        for found in review_svg(svg, slide=isinstance(view, DiagramView | PanelView | TimelineView)):
            if found.code in silenced:
                continue
            hint = RULES[found.code].title.lower()
            out.append(Finding(found.code, "warning", _where(design, view), f"{view.stem}.svg: {found.message}", hint))
    return out


def _where(design: Design, view: View) -> KeyPath:
    """The part of a design a view draws, as a key path (empty for the whole design)."""
    if isinstance(view, FlowView):
        ids = [flow.id for flow in design.flows]
        return ("flows", ids.index(view.flow.flow.id)) if view.flow.flow.id in ids else ()
    if isinstance(view, StageView):
        return ("stages", view.number - 1)
    if isinstance(view, ChartView):
        ids = [chart.id for chart in design.charts]
        return ("charts", ids.index(view.chart.id)) if view.chart.id in ids else ()
    if isinstance(view, TimelineView):
        ids = [timeline.id for timeline in design.timelines]
        return ("timelines", ids.index(view.timeline.id)) if view.timeline.id in ids else ()
    if isinstance(view, PanelView):
        stems = [f"panel-{panel.id}" for panel in design.panels]
        return ("panels", stems.index(view.stem)) if view.stem in stems else ()
    return ()
