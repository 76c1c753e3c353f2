"""Pictures in words: the alt text and ``<desc>`` of each view, for screen readers, search and the index."""

from __future__ import annotations

from collections.abc import Sequence

from generator.frontend.model import Chart, Design
from generator.plan.steps import NumberedFlow, number_flows

__all__ = ["describe", "describe_chart", "narrate_plain"]


def describe(design: Design, flows: Sequence[NumberedFlow] | None = None) -> str:
    """A plain-words description of the design's diagram, for ``<desc>`` and alt text.

    Args:
        design: The design.
        flows: Its flows, numbered (numbered here when not given).

    >>> from generator.frontend.model import Design
    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a", "kind": "client"},
    ...     {"id": "b", "kind": "cache", "tech": "Redis"}], "flows": [{"id": "f", "steps": ["a -> b: get"]}]})
    >>> describe(d)
    'T: 2 components: a (client), b (cache, Redis). Flow f: 1 step between a, b.'
    """
    parts = [
        f"{c.title} ({str(c.kind).replace('_', ' ')}{', ' + c.tech if c.tech else ''}"
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
    for numbered in number_flows(design) if flows is None else flows:
        order: list[str] = []
        for s in numbered.steps:
            for ident in (s.message.from_, s.message.to):
                if ident not in order:
                    order.append(ident)
        names = ", ".join(design.component(i).title for i in order)
        count = len(numbered.steps)
        text += f" Flow {numbered.flow.name}: {count} step{'s' if count != 1 else ''} between {names}."
    return text


def narrate_plain(design: Design, numbered: NumberedFlow) -> str:
    """A flow's steps in one paragraph of plain text, for alt text.

    >>> from generator.frontend.model import Design
    >>> from generator.plan.steps import number_flows
    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a"}, {"id": "b"}],
    ...     "flows": [{"id": "f", "steps": ["a -> b: get", "b --> a"]}]})
    >>> narrate_plain(d, number_flows(d)[0])
    '1. a to b: get. 2. b to a.'
    """
    parts = []
    for step in numbered.steps:
        m = step.message
        src, dst = design.component(m.from_).title, design.component(m.to).title
        parts.append(f"{step.label}. {src} to {dst}{': ' + m.label if m.label else ''}.")
    return " ".join(parts)


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
