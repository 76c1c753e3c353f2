"""Which pictures a design gets (overview, one per flow) and the context its write-up and the index are built from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.frontend.model import Chart, Design, Flow, Hop, Stage
from generator.plan import ir
from generator.plan.graph import describe, flow_edges, number_steps, overview
from generator.writeup.markdown import escape_md, url

if TYPE_CHECKING:
    from generator.build.pipeline import View
    from generator.frontend.course import Course

__all__ = ["PlannedView", "flow_view", "index_context", "plan", "writeup_context"]


@dataclass(frozen=True)
class PlannedView:
    """A view to render: its file stem, title, caption, and either a diagram or a flow drawn as a sequence."""

    name: str
    title: str
    diagram: ir.Diagram
    caption: str = ""
    kind: str = "graph"
    flow: Flow | None = None
    section: str = ""
    theme: str | None = None
    chart: Chart | None = None


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


def plan(design: Design) -> list[PlannedView]:
    """The views of a design, in write-up order: overview, per-flow diagrams, sequences, charts, stages."""
    views: list[PlannedView] = []
    if design.views.overview:
        views.append(PlannedView("overview", design.title, overview(design), section="overview"))
    for flow in chosen_flows(design):
        views.append(PlannedView(flow.id, flow.name, flow_view(design, flow), section=flow.id))
    for flow in sequence_flows(design):
        diagram = replace(
            overview(design),
            id=f"{design.id}-{flow.id}-sequence",
            title=f"{flow.name} (sequence)",
            description=f"Sequence diagram of {flow.name}, in {design.title}. " + _narrate_plain(design, flow),
        )
        views.append(
            PlannedView(
                f"{flow.id}-sequence",
                f"{flow.name}: sequence",
                diagram,
                kind="sequence",
                flow=flow,
                section=flow.id,
            )
        )
    for chart in design.charts:
        diagram = ir.Diagram(
            f"{design.id}-{chart.id}", chart.title, chart.direction, (), description=describe_chart(chart)
        )
        views.append(
            PlannedView(
                f"chart-{chart.id}", chart.title, diagram, kind="chart", section=f"chart:{chart.id}", chart=chart
            )
        )
    if design.views.overview:
        for theme in design.views.themes:
            views.append(
                PlannedView(
                    f"overview-{theme}",
                    f"{design.title} ({theme})",
                    overview(design),
                    section="themes",
                    theme=theme,
                    caption=f"The {theme} theme",
                )
            )
    if design.views.review:
        views.append(PlannedView("review", f"{design.title}: review", review_view(design), section="review"))
    for example in design.examples:
        if example == "consistent_hashing":
            ring = replace(overview(design), description="A consistent-hashing ring.")
            views.append(PlannedView("hash-ring", "Consistent hashing ring", ring, kind="ring", section=example))
    if design.views.stages:
        for number, (stage, diagram, caption) in enumerate(stage_diagrams(design), start=1):
            views.append(
                PlannedView(
                    f"stage-{number}-{stage.id}",
                    f"Stage {number}: {stage.title}",
                    diagram,
                    caption=caption,
                    section="stages",
                )
            )
    return views


def flow_view(design: Design, flow: Flow) -> ir.Diagram:
    """A diagram of one flow: its path in its colour with numbered steps, every other component faded or left out."""
    steps = number_steps(flow.steps)
    on_path = {s.message.from_ for s in steps} | {s.message.to for s in steps}
    base = overview(design, every_component=True)
    hide = design.views.others == "hide"
    nodes = tuple(
        n if n.id in on_path else replace(n, emphasis="faded") for n in base.nodes if n.id in on_path or not hide
    )
    clusters = _with_ancestors(base.clusters, {n.group for n in nodes if n.id in on_path})
    return replace(
        base,
        id=f"{design.id}-{flow.id}",
        title=f"{design.title}: {flow.name}",
        nodes=nodes,
        clusters=tuple(
            c if c.id in clusters else replace(c, emphasis="faded")
            for c in base.clusters
            if c.id in clusters or not hide
        ),
        edges=_with_hidden(base.edges, flow_edges(design, [flow]), keep={n.id for n in nodes}),
        legend=(),
        description=f"{flow.name}, in {design.title}. " + _narrate_plain(design, flow),
    )


def _with_hidden(everything: Sequence[ir.Edge], shown: Sequence[ir.Edge], *, keep: set[str]) -> tuple[ir.Edge, ...]:
    """The edges to draw, plus the overview's other edges as hidden ones, in the overview's order.

    Hidden edges shape the layout exactly as in the overview, so a flow's view keeps every component where the
    overview put it instead of piling the unconnected ones in the first column.
    """
    drawn = {e.id: e for e in shown}
    out = [drawn.pop(e.id, replace(e, emphasis="hidden")) for e in everything if e.src in keep and e.dst in keep]
    return (*out, *drawn.values())


def review_view(design: Design) -> ir.Diagram:
    """The overview with every component the design review flags circled and labelled with the rule it breaks."""
    from generator.analysis.lint import RULES, lint

    flags: dict[int, list[str]] = {}
    for finding in lint(design):
        if len(finding.path) == 2 and finding.path[0] == "components" and isinstance(finding.path[1], int):
            title = RULES[finding.code].title.lower()
            flags.setdefault(finding.path[1], [])
            if title not in flags[finding.path[1]]:
                flags[finding.path[1]].append(title)
    base = overview(design, every_component=True)
    nodes = tuple(replace(n, flags=tuple(flags.get(i, ()))) for i, n in enumerate(base.nodes))
    names = [f"{n.label} ({', '.join(n.flags)})" for n in nodes if n.flags]
    return replace(
        base,
        id=f"{design.id}-review",
        title=f"{design.title}: review",
        nodes=nodes,
        description=describe(design)
        + (f" Flagged by the design review: {'; '.join(names)}." if names else " The design review flags nothing."),
    )


def stage_diagrams(design: Design) -> list[tuple[Stage, ir.Diagram, str]]:
    """Each stage of the evolution series as a diagram: what it added or changed highlighted, what it removed listed."""
    out: list[tuple[Stage, ir.Diagram, str]] = []
    present: list[str] = []
    changes: dict[str, dict[str, object]] = {}
    steps: list[Any] | None = None
    base = overview(design, every_component=True)
    order = {c.id: i for i, c in enumerate(design.components)}
    for stage in design.stages:
        present = [c for c in present if c not in stage.remove] + [c for c in stage.add if c not in present]
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
            nodes.append(replace(node, emphasis="highlight") if fresh else node)
        if steps is not None:
            flow = Flow(id=stage.id, title=stage.title, steps=steps)
            edges = flow_edges(design, [flow])
        else:
            edges = [e for e in flow_edges(design, design.flows) if e.src in keep and e.dst in keep]
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
    return " ".join(parts)


def _with_ancestors(clusters: Sequence[ir.Cluster], ids: set[str | None]) -> set[str]:
    parents = {c.id: c.parent for c in clusters}
    out: set[str] = set()
    for cid in ids:
        while cid is not None and cid not in out:
            out.add(cid)
            cid = parents.get(cid)
    return out


def _narrate_plain(design: Design, flow: Flow) -> str:
    parts = []
    for step in number_steps(flow.steps):
        m = step.message
        src, dst = design.component(m.from_).title, design.component(m.to).title
        parts.append(f"{step.number}. {src} to {dst}{': ' + m.label if m.label else ''}.")
    return " ".join(parts)


_HOP_WORDS = {
    Hop.request: "calls",
    Hop.response: "answers",
    Hop.async_: "sends asynchronously to",
    Hop.replication: "replicates to",
    Hop.heartbeat: "sends a heartbeat to",
}


def narrate(design: Design, flow: Flow) -> list[str]:
    """Markdown list lines narrating a flow's steps in order (already escaped)."""

    lines = []
    for step in number_steps(flow.steps):
        m = step.message
        src = escape_md(design.component(m.from_).title)
        dst = escape_md(design.component(m.to).title)
        verb = _HOP_WORDS[m.hop]
        where = "".join(f" *({escape_md(f)})*" for f in step.fragments)
        text = f" with `{m.label.replace('`', '')}`" if m.label else ""
        note = f" *{escape_md(m.note)}*" if m.note else ""
        lines.append(f"{step.number}. **{src}** {verb} **{dst}**{text}.{where}{note}")
    return lines


