"""A design to the neutral diagram IR: nodes, groups and numbered edges in declared order, with stable ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.frontend.model import Design, Hop
from generator.plan import ir
from generator.plan.steps import NumberedFlow

__all__ = ["flow_edges", "overview"]


def overview(
    design: Design, flows: Sequence[NumberedFlow], *, description: str, every_component: bool = False
) -> ir.Diagram:
    """The overview diagram: every component, every group and every flow's steps as numbered edges.

    Steps between the same two components in the same direction share one edge, listing each step.
    A response is written on the request edge it answers, when there is one, instead of a second line.

    Args:
        design: The design.
        flows: Its flows, numbered.
        description: The diagram in words.
        every_component: Draw the components only flows kept out of the overview use, too.
    """
    shown = [f for f in flows if f.flow.overview]
    return ir.Diagram(
        id=design.id,
        title=design.title,
        direction=design.direction,
        nodes=tuple(_nodes(design, flows, every_component=every_component)),
        clusters=tuple(_clusters(design)),
        edges=tuple(flow_edges(shown)),
        legend=_legend(shown),
        description=description,
    )


def _only_off_overview(flows: Sequence[NumberedFlow]) -> set[str]:
    """Components that only flows kept out of the overview (``overview: false``) use."""
    on: set[str] = set()
    off: set[str] = set()
    for numbered in flows:
        ends = {e for s in numbered.steps for e in (s.message.from_, s.message.to)}
        (on if numbered.flow.overview else off).update(ends)
    return off - on


def _nodes(design: Design, flows: Sequence[NumberedFlow], *, every_component: bool) -> Iterator[ir.Node]:
    skip = set() if every_component else _only_off_overview(flows)
    for comp in design.components:
        if comp.id in skip:
            continue
        yield ir.Node(
            id=comp.id,
            label=comp.title,
            kind=str(comp.kind),
            tech=comp.tech,
            replicas=comp.replicas,
            group=comp.group,
        )


def _clusters(design: Design) -> Iterator[ir.Cluster]:
    for group in design.groups:
        yield ir.Cluster(id=group.id, label=group.title, kind=group.kind.value, parent=group.parent)


def _legend(shown: Sequence[NumberedFlow]) -> tuple[ir.LegendEntry, ...]:
    """A legend entry per flow drawn, in its marker colour, when there are two or more."""
    if len(shown) < 2:
        return ()
    return tuple(ir.LegendEntry(color=f.slot, text=f.flow.name) for f in shown)


def flow_edges(flows: Sequence[NumberedFlow]) -> list[ir.Edge]:
    """Edges for the given flows, merged by (source, target, hop), in first-use order.

    Each flow draws in its own marker slot (its index in the design, so colours agree across views).
    """
    merged: dict[tuple[str, str, str], list[ir.EdgeLabel]] = {}
    colors: dict[tuple[str, str, str], int] = {}
    pending_replies: list[tuple[str, str, ir.EdgeLabel, int]] = []
    for numbered in flows:
        slot = numbered.slot
        for step in numbered.steps:
            msg = step.message
            label = ir.EdgeLabel(number=str(step.number), text=msg.label, color=slot)
            if msg.hop == Hop.response:
                pending_replies.append((msg.from_, msg.to, label, slot))
                continue
            key = (msg.from_, msg.to, msg.hop.value)
            merged.setdefault(key, []).append(label)
            colors.setdefault(key, slot)
    for src, dst, label, slot in pending_replies:
        reverse = (dst, src, "request")
        if reverse in merged:
            merged[reverse].append(ir.EdgeLabel(label.number, f"← {label.text}".strip(), label.color))
        else:
            key = (src, dst, "response")
            merged.setdefault(key, []).append(label)
            colors.setdefault(key, slot)
    return [
        ir.Edge(
            id=f"{src}->{dst}:{hop}",
            src=src,
            dst=dst,
            hop=hop,
            labels=tuple(labels),
            color=colors[(src, dst, hop)],
        )
        for (src, dst, hop), labels in merged.items()
    ]
