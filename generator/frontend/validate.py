"""Plain mapping to a validated Design: the schema (Pydantic) and cross-reference checks, every error located."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Diagnostic
from generator.frontend.hints import did_you_mean
from generator.frontend.load import Loaded, SourceMap
from generator.frontend.model import (
    Branch,
    Chart,
    ChartNode,
    Component,
    ComponentChange,
    Design,
    Endpoint,
    Entity,
    FailureMode,
    Field_,
    Flow,
    Fragment,
    Group,
    GroupKind,
    Hop,
    Message,
    Panel,
    Requirements,
    Section,
    Stage,
    Timeline,
    TimelineItem,
    Tradeoff,
    Views,
)
from generator.frontend.references import reference_errors
from generator.frontend.vocabulary import SHORT_TEXT_MAX, Kind, kind_alias

__all__ = ["validate"]

_MODEL_BY_CONTAINER: dict[str, tuple[type[BaseModel], ...]] = {
    "components": (Component,),
    "groups": (Group,),
    "flows": (Flow,),
    "steps": (Message, Fragment),
    "branches": (Branch,),
    "alt": (Branch,),
    "requirements": (Requirements,),
    "stages": (Stage,),
    "api": (Endpoint,),
    "data_model": (Entity,),
    "fields": (Field_,),
    "deep_dives": (Section,),
    "failure_modes": (FailureMode,),
    "views": (Views,),
    "tradeoffs": (Tradeoff,),
    "change": (ComponentChange,),
    "panels": (Panel,),
    "charts": (Chart,),
    "nodes": (ChartNode,),
    "edges": (Message,),
    "timelines": (Timeline,),
    "items": (TimelineItem,),
}
"""The model of each list or mapping a design nests, by its key: an unknown field inside one lists its fields."""

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def validate(loaded: Loaded, *, default_id: str) -> tuple[Design | None, list[Diagnostic]]:
    """Validate a loaded document as a design.

    Args:
        loaded: The plain data and its source map, from :func:`generator.frontend.load.load_text`.
        default_id: The id to use when the file gives none (the file name's slug).

    Returns:
        The design, or None, and every diagnostic found (schema errors and broken references together).
    """
    src = loaded.source
    data = loaded.data
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return None, [
            Diagnostic(
                src.locate(()),
                f"the top of a design file must be a mapping of fields, not {what}",
                hint="start with 'title:' and 'components:'",
            )
        ]
    data = {"id": default_id, **data} if "id" not in data else data
    diagnostics = list(_schema_errors(data, src))
    diagnostics.extend(reference_errors(data, src))
    diagnostics = sorted(set(diagnostics), key=lambda d: (d.location.line, d.location.column, d.message))
    if diagnostics:
        return None, diagnostics
    return Design.model_validate(data), []


def _schema_errors(data: dict[str, Any], src: SourceMap) -> Iterator[Diagnostic]:
    try:
        Design.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            yield _diagnostic(error, data, src)


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop the union tags pydantic inserts after a step's index."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if part in ("message", "fragment") and i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] in ("steps",):
            continue
        out.append(part)
    return tuple(out)


def _container_models(path: tuple[str | int, ...]) -> tuple[type[BaseModel], ...]:
    for part in reversed(path):
        if isinstance(part, str):
            return _MODEL_BY_CONTAINER.get(part, ())
    return (Design,)


def _fields(models: tuple[type[BaseModel], ...]) -> list[str]:
    names: list[str] = []
    for model in models:
        for name, info in model.model_fields.items():
            names.append(info.alias or name)
    if Fragment in models:
        names.extend(["opt", "alt", "loop", "par", "critical", "step"])
    if Message in models:
        names.append("step")
    return sorted(set(names))


def _diagnostic(error: Any, data: dict[str, Any], src: SourceMap) -> Diagnostic:
    loc = _clean_loc(tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        parent = loc[:-1]
        field = str(loc[-1])
        models = _container_models(parent) if parent else (Design,)
        options = _fields(models)
        return Diagnostic(
            src.locate(loc, key=True),
            f"unknown field '{field}'",
            hint=did_you_mean(field, options) or f"known fields: {', '.join(options)}",
        )
    if kind == "missing":
        field = str(loc[-1])
        return Diagnostic(src.locate(loc[:-1]), f"missing required field '{field}'")
    if kind == "enum" and loc and loc[-1] == "kind":
        parent_models = _container_models(loc[:-1])
        options = [k.value for k in (GroupKind if Group in parent_models else Kind)]
        return Diagnostic(
            src.locate(loc),
            f"unknown kind '{value}'",
            hint=did_you_mean(str(value), options, aliases=kind_alias if Component in parent_models else None)
            or f"kinds: {', '.join(options)}",
        )
    if kind == "enum" and loc and loc[-1] == "hop":
        options = [h.value for h in Hop]
        return Diagnostic(
            src.locate(loc),
            f"unknown hop '{value}'",
            hint=did_you_mean(str(value), options) or f"hops: {', '.join(options)}",
        )
    if kind == "string_pattern_mismatch":
        return Diagnostic(
            src.locate(loc),
            f"'{value}' is not a valid id",
            hint="ids start with a letter and use letters, digits, '-' and '_' (at most 64)",
        )
    where = _describe(loc)
    if kind in _TYPE_WORDS:
        return Diagnostic(src.locate(loc), f"{where} should be {_TYPE_WORDS[kind]}, not {_show(value)}")
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "too_short" and isinstance(value, list):
        least = int(error.get("ctx", {}).get("min_length", 1))
        message = "needs at least one entry" if least == 1 else f"needs at least {least} entries, not {len(value)}"
    if kind == "too_long" and isinstance(value, str | int | float):
        limit = error.get("ctx", {}).get("max_length", 0)
        return Diagnostic(
            src.locate(loc),
            f"{where} is {len(str(value)):,} characters long; the most is {limit:,}",
            hint="shorten it: a long label makes a picture nobody can read on a slide"
            if limit <= SHORT_TEXT_MAX
            else "shorten it, or split it into several entries",
        )
    if kind == "too_long" and isinstance(value, list | dict):
        limit = error.get("ctx", {}).get("max_length", 0)
        return Diagnostic(src.locate(loc), f"{where} has {len(value):,} entries; the most is {limit:,}")
    if kind == "literal_error":
        message = f"{message}, not {_show(value)}"
    if kind == "value_error" or not where:
        return Diagnostic(src.locate(loc), message)
    return Diagnostic(src.locate(loc), f"{where}: {message}")


def _describe(loc: tuple[str | int, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return f"'{part}'"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