def writeup_context(
    design: Design, views: Sequence[View], *, source: str, course: Course | None = None
) -> dict[str, Any]:
    """Everything the design template needs."""
    sections: list[dict[str, Any]] = []
    overview_images = [_image(v) for v in views if v.section == "overview"]
    if overview_images:
        sections.append({"title": "High-level design", "intro": "", "images": overview_images, "lines": []})
    for flow in design.flows:
        sections.append(
            {
                "title": flow.name,
                "intro": flow.summary,
                "images": [_image(v) for v in views if v.section == flow.id],
                "lines": narrate(design, flow),
            }
        )
    for chart in design.charts:
        sections.append(
            {
                "title": chart.title,
                "intro": chart.summary,
                "images": [_image(v) for v in views if v.section == f"chart:{chart.id}"],
                "lines": [],
            }
        )
    if design.stages and design.views.stages:
        lines: list[str] = []
        stage_views = [v for v in views if v.section == "stages"]
        for number, (stage, view) in enumerate(zip(design.stages, stage_views, strict=True), start=1):
            lines.append(f"### Stage {number}: {escape_md(stage.title)}")
            lines.append("")
            if stage.summary:
                lines.extend([escape_md(stage.summary), ""])
            lines.append(f"![{escape_md(view.alt)}]({url(view.name + '.svg')})")
            lines.append("")
            if view.caption:
                lines.extend([f"*{escape_md(view.caption)}*", ""])
        sections.append({"title": "How the design evolves", "intro": "", "images": [], "lines": lines})
    themed = [v for v in views if v.section == "themes"]
    if themed:
        cells = [f"[![{escape_md(v.alt)}]({url(v.name + '.png')})]({url(v.name + '.svg')})" for v in themed]
        names = [v.caption for v in themed]
        sections.append(
            {
                "title": "The same design in every theme",
                "intro": "",
                "images": [],
                "lines": ["| " + " | ".join(names) + " |", "|" + "---|" * len(names), "| " + " | ".join(cells) + " |"],
            }
        )
    for name in design.examples:
        from generator.analysis.worked import worked_example

        worked = worked_example(name)
        sections.append(
            {
                "title": worked.title,
                "intro": "",
                "images": [_image(v) for v in views if v.section == name],
                "lines": list(worked.lines),
            }
        )
    estimates, estimates_note = _estimates(design)
    if design.views.availability:
        sections.extend(_reliability_sections(design))
    return {
        "design": design,
        "part": course.part_of(design.lesson) if course else "",
        "lesson_title": course.lessons.get(design.lesson, "") if course and design.lesson is not None else "",
        "sections": sections,
        "estimates": estimates,
        "estimates_note": estimates_note,
        "review": _review(design),
        "review_images": [_image(v) for v in views if v.section == "review"],
        "source": source,
        "source_link": "../../" + source,
    }


