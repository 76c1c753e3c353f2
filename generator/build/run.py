"""``blueprint build``: render the stale designs, write what changed, refresh the index, and lose nothing.

What a build may do to the output folder: write the files its designs produce (atomically, only when their
bytes change), and delete only files its manifest records having written, and only while they still hold the
recorded bytes. A file a user put there, or edited, is left alone (``blueprint check`` reports it). One build
at a time writes to a folder (:mod:`generator.build.lock`). An invalid design is reported and the others still
build; the exit status then says something failed.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.io import display_path, inside, write_if_changed
from generator.build.loading import duplicates, prepare_all
from generator.build.lock import build_lock
from generator.build.manifest import MANIFEST_PATH, Entry, Manifest, dump_manifest, sha256
from generator.build.pipeline import BuiltDesign, course_panel_members, render_appendix, render_index
from generator.build.progress import Progress
from generator.build.scheduler import After, default_jobs, make_pool, render_all
from generator.build.survey import Source, Survey, survey
from generator.errors import BlueprintError, DesignError, Diagnostic, MissingToolError
from generator.frontend.course import Course, course_diagnostics, course_location, parse_course
from generator.frontend.hints import slug
from generator.frontend.vocabulary import ID_PATTERN
from generator.plan.prepare import Prepared, read_design
from generator.writeup.pages import Links

__all__ = ["AfterRender", "BuildFailed", "BuildReport", "default_jobs", "run_build"]

AfterRender = Callable[[Survey, Course, "str | None"], "After | None"]
"""Given what a build surveyed, the course it renders with and its theme: what its workers also do with each
design they render (None: nothing). ``blueprint build --site`` passes one that keeps each design's page data."""


@dataclass
class BuildReport:
    """What a build did, and what went wrong."""

    out_dir: Path
    designs: int = 0
    rendered: list[str] = field(default_factory=list)
    skipped: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files a build would have removed but left alone, because they were edited after it wrote them."""
    errors: list[Diagnostic] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        plural = "s" if self.designs != 1 else ""
        extra = f", {len(self.removed)} stale removed" if self.removed else ""
        extra += f", {len(self.kept)} edited file{'s' if len(self.kept) != 1 else ''} kept" if self.kept else ""
        bad = len({e.location.path for e in self.errors}) + len(self.failures)
        problems = f"; {bad} failed" if bad else ""
        return (
            f"built {self.designs} design{plural} into {display_path(self.out_dir)}/: "
            f"{len(self.rendered)} rendered, {self.skipped} up to date; "
            f"{len(self.written)} written, {self.unchanged} unchanged{extra}{problems}"
        )


class BuildFailed(DesignError):
    """Some designs were invalid or could not be rendered; the others were built. The message lists each
    problem, then the build's summary."""

    def __init__(self, report: BuildReport) -> None:
        super().__init__(report.errors)
        self.report = report
        lines = [*(str(e) for e in report.errors), *report.failures, report.summary()]
        self.message = "\n".join(lines)
        self.args = (self.message,)


