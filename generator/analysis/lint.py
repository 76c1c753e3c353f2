"""Design review rules, as an interviewer would apply them: stable codes, severities, located findings.

Each rule is a small function registered in :data:`RULES` under a stable code (``BP1xx``). :func:`lint`
runs them on a validated :class:`~generator.frontend.model.Design` and returns :class:`Finding` objects whose ``path``
is the key path into the YAML document (``("components", 3)``, ``("flows", 0, "steps", 2)``), for the caller
to turn into ``file:line:col`` with the source map.

A finding is silenced by ``suppress: {CODE: reason}`` on the component it is about, or on the whole design.
The reason is required: a suppression without one is itself a finding (BP100) and silences nothing.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.analysis.reliability import redundancy
from generator.errors import Diagnostic, Location, Severity
from generator.frontend.model import Component, Design, Hop, Message
from generator.frontend.vocabulary import kind_info

__all__ = [
    "RULES",
    "Finding",
    "KeyPath",
    "Located",
    "Rule",
    "UnknownRuleError",
    "explain",
    "format_path",
    "lint",
    "to_diagnostic",
    "to_json",
    "to_sarif",
]

KeyPath = tuple[str | int, ...]
"""A key path into the design document: mapping keys and list indexes."""

Located = tuple["Finding", str, int, int]
"""A finding with its file, line and column, as :func:`to_json` and :func:`to_sarif` take them."""


_REPLICA_RE = re.compile(r"replica(?![-_ ]?sets?\b)|read[-_ ]?only|\bfollower", re.IGNORECASE)
_WRITE_RE = re.compile(
    r"\b(?:POST|PUT|PATCH|DELETE|INSERT|UPDATE|UPSERT|MERGE)\b"
    r"|(?i:\b(?:writes?|writing|saves?|insert|update|upsert|delete|persist|create)\b)"
)
_CONSUME_RE = re.compile(r"consum|\bpoll|\bpull|\bread|\bfetch|subscri|dequeue|receiv|\btake|\bdrain|listen", re.I)
_EXPIRY_RE = re.compile(r"(?i:\bttl\b|expir|invalidat|write[-\s]?through)|\b(?:EX|PX)\s+\d")
_HA_WORDS_RE = re.compile(r"\bhigh(?:ly)?[\s-]+availab|\b(?:three|four|five|six)\s+nines\b", re.IGNORECASE)
_HA_CONTEXT_RE = re.compile(r"availab|uptime|downtime|\bsla\b|\bslo\b|nines", re.IGNORECASE)
_PERCENT_RE = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class Finding:
    """One review finding: a rule code, its severity, where in the document, what is wrong, and what to do.

    >>> str(Finding("BP118", "warning", ("components", 2), "cache 'c' has no expiry", "set expiry"))
    "components[2]: warning BP118: cache 'c' has no expiry (set expiry)"
    """

    code: str
    severity: Severity
    path: KeyPath
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{format_path(self.path)}: {self.severity} {self.code}: {self.message}{hint}"


@dataclass(frozen=True)
class _Hit:
    """What a rule's check yields: a finding without its code, plus the components it is about."""

    path: KeyPath
    message: str
    hint: str
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A review rule: a stable code, a severity, a one-line title, a paragraph on why, and its check."""

    code: str
    severity: Severity
    title: str
    explanation: str
    check: Callable[[_Context], Iterator[_Hit]] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The title as an identifier, for SARIF.

        >>> Rule("BP1", "note", "Cache without expiry", "").name
        'CacheWithoutExpiry'
        """
        return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", self.title))


class UnknownRuleError(LookupError):
    """No rule has this code; the message says which codes exist."""


