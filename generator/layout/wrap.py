"""Long left-to-right chains wrapped into rows, so a pipeline of many steps fits a slide.

Graphviz lays a left-to-right design out as one row of ranks; six components in a chain make a strip five times
as wide as it is tall. Wrapped, the ranks are cut into rows read left to right, top to bottom, like lines of text:
the diagram is laid out top to bottom, each row's components held on one rank.
"""

from __future__ import annotations

import math

from generator.layout.scene import Scene
from generator.plan import ir

__all__ = ["in_reading_order", "ranks", "row_constraints", "rows"]


def ranks(diagram: ir.Diagram) -> dict[str, int]:
    """Each component's rank along the flow: the longest chain of edges leading to it (cycles broken where a
    depth-first walk in declared order meets them, as Graphviz does).

    A reply is counted as the request it answers, the way it is laid out.

    >>> from generator.plan.ir import Diagram, Edge, Node
    >>> nodes = tuple(Node(i, i, "service") for i in "abcd")
    >>> edges = (Edge("1", "a", "b", "request"), Edge("2", "b", "c", "request"), Edge("3", "c", "a", "request"),
    ...          Edge("4", "d", "b", "response"))
    >>> ranks(Diagram("x", "x", "LR", nodes, edges=edges))
    {'a': 0, 'b': 1, 'c': 2, 'd': 2}
    """
    after: dict[str, list[str]] = {n.id: [] for n in diagram.nodes}
    for edge in diagram.edges:
        a, b = (edge.dst, edge.src) if edge.hop == "response" else (edge.src, edge.dst)
        if a != b and a in after and b in after and b not in after[a]:
            after[a].append(b)
    state: dict[str, int] = {}  # 1 on the walk's path, 2 done
    finished: list[str] = []
    forward: dict[str, list[str]] = {n: [] for n in after}
    for start in after:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(after[start]))]
        while stack:
            node, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                state[node] = 2
                finished.append(node)
                stack.pop()
            elif state.get(nxt) != 1:  # an edge back up the path closes a cycle: it does not rank
                forward[node].append(nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(after[nxt])))
    rank = dict.fromkeys(after, 0)
    for node in reversed(finished):
        for nxt in forward[node]:
            rank[nxt] = max(rank[nxt], rank[node] + 1)
    return rank


def rows(diagram: ir.Diagram, count: int) -> list[list[str]] | None:
    """The components of each row when a diagram's ranks are cut into ``count`` rows of (nearly) equal length;
    None when there are too few ranks for that many rows of at least two."""
    rank = ranks(diagram)
    total = max(rank.values(), default=0) + 1
    if count < 2 or total < 2 * count:
        return None
    per = math.ceil(total / count)
    out: list[list[str]] = [[] for _ in range(math.ceil(total / per))]
    for node in diagram.nodes:
        out[rank[node.id] // per].append(node.id)
    return out


def row_constraints(lines: list[list[str]]) -> str:
    """DOT statements holding each row's components on one rank.

    >>> print(row_constraints([["a", "b"], ['say "hi"']]))
    { rank=same; "a"; "b"; }
    { rank=same; "say \\"hi\\""; }
    """
    quoted = [" ".join(f'"{_escape(name)}";' for name in line) for line in lines]
    return "\n".join(f"{{ rank=same; {names} }}" for names in quoted)


def _escape(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')


def in_reading_order(scene: Scene, lines: list[list[str]], rank: dict[str, int]) -> bool:
    """Whether each wrapped row came out left to right: every component right of those a rank before it.

    Graphviz keeps a group's components together, and may put a row's first component after a group; such a
    row reads backwards, and the wrap is not used.
    """
    x = {n.node.id: n.box.cx for n in scene.nodes}
    for line in lines:
        placed = [(rank[i], x[i]) for i in line if i in x]
        for r1, x1 in placed:
            if any(r2 > r1 and x2 <= x1 for r2, x2 in placed):
                return False
    return True
