"""The live preview's state and drawing: a design's bytes rendered in memory into versions of a page fragment and
its pictures, the page's first picture first."""

from __future__ import annotations

import contextlib
import html
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.build.io import display_path
from generator.build.pipeline import draw_view, fit_view, render_design, theme_for
from generator.errors import BlueprintError, Diagnostic
from generator.frontend.hints import slug
from generator.layout.fit import FITS
from generator.layout.graphviz import run_dot
from generator.layout.slide import Fit
from generator.plan.outputs import view_files
from generator.plan.prepare import Prepared, read_design
from generator.plan.views import ChartView, OverviewView, RingView, SequenceView, TimelineView, View
from generator.render.svg import render_svg
from generator.render.themes import Theme, get_theme
from generator.writeup.pages import design_html

__all__ = [
    "Begun",
    "Drawer",
    "Exact",
    "Preview",
    "Renderer",
    "Snapshot",
    "Superseded",
    "WatchError",
    "build_snapshot",
    "error_fragment",
]

Renderer = Callable[..., Any]
"""``render_design(prepared, *, source, theme, rasterize) -> BuiltDesign``; replaceable for tests."""

_KEEP_VERSIONS = 3
_DOT_MEMORY = 64
"""How many Graphviz answers the preview remembers (each a few tens of KB)."""


class WatchError(BlueprintError):
    """The preview server cannot start: a non-loopback address, a port in use, a missing file."""


class Superseded(Exception):
    """A newer version of the file arrived: the drawing under way is of no use any more."""


@dataclass(frozen=True)
class Snapshot:
    """One state of the preview: a version number, the page fragment, and the pictures it shows that are drawn.

    ``complete`` is False while more of its pictures are still being drawn; they are added to the same version.
    """

    version: int
    fragment: str
    files: Mapping[str, bytes] = field(default_factory=dict)
    ok: bool = True
    complete: bool = True


class Preview:
    """The latest rendering of a design, shared between the drawing thread and the request threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._snapshots: list[Snapshot] = [Snapshot(0, '<p class="note">Rendering the design&hellip;</p>')]
        self._stamp = 0
        self.closed = False

    @property
    def current(self) -> Snapshot:
        """The newest snapshot."""
        with self._cond:
            return self._snapshots[-1]

    def publish(self, fragment: str, files: Mapping[str, bytes], *, ok: bool, complete: bool = True) -> int:
        """Make a new snapshot current and wake every waiting page; return its version."""
        with self._cond:
            version = self._snapshots[-1].version + 1
            snap = Snapshot(version, fragment, dict(files), ok, complete)
            self._snapshots = [*self._snapshots[-(_KEEP_VERSIONS - 1) :], snap]
            self._changed()
            return version

    def add(self, version: int, files: Mapping[str, bytes], *, complete: bool) -> bool:
        """Add pictures to a version that is still the newest (and say whether it was)."""
        with self._cond:
            snap = self._snapshots[-1]
            if snap.version != version:
                return False
            self._snapshots[-1] = replace(snap, files={**snap.files, **files}, complete=complete)
            self._changed()
            return True

    def _changed(self) -> None:
        self._stamp += 1
        self._cond.notify_all()

    def file(self, version: int, name: str) -> bytes | None:
        """A drawn picture of a recent version."""
        with self._cond:
            for snap in self._snapshots:
                if snap.version == version:
                    return snap.files.get(name)
        return None

    def wait(self, seen: int, timeout: float) -> tuple[int, Snapshot]:
        """Block until something changed since the change numbered ``seen`` (or the timeout, or close); return
        the number of the latest change and the newest snapshot."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self._stamp != seen, timeout=timeout)
            return self._stamp, self._snapshots[-1]

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
    preview = Preview()
    Drawer(path, theme=theme, render=render).draw(raw, preview)
    snap = preview.current
    return snap.fragment, dict(snap.files), snap.ok


@dataclass(frozen=True)
class Begun:
    """A version whose write-up (and perhaps first picture) is published, its exact drawing still to come."""

    record: Prepared
    version: int
    fragment: str
    first: tuple[str, bytes] | None
    """The first picture drawn ahead of the others, by file name."""


