"""``blueprint build``: load designs, render stale ones in parallel, write what changed, refresh the index."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.io import display_path, inside, write_if_changed
from generator.build.loading import duplicates, load_all, prepare_all
from generator.build.manifest import MANIFEST_PATH, Entry, Manifest, dump_manifest, sha256, strays
from generator.build.pipeline import BuiltDesign, rasterize, render_design, render_index
from generator.build.progress import Progress
from generator.build.survey import Source, Survey, survey
from generator.errors import BlueprintError, DesignError, MissingToolError
from generator.frontend.course import Course, parse_course
from generator.plan.prepare import Prepared

__all__ = ["BuildReport", "default_jobs", "load_all", "run_build"]


@dataclass
class BuildReport:
    """What a build did."""

    out_dir: Path
    designs: int = 0
    rendered: list[str] = field(default_factory=list)
    skipped: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        plural = "s" if self.designs != 1 else ""
        extra = f", {len(self.removed)} stale removed" if self.removed else ""
        return (
            f"built {self.designs} design{plural} into {display_path(self.out_dir)}/: "
            f"{len(self.rendered)} rendered, {self.skipped} up to date; "
            f"{len(self.written)} written, {self.unchanged} unchanged{extra}"
        )


def default_jobs() -> int:
    """How many designs to render at once by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _render_one(
    record: Prepared, source: str, theme: str | None, course: Course | None = None, rasterize: bool = True
) -> tuple[BuiltDesign | None, str]:
    """Render one design, turning a user-facing error into a message (exceptions do not always pickle).

    A missing system tool comes back as a message starting with ``!``: it is no fault of the design.
    """
    try:
        return render_design(record, source=source, theme=theme, course=course, rasterize=rasterize), ""
    except MissingToolError as exc:
        return None, "!" + exc.format_message()
    except BlueprintError as exc:
        return None, exc.format_message()


_WORKER_MODULES = ("fontTools.subset", "jinja2", "resvg_py", "diagrams", "graphviz")
"""The heavy libraries a worker renders with (the stages imported them lazily), imported once in the parent: a
fork copies them instead of each worker importing them again."""


