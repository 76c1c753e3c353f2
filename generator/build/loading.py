"""Design files to prepared designs: each file read once and prepared once, every file's errors reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.build.io import discover, display_path, read_design_file
from generator.errors import BlueprintError, DesignError, Diagnostic, Location
from generator.frontend.hints import slug
from generator.plan.prepare import Prepared, read_design

__all__ = ["Unread", "duplicates", "load_all", "prepare_all", "read_files"]

Unread = tuple[Path, bytes]
"""A design file's path and bytes, read once, not yet parsed."""


def read_files(files: Sequence[Path]) -> tuple[list[Unread], list[Diagnostic]]:
    """Each design file's bytes, read once (never more than the size limit); a file that cannot be read, or is
    too large, is a located error."""
    out: list[Unread] = []
    errors: list[Diagnostic] = []
    for path in files:
        raw, problem = read_design_file(path)
        if raw is not None:
            out.append((path, raw))
        elif problem is not None:
            errors.append(problem)
    return out, errors


def _prepare_one(item: tuple[bytes, str, str]) -> tuple[Prepared | None, list[Diagnostic]]:
    raw, shown, default_id = item
    return read_design(raw, path=shown, default_id=default_id)


def prepare_all(files: Sequence[Unread], executor: Any = None) -> tuple[list[tuple[Path, Prepared]], list[Diagnostic]]:
    """Parse and prepare design files from their bytes, on the executor's workers when one is given; results keep
    the files' order."""
    items = [(raw, display_path(path), slug(path.stem)) for path, raw in files]
    parallel = executor is not None and len(items) > 1
    results = executor.map(_prepare_one, items) if parallel else map(_prepare_one, items)
    errors: list[Diagnostic] = []
    loaded: list[tuple[Path, Prepared]] = []
    for (path, _), (record, problems) in zip(files, results, strict=True):
        if record is not None:
            loaded.append((path, record))
        errors.extend(problems)
    return loaded, errors


def duplicates(ids: Sequence[tuple[str, Path]]) -> list[Diagnostic]:
    """An error for each design file whose design id another file already uses."""
    errors: list[Diagnostic] = []
    seen: dict[str, tuple[str, Path]] = {}
    for ident, path in ids:
        key = ident.casefold()  # one folder on macOS and Windows
        if key in seen and seen[key][1].resolve() != path.resolve():
            other, where = seen[key]
            case = "" if other == ident else f" as '{other}' (ids that differ only in case name one folder)"
            errors.append(
                Diagnostic(
                    Location(display_path(path)),
                    f"design id '{ident}' is also used by {display_path(where)}{case}",
                    hint="give one of them another 'id:'",
                )
            )
        seen.setdefault(key, (ident, path))
    return errors


def load_all(paths: Sequence[Path]) -> list[tuple[Path, Prepared]]:
    """Read and prepare every design file found, reporting the errors of all files at once.

    Raises:
        DesignError: Any file is unreadable or invalid, or two files share a design id.
    """
    found, errors = discover(paths)
    if not found and not errors:
        raise BlueprintError(f"no design files (*.yaml, *.yml) in {', '.join(display_path(p) for p in paths)}")
    files, unread = read_files(found)
    errors.extend(unread)
    loaded, problems = prepare_all(files)
    errors.extend(problems)
    errors.extend(duplicates([(record.design.id, path) for path, record in loaded]))
    if errors:
        raise DesignError(errors)
    return loaded
