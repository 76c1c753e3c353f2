"""Which pictures a design gets (overview, one per flow) and the context its write-up and the index are built from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.graph import describe, flow_edges, number_steps, overview
from generator.model import Design, Flow, Hop

if TYPE_CHECKING:
    from generator.pipeline import View

__all__ = ["PlannedView", "flow_view", "index_context", "plan", "writeup_context"]

PARTS: tuple[tuple[str, int, int], ...] = (
    ("Part 1: Foundational patterns", 1, 8),
    ("Part 2: Advanced patterns", 9, 10),
    ("Part 3: Classic problems", 11, 15),
)


@dataclass(frozen=True)
class PlannedView:
    """A view to render: its file stem, title, caption and diagram."""

    name: str
    title: str
    diagram: ir.Diagram
    caption: str = ""


def plan(design: Design) -> list[PlannedView]:
    """The views of a design, in write-up order: the overview, then one per flow when there are several."""
    views = [PlannedView("overview", design.title, overview(design))]
    if len(design.flows) > 1:
        for flow in design.flows:
            views.append(PlannedView(flow.id, flow.name, flow_view(design, flow)))
    return views


def flow_view(design: Design, flow: Flow) -> ir.Diagram:
    """A diagram of one flow: its path in its colour with numbered steps, every other component faded."""
    on_path = {s.message.from_ for s in number_steps(flow.steps)} | {
        s.message.to for s in number_steps(flow.steps)
    }
    base = overview(design)
    nodes = tuple(n if n.id in on_path else replace(n, emphasis="faded") for n in base.nodes)
    used_groups = {n.group for n in nodes if n.id in on_path}
    clusters = _with_ancestors(base.clusters, used_groups)
    edges = flow_edges(design, [flow])
    return replace(
        base,
        id=f"{design.id}-{flow.id}",
        title=f"{design.title}: {flow.name}",
        nodes=nodes,
        clusters=tuple(c if c.id in clusters else replace(c, emphasis="faded") for c in base.clusters),
        edges=tuple(edges),
        legend=(),
        description=f"{flow.name}, in {design.title}. " + _narrate_plain(design, flow),
    )


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
    from generator.export.markdown import escape_md

    lines = []
    for step in number_steps(flow.steps):
        m = step.message
        src = escape_md(design.component(m.from_).title)
        dst = escape_md(design.component(m.to).title)
        verb = _HOP_WORDS[m.hop]
        where = "".join(f" *({escape_md(f)})*" for f in step.fragments)
        text = f" with `{m.label.replace('`', '')}`" if m.label else ""
        note = f" {escape_md(m.note)}" if m.note else ""
        lines.append(f"{step.number}. **{src}** {verb} **{dst}**{text}.{where}{note}")
    return lines


def writeup_context(design: Design, views: Sequence[View], *, source: str) -> dict[str, Any]:
    """Everything the design template needs."""
    by_name = {v.name: v for v in views}
    sections: list[dict[str, Any]] = []
    ov = by_name.get("overview")
    sections.append(
        {
            "title": "High-level design",
            "intro": "",
            "images": [_image(ov)] if ov else [],
            "lines": [],
        }
    )
    for flow in design.flows:
        view = by_name.get(flow.id)
        sections.append(
            {
                "title": flow.name,
                "intro": flow.summary,
                "images": [_image(view)] if view else [],
                "lines": narrate(design, flow),
            }
        )
    estimates = [{"name": k.replace("_", " "), "value": str(v), "how": "given"} for k, v in design.estimates.items()]
    return {
        "design": design,
        "part": _part(design.lesson),
        "sections": sections,
        "estimates": estimates,
        "estimates_note": "",
        "review": [],
        "source": source,
        "source_link": "../../" + source,
    }


def _image(view: View) -> dict[str, str]:
    return {"svg": f"{view.name}.svg", "alt": view.alt, "caption": view.caption}


def _part(lesson: int | None) -> str:
    if lesson is None:
        return ""
    for title, first, last in PARTS:
        if first <= lesson <= last:
            return title
    return ""


def index_context(designs: Sequence[Design], *, title: str) -> dict[str, Any]:
    """The index template's context: designs grouped by course part and ordered by lesson, then title."""
    ordered = sorted(designs, key=lambda d: (d.lesson or 10_000, d.title.lower(), d.id))
    parts: list[dict[str, Any]] = []
    for design in ordered:
        part = _part(design.lesson) or ("Other designs" if design.lesson is None else "More lessons")
        if not parts or parts[-1]["title"] != part:
            parts.append({"title": part, "entries": []})
        parts[-1]["entries"].append(
            {
                "lesson": design.lesson,
                "title": design.title,
                "summary": design.summary,
                "alt": describe(design),
                "thumb": f"{design.id}/overview.png",
                "readme": f"{design.id}/README.md",
                "views": [{"title": v.title, "svg": f"{design.id}/{v.name}.svg"} for v in plan(design)],
            }
        )
    return {"title": title, "intro": "", "parts": parts}
