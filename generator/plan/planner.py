"""A design to its typed views: which pictures it gets (overview, flows, sequences, charts, themes, review, ring,
stages), in write-up order, each named by the output policy, with every flow's steps numbered once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from generator.analysis.lint import RULES, Finding
from generator.frontend.model import Design, Flow, Stage
from generator.plan import ir, outputs
from generator.plan.describe import describe, describe_chart, describe_timeline, narrate_plain
from generator.plan.graph import flow_edges, overview
from generator.plan.outputs import Claim
from generator.plan.steps import NumberedFlow, number_flows, number_steps, untaken
from generator.plan.views import (
    ChartView,
    FlowView,
    OverviewView,
    PanelView,
    PracticeView,
    ReviewView,
    RingView,
    SequenceView,
    StageView,
    ThemeView,
    TimelineView,
    View,
)

__all__ = ["Planner", "chosen_flows", "plan", "sequence_flows"]


def chosen_flows(design: Design) -> list[Flow]:
    """The flows that get a diagram of their own: as ``views.flows`` says, else each one when there are several."""
    choice = design.views.flows
    if choice is None:
        return list(design.flows) if len(design.flows) > 1 else []
    if choice is True:
        return list(design.flows)
    if choice is False:
        return []
    return [f for f in design.flows if f.id in choice]


def sequence_flows(design: Design) -> list[Flow]:
    """The flows drawn as sequence diagrams: those ``views.sequences`` names, and those marked ``sequence: true``."""
    choice = design.views.sequences
    return [f for f in design.flows if f.sequence or choice is True or (isinstance(choice, list) and f.id in choice)]


class Planner:
    """Plans one design's views; every flow's steps and the overview's IR are worked out once and shared.

    Args:
        design: The validated design.
        findings: The design review's findings, for the review view's flags.
    """

    def __init__(self, design: Design, *, findings: Sequence[Finding] = ()) -> None:
        self.design = design
        self.findings = tuple(findings)
        self.flows = number_flows(design)
        self.description = describe(design, self.flows)
        self.overview = overview(design, self.flows, description=self.description)
        self.board = overview(design, self.flows, description=self.description, every_component=True)
        """The overview with every component: the base of flow, review and stage views."""

    def numbered(self, flow: Flow) -> NumberedFlow:
        """A flow of the design, numbered."""
        return next(n for n in self.flows if n.flow.id == flow.id)

    def views(self) -> tuple[View, ...]:
        """The views of the design, in write-up order: overview, per-flow diagrams, sequences, charts, themes,
        review, worked-example pictures, stages."""
        design = self.design
        views: list[View] = []
        if design.views.overview:
            views.append(
                OverviewView(
                    stem=outputs.OVERVIEW, title=design.title, description=self.description, diagram=self.overview
                )
            )
        for flow in chosen_flows(design):
            diagram = self.flow_view(self.numbered(flow))
            views.append(
                FlowView(
                    stem=outputs.flow_stem(flow.id),
                    title=flow.name,
                    description=diagram.description,
                    diagram=diagram,
                    flow=self.numbered(flow),
                )
            )
        for flow in sequence_flows(design):
            numbered = self.numbered(flow)
            views.append(
                SequenceView(
                    stem=outputs.sequence_stem(flow.id),
                    title=f"{flow.name}: sequence",
                    description=f"Sequence diagram of {flow.name}, in {design.title}. "
                    + narrate_plain(design, numbered),
                    flow=numbered,
                )
            )
        for chart in design.charts:
            views.append(
                ChartView(
                    stem=outputs.chart_stem(chart.id),
                    title=chart.title,
                    description=describe_chart(chart),
                    chart=chart,
                )
            )
        for timeline in design.timelines:
            views.append(
                TimelineView(
                    stem=outputs.timeline_stem(timeline.id),
                    title=timeline.title,
                    description=describe_timeline(timeline),
                    timeline=timeline,
                )
            )
        if design.views.overview:
            for theme in design.views.themes:
                views.append(
                    ThemeView(
                        stem=outputs.theme_stem(theme),
                        title=f"{design.title} ({theme})",
                        description=self.description,
                        caption=f"The {theme} theme",
                        diagram=self.overview,
                        theme=theme,
                    )
                )
        if design.views.review:
            diagram = self.review_view()
            views.append(
                ReviewView(
                    stem=outputs.REVIEW,
                    title=f"{design.title}: review",
                    description=diagram.description,
                    diagram=diagram,
                )
            )
        for example in design.examples:
            if example == "consistent_hashing":
                views.append(
                    RingView(
                        stem=outputs.RING,
                        title="Consistent hashing ring",
                        description="A consistent-hashing ring.",
                        example=example,
                    )
                )
        if design.views.stages:
            for number, (stage, diagram, caption) in enumerate(self.stage_diagrams(), start=1):
                views.append(
                    StageView(
                        stem=outputs.stage_stem(number, stage.id),
                        title=f"Stage {number}: {stage.title}",
                        description=diagram.description,
                        caption=caption,
                        diagram=diagram,
                        stage=stage,
                        number=number,
                    )
                )
        for panel in design.panels:
            views.append(
                PanelView(
                    stem=outputs.panel_stem(panel.id),
                    title=panel.name,
                    description=f"{panel.name}: {', '.join(panel.views)} side by side.",
                    members=tuple(panel.views),
                    columns=panel.columns,
                )
            )
        return tuple(views)

    def practice_view(self) -> PracticeView:
        """The overview to redraw: names and tech tags blanked as ``#1``, ``#2``..., step labels hidden."""
        base, title = self.overview, f"{self.design.title}: redraw it"
        blanks = tuple((f"#{n}", node.id) for n, node in enumerate(base.nodes, start=1))
        nodes = tuple(replace(node, label=text, tech="") for node, (text, _) in zip(base.nodes, blanks, strict=True))
        edges = tuple(replace(e, labels=tuple(replace(label, text="") for label in e.labels)) for e in base.edges)
        return PracticeView(
            stem=outputs.PRACTICE_PICTURE,
            title=title,
            description=f"{title}. The overview with its {len(nodes)} components blanked as #1 to #{len(nodes)}"
            " and its steps' labels hidden, their numbers kept.",
            diagram=replace(base, id=f"{self.design.id}-practice", title=title, nodes=nodes, edges=edges),
            blanks=blanks,
        )

    def claims(self, views: Sequence[View]) -> list[Claim]:
        """Each view's claim on its file stem, with the key path that decides it, for :func:`outputs.collisions`.

        Claims follow the views' order, so the later of two colliding views is reported.
        """
        design = self.design
        flow_index = {f.id: i for i, f in enumerate(design.flows)}
        out: list[Claim] = []
        for view in views:
            if isinstance(view, FlowView):
                out.append(
                    Claim(view.stem, f"flow '{view.flow.flow.id}'", ("flows", flow_index[view.flow.flow.id], "id"))
                )
            elif isinstance(view, SequenceView):
                what = f"the sequence diagram of flow '{view.flow.flow.id}'"
                out.append(Claim(view.stem, what, ("flows", flow_index[view.flow.flow.id], "id")))
            elif isinstance(view, ChartView):
                index = next(i for i, c in enumerate(design.charts) if c.id == view.chart.id)
                out.append(Claim(view.stem, f"chart '{view.chart.id}'", ("charts", index, "id")))
            elif isinstance(view, TimelineView):
                index = next(i for i, t in enumerate(design.timelines) if t.id == view.timeline.id)
                out.append(Claim(view.stem, f"time-line '{view.timeline.id}'", ("timelines", index, "id")))
            elif isinstance(view, StageView):
                index = view.number - 1
                out.append(Claim(view.stem, f"stage {view.number} '{view.stage.id}'", ("stages", index, "id")))
            elif isinstance(view, ThemeView):
                out.append(Claim(view.stem, f"the overview in the {view.theme} theme", ("views", "themes")))
            elif isinstance(view, ReviewView):
                out.append(Claim(view.stem, "the design-review picture", ("views", "review")))
            elif isinstance(view, RingView):
                out.append(Claim(view.stem, "the consistent-hashing ring", ("examples",)))
            elif isinstance(view, PracticeView):
                out.append(Claim(view.stem, "the practice picture", ("practice",)))
            elif isinstance(view, PanelView):
                index = next(i for i, p in enumerate(design.panels) if outputs.panel_stem(p.id) == view.stem)
                out.append(Claim(view.stem, f"panel '{design.panels[index].id}'", ("panels", index, "id")))
            else:
                out.append(Claim(view.stem, "the overview", ("views",)))
        return out

    def flow_view(self, numbered: NumberedFlow) -> ir.Diagram:
        """A diagram of one flow: its path in its colour with numbered steps, every other component faded or left
        out."""
        design, flow = self.design, numbered.flow
        skipped = untaken(flow)  # the arms of its alternatives it does not take are drawn faded, off its path
        path = [s for s in numbered.steps if id(s.message) not in skipped]
        on_path = {s.message.from_ for s in path} | {s.message.to for s in path}
        base = self.board
        hide = design.views.others == "hide"
        # With others hidden, what the untaken arms reach is still drawn (faded): the reader sees the road not taken.
        shown = on_path | {i for s in numbered.steps for i in (s.message.from_, s.message.to)}
        nodes = tuple(
            n if n.id in on_path else replace(n, emphasis="faded") for n in base.nodes if n.id in shown or not hide
        )
        clusters = _with_ancestors(base.clusters, {n.group for n in nodes if n.id in on_path})
        seen = _with_ancestors(base.clusters, {n.group for n in nodes})
        return replace(
            base,
            id=f"{design.id}-{flow.id}",
            title=f"{design.title}: {flow.name}",
            nodes=nodes,
            clusters=tuple(
                c if c.id in clusters else replace(c, emphasis="faded")
                for c in base.clusters
                if c.id in seen or not hide
            ),
            edges=_with_hidden(base.edges, _taken_edges(numbered), keep={n.id for n in nodes}),
            legend=(),
            description=f"{flow.name}, in {design.title}"
            + (f", taking {', '.join(flow.take)}" if flow.take else "")
            + ". "
            + narrate_plain(design, numbered),
        )

    def review_view(self) -> ir.Diagram:
        """The overview with every component the design review flags circled and labelled with the rule it
        breaks."""
        design = self.design
        flags: dict[int, list[str]] = {}
        for finding in self.findings:
            if len(finding.path) == 2 and finding.path[0] == "components" and isinstance(finding.path[1], int):
                title = RULES[finding.code].title.lower()
                flags.setdefault(finding.path[1], [])
                if title not in flags[finding.path[1]]:
                    flags[finding.path[1]].append(title)
        base = self.board
        nodes = tuple(replace(n, flags=tuple(flags.get(i, ()))) for i, n in enumerate(base.nodes))
        names = [f"{n.label} ({', '.join(n.flags)})" for n in nodes if n.flags]
        return replace(
            base,
            id=f"{design.id}-review",
            title=f"{design.title}: review",
            nodes=nodes,
            description=self.description
            + (f" Flagged by the design review: {'; '.join(names)}." if names else " The design review flags nothing."),
        )

    def stage_diagrams(self) -> list[tuple[Stage, ir.Diagram, str]]:
        """Each stage of the evolution series as a diagram: what it added or changed highlighted, what it removed
        listed."""
        design = self.design
        out: list[tuple[Stage, ir.Diagram, str]] = []
        present: list[str] = []
        changes: dict[str, dict[str, object]] = {}
        steps: list[Any] | None = None
        base = self.board
        order = {c.id: i for i, c in enumerate(design.components)}
        slots = {flow.id: i for i, flow in enumerate(design.flows)}
        every_flow = flow_edges(self.flows)
        failed: set[str] = set()
        before: list[ir.Edge] = []
        for stage in design.stages:
            present = [c for c in present if c not in stage.remove] + [c for c in stage.add if c not in present]
            failed = (failed | set(stage.fail)) - set(stage.recover) - set(stage.remove)
            present.sort(key=lambda c: order[c])
            for ident, change in stage.change.items():
                changes.setdefault(ident, {}).update(change.model_dump(exclude_none=True, mode="json"))
            if stage.steps is not None:
                steps = list(stage.steps)
            keep = set(present)
            nodes = []
            for node in base.nodes:
                if node.id not in keep:
                    continue
                node = replace(node, **changes.get(node.id, {}))  # type: ignore[arg-type]
                # The first stage puts everything on the board: highlighting it all would say nothing.
                fresh = (node.id in stage.add or node.id in stage.change) and stage is not design.stages[0]
                if node.id in failed:
                    nodes.append(replace(node, emphasis="failed"))
                else:
                    nodes.append(replace(node, emphasis="highlight") if fresh else node)
            if steps is not None:
                flow = Flow(id=stage.id, title=stage.title, steps=steps)
                numbered = NumberedFlow(flow, tuple(number_steps(steps)), slots.get(stage.id, 0))
                # Steps carry over to later stages; a step whose component a later stage removed is not drawn.
                edges = [e for e in flow_edges([numbered]) if e.src in keep and e.dst in keep]
            else:
                edges = [e for e in every_flow if e.src in keep and e.dst in keep]
            edges = [replace(e, emphasis="faded") if {e.src, e.dst} & failed else e for e in edges]
            # A failed component stays where it was: the edges that reached it before shape the layout, unseen.
            drawn = {e.id for e in edges}
            edges += [
                replace(e, emphasis="hidden", labels=())
                for e in before
                if {e.src, e.dst} & failed and e.src in keep and e.dst in keep and e.id not in drawn
            ]
            before = [e for e in edges if e.emphasis != "hidden"] or before
            groups = _with_ancestors(base.clusters, {n.group for n in nodes})
            caption = _stage_caption(design, stage)
            diagram = replace(
                base,
                id=f"{design.id}-stage-{stage.id}",
                title=stage.title,
                nodes=tuple(nodes),
                clusters=tuple(c for c in base.clusters if c.id in groups),
                edges=tuple(edges),
                legend=(),
                description=f"{design.title}, stage {stage.title}: "
                + ", ".join(n.label for n in nodes)
                + (f". {caption}" if caption else "."),
            )
            out.append((stage, diagram, caption))
        return out


