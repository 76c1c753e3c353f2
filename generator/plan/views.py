"""The typed views of a design: each picture it gets, what it shows, and the file stem the output policy gave it.

A renderer picks its drawing by the view's type, the write-up places each picture by its type, and nothing
matches views by strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from generator.frontend.model import Chart, Stage, Timeline
from generator.plan import ir
from generator.plan.steps import NumberedFlow

__all__ = [
    "ChartView",
    "DiagramView",
    "FlowView",
    "OverviewView",
    "PanelView",
    "PracticeView",
    "ReviewView",
    "RingView",
    "SequenceView",
    "StageView",
    "ThemeView",
    "TimelineView",
    "View",
]


@dataclass(frozen=True, kw_only=True)
class View:
    """One picture of a design.

    Attributes:
        stem: The file stem, from :mod:`generator.plan.outputs` (the view writes ``<stem>.svg`` and ``.png``).
        title: Drawn at the top, and the SVG's ``<title>``.
        description: The picture in words: the SVG's ``<desc>`` and the write-up's alt text.
        caption: A line under the picture in the write-up, if any.
        theme: The theme it is always drawn in (the theme gallery), else None for the design's theme.
    """

    kind: ClassVar[str] = "view"
    """How the view is drawn: ``graph`` (an architecture diagram), ``sequence``, ``chart`` or ``ring``."""

    stem: str
    title: str
    description: str
    caption: str = ""
    theme: str | None = None

    @property
    def name(self) -> str:
        """The file stem (an alias kept for templates and messages)."""
        return self.stem


@dataclass(frozen=True, kw_only=True)
class DiagramView(View):
    """A view laid out by Graphviz as an architecture diagram: boxes, groups and numbered edges."""

    kind: ClassVar[str] = "graph"

    diagram: ir.Diagram


@dataclass(frozen=True, kw_only=True)
class OverviewView(DiagramView):
    """Every component, group and flow of the design."""


@dataclass(frozen=True, kw_only=True)
class FlowView(DiagramView):
    """One flow's path in its colour, the rest faded or hidden, on the overview's layout."""

    flow: NumberedFlow


@dataclass(frozen=True, kw_only=True)
class SequenceView(View):
    """One flow as a sequence diagram: lifelines and numbered messages."""

    kind: ClassVar[str] = "sequence"

    flow: NumberedFlow


@dataclass(frozen=True, kw_only=True)
class ChartView(View):
    """A flowchart or state machine."""

    kind: ClassVar[str] = "chart"

    chart: Chart


@dataclass(frozen=True, kw_only=True)
class TimelineView(View):
    """A time-line drawn to scale."""

    kind: ClassVar[str] = "timeline"

    timeline: Timeline


@dataclass(frozen=True, kw_only=True)
class ThemeView(DiagramView):
    """The overview again, in another theme, for the theme gallery."""

    theme: str


@dataclass(frozen=True, kw_only=True)
class ReviewView(DiagramView):
    """The overview with what the design review flags circled."""


@dataclass(frozen=True, kw_only=True)
class RingView(View):
    """The consistent-hashing ring of the worked example."""

    kind: ClassVar[str] = "ring"

    example: str


@dataclass(frozen=True, kw_only=True)
class PanelView(View):
    """Some of the design's other pictures side by side, each with its caption (its own title)."""

    kind: ClassVar[str] = "panel"

    members: tuple[str, ...]
    """The stems of the pictures it shows, in order."""
    columns: int | None = None


@dataclass(frozen=True, kw_only=True)
class StageView(DiagramView):
    """One stage of an evolution series, what it adds or changes highlighted."""

    stage: Stage
    number: int


@dataclass(frozen=True, kw_only=True)
class PracticeView(DiagramView):
    """The overview to redraw: every component's name replaced by a numbered blank, the step labels hidden."""

    blanks: tuple[tuple[str, str], ...]
    """Each blank's text as drawn (``#1``) and the component it hides, in the overview's order."""
