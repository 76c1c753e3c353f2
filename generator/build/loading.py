"""Design files to validated designs, every file's errors reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.build.io import display_path, find_designs
from generator.build.pipeline import load_design
from generator.errors import DesignError, Diagnostic, Location
from generator.frontend.model import Design

__all__ = ["duplicates", "load_all", "load_files"]


def _load_one(path: Path) -> tuple[Design | None, list[Diagnostic]]:
    try:
        return load_design(path, shown_as=display_path(path)), []
    except DesignError as exc:
        return None, list(exc.diagnostics)


def load_files(files: Sequence[Path], executor: Any = None) -> tuple[list[tuple[Path, Design]], list[Diagnostic]]:
    """Load and validate design files, on the executor's workers when one is given; results keep the order."""
    results = executor.map(_load_one, files) if executor is not None and len(files) > 1 else map(_load_one, files)
    errors: list[Diagnostic] = []
    loaded: list[tuple[Path, Design]] = []
    for path, (design, problems) in zip(files, results, strict=True):
        if design is not None:
            loaded.append((path, design))
        errors.extend(problems)
    return loaded, errors


def duplicates(ids: Sequence[tuple[str, Path]]) -> list[Diagnostic]:
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


def load_all(paths: Sequence[Path]) -> list[tuple[Path, Design]]:
    """Load and validate every design file found, reporting the errors of all files at once.

    Raises:
        DesignError: Any file is invalid, or two files share a design id.
    """
    loaded, errors = load_files(find_designs(paths))
    errors.extend(duplicates([(design.id, path) for path, design in loaded]))
    if errors:
        raise DesignError(errors)
    return loaded
