"""Pydantic models of a design file: components, groups, flows, requirements and the rest."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from generator.frontend.vocabulary import ID_PATTERN, SHORT_TEXT_MAX, TEXT_MAX, Kind, ThemeName

__all__ = [
    "Branch",
    "Component",
    "Design",
    "Flow",
    "Fragment",
    "Group",
    "GroupKind",
    "Hop",
    "Message",
    "Requirements",
    "Stage",
    "Step",
    "Tradeoff",
    "Views",
    "parse_arrow",
]


class Hop(StrEnum):
    """What kind of hop a step is: decides the line style."""

    request = "request"
    response = "response"
    async_ = "async"
    replication = "replication"
    heartbeat = "heartbeat"


ARROWS: dict[str, Hop] = {
    "-->": Hop.response,
    "~>": Hop.async_,
    "=>": Hop.replication,
    "..>": Hop.heartbeat,
    "->": Hop.request,
}
"""The compact step form's arrows, longest first so ``-->`` wins over ``->``."""

_ARROW_RE = re.compile(
    r"^\s*(?P<src>[^\s:>~=.-][^\s:]*?)\s*(?P<arrow>-->|~>|=>|\.\.>|->)\s*(?P<dst>[^\s:]+)\s*(?::\s*(?P<label>.*))?$",
    re.DOTALL,
)


def parse_arrow(text: str) -> dict[str, str] | None:
    """Parse the compact step form ``src -> dst: label``.

    Returns a mapping with ``from``, ``to``, ``hop`` and ``label``, or None when the text is not a step.

    >>> parse_arrow("client -> lb: POST /shorten")
    {'from': 'client', 'to': 'lb', 'hop': 'request', 'label': 'POST /shorten'}
    >>> parse_arrow("app ~> queue")["hop"]
    'async'
    >>> parse_arrow("just words") is None
    True
    """
    match = _ARROW_RE.match(text)
    if not match:
        return None
    return {
        "from": match["src"],
        "to": match["dst"],
        "hop": ARROWS[match["arrow"]].value,
        "label": (match["label"] or "").strip(),
    }


class GroupKind(StrEnum):
    """What a group stands for; decides its frame style."""

    tier = "tier"
    zone = "zone"
    region = "region"
    datacenter = "datacenter"
    pool = "pool"
    boundary = "boundary"
    cluster = "cluster"


