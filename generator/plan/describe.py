"""Pictures in words: the alt text and ``<desc>`` of each view, for screen readers, search and the index."""

from __future__ import annotations

from collections.abc import Sequence

from generator.frontend.model import Chart, Design, Timeline
from generator.plan.steps import NumberedFlow, number_flows

__all__ = ["describe", "describe_chart", "describe_timeline", "narrate_plain", "when"]


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
    count = len(design.components)
    text = f"{design.title}: {count} component{'' if count == 1 else 's'}: {', '.join(parts)}."
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


def when(value: float, unit: str) -> str:
    """A time as a reader says it: up to two decimals, thousands grouped, the unit after.

    >>> when(45, "min"), when(0.25, "s"), when(1500, "ms"), when(-5, "min")
    ('45 min', '0.25 s', '1,500 ms', '-5 min')
    """
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


def describe_timeline(timeline: Timeline) -> str:
    """The time-line in words, earliest first, for the SVG's ``<desc>`` and the image's alt text.

    >>> from generator.frontend.model import Timeline
    >>> t = Timeline.model_validate({"id": "t", "title": "An interview", "unit": "min", "items": [
    ...     {"label": "clarify", "start": 0, "end": 5}, {"label": "design", "start": 5, "end": 20},
    ...     {"label": "time check", "at": 20}, {"label": "RPO", "start": -5, "end": 0, "kind": "interval"}]})
    >>> for sentence in describe_timeline(t).split(". "):
    ...     print(sentence)
    Time-line: An interview, from -5 min to 20 min
    RPO spans 5 min, from -5 min to 0 min
    Clarify from 0 min to 5 min
    Design from 5 min to 20 min
    Time check at 20 min.
    """
    first, last = timeline.axis
    unit = timeline.unit
    sentences = [f"Time-line: {timeline.title}, from {when(first, unit)} to {when(last, unit)}."]
    for item in sorted(timeline.items, key=lambda i: (i.begins, i.ends)):
        where = f" ({item.lane})" if item.lane and len(timeline.lane_order) > 1 else ""
        if item.shape == "instant":
            sentences.append(f"{item.label}{where} at {when(item.begins, unit)}.")
        elif item.shape == "interval":
            length = when(item.ends - item.begins, unit)
            sentences.append(
                f"{item.label}{where} spans {length}, from {when(item.begins, unit)} to {when(item.ends, unit)}."
            )
        else:
            noun = "window " if item.shape == "window" and "window" not in item.label.lower() else ""
            sentences.append(f"{noun}{item.label}{where} from {when(item.begins, unit)} to {when(item.ends, unit)}.")
    return " ".join(text[:1].upper() + text[1:] for text in sentences)
