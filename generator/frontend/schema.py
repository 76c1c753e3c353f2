"""``blueprint schema``: the JSON Schema of a design file, generated from the Pydantic models, for editors and CI."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.frontend.model import ARROW_PATTERN, Design
from generator.frontend.vocabulary import ID_PATTERN, KINDS, SHORT_TEXT_MAX, TEXT_MAX

__all__ = ["design_schema", "render_schema"]

DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the newest draft the YAML language server (VS Code's YAML extension) validates with."""


def _arrow_pattern(*, label: bool) -> str:
    """The compact step form as an ECMA-262 pattern, derived from the model's own regular expression."""
    pattern = re.sub(r"\(\?P<\w+>", "(", ARROW_PATTERN)
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
                    "when": {"type": "string", "maxLength": SHORT_TEXT_MAX},
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
            "description": "step: 'from -> to: label' beside the long form's options (hop, parallel, note, lost).",
            "properties": {
                "step": {"type": "string", "pattern": _arrow_pattern(label=True)},
                "label": {"type": "string", "maxLength": SHORT_TEXT_MAX},
                "hop": {"$ref": "#/$defs/Hop"},
                "parallel": {"type": "boolean"},
                "note": {"type": "string", "maxLength": SHORT_TEXT_MAX},
                "lost": {"type": "boolean"},
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


def _ref_siblings(node: Any) -> Any:
    """Draft 7 ignores keywords beside ``$ref``: a described reference becomes ``allOf: [$ref]`` with them."""
    if isinstance(node, dict):
        out = {key: _ref_siblings(value) for key, value in node.items()}
        if "$ref" in out and len(out) > 1:
            rest = {k: v for k, v in out.items() if k != "$ref"}
            return {"allOf": [{"$ref": out["$ref"]}], **rest}
        return out
    if isinstance(node, list):
        return [_ref_siblings(value) for value in node]
    return node


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
            and node.get("maxLength") in (SHORT_TEXT_MAX, TEXT_MAX)
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
    schema: dict[str, Any] = _replace_steps(Design.model_json_schema(by_alias=True, mode="validation"))
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    defs.update(_step_schemas())
    if "id" in schema.get("required", []):
        schema["required"] = [r for r in schema["required"] if r != "id"]
    props = schema["properties"]
    if "notes" in props:
        described = props["notes"].pop("description", "")
        props["notes"] = {
            "anyOf": [{"type": "string", "maxLength": TEXT_MAX}, props["notes"]],
            "description": described,
        }
    for ref in [k for k, v in props.items() if v.get("items", {}).get("$ref") == "#/$defs/Tradeoff"]:
        props[ref]["items"] = {"anyOf": [{"type": "string", "maxLength": SHORT_TEXT_MAX}, {"$ref": "#/$defs/Tradeoff"}]}
    entity = defs.get("Entity", {}).get("properties", {}).get("fields")
    if entity and entity.get("items", {}).get("$ref") == "#/$defs/Field_":
        entity["items"] = {"anyOf": [{"type": "string", "maxLength": SHORT_TEXT_MAX}, {"$ref": "#/$defs/Field_"}]}
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
                    "additionalProperties": {"type": ["string", "number"], "maxLength": SHORT_TEXT_MAX},
                },
            ]
        }
    peers = defs.get("Component", {}).get("properties", {}).get("redundant_with")
    if peers and peers.get("type") == "array":
        peers.pop("default", None)
        described = peers.pop("description", "")
        defs["Component"]["properties"]["redundant_with"] = {"anyOf": [peers["items"], peers], "description": described}
    _numbers_as_text(schema)
    kind = defs.get("Kind")
    if kind and "enum" in kind:
        kind["enumDescriptions"] = [KINDS[k].explained for k in kind["enum"]]
        kind["markdownEnumDescriptions"] = kind["enumDescriptions"]
    schema = _to_draft7(_ref_siblings(schema))
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
