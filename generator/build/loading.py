"""Design files to prepared designs: each file read once and prepared once, every file's errors reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.build.io import display_path, find_designs
from generator.errors import DesignError, Diagnostic, Location
from generator.frontend.hints import slug
from generator.plan.prepare import Prepared, read_design

__all__ = ["Unread", "duplicates", "load_all", "prepare_all", "read_files"]

Unread = tuple[Path, bytes]
"""A design file's path and bytes, read once, not yet parsed."""


def read_files(files: Sequence[Path]) -> tuple[list[Unread], list[Diagnostic]]:
    """Each design file's bytes, read once; a file that cannot be read is a located error."""
    out: list[Unread] = []
    errors: list[Diagnostic] = []
    for path in files:
        try:
            out.append((path, path.read_bytes()))
        except OSError as exc:
            errors.append(Diagnostic(Location(display_path(path)), f"cannot read the file: {exc.strerror}"))
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
    seen: dict[str, Path] = {}
    for ident, path in ids:
        if ident in seen and seen[ident].resolve() != path.resolve():
            errors.append(
                Diagnostic(
                    Location(display_path(path)),
                    f"design id '{ident}' is also used by {display_path(seen[ident])}",
                    hint="give one of them another 'id:'",
                )
            )
        seen.setdefault(ident, path)
    return errors


def load_all(paths: Sequence[Path]) -> list[tuple[Path, Prepared]]:
    """Read and prepare every design file found, reporting the errors of all files at once.

    Raises:
        DesignError: Any file is unreadable or invalid, or two files share a design id.
    """
    files, errors = read_files(find_designs(paths))
    loaded, problems = prepare_all(files)
    errors.extend(problems)
    errors.extend(duplicates([(record.design.id, path) for path, record in loaded]))
    if errors:
        raise DesignError(errors)
    return loaded
