"""Availability and latency along a design's flows: copies in parallel, parts in series, a latency budget.

Each kind has a default availability (of one instance) and latency (of one call, a round trip inside a data
centre), below; a component's ``availability`` and ``latency_ms`` override them. Clients, users and phones sit
outside the system and count as always up and free.

============  ============  ==========  ==================================================
kind          availability  latency ms  why
============  ============  ==========  ==================================================
load_balancer 99.99%        1           managed L4/L7 balancers publish four nines
dns, cdn      99.99%        20          edge networks; a cached lookup or an edge hit
api_gateway   99.95%        2           auth, routing, rate limits in one hop
service       99.9%         5           one app server: deploys, crashes, GC pauses
sql, nosql    99.95%        10 / 5      a single managed database instance; an indexed read
cache         99.9%         1           an in-memory lookup
queue, stream 99.95%        2 / 5       the broker's ack for an enqueue
object_store  99.99%        50          first byte from blob storage
third_party   99.9%         100         someone else's API over the internet
============  ============  ==========  ==================================================

Copies are in parallel: ``replicas`` instances, plus one when ``standby`` is set, give ``1 - (1 - a)^n``
(failover is taken as instant and perfect, so this is an upper bound). So are components declared
``redundant_with`` each other, such as the app servers of two availability zones: a flow that reaches any of
them counts the set once, as ``1 - (1 - a1)(1 - a2)...``. A flow's components are in series: the
product of their availabilities. A step between two regions (the nearest enclosing group of kind ``region`` or
``datacenter`` differs) adds a cross-region round trip of 150 ms.

The arms of an ``alt`` are alternatives: each combination of arms is a way through the flow, and the table reports
the worst (the arms it takes are named). Components a flow lists as ``optional`` (a cache-aside read survives its
cache) are not in series. A year is 365 days, as in the estimates: 99.9% is about 8 h 46 min of downtime a year.
Availability is shown with at most four decimals (99.9999%) and downtime in a readable unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from generator.analysis.units import SECONDS_PER_YEAR as YEAR_SECONDS
from generator.analysis.ways import has_alternatives, ways
from generator.frontend.model import Component, Design, Fragment, GroupKind, Hop, Message
from generator.frontend.vocabulary import KIND_TABLE, kind_info

__all__ = [
    "CROSS_REGION_RTT_MS",
    "DEFAULT_AVAILABILITY",
    "DEFAULT_LATENCY_MS",
    "MAX_DECIMALS",
    "MAX_SCENARIOS",
    "SAME_DC_RTT_MS",
    "SECONDS_PER_YEAR",
    "ComponentReliability",
    "FlowReliability",
    "ReliabilityReport",
    "StepLatency",
    "analyse",
    "downtime_per_year",
    "format_availability",
    "parallel",
    "redundancy",
    "series",
]

SECONDS_PER_YEAR = YEAR_SECONDS
"""A year of 365 days, in seconds: the same year as the estimates' (:mod:`generator.analysis.units`)."""

MAX_DECIMALS = 4
"""The most decimals an availability is shown with: 99.9999% (more would claim a precision no model has)."""

MAX_SCENARIOS = 64
"""The most ways through a flow's alternatives that are weighed (the first ones, in declared order)."""

SAME_DC_RTT_MS = 0.5
"""A round trip inside one data centre (Jeff Dean's numbers), already inside each kind's latency."""
CROSS_REGION_RTT_MS = 150.0
"""A round trip between regions, e.g. California to the Netherlands and back."""

DEFAULT_AVAILABILITY: Mapping[str, float] = MappingProxyType({k.name: k.availability for k in KIND_TABLE})
"""Availability of one instance of each kind."""

DEFAULT_LATENCY_MS: Mapping[str, float] = MappingProxyType({k.name: k.latency_ms for k in KIND_TABLE})
"""Latency of one call to each kind, in milliseconds, a round trip inside one data centre included."""


def parallel(*availabilities: float) -> float:
    """Availability of copies of which any one will do: ``1 - Π(1 - a)``.

    >>> round(parallel(0.999, 0.999), 6)
    0.999999
    """
    down = 1.0
    for a in availabilities:
        down *= 1.0 - a
    return 1.0 - down


def series(*availabilities: float) -> float:
    """Availability of parts that all must be up: ``Π a``.

    >>> round(series(0.999, 0.999), 6)
    0.998001
    """
    return math.prod(availabilities)


def downtime_per_year(availability: float) -> str:
    """Expected downtime a year (365 days) at this availability, in a readable unit.

    >>> downtime_per_year(0.999), downtime_per_year(0.9999), downtime_per_year(0.99999)
    ('8 h 46 min', '53 min', '5 min')
    >>> downtime_per_year(0.99), downtime_per_year(0.9999999), downtime_per_year(1.0)
    ('3 d 16 h', 'under 1 min', 'none')
    """
    seconds = (1.0 - availability) * SECONDS_PER_YEAR
    if seconds <= 0:
        return "none"
    minutes = round(seconds / 60)
    if minutes >= 1440:
        hours = round(seconds / 3600)
        return f"{hours // 24} d {hours % 24} h" if hours % 24 else f"{hours // 24} d"
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"
    if minutes >= 1:
        return f"{minutes} min"
    return "under 1 min"


