"""``blueprint build`` and ``blueprint validate``: load designs, render stale ones in parallel, write what changed."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from generator.build.io import display_path, find_designs, inside, write_if_changed
from generator.build.manifest import (
    MANIFEST_PATH,
    Entry,
    Manifest,
    design_input,
    dump_manifest,
    file_problems,
    index_input,
    parse_manifest,
    sha256,
    strays,
    tool_fingerprint,
)
from generator.errors import BlueprintError, DesignError, Diagnostic, Location, MissingToolError
from generator.frontend.course import Course

if TYPE_CHECKING:
    from generator.build.pipeline import BuiltDesign
    from generator.frontend.model import Design

__all__ = [
    "INDEX_TITLE",
    "BuildReport",
    "LineProgress",
    "Progress",
    "Source",
    "Survey",
    "default_jobs",
    "load_all",
    "make_progress",
    "run_build",
    "survey",
]

INDEX_TITLE = "System Design Masterclass"


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


# --------------------------------------------------------------------------------------------- loading


def _load_one(path: Path) -> tuple[Design | None, list[Diagnostic]]:
    from generator.build.pipeline import load_design

    try:
        return load_design(path, shown_as=display_path(path)), []
    except DesignError as exc:
        return None, list(exc.diagnostics)


def _load_files(files: Sequence[Path], executor: Any = None) -> tuple[list[tuple[Path, Design]], list[Diagnostic]]:
    """Load and validate design files, on the executor's workers when one is given; results keep the order."""
    results = executor.map(_load_one, files) if executor is not None and len(files) > 1 else map(_load_one, files)
    errors: list[Diagnostic] = []
    loaded: list[tuple[Path, Design]] = []
    for path, (design, problems) in zip(files, results, strict=True):
        if design is not None:
            loaded.append((path, design))
        errors.extend(problems)
    return loaded, errors


def _duplicates(ids: Sequence[tuple[str, Path]]) -> list[Diagnostic]:
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
    loaded, errors = _load_files(find_designs(paths))
    errors.extend(_duplicates([(design.id, path) for path, design in loaded]))
    if errors:
        raise DesignError(errors)
    return loaded


# --------------------------------------------------------------------------------------------- survey


@dataclass(frozen=True)
class Source:
    """One design file as the build sees it: its bytes and the hash of everything its outputs depend on."""

    path: Path
    source: str
    raw: bytes
    digest: str


@dataclass
class Survey:
    """Design files, the output folder's manifest, and what is up to date; reads files but renders nothing."""

    out_dir: Path
    tool: str
    manifest: Manifest
    found: list[Source]
    listed: list[Source]
    folders: frozenset[str]
    index_digest: str
    course: bytes | None = None
    course_path: str = ""

    def entry(self, src: Source) -> tuple[str, Entry] | None:
        """The design id and manifest entry recorded for a design file, if it was built before."""
        return self.manifest.by_source().get(src.source)

    def problems(self, src: Source) -> list[str]:
        """Why a design's outputs are not what a build would write now (strays aside); empty when up to date."""
        hit = self.entry(src)
        if hit is None:
            return ["not built yet"]
        entry = hit[1]
        if entry.input != src.digest:
            if entry.tool != self.tool:
                return ["built by another version of blueprint (its code, templates, fonts or themes changed)"]
            return ["the design changed since it was built"]
        return [f"{display_path(self.out_dir)}/{p}" for p in file_problems(self.out_dir, entry.files)]

    def strays(self, src: Source) -> list[str]:
        """Files in a built design's folder that its build does not produce."""
        hit = self.entry(src)
        if hit is None:
            return []
        ident, entry = hit
        return strays(self.out_dir, ident, entry.files)

    def orphans(self) -> list[tuple[str, Entry]]:
        """Designs built before from a scanned folder whose file is gone (their outputs are left behind)."""
        present = {s.source for s in self.listed}
        return [
            (ident, entry)
            for ident, entry in sorted(self.manifest.designs.items())
            if entry.source not in present and entry.source.rpartition("/")[0] in self.folders
        ]

    def index_problems(self) -> list[str]:
        """Why the index is not what a build would write now; empty when it is."""
        if not self.found:
            return []
        entry = self.manifest.index
        if entry is None:
            return ["not built yet"]
        if entry.input != self.index_digest:
            if entry.tool != self.tool:
                return ["built by another version of blueprint (its code or templates changed)"]
            return ["the designs it lists changed since it was built"]
        return [f"{display_path(self.out_dir)}/{p}" for p in file_problems(self.out_dir, entry.files)]


