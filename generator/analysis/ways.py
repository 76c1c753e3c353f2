"""The ways through a flow: each ``alt`` takes one arm, every other step happens (for the availability maths)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.frontend.model import Flow, Fragment, Message

__all__ = ["has_alternatives", "ways"]


def ways(steps: Sequence[Any], *, limit: int = 64) -> list[tuple[tuple[str, ...], list[Message]]]:
    """Every way through a list of steps: each ``alt`` takes one of its arms (the arms' ``when`` are named); the
    other fragments' steps all happen. At most ``limit`` ways, the first in declared order.

    >>> from generator.frontend.model import Flow
    >>> flow = Flow.model_validate({"id": "f", "steps": ["a -> b", {"alt": [
    ...     {"when": "hit", "steps": ["b -> c"]}, {"when": "miss", "steps": ["b -> d"]}]}]})
    >>> [(arms, [m.to for m in messages]) for arms, messages in ways(flow.steps)]
    [(('hit',), ['b', 'c']), (('miss',), ['b', 'd'])]
    """
    found: list[tuple[tuple[str, ...], list[Message]]] = [((), [])]
    for step in steps:
        if isinstance(step, Message):
            found = [(arms, [*messages, step]) for arms, messages in found]
            continue
        options: list[tuple[tuple[str, ...], list[Message]]] = []
        if step.steps:
            options = ways(step.steps, limit=limit)
        if step.branches:
            options = [
                ((branch.when, *arms), messages)
                for branch in step.branches
                for arms, messages in ways(branch.steps, limit=limit)
            ]
        found = [
            ((*arms, *more), [*messages, *extra]) for arms, messages in found for more, extra in options or [((), [])]
        ][:limit]
    return found


def has_alternatives(flow: Flow) -> bool:
    """Whether a flow has an ``alt`` anywhere in its steps."""

    def walk(steps: Sequence[Any]) -> bool:
        return any(
            isinstance(s, Fragment) and (bool(s.branches) or walk(s.steps) or any(walk(b.steps) for b in s.branches))
            for s in steps
        )

    return walk(flow.steps)
