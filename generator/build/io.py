"""Disk access: finding and reading design files (bounded), output paths kept inside the output folder, atomic
write-if-changed, and every fault turned into a one-line error."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.errors import BlueprintError, Diagnostic, Location, OutputPathError
from generator.frontend.course import COURSE_FILE
from generator.frontend.load import MAX_BYTES

__all__ = [
    "DESIGN_SUFFIXES",
    "OutputWriteError",
    "discover",
    "display_path",
    "find_course",
    "find_designs",
    "inside",
    "os_reason",
    "read_design_file",
    "walk_files",
    "write_if_changed",
]

DESIGN_SUFFIXES = (".yaml", ".yml")


class OutputWriteError(BlueprintError):
    """A file could not be written (a read-only folder, a full disk, a folder where a file should be)."""


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when it is below it.

    >>> display_path(Path.cwd() / "designs" / "a.yaml")
    'designs/a.yaml'
    """
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    # A name that is not UTF-8 (its bytes came through as surrogates) prints with replacement characters.
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _kind_of(path: Path) -> str:
    """What a path that is neither a regular file nor a folder is, in words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link" if path.is_symlink() else "missing"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Design files named directly or found (sorted, not recursively) in the folders named, and a located error
    for each path that is missing, not a regular file, or named in bytes that are not UTF-8.

    A named pipe or device is never opened (reading one would block or never end).
    """
    found: list[Path] = []
    errors: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix not in DESIGN_SUFFIXES:
                    continue
                if child.is_file():
                    found.append(child)
                elif not child.is_dir():
                    errors.append(Diagnostic(Location(display_path(child)), f"skipped: {_kind_of(child)}"))
        elif path.is_file():
            found.append(path)
        elif path.exists() or path.is_symlink():
            errors.append(Diagnostic(Location(display_path(path)), f"{_kind_of(path)}, not a design file or a folder"))
        else:
            errors.append(Diagnostic(Location(display_path(path)), "no such file or folder"))
    unique: dict[Path, Path] = {}
    for path in found:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            errors.append(
                Diagnostic(
                    Location(display_path(path)),
                    "the file name is not UTF-8 text, so its outputs could not be named portably",
                    hint="rename the file",
                )
            )
            continue
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), errors


def find_designs(paths: Iterable[Path]) -> list[Path]:
    """Design files named directly or found in the folders named (see :func:`discover`).

    Raises:
        BlueprintError: A path is missing or unusable.
    """
    found, errors = discover(paths)
    if errors:
        raise BlueprintError("\n".join(str(e).replace(": error: ", ": ") for e in errors))
    return found


def read_design_file(path: Path, *, limit: int = MAX_BYTES) -> tuple[bytes | None, Diagnostic | None]:
    """A design file's bytes, read once; None and a located error when it cannot be read or is over ``limit``.

    The size is checked before reading, so a huge file is never loaded into memory.
    """
    shown = display_path(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                return None, Diagnostic(
                    Location(shown),
                    f"the file is {size:,} bytes; designs are limited to {limit:,}",
                    hint="split it into several designs",
                )
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, Diagnostic(Location(shown), f"cannot read the file: {exc.strerror or exc}")
    if len(data) > limit:  # it grew while being read
        return None, Diagnostic(Location(shown), f"the file is over {limit:,} bytes; designs are limited to that")
    return data, None


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


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, in words a user can act on."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is not writable" + (" (a read-only file system)" if exc.errno == errno.EROFS else "")
    if exc.errno == errno.EISDIR:
        return "a folder is in the way"
    if exc.errno == errno.ENOTDIR:
        return "a file is in the way of a folder"
    return exc.strerror or str(exc)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write bytes atomically (temporary file in the same folder, then rename) unless the file already holds them.

    Returns:
        Whether the file was written.

    Raises:
        OutputWriteError: The file could not be written; nothing half-written is left behind.
    """
    try:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputWriteError(f"cannot write {display_path(path)}: {os_reason(exc)}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return True


def walk_files(root: Path) -> Iterator[Path]:
    """Every file under a folder, sorted, not following symbolic links to folders."""
    if not root.is_dir():
        return
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        found.extend(Path(folder) / name for name in files)
        found.extend(Path(folder) / name for name in dirs if (Path(folder) / name).is_symlink())
    yield from sorted(found)


def find_course(folders: Iterable[Path]) -> tuple[Path | None, bytes | None]:
    """The first course file (``course.toml``) among the folders, and its bytes."""
    for folder in folders:
        candidate = folder / COURSE_FILE
        if candidate.is_file():
            return candidate, candidate.read_bytes()
    return None, None
