"""Drills worked out on a design for its practice page: scaled estimates, a box killed, a copy with flaws put in.

Every answer is computed by the engines the write-up uses (:func:`~generator.analysis.estimates.estimate`,
:func:`~generator.analysis.reliability.analyse`, :func:`~generator.analysis.lint.lint`) on a changed copy of the
design, so the practice page never states a figure the lesson's own maths would not give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.analysis.estimates import EstimateReport, canonical_key, estimate
from generator.analysis.lint import Finding, lint
from generator.analysis.lint.model import CONSUME_RE, EXPIRY_RE, KeyPath, plays
from generator.analysis.reliability import ReliabilityReport, analyse, redundancy
from generator.analysis.units import format_count
from generator.frontend.model import PRACTICE_FLAWS, Component, Design, Fragment, Hop, Message, Scalar, iter_messages

__all__ = [
    "LOAD_KEYS",
    "Change",
    "Effect",
    "Knockout",
    "Variant",
    "flawed",
    "knock_out",
    "pick_kills",
    "practice_problems",
    "scale_estimates",
    "scaled_report",
]

LOAD_KEYS = frozenset(
    {
        "daily_active_users",
        "writes_per_day",
        "writes_per_month",
        "writes_per_second",
        "reads_per_day",
        "reads_per_month",
        "reads_per_second",
    }
)
"""The estimate inputs that measure load: what the estimate drill scales (sizes, ratios and per-user rates stay)."""


def practice_problems(design: Design) -> list[tuple[KeyPath, str, str]]:
    """The ``practice:`` section's references that name nothing: (key path, message, hint) each.

    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a"}],
    ...     "practice": {"order": "read", "kill": ["a", "b"]}})
    >>> [(path, message) for path, message, _ in practice_problems(d)]
    [(('practice', 'order'), "practice.order names 'read', which is not a flow"), (('practice', 'kill', 1), \
"practice.kill names 'b', which is not a component")]
    """
    flows = [f.id for f in design.flows]
    comps = [c.id for c in design.components]
    out: list[tuple[KeyPath, str, str]] = []
    order = design.practice.order
    if order is not None and order not in flows:
        hint = f"its flows are {', '.join(flows)}" if flows else "the design has no flows"
        out.append((("practice", "order"), f"practice.order names '{order}', which is not a flow", hint))
    for index, ident in enumerate(design.practice.kill or ()):
        if ident not in comps:
            out.append(
                (
                    ("practice", "kill", index),
                    f"practice.kill names '{ident}', which is not a component",
                    f"its components are {', '.join(comps[:12])}" + (", ..." if len(comps) > 12 else ""),
                )
            )
    return out


def scale_estimates(values: Mapping[str, Scalar], factor: float) -> tuple[dict[str, Scalar], tuple[str, ...]]:
    """The estimates with every load input multiplied by ``factor``, and the keys (as written) that changed.

    >>> scaled, keys = scale_estimates({"new_urls_per_day": "100M", "record_size": "100 B"}, 10)
    >>> scaled, keys
    ({'new_urls_per_day': '1B', 'record_size': '100 B'}, ('new_urls_per_day',))
    """
    report = estimate(values)
    given = {row.key: row.value for row in report.inputs}
    out: dict[str, Scalar] = {}
    changed: list[str] = []
    for written, value in values.items():
        key = canonical_key(written)
        if key in LOAD_KEYS and key in given:
            out[written] = format_count(given[key] * factor)
            changed.append(written)
        else:
            out[written] = value
    return out, tuple(changed)


def scaled_report(
    values: Mapping[str, Scalar], factor: float
) -> tuple[EstimateReport, dict[str, Scalar], tuple[str, ...]] | None:
    """The estimate of the scaled inputs, the inputs, and what no longer holds at that scale (a key length too
    short: the input is dropped so the engine works out the one needed); None when nothing scales.

    >>> report, values, broken = scaled_report({"new_urls_per_day": "100M", "retention": "10 years",
    ...     "record_size": "100 B", "key_alphabet": 62, "key_length": 7}, 10)
    >>> report.row("key_length_needed").pretty, broken
    ('8 characters', ('62^7 = 3.52T keys is fewer than the 3.65T records over retention (use 8 characters)',))
    """
    scaled, changed = scale_estimates(values, factor)
    if not changed:
        return None
    report = estimate(scaled)
    broken = tuple(f"{e.message} ({e.hint})" if e.hint else e.message for e in report.errors)
    if report.errors:
        dropped = {e.key for e in report.errors} - set(changed)
        scaled = {k: v for k, v in scaled.items() if k not in dropped}
        report = estimate(scaled)
    return None if report.errors or not report.rows else (report, scaled, broken)


@dataclass(frozen=True)
class Effect:
    """What one instance of a component dying does to one flow."""

    flow_id: str
    outcome: str
    """``breaks`` (the flow fails while it is down) or ``degrades`` (it carries on, slower or with less spare)."""
    reason: str
    before: str = ""
    """The flow's availability as designed (empty for a flow with no figure)."""
    after: str = ""
    """Its availability while the instance is down."""