def _source_of(path: Path, root: Path) -> str:
    """A design file's path relative to the output folder's parent, as the write-up links to it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name


def read_manifest(out_dir: Path) -> Manifest:
    """The output folder's manifest, or an empty one."""
    try:
        return parse_manifest(inside(out_dir, MANIFEST_PATH).read_bytes())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return Manifest()


def survey(paths: Sequence[Path], *, out_dir: Path, theme: str | None) -> Survey:
    """Find the design files, hash them with the tool, and read the output folder's manifest.

    Raises:
        BlueprintError: A path does not exist or a design file cannot be read.
    """
    found_paths = find_designs(paths)
    root = out_dir.resolve().parent
    tool = tool_fingerprint()
    folders = sorted({p.parent for p in found_paths})
    listed_paths = find_designs([*found_paths, *folders]) if found_paths else []
    from generator.frontend.course import find_course

    course_path, course_raw = find_course(folders)
    course_hash = sha256(course_raw) if course_raw is not None else ""
    sources: dict[Path, Source] = {}
    errors: list[Diagnostic] = []
    for path in listed_paths:
        shown = _source_of(path, root)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            errors.append(Diagnostic(Location(display_path(path)), f"cannot read the file: {exc.strerror}"))
            continue
        digest = design_input(raw, source=shown, theme=theme, tool=tool, course=course_hash)
        sources[path.resolve()] = Source(path, shown, raw, digest)
    if errors:
        raise DesignError(errors)
    found = [sources[p.resolve()] for p in found_paths]
    listed = list(sources.values())
    index_designs = {s.source: sha256(s.raw) for s in listed}
    if course_raw is not None:
        index_designs["<course>"] = sha256(course_raw)
    index_digest = index_input(index_designs, title=INDEX_TITLE, tool=tool)
    return Survey(
        out_dir=out_dir,
        tool=tool,
        manifest=read_manifest(out_dir),
        found=found,
        listed=listed,
        folders=frozenset(_source_of(f, root) if f.resolve() != root else "" for f in folders),
        index_digest=index_digest,
        course=course_raw,
        course_path=display_path(course_path) if course_path else "",
    )


# --------------------------------------------------------------------------------------------- progress


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


# --------------------------------------------------------------------------------------------- rendering


def default_jobs() -> int:
    """How many designs to render at once by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _render_one(
    design: Design, source: str, theme: str | None, course: Course | None = None, rasterize: bool = True
) -> tuple[BuiltDesign | None, str]:
    """Render one design, turning a user-facing error into a message (exceptions do not always pickle).

    A missing system tool comes back as a message starting with ``!``: it is no fault of the design.
    """
    from generator.build.pipeline import render_design

    try:
        return render_design(design, source=source, theme=theme, course=course, rasterize=rasterize), ""
    except MissingToolError as exc:
        return None, "!" + exc.format_message()
    except BlueprintError as exc:
        return None, exc.format_message()


_WORKER_MODULES = (
    "fontTools.subset",
    "jinja2",
    "resvg_py",
    "generator.layout.chart",
    "generator.writeup.markdown",
    "generator.render.png",
    "generator.render.svg",
    "generator.layout.graphviz",
    "generator.build.pipeline",
    "generator.layout.sequence",
    "generator.plan.views",
    "generator.analysis.worked",
)
"""What a worker needs to render, imported once in the parent (a fork copies it) rather than once per worker."""


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
    jobs: list[tuple[Design, Source]],
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
            progress.advance(jobs[number][0].id, "rendered" if result[0] else "failed")

    if executor is None:
        if progress:
            progress.start(len(jobs))
        try:
            for number, (design, src) in enumerate(jobs):
                done(number, _render_one(design, src.source, theme, course))
        finally:
            if progress:
                progress.finish()
        return results
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from generator.build.pipeline import rasterize
    from generator.plan.views import plan

    order = sorted(range(len(jobs)), key=lambda n: -len(plan(jobs[n][0])))
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
    from generator.frontend.course import parse_course

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
    loaded, errors = _load_files([s.path for s in to_parse], executor)
    designs = {path.resolve(): design for path, design in loaded}
    ids: list[tuple[str, Path]] = []
    for src in state.found:
        if src.path.resolve() in designs:
            ids.append((designs[src.path.resolve()].id, src.path))
        elif src in fresh:
            hit = state.entry(src)
            if hit is not None:
                ids.append((hit[0], src.path))
    errors.extend(_duplicates(ids))
    if index_stale:
        errors.extend(_duplicates([(d.id, p) for p, d in loaded]))
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
            everything = {d.id: d for _, d in loaded}
            from generator.build.pipeline import render_index

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
