"""The site's page cache: each design's page data kept in the user's cache folder, and what keeps it.

A design's page data is kept in the user's cache folder under a hash of everything it is made from: the design's
bytes and input hash (which the build's manifest records), its path, the theme, the course file, the hashes the
manifest records for the pictures reused, and the package's code. A site build after a course build, the designs
unchanged, reads each page from there instead of parsing the design, working its examples and inlining its
pictures again; a stored page is byte for byte what a new one would be. ``blueprint build --site`` fills the cache
as it renders (:func:`page_keeper`): each worker keeps the page data of the design it just prepared and drew.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.build.fingerprint import code_hash
from generator.build.io import display_path
from generator.build.manifest import digest, sha256
from generator.build.pipeline import BuiltDesign
from generator.build.survey import Source, Survey
from generator.errors import Diagnostic
from generator.frontend.course import Course, CoursePanel
from generator.frontend.hints import slug
from generator.layout.text import cache_dir
from generator.site.content import Page, design_page
from generator.site.frame import Memo

__all__ = [
    "CACHE_DAYS",
    "CACHE_FORMAT",
    "Item",
    "cache_folder",
    "load",
    "memo_in",
    "page_keeper",
    "page_key",
    "panel_key",
    "prune",
    "save",
]

CACHE_FORMAT = 1
"""Version of the page cache's entries (a change to what they hold gives every entry a new key)."""

CACHE_DAYS = 30
"""A cached page not used for this many days is removed."""

Item = tuple[bytes, str, str, str, str | None, Course, str | None]
"""What a worker needs to make a design's page: its bytes, shown path, default id, source, the build folder to
read its pictures from (None: draw them), the course and the theme."""


def page_keeper(state: Survey, course: Course, theme: str | None) -> Callable[[BuiltDesign, Source], None] | None:
    """What a build's workers do, for ``blueprint build --site``, with each design they render: make its page data
    from the record and the pictures in their hands, and keep it in the page cache under the key a site build
    from that build folder computes (None when there is no writable cache).

    Args:
        state: What the build surveyed: the course file's bytes as it parsed them.
        course: The course the build renders with.
        theme: The build's theme.
    """
    store = cache_folder()
    if store is None:
        return None
    return functools.partial(
        _keep_page, store=str(store), course=course, course_raw=state.course, theme=theme, code=code_hash()
    )


def _keep_page(
    built: BuiltDesign,
    src: Source,
    *,
    store: str,
    course: Course,
    course_raw: bytes | None,
    theme: str | None,
    code: str,
) -> None:
    """Keep one rendered design's page data in the page cache (see :func:`page_keeper`)."""
    prefix = f"{built.design.id}/"
    hashes = {name: sha256(data) for name, data in built.files.items() if name.endswith(".svg")}
    # As a site build reads them from the build folder: text, with its line ends read as the text mode does.
    svgs = {
        name.removeprefix(prefix): _universal(data.decode("utf-8"))
        for name, data in built.files.items()
        if name.endswith(".svg") and name.startswith(prefix)
    }
    key = _key(
        src.raw,
        display_path(src.path),
        slug(src.path.stem),
        src.source,
        theme,
        course_raw,
        _pictures(hashes),
        code,
    )
    page = design_page(built.prepared, source=src.source, course=course, svgs=svgs, theme=theme)
    save(Path(store), key, (page, [], bool(svgs)))


def _universal(text: str) -> str:
    """Text with its line ends as Python's text mode reads them (``\\r\\n`` and ``\\r`` as ``\\n``).

    >>> _universal("a\\r\\nb\\rc\\n")
    'a\\nb\\nc\\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_key(item: Item, entry: tuple[str, Any] | None, course: bytes | None, code: str) -> str:
    """The hash of everything a design's page data is made from (see the module's docstring)."""
    raw, shown, default_id, source, built_folder, _, theme = item
    if built_folder is not None and entry is not None:  # up to date: the manifest's hashes are the files' own
        pictures = _pictures(entry[1].files)
    else:  # drawn now: by this code and the local Graphviz
        pictures = ["drawn", _dot_version()]
    return _key(raw, shown, default_id, source, theme, course, pictures, code)


def panel_key(panel: CoursePanel, members: Sequence[Item], theme: str, code: str) -> str:
    """The hash of everything a course panel's picture drawn now is made from: the panel, its designs' bytes and
    paths, the theme, blueprint's code and the local Graphviz."""
    designs = [part for raw, shown, default_id, *_ in members for part in (raw, shown, default_id)]
    return digest(
        f"blueprint-site-panel-{CACHE_FORMAT}",
        sys.version,
        code,
        _dot_version(),
        theme,
        panel.model_dump_json(),
        *designs,
    )


def _pictures(hashes: Mapping[str, str]) -> list[str]:
    """A built design's pictures as its page key names them: each SVG's path in the build folder and hash."""
    return [f"{name}={value}" for name, value in sorted(hashes.items()) if name.endswith(".svg")]


def _key(
    raw: bytes,
    shown: str,
    default_id: str,
    source: str,
    theme: str | None,
    course: bytes | None,
    pictures: list[str],
    code: str,
) -> str:
    return digest(
        f"blueprint-site-page-{CACHE_FORMAT}",
        sys.version,
        code,
        raw,
        shown,
        default_id,
        source,
        theme or "",
        course or b"",
        *pictures,
    )


@functools.cache
def _dot_version() -> str:
    """The Graphviz that draws pictures now, as its path, size and time (not run: that costs a process)."""
    found = shutil.which("dot")
    try:
        info = Path(found).resolve().stat() if found else None
    except OSError:
        info = None
    return f"{found}:{info.st_size}:{info.st_mtime_ns}" if info else "no dot"


def cache_folder() -> Path | None:
    folder = cache_dir() / "site-pages"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # no writable cache folder: every page is made again
        return None
    return folder


def load(folder: Path, key: str) -> tuple[Page | None, list[Diagnostic], bool] | None:
    """A page from the cache, or None when it holds none under this key (or the stored one cannot be read)."""
    path = folder / f"{key[:40]}.pickle"
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
        os.utime(path)  # used: kept another CACHE_DAYS
    except Exception:
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key and isinstance(stored[1], Page)):
        return None
    return stored[1], [], bool(stored[2])


def save(folder: Path, key: str, result: tuple[Page | None, list[Diagnostic], bool]) -> None:
    path = folder / f"{key[:40]}.pickle"
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(pickle.dumps((key, result[0], result[2]), protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:  # a full or read-only cache: made again next time
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def memo_in(folder: Path) -> Memo:
    """Rendered pages (and comparison pictures drawn in memory) kept in the page cache's folder, by the hash of
    what they are made from."""

    def memo(key: str, make: Callable[[], str]) -> str:
        path = folder / f"{key[:40]}.html"
        try:
            text = path.read_bytes().decode("utf-8")
            os.utime(path)
            return text
        except (OSError, UnicodeDecodeError):
            pass
        text = make()
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            partial.write_bytes(text.encode("utf-8"))
            partial.replace(path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        return text

    return memo


def prune(folder: Path) -> None:
    """Remove the cached pages not used for CACHE_DAYS days (each design change leaves one behind)."""
    old = time.time() - CACHE_DAYS * 86_400
    try:
        for path in folder.iterdir():
            if path.stat().st_mtime < old:
                path.unlink(missing_ok=True)
    except OSError:
        return