def _estimates(design: Design) -> tuple[list[dict[str, str]], str]:
    from generator.analysis.estimates import estimate

    if not design.estimates:
        return [], ""
    report = estimate(design.estimates)
    rows = [
        {"name": r.name, "value": r.pretty, "how": "default" if "default" in r.formula else "given"}
        for r in report.inputs
    ]
    rows += [{"name": r.name, "value": r.pretty, "how": r.formula} for r in report.rows]
    rows += [{"name": k.replace("_", " "), "value": str(v), "how": "given"} for k, v in report.extras]
    note = " ".join(report.notes) if report.rows else ""
    return rows, note


def _reliability_sections(design: Design) -> list[dict[str, Any]]:
    from generator.analysis.reliability import analyse

    if not design.flows:
        return []
    report = analyse(design)
    lines = [
        "| Flow | Components in series | Availability | Downtime a year | Latency budget |",
        "|---|---|---|---|---|",
    ]
    names = {c.id: c.title for c in design.components}
    for flow, figures in zip(design.flows, report.flows, strict=True):
        if not figures.components:
            continue  # nothing waits on this flow (heartbeats, async only): no availability to compose
        chain = " → ".join(" ∥ ".join(escape_md(names[c]) for c in tier) for tier in figures.tiers)
        lines.append(
            f"| {escape_md(flow.name)} | {chain} | {figures.pretty_availability} | {figures.downtime} "
            f"| {figures.latency_ms:g} ms |"
        )
    if len(lines) == 2:
        return []
    peers = any(len(tier) > 1 for figures in report.flows for tier in figures.tiers)
    lines += [
        "",
        "Each component's availability is its kind's default unless the design sets one; replicas and standbys"
        " count in parallel (1 − (1 − a)ⁿ)"
        + (", and so do components declared redundant with each other (∥); the" if peers else ", the")
        + " components a flow passes through in series (the product)."
        " The latency budget adds the synchronous steps' latencies; parallel steps count once, async steps not at all.",
    ]
    return [{"title": "Availability and latency", "intro": "", "images": [], "lines": lines}]


