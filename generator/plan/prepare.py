"""One prepared record per design: its views, numbered steps, review findings, estimates and availability, worked
out once and handed to the renderer, the write-up, the index, ``check`` and ``watch``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.analysis.drills import practice_problems
from generator.analysis.estimates import EstimateReport, estimate, estimate_diagnostics
from generator.analysis.lint import Finding, lint
from generator.analysis.reliability import ReliabilityReport, analyse
from generator.errors import Diagnostic
from generator.frontend.hints import did_you_mean
from generator.frontend.load import SourceMap
from generator.frontend.model import Design
from generator.frontend.parse import parse_design
from generator.plan.outputs import PRACTICE, Claim, collisions, design_files, reserved, view_files
from generator.plan.planner import Planner
from generator.plan.steps import NumberedFlow
from generator.plan.views import PanelView, PracticeView, View

__all__ = ["Prepared", "prepare", "read_design"]

_CASE = " (the names differ only in case, which macOS and Windows file systems treat as one)"


@dataclass(frozen=True)
class Prepared:
    """A design with everything derived from it that more than one stage needs.

    Attributes:
        design: The validated design.
        source: Where each key of its file sits.
        flows: Its flows with their steps numbered.
        views: Its pictures, in write-up order, each with its file stem.
        description: The design's diagram in words.
        findings: The design review's findings.
        estimates: The back-of-the-envelope figures, or None when the design gives no estimates.
        reliability: Availability and latency per flow, or None when the design has no flows or turns it off.
        practice: The practice page's picture (the overview with numbered blanks), or None when the design has no
            practice page or asks for no picture; it is not one of ``views`` (the write-up does not show it).
    """

    design: Design
    source: SourceMap
    flows: tuple[NumberedFlow, ...]
    views: tuple[View, ...]
    description: str
    findings: tuple[Finding, ...]
    estimates: EstimateReport | None
    reliability: ReliabilityReport | None
    practice: PracticeView | None = None

    @property
    def files(self) -> list[str]:
        """Every file the write-up and its views write, relative to the output folder."""
        return design_files(self.design.id, [view.stem for view in self.views])

    @property
    def practice_files(self) -> list[str]:
        """The practice page and its picture's files, relative to the output folder (empty when it has none)."""
        if not self.design.practice.enabled:
            return []
        picture = list(view_files(self.design.id, self.practice.stem)) if self.practice is not None else []
        return [f"{self.design.id}/{PRACTICE}", *picture]


def prepare(design: Design, source: SourceMap | None) -> tuple[Prepared | None, list[Diagnostic]]:
    """Work out everything a design's outputs need, once: views, findings, estimates, availability.

    Args:
        design: The validated design.
        source: Where its keys sit in its file, to locate errors (None: every error points at the design's id).

    Returns:
        The record, or None and the located errors that stop it: two views that would write the same file, or
        estimates that cannot be used.
    """
    source = source if source is not None else SourceMap(design.id)
    report = estimate(design.estimates) if design.estimates else None
    if report is not None and report.errors:
        return None, estimate_diagnostics(report, source)
    findings = tuple(lint(design))
    planner = Planner(design, findings=findings)
    views = planner.views()
    drawn = design.practice.enabled and design.practice.redraw and design.views.overview  # no overview: no redraw
    practice = planner.practice_view() if drawn else None
    claims = planner.claims([*views, *([practice] if practice is not None else [])])
    errors = [_collision(earlier, later, source) for earlier, later in collisions(claims)]
    errors += _panel_errors(design, views, source)
    errors += [Diagnostic(source.locate(path), message, hint=hint) for path, message, hint in practice_problems(design)]
    named = [Claim(design.id, f"the design '{design.id}'", ("id",)), *claims]
    errors += [
        Diagnostic(
            source.locate(claim.path),
            f"{claim.what} would be named '{claim.stem}', a name Windows keeps for a device",
            hint="give it another id",
        )
        for claim in named
        if reserved(claim.stem)
    ]
    if errors:
        return None, errors
    reliability = analyse(design) if design.flows and design.views.availability else None
    return (
        Prepared(
            design=design,
            source=source,
            flows=planner.flows,
            views=views,
            description=planner.description,
            findings=findings,
            estimates=report,
            reliability=reliability,
            practice=practice,
        ),
        [],
    )


def _panel_errors(design: Design, views: Sequence[View], source: SourceMap) -> list[Diagnostic]:
    """A panel names only pictures the design draws (not another panel)."""
    drawn = [v.stem for v in views if not isinstance(v, PanelView)]
    errors = []
    for p, panel in enumerate(design.panels):
        for v, name in enumerate(panel.views):
            if name in panel.views[:v]:
                errors.append(
                    Diagnostic(
                        source.locate(("panels", p, "views", v)),
                        f"panel '{panel.id}' shows '{name}' twice",
                        hint="name each picture once",
                    )
                )
            elif name not in drawn:
                errors.append(
                    Diagnostic(
                        source.locate(("panels", p, "views", v)),
                        f"panel '{panel.id}' shows '{name}', which is not a picture of this design",
                        hint=did_you_mean(name, drawn) or f"its pictures are {', '.join(drawn)}",
                    )
                )
    return errors


def _collision(earlier: Claim, later: Claim, source: SourceMap) -> Diagnostic:
    """Two views claim one file: the error sits at the user's id that causes it (the later one when both are)."""
    culprit, other = (
        (later, earlier) if later.path[-1:] == ("id",) or earlier.path[-1:] != ("id",) else (earlier, later)
    )
    return Diagnostic(
        source.locate(culprit.path),
        f"{culprit.what} would write {culprit.stem}.svg and .png, which {other.what} also writes"
        + (_CASE if culprit.stem != other.stem else ""),
        hint="give it another id" if culprit.path[-1:] == ("id",) else "rename what it collides with",
    )


def read_design(raw: bytes, *, path: str, default_id: str) -> tuple[Prepared | None, list[Diagnostic]]:
    """A design file's bytes, fully checked and prepared: what every command that reads a design calls.

    Args:
        raw: The file's bytes.
        path: The path to show in messages.
        default_id: The design's id when the file gives none (the file name's slug).

    Returns:
        The prepared design, or None and every located diagnostic found.
    """
    parsed = parse_design(raw, path=path, default_id=default_id)
    if parsed.design is None or parsed.source is None:
        return None, parsed.diagnostics
    return prepare(parsed.design, parsed.source)
