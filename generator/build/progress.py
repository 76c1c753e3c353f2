"""Build progress: a rich bar on a terminal, plain lines in logs, or nothing."""

from __future__ import annotations

import sys
from typing import IO, Any, Protocol

__all__ = ["LineProgress", "Progress", "make_progress"]


class Progress(Protocol):
    """Where a build reports how far it got."""

    def start(self, total: int) -> None:
        """Rendering begins; ``total`` designs will be reported."""

    def advance(self, name: str, status: str) -> None:
        """One design is done (``status``: rendered, up to date, failed)."""

    def finish(self) -> None:
        """Rendering is over."""


class LineProgress:
    """Plain lines, one per design, for logs and pipes."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream
        self._total = 0
        self._done = 0

    def start(self, total: int) -> None:
        """Remember the total."""
        self._total = total

    def advance(self, name: str, status: str) -> None:
        """Print ``[done/total] name: status``."""
        self._done += 1
        width = len(str(self._total))
        print(f"[{self._done:>{width}}/{self._total}] {name}: {status}", file=self._stream or sys.stderr, flush=True)

    def finish(self) -> None:
        """Nothing to close."""


class _BarProgress:
    """A rich progress bar on the terminal, gone when the build ends."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("[bold]building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._task: Any = None

    def start(self, total: int) -> None:
        """Show the bar."""
        self._task = self._bar.add_task("", total=total)
        self._bar.start()

    def advance(self, name: str, status: str) -> None:
        """Move the bar on by one design."""
        self._bar.update(self._task, advance=1, description=f"{name}: {status}")

    def finish(self) -> None:
        """Remove the bar."""
        self._bar.stop()


def make_progress(*, verbose: bool = False, stream: IO[str] | None = None) -> Progress | None:
    """A progress bar on a terminal, plain lines when ``verbose`` and not on one, else nothing."""
    out = stream or sys.stderr
    if out.isatty():
        try:
            return _BarProgress()
        except ImportError:  # pragma: no cover - rich is optional
            return LineProgress(out)
    return LineProgress(out) if verbose else None
