"""Step numbers: each flow's messages numbered once, the fragments each sits in, and its marker colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.frontend.model import Design, Flow, Fragment, Message

__all__ = ["NumberedFlow", "NumberedStep", "number_flows", "number_steps", "participants", "untaken"]


@dataclass(frozen=True)
class NumberedStep:
    """A message with its derived step number and the fragments it sits in (outermost first).

    Attributes:
        number: The step number. The arms of an ``alt`` are alternatives, so they share their numbers.
        message: The message.
        fragments: The fragments it sits in, outermost first, as ``"opt on a miss"``.
        branch: Which arm of an ``alt`` it is on, as letters (``"a"``, ``"b"``; ``"ab"`` nested), else empty.
        optional: It sits in an ``opt`` fragment: it may not happen.
    """

    number: int
    message: Message
    fragments: tuple[str, ...] = ()
    branch: str = ""
    optional: bool = False

    @property
    def label(self) -> str:
        """The number as drawn and narrated: ``4``, or ``4a`` and ``4b`` for the arms of an alternative."""
        return f"{self.number}{self.branch}"


@dataclass(frozen=True)
class NumberedFlow:
    """A flow with its steps numbered, and its marker slot (its colour: its index among the design's flows)."""

    flow: Flow
    steps: tuple[NumberedStep, ...]
    slot: int = 0


def number_steps(steps: Sequence[Any]) -> list[NumberedStep]:
    """Number a flow's messages in order.

    Parallel steps and the members of a ``par`` fragment share a number. The arms of an ``alt`` are alternatives:
    each starts at the same number and carries a letter (4a, 5a on the first arm, 4b on the second), and the
    steps after the ``alt`` go on from the longest arm.

    >>> from generator.frontend.model import Flow
    >>> flow = Flow.model_validate({"id": "f", "steps": [
    ...     "a -> b: one", {"from": "b", "to": "c", "parallel": False},
    ...     {"from": "b", "to": "d", "parallel": True}, {"par": "fan out", "steps": ["c -> e", "c -> f"]}]})
    >>> [(s.label, s.message.to) for s in number_steps(flow.steps)]
    [('1', 'b'), ('2', 'c'), ('2', 'd'), ('3', 'e'), ('3', 'f')]
    >>> flow = Flow.model_validate({"id": "f", "steps": ["a -> b", {"alt": [
    ...     {"when": "hit", "steps": ["b -> c"]}, {"when": "miss", "steps": ["b -> d", "d -> e"]}]}, "b -> a"]})
    >>> [s.label for s in number_steps(flow.steps)]
    ['1', '2a', '2b', '3b', '4']
    """
    out: list[NumberedStep] = []
    _walk(list(steps), out, (), share=False, base=0, branch="", optional=False)
    return out


def _walk(
    steps: list[Any],
    out: list[NumberedStep],
    frames: tuple[str, ...],
    *,
    share: bool,
    base: int,
    branch: str,
    optional: bool,
) -> int:
    """Number ``steps`` after step ``base``; returns the last number used."""
    first_in_par = True
    last = base
    for step in steps:
        if isinstance(step, Message):
            shares = (step.parallel and last > 0) or (share and not first_in_par)
            number = last if shares and last > 0 else last + 1
            first_in_par = False
            last = number
            out.append(NumberedStep(number, step, frames, branch, optional))
        elif isinstance(step, Fragment):
            label = f"{step.fragment} {step.when}".strip()
            inner = optional or step.fragment == "opt"
            if step.steps:
                last = _walk(
                    step.steps, out, (*frames, label), share=step.fragment == "par", base=last, branch=branch,
                    optional=inner,
                )  # fmt: skip
            if step.branches:
                start, ends = last, []
                for index, arm in enumerate(step.branches):
                    letter = branch + _letters(index)
                    ends.append(
                        _walk(arm.steps, out, (*frames, f"alt {arm.when}"), share=False, base=start, branch=letter,
                              optional=optional)
                    )  # fmt: skip
                last = max(ends)
    return last


def untaken(flow: Flow) -> set[int]:
    """The messages (by ``id()``) on arms of an ``alt`` that the flow's ``take`` passes over: for each alt with an
    arm named in ``take``, every message of its other arms.

    >>> flow = Flow.model_validate({"id": "f", "take": ["miss"], "steps": ["a -> b", {"alt": [
    ...     {"when": "hit", "steps": ["b -> c"]}, {"when": "miss", "steps": ["b -> d"]}]}]})
    >>> [s.message.to for s in number_steps(flow.steps) if id(s.message) in untaken(flow)]
    ['c']
    """
    chosen = set(flow.take)
    out: set[int] = set()

    def visit(steps: Sequence[Any], skipped: bool) -> None:
        for step in steps:
            if isinstance(step, Message):
                if skipped:
                    out.add(id(step))
            elif isinstance(step, Fragment):
                visit(step.steps, skipped)
                picked = chosen & {arm.when for arm in step.branches}
                for arm in step.branches:
                    visit(arm.steps, skipped or (bool(picked) and arm.when not in picked))

    visit(flow.steps, False)
    return out


def _letters(index: int) -> str:
    """a, b, ..., z, then aa, ab, ...: the letter of an alternative's arm.

    >>> _letters(0), _letters(1), _letters(26)
    ('a', 'b', 'aa')
    """
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


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