def format_availability(availability: float) -> str:
    """Availability as a percentage, keeping two significant digits of the unavailability, at most four decimals.

    >>> format_availability(0.998001), format_availability(0.999999), format_availability(0.9995)
    ('99.8%', '99.9999%', '99.95%')
    >>> format_availability(1.0), format_availability(0.5), format_availability(0.999999989)
    ('100%', '50%', '99.9999%')
    """
    down = (1.0 - availability) * 100
    if down <= 0:
        return "100%"
    decimals = min(max(0, 1 - math.floor(math.log10(down))), MAX_DECIMALS)
    text = f"{100 - down:.{decimals}f}"
    if float(text) >= 100:  # never rounded up to 100%: floor the last decimal instead
        text = f"{math.floor((100 - down) * 10**decimals) / 10**decimals:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@dataclass(frozen=True)
class ComponentReliability:
    """One component's figures: one instance, its copies, and one call's latency."""

    id: str
    kind: str
    instance_availability: float
    copies: int
    availability: float
    latency_ms: float
    from_design: bool

    @property
    def formula(self) -> str:
        """How the availability was composed."""
        one = format_availability(self.instance_availability)
        if self.copies == 1:
            return one
        return f"1 - (1 - {one})^{self.copies}"


@dataclass(frozen=True)
class StepLatency:
    """A synchronous step on a flow's critical path and the time it adds."""

    path: tuple[str | int, ...]
    from_: str
    to: str
    latency_ms: float
    cross_region: bool


@dataclass(frozen=True)
class FlowReliability:
    """A flow's composite availability and latency budget.

    ``components`` are the ids the flow waits on, in the order it reaches them; ``tiers`` groups them into the
    parts in series: each a component with the others declared redundant with it (see :func:`redundancy`).
    """

    flow_id: str
    components: tuple[str, ...]
    availability: float
    downtime: str
    latency_ms: float
    steps: tuple[StepLatency, ...]
    tiers: tuple[tuple[str, ...], ...] = ()
    arms: tuple[str, ...] = ()
    """The arms of the flow's alternatives its worst way through takes (their ``when``), if it has any."""
    optional: tuple[str, ...] = ()
    """The components the flow survives without, left out of the series."""

    @property
    def pretty_availability(self) -> str:
        """The availability as a percentage."""
        return format_availability(self.availability)


@dataclass(frozen=True)
class ReliabilityReport:
    """Every component's and every flow's figures, in declared order."""

    components: tuple[ComponentReliability, ...]
    flows: tuple[FlowReliability, ...]

    def flow(self, flow_id: str) -> FlowReliability:
        """The figures of one flow.

        Raises:
            KeyError: No flow has this id.
        """
        for item in self.flows:
            if item.flow_id == flow_id:
                return item
        raise KeyError(flow_id)


def _component(comp: Component) -> ComponentReliability:
    one = comp.availability if comp.availability is not None else DEFAULT_AVAILABILITY[comp.kind]
    copies = comp.replicas + (1 if comp.standby else 0)
    latency = comp.latency_ms if comp.latency_ms is not None else DEFAULT_LATENCY_MS[comp.kind]
    return ComponentReliability(
        id=comp.id,
        kind=comp.kind.value,
        instance_availability=one,
        copies=copies,
        availability=parallel(*([one] * copies)),
        latency_ms=latency,
        from_design=comp.availability is not None or comp.latency_ms is not None,
    )


def _regions(design: Design) -> dict[str, str | None]:
    groups = {g.id: g for g in design.groups}
    out: dict[str, str | None] = {}
    for comp in design.components:
        region, seen, current = None, set(), comp.group
        while current is not None and current in groups and current not in seen:
            seen.add(current)
            if groups[current].kind in (GroupKind.region, GroupKind.datacenter):
                region = current
                break
            current = groups[current].parent
        out[comp.id] = region
    return out


_Path = tuple[str | int, ...]