@dataclass(frozen=True)
class Knockout:
    """One instance of a component killed: each flow it touches, and what the component's copies would change."""

    component_id: str
    copies: int
    effects: tuple[Effect, ...]
    fix: str = ""
    """What one more copy would do, e.g. "with a standby, 'read' would be 99.95%"."""


def pick_kills(design: Design, *, most: int = 3) -> list[str]:
    """Components worth killing: on a flow, inside the system; single instances first, then databases, caches.

    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "c", "kind": "client"},
    ...     {"id": "app", "kind": "service", "replicas": 3}, {"id": "db", "kind": "sql"}],
    ...     "flows": [{"id": "f", "steps": ["c -> app", "app -> db"]}]})
    >>> pick_kills(d)
    ['db', 'app']
    """
    used = {end for msg in _messages(design) for end in (msg.from_, msg.to)}

    def rank(comp: Component) -> tuple[int, int]:
        single = comp.replicas == 1 and not comp.standby and plays(comp.kind, "spof")
        order = 0 if single else 1 if plays(comp.kind, "database") else 2 if comp.kind == "cache" else 3
        return order, design.components.index(comp)

    candidates = [c for c in design.components if c.id in used and not plays(c.kind, "outside")]
    return [c.id for c in sorted(candidates, key=rank)[:most]]


def knock_out(design: Design, component_id: str, report: ReliabilityReport) -> Knockout:
    """One instance of a component dies: which flows break or degrade, and their availability while it is down."""
    comp = design.component(component_id)
    copies = comp.replicas + (1 if comp.standby else 0)
    peers = [p for p in redundancy(design)[component_id] if p != component_id]
    if comp.standby:
        down = comp.model_copy(update={"standby": False})
    elif comp.replicas > 1:
        down = comp.model_copy(update={"replicas": comp.replicas - 1})
    else:
        down = comp.model_copy(update={"availability": 0.0})
    while_down = analyse(_with_component(design, down))
    figured = {f.flow_id: f for f in report.flows}
    effects = []
    for flow in design.flows:
        messages = iter_messages(list(flow.steps))
        if not any(component_id in (m.from_, m.to) for m in messages):
            continue
        figures = figured.get(flow.id)
        before = figures.pretty_availability if figures is not None else ""
        after = while_down.flow(flow.id).pretty_availability if figures is not None else ""
        if figures is not None and component_id in figures.components:
            if copies > 1:
                left = comp.replicas - 1
                spare = (
                    "the standby takes over"
                    if comp.standby
                    else f"the other {left} carry the load"
                    if left > 1
                    else "the other instance carries the load"
                )
                effects.append(Effect(flow.id, "degrades", spare + ", with less to spare", before, after))
            elif peers:
                effects.append(Effect(flow.id, "degrades", f"{', '.join(peers)} serve instead", before, after))
            else:
                effects.append(Effect(flow.id, "breaks", "the flow waits on it and it has no other copy", before, "0%"))
        elif component_id in flow.optional:
            effects.append(Effect(flow.id, "degrades", "the flow goes on without it (it is optional there)", before))
        elif figures is None:
            effects.append(Effect(flow.id, "degrades", "a procedure: it takes longer while the box is down"))
        else:
            effects.append(Effect(flow.id, "degrades", "nothing waits on it: its work waits until it is back", before))
    fix = ""
    if copies == 1 and not peers and any(e.outcome == "breaks" for e in effects):
        spared = analyse(_with_component(design, comp.model_copy(update={"standby": True})))
        broken = [e.flow_id for e in effects if e.outcome == "breaks"]
        fix = "with a standby: " + ", ".join(f"'{f}' {spared.flow(f).pretty_availability}" for f in broken)
    return Knockout(component_id, copies, tuple(effects), fix)


@dataclass(frozen=True)
class Change:
    """One flaw put into the copy: its kind, what it is about, and the change in words."""

    flaw: str
    subject: str
    text: str


@dataclass(frozen=True)
class Variant:
    """A copy of a design with flaws put in, and the review findings the copy has that the design has not."""

    design: Design
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]


def flawed(design: Design, flaws: Sequence[str] | None = None) -> Variant | None:
    """A copy of the design with one flaw of each kind asked (default: every kind) put in where it applies.

    A flaw is kept only when the review finds something new in the copy because of it; None when none is.
    """
    before = {(f.code, f.message) for f in lint(design)}
    current = design
    changes: list[Change] = []
    findings: list[Finding] = []
    for flaw in flaws if flaws is not None else PRACTICE_FLAWS:
        made = _FLAWS[flaw](current)
        if made is None:
            continue
        candidate, change = made
        seen = {(f.code, f.message) for f in findings} | before
        new = [f for f in lint(candidate) if (f.code, f.message) not in seen]
        if new:
            current = candidate
            changes.append(change)
            findings.extend(new)
    if not changes:
        return None
    return Variant(current, tuple(changes), tuple(findings))


