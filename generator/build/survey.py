"""What a build would do, read from the disk: the design files, their input hashes, and the output manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build.fingerprint import render_fingerprint
from generator.build.io import display_path, find_course, find_designs, inside
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
from generator.errors import DesignError, Diagnostic, Location

__all__ = ["INDEX_TITLE", "Source", "Survey", "read_manifest", "survey"]

INDEX_TITLE = "System Design Masterclass"


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
                return ["built by a blueprint that draws differently (a picture or write-up would change)"]
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
                return ["built by a blueprint that writes it differently"]
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
    tool = render_fingerprint()
    folders = sorted({p.parent for p in found_paths})
    listed_paths = find_designs([*found_paths, *folders]) if found_paths else []
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