def _review(design: Design) -> list[dict[str, str]]:
    from generator.analysis.lint import lint

    return [{"code": f.code, "severity": f.severity, "message": f.message} for f in lint(design)]


def _image(view: View) -> dict[str, str]:
    return {"svg": f"{view.name}.svg", "alt": view.alt, "caption": view.caption}


def index_context(designs: Sequence[Design], *, course: Course) -> dict[str, Any]:
    """The index template's context: parts, then lessons in order, then each lesson's designs and their views.

    Designs whose lesson no part lists, and designs without a lesson, follow under "More designs".
    """
    from generator.plan.graph import describe

    first = {ident: i for i, ident in enumerate(course.order)}
    ordered = sorted(designs, key=lambda d: (d.lesson or 10_000, first.get(d.id, len(first)), d.title.lower(), d.id))
    parts: list[dict[str, Any]] = []
    for design in ordered:
        part = course.part_of(design.lesson) or "More designs"
        if not parts or parts[-1]["title"] != part:
            parts.append({"title": part, "lessons": []})
        lessons = parts[-1]["lessons"]
        if not lessons or lessons[-1]["number"] != design.lesson:
            name = course.lessons.get(design.lesson, "") if design.lesson is not None else ""
            lessons.append({"number": design.lesson, "title": name, "designs": []})
        views = plan(design)
        thumb = views[0].name if views else "overview"
        lessons[-1]["designs"].append(
            {
                "title": design.title,
                "summary": design.summary,
                "alt": describe(design),
                "thumb": f"{design.id}/{thumb}.png",
                "readme": f"{design.id}/README.md",
                "views": [{"title": v.title, "svg": f"{design.id}/{v.name}.svg"} for v in views],
            }
        )
    count = sum(len(plan(d)) for d in designs)
    return {"title": course.title, "intro": course.intro, "parts": parts, "designs": len(designs), "diagrams": count}


def describe_chart(chart: Chart) -> str:
    """The chart in words, for the SVG's ``<desc>`` and the image's alt text.

    >>> from generator.frontend.model import Chart
    >>> c = Chart.model_validate({"id": "c", "title": "Pick", "nodes": [{"q": "SQL?", "shape": "decision"},
    ...     {"a": "Postgres"}, {"b": "Cassandra"}], "edges": ["q -> a: yes", "q -> b: no"]})
    >>> describe_chart(c)
    'Flowchart: Pick. SQL? leads to Postgres (yes) or Cassandra (no).'
    """
    titles = {node.id: node.title for node in chart.nodes}
    for node in chart.nodes:
        if chart.is_pseudo(node.shape):
            titles[node.id] = "the start" if node.shape == "start" else "the end"
    noun = "State machine" if chart.kind == "state" else "Flowchart"
    sentences = [f"{noun}: {chart.title}"]
    for node in chart.nodes:
        moves = [f"{titles[m.to]} ({m.label})" if m.label else titles[m.to] for m in chart.edges if m.from_ == node.id]
        if moves:
            sentences.append(f"{titles[node.id]} leads to " + " or ".join(moves))
    return " ".join(text if text.endswith((".", "?", "!")) else text + "." for text in sentences)
