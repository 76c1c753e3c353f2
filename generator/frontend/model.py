"""Pydantic models of a design file: components, groups, flows, requirements and the rest."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from generator.frontend.vocabulary import (
    COMPONENT_LABEL_MAX,
    ID_PATTERN,
    SHORT_TEXT_MAX,
    STEP_LABEL_MAX,
    TEXT_MAX,
    Kind,
    ThemeName,
)

__all__ = [
    "ARROW_PATTERN",
    "PRACTICE_FLAWS",
    "RUBRIC_AREAS",
    "Branch",
    "Component",
    "Design",
    "Flow",
    "Fragment",
    "Group",
    "GroupKind",
    "Hop",
    "Message",
    "Panel",
    "Practice",
    "Requirements",
    "Rubric",
    "Scalar",
    "Stage",
    "Step",
    "Timeline",
    "TimelineItem",
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

ARROW_PATTERN = (
    r"^\s*(?P<src>[^\s:>~=.-][^\s:]*?)\s*(?P<arrow>-->|~>|=>|\.\.>|->)\s*(?P<dst>[^\s:]+)\s*(?::\s*(?P<label>.*))?$"
)
"""The compact step form ``src -> dst: label``, as a regular expression (matched with ``re.DOTALL``)."""

_ARROW_RE = re.compile(ARROW_PATTERN, re.DOTALL)


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


def _no_bool(value: Any) -> Any:
    """YAML reads ``true``, ``yes`` and ``on`` as booleans; where a number is expected, that is a mistake."""
    if isinstance(value, bool):
        raise ValueError(
            f"a number is expected here, not {str(value).lower()} (YAML reads true, yes and on as booleans)"
        )
    return value


Whole = Annotated[int, BeforeValidator(_no_bool)]
"""A whole number, never a boolean."""

Number = Annotated[float, BeforeValidator(_no_bool)]
"""A number, never a boolean."""

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, BeforeValidator(_number_as_text), Field(max_length=TEXT_MAX)]
ShortText = Annotated[str, BeforeValidator(_number_as_text), Field(max_length=SHORT_TEXT_MAX)]


def _step_label(text: str) -> str:
    if len(text) > STEP_LABEL_MAX:
        raise ValueError(
            f"a step label is drawn beside its arrow, so it holds at most {STEP_LABEL_MAX} characters, and this one "
            f"has {len(text)}; keep the words that travel (GET /items/42) and put the detail in the step's note"
        )
    return text


def _component_label(text: str) -> str:
    if len(text) > COMPONENT_LABEL_MAX:
        raise ValueError(
            f"a component label is drawn under its box, so it holds at most {COMPONENT_LABEL_MAX} characters, and "
            f"this one has {len(text)}; name the box and put the detail in its notes"
        )
    return text


class Component(BaseModel):
    """One box on the diagram."""

    model_config = _FROZEN

    id: Id = Field(description="Required. Steps and groups refer to it.")
    label: Annotated[ShortText, AfterValidator(_component_label)] = Field(
        default="", description=f"Drawn under the box (default: the id; at most {COMPONENT_LABEL_MAX} characters)."
    )
    kind: Kind = Field(default=Kind("generic"), description="What it is; decides the drawing.")
    tech: ShortText = Field(default="", description="A small handwritten tag on the drawing, e.g. Redis.")
    replicas: Whole = Field(default=1, ge=1, le=1000, description="Instances; more than one is drawn as a stack.")
    group: Id | None = Field(default=None, description="The id of the group it sits in.")
    notes: Text = Field(default="", description="Shown in the components table.")
    availability: Number | None = Field(
        default=None, gt=0, lt=1, description="Overrides the default availability for its kind, e.g. 0.9995."
    )
    latency_ms: Number | None = Field(
        default=None, ge=0, le=600_000, description="Overrides the default latency for its kind, in milliseconds."
    )
    standby: bool = Field(default=False, description="A standby instance exists (not a single point of failure).")
    redundant_with: Annotated[tuple[Id, ...], BeforeValidator(_one_or_more)] = Field(
        default=(),
        description=(
            "Other components doing the same job (e.g. in another zone); either can serve, so availability counts "
            "them in parallel."
        ),
    )
    expiry: ShortText = Field(
        default="", description="For caches: how entries expire or are invalidated, e.g. 24h TTL."
    )
    suppress: dict[str, Text] = Field(
        default_factory=dict, description="Review findings switched off for this component, CODE: reason."
    )

    @property
    def title(self) -> str:
        """The label to draw: the label, or the id when there is none."""
        return self.label or self.id


class Group(BaseModel):
    """A frame around components: a tier, an availability zone, a region."""

    model_config = _FROZEN

    id: Id = Field(description="Required. Components join the group with group: <id>.")
    label: ShortText = Field(default="", description="Drawn at the frame's top left (default: the id).")
    kind: GroupKind = Field(default=GroupKind.tier, description="What the frame stands for; decides its style.")
    parent: Id | None = Field(default=None, description="The id of the group this one sits in; a cycle is an error.")

    @property
    def title(self) -> str:
        """The label to draw."""
        return self.label or self.id


class Message(BaseModel):
    """One step of a flow: a message from one component to another."""

    model_config = _FROZEN

    from_: Id = Field(alias="from", description="The component the message leaves.")
    to: Id = Field(description="The component it goes to.")
    label: Annotated[ShortText, AfterValidator(_step_label)] = Field(
        default="", description=f"What travels, e.g. GET /items/42 (at most {STEP_LABEL_MAX} characters)."
    )
    hop: Hop = Field(
        default=Hop.request,
        description="request (solid), response (dashed), async (dashed), replication (grey), heartbeat (dotted).",
    )
    parallel: bool = Field(default=False, description="Shares the previous step's number.")
    note: ShortText = Field(default="", description="A remark added to the step's narration.")
    lost: bool = Field(
        default=False,
        description="The message never arrives (a dropped packet, a crash): in a sequence diagram its arrow stops "
        "short with a cross.",
    )

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

    fragment: Literal["opt", "alt", "loop", "par", "critical"] = Field(
        description="opt, alt, loop, par or critical, as in UML sequence diagrams."
    )
    when: ShortText = Field(default="", description="The condition, e.g. on a cache miss.")
    steps: list[Step] = Field(default_factory=list, description="The steps inside the fragment.")
    branches: list[Branch] = Field(default_factory=list, description="For alt: the arms, each with when and steps.")

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

    id: Id = Field(description="Required; also the file name of the flow's own diagram.")
    title: ShortText = Field(default="", description="Heading and legend text (default: the id).")
    summary: Text = Field(default="", description="A paragraph above the flow's steps in the write-up.")
    steps: list[Step] = Field(min_length=1, description="The steps in order; numbers are derived, never written.")
    replies: bool = Field(default=False, description="The flow must end by answering its caller.")
    sequence: bool = Field(default=False, description="Also draw the flow as a sequence diagram.")
    overview: bool = True
    participants: list[Id] = Field(default_factory=list)
    optional: list[Id] = Field(
        default_factory=list,
        description="Components the flow survives without (a cache-aside read falls back to the database when its "
        "cache is down): they do not count in series in the availability table.",
    )
    availability: bool = Field(
        default=True,
        description="False for a procedure or a plan rather than a request through the system (an interview "
        "plan, a failover runbook): it gets no availability or latency row.",
    )
    take: list[ShortText] = Field(
        default_factory=list,
        description="The arm of each 'alt' the flow's picture shows taken, by its 'when' (e.g. [miss]); the other "
        "arms are drawn faded. Alts with no arm named here are drawn whole.",
    )

    @property
    def name(self) -> str:
        """The title, or the id when there is none."""
        return self.title or self.id


ChartShape = Literal["start", "end", "action", "decision", "state", "io"]


class ChartNode(BaseModel):
    """One box of a flowchart or state machine: a step, a question, a state, a start or an end."""

    model_config = _FROZEN

    id: Id = Field(description="Required (or use the short form '- id: label').")
    label: ShortText = Field(default="", description="The text inside the shape (default: the id).")
    shape: ChartShape = Field(
        default="action",
        description="start, end, action (a box, the default), decision (a diamond), state (a rounded box) or io.",
    )

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


class Panel(BaseModel):
    """Two to six of a design's pictures side by side, as one picture with captions (a comparison on one slide)."""

    model_config = _FROZEN

    id: Id = Field(description="Required; the picture is written as panel-<id>.svg.")
    title: ShortText = Field(default="", description="Drawn over the panel (default: the id).")
    views: list[ShortText] = Field(
        min_length=2,
        max_length=6,
        description="The pictures, by name: overview, a flow's id, a stage's picture (stage-1-...), a chart "
        "(chart-...), a sequence (FLOW-sequence); each must be a picture the design draws.",
    )
    columns: Whole | None = Field(
        default=None, ge=1, le=6, description="Pictures a row (default: what fits a 16:9 slide best)."
    )

    @property
    def name(self) -> str:
        """The title, or the id when there is none."""
        return self.title or self.id