def _no_standby(design: Design) -> tuple[Design, Change] | None:
    for comp in _by_role(design):
        if comp.standby and _on_flow(design, comp.id):
            text = f"'{comp.id}' lost its standby"
            return _with_component(design, comp.model_copy(update={"standby": False})), Change("standby", comp.id, text)
    return None


def _one_replica(design: Design) -> tuple[Design, Change] | None:
    peers = redundancy(design)
    for comp in _by_role(design):
        if comp.replicas > 1 and plays(comp.kind, "spof") and len(peers[comp.id]) == 1 and _on_flow(design, comp.id):
            text = f"'{comp.id}' runs one instance instead of {comp.replicas}"
            return _with_component(design, comp.model_copy(update={"replicas": 1})), Change("replicas", comp.id, text)
    return None


def _no_consumer(design: Design) -> tuple[Design, Change] | None:
    brokers = {c.id for c in design.components if plays(c.kind, "messaging")}
    for index, flow in enumerate(design.flows):
        for msg in iter_messages(list(flow.steps)):
            consumes = (msg.from_ in brokers and msg.hop not in (Hop.response, Hop.heartbeat)) or (
                msg.to in brokers and CONSUME_RE.search(f"{msg.label} {msg.note}") is not None
            )
            if not consumes:
                continue
            steps = _without(list(flow.steps), msg)
            if not steps:
                continue
            flows = list(design.flows)
            flows[index] = flow.model_copy(update={"steps": steps})
            broker = msg.from_ if msg.from_ in brokers else msg.to
            other = msg.to if broker == msg.from_ else msg.from_
            text = f"flow '{flow.id}' lost its step '{msg.from_} -> {msg.to}': '{other}' no longer consumes '{broker}'"
            return design.model_copy(update={"flows": flows}), Change("consumer", broker, text)
    return None


def _no_expiry(design: Design) -> tuple[Design, Change] | None:
    for comp in design.components:
        if comp.kind != "cache" or not _on_flow(design, comp.id):
            continue
        bare = comp.model_copy(update={"expiry": "", "notes": _drop_clauses(comp.notes)})
        flows = [f.model_copy(update={"steps": _strip_expiry(list(f.steps), comp.id)}) for f in design.flows]
        text = f"cache '{comp.id}' no longer says when its entries expire"
        return _with_component(design, bare).model_copy(update={"flows": flows}), Change("expiry", comp.id, text)
    return None


_FLAWS = {"standby": _no_standby, "replicas": _one_replica, "consumer": _no_consumer, "expiry": _no_expiry}


def _drop_clauses(text: str) -> str:
    """Text without the comma- or full-stop-separated clauses that state an expiry.

    >>> _drop_clauses("fill, 24 h TTL"), _drop_clauses("LRU. Entries expire after 1 h.")
    ('fill', 'LRU.')
    """
    parts = [p for p in text.replace(". ", ".\n").replace(", ", ",\n").split("\n") if not EXPIRY_RE.search(p)]
    return " ".join(parts).strip().rstrip(",")


def _strip_expiry(steps: list[Any], cache_id: str) -> list[Any]:
    out: list[Any] = []
    for step in steps:
        if isinstance(step, Message):
            if cache_id in (step.from_, step.to):
                step = step.model_copy(update={"label": _drop_clauses(step.label), "note": _drop_clauses(step.note)})
            out.append(step)
        else:
            branches = [b.model_copy(update={"steps": _strip_expiry(b.steps, cache_id)}) for b in step.branches]
            out.append(step.model_copy(update={"steps": _strip_expiry(step.steps, cache_id), "branches": branches}))
    return out


def _without(steps: list[Any], target: Message) -> list[Any]:
    """The steps without one message (fragments left empty by it are dropped)."""
    out: list[Any] = []
    for step in steps:
        if step is target:
            continue
        if isinstance(step, Fragment):
            inner = _without(step.steps, target)
            branches = [b.model_copy(update={"steps": _without(b.steps, target)}) for b in step.branches]
            branches = [b for b in branches if b.steps]
            if not inner and not branches:
                continue
            step = step.model_copy(update={"steps": inner, "branches": branches})
        out.append(step)
    return out


def _by_role(design: Design) -> list[Component]:
    """Components in the order a flaw looks for them: databases, then caches, then the rest as declared."""
    return sorted(design.components, key=lambda c: 0 if plays(c.kind, "database") else 1 if c.kind == "cache" else 2)


def _with_component(design: Design, comp: Component) -> Design:
    return design.model_copy(update={"components": [comp if c.id == comp.id else c for c in design.components]})


def _on_flow(design: Design, component_id: str) -> bool:
    return any(component_id in (m.from_, m.to) for m in _messages(design))


def _messages(design: Design) -> list[Message]:
    return [m for flow in design.flows for m in iter_messages(list(flow.steps))]
