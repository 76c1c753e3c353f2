"""A design file's bytes to a validated Design and the source map that locates each of its keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Diagnostic
from generator.frontend.load import SourceMap, load_text, read_source
from generator.frontend.model import Design
from generator.frontend.validate import validate

__all__ = ["Parsed", "parse_design"]


@dataclass(frozen=True)
class Parsed:
    """What the front end made of a file: the design and its source map, or every diagnostic that stopped it."""

    design: Design | None
    source: SourceMap | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_design(raw: bytes, *, path: str, default_id: str) -> Parsed:
    """Decode, load and validate one design file's bytes (syntax, schema and cross-references).

    Args:
        raw: The file's bytes.
        path: The path to show in messages.
        default_id: The design's id when the file gives none (the file name's slug).
    """
    text, errors = read_source(raw, path)
    if text is None:
        return Parsed(None, None, errors)
    loaded, errors = load_text(text, path)
    if loaded is None:
        return Parsed(None, None, errors)
    design, errors = validate(loaded, default_id=default_id)
    return Parsed(design, loaded.source if design is not None else None, errors)
