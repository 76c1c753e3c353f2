"""The architecture rules (BP110-BP119): single points of failure, brokers, caches, replicas, load balancers."""

from __future__ import annotations

from collections.abc import Iterator

from generator.analysis.lint.model import (
    CONSUME_RE,
    EXPIRY_RE,
    OPS_RE,
    WRITE_RE,
    Context,
    Hit,
    KeyPath,
    Rule,
    Step,
    db_has_copy,
    ha_requirement,
    is_replica,
    plays,
    rule,
)
from generator.analysis.lint.paths import Union, branch_choices, compatible, route
from generator.frontend.model import Hop

__all__ = ["ARCHITECTURE_RULES"]


@rule(
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
def _single_point_of_failure(ctx: Context) -> Iterator[Hit]:
    ha = ha_requirement(ctx.design) is not None
    for index, comp in enumerate(ctx.design.components):
        if not plays(comp.kind, "spof") or comp.replicas > 1 or comp.standby or comp.id not in ctx.flows_of:
            continue
        if len(ctx.peers[comp.id]) > 1:
            continue  # another component is declared redundant with it
        if is_replica(comp):
            continue  # a replica is itself the spare copy
        if ha and plays(comp.kind, "database") and not db_has_copy(ctx, comp):
            continue  # BP111 says it, with the requirement it breaks
        yield Hit(
            ("components", index),
            f"'{comp.id}' ({comp.kind.value}) is a single point of failure on {ctx.flow_names(comp.id)}: "
            "one instance, no standby",
            "set replicas: 2 or more, or standby: true; or suppress BP110 saying why the risk is accepted",
            (comp.id,),
        )


@rule(
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
def _ha_single_database(ctx: Context) -> Iterator[Hit]:
    found = ha_requirement(ctx.design)
    if found is None:
        return
    _, text = found
    quoted = text if len(text) <= 60 else text[:57] + "..."
    for index, comp in enumerate(ctx.design.components):
        if plays(comp.kind, "database") and not db_has_copy(ctx, comp):
            yield Hit(
                ("components", index),
                f"the requirements ask for high availability (\"{quoted}\") but '{comp.id}' is a single "
                f"{comp.kind.value} database with no replica or standby",
                "add replicas, standby: true, or a replica fed by a replication step (db => db-replica)",
                (comp.id,),
            )


@rule(
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
def _async_without_broker(ctx: Context) -> Iterator[Hit]:
    for step in ctx.steps:
        msg = step.message
        if msg.hop != Hop.async_:
            continue
        kinds = (ctx.kind(msg.from_), ctx.kind(msg.to))
        if None in kinds or any(plays(k, "messaging") or plays(k, "connection") for k in kinds):
            continue  # a broker stores it; over a live connection (WebSocket frames) nothing needs one
        yield Hit(
            step.path,
            f"'{msg.from_} ~> {msg.to}' is asynchronous but neither end is a queue, stream or pub/sub topic",
            f"send it through a queue ({msg.from_} ~> queue ~> {msg.to}), or make it a request (->)",
            (msg.from_, msg.to),
        )


@rule(
    "BP113",
    "warning",
    "Queue without a consumer",
    """
    Messages go into this queue, stream or topic but no step takes them out, so they pile up until the broker
    runs out of space, and the work they stand for never happens. Draw the consumer: a step from the queue
    (`queue ~> worker`) or a worker reading from it (`worker -> queue: poll`).
    """,
)
def _queue_without_consumer(ctx: Context) -> Iterator[Hit]:
    for index, comp in enumerate(ctx.design.components):
        if not plays(comp.kind, "messaging"):
            continue
        produced, consumed = False, False
        for step in ctx.steps:
            msg = step.message
            if msg.from_ == comp.id and msg.hop not in (Hop.response, Hop.heartbeat):
                consumed = True
            elif msg.to == comp.id and msg.from_ != comp.id:
                reader = ctx.kind(msg.from_) == "worker" and msg.hop == Hop.request
                if reader or CONSUME_RE.search(f"{msg.label} {msg.note}"):
                    consumed = True
                else:
                    produced = True
        if produced and not consumed:
            yield Hit(
                ("components", index),
                f"'{comp.id}' ({comp.kind.value}) gets messages but nothing consumes them",
                f"add a step from it ({comp.id} ~> worker) or a worker polling it (worker -> {comp.id})",
                (comp.id,),
            )


@rule(
    "BP114",
    "note",
    "Component on no flow",
    """
    The component appears in no flow (nor in any stage), so the reader cannot tell what it is for or when it
    is used, and the reviewer cannot check it. Add it to the flow that uses it, drop it, or suppress with the
    reason it is there (context such as monitoring).
    """,
)
def _component_on_no_flow(ctx: Context) -> Iterator[Hit]:
    if not ctx.design.flows:
        return
    for index, comp in enumerate(ctx.design.components):
        if comp.id not in ctx.flows_of and comp.id not in ctx.staged:
            yield Hit(
                ("components", index),
                f"'{comp.id}' is on no flow",
                "add it to the flow that uses it, or remove it",
                (comp.id,),
            )


@rule(
    "BP115",
    "warning",
    "Client talks straight to a database",
    """
    A browser, phone or user reaching a database directly means the database's credentials ship to every
    client, its schema becomes a public API, and there is no place for authorisation, validation, rate limits
    or caching. Put a service (behind a load balancer or an API gateway) in between.
    """,
)
def _client_to_database(ctx: Context) -> Iterator[Hit]:
    for step in ctx.steps:
        msg = step.message
        if msg.hop in (Hop.response, Hop.heartbeat):
            continue
        ends = (ctx.kind(msg.from_), ctx.kind(msg.to))
        for client, db, (ck, dk) in ((msg.from_, msg.to, ends), (msg.to, msg.from_, ends[::-1])):
            if plays(ck, "client") and plays(dk, "database"):
                yield Hit(
                    step.path,
                    f"'{client}' ({ck or ''}) talks straight to the database '{db}'",
                    "put a service in between; it owns auth, validation and the schema",
                    (client, db),
                )


@rule(
    "BP116",
    "error",
    "Write sent to a read replica",
    """
    Read replicas are read-only copies fed by replication from the primary; a write sent to one is refused, or
    worse, accepted and then diverges from the primary. Send writes (INSERT, UPDATE, DELETE, POST, PUT, save)
    to the primary and reads to the replicas.
    """,
)
def _write_to_replica(ctx: Context) -> Iterator[Hit]:
    for step in ctx.steps:
        msg = step.message
        target = ctx.comps.get(msg.to)
        if target is None or msg.hop not in (Hop.request, Hop.async_) or not is_replica(target):
            continue
        write = WRITE_RE.search(f"{msg.label} {msg.note}")
        if write:
            yield Hit(
                step.path,
                f"'{write.group(0)}' goes to '{msg.to}', a read replica",
                "send writes to the primary; replicas get them through replication (primary => replica)",
                (msg.to, msg.from_),
            )


@rule(
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
def _synchronous_cycle(ctx: Context) -> Iterator[Hit]:
    steps_of: dict[int, list[Step]] = {}
    for step in ctx.steps:
        steps_of.setdefault(step.flow, []).append(step)
    for number, flow in enumerate(ctx.design.flows):
        # Each distinct call once: a repeated call closes no circle that its first occurrence did not, so the
        # work grows with the number of distinct calls, not with the number of steps.
        # The calls so far, grouped by the arms of `alt` fragments they sit in.
        groups: dict[frozenset[tuple[KeyPath, int]], tuple[dict[KeyPath, int], dict[str, list[str]]]] = {}
        seen: set[tuple[str, str, frozenset[tuple[KeyPath, int]]]] = set()
        reported: set[frozenset[str]] = set()
        for step in steps_of.get(number, []):
            msg = step.message
            if msg.hop != Hop.request or msg.from_ == msg.to:
                continue
            # Only calls that can happen in one run count: two arms of an `alt` never both run.
            here = branch_choices(step.path)
            key = (msg.from_, msg.to, frozenset(here.items()))
            if key in seen:
                continue
            seen.add(key)
            reachable = [adjacency for choices, adjacency in groups.values() if compatible(here, choices)]
            back = route(Union(reachable), msg.to, msg.from_)
            group = groups.setdefault(key[2], (here, {}))[1]
            group.setdefault(msg.from_, []).append(msg.to)
            if back is None or frozenset(back) in reported:
                continue
            reported.add(frozenset(back))
            loop = " -> ".join([msg.from_, *back])
            yield Hit(
                step.path,
                f"synchronous calls go round in a circle on flow '{flow.id}': {loop}",
                "make one direction async or return the data; if this step is the reply, write it as -->",
                tuple(dict.fromkeys([msg.from_, *back])),
            )


@rule(
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
def _cache_without_expiry(ctx: Context) -> Iterator[Hit]:
    for index, comp in enumerate(ctx.design.components):
        if comp.kind != "cache" or comp.expiry:
            continue
        texts = [comp.notes]
        texts += [
            f"{s.message.label} {s.message.note}" for s in ctx.steps if comp.id in (s.message.from_, s.message.to)
        ]
        texts += [note for note in ctx.design.notes if comp.id in note or (comp.label and comp.label in note)]
        if any(EXPIRY_RE.search(text) for text in texts):
            continue
        yield Hit(
            ("components", index),
            f"cache '{comp.id}' says nothing about expiry or invalidation",
            "set expiry: (e.g. 'TTL 24h' or 'invalidate on write'), or say TTL or invalidation in its notes",
            (comp.id,),
        )


@rule(
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
def _load_balancer_bypass(ctx: Context) -> Iterator[Hit]:
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
        if plays(source.kind, "ops") and (source.kind == "monitoring" or OPS_RE.search(f"{msg.label} {msg.note}")):
            continue  # monitoring, or a batch job reading logs or metrics, reaches each instance on purpose
        if behind.get(msg.from_) == lb_id or (source.group is not None and source.group == ctx.comps[msg.to].group):
            continue
        yield Hit(
            step.path,
            f"'{msg.from_} -> {msg.to}' bypasses the load balancer '{lb_id}' in front of '{msg.to}'",
            f"route it through '{lb_id}', or suppress BP119 with the reason (e.g. client-side balancing)",
            (msg.from_, msg.to, lb_id),
        )


ARCHITECTURE_RULES: tuple[Rule, ...] = (
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
)
"""The rules, in code order."""
