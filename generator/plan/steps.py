"""Step numbers: each flow's messages numbered once, the fragments each sits in, and its marker colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.frontend.model import Design, Flow, Fragment, Message

__all__ = ["NumberedFlow", "NumberedStep", "number_flows", "number_steps", "participants"]


@dataclass(frozen=True)
class NumberedStep:
    """A message with its derived step number and the fragments it sits in (outermost first)."""

    number: int
    message: Message
    fragments: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberedFlow:
    """A flow with its steps numbered, and its marker slot (its colour: its index among the design's flows)."""

    flow: Flow
    steps: tuple[NumberedStep, ...]
    slot: int = 0


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
            _walk(step.steps, out, (*frames, label), share=step.fragment == "par")
            for branch in step.branches:
                _walk(branch.steps, out, (*frames, f"alt {branch.when}"), share=False)


def number_flows(design: Design) -> tuple[NumberedFlow, ...]:
    """Every flow of a design with its steps numbered, in declared order, each in its own marker slot."""
    return tuple(NumberedFlow(flow, tuple(number_steps(flow.steps)), slot) for slot, flow in enumerate(design.flows))


def participants(numbered: NumberedFlow) -> list[str]:
    """Component ids in the order the flow's ``participants`` gives, then in order of first appearance.

    >>> from generator.frontend.model import Flow
    >>> flow = Flow.model_validate({"id": "f", "steps": ["a -> b", "b -> c", "c --> a"]})
    >>> participants(NumberedFlow(flow, tuple(number_steps(flow.steps))))
    ['a', 'b', 'c']
    """
    order: list[str] = list(numbered.flow.participants)
    for step in numbered.steps:
        for ident in (step.message.from_, step.message.to):
            if ident not in order:
                order.append(ident)
    return order