@dataclass(frozen=True)
class Exact:
    """A version's pictures drawn exactly as ``blueprint build`` draws them (or the error fragment saying why
    they cannot be), and how its overview was fitted to the slide (None when unknown)."""

    files: dict[str, bytes]
    fit: Fit | None = None
    error: str | None = None


class Drawer:
    """Draws successive versions of one design for the preview, publishing each step as soon as it is done.

    A version is published in three steps (:meth:`begin`, then :meth:`finish` with what :meth:`exact` drew,
    which may run in another process): the write-up, its pictures still to come; the page's first picture; then
    every picture exactly as ``blueprint build`` draws it, in SVG only (the page shows no PNG).

    The first picture is usually the overview, and choosing how to fit an overview to a slide (as written,
    wrapped, turned, step numbers only) lays it out each way, which takes several times as long as one way. So
    it is first laid out the way the last version's overview was fitted, which an edit seldom changes; the
    exact drawing checks it and, in the rare case that it differs, publishes a new version. Graphviz's answers
    are remembered (the same DOT source always gives the same layout), so the pictures an edit leaves alone run
    no Graphviz, and a drawing stops at its next Graphviz run once ``stale`` says a newer version arrived
    (raising :class:`Superseded`).
    """

    def __init__(
        self,
        path: Path,
        *,
        theme: str | None = None,
        render: Renderer | None = None,
        stale: Callable[[float], bool] = lambda wait: False,
    ) -> None:
        self.path = path
        self.shown = display_path(path)
        self.theme = theme
        self.render = render
        self.stale = stale
        """``stale(seconds)``: whether a newer version arrived, waiting up to that long for one."""
        self.fit: Fit | None = None
        """How the last overview was fitted to the slide: the guess for the next one."""
        self.corrections = 0
        """How many first pictures the exact drawing replaced (the guess was wrong)."""
        self._dot_memory: OrderedDict[str, str] = OrderedDict()
        self._rehearsed = False

    def _dot(self, source: str) -> str:
        if self.stale(0):
            raise Superseded
        known = self._dot_memory.get(source)
        if known is not None:
            self._dot_memory.move_to_end(source)
            return known
        out = run_dot(source)
        self._dot_memory[source] = out
        if len(self._dot_memory) > _DOT_MEMORY:
            self._dot_memory.popitem(last=False)
        return out

    def draw(self, raw: bytes, preview: Preview) -> None:
        """Draw these bytes of the design, every step here, and publish them in ``preview``.

        Raises:
            Superseded: A newer version arrived first.
        """
        begun = self.begin(raw, preview)
        if begun is not None:
            self.finish(begun, self.exact(begun.record), preview)

    def parse(self, raw: bytes) -> tuple[Prepared | None, list[Diagnostic]]:
        """The design these bytes hold, with every check a build makes, or None and the located errors."""
        return read_design(raw, path=self.shown, default_id=slug(self.path.stem))

    def begin(self, raw: bytes, preview: Preview) -> Begun | None:
        """Publish the write-up of these bytes, then their first picture when it can be drawn ahead of the others
        (the page changes its text meanwhile); or publish their errors (and return None).

        Raises:
            Superseded: A newer version arrived first.
        """
        record, errors = self.parse(raw)
        if record is None:
            if self.stale(0.05):  # an editor may be half way through writing the file: wait for the rest
                raise Superseded
            messages = [str(e) for e in errors]
            preview.publish(error_fragment(self.shown, messages, what="is not a valid design"), {}, ok=False)
            return None
        fragment = design_html(record, source=self.shown, files="files/{version}/")
        if self.render is not None:  # a stand-in renderer: all at once
            try:
                built = self.render(record, source=self.shown, theme=self.theme, rasterize=False)
            except BlueprintError as exc:
                preview.publish(self._failed(exc), {}, ok=False)
                return None
            preview.publish(fragment, _pictures(record, built.files), ok=True)
            return None
        version = preview.publish(fragment, {}, ok=True, complete=False)
        first = self._first(record)
        if first is not None:
            preview.add(version, dict([first]), complete=False)
        elif not self._rehearsed:
            self._rehearse(record)
        return Begun(record, version, fragment, first)

    def exact(self, record: Prepared) -> Exact:
        """Every picture of the design the page shows, as ``blueprint build`` draws them, and how its overview
        was fitted.

        Raises:
            Superseded: A newer version arrived first.
        """
        try:
            built = render_design(
                replace(record, practice=None), source=self.shown, theme=self.theme, rasterize=False, dot=self._dot
            )
        except BlueprintError as exc:
            return Exact({}, error=self._failed(exc))
        files = _pictures(record, built.files)
        return Exact(files, self._learn_fit(record, files))

    def finish(self, begun: Begun, exact: Exact, preview: Preview) -> None:
        """Publish a version's exact pictures: added to it, or as a new version when its first picture differs."""
        if exact.error is not None:
            preview.publish(exact.error, {}, ok=False)
            return
        self.fit = exact.fit
        if begun.first is not None and exact.files.get(begun.first[0]) != begun.first[1]:
            self.corrections += 1
            preview.publish(begun.fragment, exact.files, ok=True)
        else:
            preview.add(begun.version, exact.files, complete=True)

    def _failed(self, exc: BlueprintError) -> str:
        return error_fragment(self.shown, [exc.format_message()], what="could not be drawn")

    def _first(self, record: Prepared) -> tuple[str, bytes] | None:
        """The page's first picture drawn on its own, or None when it cannot be drawn ahead of the others."""
        if not record.views:
            return None
        view = record.views[0]
        try:
            if isinstance(view, SequenceView | ChartView | RingView | TimelineView):  # drawn one way only
                svg = draw_view(record, view, self._pen(record, view), dot=self._dot)
                return _name(view), svg.encode("utf-8")
            if isinstance(view, OverviewView) and self.fit is not None:
                return _name(view), self._overview(record, view, self.fit)
        except BlueprintError:  # Graphviz failed this way: the exact drawing says how the design fails, if it does
            return None
        return None

    def _rehearse(self, record: Prepared) -> None:
        """Draw the overview once, as written, and drop it: the first save then finds the drawing code ready (its
        first run in a process loads fonts and fills caches, which takes as long again as the drawing)."""
        self._rehearsed = True
        view = record.views[0] if record.views else None
        if isinstance(view, OverviewView):
            with contextlib.suppress(BlueprintError):
                self._overview(record, view, FITS[0])

    def _pen(self, record: Prepared, view: View) -> Theme:
        return get_theme(view.theme or theme_for(record.design, self.theme))

    def _overview(self, record: Prepared, view: OverviewView, fit: Fit) -> bytes:
        """The overview laid out one way, drawn as ``render_design`` draws it (the first view: no family yet)."""
        pen = self._pen(record, view)
        scene = fit_view(view, pen, dot=self._dot, fit=fit)
        return render_svg(scene, pen, title=view.title, description=view.description).encode("utf-8")

    def _learn_fit(self, record: Prepared, files: Mapping[str, bytes]) -> Fit | None:
        """How the overview just drawn was fitted to the slide (the guess for the next version): the way of
        fitting that draws it alike, tried from the last one (its Graphviz answers are remembered)."""
        view = record.views[0] if record.views else None
        if not isinstance(view, OverviewView):
            return None
        exact = files.get(_name(view))
        tried = [self.fit] if self.fit is not None else []
        for fit in [*tried, *(f for f in FITS if f not in tried)]:
            try:
                if self._overview(record, view, fit) == exact:
                    self.fit = fit
                    return fit
            except BlueprintError:
                continue
        self.fit = None
        return None


def _pictures(record: Prepared, files: Mapping[str, bytes]) -> dict[str, bytes]:
    prefix = f"{record.design.id}/"
    return {rel.removeprefix(prefix): data for rel, data in files.items() if rel.endswith(".svg")}


def _name(view: View) -> str:
    """The file name a view's picture has in the preview (``render_design``'s, without the design's folder)."""
    return view_files("", view.stem)[0].lstrip("/")