def format_path(path: KeyPath) -> str:
    """A key path as dotted text with list indexes in brackets.

    >>> format_path(("flows", 0, "steps", 2)), format_path(("suppress", "BP110")), format_path(())
    ('flows[0].steps[2]', 'suppress.BP110', '')
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# ----------------------------------------------------------------------------------------------------
# What the rules look at, computed once per design.


@dataclass(frozen=True)
class _Step:
    flow: int
    path: KeyPath
    message: Message


@dataclass(frozen=True)
class _Context:
    design: Design
    comps: Mapping[str, Component]
    index: Mapping[str, int]
    steps: tuple[_Step, ...]
    flows_of: Mapping[str, tuple[int, ...]]
    staged: frozenset[str]
    peers: Mapping[str, tuple[str, ...]]

    def kind(self, component_id: str) -> str | None:
        comp = self.comps.get(component_id)
        return str(comp.kind) if comp is not None else None

    def flow_names(self, component_id: str) -> str:
        ids = [self.design.flows[i].id for i in self.flows_of.get(component_id, ())]
        shown = ", ".join(f"'{i}'" for i in ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        return f"flow{'s' if len(ids) > 1 else ''} {shown}"


def _walk(steps: Sequence[Any], path: KeyPath) -> Iterator[tuple[KeyPath, Message]]:
    for index, step in enumerate(steps):
        here = (*path, index)
        if isinstance(step, Message):
            yield here, step
        else:
            yield from _walk(step.steps, (*here, "steps"))
            for number, branch in enumerate(step.branches):
                yield from _walk(branch.steps, (*here, "branches", number, "steps"))


def _context(design: Design) -> _Context:
    steps = tuple(
        _Step(f, path, msg)
        for f, flow in enumerate(design.flows)
        for path, msg in _walk(flow.steps, ("flows", f, "steps"))
    )
    flows_of: dict[str, list[int]] = {}
    for step in steps:
        for end in (step.message.from_, step.message.to):
            seen = flows_of.setdefault(end, [])
            if step.flow not in seen:
                seen.append(step.flow)
    return _Context(
        design=design,
        comps={c.id: c for c in design.components},
        index={c.id: i for i, c in enumerate(design.components)},
        steps=steps,
        flows_of={k: tuple(v) for k, v in flows_of.items()},
        peers=redundancy(design),
        staged=frozenset(
            [c for stage in design.stages for c in stage.add]
            + [
                end
                for stage in design.stages
                for _, msg in _walk(stage.steps or [], ("stages",))
                for end in (msg.from_, msg.to)
            ]
        ),
    )


def _plays(kind: str | None, role: str) -> bool:
    """Whether a kind plays a role of the kind registry (see :data:`generator.frontend.vocabulary.ROLES`)."""
    return kind is not None and role in kind_info(kind).roles


def _is_replica(comp: Component) -> bool:
    return bool(_REPLICA_RE.search(comp.id) or _REPLICA_RE.search(comp.label))


def _ha_requirement(design: Design) -> tuple[int, str] | None:
    """The first non-functional requirement asking for high availability (99.9% or better), with its index."""
    for index, text in enumerate(design.requirements.non_functional):
        if _HA_WORDS_RE.search(text):
            return index, text
        if _HA_CONTEXT_RE.search(text) and any(float(m) >= 99.9 for m in _PERCENT_RE.findall(text)):
            return index, text
    return None


def _db_has_copy(ctx: _Context, comp: Component) -> bool:
    """A database has a copy: replicas, a standby, a replication step, or a replica named after it."""
    if comp.replicas > 1 or comp.standby or _is_replica(comp) or len(ctx.peers[comp.id]) > 1:
        return True
    for step in ctx.steps:
        if step.message.hop == Hop.replication and comp.id in (step.message.from_, step.message.to):
            return True
    return any(
        other.id != comp.id and _plays(other.kind, "database") and _is_replica(other) and comp.id in other.id
        for other in ctx.design.components
    )


# ----------------------------------------------------------------------------------------------------
# The rules.


def _rule(code: str, severity: Severity, title: str, explanation: str) -> Callable[[_Check], Rule]:
    def register(check: _Check) -> Rule:
        text = textwrap.dedent(explanation).strip()
        return Rule(code, severity, title, " ".join(text.split()), check)

    return register


_Check = Callable[[_Context], Iterator[_Hit]]


def _no_check(ctx: _Context) -> Iterator[_Hit]:
    """Rules about suppressions are applied by :func:`lint` itself."""
    yield from ()


_SUPPRESS_WITHOUT_REASON = _rule(
    "BP100",
    "warning",
    "Suppression without a reason",
    """
    A suppression says "I know, and here is why". Without the why, the next reader cannot tell a considered
    trade-off from a silenced alarm, so a suppression with an empty reason silences nothing and is reported
    itself. Write the reason as the value: `suppress: {BP110: "managed, multi-AZ"}`. This rule cannot be
    suppressed.
    """,
)(_no_check)

_UNKNOWN_SUPPRESSION = _rule(
    "BP101",
    "warning",
    "Suppression of an unknown rule",
    """
    The code under `suppress` names no rule, most likely a typo, so it silences nothing. `blueprint lint
    --explain CODE` lists what each code means. This rule cannot be suppressed.
    """,
)(_no_check)

_UNUSED_SUPPRESSION = _rule(
    "BP102",
    "note",
    "Suppression that matches nothing",
    """
    The rule no longer fires where this suppression applies: the design changed and the reason is now stale.
    Remove the suppression so that the rule can catch the problem if it comes back. This rule cannot be
    suppressed.
    """,
)(_no_check)


@_rule(
    "BP110",
    "warning",
    "Single point of failure",
    """
    A load balancer, API gateway, service, cache, database, coordinator or id generator that sits on a flow
    as a single instance with no standby takes the whole path down when it fails, and it will fail: deploys,
    hardware, a full disk. The first thing an interviewer asks of every box on the path is "what happens
    when this dies?". Run two or more (`replicas: 2`), keep a standby that takes over (`standby: true`, e.g.
    a database primary with a promoted replica), or suppress with the reason the risk is accepted (a managed
    multi-zone service).
    """,
)
def _single_point_of_failure(ctx: _Context) -> Iterator[_Hit]:
    ha = _ha_requirement(ctx.design) is not None
    for index, comp in enumerate(ctx.design.components):
        if not _plays(comp.kind, "spof") or comp.replicas > 1 or comp.standby or comp.id not in ctx.flows_of:
            continue
        if len(ctx.peers[comp.id]) > 1:
            continue  # another component is declared redundant with it
        if _is_replica(comp):
            continue  # a replica is itself the spare copy
        if ha and _plays(comp.kind, "database") and not _db_has_copy(ctx, comp):
            continue  # BP111 says it, with the requirement it breaks
        yield _Hit(
            ("components", index),
            f"'{comp.id}' ({comp.kind.value}) is a single point of failure on {ctx.flow_names(comp.id)}: "
            "one instance, no standby",
            "set replicas: 2 or more, or standby: true; or suppress BP110 saying why the risk is accepted",
            (comp.id,),
        )


@_rule(
    "BP111",
    "error",
    "High availability promised on a single database",
    """
    The requirements promise high availability (or 99.9% and better), yet the data lives in one database
    instance with no replica and no standby. Every request that touches the data then has at most that one
    instance's availability, and a failure can also lose writes. Add a replica that can be promoted
    (`db => db-replica` with `standby: true`), replicas, or a managed multi-zone database; or lower the
    promise.
    """,
)
def _ha_single_database(ctx: _Context) -> Iterator[_Hit]:
    found = _ha_requirement(ctx.design)
    if found is None:
        return
    _, text = found
    quoted = text if len(text) <= 60 else text[:57] + "..."
    for index, comp in enumerate(ctx.design.components):
        if _plays(comp.kind, "database") and not _db_has_copy(ctx, comp):
            yield _Hit(
                ("components", index),
                f"the requirements ask for high availability (\"{quoted}\") but '{comp.id}' is a single "
                f"{comp.kind.value} database with no replica or standby",
                "add replicas, standby: true, or a replica fed by a replication step (db => db-replica)",
                (comp.id,),
            )


@_rule(
    "BP112",
    "warning",
    "Asynchronous step without a broker",
    """
    An async step (`~>`) means the sender does not wait. Between two services with nothing in the middle, that
    is fire-and-forget: if the receiver is down or slow the message is lost, and nothing retries it. Put a
    queue, stream or pub/sub topic between them so that the message is stored until it is handled, or make the
    step a request (`->`) if the sender does wait.
    """,
)
def _async_without_broker(ctx: _Context) -> Iterator[_Hit]:
    for step in ctx.steps:
        msg = step.message
        if msg.hop != Hop.async_:
            continue
        kinds = (ctx.kind(msg.from_), ctx.kind(msg.to))
        if None in kinds or any(_plays(k, "messaging") for k in kinds):
            continue
        yield _Hit(
            step.path,
            f"'{msg.from_} ~> {msg.to}' is asynchronous but neither end is a queue, stream or pub/sub topic",
            f"send it through a queue ({msg.from_} ~> queue ~> {msg.to}), or make it a request (->)",
            (msg.from_, msg.to),
        )


@_rule(
    "BP113",
    "warning",
    "Queue without a consumer",
    """
    Messages go into this queue, stream or topic but no step takes them out, so they pile up until the broker
    runs out of space, and the work they stand for never happens. Draw the consumer: a step from the queue
    (`queue ~> worker`) or a worker reading from it (`worker -> queue: poll`).
    """,
)
def _queue_without_consumer(ctx: _Context) -> Iterator[_Hit]:
    for index, comp in enumerate(ctx.design.components):
        if not _plays(comp.kind, "messaging"):
            continue
        produced, consumed = False, False
        for step in ctx.steps:
            msg = step.message
            if msg.from_ == comp.id and msg.hop not in (Hop.response, Hop.heartbeat):
                consumed = True
            elif msg.to == comp.id and msg.from_ != comp.id:
                reader = ctx.kind(msg.from_) == "worker" and msg.hop == Hop.request
                if reader or _CONSUME_RE.search(f"{msg.label} {msg.note}"):
                    consumed = True
                else:
                    produced = True
        if produced and not consumed:
            yield _Hit(
                ("components", index),
                f"'{comp.id}' ({comp.kind.value}) gets messages but nothing consumes them",
                f"add a step from it ({comp.id} ~> worker) or a worker polling it (worker -> {comp.id})",
                (comp.id,),
            )


@_rule(
    "BP114",
    "note",
    "Component on no flow",
    """
    The component appears in no flow (nor in any stage), so the reader cannot tell what it is for or when it
    is used, and the reviewer cannot check it. Add it to the flow that uses it, drop it, or suppress with the
    reason it is there (context such as monitoring).
    """,
)
def _component_on_no_flow(ctx: _Context) -> Iterator[_Hit]:
    if not ctx.design.flows:
        return
    for index, comp in enumerate(ctx.design.components):
        if comp.id not in ctx.flows_of and comp.id not in ctx.staged:
            yield _Hit(
                ("components", index),
                f"'{comp.id}' is on no flow",
                "add it to the flow that uses it, or remove it",
                (comp.id,),
            )


@_rule(
    "BP115",
    "warning",
    "Client talks straight to a database",
    """
    A browser, phone or user reaching a database directly means the database's credentials ship to every
    client, its schema becomes a public API, and there is no place for authorisation, validation, rate limits
    or caching. Put a service (behind a load balancer or an API gateway) in between.
    """,
)
def _client_to_database(ctx: _Context) -> Iterator[_Hit]:
    for step in ctx.steps:
        msg = step.message
        if msg.hop in (Hop.response, Hop.heartbeat):
            continue
        ends = (ctx.kind(msg.from_), ctx.kind(msg.to))
        for client, db, (ck, dk) in ((msg.from_, msg.to, ends), (msg.to, msg.from_, ends[::-1])):
            if _plays(ck, "client") and _plays(dk, "database"):
                yield _Hit(
                    step.path,
                    f"'{client}' ({ck or ''}) talks straight to the database '{db}'",
                    "put a service in between; it owns auth, validation and the schema",
                    (client, db),
                )


@_rule(
    "BP116",
    "error",
    "Write sent to a read replica",
    """
    Read replicas are read-only copies fed by replication from the primary; a write sent to one is refused, or
    worse, accepted and then diverges from the primary. Send writes (INSERT, UPDATE, DELETE, POST, PUT, save)
    to the primary and reads to the replicas.
    """,
)
def _write_to_replica(ctx: _Context) -> Iterator[_Hit]:
    for step in ctx.steps:
        msg = step.message
        target = ctx.comps.get(msg.to)
        if target is None or msg.hop not in (Hop.request, Hop.async_) or not _is_replica(target):
            continue
        write = _WRITE_RE.search(f"{msg.label} {msg.note}")
        if write:
            yield _Hit(
                step.path,
                f"'{write.group(0)}' goes to '{msg.to}', a read replica",
                "send writes to the primary; replicas get them through replication (primary => replica)",
                (msg.to, msg.from_),
            )


@_rule(
    "BP117",
    "warning",
    "Cycle of synchronous calls",
    """
    Synchronous calls that come back round to a caller that is still waiting (A calls B, B calls A) tie the
    two together: each one's latency and failures feed the other, retries multiply, and under load they can
    deadlock on each other's thread pools. Break the cycle: let the callee return what the caller needs, or
    make one direction asynchronous. If the step back is only the reply, draw it as a response (`-->`).
    """,
)
def _synchronous_cycle(ctx: _Context) -> Iterator[_Hit]:
    for number, flow in enumerate(ctx.design.flows):
        edges: list[tuple[str, str, dict[KeyPath, int]]] = []
        reported: set[frozenset[str]] = set()
        for step in ctx.steps:
            msg = step.message
            if step.flow != number or msg.hop != Hop.request or msg.from_ == msg.to:
                continue
            # Only calls that can happen in one run count: two arms of an `alt` never both run.
            here = _branch_choices(step.path)
            graph: dict[str, list[str]] = {}
            for src, dst, choices in edges:
                if _compatible(here, choices) and dst not in graph.setdefault(src, []):
                    graph[src].append(dst)
            back = _route(graph, msg.to, msg.from_)
            edges.append((msg.from_, msg.to, here))
            if back is None or frozenset(back) in reported:
                continue
            reported.add(frozenset(back))
            loop = " -> ".join([msg.from_, *back])
            yield _Hit(
                step.path,
                f"synchronous calls go round in a circle on flow '{flow.id}': {loop}",
                "make one direction async or return the data; if this step is the reply, write it as -->",
                tuple(dict.fromkeys([msg.from_, *back])),
            )


def _branch_choices(path: KeyPath) -> dict[KeyPath, int]:
    """Which arm of each enclosing ``alt`` a step sits in, keyed by the fragment's path.

    >>> _branch_choices(("flows", 0, "steps", 3, "branches", 1, "steps", 0))
    {('flows', 0, 'steps', 3): 1}
    """
    return {
        path[:k]: path[k + 1]  # type: ignore[misc]
        for k, part in enumerate(path[:-1])
        if part == "branches" and isinstance(path[k + 1], int)
    }


def _compatible(a: Mapping[KeyPath, int], b: Mapping[KeyPath, int]) -> bool:
    """Whether two steps can run in the same pass: they agree on every ``alt`` both sit in."""
    return all(a[key] == b[key] for key in a.keys() & b.keys())


def _route(graph: Mapping[str, Sequence[str]], start: str, goal: str) -> list[str] | None:
    """A path from ``start`` to ``goal`` along the graph's edges, depth first in declared order.

    >>> _route({"a": ["b"], "b": ["c"]}, "a", "c"), _route({"a": ["b"]}, "b", "a")
    (['a', 'b', 'c'], None)
    """
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        if node == goal:
            return trail
        if node in seen:
            continue
        seen.add(node)
        stack.extend((nxt, [*trail, nxt]) for nxt in reversed(graph.get(node, ())))
    return None


@_rule(
    "BP118",
    "warning",
    "Cache without expiry or invalidation",
    """
    Every cache serves stale data sooner or later; the design has to say how stale and for how long. State a
    TTL or an invalidation strategy (`expiry: "TTL 1h"`, "invalidate on write", write-through) in the
    component's `expiry`, its notes, or the steps that use it, so that the reader knows when a changed record
    becomes visible.
    """,
)
def _cache_without_expiry(ctx: _Context) -> Iterator[_Hit]:
    for index, comp in enumerate(ctx.design.components):
        if comp.kind != "cache" or comp.expiry:
            continue
        texts = [comp.notes]
        texts += [
            f"{s.message.label} {s.message.note}" for s in ctx.steps if comp.id in (s.message.from_, s.message.to)
        ]
        texts += [note for note in ctx.design.notes if comp.id in note or (comp.label and comp.label in note)]
        if any(_EXPIRY_RE.search(text) for text in texts):
            continue
        yield _Hit(
            ("components", index),
            f"cache '{comp.id}' says nothing about expiry or invalidation",
            "set expiry: (e.g. 'TTL 24h' or 'invalidate on write'), or say TTL or invalidation in its notes",
            (comp.id,),
        )


@_rule(
    "BP119",
    "warning",
    "Step bypasses a load balancer",
    """
    A load balancer in front of a tier spreads the load, hides failed instances and lets the tier scale; a
    step that reaches a member of that tier directly from outside it skips all of that and pins the caller to
    one instance. Route the step through the load balancer, or suppress with the reason (client-side
    balancing through service discovery, say).
    """,
)
def _load_balancer_bypass(ctx: _Context) -> Iterator[_Hit]:
    behind: dict[str, str] = {}  # tier member -> the first load balancer in front of it
    for lb in ctx.design.components:
        if lb.kind != "load_balancer":
            continue
        targets = [
            s.message.to
            for s in ctx.steps
            if s.message.from_ == lb.id and s.message.hop == Hop.request and s.message.to in ctx.comps
        ]
        targets = [t for t in dict.fromkeys(targets) if ctx.comps[t].kind != "load_balancer"]
        groups = {ctx.comps[t].group for t in targets} - {None}
        kinds = {ctx.comps[t].kind for t in targets}
        tier = [*targets] + [
            c.id for c in ctx.design.components if c.group in groups and c.kind in kinds and c.id != lb.id
        ]
        for member in tier:
            behind.setdefault(member, lb.id)
    for step in ctx.steps:
        msg = step.message
        lb_id = behind.get(msg.to)
        source = ctx.comps.get(msg.from_)
        if lb_id is None or source is None or msg.hop != Hop.request or source.kind == "load_balancer":
            continue
        if behind.get(msg.from_) == lb_id or (source.group is not None and source.group == ctx.comps[msg.to].group):
            continue
        yield _Hit(
            step.path,
            f"'{msg.from_} -> {msg.to}' bypasses the load balancer '{lb_id}' in front of '{msg.to}'",
            f"route it through '{lb_id}', or suppress BP119 with the reason (e.g. client-side balancing)",
            (msg.from_, msg.to, lb_id),
        )


@_rule(
    "BP120",
    "warning",
    "Chart node that no arrow reaches",
    """
    A flowchart or state machine is read from its start. A box that no path from a start reaches is either
    left over from an earlier draft or missing the arrow that leads to it, and a reader following the chart
    never sees it. Add the arrow, or remove the box. Charts without a start node are not checked.
    """,
)
def _chart_unreachable(ctx: _Context) -> Iterator[_Hit]:
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
                yield _Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': no path from its start reaches '{node.id}'",
                    f"add an arrow to '{node.id}', or remove it",
                )


@_rule(
    "BP121",
    "warning",
    "Question with fewer than two answers",
    """
    A decision (a diamond) asks a question, so at least two arrows leave it, one per answer, each labelled
    with its answer. A diamond with one way out is a step drawn as a question, or a question whose other answer
    was forgotten: the case a reader most needs to see.
    """,
)
def _chart_one_answer(ctx: _Context) -> Iterator[_Hit]:
    for c, chart in enumerate(ctx.design.charts):
        for n, node in enumerate(chart.nodes):
            answers = [e for e in chart.edges if e.from_ == node.id]
            if node.shape == "decision" and len(answers) < 2:
                yield _Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': the question '{node.id}' has {len(answers)} answer"
                    f"{'' if len(answers) == 1 else 's'}",
                    "draw an arrow for each answer (yes and no), or make it an action",
                )


@_rule(
    "BP122",
    "warning",
    "Flowchart dead end",
    """
    In a flowchart every path ends at an end node (a stadium), so a reader knows the process is over rather
    than wondering what happens next. A step with no arrow out that is not an end is a dead end: add the next
    step, or make it an end. State machines are not checked: a state with no way out is a final state.
    """,
)
def _chart_dead_end(ctx: _Context) -> Iterator[_Hit]:
    for c, chart in enumerate(ctx.design.charts):
        if chart.kind != "flowchart":
            continue
        sources = {e.from_ for e in chart.edges}
        for n, node in enumerate(chart.nodes):
            if node.shape != "end" and node.id not in sources:
                yield _Hit(
                    ("charts", c, "nodes", n),
                    f"chart '{chart.id}': the path stops at '{node.id}', which is not an end",
                    f"add an arrow out of '{node.id}', or give it 'shape: end'",
                )


RULES: Mapping[str, Rule] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            _SUPPRESS_WITHOUT_REASON,
            _UNKNOWN_SUPPRESSION,
            _UNUSED_SUPPRESSION,
            _single_point_of_failure,
            _ha_single_database,
            _async_without_broker,
            _queue_without_consumer,
            _component_on_no_flow,
            _client_to_database,
            _write_to_replica,
            _synchronous_cycle,
            _cache_without_expiry,
            _load_balancer_bypass,
            _chart_unreachable,
            _chart_one_answer,
            _chart_dead_end,
        )
    }
)
"""Every rule by code, in code order."""

_META = frozenset({"BP100", "BP101", "BP102"})


def explain(code: str) -> str:
    """The explanation of a rule, as ``blueprint lint --explain`` prints it.

    Raises:
        UnknownRuleError: No rule has this code.

    >>> print(explain("bp118").splitlines()[0])
    BP118 (warning): Cache without expiry or invalidation
    """
    rule = RULES.get(code.strip().upper())
    if rule is None:
        close = _closest_code(code)
        hint = f"did you mean {close}? " if close else ""
        raise UnknownRuleError(f"no rule {code!r}; {hint}the rules are {', '.join(RULES)}")
    body = textwrap.fill(rule.explanation, width=100)
    how = (
        "It cannot be suppressed."
        if rule.code in _META
        else f'Suppress it with `suppress: {{{rule.code}: "the reason"}}` on the component or the design.'
    )
    return f"{rule.code} ({rule.severity}): {rule.title}\n\n{body}\n\n{how}\n"


def _closest_code(code: str) -> str | None:
    """The rule code a mistyped one most likely means (a letter O or I typed for a digit first).

    >>> _closest_code("bp11o"), _closest_code("BP-118"), _closest_code("zzz")
    ('BP110', 'BP118', None)
    """
    typed = code.strip().upper()
    digits = typed[:2] + typed[2:].replace("O", "0").replace("I", "1").replace("L", "1")
    if digits in RULES:
        return digits
    close = difflib.get_close_matches(typed, list(RULES), n=1)
    return close[0] if close else None


@dataclass(frozen=True)
class _Suppression:
    path: KeyPath
    code: str
    component: str | None


def _suppressions(design: Design, emit: Callable[[str, KeyPath, str, str], None]) -> list[_Suppression]:
    """The suppressions that take effect; the others are reported through ``emit``."""
    found: list[tuple[KeyPath, str, str, str | None]] = [
        (("suppress", code), code, reason, None) for code, reason in design.suppress.items()
    ]
    found += [
        (("components", i, "suppress", code), code, reason, comp.id)
        for i, comp in enumerate(design.components)
        for code, reason in comp.suppress.items()
    ]
    active: list[_Suppression] = []
    for path, code, reason, component in found:
        where = f"'{component}'" if component else "the design"
        if code not in RULES:
            close = _closest_code(code)
            hint = f"did you mean {close}?" if close else f"the rules are {', '.join(RULES)}"
            emit("BP101", path, f"{where} suppresses {code!r}, which is no rule", hint)
        elif not reason.strip():
            emit(
                "BP100",
                path,
                f"{where} suppresses {code} without a reason",
                f'write why: {code}: "because ..."',
            )
        elif code not in _META:
            active.append(_Suppression(path, code, component))
    return active


def lint(design: Design, *, ignore: Collection[str] = ()) -> list[Finding]:
    """Review a design against every rule.

    Args:
        design: A validated design.
        ignore: Rule codes not to run (the suppression rules BP100-BP102 always run).

    Returns:
        The findings that are not suppressed, sorted by key path, then code.
    """
    ctx = _context(design)
    findings: list[Finding] = []

    def emit(code: str, path: KeyPath, message: str, hint: str) -> None:
        findings.append(Finding(code, RULES[code].severity, path, message, hint))

    active = _suppressions(design, emit)
    used: set[_Suppression] = set()
    for rule in RULES.values():
        if rule.check is None or rule.code in ignore:
            continue
        for hit in rule.check(ctx):
            matches = [
                s for s in active if s.code == rule.code and (s.component is None or s.component in hit.subjects)
            ]
            used.update(matches)
            if not matches:
                emit(rule.code, hit.path, hit.message, hit.hint)
    for sup in active:
        if sup not in used and sup.code not in ignore:
            where = f"'{sup.component}'" if sup.component else "the design"
            emit("BP102", sup.path, f"{sup.code} is suppressed on {where} but does not fire there", "remove it")
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[Any, ...]:
    return (tuple((isinstance(p, str), p) for p in finding.path), finding.code, finding.message)


def to_diagnostic(finding: Finding, location: Location) -> Diagnostic:
    """A finding located in a file, as the CLI prints it."""
    return Diagnostic(location, finding.message, finding.severity, finding.code, finding.hint)


def to_json(findings: Sequence[Located]) -> str:
    """Located findings as JSON text, for tools.

    Args:
        findings: ``(finding, file, line, column)`` tuples, in the order to list them.

    Returns:
        A JSON document: ``{"findings": [...], "counts": {"error": n, "warning": n, "note": n}}``.
    """
    items = [
        {
            "code": f.code,
            "severity": f.severity,
            "title": RULES[f.code].title if f.code in RULES else "",
            "message": f.message,
            "hint": f.hint,
            "file": file,
            "line": line,
            "column": column,
            "path": list(f.path),
        }
        for f, file, line, column in findings
    ]
    counts = {level: sum(1 for f, *_ in findings if f.severity == level) for level in ("error", "warning", "note")}
    return json.dumps({"findings": items, "counts": counts}, indent=2, ensure_ascii=False) + "\n"


def to_sarif(
    findings: Sequence[Located],
    *,
    tool_version: str = "0.1.0",
    information_uri: str = "",
) -> str:
    """Located findings as a SARIF 2.1.0 log, for code-scanning tools.

    Args:
        findings: ``(finding, file, line, column)`` tuples; files are given relative to the repository root.
        tool_version: The blueprint version to record.
        information_uri: Where the tool is documented, if anywhere.

    Returns:
        The SARIF log as JSON text, with every rule under ``runs[0].tool.driver.rules``.
    """
    order = list(RULES)
    driver: dict[str, Any] = {
        "name": "blueprint",
        "version": tool_version,
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.explanation},
                "defaultConfiguration": {"level": rule.severity},
                "help": {"text": rule.explanation},
            }
            for rule in RULES.values()
        ],
    }
    if information_uri:
        driver["informationUri"] = information_uri
    results = []
    for f, file, line, column in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": f.severity,
            "message": {"text": f"{f.message} ({f.hint})" if f.hint else f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.replace("\\", "/")},
                        "region": {"startLine": max(1, line), "startColumn": max(1, column)},
                    }
                }
            ],
        }
        if f.code in RULES:
            result["ruleIndex"] = order.index(f.code)
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