def _pool(workers: int) -> Any:
    import importlib
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The stages' modules are imported first, so that forked workers inherit them instead of importing them
    # again. fork: the workers are all started at the first submit, before any progress-bar thread exists.
    for name in _WORKER_MODULES:
        importlib.import_module(name)

    method = "fork" if sys.platform == "linux" else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def _render_all(
    jobs: list[tuple[Prepared, Source]],
    *,
    theme: str | None,
    executor: Any,
    progress: Progress | None,
    course: Course | None = None,
) -> list[tuple[BuiltDesign | None, str]]:
    """Render designs, on the executor's workers when one is given; results come back in the order given.

    In parallel, each design is one task and each of its PNGs another, started as soon as its SVG exists: PNGs
    are most of the work, and small tasks keep every worker busy to the end. Designs with more views go first.
    """
    results: list[tuple[BuiltDesign | None, str]] = [(None, "not rendered")] * len(jobs)
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
                done(number, _render_one(record, src.source, theme, course))
        finally:
            if progress:
                progress.finish()
        return results
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    order = sorted(range(len(jobs)), key=lambda n: -len(jobs[n][0].views))
    designs: dict[Future[Any], int] = {
        executor.submit(_render_one, jobs[n][0], jobs[n][1].source, theme, course, False): n for n in order
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
                        task = executor.submit(rasterize, built.files[svg], pen)
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


def _remove(out_dir: Path, rel: str) -> bool:
    path = inside(out_dir, rel)
    if path.is_file() or path.is_symlink():
        path.unlink()
        return True
    return False


def _prune_empty(out_dir: Path, ident: str) -> None:
    folder = out_dir / ident
    if not folder.is_dir():
        return
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()


def run_build(
    paths: Sequence[Path],
    *,
    out_dir: Path,
    theme: str | None,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every design found under ``paths`` into ``out_dir`` and refresh the index.

    A design whose input hash matches the manifest and whose outputs are intact is not rendered again, so a
    build with nothing to do writes no file at all.

    Args:
        paths: Design files and folders.
        out_dir: The output folder.
        theme: A theme overriding each design's own.
        jobs: Designs rendered at once, in worker processes (default: the number of cores).
        force: Render every design, whatever the manifest says.
        progress: Where to report each design as it is done.

    Raises:
        DesignError: A design is invalid; nothing is written then.
        BlueprintError: A design could not be rendered; the others are still written.
    """
    state = survey(paths, out_dir=out_dir, theme=theme)
    report = BuildReport(out_dir=out_dir, designs=len(state.found))
    if not state.found:
        return report
    stale = {src.source: force or bool(state.problems(src)) for src in state.found}
    todo = [src for src in state.found if stale[src.source]]
    fresh = [src for src in state.found if not stale[src.source]]
    index_stale = force or bool(state.index_problems())
    course = parse_course(state.course, path=state.course_path)  # a broken course file stops the build early

    # Validate everything needed before writing anything: the designs to render, and the index's designs.
    to_parse = list(state.listed) if index_stale else list(todo)
    workers = jobs or default_jobs()
    executor = _pool(workers) if workers > 1 and to_parse else None
    try:
        return _build_loaded(state, report, to_parse, todo, fresh, index_stale, course, theme, executor, progress)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _build_loaded(
    state: Survey,
    report: BuildReport,
    to_parse: list[Source],
    todo: list[Source],
    fresh: list[Source],
    index_stale: bool,
    course: Course,
    theme: str | None,
    executor: Any,
    progress: Progress | None,
) -> BuildReport:
    out_dir, manifest = state.out_dir, state.manifest
    loaded, errors = prepare_all([(s.path, s.raw) for s in to_parse], executor)
    designs = {path.resolve(): record for path, record in loaded}
    ids: list[tuple[str, Path]] = []
    for src in state.found:
        if src.path.resolve() in designs:
            ids.append((designs[src.path.resolve()].design.id, src.path))
        elif src in fresh:
            hit = state.entry(src)
            if hit is not None:
                ids.append((hit[0], src.path))
    errors.extend(duplicates(ids))
    if index_stale:
        errors.extend(duplicates([(r.design.id, p) for p, r in loaded]))
    if errors:
        raise DesignError(sorted(set(errors), key=lambda d: (d.location, d.message)))

    jobs_list = [(designs[src.path.resolve()], src) for src in todo]
    failures: list[str] = []
    missing = ""
    manifest_path = inside(out_dir, MANIFEST_PATH)
    try:
        results = _render_all(jobs_list, theme=theme, executor=executor, progress=progress, course=course)
        for (_, src), (built, error) in zip(jobs_list, results, strict=True):
            if built is None:
                missing = error.removeprefix("!") if error.startswith("!") else missing
                failures.append(f"{display_path(src.path)}: {error}")
                continue
            _write_design(out_dir, manifest, src, built, report, tool=state.tool)
        for src in fresh:
            hit = state.entry(src)
            if hit is not None:
                for rel in state.strays(src):
                    if _remove(out_dir, rel):
                        report.removed.append(rel)
                _prune_empty(out_dir, hit[0])
        report.skipped = len(fresh)
        for ident, entry in state.orphans():
            _forget(out_dir, manifest, ident, entry, keep=set(), report=report)
        if index_stale and not failures:
            everything = {r.design.id: r for _, r in loaded}
            index = render_index(list(everything.values()), course=course)
            if write_if_changed(inside(out_dir, "README.md"), index):
                report.written.append("README.md")
            else:
                report.unchanged += 1
            manifest.index = Entry("index", state.index_digest, state.tool, {"README.md": sha256(index)})
    finally:
        write_if_changed(manifest_path, dump_manifest(manifest))
    if missing:
        raise MissingToolError(missing)
    if failures:
        raise BlueprintError("\n".join(failures))
    return report


def _write_design(
    out_dir: Path, manifest: Manifest, src: Source, built: BuiltDesign, report: BuildReport, *, tool: str
) -> None:
    """Write one rendered design, remove what it no longer produces, and record it in the manifest."""
    ident = built.design.id
    for rel, data in sorted(built.files.items()):
        if write_if_changed(inside(out_dir, rel), data):
            report.written.append(rel)
        else:
            report.unchanged += 1
    for rel in strays(out_dir, ident, built.files):
        if _remove(out_dir, rel):
            report.removed.append(rel)
    _prune_empty(out_dir, ident)
    # The same file built before under another id: its old outputs go.
    for old_id, entry in sorted(manifest.designs.items()):
        if entry.source == src.source and old_id != ident:
            _forget(out_dir, manifest, old_id, entry, keep=set(built.files), report=report)
    hashes = {rel: sha256(data) for rel, data in built.files.items()}
    manifest.designs[ident] = Entry(src.source, src.digest, tool, hashes)
    report.rendered.append(ident)


def _forget(
    out_dir: Path, manifest: Manifest, ident: str, entry: Entry, *, keep: set[str], report: BuildReport
) -> None:
    """Remove the recorded outputs of a design that is gone, and its manifest entry."""
    for rel in sorted(entry.files):
        if rel not in keep and _remove(out_dir, rel):
            report.removed.append(rel)
    _prune_empty(out_dir, ident)
    manifest.designs.pop(ident, None)
