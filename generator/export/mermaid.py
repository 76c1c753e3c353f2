"""A design's views written as Mermaid: a flowchart for an architecture view, a ``sequenceDiagram`` for a flow.

Mermaid ids are generated (``n0``, ``n1``, ``g0`` ...), so no user id can break the syntax, and every label is
written with Mermaid's entity codes for the characters its grammar gives a meaning (``#quot;``, ``#35;``,
``#59;`` ...), so a label is always text. Output is deterministic: declared order throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.frontend.model import Design, Fragment, Message
from generator.frontend.vocabulary import CYLINDERS
from generator.plan import ir
from generator.plan.steps import NumberedFlow, participants

__all__ = ["KIND_CLASSES", "flowchart", "label", "sequence"]

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    ";": "#59;",
    "`": "#96;",
    "|": "#124;",
    "{": "#123;",
    "}": "#125;",
    "[": "#91;",
    "]": "#93;",
    "%": "#37;",
}

KIND_CLASSES = {
    **dict.fromkeys(sorted(CYLINDERS), "store"),
    "cache": "cache",
    "queue": "messaging",
    "stream": "messaging",
    "pubsub": "messaging",
    "client": "client",
    "mobile": "client",
    "user": "client",
    "load_balancer": "edge",
    "api_gateway": "edge",
    "cdn": "edge",
    "dns": "edge",
    "object_store": "store",
}
"""The class (a colour) of each kind in a flowchart; the others are plain services."""

_CLASS_STYLES = (
    ("client", "fill:#f4f4f4,stroke:#1e1e1e"),
    ("edge", "fill:#efe7fb,stroke:#7048e8"),
    ("store", "fill:#e7f0fb,stroke:#1f5fae"),
    ("cache", "fill:#fbe7e7,stroke:#c8312b"),
    ("messaging", "fill:#e6f4ea,stroke:#2b8a3e"),
    ("service", "fill:#ffffff,stroke:#1e1e1e"),
)

_SHAPES = {**dict.fromkeys(sorted(CYLINDERS), ('[("', '")]')), "client": ('(["', '"])')}
_ARROWS = {"request": "-->", "response": "-.->", "async": "-.->", "replication": "-.->", "heartbeat": "-.->"}
_MESSAGES = {"request": "->>", "response": "-->>", "async": "-)", "replication": "-)", "heartbeat": "-)"}
_DIRECTIONS = {"LR": "LR", "RL": "RL", "TB": "TB", "BT": "BT"}


def label(text: str) -> str:
    """A label as Mermaid text: the characters Mermaid's grammar uses written as entity codes, one line.

    >>> label('GET /a?b=1 "x" #1; <b>')
    'GET /a?b=1 #quot;x#quot; #35;1#59; #lt;b#gt;'
    """
    return "".join(_ENTITIES.get(char, char) for char in " ".join(text.split()))


def flowchart(diagram: ir.Diagram, *, hand_drawn: bool = True) -> str:
    """A Mermaid flowchart of an architecture view: groups as subgraphs, a class per kind, numbered steps.

    >>> d = ir.Diagram("d", "D", "LR", (ir.Node("a", "app", "service", group="g"), ir.Node("b", "db", "sql")),
    ...     clusters=(ir.Cluster("g", "tier", "tier"),),
    ...     edges=(ir.Edge("e", "a", "b", "request", (ir.EdgeLabel("1", "SELECT"),)),))
    >>> print(flowchart(d, hand_drawn=False), end="")
    flowchart LR
      subgraph g0["tier"]
        n0["app"]
      end
      n1[("db")]
      n0 -->|"1. SELECT"| n1
      classDef client fill:#f4f4f4,stroke:#1e1e1e
      classDef edge fill:#efe7fb,stroke:#7048e8
      classDef store fill:#e7f0fb,stroke:#1f5fae
      classDef cache fill:#fbe7e7,stroke:#c8312b
      classDef messaging fill:#e6f4ea,stroke:#2b8a3e
      classDef service fill:#ffffff,stroke:#1e1e1e
      class n0 service
      class n1 store
    """
    node_ids = {n.id: f"n{i}" for i, n in enumerate(diagram.nodes)}
    group_ids = {c.id: f"g{i}" for i, c in enumerate(diagram.clusters)}
    children, members = diagram.tree()
    lines: list[str] = []
    if hand_drawn:
        lines += ["---", "config:", "  look: handDrawn", "---"]
    lines.append(f"flowchart {_DIRECTIONS.get(diagram.direction, 'LR')}")

    def emit(group: str | None, depth: int) -> None:
        pad = "  " * depth
        for cluster in children.get(group, []):
            lines.append(f'{pad}subgraph {group_ids[cluster.id]}["{label(cluster.label)}"]')
            emit(cluster.id, depth + 1)
            lines.append(f"{pad}end")
        for node in members.get(group, []):
            opening, closing = _SHAPES.get(node.kind, ('["', '"]'))
            lines.append(f"{pad}{node_ids[node.id]}{opening}{label(node.label)}{closing}")

    emit(None, 1)
    for edge in diagram.edges:
        if edge.emphasis == "hidden" or edge.src not in node_ids or edge.dst not in node_ids:
            continue
        text = "<br/>".join(label(f"{lb.number}. {lb.text}".strip(". ")) for lb in edge.labels)
        arrow = _ARROWS.get(edge.hop, "-->")
        middle = f'|"{text}"|' if text else ""
        lines.append(f"  {node_ids[edge.src]} {arrow}{middle} {node_ids[edge.dst]}")
    lines += [f"  classDef {name} {style}" for name, style in _CLASS_STYLES]
    lines += [f"  class {node_ids[n.id]} {KIND_CLASSES.get(n.kind, 'service')}" for n in diagram.nodes]
    return "\n".join(lines) + "\n"


def sequence(design: Design, numbered: NumberedFlow) -> str:
    """A flow as a Mermaid ``sequenceDiagram``: its participants in order, numbered messages, and its ``alt``,
    ``opt``, ``loop``, ``par`` and ``critical`` fragments.

    >>> from generator.frontend.model import Design
    >>> from generator.plan.steps import number_flows
    >>> d = Design.model_validate({"id": "d", "title": "D", "components": [{"id": "a"}, {"id": "b"}],
    ...     "flows": [{"id": "f", "steps": ["a -> b: get", {"alt": [
    ...         {"when": "hit", "steps": ["b --> a: 200"]}, {"when": "miss", "steps": ["b --> a: 404"]}]}]}]})
    >>> print(sequence(d, number_flows(d)[0]), end="")
    sequenceDiagram
      participant n0 as a
      participant n1 as b
      n0->>n1: 1. get
      alt hit
        n1-->>n0: 2a. 200
      else miss
        n1-->>n0: 2b. 404
      end
    """
    order = participants(numbered)
    ids = {ident: f"n{i}" for i, ident in enumerate(order)}
    titles = {c.id: c.title for c in design.components}
    lines = ["sequenceDiagram"]
    lines += [f"  participant {ids[p]} as {label(titles.get(p, p))}" for p in order]
    numbers = iter(step.label for step in numbered.steps)
    _walk(numbered.flow.steps, lines, ids, numbers, depth=1)
    return "\n".join(lines) + "\n"


def _walk(steps: Sequence[Any], lines: list[str], ids: dict[str, str], numbers: Any, *, depth: int) -> None:
    pad = "  " * depth
    for step in steps:
        if isinstance(step, Message):
            number = next(numbers)
            arrow = _MESSAGES.get(step.hop.value, "->>")
            text = label(f"{number}. {step.label}".strip(". ") if step.label else number)
            lines.append(f"{pad}{ids[step.from_]}{arrow}{ids[step.to]}: {text}")
        elif isinstance(step, Fragment):
            if step.branches:
                for index, arm in enumerate(step.branches):
                    lines.append(f"{pad}{'alt' if index == 0 else 'else'} {label(arm.when)}".rstrip())
                    _walk(arm.steps, lines, ids, numbers, depth=depth + 1)
                lines.append(f"{pad}end")
                continue
            keyword = step.fragment
            lines.append(f"{pad}{keyword} {label(step.when)}".rstrip())
            if keyword == "par":  # each message of a par is a branch of its own
                for index, inner in enumerate(step.steps):
                    if index:
                        lines.append(f"{pad}and")
                    _walk([inner], lines, ids, numbers, depth=depth + 1)
            else:
                _walk(step.steps, lines, ids, numbers, depth=depth + 1)
            lines.append(f"{pad}end")
