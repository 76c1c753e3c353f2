"""Incremental build bookkeeping: content hashes of what went into each design's outputs and of the outputs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.io import inside, walk_files

__all__ = [
    "FORMAT",
    "MANIFEST_PATH",
    "Entry",
    "Manifest",
    "design_input",
    "digest",
    "dump_manifest",
    "file_problems",
    "index_input",
    "parse_manifest",
    "sha256",
    "strays",
]

FORMAT = 2
"""Version of the manifest's layout; a manifest of another format is ignored (everything rebuilds).

Format 2 records the render fingerprint (:mod:`generator.build.fingerprint`) where format 1 recorded a hash of
the code."""

MANIFEST_PATH = ".blueprint/manifest.json"
"""Where the manifest lives, relative to the output folder."""


def sha256(data: bytes) -> str:
    """The hex SHA-256 of some bytes.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def digest(*parts: str | bytes) -> str:
    """Hash several fields unambiguously (each is length-prefixed).

    >>> digest("ab", "c") == digest("a", "bc")
    False
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def design_input(raw: bytes, *, source: str, theme: str | None, tool: str, course: str = "") -> str:
    """The input hash of one design: its bytes, where it lives (the write-up links to it), the theme, the tool,
    and the course file's hash (the write-up names its lesson and part from it).

    >>> a = design_input(b"title: T", source="designs/a.yaml", theme=None, tool="t")
    >>> a == design_input(b"title: T", source="designs/a.yaml", theme="clean", tool="t")
    False
    >>> a == design_input(b"title: T", source="designs/a.yaml", theme=None, tool="t", course="c")
    False
    """
    return digest("design", raw, source, theme or "", tool, *([course] if course else []))


def index_input(designs: Mapping[str, str], *, title: str, tool: str, theme: str | None = None) -> str:
    """The input hash of the index: the title, the tool, each listed design's source and content hash, and the
    theme the command line set (the course's panels across designs are drawn in it).

    Args:
        designs: Source path to the SHA-256 of that design file's bytes.
        title: The index's title.
        tool: The tool fingerprint.
        theme: A theme overriding the designs' own (``--theme``), else None.

    >>> plain = index_input({"a.yaml": "1"}, title="T", tool="t")
    >>> plain == index_input({"a.yaml": "1"}, title="T", tool="t", theme="clean")
    False
    """
    parts: list[str | bytes] = ["index", title, tool, *([f"theme={theme}"] if theme else [])]
    for source in sorted(designs):
        parts.extend([source, designs[source]])
    return digest(*parts)


@dataclass(frozen=True)
class Entry:
    """What one build step produced: its input's source and hash, the tool that built it, each file's hash."""

    source: str
    input: str
    tool: str
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The entry as plain JSON data."""
        return {
            "source": self.source,
            "input": self.input,
            "tool": self.tool,
            "files": dict(sorted(self.files.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        """An entry from JSON data, or None when the data is not a well-formed entry."""
        if not isinstance(data, dict):
            return None
        source, digest, tool, files = (data.get(k) for k in ("source", "input", "tool", "files"))
        if not (isinstance(source, str) and isinstance(digest, str) and isinstance(tool, str)):
            return None
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return None
        return cls(source, digest, tool, dict(files))


@dataclass
class Manifest:
    """The manifest of an output folder: one entry per design id, and the index's entry."""

    designs: dict[str, Entry] = field(default_factory=dict)
    index: Entry | None = None

    def by_source(self) -> dict[str, tuple[str, Entry]]:
        """Design id and entry for each recorded source path."""
        return {entry.source: (ident, entry) for ident, entry in sorted(self.designs.items())}


def parse_manifest(data: bytes) -> Manifest:
    """Read a manifest; anything unreadable or of another format reads as an empty manifest.

    >>> parse_manifest(b"not json").designs
    {}
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # not ours, or crafted to nest without end
        return Manifest()
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return Manifest()
    designs: dict[str, Entry] = {}
    if isinstance(raw.get("designs"), dict):
        for ident, value in raw["designs"].items():
            entry = Entry.from_json(value)
            if entry is not None and isinstance(ident, str):
                designs[ident] = entry
    return Manifest(designs=designs, index=Entry.from_json(raw.get("index")))


def dump_manifest(manifest: Manifest) -> bytes:
    """A manifest as deterministic JSON: sorted keys, no timestamps, no absolute paths.

    >>> dump_manifest(Manifest()).decode()
    '{\\n  "designs": {},\\n  "format": 2,\\n  "index": null\\n}\\n'
    """
    data = {
        "format": FORMAT,
        "designs": {ident: entry.to_json() for ident, entry in sorted(manifest.designs.items())},
        "index": manifest.index.to_json() if manifest.index else None,
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def file_problems(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """What is wrong with recorded output files on disk: each one missing or changed since it was written.

    Returns:
        One message per file, in path order; empty when every file holds the recorded bytes.
    """
    problems: list[str] = []
    for rel in sorted(files):
        try:
            data = inside(out_dir, rel).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            problems.append(f"{rel} is missing")
            continue
        if sha256(data) != files[rel]:
            problems.append(f"{rel} was changed after it was built")
    return problems


def strays(out_dir: Path, design_id: str, files: Iterable[str]) -> list[str]:
    """Files in a design's output folder that its build does not produce (dot-files included), sorted."""
    folder = out_dir / design_id
    if folder.is_symlink() or not folder.is_dir():
        return []
    expected = set(files)
    found = (f"{design_id}/{p.relative_to(folder).as_posix()}" for p in walk_files(folder))
    return sorted(rel for rel in found if rel not in expected)