class Chart(BaseModel):
    """A flowchart or a state machine: boxes joined by labelled arrows, drawn with the same pen.

    Arrows are written like flow steps (``q1 -> sql: yes``); a dashed arrow (``-->``, ``~>``) is drawn in red
    marker, for the unhappy path: a failure, a compensation, a timeout.
    """

    model_config = _FROZEN

    id: Id = Field(description="Required. The picture is chart-<id>.svg and .png.")
    title: ShortText = Field(description="Drawn above the chart and used as its section's heading in the write-up.")
    kind: Literal["flowchart", "state"] = Field(
        default="flowchart",
        description=(
            "flowchart (the default: start, action, decision, io, end) or state (state machine: the start and end "
            "are drawn as a dot and a ringed dot)."
        ),
    )
    direction: Literal["TB", "LR"] = Field(default="TB", description="TB (top to bottom, the default) or LR.")
    summary: Text = Field(default="", description="A paragraph above the chart in the write-up.")
    nodes: list[ChartNode] = Field(
        min_length=2, description="The boxes: '- id: label', with 'shape' beside it when it is not an action."
    )
    edges: list[Message] = Field(
        min_length=1,
        description=(
            "The arrows, written like steps: 'q1 -> sql: yes'. A dashed arrow (-->, ~>) is drawn in red, for the "
            "unhappy path."
        ),
    )

    def is_pseudo(self, shape: str) -> bool:
        """Whether a shape is drawn as a pseudo-state, with no text: a state machine's start (a dot) and end (a
        dot in a ring)."""
        return self.kind == "state" and shape in ("start", "end")


