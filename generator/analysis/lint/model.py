"""What a review rule is and what it looks at: findings, rules, and the facts about a design computed once."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.analysis.reliability import redundancy
from generator.errors import Severity
from generator.frontend.model import Component, Design, Hop, Message
from generator.frontend.vocabulary import kind_info

__all__ = [
    "Check",
    "Context",
    "Finding",
    "Hit",
    "KeyPath",
    "Located",
    "Rule",
    "Step",
    "UnknownRuleError",
    "context_of",
    "db_has_copy",
    "format_path",
    "ha_requirement",
    "is_replica",
    "plays",
    "rule",
]

KeyPath = tuple[str | int, ...]
"""A key path into the design document: mapping keys and list indexes."""

Located = tuple["Finding", str, int, int]
"""A finding with its file, line and column, as :func:`to_json` and :func:`to_sarif` take them."""

REPLICA_RE = re.compile(r"replica(?![-_ ]?sets?\b)|read[-_ ]?only|\bfollower", re.IGNORECASE)
WRITE_RE = re.compile(
    r"\b(?:POST|PUT|PATCH|DELETE|INSERT|UPDATE|UPSERT|MERGE)\b"
    r"|(?i:\b(?:writes?|writing|saves?|insert|update|upsert|delete|persist|create)\b)"
)
CONSUME_RE = re.compile(r"consum|\bpoll|\bpull|\bread|\bfetch|subscri|dequeue|receiv|\btake|\bdrain|listen", re.I)
EXPIRY_RE = re.compile(r"(?i:\bttl\b|expir|invalidat|write[-\s]?through)|\b(?:EX|PX)\s+\d")
HA_WORDS_RE = re.compile(r"\bhigh(?:ly)?[\s-]+availab|\b(?:three|four|five|six)\s+nines\b", re.IGNORECASE)
HA_CONTEXT_RE = re.compile(r"availab|uptime|downtime|\bsla\b|\bslo\b|nines", re.IGNORECASE)
OPS_RE = re.compile(r"\b(?:logs?|metrics?|scrape|health|stats|probe|tail|dump|profile)\b", re.IGNORECASE)
"""What an operations job reads from each instance directly: logs, metrics, health."""
PERCENT_RE = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*%")


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
class Hit:
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
    check: Callable[[Context], Iterator[Hit]] | None = field(default=None, repr=False, compare=False)

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


@dataclass(frozen=True)
class Step:
    flow: int
    path: KeyPath
    message: Message


@dataclass(frozen=True)
class Context:
    design: Design
    comps: Mapping[str, Component]
    index: Mapping[str, int]
    steps: tuple[Step, ...]
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


def walk_steps(steps: Sequence[Any], path: KeyPath) -> Iterator[tuple[KeyPath, Message]]:
    for index, step in enumerate(steps):
        here = (*path, index)
        if isinstance(step, Message):
            yield here, step
        else:
            yield from walk_steps(step.steps, (*here, "steps"))
            for number, branch in enumerate(step.branches):
                yield from walk_steps(branch.steps, (*here, "branches", number, "steps"))


def context_of(design: Design) -> Context:
    steps = tuple(
        Step(f, path, msg)
        for f, flow in enumerate(design.flows)
        for path, msg in walk_steps(flow.steps, ("flows", f, "steps"))
    )
    flows_of: dict[str, list[int]] = {}
    for step in steps:
        for end in (step.message.from_, step.message.to):
            seen = flows_of.setdefault(end, [])
            if step.flow not in seen:
                seen.append(step.flow)
    return Context(
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
                for _, msg in walk_steps(stage.steps or [], ("stages",))
                for end in (msg.from_, msg.to)
            ]
        ),
    )


def plays(kind: str | None, role: str) -> bool:
    """Whether a kind plays a role of the kind registry (see :data:`generator.frontend.vocabulary.ROLES`)."""
    return kind is not None and role in kind_info(kind).roles


def is_replica(comp: Component) -> bool:
    return bool(REPLICA_RE.search(comp.id) or REPLICA_RE.search(comp.label))


def ha_requirement(design: Design) -> tuple[int, str] | None:
    """The first non-functional requirement asking for high availability (99.9% or better), with its index."""
    for index, text in enumerate(design.requirements.non_functional):
        if HA_WORDS_RE.search(text):
            return index, text
        if HA_CONTEXT_RE.search(text) and any(float(m) >= 99.9 for m in PERCENT_RE.findall(text)):
            return index, text
    return None


def db_has_copy(ctx: Context, comp: Component) -> bool:
    """A database has a copy: replicas, a standby, a replication step, or a replica named after it."""
    if comp.replicas > 1 or comp.standby or is_replica(comp) or len(ctx.peers[comp.id]) > 1:
        return True
    for step in ctx.steps:
        if step.message.hop == Hop.replication and comp.id in (step.message.from_, step.message.to):
            return True
    return any(
        other.id != comp.id and plays(other.kind, "database") and is_replica(other) and comp.id in other.id
        for other in ctx.design.components
    )


def rule(code: str, severity: Severity, title: str, explanation: str) -> Callable[[Check], Rule]:
    def register(check: Check) -> Rule:
        text = textwrap.dedent(explanation).strip()
        return Rule(code, severity, title, " ".join(text.split()), check)

    return register


Check = Callable[[Context], Iterator[Hit]]
