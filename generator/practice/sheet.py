"""A design's practice page as data: six exercises and their answers, each answer computed from the model.

The page's template (``writeup/templates/practice.md.j2``) lays the questions out first and every answer after
them, so a learner reads the questions without seeing the answers.
"""

from __future__ import annotations

import random
from typing import Any

from generator.analysis.drills import LOAD_KEYS, flawed, knock_out, pick_kills, scaled_report
from generator.analysis.estimates import KNOWN_KEYS, canonical_key
from generator.analysis.lint import RULES
from generator.analysis.reliability import analyse
from generator.frontend.model import Design, Flow
from generator.plan.prepare import Prepared
from generator.plan.steps import NumberedFlow, number_steps

__all__ = ["practice_context", "shuffled"]

_ARROWS = {"request": "→", "response": "⇢", "async": "⇝", "replication": "⇒", "heartbeat": "⋯>"}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def shuffled(count: int, seed: str) -> list[int]:
    """The order ``0..count-1`` shuffled by a generator seeded with ``seed``, never left as it was (for two or more).

    >>> shuffled(5, "url-shortener/read") == shuffled(5, "url-shortener/read")
    True
    >>> sorted(shuffled(5, "x")), shuffled(2, "y"), shuffled(1, "z")
    ([0, 1, 2, 3, 4], [1, 0], [0])
    """
    order = list(range(count))
    if count < 2:
        return order
    rng = random.Random(seed)
    while order == sorted(order):
        rng.shuffle(order)
    return order


def _names(design: Design) -> dict[str, str]:
    return {c.id: c.title for c in design.components}


def _step_text(design: Design, numbered: NumberedFlow, index: int) -> str:
    step = numbered.steps[index]
    names = _names(design)
    msg = step.message
    text = f"{names[msg.from_]} {_ARROWS.get(msg.hop.value, '→')} {names[msg.to]}"
    return f"{text}: {msg.label}" if msg.label else text


def _order_flow(prepared: Prepared) -> NumberedFlow | None:
    """The flow to put back in order: the one ``practice.order`` names, else the longest without alternatives."""
    wanted = prepared.design.practice.order
    flows = list(prepared.flows)
    if wanted is not None:
        return next((f for f in flows if f.flow.id == wanted), None)
    plain = [f for f in flows if not any(s.branch for s in f.steps)] or flows
    plain = [f for f in plain if len(f.steps) >= 3]
    return max(plain, key=lambda f: len(f.steps), default=None)


def _redraw(prepared: Prepared) -> dict[str, Any] | None:
    view = prepared.practice
    if view is None:
        return None
    design = prepared.design
    blanks = []
    for text, ident in view.blanks:
        comp = design.component(ident)
        blanks.append({"blank": text, "name": comp.title, "kind": comp.kind.value, "tech": comp.tech})
    flows = [
        {"name": n.flow.name, "steps": [f"{s.label}. {_step_text(design, n, i)}" for i, s in enumerate(n.steps)]}
        for n in prepared.flows
        if n.flow.overview
    ]
    return {"svg": f"{view.stem}.svg", "png": f"{view.stem}.png", "alt": view.description, "blanks": blanks,
            "flows": flows}  # fmt: skip


