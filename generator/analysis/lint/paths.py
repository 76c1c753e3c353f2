"""Paths through a flow's calls, for the cycle rule: which arms of ``alt`` fragments a step sits in, and routes
through the calls that can happen in one run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from generator.analysis.lint.model import KeyPath

__all__ = ["Union", "branch_choices", "compatible", "route"]


class Union(Mapping[str, Sequence[str]]):
    """Several adjacency lists read as one graph: a node's targets in each, in order, without repeats."""

    def __init__(self, parts: Sequence[Mapping[str, Sequence[str]]]) -> None:
        self.parts = parts

    def __getitem__(self, node: str) -> Sequence[str]:
        out: list[str] = []
        for part in self.parts:
            for target in part.get(node, ()):
                if target not in out:
                    out.append(target)
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(node for part in self.parts for node in part))

    def __len__(self) -> int:
        return len(dict.fromkeys(node for part in self.parts for node in part))


def branch_choices(path: KeyPath) -> dict[KeyPath, int]:
    """Which arm of each enclosing ``alt`` a step sits in, keyed by the fragment's path.

    >>> branch_choices(("flows", 0, "steps", 3, "branches", 1, "steps", 0))
    {('flows', 0, 'steps', 3): 1}
    """
    return {
        path[:k]: path[k + 1]  # type: ignore[misc]
        for k, part in enumerate(path[:-1])
        if part == "branches" and isinstance(path[k + 1], int)
    }


def compatible(a: Mapping[KeyPath, int], b: Mapping[KeyPath, int]) -> bool:
    """Whether two steps can run in the same pass: they agree on every ``alt`` both sit in."""
    return all(a[key] == b[key] for key in a.keys() & b.keys())


def route(graph: Mapping[str, Sequence[str]], start: str, goal: str) -> list[str] | None:
    """A path from ``start`` to ``goal`` along the graph's edges, depth first in declared order.

    >>> route({"a": ["b"], "b": ["c"]}, "a", "c"), route({"a": ["b"]}, "b", "a")
    (['a', 'b', 'c'], None)
    """
    stack: list[tuple[str, str | None]] = [(start, None)]
    parent: dict[str, str | None] = {}
    while stack:
        node, came_from = stack.pop()
        if node in parent:
            continue
        parent[node] = came_from
        if node == goal:
            trail = [node]
            while (previous := parent[trail[-1]]) is not None:
                trail.append(previous)
            return trail[::-1]
        stack.extend((nxt, node) for nxt in reversed(graph.get(node, ())) if nxt not in parent)
    return None