TimeUnit = Literal["ms", "s", "min", "h"]
TimelineKind = Literal["span", "instant", "window", "interval"]


class TimelineItem(BaseModel):
    """One thing on a time-line: an instant (``at``), or a span, a window or an interval (``start`` and ``end``)."""

    model_config = _FROZEN

    label: ShortText = Field(description="Required: what happens, drawn beside it.")
    at: Number | None = Field(default=None, description="An instant: when it happens, in the time-line's unit.")
    start: Number | None = Field(default=None, description="Where a span, window or interval begins.")
    end: Number | None = Field(default=None, description="Where a span, window or interval ends (after start).")
    kind: TimelineKind | None = Field(
        default=None,
        description="span (a bar in its lane), instant (a mark), window (a band across every lane, such as a "
        "rate-limit window) or interval (a measured stretch with arrows at both ends, such as RPO). Default: "
        "instant with 'at', span with 'start' and 'end'.",
    )
    lane: ShortText = Field(default="", description="The row it is drawn in (windows cross every lane).")
    tone: Literal["normal", "bad", "good", "quiet"] = Field(
        default="normal",
        description="normal, bad (red: a failure, data lost, a rejected request), good (green) or quiet (grey).",
    )

    @model_validator(mode="after")
    def _when(self) -> TimelineItem:
        ranged = self.start is not None or self.end is not None
        if self.at is not None and ranged:
            raise ValueError(f"'{self.label}' has both 'at' and 'start'/'end'; an instant has 'at', a span both ends")
        if self.at is None and not ranged:
            raise ValueError(f"'{self.label}' needs 'at' (an instant) or 'start' and 'end' (a span)")
        if ranged and (self.start is None or self.end is None):
            raise ValueError(f"'{self.label}' needs both 'start' and 'end'")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"'{self.label}' ends at {self.end:g}, not after its start {self.start:g}")
        if self.kind == "instant" and self.at is None:
            raise ValueError(f"'{self.label}' is an instant: give it 'at', not 'start' and 'end'")
        if self.kind not in (None, "instant") and self.at is not None:
            raise ValueError(f"'{self.label}' is a {self.kind}: give it 'start' and 'end', not 'at'")
        return self

    @property
    def shape(self) -> TimelineKind:
        """What is drawn: the kind, or what 'at' or 'start' and 'end' make it."""
        return self.kind or ("instant" if self.at is not None else "span")

    @property
    def begins(self) -> float:
        """When it starts (an instant's moment)."""
        return self.at if self.at is not None else self.start if self.start is not None else 0.0

    @property
    def ends(self) -> float:
        """When it ends (an instant's moment)."""
        return self.at if self.at is not None else self.end if self.end is not None else 0.0