def plan(design: Design, *, findings: Sequence[Finding] = ()) -> tuple[View, ...]:
    """The views of a design, in write-up order (see :meth:`Planner.views`)."""
    return Planner(design, findings=findings).views()


def _taken_edges(numbered: NumberedFlow) -> list[ir.Edge]:
    """A flow's edges, the arms of its alternatives that its ``take`` passes over faded."""
    skipped = untaken(numbered.flow)
    if not skipped:
        return flow_edges([numbered])
    taken = replace(numbered, steps=tuple(s for s in numbered.steps if id(s.message) not in skipped))
    other = replace(numbered, steps=tuple(s for s in numbered.steps if id(s.message) in skipped))
    faded = [replace(e, id=f"{e.id}:not-taken", emphasis="faded") for e in flow_edges([other])]
    return [*flow_edges([taken]), *faded]


def _with_hidden(everything: Sequence[ir.Edge], shown: Sequence[ir.Edge], *, keep: set[str]) -> tuple[ir.Edge, ...]:
    """The edges to draw, plus the overview's other edges as hidden ones, in the overview's order.

    Hidden edges shape the layout exactly as in the overview, so a flow's view keeps every component where the
    overview put it instead of piling the unconnected ones in the first column.
    """
    drawn = {e.id: e for e in shown}
    out = [drawn.pop(e.id, replace(e, emphasis="hidden")) for e in everything if e.src in keep and e.dst in keep]
    return (*out, *drawn.values())


def _stage_caption(design: Design, stage: Stage) -> str:
    def names(ids: Sequence[str]) -> str:
        return ", ".join(design.component(i).title for i in ids)

    parts = []
    if stage.add:
        parts.append(f"Added: {names(stage.add)}.")
    if stage.change:
        described = []
        for ident, change in stage.change.items():
            fields = ", ".join(f"{k} {v}" for k, v in change.model_dump(exclude_none=True, mode="json").items())
            described.append(f"{design.component(ident).title} ({fields})")
        parts.append(f"Changed: {', '.join(described)}.")
    if stage.remove:
        parts.append(f"Removed: {names(stage.remove)}.")
    if stage.fail:
        parts.append(f"Failed: {names(stage.fail)}.")
    if stage.recover:
        parts.append(f"Back: {names(stage.recover)}.")
    return " ".join(parts)


def _with_ancestors(clusters: Sequence[ir.Cluster], ids: set[str | None]) -> set[str]:
    parents = {c.id: c.parent for c in clusters}
    out: set[str] = set()
    for cid in ids:
        while cid is not None and cid not in out:
            out.add(cid)
            cid = parents.get(cid)
    return out
