"""One build at a time per output folder: a second build waits for the first, then stops with a message.

The lock is an advisory ``flock`` on the output folder itself (no lock file is left in it), held for the whole
build and released by the kernel when the process ends, however it ends, so a killed build never leaves a stale
lock behind. A folder that does not exist yet is made first (and removed again if the build leaves it empty), so
two builds into two new folders never wait for each other. On systems without ``fcntl`` (Windows) builds are not
serialised.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.build.io import OutputWriteError, display_path, os_reason
from generator.errors import BlueprintError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["BuildLockedError", "build_lock"]

WAIT_SECONDS = float(os.environ.get("BLUEPRINT_LOCK_WAIT", "60"))
"""How long a build waits for another build into the same folder before it stops."""


class BuildLockedError(BlueprintError):
    """Another build is writing to the same output folder."""


@contextlib.contextmanager
def build_lock(
    out_dir: Path, *, wait: float | None = None, say: Callable[[str], object] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a build.

    Args:
        out_dir: The output folder.
        wait: Seconds to wait for another build to finish (default :data:`WAIT_SECONDS`).
        say: Where to say once that this build is waiting.

    Raises:
        BuildLockedError: Another build still holds the folder after ``wait`` seconds.
        OutputWriteError: The lock file cannot be created (a read-only folder).
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    target = out_dir.resolve()
    made = _make_folders(target, out_dir)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    told = False
    while True:
        try:
            fd = os.open(target, os.O_RDONLY)
        except FileNotFoundError:  # the build before this one left it empty and removed it: make it again
            made = made or _make_folders(target, out_dir)
            continue
        except OSError as exc:
            raise OutputWriteError(f"cannot write to {display_path(out_dir)}/: {os_reason(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise BuildLockedError(
                    f"another blueprint build is writing to {display_path(out_dir)}/; "
                    "wait for it to finish, or stop it, then build again"
                ) from None
            if say is not None and not told:
                say(f"waiting for another blueprint build writing to {display_path(out_dir)}/")
                told = True
            time.sleep(0.2)
            continue
        if _same_folder(fd, target):
            break
        os.close(fd)  # locked a folder that was removed meanwhile: lock the one now at the path
    try:
        yield
    finally:
        for folder in reversed(made):  # what this build made and left empty goes: it writes nothing, makes nothing
            with contextlib.suppress(OSError):
                folder.rmdir()
        os.close(fd)  # closing releases the lock


def _make_folders(target: Path, out_dir: Path) -> list[Path]:
    """Make the output folder and any missing folders above it: the ones made, outermost first."""
    missing = [folder for folder in (target, *target.parents) if not folder.is_dir()][::-1]
    made = []
    for folder in missing:
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputWriteError(f"cannot write to {display_path(out_dir)}/: {os_reason(exc)}") from None
        made.append(folder)
    return made


def _same_folder(fd: int, target: Path) -> bool:
    """Whether an open folder is still the one at the path (not removed and made again by another build)."""
    try:
        there = os.stat(target)
    except OSError:
        return False
    here = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)