class Timeline(BaseModel):
    """Events and spans on a time axis drawn to scale: an interview's 45 minutes, RPO and RTO around a failover,
    rate-limit windows."""

    model_config = _FROZEN

    id: Id = Field(description="Required. The picture is timeline-<id>.svg and .png.")
    title: ShortText = Field(description="Drawn above the time-line and used as its section's heading.")
    summary: Text = Field(default="", description="A paragraph above the picture in the write-up.")
    unit: TimeUnit = Field(description="Required: ms, s, min or h; every time on it is in this unit.")
    start: Number | None = Field(default=None, description="Where the axis starts (default: the earliest item).")
    end: Number | None = Field(default=None, description="Where the axis ends (default: the latest item).")
    tick: Number | None = Field(
        default=None, gt=0, description="The step between labelled ticks (default: a round step, 5 to 10 ticks)."
    )
    lanes: list[ShortText] = Field(
        default_factory=list,
        max_length=8,
        description="The rows, top to bottom (default: the items' lanes in order of first use).",
    )
    items: list[TimelineItem] = Field(min_length=1, max_length=60, description="What happens, and when.")

    @model_validator(mode="after")
    def _axis(self) -> Timeline:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"the axis ends at {self.end:g}, not after its start {self.start:g}")
        return self

    @property
    def axis(self) -> tuple[float, float]:
        """The axis' first and last time: as declared, else the items' earliest and latest."""
        first = min(item.begins for item in self.items) if self.start is None else self.start
        last = max(item.ends for item in self.items) if self.end is None else self.end
        return (first, last if last > first else first + 1.0)

    @property
    def lane_order(self) -> list[str]:
        """The lanes top to bottom: the declared ones, then any other an item names, in order of first use."""
        order = list(self.lanes)
        for item in self.items:
            if item.shape != "window" and item.lane not in order:
                order.append(item.lane)
        return order or [""]


class Requirements(BaseModel):
    """What the system must do, how well, and what it leaves out."""

    model_config = _FROZEN

    functional: list[Text] = Field(default_factory=list, description="What the system must do.")
    non_functional: list[Text] = Field(default_factory=list, description="How well: availability, latency, scale.")
    out_of_scope: list[Text] = Field(default_factory=list, description="What the design leaves out.")


