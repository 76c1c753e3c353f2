"""The neutral diagram IR: nodes, groups and edges with stable ids, in declared order, before any layout."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = ["Cluster", "Diagram", "Edge", "EdgeLabel", "Emphasis", "LegendEntry", "Node"]

Emphasis = Literal["normal", "highlight", "faded", "removed", "hidden", "failed"]
"""How an element is drawn; ``hidden`` edges shape the layout but are not drawn; a ``failed`` node is greyed and
crossed out (a stage's failure, shown rather than removed)."""


@dataclass(frozen=True)
class Node:
    """A component to draw."""

    id: str
    label: str
    kind: str
    tech: str = ""
    replicas: int = 1
    group: str | None = None
    emphasis: Emphasis = "normal"
    flags: tuple[str, ...] = ()
    standby: bool = False
    """A standby instance waits to take over: drawn as a dashed copy behind the drawing."""


@dataclass(frozen=True)
class Cluster:
    """A frame around nodes (and other frames)."""

    id: str
    label: str
    kind: str
    parent: str | None = None
    emphasis: Emphasis = "normal"


@dataclass(frozen=True)
class EdgeLabel:
    """One numbered step written beside an edge, such as ``3`` and ``fetch key range``."""

    number: str
    text: str
    color: int | None = None
    optional: bool = False
    """The step sits in an ``opt`` fragment: its badge is drawn hollow."""


@dataclass(frozen=True)
class Edge:
    """A line between two nodes, carrying one or more numbered steps.

    ``color`` is a marker slot (0 is the first flow's colour) or None for the ink colour.
    """

    id: str
    src: str
    dst: str
    hop: str
    labels: tuple[EdgeLabel, ...] = ()
    color: int | None = None
    emphasis: Emphasis = "normal"


@dataclass(frozen=True)
class LegendEntry:
    """A flow's colour and name, for the legend."""

    color: int
    text: str


@dataclass(frozen=True)
class Diagram:
    """Everything a layout needs: what to draw, in the order the design declared it."""

    id: str
    title: str
    direction: str
    nodes: tuple[Node, ...]
    clusters: tuple[Cluster, ...] = ()
    edges: tuple[Edge, ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    description: str = ""
    caption: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def focused(self) -> Diagram:
        """The diagram cut down to what it draws in full: no faded components, no hidden or faded edges, only the
        groups that hold what is left (a flow's own picture, small, for a panel).

        >>> d = Diagram("d", "D", "LR", (Node("a", "a", "service"), Node("b", "b", "sql", emphasis="faded")),
        ...     edges=(Edge("e", "a", "b", "request", emphasis="hidden"),))
        >>> [n.id for n in d.focused().nodes], d.focused().edges
        (['a'], ())
        """
        nodes = tuple(n for n in self.nodes if n.emphasis not in ("faded", "removed"))
        kept = {n.id for n in nodes}
        edges = tuple(
            e for e in self.edges if e.emphasis not in ("hidden", "faded", "removed") and {e.src, e.dst} <= kept
        )
        parents = {c.id: c.parent for c in self.clusters}
        used: set[str] = set()
        for node in nodes:
            group = node.group
            while group is not None and group not in used:
                used.add(group)
                group = parents.get(group)
        return replace(self, nodes=nodes, edges=edges, clusters=tuple(c for c in self.clusters if c.id in used))

    def tree(self) -> tuple[dict[str | None, list[Cluster]], dict[str | None, list[Node]]]:
        """The groups inside each group and the components in each (``None``: the top level), in declared order.

        >>> d = Diagram("d", "D", "LR", (Node("a", "a", "service", group="g"), Node("b", "b", "sql")),
        ...     clusters=(Cluster("g", "g", "tier"),))
        >>> groups, members = d.tree()
        >>> [c.id for c in groups[None]], [n.id for n in members["g"]], [n.id for n in members[None]]
        (['g'], ['a'], ['b'])
        """
        groups: dict[str | None, list[Cluster]] = {}
        for cluster in self.clusters:
            groups.setdefault(cluster.parent, []).append(cluster)
        members: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            members.setdefault(node.group, []).append(node)
        return groups, members
