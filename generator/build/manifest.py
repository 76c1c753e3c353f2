"""Incremental build bookkeeping: content hashes of what went into each design's outputs and of the outputs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "MANIFEST_PATH",
    "Entry",
    "Manifest",
    "design_input",
    "dump_manifest",
    "file_problems",
    "index_input",
    "parse_manifest",
    "sha256",
    "strays",
    "tool_fingerprint",
]

FORMAT = 1
"""Version of the manifest's layout; a manifest of another format is ignored (everything rebuilds)."""

MANIFEST_PATH = ".blueprint/manifest.json"
"""Where the manifest lives, relative to the output folder."""

# Modules that never change what a build writes: editing them must not make every output stale.
_NOT_RENDERING = frozenset(
    {
        "__main__.py",
        "cli/__init__.py",
        "bench.py",
        "build/manifest.py",
        "build/check.py",
        "build/scaffold.py",
        "frontend/schema.py",
        "build/preview.py",
    }
)
_PACKAGE_SUFFIXES = frozenset({".py", ".j2", ".ttf", ".otf", ".woff", ".woff2", ".json"})
_TEXT_SUFFIXES = frozenset({".py", ".j2", ".json"})


def sha256(data: bytes) -> str:
    """The hex SHA-256 of some bytes.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def _digest(*parts: str | bytes) -> str:
    """Hash several fields unambiguously (each is length-prefixed).

    >>> _digest("ab", "c") == _digest("a", "bc")
    False
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _tool_files() -> list[tuple[str, Path]]:
    """Every file that decides what a build writes: the package's code, fonts and data, and the templates.

    Names are relative and the same for a source checkout and an installed package, so two machines with the
    same blueprint agree on the fingerprint.
    """
    package = Path(__file__).resolve().parents[1]
    files: list[tuple[str, Path]] = []
    for path in package.rglob("*"):
        rel = path.relative_to(package).as_posix()
        if (
            path.is_file()
            and path.suffix in _PACKAGE_SUFFIXES
            and "__pycache__" not in path.parts
            and rel not in _NOT_RENDERING
        ):
            files.append((f"generator/{rel}", path))
    return sorted(files)


@cache
def tool_fingerprint() -> str:
    """A hash of everything besides the design that decides the outputs.

    That is blueprint's version, its rendering code, templates, themes and fonts (text files with their line
    endings normalised, so a Windows checkout agrees). The versions of Graphviz and of the Python libraries are
    left out on purpose: they differ between a laptop and CI far more often than they change a picture, and a
    check that cannot pass on CI helps nobody. After upgrading them, ``blueprint build --force`` re-renders.
    """
    from generator import __version__

    parts: list[str | bytes] = [f"blueprint-manifest-{FORMAT}", __version__]
    for name, path in _tool_files():
        data = path.read_bytes()
        parts.extend([name, data.replace(b"\r\n", b"\n") if path.suffix in _TEXT_SUFFIXES else data])
    return _digest(*parts)


def design_input(raw: bytes, *, source: str, theme: str | None, tool: str, course: str = "") -> str:
    """The input hash of one design: its bytes, where it lives (the write-up links to it), the theme, the tool,
    and the course file's hash (the write-up names its lesson and part from it).

    >>> a = design_input(b"title: T", source="designs/a.yaml", theme=None, tool="t")
    >>> a == design_input(b"title: T", source="designs/a.yaml", theme="clean", tool="t")
    False
    >>> a == design_input(b"title: T", source="designs/a.yaml", theme=None, tool="t", course="c")
    False
    """
    return _digest("design", raw, source, theme or "", tool, *([course] if course else []))


def index_input(designs: Mapping[str, str], *, title: str, tool: str) -> str:
    """The input hash of the index: the title, the tool, and each listed design's source and content hash.

    Args:
        designs: Source path to the SHA-256 of that design file's bytes.
        title: The index's title.
        tool: The tool fingerprint.
    """
    parts: list[str | bytes] = ["index", title, tool]
    for source in sorted(designs):
        parts.extend([source, designs[source]])
    return _digest(*parts)


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
    except (UnicodeDecodeError, ValueError):
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
    '{\\n  "designs": {},\\n  "format": 1,\\n  "index": null\\n}\\n'
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
    from generator.build.io import inside

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
    if not folder.is_dir():
        return []
    expected = set(files)
    found = (f"{design_id}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if not p.is_dir())
    return sorted(rel for rel in found if rel not in expected)
