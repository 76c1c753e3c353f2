"""Design to the neutral diagram IR: nodes, groups and numbered edges in declared order, with stable ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.frontend.model import Design, Flow, Fragment, Hop, Message
from generator.plan import ir

__all__ = ["NumberedStep", "describe", "number_steps", "overview"]


@dataclass(frozen=True)
class NumberedStep:
    """A message with its derived step number and the fragments it sits in (outermost first)."""

    number: int
    message: Message
    fragments: tuple[str, ...] = ()


def number_steps(steps: Sequence[Any]) -> list[NumberedStep]:
    """Number a flow's messages in order: parallel steps and the members of a ``par`` fragment share a number.

    >>> from generator.frontend.model import Flow
    >>> flow = Flow.model_validate({"id": "f", "steps": [
    ...     "a -> b: one", {"from": "b", "to": "c", "parallel": False},
    ...     {"from": "b", "to": "d", "parallel": True}, {"par": "fan out", "steps": ["c -> e", "c -> f"]}]})
    >>> [(s.number, s.message.to) for s in number_steps(flow.steps)]
    [(1, 'b'), (2, 'c'), (2, 'd'), (3, 'e'), (3, 'f')]
    """
    out: list[NumberedStep] = []
    _walk(list(steps), out, (), share=False)
    return out


def _walk(steps: list[Any], out: list[NumberedStep], frames: tuple[str, ...], *, share: bool) -> None:
    first_in_par = True
    for step in steps:
        if isinstance(step, Message):
            last = out[-1].number if out else 0
            shares = (step.parallel and bool(out)) or (share and not first_in_par)
            number = last if shares else last + 1
            first_in_par = False
            out.append(NumberedStep(number, step, frames))
        elif isinstance(step, Fragment):
            label = f"{step.fragment} {step.when}".strip()
            if step.fragment == "par":
                _walk(step.steps, out, (*frames, label), share=True)
            else:
                _walk(step.steps, out, (*frames, label), share=False)
            for branch in step.branches:
                _walk(branch.steps, out, (*frames, f"alt {branch.when}"), share=False)


def overview(design: Design, *, every_component: bool = False) -> ir.Diagram:
    """The overview diagram: every component, every group and every flow's steps as numbered edges.

    Steps between the same two components in the same direction share one edge, listing each step.
    A response is written on the request edge it answers, when there is one, instead of a second line.
    """
    return ir.Diagram(
        id=design.id,
        title=design.title,
        direction=design.direction,
        nodes=tuple(_nodes(design, every_component=every_component)),
        clusters=tuple(_clusters(design)),
        edges=tuple(flow_edges(design, [f for f in design.flows if f.overview])),
        legend=_legend([f for f in design.flows if f.overview], design.flows),
        description=describe(design),
    )


def _only_off_overview(design: Design) -> set[str]:
    """Components that only flows kept out of the overview (``overview: false``) use."""
    on: set[str] = set()
    off: set[str] = set()
    for flow in design.flows:
        ends = {e for s in number_steps(flow.steps) for e in (s.message.from_, s.message.to)}
        (on if flow.overview else off).update(ends)
    return off - on


def _nodes(design: Design, *, every_component: bool) -> Iterator[ir.Node]:
    skip = set() if every_component else _only_off_overview(design)
    for comp in design.components:
        if comp.id in skip:
            continue
        yield ir.Node(
            id=comp.id,
            label=comp.title,
            kind=comp.kind.value,
            tech=comp.tech,
            replicas=comp.replicas,
            group=comp.group,
        )


def _clusters(design: Design) -> Iterator[ir.Cluster]:
    for group in design.groups:
        yield ir.Cluster(id=group.id, label=group.title, kind=group.kind.value, parent=group.parent)


def _legend(shown: Sequence[Flow], every: Sequence[Flow]) -> tuple[ir.LegendEntry, ...]:
    """A legend entry per flow drawn, in its marker colour (its index among all flows), when there are two or more."""
    if len(shown) < 2:
        return ()
    slots = {flow.id: i for i, flow in enumerate(every)}
    return tuple(ir.LegendEntry(color=slots[flow.id], text=flow.name) for flow in shown)


def flow_edges(design: Design, flows: Sequence[Flow], *, color_offset: int = 0) -> list[ir.Edge]:
    """Edges for the given flows, merged by (source, target, hop), in first-use order.

    Each flow gets its own marker slot (its index in the design, so colours agree across views);
    a design with one flow draws in slot 0.
    """
    slots = {flow.id: i for i, flow in enumerate(design.flows)}
    merged: dict[tuple[str, str, str], list[ir.EdgeLabel]] = {}
    colors: dict[tuple[str, str, str], int] = {}
    pending_replies: list[tuple[str, str, ir.EdgeLabel, int]] = []
    for flow in flows:
        slot = slots.get(flow.id, 0) + color_offset
        for step in number_steps(flow.steps):
            msg = step.message
            label = ir.EdgeLabel(number=str(step.number), text=msg.label, color=slot)
            if msg.hop == Hop.response:
                pending_replies.append((msg.from_, msg.to, label, slot))
                continue
            key = (msg.from_, msg.to, _line_class(msg.hop))
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


def _line_class(hop: Hop) -> str:
    return hop.value


def describe(design: Design) -> str:
    """A plain-words description of the design's diagram, for ``<desc>`` and alt text.

    >>> from generator.frontend.model import Design
    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a", "kind": "client"},
    ...     {"id": "b", "kind": "cache", "tech": "Redis"}], "flows": [{"id": "f", "steps": ["a -> b: get"]}]})
    >>> describe(d)
    'T: 2 components: a (client), b (cache, Redis). Flow f: 1 step between a, b.'
    """
    parts = [
        f"{c.title} ({c.kind.value.replace('_', ' ')}{', ' + c.tech if c.tech else ''}"
        f"{', ' + str(c.replicas) + ' replicas' if c.replicas > 1 else ''})"
        for c in design.components
    ]
    text = f"{design.title}: {len(design.components)} components: {', '.join(parts)}."
    if design.groups:
        groups = []
        for g in design.groups:
            members = [c.title for c in design.components if c.group == g.id]
            groups.append(f"{g.title} ({', '.join(members)})" if members else g.title)
        text += f" Groups: {'; '.join(groups)}."
    for flow in design.flows:
        steps = number_steps(flow.steps)
        order: list[str] = []
        for s in steps:
            for ident in (s.message.from_, s.message.to):
                if ident not in order:
                    order.append(ident)
        names = ", ".join(design.component(i).title for i in order)
        count = len(steps)
        text += f" Flow {flow.name}: {count} step{'s' if count != 1 else ''} between {names}."
    return text
