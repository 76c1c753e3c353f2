"""One build at a time per output folder: a second build waits for the first, then stops with a message.

The lock is an advisory ``flock`` on the output folder itself (no lock file is left in it), held for the whole
build and released by the kernel when the process ends, however it ends, so a killed build never leaves a stale
lock behind. On systems without ``fcntl`` (Windows) builds are not serialised.
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
    # The folder itself, or while it does not exist yet the nearest folder above it: a build that writes
    # nothing creates nothing.
    target = out_dir.resolve()
    while not target.is_dir() and target != target.parent:
        target = target.parent
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError as exc:
        raise OutputWriteError(f"cannot write to {display_path(out_dir)}/: {os_reason(exc)}") from None
    try:
        deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLockedError(
                        f"another blueprint build is writing to {display_path(out_dir)}/; "
                        "wait for it to finish, or stop it, then build again"
                    ) from None
                if say is not None and not told:
                    say(f"waiting for another blueprint build writing to {display_path(out_dir)}/")
                    told = True
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing releases the lock
