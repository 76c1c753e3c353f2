"""A diagram written as D2 source: components as shapes, groups as containers, each step a labelled connection.

Every key and label is a double-quoted D2 string, so ids and labels with any character (quotes, dots, arrows,
braces, D2 keywords) stay what they are. The step's number leads its label, as in blueprint's badges.
"""

from __future__ import annotations

from generator.frontend.model import Design
from generator.frontend.vocabulary import CYLINDERS
from generator.plan import ir
from generator.plan.steps import NumberedFlow, participants

__all__ = ["SHAPES", "d2_sequence", "d2_source", "quote"]

SHAPES = {
    "client": "rectangle",
    "mobile": "rectangle",
    "user": "person",
    **dict.fromkeys(sorted(CYLINDERS), "cylinder"),
    "queue": "queue",
    "stream": "queue",
    "object_store": "stored_data",
    "cdn": "cloud",
    "dns": "circle",
    "third_party": "cloud",
}
"""D2's shape for a kind (the others are rectangles)."""

_DIRECTIONS = {"LR": "right", "RL": "left", "TB": "down", "BT": "up"}


def quote(text: str) -> str:
    """A D2 double-quoted string.

    >>> print(quote('say "hi" \\\\ now'))
    "say \\"hi\\" \\\\ now"
    >>> quote("two\\nlines")
    '"two\\\\nlines"'
    >>> print(quote("costs ${price}"))
    "costs \\${price}"
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("$", "\\$")  # ${x} is a D2 substitution
        .replace("\n", "\\n")
        .replace("\r", "")
    )
    return f'"{escaped}"'


def d2_source(diagram: ir.Diagram, *, sketch: bool = True) -> str:
    """D2 source for a diagram: its direction, groups nested as containers, components, then the steps.

    >>> d = ir.Diagram("d", "D", "LR", (ir.Node("a", "app", "service", group="g"), ir.Node("b", "db", "sql")),
    ...     clusters=(ir.Cluster("g", "tier", "tier"),),
    ...     edges=(ir.Edge("e", "a", "b", "request", (ir.EdgeLabel("1", "SELECT"),)),))
    >>> print(d2_source(d, sketch=False), end="")
    direction: right
    "g": "tier" {
      "a": "app"
    }
    "b": "db" {shape: cylinder}
    "g"."a" -> "b": "1. SELECT"
    """
    children, members = diagram.tree()
    parents = {c.id: c.parent for c in diagram.clusters}
    lines = ["vars: {", "  d2-config: {", "    sketch: true", "  }", "}"] if sketch else []
    lines.append(f"direction: {_DIRECTIONS.get(diagram.direction, 'right')}")

    def emit(group: str | None, depth: int) -> None:
        pad = "  " * depth
        for cluster in children.get(group, []):
            lines.append(f"{pad}{quote(cluster.id)}: {quote(cluster.label)} {{")
            emit(cluster.id, depth + 1)
            lines.append(f"{pad}}}")
        for node in members.get(group, []):
            shape = SHAPES.get(node.kind)
            attrs = f" {{shape: {shape}}}" if shape else ""
            lines.append(f"{pad}{quote(node.id)}: {quote(node.label)}{attrs}")

    emit(None, 0)
    paths: dict[str, str] = {}
    for node in diagram.nodes:
        chain, group, seen = [node.id], node.group, set()
        while group is not None and group not in seen:
            seen.add(group)
            chain.append(group)
            group = parents.get(group)
        paths[node.id] = ".".join(quote(part) for part in reversed(chain))
    for edge in diagram.edges:
        if edge.emphasis == "hidden" or edge.src not in paths or edge.dst not in paths:
            continue
        text = "; ".join(f"{label.number}. {label.text}".strip(". ") for label in edge.labels)
        style = " {style.stroke-dash: 4}" if edge.hop in ("response", "async", "replication") else ""
        label = f": {quote(text)}" if text else ""
        lines.append(f"{paths[edge.src]} -> {paths[edge.dst]}{label}{style}")
    return "\n".join(lines) + "\n"


def d2_sequence(design: Design, numbered: NumberedFlow, *, sketch: bool = True) -> str:
    """A flow as a D2 sequence diagram: its participants in order and its numbered messages (D2 draws no
    ``alt`` frames; the letters of the arms say which alternative a message belongs to).

    >>> from generator.plan.steps import number_flows
    >>> d = Design.model_validate({"id": "d", "title": "D", "components": [{"id": "a"}, {"id": "b"}],
    ...     "flows": [{"id": "f", "steps": ["a -> b: get", "b --> a: 200"]}]})
    >>> print(d2_sequence(d, number_flows(d)[0], sketch=False), end="")
    shape: sequence_diagram
    "a": "a"
    "b": "b"
    "a" -> "b": "1. get"
    "b" -> "a": "2. 200" {style.stroke-dash: 4}
    """
    titles = {c.id: c.title for c in design.components}
    lines = ["vars: {", "  d2-config: {", "    sketch: true", "  }", "}"] if sketch else []
    lines.append("shape: sequence_diagram")
    lines += [f"{quote(p)}: {quote(titles.get(p, p))}" for p in participants(numbered)]
    for step in numbered.steps:
        m = step.message
        text = f"{step.label}. {m.label}".strip(". ") if m.label else step.label
        style = " {style.stroke-dash: 4}" if m.hop.value in ("response", "async", "replication") else ""
        lines.append(f"{quote(m.from_)} -> {quote(m.to)}: {quote(text)}{style}")
    return "\n".join(lines) + "\n"