def run_build(
    paths: Sequence[Path],
    *,
    out_dir: Path,
    theme: str | None,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    say: Callable[[str], object] | None = None,
    after: AfterRender | None = None,
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
        say: Where to say that the build waits for another one writing to the same folder.
        after: What the workers also do with each design they render (not asked when the course file is
            broken).

    Raises:
        BuildFailed: A design was invalid or could not be rendered; every other design was still built.
        MissingToolError: A system tool (Graphviz) is missing: said once, not per design.
        BuildLockedError: Another build kept the output folder for too long.
    """
    with build_lock(out_dir, say=say):
        state = survey(paths, out_dir=out_dir, theme=theme)
        report = BuildReport(out_dir=out_dir, designs=len(state.found), errors=list(state.errors))
        if not state.found and not state.errors:
            where = ", ".join(display_path(p) for p in paths) or "."
            raise BlueprintError(f"no design files (*.yaml, *.yml) in {where}")
        _build(state, report, force=force, theme=theme, jobs=jobs, progress=progress, after=after)
    if report.errors or report.failures:
        raise BuildFailed(report)
    return report


def _build(
    state: Survey,
    report: BuildReport,
    *,
    force: bool,
    theme: str | None,
    jobs: int | None,
    progress: Progress | None,
    after: AfterRender | None = None,
) -> None:
    stale = {src.source: force or bool(state.problems(src)) for src in state.found}
    todo = [src for src in state.found if stale[src.source]]
    fresh = [src for src in state.found if not stale[src.source]]
    index_stale = force or bool(state.index_problems())
    try:
        course = parse_course(state.course, path=state.course_path)
    except DesignError as exc:  # a broken course file: the designs still build; the index waits for a fix
        report.errors.extend(exc.diagnostics)
        course, index_stale, after = Course(), False, None
    then = after(state, course, theme) if after is not None and todo else None
    to_parse = list(state.listed) if index_stale else list(todo)
    workers = jobs or default_jobs()
    executor = make_pool(workers) if workers > 1 and len(to_parse) > 1 else None
    try:
        records, invalid = _prepare(state, to_parse, fresh, report, executor)
        jobs_list = [(records[src.path.resolve()], src) for src in todo if src.path.resolve() in records]
        manifest = state.manifest
        try:
            links = _links(state, records, [src for _, src in jobs_list])
            results = render_all(
                jobs_list, theme=theme, executor=executor, progress=progress, course=course, links=links, after=then
            )
            missing = ""
            for (_, src), (built, error) in zip(jobs_list, results, strict=True):
                if built is None:
                    missing = error.removeprefix("!") if error.startswith("!") else missing
                    report.failures.append(f"{display_path(src.path)}: {error}")
                    continue
                _write_design(state, manifest, src, built, report)
            report.skipped = len(fresh)
            for ident, entry in state.orphans():
                _forget(state.out_dir, manifest, ident, entry, keep=set(), report=report)
            if index_stale and not invalid and not report.failures:
                listed = [records[s.path.resolve()] for s in state.listed]
                _write_index(state, manifest, listed, course, report, theme=theme)
        finally:
            # Nothing built and no manifest before: write none (the lock then removes the folder it made).
            if manifest.designs or manifest.index or inside(state.out_dir, MANIFEST_PATH).is_file():
                write_if_changed(inside(state.out_dir, MANIFEST_PATH), dump_manifest(manifest))
        if missing:
            raise MissingToolError(missing)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _prepare(
    state: Survey, to_parse: list[Source], fresh: list[Source], report: BuildReport, executor: object
) -> tuple[dict[Path, Prepared], bool]:
    """Prepare the designs to render (and, when the index is stale, every design it lists), each once.

    Returns:
        The records by resolved path, and whether any design the index lists is invalid.
    """
    loaded, errors = prepare_all([(s.path, s.raw) for s in to_parse], executor)
    records = {path.resolve(): record for path, record in loaded}
    ids: list[tuple[str, Path]] = []
    for src in state.listed:
        if src.path.resolve() in records:
            ids.append((records[src.path.resolve()].design.id, src.path))
        elif src in fresh and (hit := state.entry(src)) is not None:
            ids.append((hit[0], src.path))
    clashes = duplicates(ids)
    for clash in clashes:  # the later of two files with one id is not built
        records = {p: r for p, r in records.items() if display_path(p) != clash.location.path}
    errors.extend(clashes)
    report.errors.extend(errors)  # a listed design that is invalid also keeps the index from being refreshed
    invalid = bool(errors)
    if state.course is not None and not invalid:
        known = {r.design.id for r in records.values()} | {ident for ident, _ in ids}
        report.errors.extend(course_diagnostics(state.course, path=state.course_path, designs=known))
    return records, invalid


def _links(state: Survey, records: dict[Path, Prepared], todo: list[Source]) -> dict[str, Links]:
    """Each page's neighbours in the course's reading order (their ids and titles), for its previous/next links.

    A neighbour not prepared for this build is read for its id and title alone; one that cannot be read is
    linked by its file's name.
    """
    by_source = {src.source: src for src in state.listed}

    def page(source: str) -> tuple[str, str] | None:
        src = by_source.get(source)
        if src is None:
            return None
        record = records.get(src.path.resolve())
        if record is None:
            record, _ = read_design(src.raw, path=src.source, default_id=slug(src.path.stem))
        if record is None:
            return (slug(src.path.stem), src.path.stem)
        return (record.design.id, record.design.title)

    return {src.source: Links(previous=page(src.previous), next=page(src.next), designs=state.catalog) for src in todo}


def _write_index(
    state: Survey,
    manifest: Manifest,
    records: list[Prepared],
    course: Course,
    report: BuildReport,
    *,
    theme: str | None,
) -> None:
    for panel in course.panels:  # a picture no design draws: said at its line; the other pages are still written
        for name in course_panel_members(records, panel)[1]:
            where = course_location(state.course or b"", path=state.course_path, quoted=name)
            report.errors.append(
                Diagnostic(
                    where,
                    f"panel '{panel.id}' shows '{name}', which no design draws",
                    hint="name a design's id and one of its pictures, as url-shortener/overview",
                )
            )
    appendix = render_appendix(records, course=course, theme=theme)
    pages = {"README.md": render_index(records, course=course), **appendix}
    for name, content in pages.items():
        if write_if_changed(inside(state.out_dir, name), content):
            report.written.append(name)
        else:
            report.unchanged += 1
    previous = manifest.index.files if manifest.index else {}
    for gone in sorted(set(previous) - set(pages)):  # an appendix page the course no longer asks for
        with contextlib.suppress(FileNotFoundError):
            inside(state.out_dir, gone).unlink()
    manifest.index = Entry("index", state.index_digest, state.tool, {n: sha256(c) for n, c in pages.items()})


def _write_design(state: Survey, manifest: Manifest, src: Source, built: BuiltDesign, report: BuildReport) -> None:
    """Write one rendered design, remove what it no longer produces, and record it in the manifest."""
    out_dir, ident = state.out_dir, built.design.id
    for rel, data in sorted(built.files.items()):
        if write_if_changed(inside(out_dir, rel), data):
            report.written.append(rel)
        else:
            report.unchanged += 1
    previous = manifest.designs.get(ident)
    if previous is not None:
        _remove_recorded(out_dir, ident, previous, keep=set(built.files), report=report)
    # The same file built before under another id: its old outputs go.
    for old_id, entry in sorted(manifest.designs.items()):
        if entry.source == src.source and old_id != ident:
            _forget(out_dir, manifest, old_id, entry, keep=set(built.files), report=report)
    hashes = {rel: sha256(data) for rel, data in built.files.items()}
    manifest.designs[ident] = Entry(src.source, src.digest, state.tool, hashes)
    report.rendered.append(ident)


def _forget(
    out_dir: Path, manifest: Manifest, ident: str, entry: Entry, *, keep: set[str], report: BuildReport
) -> None:
    """Remove the recorded outputs of a design that is gone, and its manifest entry."""
    _remove_recorded(out_dir, ident, entry, keep=keep, report=report)
    manifest.designs.pop(ident, None)


def _remove_recorded(out_dir: Path, ident: str, entry: Entry, *, keep: set[str], report: BuildReport) -> None:
    """Delete the files an entry records, except ``keep``: only inside the design's own folder, and only those
    that still hold the bytes the build wrote (an edited file is kept and reported). A crafted manifest can
    therefore delete nothing but a design's own untouched outputs."""
    if not re.match(ID_PATTERN, ident):
        return
    for rel, digest in sorted(entry.files.items()):
        if rel in keep or not rel.startswith(f"{ident}/"):
            continue
        try:
            path = inside(out_dir, rel)
            if path.is_symlink() or not path.is_file():
                continue
            if sha256(path.read_bytes()) != digest:
                report.kept.append(rel)
                continue
            path.unlink()
            report.removed.append(rel)
        except (OSError, BlueprintError):
            continue
    _prune_empty(out_dir / ident)


def _prune_empty(folder: Path) -> None:
    """Remove empty folders under (and including) ``folder``, bottom up; links are never followed."""
    if folder.is_symlink() or not folder.is_dir():
        return
    for current, dirs, _ in sorted(os.walk(folder, followlinks=False), key=lambda w: -len(Path(w[0]).parts)):
        for name in dirs:
            sub = Path(current) / name
            if not sub.is_symlink():
                with contextlib.suppress(OSError):  # not empty
                    sub.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()
