"""Sequence views: a flow laid out as lifelines and numbered messages, with opt / alt / loop / par fragments.

The layout is plain geometry (no Graphviz): participants left to right in order of first appearance, one row
per message, fragments as frames around the rows they hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.frontend.model import Design, Flow, Fragment, Message
from generator.layout.anatomy import badge_width
from generator.layout.scene import Box
from generator.layout.slide import SLIDE
from generator.layout.text import Ruler, wrap_label
from generator.plan import ir
from generator.plan.steps import NumberedFlow, NumberedStep, participants

__all__ = [
    "SeqFragment",
    "SeqMessage",
    "SeqParticipant",
    "SequenceScene",
    "layout_sequence",
]

HEAD = 46.0
"""Side of a participant's drawing, in points."""
ROW = 40.0
"""Vertical distance between two messages."""
GAP = 36.0
"""Least horizontal room between two lifelines' labels."""


@dataclass(frozen=True)
class SeqParticipant:
    """A lifeline: its node, the box of its head (drawing and label) and its x."""

    node: ir.Node
    head: Box
    x: float
    label_lines: tuple[str, ...]


@dataclass(frozen=True)
class SeqMessage:
    """One arrow between lifelines (or a self-call when ``x1 == x2``)."""

    id: str
    number: str
    text: str
    hop: str
    y: float
    x1: float
    x2: float
    label_box: Box
    note: str = ""
    optional: bool = False
    lost: bool = False


@dataclass(frozen=True)
class SeqFragment:
    """An opt / alt / loop / par / critical frame; ``dividers`` are the y of each ``else`` line with its text."""

    id: str
    kind: str
    condition: str
    box: Box
    dividers: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class SequenceScene:
    """A laid-out sequence diagram, in points, origin at the top left."""

    id: str
    width: float
    height: float
    participants: tuple[SeqParticipant, ...]
    messages: tuple[SeqMessage, ...]
    fragments: tuple[SeqFragment, ...]
    lifeline_top: float
    lifeline_bottom: float
    font_size: float
    color: int


class _Measure:
    """Text widths at the body size, as the ruler gives them (for the text as written)."""

    def __init__(self, ruler: Ruler) -> None:
        self.size = ruler.size
        self.ruler = ruler

    def width(self, text: str) -> float:
        return self.ruler.width(text, self.size)


