"""``blueprint site``: the designs and the course file as a static website, reusing the pictures a build made.

Each design's pictures come from the build folder (``output/``) when its manifest says they are up to date for
the design as it is now, and are drawn in memory otherwise (nothing is written to the build folder). Designs are
prepared on worker processes; the pages, the search index and the assets are written only when their bytes
change, and a file an earlier site build wrote that this one no longer makes is removed (unless edited since).
Each design's page data is kept in the page cache (:mod:`generator.site.cache`); ``blueprint build --site``
fills it as it renders. The course file's panels (comparisons across designs) are taken from the build folder or
drawn in memory alike (:mod:`generator.site.panels`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.fingerprint import code_hash
from generator.build.io import display_path, inside, write_if_changed
from generator.build.manifest import sha256
from generator.build.pipeline import render_design
from generator.build.scheduler import default_jobs, make_pool
from generator.build.survey import Source, survey
from generator.errors import BlueprintError, DesignError, Diagnostic, Location
from generator.frontend.course import Course, parse_course
from generator.frontend.hints import slug
from generator.plan.prepare import read_design
from generator.site.cache import Item, cache_folder, load, memo_in, page_key, prune, save
from generator.site.content import Page, design_page
from generator.site.frame import site_files
from generator.site.panels import course_comparisons

__all__ = ["MANIFEST", "SiteFailed", "SiteReport", "build_site"]


MANIFEST = ".blueprint-site.json"
"""The files a site build wrote and their hashes, inside the site folder."""


@dataclass
class SiteReport:
    """What a site build did."""

    out_dir: Path
    pages: int = 0
    reused: int = 0
    """Designs whose pictures came from the build folder."""
    drawn: int = 0
    """Designs drawn in memory, their pictures in the build folder missing or stale."""
    cached: int = 0
    """Designs whose page data came from the page cache (not parsed, worked or inlined again)."""
    comparisons: int = 0
    """The course file's panels shown on the comparisons page."""
    comparisons_drawn: int = 0
    """Those whose picture was drawn now, the build folder's missing or stale."""
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"site of {self.pages} design page{'s' if self.pages != 1 else ''} in {display_path(self.out_dir)}/ "
            f"(pictures: {self.reused} from the build, {self.drawn} drawn"
            + (
                f"; comparisons: {self.comparisons - self.comparisons_drawn} from the build, "
                f"{self.comparisons_drawn} drawn"
                if self.comparisons
                else ""
            )
            + (f"; {self.cached} page{'s' if self.cached != 1 else ''} from the cache" if self.cached else "")
            + "); "
            f"{len(self.written)} written, {self.unchanged} unchanged"
            + (f", {len(self.removed)} stale removed" if self.removed else "")
            + f"; open {display_path(self.out_dir)}/index.html"
        )


def _page_job(item: Item) -> tuple[Page | None, list[Diagnostic], bool]:
    """Prepare one design and make its page data; the pictures read from the build folder, or drawn now.

    Returns:
        The page (None when the design is invalid), the errors as lines, and whether the pictures were reused.
    """
    raw, shown, default_id, source, built_folder, course, theme = item
    record, errors = read_design(raw, path=shown, default_id=default_id)
    if record is None:
        return None, errors, False
    svgs: dict[str, str] = {}
    if built_folder is not None:
        folder = Path(built_folder) / record.design.id
        try:
            for view in [*record.views, *([record.practice] if record.practice is not None else [])]:
                svgs[f"{view.stem}.svg"] = (folder / f"{view.stem}.svg").read_text(encoding="utf-8")
        except OSError:
            svgs = {}
    reused = bool(svgs)
    if not reused:
        try:
            built = render_design(record, source=source, theme=theme, course=course, rasterize=False)
        except BlueprintError as exc:
            return None, [Diagnostic(Location(shown), exc.format_message())], False
        prefix = f"{record.design.id}/"
        svgs = {k.removeprefix(prefix): v.decode("utf-8") for k, v in built.files.items() if k.endswith(".svg")}
    return design_page(record, source=source, course=course, svgs=svgs, theme=theme), [], reused


