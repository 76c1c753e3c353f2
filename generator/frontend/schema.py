"""``blueprint schema``: the JSON Schema of a design file, generated from the Pydantic models, for editors and CI."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["DESCRIPTIONS", "design_schema", "render_schema"]

DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the newest draft the YAML language server (VS Code's YAML extension) validates with."""

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Design": {
        "id": "The design's id, used as its output folder. Defaults to the file name (url-shortener.yaml → "
        "url-shortener).",
        "title": "The diagram's title and the write-up's heading.",
        "lesson": "The course lesson this design belongs to; the index groups designs by lesson and part.",
        "summary": "A paragraph under the title.",
        "direction": "Which way the diagram flows: LR (left to right, the default), TB, RL or BT.",
        "theme": "How the diagram is drawn (default whiteboard; `blueprint build --theme` overrides).",
        "components": "The boxes. Steps and groups refer to them by id.",
        "groups": "Frames around components: tiers, availability zones, regions.",
        "flows": "Named, ordered, numbered steps between components.",
        "requirements": "What the system must do (functional), how well (non_functional), and what it leaves out.",
        "estimates": "Back-of-the-envelope inputs and figures, name: value (e.g. new_urls_per_day: 100M).",
        "tradeoffs": "Decisions and what they cost: a sentence, or choice / instead_of / pros / cons.",
        "notes": "Anything else worth saying, listed at the end of the write-up (a sentence or a list).",
        "suppress": "Review findings switched off for the whole design, CODE: reason.",
        "stages": "An evolution series: each stage adds, removes or changes components and gets its own diagram.",
        "views": "Which pictures the design gets; anything left unsaid takes a sensible default.",
        "charts": "Flowcharts and state machines: boxes that hold their text, joined by labelled arrows.",
    },
    "Chart": {
        "id": "Required. The picture is chart-<id>.svg and .png.",
        "title": "Drawn above the chart and used as its section's heading in the write-up.",
        "kind": "flowchart (the default: start, action, decision, io, end) or state (state machine: the start "
        "and end are drawn as a dot and a ringed dot).",
        "direction": "TB (top to bottom, the default) or LR.",
        "summary": "A paragraph above the chart in the write-up.",
        "nodes": "The boxes: '- id: label', with 'shape' beside it when it is not an action.",
        "edges": "The arrows, written like steps: 'q1 -> sql: yes'. A dashed arrow (-->, ~>) is drawn in red, "
        "for the unhappy path.",
    },
    "ChartNode": {
        "id": "Required (or use the short form '- id: label').",
        "label": "The text inside the shape (default: the id).",
        "shape": "start, end, action (a box, the default), decision (a diamond), state (a rounded box) or io.",
    },
    "Component": {
        "id": "Required. Steps and groups refer to it.",
        "label": "Drawn under the box (default: the id).",
        "kind": "What it is; decides the drawing.",
        "tech": "A small handwritten tag on the drawing, e.g. Redis.",
        "replicas": "Instances; more than one is drawn as a stack.",
        "group": "The id of the group it sits in.",
        "notes": "Shown in the components table.",
        "availability": "Overrides the default availability for its kind, e.g. 0.9995.",
        "latency_ms": "Overrides the default latency for its kind, in milliseconds.",
        "standby": "A standby instance exists (not a single point of failure).",
        "redundant_with": "Other components doing the same job (e.g. in another zone); either can serve, so "
        "availability counts them in parallel.",
        "expiry": "For caches: how entries expire or are invalidated, e.g. 24h TTL.",
        "suppress": "Review findings switched off for this component, CODE: reason.",
    },
    "Group": {
        "id": "Required. Components join the group with group: <id>.",
        "label": "Drawn at the frame's top left (default: the id).",
        "kind": "What the frame stands for; decides its style.",
        "parent": "The id of the group this one sits in; a cycle is an error.",
    },
    "Flow": {
        "id": "Required; also the file name of the flow's own diagram.",
        "title": "Heading and legend text (default: the id).",
        "summary": "A paragraph above the flow's steps in the write-up.",
        "steps": "The steps in order; numbers are derived, never written.",
        "replies": "The flow must end by answering its caller.",
        "sequence": "Also draw the flow as a sequence diagram.",
    },
    "Message": {
        "from": "The component the message leaves.",
        "to": "The component it goes to.",
        "label": "What travels, e.g. GET /items/42.",
        "hop": "request (solid), response (dashed), async (dashed), replication (grey), heartbeat (dotted).",
        "parallel": "Shares the previous step's number.",
        "note": "A remark added to the step's narration.",
    },
    "Fragment": {
        "fragment": "opt, alt, loop, par or critical, as in UML sequence diagrams.",
        "when": "The condition, e.g. on a cache miss.",
        "steps": "The steps inside the fragment.",
        "branches": "For alt: the arms, each with when and steps.",
    },
    "Tradeoff": {
        "choice": "The decision taken.",
        "instead_of": "The alternative it was chosen over.",
        "pros": "What it buys.",
        "cons": "What it costs.",
    },
    "Requirements": {
        "functional": "What the system must do.",
        "non_functional": "How well: availability, latency, scale.",
        "out_of_scope": "What the design leaves out.",
    },
}
"""Field descriptions shown by editors on hover, by model name and field alias."""