def layout_sequence(design: Design, numbered: NumberedFlow, *, ruler: Ruler) -> SequenceScene:
    """Lay a flow out as a sequence diagram.

    Args:
        design: The design the flow belongs to (for component labels and kinds).
        numbered: The flow, its steps numbered.
        ruler: How text is measured (the theme's font and size).
    """
    size = ruler.size
    measure = _Measure(ruler)
    flow, slot = numbered.flow, numbered.slot
    ids = participants(numbered)
    comps = {c.id: c for c in design.components}
    nodes = [ir.Node(id=i, label=comps[i].title, kind=comps[i].kind.value, tech=comps[i].tech, replicas=1) for i in ids]
    # Lifeline heads wrap like node labels, but as one paragraph: a line break in a label is a space here.
    label_lines = {n.id: tuple(wrap_label(" ".join(n.label.split()), 16)) for n in nodes}
    head_w = {n.id: max(HEAD + 20, *(measure.width(line) + 12 for line in label_lines[n.id])) for n in nodes}

    steps = list(numbered.steps)
    # Room between neighbouring lifelines: enough for the widest label of a message between them.
    need: dict[tuple[int, int], float] = {}
    index = {ident: i for i, ident in enumerate(ids)}
    for step in steps:
        a, b = index[step.message.from_], index[step.message.to]
        lo, hi = min(a, b), max(a, b)
        badge = max(size * 1.5, badge_width(step.label, size * 0.55, size, ruler.drawn_width) + 6)
        text_w = measure.width(step.message.label) + badge + 16
        if lo == hi:
            hi = min(lo + 1, len(ids) - 1)
            text_w += 30
        span = max(hi - lo, 1)
        for k in range(lo, max(hi, lo + 1)):
            need[(k, k + 1)] = max(need.get((k, k + 1), 0.0), text_w / span)
    margin = 24.0 + 12.0 * _depth(flow.steps)
    xs: list[float] = []
    x = margin + head_w[ids[0]] / 2 if ids else margin
    for i, ident in enumerate(ids):
        if i:
            prev = ids[i - 1]
            x += max(head_w[prev] / 2 + head_w[ident] / 2 + GAP, need.get((i - 1, i), 0.0) + 20)
        xs.append(x)
    title_h = size * 3.6
    head_h = HEAD + 6 + max((len(v) for v in label_lines.values()), default=1) * size * 1.25
    parts, state = _place(flow, steps, nodes, xs, head_w, label_lines, title_h, head_h, measure, size)
    # A note wider than the room left of its arrow would start off the picture: move every lifeline right.
    shift = margin - min([margin, *(_note_left(m, measure) for m in state.messages if m.note)])
    if shift > 0:
        xs = [x + shift for x in xs]
        parts, state = _place(flow, steps, nodes, xs, head_w, label_lines, title_h, head_h, measure, size)
    bottom = state.y + ROW * 0.2
    width = (xs[-1] + head_w[ids[-1]] / 2 + margin) if ids else 200.0
    right = max(
        [
            width,
            *(m.label_box.right + margin for m in state.messages),
            *(_note_right(m, measure) + margin for m in state.messages if m.note),
            *(f.box.right + 12 for f in state.fragments),
        ]
    )
    return SequenceScene(
        id=f"{design.id}-{flow.id}-sequence",
        width=round(right, 2),
        height=round(bottom + 16, 2),
        participants=parts,
        messages=tuple(state.messages),
        fragments=tuple(state.fragments),
        lifeline_top=round(title_h + head_h, 2),
        lifeline_bottom=round(bottom, 2),
        font_size=size,
        color=slot,
    )


def _place(
    flow: Flow,
    steps: list[NumberedStep],
    nodes: list[ir.Node],
    xs: list[float],
    head_w: dict[str, float],
    label_lines: dict[str, tuple[str, ...]],
    title_h: float,
    head_h: float,
    measure: _Measure,
    size: float,
) -> tuple[tuple[SeqParticipant, ...], _State]:
    """The lifelines at ``xs`` and the messages walked down them (closer rows when a long one must fit a slide)."""
    top = title_h + head_h + 8
    parts = tuple(
        SeqParticipant(
            node=n,
            head=Box(
                round(xs[i] - head_w[n.id] / 2, 2),
                round(title_h, 2),
                round(head_w[n.id], 2),
                round(head_h, 2),
            ),
            x=round(xs[i], 2),
            label_lines=label_lines[n.id],
        )
        for i, n in enumerate(nodes)
    )
    xpos = {p.node.id: p.x for p in parts}
    state = _State(top=top + ROW * 0.6, xpos=xpos, measure=measure, size=size)
    state.walk(list(flow.steps), steps, [0], depth=0)
    over = state.y + ROW * 0.2 + 16 - SLIDE[1]
    if over > 0 and state.rows:  # a long sequence: closer rows, down to half the gap, so it fits a slide
        gap = max(ROW * 0.45 - over / state.rows, ROW * 0.22)
        state = _State(top=top + ROW * 0.6, xpos=xpos, measure=measure, size=size, gap=gap)
        state.walk(list(flow.steps), steps, [0], depth=0)
    return parts, state


def _note_left(m: SeqMessage, measure: _Measure) -> float:
    """Where a message's note starts on the left (see :func:`_note_right`)."""
    width = measure.width(m.note) * 0.85
    centre = (m.x1 + m.x2) / 2 if m.x1 != m.x2 else m.x1 + 40 + width / 2
    return centre - width / 2


def _note_right(m: SeqMessage, measure: _Measure) -> float:
    """Where a message's note ends on the right (notes are centred under the arrow, or beside a self-call)."""
    width = measure.width(m.note) * 0.85
    centre = (m.x1 + m.x2) / 2 if m.x1 != m.x2 else m.x1 + 40 + width / 2
    return centre + width / 2