def build_site(
    paths: Sequence[Path],
    *,
    out_dir: Path,
    built: Path | None = Path("output"),
    theme: str | None = None,
    jobs: int | None = None,
    cache: bool = True,
) -> SiteReport:
    """Build the website for the designs under ``paths`` (and the course file beside them) into ``out_dir``.

    Args:
        paths: Design files and folders.
        out_dir: The site folder.
        built: The build folder whose up-to-date pictures are reused (None: draw every picture now).
        theme: A theme overriding each design's own, as ``blueprint build --theme``.
        jobs: Designs prepared at once, in worker processes (default: the number of cores).
        cache: Read and keep each design's page data in the user's cache folder (see the module's docstring).

    Raises:
        DesignError: A design or the course file is invalid; nothing is written.
        BlueprintError: No design files were found.
    """
    state = survey(paths, out_dir=built if built is not None else out_dir / ".no-build", theme=theme)
    if state.errors:
        raise DesignError(state.errors)
    if not state.found:
        raise BlueprintError(f"no design files (*.yaml, *.yml) in {', '.join(display_path(p) for p in paths) or '.'}")
    course = parse_course(state.course, path=state.course_path) if state.course is not None else Course()
    items: list[Item] = []
    keys: list[str] = []
    code = code_hash() if cache else ""
    for src in state.found:
        items.append(_item(src, state.problems(src), built, course, theme))
        keys.append(page_key(items[-1], state.entry(src), state.course, code) if cache else "")
    store = cache_folder() if cache else None
    results: list[tuple[Page | None, list[Diagnostic], bool]] = []
    todo: list[int] = []
    for n, key in enumerate(keys):
        hit = load(store, key) if store is not None else None
        if hit is None:
            todo.append(n)
        results.append(hit or (None, [], False))
    workers = min(jobs or default_jobs(), len(todo))
    executor = make_pool(workers) if workers > 1 else None
    try:
        fresh = [items[n] for n in todo]
        made = list(executor.map(_page_job, fresh) if executor is not None else map(_page_job, fresh))
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    for n, result in zip(todo, made, strict=True):
        results[n] = result
        if store is not None and result[0] is not None:
            save(store, keys[n], result)
    if store is not None:
        prune(store)
    problems = [problem for _, found, _ in results for problem in found]
    pages = [page for page, _, _ in results if page is not None]
    _unique(pages, state.found)
    report = SiteReport(out_dir=out_dir, pages=len(pages))
    report.reused = sum(1 for _, _, reused in results if reused)
    report.drawn = len(pages) - report.reused
    report.cached = len(items) - len(todo)
    by_id = {page.ident: keys[n] for n, (page, _, _) in enumerate(results) if page is not None}
    memo = memo_in(store) if store is not None else None
    made_from = {page.ident: items[n] for n, (page, _, _) in enumerate(results) if page is not None}
    compared = course_comparisons(course, pages, made_from, state=state, built=built, theme=theme, memo=memo, code=code)
    problems += compared.problems
    report.comparisons = len(compared.comparisons)
    report.comparisons_drawn = compared.drawn
    files = site_files(pages, course=course, keys=by_id, memo=memo, comparisons=compared.comparisons)
    _write(out_dir, files, report)
    if problems:  # the other designs' pages are written; the exit status says something failed
        raise SiteFailed(problems, report)
    return report


class SiteFailed(DesignError):
    """Some designs were invalid or could not be drawn; the site was built without them."""

    def __init__(self, problems: list[Diagnostic], report: SiteReport) -> None:
        super().__init__(problems)
        self.report = report
        self.message = "\n".join([*(str(p) for p in problems), report.summary()])
        self.args = (self.message,)


def _item(src: Source, problems: list[str], built: Path | None, course: Course, theme: str | None) -> Item:
    fresh = built is not None and not problems
    return (
        src.raw,
        display_path(src.path),
        slug(src.path.stem),
        src.source,
        str(built) if fresh else None,
        course,
        theme,
    )


def _unique(pages: list[Page], sources: list[Source]) -> None:
    seen: dict[str, str] = {}
    for page in pages:
        if page.ident in seen:
            raise BlueprintError(f"design id '{page.ident}' is used by {seen[page.ident]} and {page.source}")
        seen[page.ident] = page.source


def _write(out_dir: Path, files: dict[str, bytes], report: SiteReport) -> None:
    """Write what changed; remove what an earlier site build wrote and this one does not (unless edited)."""
    old: dict[str, str] = {}
    try:
        old = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        old = {}
    for name in sorted(files):
        if write_if_changed(inside(out_dir, name), files[name]):
            report.written.append(name)
        else:
            report.unchanged += 1
    for name in sorted(set(old) - set(files)):
        path = inside(out_dir, name)
        try:
            if sha256(path.read_bytes()) == old[name]:
                path.unlink()
                report.removed.append(name)
        except OSError:
            continue
    manifest: dict[str, Any] = {"files": {name: sha256(files[name]) for name in sorted(files)}}
    write_if_changed(out_dir / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))
