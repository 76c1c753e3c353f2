"""The build's scheduler: designs rendered in worker processes, each PNG a task of its own, workers that end
with the build."""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from generator.build.pipeline import BuiltDesign, rasterize, render_design
from generator.build.progress import Progress
from generator.build.survey import Source
from generator.errors import BlueprintError, MissingToolError
from generator.frontend.course import Course
from generator.plan.prepare import Prepared
from generator.writeup.pages import Links

__all__ = ["After", "default_jobs", "make_pool", "render_all"]

After = Callable[[BuiltDesign, Source], object]
"""What a worker also does with each design it rendered, given the design file it came from (``blueprint build
--site`` keeps the design's page data for the site). It may fail: the design is built all the same."""


def default_jobs() -> int:
    """How many designs to render at once by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _render_one(
    record: Prepared,
    source: str,
    theme: str | None,
    course: Course | None = None,
    rasterize: bool = True,
    links: Links | None = None,
    after: After | None = None,
    src: Source | None = None,
) -> tuple[BuiltDesign | None, str]:
    """Render one design, turning a user-facing error into a message (exceptions do not always pickle), then do
    ``after`` with it (``src`` is its design file).

    A missing system tool comes back as a message starting with ``!``: it is no fault of the design.
    """
    try:
        built = render_design(record, source=source, theme=theme, course=course, links=links, rasterize=rasterize)
    except MissingToolError as exc:
        return None, "!" + exc.format_message()
    except BlueprintError as exc:
        return None, exc.format_message()
    if after is not None and src is not None:
        with contextlib.suppress(Exception):  # only a saving: whoever wanted it makes it again
            after(built, src)
    return built, ""


_WORKER_MODULES = ("fontTools.subset", "jinja2", "resvg_py", "diagrams", "graphviz")
"""The heavy libraries a worker renders with (the stages imported them lazily), imported once in the parent: a
fork copies them instead of each worker importing them again."""


def _orphan_guard(parent: int) -> None:
    """In a worker: end this process when the build that started it ends, however it ends (``kill -9`` too).

    On Linux the kernel sends SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a thread
    also checks once a second that the parent is still the same process.
    """
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent died before the guard was set
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="blueprint-orphan-guard", daemon=True).start()


def make_pool(workers: int) -> Any:
    """Worker processes for a build: forked (on Linux) after the heavy libraries are imported, each ending with
    the build that started it."""
    # The heavy libraries are imported first, so that forked workers inherit them instead of importing them
    # again. fork: the workers are all started at the first submit, before any progress-bar thread exists.
    for name in _WORKER_MODULES:
        importlib.import_module(name)

    method = "fork" if sys.platform == "linux" else None
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_orphan_guard,
        initargs=(os.getpid(),),
    )


def render_all(
    jobs: list[tuple[Prepared, Source]],
    *,
    theme: str | None,
    executor: Any,
    progress: Progress | None,
    course: Course | None = None,
    links: Mapping[str, Links] | None = None,
    after: After | None = None,
) -> list[tuple[BuiltDesign | None, str]]:
    """Render designs, on the executor's workers when one is given; results come back in the order given. The
    worker that renders a design also does ``after`` with it.

    In parallel, each design is one task and each of its PNGs another, started as soon as its SVG exists: PNGs
    are most of the work, and small tasks keep every worker busy to the end. Designs with more views go first.
    """
    results: list[tuple[BuiltDesign | None, str]] = [(None, "not rendered")] * len(jobs)
    pages = links or {}
    if not jobs:
        return results

    def done(number: int, result: tuple[BuiltDesign | None, str]) -> None:
        results[number] = result
        if progress:
            progress.advance(jobs[number][0].design.id, "rendered" if result[0] else "failed")

    if executor is None:
        if progress:
            progress.start(len(jobs))
        try:
            for number, (record, src) in enumerate(jobs):
                done(number, _render_one(record, src.source, theme, course, True, pages.get(src.source), after, src))
        finally:
            if progress:
                progress.finish()
        return results
    order = sorted(range(len(jobs)), key=lambda n: -len(jobs[n][0].views))
    designs: dict[Future[Any], int] = {
        executor.submit(
            _render_one,
            jobs[n][0],
            jobs[n][1].source,
            theme,
            course,
            False,
            pages.get(jobs[n][1].source),
            after,
            jobs[n][1] if after is not None else None,
        ): n
        for n in order
    }
    pngs: dict[Future[Any], tuple[int, str]] = {}
    waiting: dict[int, int] = {}
    if progress:
        progress.start(len(jobs))
    try:
        pending: set[Future[Any]] = set(designs)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: designs.get(f, -1)):
                if future in designs:
                    number = designs[future]
                    built, error = future.result()
                    results[number] = (built, error)
                    if built is None or not built.rasters:
                        done(number, (built, error))
                        continue
                    waiting[number] = len(built.rasters)
                    for png, (svg, pen) in sorted(built.rasters.items()):
                        task = executor.submit(rasterize, built.files[svg], pen, built.palette)
                        pngs[task] = (number, png)
                        pending.add(task)
                else:
                    number, png = pngs.pop(future)
                    built = results[number][0]
                    assert built is not None
                    built.files[png] = future.result()
                    waiting[number] -= 1
                    if not waiting[number]:
                        built.rasters.clear()
                        done(number, results[number])
    finally:
        if progress:
            progress.finish()
    return results