def _depth(steps: Sequence[Any]) -> int:
    deepest = 0
    for step in steps:
        if isinstance(step, Fragment):
            inner = [step.steps, *(b.steps for b in step.branches)]
            deepest = max(deepest, 1 + max(_depth(s) for s in inner))
    return deepest


class _State:
    """Walks the steps, placing each message on its row and each fragment around its rows."""

    def __init__(
        self, *, top: float, xpos: dict[str, float], measure: _Measure, size: float, gap: float = ROW * 0.45
    ) -> None:
        self.y = top
        self.gap = gap
        self.rows = 0
        """Messages placed (each one row)."""
        self.xpos = xpos
        self.measure = measure
        self.size = size
        self.messages: list[SeqMessage] = []
        self.fragments: list[SeqFragment] = []

    def walk(self, steps: list[Any], numbered: list[Any], cursor: list[int], *, depth: int) -> tuple[float, float]:
        """Place steps; returns the x range of the lifelines they touch."""
        lo, hi = float("inf"), float("-inf")
        for step in steps:
            if isinstance(step, Message):
                numbered_step = numbered[cursor[0]]
                cursor[0] += 1
                a, b = self._message(numbered_step)
            else:
                a, b = self._fragment(step, numbered, cursor, depth=depth)
            lo, hi = min(lo, a), max(hi, b)
        return lo, hi

    def _message(self, step: Any) -> tuple[float, float]:
        m: Message = step.message
        x1, x2 = self.xpos[m.from_], self.xpos[m.to]
        text_w = self.measure.width(m.label) + self.size * 1.5 + 6
        h = self.size * 1.3
        self_call = x1 == x2
        y = self.y + (h if not self_call else h * 0.6)
        if self_call:
            box = Box(round(x1 + 34, 2), round(y - h / 2, 2), round(text_w, 2), round(h, 2))
            extra = ROW * 0.7
        else:
            mid = (x1 + x2) / 2
            box = Box(round(mid - text_w / 2, 2), round(y - h - 3, 2), round(text_w, 2), round(h, 2))
            extra = 0.0
        self.messages.append(
            SeqMessage(
                id=f"m{len(self.messages) + 1}",
                number=step.label,
                optional=step.optional,
                lost=m.lost,
                text=m.label,
                hop=m.hop.value,
                y=round(y, 2),
                x1=x1,
                x2=x2,
                label_box=box,
                note=m.note,
            )
        )
        self.y = y + self.gap + extra
        self.rows += 1
        if m.note:
            self.y += self.size * 1.4
        right = box.right if self_call else max(x1, x2)
        return min(x1, x2), right

    def _fragment(self, frag: Fragment, numbered: list[Any], cursor: list[int], *, depth: int) -> tuple[float, float]:
        top = self.y + 4
        self.y = top + self.size * 1.6
        lo, hi = self.walk(frag.steps, numbered, cursor, depth=depth + 1)
        condition = frag.when
        dividers: list[tuple[float, str]] = []
        for i, branch in enumerate(frag.branches):
            if i == 0 and not frag.steps:
                condition = branch.when
                self.y = top + self.size * 1.6
            else:
                dividers.append((round(self.y + 2, 2), branch.when))
                self.y += self.size * 1.6
            a, b = self.walk(branch.steps, numbered, cursor, depth=depth + 1)
            lo, hi = min(lo, a), max(hi, b)
        pad = 40.0 - 10.0 * depth
        left, right = lo - max(pad, 14), hi + max(pad, 14)
        tab = self.measure.width(f"{frag.fragment} [{condition}]") + 24
        right = max(right, left + tab + 20)
        bottom = self.y + 4
        self.fragments.append(
            SeqFragment(
                id=f"frag{len(self.fragments) + 1}",
                kind=frag.fragment,
                condition=condition,
                box=Box(round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2)),
                dividers=tuple(dividers),
            )
        )
        self.y = bottom + 8
        return left, right