def _arrow_pattern(*, label: bool) -> str:
    """The compact step form as an ECMA-262 pattern, derived from the model's own regular expression."""
    from generator.frontend.model import _ARROW_RE

    pattern = re.sub(r"\(\?P<\w+>", "(", _ARROW_RE.pattern)
    pattern = pattern.replace(".*", "[\\s\\S]*")  # the model matches with re.DOTALL
    if not label:
        pattern = re.sub(r"\\s\*\(\?::\\s\*\(\[\\s\\S\]\*\)\)\?\$$", r"\\s*$", pattern)
    return pattern


def _step_schemas() -> dict[str, Any]:
    """The definitions a step needs beyond the models' own: the compact forms and the short fragments."""
    step_items = {"$ref": "#/$defs/Step"}
    fragment_keys = ("opt", "alt", "loop", "par", "critical")
    short_fragments = []
    for key in fragment_keys:
        condition: dict[str, Any] = {"type": ["string", "null"], "description": "The condition, if any."}
        if key == "alt":
            condition = {
                "anyOf": [
                    {"type": ["string", "null"]},
                    {"type": "array", "items": {"$ref": "#/$defs/Branch"}, "minItems": 1},
                ],
                "description": "The arms (a list of when/steps), or a condition with 'branches' beside it.",
            }
        short_fragments.append(
            {
                "type": "object",
                "title": f"{key} fragment",
                "description": f"A '{key}' fragment, short form: '{key}: condition' beside its steps.",
                "properties": {
                    key: condition,
                    "when": {"type": "string", "maxLength": 200},
                    "steps": {"type": "array", "items": step_items},
                    "branches": {"type": "array", "items": {"$ref": "#/$defs/Branch"}},
                },
                "required": [key] if key == "alt" else [key, "steps"],
                "additionalProperties": False,
            }
        )
    return {
        "Step": {
            "title": "Step",
            "description": "One step of a flow: 'from -> to: label', a one-key mapping of the same, the long "
            "form (from, to, label, hop, parallel, note), or a fragment (opt, alt, loop, par, critical).",
            "anyOf": [
                {"$ref": "#/$defs/CompactStep"},
                {"$ref": "#/$defs/CompactStepMapping"},
                {"$ref": "#/$defs/Message"},
                {"$ref": "#/$defs/ArrowStep"},
                {"$ref": "#/$defs/Fragment"},
                *short_fragments,
            ],
        },
        "CompactStep": {
            "type": "string",
            "title": "Compact step",
            "description": "from -> to: label. Arrows: -> request, --> response, ~> async, => replication, "
            "..> heartbeat.",
            "pattern": _arrow_pattern(label=True),
        },
        "CompactStepMapping": {
            "type": "object",
            "title": "Compact step (YAML mapping)",
            "description": "'- client -> lb: GET /' in YAML is a one-key mapping: the arrow is the key, the "
            "label its value.",
            "minProperties": 1,
            "maxProperties": 1,
            "propertyNames": {"pattern": _arrow_pattern(label=False)},
            "additionalProperties": {"type": ["string", "number"]},
        },
        "ArrowStep": {
            "type": "object",
            "title": "Step with options",
            "description": "step: 'from -> to: label' beside the long form's options (hop, parallel, note).",
            "properties": {
                "step": {"type": "string", "pattern": _arrow_pattern(label=True)},
                "label": {"type": "string", "maxLength": 200},
                "hop": {"$ref": "#/$defs/Hop"},
                "parallel": {"type": "boolean"},
                "note": {"type": "string", "maxLength": 200},
            },
            "required": ["step"],
            "additionalProperties": False,
        },
    }