class Tradeoff(BaseModel):
    """A decision and what it costs."""

    model_config = _FROZEN

    choice: ShortText = Field(description="The decision taken.")
    pros: list[Text] = Field(default_factory=list, description="What it buys.")
    cons: list[Text] = Field(default_factory=list, description="What it costs.")
    instead_of: ShortText = Field(default="", description="The alternative it was chosen over.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"choice": value}
        return value


Scalar = bool | str | int | float
"""An estimate's value: a number, a text with units, or (for a free-form key) true or false."""


class ComponentChange(BaseModel):
    """What a stage changes in a component that is already on the board."""

    model_config = _FROZEN

    label: ShortText | None = None
    kind: Kind | None = None
    tech: ShortText | None = None
    replicas: Whole | None = Field(default=None, ge=1, le=1000)
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
    fail: list[Id] = Field(
        default_factory=list,
        description="Components that fail in this stage: drawn greyed and crossed out, not removed (the failure is "
        "the lesson). They stay failed in later stages until a stage removes them or lists them under 'recover'.",
    )
    recover: list[Id] = Field(default_factory=list, description="Failed components that are back in this stage.")
    steps: Annotated[list[Step], Field(min_length=1)] | None = None


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
    """A titled piece of prose: a deep dive, with a table under it if it needs one."""

    model_config = _FROZEN

    title: ShortText
    text: Text
    table: list[list[Text]] = Field(
        default_factory=list,
        description="A table under the text, as rows of cells: the first row is the header, and every row has as "
        "many cells as it.",
    )

    @model_validator(mode="after")
    def _rectangular(self) -> Section:
        if len(self.table) == 1:
            raise ValueError(f"the table of '{self.title}' has a header and no rows")
        for number, row in enumerate(self.table[1:], start=2):
            if len(row) != len(self.table[0]):
                raise ValueError(
                    f"row {number} of the table of '{self.title}' has {len(row)} cell{'' if len(row) == 1 else 's'}, "
                    f"the header {len(self.table[0])}"
                )
        return self


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


PRACTICE_FLAWS = ("standby", "replicas", "consumer", "expiry")
"""The flaws the review exercise can put into a copy of a design: a standby removed, a replicated component cut
to one instance, a queue's consumer dropped, a cache's expiry removed."""

RUBRIC_AREAS = ("roles", "flows", "resilience", "estimates", "requirements")
"""The rubric areas ``blueprint grade`` scores, in the order it reports them."""


class Practice(BaseModel):
    """How the design's practice page is made: which exercises it gets and what they pick."""

    model_config = _FROZEN

    enabled: bool = Field(default=True, description="Write a practice page (practice.md) for this design.")
    redraw: bool = Field(
        default=True,
        description="Draw the overview with names blanked as numbered blanks (practice-overview.svg) to redraw.",
    )
    order: Id | None = Field(
        default=None,
        description="The flow whose shuffled steps the learner puts back in order (default: the longest flow).",
    )
    scale: Number = Field(
        default=10, ge=2, le=1000, description="How much the estimate exercise scales the load inputs (default 10)."
    )
    kill: list[Id] | None = Field(
        default=None,
        max_length=6,
        description="Components the 'kill a box' exercise takes down (default: up to three chosen by role).",
    )
    flaws: list[Literal["standby", "replicas", "consumer", "expiry"]] | None = Field(
        default=None,
        description="What the review exercise breaks in a copy of the design (default: every flaw that applies).",
    )
    questions: list[Text] = Field(
        default_factory=list, description="More questions to argue, after those drawn from trade-offs and deep dives."
    )


class Rubric(BaseModel):
    """How ``blueprint grade`` weighs a learner's design against this one, when this one is the reference."""

    model_config = _FROZEN

    must_have: list[Kind] | None = Field(
        default=None,
        description="Kinds a learner's design must have (default: every kind on this design's flows).",
    )
    tolerance: Number = Field(
        default=2,
        gt=1,
        le=1000,
        description="How far off an estimate may be, as a factor either way (default 2: half to twice the value).",
    )
    tolerances: dict[ShortText, Annotated[float, BeforeValidator(_no_bool), Field(gt=1, le=1000)]] = Field(
        default_factory=dict, description="A tolerance per estimate figure, by key (storage: 4)."
    )
    weights: dict[Literal["roles", "flows", "resilience", "estimates", "requirements"], Number] = Field(
        default_factory=dict, description="How much each rubric area counts toward the total (default: all equal)."
    )

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for area, weight in value.items():
            if weight < 0:
                raise ValueError(f"the weight of {area} is {weight:g}; weights are 0 or more")
        return value


class Design(BaseModel):
    """One system design: the whole content of a design file."""

    model_config = _FROZEN

    id: Id = Field(
        description=(
            "The design's id, used as its output folder. Defaults to the file name (url-shortener.yaml → url-"
            "shortener)."
        ),
    )
    title: ShortText = Field(description="The diagram's title and the write-up's heading.")
    lesson: Whole | None = Field(
        default=None,
        ge=1,
        le=999,
        description="The course lesson this design belongs to; the index groups designs by lesson and part.",
    )
    summary: Text = Field(default="", description="A paragraph under the title.")
    direction: Literal["LR", "TB", "RL", "BT"] = Field(
        default="LR", description="Which way the diagram flows: LR (left to right, the default), TB, RL or BT."
    )
    theme: ThemeName | None = Field(
        default=None, description="How the diagram is drawn (default whiteboard; `blueprint build --theme` overrides)."
    )
    components: list[Component] = Field(min_length=1, description="The boxes. Steps and groups refer to them by id.")
    groups: list[Group] = Field(
        default_factory=list, description="Frames around components: tiers, availability zones, regions."
    )
    flows: list[Flow] = Field(default_factory=list, description="Named, ordered, numbered steps between components.")
    requirements: Requirements = Field(
        default_factory=Requirements,
        description="What the system must do (functional), how well (non_functional), and what it leaves out.",
    )
    estimates: dict[ShortText, Scalar] = Field(
        default_factory=dict,
        description="Back-of-the-envelope inputs and figures, name: value (e.g. new_urls_per_day: 100M).",
    )
    tradeoffs: list[Tradeoff] = Field(
        default_factory=list,
        description="Decisions and what they cost: a sentence, or choice / instead_of / pros / cons.",
    )
    notes: list[Text] = Field(
        default_factory=list,
        description="Anything else worth saying, listed at the end of the write-up (a sentence or a list).",
    )
    suppress: dict[str, Text] = Field(
        default_factory=dict, description="Review findings switched off for the whole design, CODE: reason."
    )
    stages: list[Stage] = Field(
        default_factory=list,
        description="An evolution series: each stage adds, removes or changes components and gets its own diagram.",
    )
    views: Views = Field(
        default_factory=Views,
        description="Which pictures the design gets; anything left unsaid takes a sensible default.",
    )
    api: list[Endpoint] = Field(default_factory=list)
    data_model: list[Entity] = Field(default_factory=list)
    deep_dives: list[Section] = Field(default_factory=list)
    failure_modes: list[FailureMode] = Field(default_factory=list)
    next_scale: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    examples: list[Literal["consistent_hashing", "rate_limiting", "cache_hit_ratio", "quorum"]] = Field(
        default_factory=list
    )
    panels: list[Panel] = Field(
        default_factory=list,
        description="Comparisons: some of the design's pictures side by side in one picture, with captions.",
    )
    charts: list[Chart] = Field(
        default_factory=list,
        description="Flowcharts and state machines: boxes that hold their text, joined by labelled arrows.",
    )
    timelines: list[Timeline] = Field(
        default_factory=list,
        description="Time-lines drawn to scale: spans, instants, windows and measured intervals on a time axis.",
    )
    practice: Practice = Field(
        default_factory=Practice,
        description="The practice page: its exercises, or enabled: false for none.",
    )
    rubric: Rubric = Field(
        default_factory=Rubric,
        description="How blueprint grade weighs a learner's design against this one (must-have kinds, tolerances).",
    )

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
