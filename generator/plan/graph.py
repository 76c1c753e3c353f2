"""A design to the neutral diagram IR: nodes, groups and numbered edges in declared order, with stable ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.frontend.model import Design
from generator.plan import ir
from generator.plan.steps import NumberedFlow

__all__ = ["BLOCK", "flow_edges", "overview"]


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
            standby=comp.standby,
        )


def _clusters(design: Design) -> Iterator[ir.Cluster]:
    for group in design.groups:
        yield ir.Cluster(id=group.id, label=group.title, kind=group.kind.value, parent=group.parent)


def _legend(shown: Sequence[NumberedFlow]) -> tuple[ir.LegendEntry, ...]:
    """A legend entry per flow drawn, in its marker colour, when there are two or more."""
    if len(shown) < 2:
        return ()
    return tuple(ir.LegendEntry(color=f.slot, text=f.flow.name) for f in shown)


BLOCK = 3
"""The most steps one edge label lists: more become another stroke beside it, so each block stays readable."""


def flow_edges(flows: Sequence[NumberedFlow]) -> list[ir.Edge]:
    """Edges for the given flows: one per flow for each pair of components and kind of hop, in first-use order.

    Each flow draws in its own marker slot (its index in the design, so colours agree across views), so a label
    is always in the colour of the line it sits on. An edge lists its steps in order, at most :data:`BLOCK`; more
    steps of the same flow between the same two components become another stroke beside it. A response is its
    own dashed edge back to the caller.

    >>> from generator.frontend.model import Flow
    >>> from generator.plan.steps import number_steps
    >>> flow = Flow.model_validate({"id": "f", "steps": ["a -> b: 1", "b --> a: ok"] + ["a -> b: x"] * 4})
    >>> edges = flow_edges([NumberedFlow(flow, tuple(number_steps(flow.steps)))])
    >>> [(e.id, [label.number for label in e.labels]) for e in edges]
    [('a->b:request:f', ['1', '3', '4']), ('b->a:response:f', ['2']), ('a->b:request:f#2', ['5', '6'])]
    """
    merged: dict[tuple[str, str, str, str], list[ir.EdgeLabel]] = {}
    colors: dict[tuple[str, str, str, str], int] = {}
    for numbered in flows:
        slot = numbered.slot
        for step in numbered.steps:
            msg = step.message
            label = ir.EdgeLabel(step.label, msg.label, slot, step.optional)
            key = (msg.from_, msg.to, msg.hop.value, numbered.flow.id)
            merged.setdefault(key, []).append(label)
            colors.setdefault(key, slot)
    edges: list[ir.Edge] = []
    extra: list[ir.Edge] = []
    for (src, dst, hop, flow), labels in merged.items():
        for chunk, start in enumerate(range(0, len(labels), BLOCK)):
            edge = ir.Edge(
                id=f"{src}->{dst}:{hop}:{flow}" + (f"#{chunk + 1}" if chunk else ""),
                src=src,
                dst=dst,
                hop=hop,
                labels=tuple(labels[start : start + BLOCK]),
                color=colors[(src, dst, hop, flow)],
            )
            (extra if chunk else edges).append(edge)
    return [*edges, *extra]