def _replace_steps(node: Any) -> Any:
    """Point every list of steps (Pydantic's Message-or-Fragment union) at the Step definition."""
    if isinstance(node, dict):
        choices = node.get("oneOf") or node.get("anyOf")
        if isinstance(choices, list) and {c.get("$ref") for c in choices if isinstance(c, dict)} == {
            "#/$defs/Message",
            "#/$defs/Fragment",
        }:
            return {"$ref": "#/$defs/Step"}
        return {key: _replace_steps(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_steps(value) for value in node]
    return node


def _describe(defs: dict[str, Any], top: dict[str, Any]) -> None:
    for model, fields in DESCRIPTIONS.items():
        target = top if model == "Design" else defs.get(model)
        if not target:
            continue
        props = target.get("properties", {})
        for name, text in fields.items():
            if name in props:
                prop = props[name]
                if "$ref" in prop:  # draft 7 ignores keywords beside $ref
                    rest = {k: v for k, v in prop.items() if k != "$ref"}
                    props[name] = {"allOf": [{"$ref": prop["$ref"]}], **rest, "description": text}
                else:
                    prop["description"] = text


def _to_draft7(node: Any) -> Any:
    """Pydantic's ``$defs`` and ``#/$defs/`` references as draft 7's ``definitions``."""
    if isinstance(node, dict):
        out = {("definitions" if k == "$defs" else k): _to_draft7(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/definitions/" + ref.removeprefix("#/$defs/")
        return out
    if isinstance(node, list):
        return [_to_draft7(v) for v in node]
    return node


def _numbers_as_text(node: Any) -> None:
    """Free text also takes a number, as validation does (YAML reads ``201`` or ``1.5`` as numbers)."""
    if isinstance(node, dict):
        if (
            node.get("type") == "string"
            and node.get("maxLength") in (200, 4000)
            and "pattern" not in node
            and "enum" not in node
        ):
            node["type"] = ["string", "number"]
        for value in node.values():
            _numbers_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_as_text(value)


def design_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a design file.

    Pydantic's schema of :class:`generator.frontend.model.Design`, widened to accept what validation accepts before the
    models see it: the compact step forms, short fragments (``opt: condition``), a trade-off or the notes as a
    single sentence, one id for ``redundant_with``, short chart nodes and arrows, and a missing ``id`` (the file
    name gives it).
    """
    from generator.frontend.model import Design
    from generator.frontend.vocabulary import ID_PATTERN, KINDS

    schema: dict[str, Any] = _replace_steps(Design.model_json_schema(by_alias=True, mode="validation"))
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    defs.update(_step_schemas())
    if "id" in schema.get("required", []):
        schema["required"] = [r for r in schema["required"] if r != "id"]
    props = schema["properties"]
    if "notes" in props:
        props["notes"] = {"anyOf": [{"type": "string", "maxLength": 2000}, props["notes"]]}
    for ref in [k for k, v in props.items() if v.get("items", {}).get("$ref") == "#/$defs/Tradeoff"]:
        props[ref]["items"] = {"anyOf": [{"type": "string", "maxLength": 200}, {"$ref": "#/$defs/Tradeoff"}]}
    entity = defs.get("Entity", {}).get("properties", {}).get("fields")
    if entity and entity.get("items", {}).get("$ref") == "#/$defs/Field_":
        entity["items"] = {"anyOf": [{"type": "string", "maxLength": 200}, {"$ref": "#/$defs/Field_"}]}
    chart = defs.get("Chart", {}).get("properties", {})
    if "edges" in chart:
        chart["edges"]["items"] = {
            "anyOf": [
                {"$ref": "#/$defs/CompactStep"},
                {"$ref": "#/$defs/CompactStepMapping"},
                {"$ref": "#/$defs/Message"},
                {"$ref": "#/$defs/ArrowStep"},
            ]
        }
    if "nodes" in chart:
        chart["nodes"]["items"] = {
            "anyOf": [
                {"$ref": "#/$defs/ChartNode"},
                {
                    "type": "object",
                    "title": "Chart node, short form",
                    "description": "'- q1: need joins?' is the node q1 with that label; 'shape' may sit beside it.",
                    "minProperties": 1,
                    "maxProperties": 2,
                    "properties": {"shape": defs["ChartNode"]["properties"]["shape"]},
                    "propertyNames": {"pattern": ID_PATTERN},
                    "additionalProperties": {"type": ["string", "number"], "maxLength": 200},
                },
            ]
        }
    peers = defs.get("Component", {}).get("properties", {}).get("redundant_with")
    if peers and peers.get("type") == "array":
        peers.pop("default", None)
        defs["Component"]["properties"]["redundant_with"] = {"anyOf": [peers["items"], peers]}
    _numbers_as_text(schema)
    _describe(defs, schema)
    kind = defs.get("Kind")
    if kind and "enum" in kind:
        kind["enumDescriptions"] = [KINDS[k].explained for k in kind["enum"]]
        kind["markdownEnumDescriptions"] = kind["enumDescriptions"]
    schema = _to_draft7(schema)
    schema["$schema"] = DRAFT
    schema["title"] = "blueprint design file"
    schema["description"] = (
        "A system design for blueprint: components, groups, flows, requirements, estimates and trade-offs. "
        "See the README's 'The design file'."
    )
    return schema


def render_schema() -> str:
    """The schema as deterministic JSON text: sorted keys, two-space indents, a final newline."""
    return json.dumps(design_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