class _Walk:
    """One flow's walk: which components the caller waits on, and the time each synchronous step adds."""

    def __init__(
        self,
        kinds: Mapping[str, str],
        table: Mapping[str, ComponentReliability],
        regions: Mapping[str, str | None],
    ) -> None:
        self.kinds = kinds
        self.table = table
        self.regions = regions
        self.waiting: dict[str, None] = {}  # an ordered set
        self.steps: list[StepLatency] = []

    def start(self, first: Message | None) -> None:
        if first is not None:
            self.waiting[first.from_] = None

    def message(self, msg: Message, path: _Path) -> float:
        if msg.from_ not in self.waiting or msg.to not in self.table:
            return 0.0
        if msg.hop == Hop.async_:
            if "messaging" in kind_info(self.kinds.get(msg.to, "generic")).roles:
                self.waiting[msg.to] = None  # the producer needs the broker's ack, off the latency budget
            return 0.0
        if msg.hop != Hop.request or msg.from_ == msg.to:
            return 0.0
        self.waiting[msg.to] = None
        here, there = self.regions.get(msg.from_), self.regions.get(msg.to)
        crossing = here is not None and there is not None and here != there
        cost = self.table[msg.to].latency_ms + (CROSS_REGION_RTT_MS if crossing else 0.0)
        self.steps.append(StepLatency(path, msg.from_, msg.to, cost, crossing))
        return cost

    def steps_time(self, steps: Sequence[Any], path: _Path) -> float:
        """Time of a step list: in sequence, except runs of ``parallel: true`` messages, taking the max."""
        total, run = 0.0, 0.0
        for index, step in enumerate(steps):
            cost = self.step_time(step, (*path, index))
            if isinstance(step, Message) and step.parallel and index > 0:
                run = max(run, cost)
            else:
                total += run
                run = cost
        return total + run

    def step_time(self, step: Message | Fragment, path: _Path) -> float:
        """One step; ``par`` takes its slowest step, ``alt`` its slowest branch, opt/loop count once."""
        if isinstance(step, Message):
            return self.message(step, path)
        if step.fragment == "par":
            return max(
                (self.step_time(s, (*path, "steps", i)) for i, s in enumerate(step.steps)),
                default=0.0,
            )
        arms = [self.steps_time(step.steps, (*path, "steps"))] if step.steps else []
        arms += [
            self.steps_time(branch.steps, (*path, "branches", b, "steps")) for b, branch in enumerate(step.branches)
        ]
        return max(arms, default=0.0)


def _first(steps: Sequence[Any]) -> Message | None:
    for step in steps:
        if isinstance(step, Message):
            return step
        found = _first([*step.steps, *(s for b in step.branches for s in b.steps)])
        if found is not None:
            return found
    return None


def redundancy(design: Design) -> dict[str, tuple[str, ...]]:
    """Each component's redundancy set: itself and every component linked to it by ``redundant_with``.

    Redundancy goes both ways and carries over (a with b, b with c: all three serve for each other). Sets list
    their members in declared order; a component with no peers is a set of one.

    >>> from generator.frontend.model import Design
    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [
    ...     {"id": "a"}, {"id": "b", "redundant_with": "c"}, {"id": "c", "redundant_with": ["a"]}, {"id": "d"}]})
    >>> redundancy(d)["a"], redundancy(d)["d"]
    (('a', 'b', 'c'), ('d',))
    """
    root = {comp.id: comp.id for comp in design.components}

    def find(ident: str) -> str:
        while root[ident] != ident:
            root[ident] = root[root[ident]]
            ident = root[ident]
        return ident

    for comp in design.components:
        for peer in comp.redundant_with:
            if peer in root:
                root[find(peer)] = find(comp.id)
    members: dict[str, list[str]] = {}
    for comp in design.components:
        members.setdefault(find(comp.id), []).append(comp.id)
    return {comp.id: tuple(members[find(comp.id)]) for comp in design.components}


def analyse(design: Design) -> ReliabilityReport:
    """Availability and latency for every component and every flow of a design.

    A flow's series are the components its first sender waits on: the targets of request steps sent by a
    component already waited on, and the brokers it enqueues to. Work behind a queue is off the path. The
    latency budget sums those request steps' targets; ``parallel: true`` steps and ``par`` fragments take the
    longest, ``alt`` its slowest branch, ``opt`` and ``loop`` count once; async steps add nothing.

    Args:
        design: A validated design.

    Returns:
        The report, components and flows in declared order.
    """
    table = {comp.id: _component(comp) for comp in design.components}
    kinds = {comp.id: comp.kind for comp in design.components}
    regions = _regions(design)
    peers = redundancy(design)
    flows: list[FlowReliability] = []
    for index, flow in enumerate(design.flows):
        if not flow.availability:  # a procedure or a plan: no row
            continue
        walk = _Walk(kinds, table, regions)
        walk.start(_first(flow.steps))
        latency = walk.steps_time(flow.steps, ("flows", index, "steps"))
        spared = set(flow.optional)
        worst: tuple[float, tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]] | None = None
        for arms, messages in ways(flow.steps, limit=MAX_SCENARIOS):
            way = _Walk(kinds, table, regions)
            way.start(_first(flow.steps))
            for msg in messages:
                way.message(msg, ())
            members = tuple(
                c for c in way.waiting if c in table and "outside" not in kind_info(kinds[c]).roles and c not in spared
            )
            tiers = tuple(dict.fromkeys(peers[c] for c in members))
            availability = series(*(parallel(*(table[c].availability for c in tier)) for tier in tiers))
            if worst is None or availability < worst[0]:
                worst = (availability, members, tiers, arms)
        assert worst is not None
        availability, members, tiers, arms = worst
        flows.append(
            FlowReliability(
                flow_id=flow.id,
                tiers=tiers,
                components=members,
                availability=availability,
                downtime=downtime_per_year(availability),
                latency_ms=latency,
                steps=tuple(walk.steps),
                arms=arms if has_alternatives(flow) else (),
                optional=tuple(c for c in flow.optional if c in table),
            )
        )
    return ReliabilityReport(tuple(table.values()), tuple(flows))
