"""The live preview's state: a design's bytes rendered in memory into versions of a page fragment and its files."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.io import display_path
from generator.build.pipeline import render_design
from generator.errors import BlueprintError
from generator.frontend.hints import slug
from generator.plan.prepare import read_design
from generator.writeup.pages import design_html

__all__ = ["Preview", "Renderer", "Snapshot", "WatchError", "build_snapshot", "error_fragment"]

Renderer = Callable[..., Any]
"""``render_design(prepared, *, source, theme, rasterize) -> BuiltDesign``; replaceable for tests."""

_KEEP_VERSIONS = 3


class WatchError(BlueprintError):
    """The preview server cannot start: a non-loopback address, a port in use, a missing file."""


@dataclass
class Snapshot:
    """One state of the preview: a version number, the page fragment, and the files the fragment refers to."""

    version: int
    fragment: str
    files: dict[str, bytes] = field(default_factory=dict)
    ok: bool = True


class Preview:
    """The latest rendering of a design, shared between the watcher thread and the request threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._snapshots: list[Snapshot] = [Snapshot(0, '<p class="note">Rendering the design&hellip;</p>', ok=True)]
        self.closed = False

    @property
    def current(self) -> Snapshot:
        """The newest snapshot."""
        with self._cond:
            return self._snapshots[-1]

    def publish(self, fragment: str, files: dict[str, bytes], *, ok: bool) -> int:
        """Make a new snapshot current and wake every waiting page."""
        with self._cond:
            version = self._snapshots[-1].version + 1
            self._snapshots = [*self._snapshots[-(_KEEP_VERSIONS - 1) :], Snapshot(version, fragment, files, ok)]
            self._cond.notify_all()
            return version

    def file(self, version: int, name: str) -> bytes | None:
        """A rendered file of a recent version."""
        with self._cond:
            for snap in self._snapshots:
                if snap.version == version:
                    return snap.files.get(name)
        return None

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a version newer than ``seen`` exists (or the timeout, or close); return the newest."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self._snapshots[-1].version != seen, timeout=timeout)
            return self._snapshots[-1].version

    def close(self) -> None:
        """Wake every waiting page for good."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def error_fragment(shown: str, messages: list[str], *, what: str) -> str:
    items = html.escape("\n".join(messages))
    return (
        f'<section class="errors" role="alert"><h2>{html.escape(shown)} {html.escape(what)}</h2>'
        f"<pre>{items}</pre><p>The picture comes back as soon as the file is fixed and saved.</p></section>"
    )


def build_snapshot(
    raw: bytes, *, path: Path, theme: str | None, render: Renderer | None = None
) -> tuple[str, dict[str, bytes], bool]:
    """Validate and render a design's bytes for the preview, in memory (nothing is written to disk, no PNG made).

    Returns:
        The page fragment (the write-up as HTML with its diagrams, or the escaped errors), the files by name,
        and whether the design rendered.
    """
    shown = display_path(path)
    record, errors = read_design(raw, path=shown, default_id=slug(path.stem))
    if record is None:
        return error_fragment(shown, [str(e) for e in errors], what="is not a valid design"), {}, False
    try:
        built = (render or render_design)(record, source=shown, theme=theme, rasterize=False)
    except BlueprintError as exc:
        return error_fragment(shown, [exc.format_message()], what="could not be drawn"), {}, False
    prefix = f"{record.design.id}/"
    files = {rel.removeprefix(prefix): data for rel, data in built.files.items() if rel.endswith(".svg")}
    return design_html(record, source=shown, files="files/{version}/"), files, True
