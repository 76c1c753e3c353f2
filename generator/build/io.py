"""Disk access: reading design files, output paths kept inside the output folder, atomic write-if-changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.errors import BlueprintError, OutputPathError
from generator.frontend.course import COURSE_FILE

__all__ = ["DESIGN_SUFFIXES", "display_path", "find_course", "find_designs", "inside", "walk_files", "write_if_changed"]

DESIGN_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when it is below it.

    >>> display_path(Path.cwd() / "designs" / "a.yaml")
    'designs/a.yaml'
    """
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def find_designs(paths: Iterable[Path]) -> list[Path]:
    """Design files named directly or found (sorted, not recursively) in the folders named.

    Raises:
        BlueprintError: A path does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in DESIGN_SUFFIXES and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise BlueprintError(f"{display_path(path)}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def inside(root: Path, relative: str) -> Path:
    """Join a relative output path to the output folder, refusing anything that would leave it.

    >>> inside(Path("/tmp/out"), "a/b.svg").as_posix()
    '/tmp/out/a/b.svg'
    >>> inside(Path("/tmp/out"), "../etc/passwd")
    Traceback (most recent call last):
    ...
    generator.errors.OutputPathError: output path '../etc/passwd' would leave the output folder
    """
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts or not relative or "\x00" in relative:
        raise OutputPathError(f"output path {relative!r} would leave the output folder")
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise OutputPathError(f"output path {relative!r} would leave the output folder")
    return base / rel


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write bytes atomically (temporary file in the same folder, then rename) unless the file already holds them.

    Returns:
        Whether the file was written.
    """
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def walk_files(root: Path) -> Iterator[Path]:
    """Every file under a folder, sorted."""
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def find_course(folders: Iterable[Path]) -> tuple[Path | None, bytes | None]:
    """The first course file (``course.toml``) among the folders, and its bytes."""
    for folder in folders:
        candidate = folder / COURSE_FILE
        if candidate.is_file():
            return candidate, candidate.read_bytes()
    return None, None