def _order(prepared: Prepared) -> dict[str, Any] | None:
    numbered = _order_flow(prepared)
    if numbered is None:
        return None
    design = prepared.design
    order = shuffled(len(numbered.steps), f"{design.id}/{numbered.flow.id}")
    items = [{"letter": _LETTERS[n % 26] * (1 + n // 26), "text": _step_text(design, numbered, i)}
             for n, i in enumerate(order)]  # fmt: skip
    letter_of = {i: items[n]["letter"] for n, i in enumerate(order)}
    answer = [
        {"letter": letter_of[i], "number": s.label, "text": _step_text(design, numbered, i)}
        for i, s in enumerate(numbered.steps)
    ]
    return {"flow": numbered.flow.name, "shuffled": items, "answer": answer, "lettered": _lettered(numbered.flow)}


def _lettered(flow: Flow) -> bool:
    return any(getattr(step, "fragment", "") == "alt" for step in flow.steps)


def _estimate(prepared: Prepared) -> dict[str, Any] | None:
    design, lesson = prepared.design, prepared.estimates
    factor = design.practice.scale
    scaled = scaled_report(design.estimates, factor) if lesson is not None else None
    if scaled is None or lesson is None:
        return None
    report, values, broken = scaled
    inputs = [
        {"name": k.replace("_", " "), "value": str(v), "scaled": v != design.estimates[k]}
        for k, v in values.items()
        if canonical_key(k) in LOAD_KEYS or (k in values and canonical_key(k) in KNOWN_KEYS)
    ]
    before = {row.key: row.pretty for row in lesson.rows}
    answers = [
        {"name": row.name, "value": row.pretty, "formula": row.formula, "lesson": before.get(row.key, "")}
        for row in report.rows
    ]
    asks = [a["name"] for a in answers]
    return {"factor": f"{factor:g}", "inputs": inputs, "asks": asks, "answers": answers, "broken": list(broken)}


def _kills(prepared: Prepared) -> list[dict[str, Any]]:
    design = prepared.design
    if not design.flows:
        return []
    report = prepared.reliability or analyse(design)
    flows = {f.id: f.name for f in design.flows}
    names = _names(design)
    out = []
    for ident in design.practice.kill if design.practice.kill is not None else pick_kills(design):
        knocked = knock_out(design, ident, report)
        comp = design.component(ident)
        effects = [
            {"flow": flows[e.flow_id], "outcome": e.outcome, "reason": e.reason, "before": e.before, "after": e.after}
            for e in knocked.effects
        ]
        fix = knocked.fix
        for flow_id, name in flows.items():
            fix = fix.replace(f"'{flow_id}'", name)
        copies = f"{knocked.copies} instances" if knocked.copies > 1 else "one instance"
        out.append({"name": names[ident], "kind": comp.kind.value, "copies": copies, "effects": effects, "fix": fix})
    return out


def _review(prepared: Prepared) -> dict[str, Any] | None:
    design = prepared.design
    asked = design.practice.flaws
    variant = flawed(design, asked)
    if variant is None:
        return None
    changes = variant.changes if asked is not None else variant.changes[:3]
    codes = {c.subject for c in changes}
    shown = variant.design
    components = [
        {"name": c.title, "kind": c.kind.value, "replicas": c.replicas, "standby": "yes" if c.standby else "",
         "expiry": c.expiry}
        for c in shown.components
    ]  # fmt: skip
    changed_flows = [
        {"name": f.name, "steps": [_step_text(shown, n, i) for i in range(len(n.steps))]}
        for f, n in ((f, _renumber(f)) for f in shown.flows)
        if any(ch.flaw == "consumer" and f"flow '{f.id}'" in ch.text for ch in changes)
    ]
    names = _names(design)
    findings = [
        {"title": RULES[f.code].title, "severity": f.severity, "text": _named(f.message, names)}
        for f in variant.findings
    ]
    return {
        "components": components,
        "flows": changed_flows,
        "changes": [_named(c.text, {f.id: f.name for f in design.flows} | names) for c in changes],
        "findings": findings,
        "count": len(changes),
        "subjects": sorted(codes),
    }


def _renumber(flow: Flow) -> NumberedFlow:
    return NumberedFlow(flow, tuple(number_steps(flow.steps)))


def _named(text: str, names: dict[str, str]) -> str:
    for ident, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f"'{ident}'", f"'{name}'")
    return text


def _argue(design: Design) -> list[dict[str, str]]:
    out = []
    for t in design.tradeoffs:
        question = f"Why {t.choice}" + (f" instead of {t.instead_of}" if t.instead_of else "") + "? What does it cost?"
        answer = "; ".join(
            part
            for part in (
                "Buys: " + "; ".join(t.pros) if t.pros else "",
                "Costs: " + "; ".join(t.cons) if t.cons else "",
            )
            if part
        )
        out.append({"question": question, "answer": answer or "The design states the choice without its reasons."})
    for dive in design.deep_dives:
        out.append({"question": f"Explain: {dive.title}.", "answer": dive.text})
    for mode in design.failure_modes:
        answer = " ".join(
            x
            for x in (mode.impact and f"Impact: {mode.impact}.", mode.mitigation and f"Mitigation: {mode.mitigation}.")
            if x
        )
        out.append({"question": f"What happens when {mode.failure}?", "answer": answer})
    out.extend({"question": q, "answer": ""} for q in design.practice.questions)
    return out


def practice_context(prepared: Prepared) -> dict[str, Any]:
    """Everything the practice template needs, as data: each exercise's question and its computed answer."""
    design = prepared.design
    return {
        "design": design,
        "redraw": _redraw(prepared),
        "order": _order(prepared),
        "estimate": _estimate(prepared),
        "kills": _kills(prepared),
        "review": _review(prepared),
        "argue": _argue(design),
    }
