"""What a build would do, read from the disk: the design files, their input hashes, and the output manifest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.build.fingerprint import render_fingerprint
from generator.build.io import discover, display_path, find_course, inside, read_design_file
from generator.build.manifest import (
    MANIFEST_PATH,
    Entry,
    Manifest,
    design_input,
    file_problems,
    index_input,
    parse_manifest,
    sha256,
    strays,
)
from generator.errors import DesignError, Diagnostic
from generator.frontend.course import Course, parse_course
from generator.frontend.hints import slug

__all__ = ["INDEX_TITLE", "Source", "Survey", "read_manifest", "survey"]

INDEX_TITLE = "System Design Masterclass"


@dataclass(frozen=True)
class Source:
    """One design file as the build sees it: its bytes and the hash of everything its outputs depend on."""

    path: Path
    source: str
    raw: bytes
    digest: str
    previous: str = ""
    """The source of the design before it in the course's reading order (its page links there), or ''."""
    next: str = ""
    """The source of the design after it, or ''."""


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
    catalog: tuple[str, ...] = ()
    """The ids of the designs listed, which a write-up links when its text names one."""
    course: bytes | None = None
    course_path: str = ""
    errors: list[Diagnostic] = field(default_factory=list)
    """Paths that are missing or unusable, and design files that cannot be read."""

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
                return ["built by a blueprint that draws differently (a picture or write-up would change)"]
            return ["the design, or the title of a page it links to, changed since it was built"]
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
                return ["built by a blueprint that writes it differently"]
            return ["the designs it lists changed since it was built"]
        return [f"{display_path(self.out_dir)}/{p}" for p in file_problems(self.out_dir, entry.files)]


def _source_of(path: Path, root: Path) -> str:
    """A design file's path relative to the output folder's parent, as the write-up links to it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.name


def _recorded_source(root: Path, source: str) -> Path | None:
    """The design file a manifest entry names, if it is a design file that still exists under ``root``."""
    try:
        path = (root / source).resolve()
        if source and path.is_relative_to(root) and path.suffix in (".yaml", ".yml") and path.is_file():
            return path
    except (OSError, ValueError):  # a crafted name: NUL bytes, a loop of links
        pass
    return None


def read_manifest(out_dir: Path) -> Manifest:
    """The output folder's manifest, or an empty one when there is none or it cannot be read."""
    try:
        return parse_manifest(inside(out_dir, MANIFEST_PATH).read_bytes())
    except OSError:  # missing, a folder, unreadable: build as if nothing had been built
        return Manifest()


def survey(paths: Sequence[Path], *, out_dir: Path, theme: str | None) -> Survey:
    """Find the design files, read each once, hash them with the render fingerprint, and read the manifest.

    Nothing here stops the survey: a path that is missing or unusable, and a file that cannot be read or is too
    large, are errors in ``Survey.errors``, and the other designs are surveyed as usual.

    The designs listed in the index are those in the folders the paths name, and those the manifest recorded
    from other folders whose files still exist: building one folder never drops another's designs from it.
    """
    found_paths, errors = discover(paths)
    root = out_dir.resolve().parent
    tool = render_fingerprint()
    manifest = read_manifest(out_dir)
    folders = sorted({p.parent for p in found_paths})
    listed_paths, _ = discover([*found_paths, *folders]) if found_paths else ([], [])
    scanned = {p.resolve() for p in listed_paths}
    for entry in manifest.designs.values():
        recorded = root / entry.source
        if (
            entry.source
            and recorded.is_file()
            and recorded.resolve() not in scanned
            and recorded.suffix in (".yaml", ".yml")
        ):
            listed_paths.append(recorded)
            scanned.add(recorded.resolve())
    course_path, course_raw = find_course(folders)
    course_hash = sha256(course_raw) if course_raw is not None else ""
    read: dict[Path, Source] = {}
    for path in listed_paths:
        raw, problem = read_design_file(path)
        if raw is None:
            if problem is not None and path.resolve() in {p.resolve() for p in found_paths}:
                errors.append(problem)
            continue
        read[path.resolve()] = Source(path, _source_of(path, root), raw, "")
    # Each page links to the pages before and after it, so its input includes theirs.
    order = _reading_order(list(read.values()), course_raw)
    # A write-up links the other designs it names, so every page's input includes which designs there are.
    catalog = tuple(sorted({_ident(src) for src in read.values()}))
    sources: dict[Path, Source] = {}
    for at, src in enumerate(order):
        before = order[at - 1] if at else None
        after = order[at + 1] if at + 1 < len(order) else None
        neighbours = ":".join(_linked_as(n) if n else "" for n in (before, after))
        context = course_hash + neighbours + " ".join(catalog)
        digest = design_input(src.raw, source=src.source, theme=theme, tool=tool, course=context)
        sources[src.path.resolve()] = replace(
            src, digest=digest, previous=before.source if before else "", next=after.source if after else ""
        )
    sources = {path: sources[path] for path in read}
    found = [sources[p.resolve()] for p in found_paths if p.resolve() in sources]
    listed = list(sources.values())
    index_designs = {s.source: sha256(s.raw) for s in listed}
    if course_raw is not None:
        index_designs["<course>"] = sha256(course_raw)
    index_digest = index_input(index_designs, title=INDEX_TITLE, tool=tool, theme=theme)
    return Survey(
        out_dir=out_dir,
        tool=tool,
        manifest=manifest,
        found=found,
        listed=listed,
        folders=frozenset(_source_of(f, root) if f.resolve() != root else "" for f in folders),
        index_digest=index_digest,
        catalog=catalog,
        course=course_raw,
        course_path=display_path(course_path) if course_path else "",
        errors=errors,
    )


_TOP = re.compile(r"^(id|lesson|title):[ \t]*(.*?)[ \t]*$", re.M)


def _linked_as(src: Source) -> str:
    """What a page's link to this design shows: its place, id and title (the whole file when its title is not
    one plain line, so a change to it is never missed)."""
    found = dict(_TOP.findall(src.raw.decode("utf-8", "replace")))
    title = found.get("title", "")
    if not title or title[0] in ">|&*!" or title.endswith(":"):
        return src.source + ":" + sha256(src.raw)
    return f"{src.source}:{found.get('id', '')}:{title}"


def _reading_order(sources: list[Source], course_raw: bytes | None) -> list[Source]:
    """The designs in the course's reading order, from each file's top-level ``id``, ``lesson`` and ``title`` lines.

    A quick read, not a parse: it only orders the pages' previous and next links, and a design it misreads is
    still built (its links follow the order this read gives).
    """
    try:
        course = parse_course(course_raw)
    except DesignError:
        course = Course()

    def place(src: Source) -> tuple[int, int, str, str]:
        found = dict(_TOP.findall(src.raw.decode("utf-8", "replace")))
        ident = _ident(src)
        lesson = found.get("lesson", "")
        return course.place(ident, int(lesson) if lesson.isdigit() else None, found.get("title", "").strip("'\""))

    return sorted(sources, key=place)


def _ident(src: Source) -> str:
    """A design's id from its top-level ``id`` line, else its file's name (as the loader names it)."""
    found = dict(_TOP.findall(src.raw.decode("utf-8", "replace")))
    return found.get("id", "").strip("'\"") or slug(src.path.stem)
