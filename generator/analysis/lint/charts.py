"""The chart rules (BP120-BP122): every box reachable, every question answered twice, no dead end."""

from __future__ import annotations

from collections.abc import Iterator

from generator.analysis.lint.model import Context, Hit, Rule, rule

__all__ = ["CHART_RULES"]


@rule(
    "BP120",
    "warning",
    "Chart node that no arrow reaches",
    """
    A flowchart or state machine is read from its start. A box that no path from a start reaches is either
    left over from an earlier draft or missing the arrow that leads to it, and a reader following the chart
    never sees it. Add the arrow, or remove the box. Charts without a start node are not checked.
    """,
)
def _chart_unreachable(ctx: Context) -> Iterator[Hit]:
    for c, chart in enumerate(ctx.design.charts):
        starts = [n.id for n in chart.nodes if n.shape == "start"]
        if not starts:
            continue
        seen, todo = set(starts), list(starts)
        while todo:
            here = todo.pop()
            for edge in chart.edges:
                if edge.from_ == here and edge.to not in seen:
                    seen.add(edge.to)
                    todo.append(edge.to)
        for n, node in enumerate(chart.nodes):
            if node.id not in seen:
                yield Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': no path from its start reaches '{node.id}'",
                    f"add an arrow to '{node.id}', or remove it",
                )


@rule(
    "BP121",
    "warning",
    "Question with fewer than two answers",
    """
    A decision (a diamond) asks a question, so at least two arrows leave it, one per answer, each labelled
    with its answer. A diamond with one way out is a step drawn as a question, or a question whose other answer
    was forgotten: the case a reader most needs to see.
    """,
)
def _chart_one_answer(ctx: Context) -> Iterator[Hit]:
    for c, chart in enumerate(ctx.design.charts):
        for n, node in enumerate(chart.nodes):
            answers = [e for e in chart.edges if e.from_ == node.id]
            if node.shape == "decision" and len(answers) < 2:
                yield Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': the question '{node.id}' has {len(answers)} answer"
                    f"{'' if len(answers) == 1 else 's'}",
                    "draw an arrow for each answer (yes and no), or make it an action",
                )


@rule(
    "BP122",
    "warning",
    "Flowchart dead end",
    """
    In a flowchart every path ends at an end node (a stadium), so a reader knows the process is over rather
    than wondering what happens next. A step with no arrow out that is not an end is a dead end: add the next
    step, or make it an end. State machines are not checked: a state with no way out is a final state.
    """,
)
def _chart_dead_end(ctx: Context) -> Iterator[Hit]:
    for c, chart in enumerate(ctx.design.charts):
        if chart.kind != "flowchart":
            continue
        sources = {e.from_ for e in chart.edges}
        for n, node in enumerate(chart.nodes):
            if node.shape != "end" and node.id not in sources:
                yield Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': the path stops at '{node.id}', which is not an end",
                    f"add an arrow out of '{node.id}', or give it 'shape: end'",
                )


CHART_RULES: tuple[Rule, ...] = (
    _chart_unreachable,
    _chart_one_answer,
    _chart_dead_end,
)
"""The rules, in code order."""