_FROZEN = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _number_as_text(value: Any) -> Any:
    """YAML reads ``201`` or ``1.5`` as numbers; in a text field they mean their text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


def _one_or_more(value: Any) -> Any:
    """A single id may stand for a list of one."""
    return [value] if isinstance(value, str) else value


Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, BeforeValidator(_number_as_text), Field(max_length=TEXT_MAX)]
ShortText = Annotated[str, BeforeValidator(_number_as_text), Field(max_length=SHORT_TEXT_MAX)]


class Component(BaseModel):
    """One box on the diagram."""

    model_config = _FROZEN

    id: Id
    label: ShortText = ""
    kind: Kind = Kind("generic")
    tech: ShortText = ""
    replicas: int = Field(default=1, ge=1, le=1000)
    group: Id | None = None
    notes: Text = ""
    availability: float | None = Field(default=None, gt=0, lt=1)
    latency_ms: float | None = Field(default=None, ge=0, le=600_000)
    standby: bool = False
    redundant_with: Annotated[tuple[Id, ...], BeforeValidator(_one_or_more)] = ()
    expiry: ShortText = ""
    suppress: dict[str, Text] = Field(default_factory=dict)

    @property
    def title(self) -> str:
        """The label to draw: the label, or the id when there is none."""
        return self.label or self.id


class Group(BaseModel):
    """A frame around components: a tier, an availability zone, a region."""

    model_config = _FROZEN

    id: Id
    label: ShortText = ""
    kind: GroupKind = GroupKind.tier
    parent: Id | None = None

    @property
    def title(self) -> str:
        """The label to draw."""
        return self.label or self.id


class Message(BaseModel):
    """One step of a flow: a message from one component to another."""

    model_config = _FROZEN

    from_: Id = Field(alias="from")
    to: Id
    label: ShortText = ""
    hop: Hop = Hop.request
    parallel: bool = False
    note: ShortText = ""

    @model_validator(mode="before")
    @classmethod
    def _compact(cls, value: Any) -> Any:
        if isinstance(value, str):
            parsed = parse_arrow(value)
            if parsed is None:
                raise ValueError(
                    f"cannot read step {value!r}; write 'from -> to: label' "
                    "(arrows: -> request, --> response, ~> async, => replication, ..> heartbeat)"
                )
            return parsed
        if isinstance(value, dict) and len(value) == 1:
            ((key, label),) = value.items()
            parsed = parse_arrow(str(key))
            if parsed is not None and not parsed["label"] and isinstance(label, (str, int, float)):
                return {**parsed, "label": str(label)}
        if isinstance(value, dict) and "step" in value:
            parsed = parse_arrow(str(value["step"]))
            if parsed is None:
                raise ValueError(f"cannot read step {value['step']!r}; write 'from -> to: label'")
            rest = {k: v for k, v in value.items() if k != "step"}
            return {**parsed, **rest}
        return value


class Branch(BaseModel):
    """One arm of an ``alt`` fragment."""

    model_config = _FROZEN

    when: ShortText
    steps: list[Step] = Field(min_length=1)


class Fragment(BaseModel):
    """A group of steps under a condition, as in UML: opt, alt, loop or par."""

    model_config = _FROZEN

    fragment: Literal["opt", "alt", "loop", "par", "critical"]
    when: ShortText = ""
    steps: list[Step] = Field(default_factory=list)
    branches: list[Branch] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key in ("opt", "alt", "loop", "par", "critical"):
                if key in value and "fragment" not in value:
                    rest = {k: v for k, v in value.items() if k != key}
                    cond = value[key]
                    if key == "alt" and isinstance(cond, list):
                        return {"fragment": key, "branches": cond, **rest}
                    return {"fragment": key, "when": cond if isinstance(cond, str) else "", **rest}
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Fragment:
        if self.fragment == "alt":
            if not self.branches and not self.steps:
                raise ValueError("an 'alt' fragment needs 'branches' (each with 'when' and 'steps')")
        elif not self.steps:
            raise ValueError(f"the '{self.fragment}' fragment has no steps")
        return self


def _step_discriminator(value: Any) -> str:
    if isinstance(value, Fragment):
        return "fragment"
    if isinstance(value, dict) and any(k in value for k in ("fragment", "opt", "alt", "loop", "par", "critical")):
        return "fragment"
    return "message"


Step = Annotated[
    Annotated[Message, Tag("message")] | Annotated[Fragment, Tag("fragment")],
    Discriminator(_step_discriminator),
]


class Flow(BaseModel):
    """A named, ordered sequence of steps: the read path, the write path."""

    model_config = _FROZEN

    id: Id
    title: ShortText = ""
    summary: Text = ""
    steps: list[Step] = Field(min_length=1)
    replies: bool = False
    sequence: bool = False
    overview: bool = True
    participants: list[Id] = Field(default_factory=list)

    @property
    def name(self) -> str:
        """The title, or the id when there is none."""
        return self.title or self.id


ChartShape = Literal["start", "end", "action", "decision", "state", "io"]


class ChartNode(BaseModel):
    """One box of a flowchart or state machine: a step, a question, a state, a start or an end."""

    model_config = _FROZEN

    id: Id
    label: ShortText = ""
    shape: ChartShape = "action"

    @model_validator(mode="before")
    @classmethod
    def _compact(cls, value: Any) -> Any:
        # `- q1: need joins?` is a node with that label; its shape comes from the other keys, if any.
        if isinstance(value, dict) and "id" not in value:
            named = [k for k in value if k not in ("label", "shape")]
            if len(named) == 1 and isinstance(value[named[0]], (str, int, float)):
                rest = {k: v for k, v in value.items() if k != named[0]}
                return {"id": named[0], "label": value[named[0]], **rest}
            if len(named) > 1:
                raise ValueError(
                    f"a node is '- id: label' with one id, but this one has {len(named)} "
                    f"({', '.join(map(str, named))});"
                    ' put a label holding a comma in quotes: {fetch: "fetch 1,000 keys"}'
                )
        return value

    @property
    def title(self) -> str:
        """The label to draw: the label, or the id when there is none."""
        return self.label or self.id


class Chart(BaseModel):
    """A flowchart or a state machine: boxes joined by labelled arrows, drawn with the same pen.

    Arrows are written like flow steps (``q1 -> sql: yes``); a dashed arrow (``-->``, ``~>``) is drawn in red
    marker, for the unhappy path: a failure, a compensation, a timeout.
    """

    model_config = _FROZEN

    id: Id
    title: ShortText
    kind: Literal["flowchart", "state"] = "flowchart"
    direction: Literal["TB", "LR"] = "TB"
    summary: Text = ""
    nodes: list[ChartNode] = Field(min_length=2)
    edges: list[Message] = Field(min_length=1)

    def is_pseudo(self, shape: str) -> bool:
        """Whether a shape is drawn as a pseudo-state, with no text: a state machine's start (a dot) and end (a
        dot in a ring)."""
        return self.kind == "state" and shape in ("start", "end")


class Requirements(BaseModel):
    """What the system must do, how well, and what it leaves out."""

    model_config = _FROZEN

    functional: list[Text] = Field(default_factory=list)
    non_functional: list[Text] = Field(default_factory=list)
    out_of_scope: list[Text] = Field(default_factory=list)


class Tradeoff(BaseModel):
    """A decision and what it costs."""

    model_config = _FROZEN

    choice: ShortText
    pros: list[Text] = Field(default_factory=list)
    cons: list[Text] = Field(default_factory=list)
    instead_of: ShortText = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"choice": value}
        return value


Scalar = str | int | float


class ComponentChange(BaseModel):
    """What a stage changes in a component that is already on the board."""

    model_config = _FROZEN

    label: ShortText | None = None
    kind: Kind | None = None
    tech: ShortText | None = None
    replicas: int | None = Field(default=None, ge=1, le=1000)
    group: Id | None = None


class Stage(BaseModel):
    """One step of an evolution series, as a delta over the previous stage."""

    model_config = _FROZEN

    id: Id
    title: ShortText
    summary: Text = ""
    add: list[Id] = Field(default_factory=list)
    remove: list[Id] = Field(default_factory=list)
    change: dict[Id, ComponentChange] = Field(default_factory=dict)
    steps: list[Step] | None = None


class Endpoint(BaseModel):
    """One API call: ``POST /api/v1/shorten``, what it takes and what it returns."""

    model_config = _FROZEN

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "WS", "SSE", "RPC"]
    path: ShortText
    summary: Text = ""
    request: Text = ""
    response: Text = ""


class Field_(BaseModel):
    """A column or attribute of an entity."""

    model_config = _FROZEN

    name: ShortText
    type: ShortText = ""
    note: ShortText = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            name, _, rest = value.partition(":")
            kind, _, note = rest.partition("#")
            return {"name": name.strip(), "type": kind.strip(), "note": note.strip()}
        return value


class Entity(BaseModel):
    """A table, document or key-value record of the data model."""

    model_config = _FROZEN

    name: ShortText
    store: ShortText = ""
    fields: list[Field_] = Field(default_factory=list)
    note: Text = ""


class Section(BaseModel):
    """A titled piece of prose: a deep dive."""

    model_config = _FROZEN

    title: ShortText
    text: Text


class FailureMode(BaseModel):
    """What breaks, what users see, and what limits the damage."""

    model_config = _FROZEN

    failure: ShortText
    impact: Text = ""
    mitigation: Text = ""


class Views(BaseModel):
    """Which pictures a design gets; anything left unsaid takes a sensible default."""

    model_config = _FROZEN

    overview: bool = True
    flows: bool | list[Id] | None = None
    sequences: bool | list[Id] = Field(default_factory=list)
    stages: bool = True
    others: Literal["fade", "hide"] = "fade"
    review: bool = False
    availability: bool = True
    themes: list[ThemeName] = Field(default_factory=list)


class Design(BaseModel):
    """One system design: the whole content of a design file."""

    model_config = _FROZEN

    id: Id
    title: ShortText
    lesson: int | None = Field(default=None, ge=1, le=999)
    summary: Text = ""
    direction: Literal["LR", "TB", "RL", "BT"] = "LR"
    theme: ThemeName | None = None
    components: list[Component] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    requirements: Requirements = Field(default_factory=Requirements)
    estimates: dict[ShortText, Scalar] = Field(default_factory=dict)
    tradeoffs: list[Tradeoff] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    suppress: dict[str, Text] = Field(default_factory=dict)
    stages: list[Stage] = Field(default_factory=list)
    views: Views = Field(default_factory=Views)
    api: list[Endpoint] = Field(default_factory=list)
    data_model: list[Entity] = Field(default_factory=list)
    deep_dives: list[Section] = Field(default_factory=list)
    failure_modes: list[FailureMode] = Field(default_factory=list)
    next_scale: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    examples: list[Literal["consistent_hashing", "rate_limiting", "cache_hit_ratio", "quorum"]] = Field(
        default_factory=list
    )
    charts: list[Chart] = Field(default_factory=list)

    @field_validator("notes", mode="before")
    @classmethod
    def _one_note(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def component(self, component_id: str) -> Component:
        """The component with this id."""
        for comp in self.components:
            if comp.id == component_id:
                return comp
        raise KeyError(component_id)


Branch.model_rebuild()
Fragment.model_rebuild()
Flow.model_rebuild()
Stage.model_rebuild()


def iter_messages(steps: list[Any]) -> list[Message]:
    """Every message of a step list, depth first, in declared order."""
    out: list[Message] = []
    for step in steps:
        if isinstance(step, Message):
            out.append(step)
        else:
            out.extend(iter_messages(step.steps))
            for branch in step.branches:
                out.extend(iter_messages(branch.steps))
    return out
