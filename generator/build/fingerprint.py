"""The render fingerprint: a hash of what blueprint draws, not of its code, so a refactor leaves ``output/`` alone.

Every manifest entry records the fingerprint of the blueprint that built it; ``check`` and incremental builds
compare it with the running one's. The fingerprint is the hash of the probe designs in ``probes/`` rendered in
full: every view's SVG (laid out from recorded Graphviz output, so the local Graphviz does not matter), the DOT
it was laid out from, each write-up, the index of the probes, and one PNG. A change that leaves those bytes alone
(a refactor, a comment, a faster algorithm) leaves the fingerprint, the manifest and ``check`` as they were; a
change that alters a picture, a write-up or the PNG encoder changes it, so every design is rebuilt and ``check``
fails until then. The tests pin the same renders as goldens, so such a change also shows in review.

Rendering the probes takes a second or two, so the result is kept in the user's cache folder under a hash of
the package's files: it is worked out again only when the code changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from generator import __version__
from generator.build.manifest import digest
from generator.build.pipeline import load_prepared, rasterize, render_appendix, render_design, render_index
from generator.frontend.course import Course
from generator.layout.graphviz import DotRunner, run_dot, trim_layout
from generator.layout.text import cache_dir
from generator.plan.outputs import view_files
from generator.writeup.pages import Links

__all__ = [
    "FORMAT",
    "PROBES",
    "SHIPPED",
    "Recording",
    "accept",
    "code_hash",
    "compute_fingerprint",
    "probe_layouts",
    "render_fingerprint",
    "render_probes",
    "shipped_fingerprint",
]

FORMAT = 2
"""Version of the fingerprint's recipe (and of the manifest's layout)."""

PROBES = Path(__file__).resolve().parent / "probes"
"""The probe designs (``*.yaml``) and their recorded Graphviz layouts (``*.layout.json``)."""

SHIPPED = PROBES / "fingerprint.json"
"""The fingerprint as last accepted (``make accept``), with the hash of the code it was worked out for: a blueprint
whose code is that code takes it from here instead of rendering the probes, which on a machine with nothing cached
yet (a new install, a CI runner) took seconds before the first diagram."""

_PACKAGE = Path(__file__).resolve().parents[1]
_SUFFIXES = frozenset({".py", ".j2", ".ttf", ".txt", ".json", ".yaml"})
_TEXT = frozenset({".py", ".j2", ".txt", ".json", ".yaml"})
_PNG_PROBE = "minimal"
"""The probe whose overview is also rasterized, so a change to the PNG stage changes the fingerprint."""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Recording:
    """Answers ``dot`` from recorded layouts, keyed by the hash of the DOT source; notes every source it is asked.

    Args:
        layouts: Recorded ``dot -Tjson`` output (trimmed), by the SHA-256 of its DOT source.
        fallback: What runs Graphviz for a source that was not recorded (None: that is an error).
    """

    def __init__(self, layouts: Mapping[str, str], *, fallback: DotRunner | None = run_dot) -> None:
        self.layouts = dict(layouts)
        self.fallback = fallback
        self.asked: list[str] = []
        self.missed: list[str] = []

    def __call__(self, source: str) -> str:
        self.asked.append(source)
        key = _sha(source)
        if key not in self.layouts:
            if self.fallback is None:
                raise LookupError(f"no recorded layout for this DOT (sha256 {key[:12]}); re-record with `make accept`")
            self.missed.append(source)
            self.layouts[key] = trim_layout(self.fallback(source))
        return self.layouts[key]

    def used(self) -> dict[str, str]:
        """The recorded layouts of the sources asked for, to save as a probe's recording."""
        return {key: self.layouts[key] for key in sorted({_sha(s) for s in self.asked})}


def probe_layouts(name: str) -> dict[str, str]:
    """A probe's recorded layouts (empty when it has none yet)."""
    path = PROBES / f"{name}.layout.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in data.items()}


def render_probes(*, fallback: DotRunner | None = run_dot) -> dict[str, bytes]:
    """Every file the probes render to, by name; the DOT sources they were laid out from are ``<probe>/*.dot``."""
    files: dict[str, bytes] = {}
    records = []
    probes = sorted(PROBES.glob("*.yaml"))
    if not probes:  # a fingerprint of nothing would call every output up to date, whatever this version draws
        raise RuntimeError(f"the probe designs are missing from {PROBES}: blueprint is installed incompletely")
    for path in probes:
        record = load_prepared(path, shown_as=f"probes/{path.name}")
        records.append(record)
        recording = Recording(probe_layouts(path.stem), fallback=fallback)
        built = render_design(record, source=f"probes/{path.name}", rasterize=False, dot=recording, links=_LINKS)
        files.update(built.files)
        for number, source in enumerate(recording.asked):
            files[f"{record.design.id}/layout-{number}.dot"] = source.encode("utf-8")
        if path.stem == _PNG_PROBE:
            svg = files[view_files(record.design.id, "overview")[0]]
            files[view_files(record.design.id, "overview")[1]] = rasterize(svg, "whiteboard")
            files[f"{record.design.id}/overview.palette.png"] = rasterize(svg, "whiteboard", True)
    files["README.md"] = render_index(records)
    files.update(render_appendix(records, course=_COURSE))
    return files


_LINKS = Links(previous=("previous", "The page before"), next=("next", "The page after"))
"""Neighbours for the probes' pages, so a change to the previous/next links changes the fingerprint."""
_COURSE = Course(cheat_sheet=True, glossary={"cache": "A fast copy of data kept near its readers."})
"""A course with both appendix pages, so a change to them changes the fingerprint."""


def code_hash() -> str:
    """A hash of the package's files: code, templates, fonts, probes (line endings normalised).

    It decides only whether the cached fingerprint can be reused; it is never written to a manifest.
    """
    parts: list[str | bytes] = [__version__]
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts and path != SHIPPED:
            data = path.read_bytes()
            parts.extend(
                [path.relative_to(_PACKAGE).as_posix(), data.replace(b"\r\n", b"\n") if path.suffix in _TEXT else data]
            )
    return digest(*parts)


def compute_fingerprint() -> str:
    """Render the probes and hash what they wrote (no cache)."""
    files = render_probes()
    parts: list[str | bytes] = [f"blueprint-render-{FORMAT}"]
    for name in sorted(files):
        parts.extend([name, files[name]])
    return digest(*parts)


@cache
def render_fingerprint() -> str:
    """The render fingerprint of the running blueprint (see the module's docstring), cached per code version."""
    key = code_hash()
    if (shipped := shipped_fingerprint()) is not None and shipped[0] == key:
        return shipped[1]
    folder = cache_dir() / "fingerprints"
    stored = folder / f"{key}.txt"
    try:
        value = stored.read_text(encoding="ascii").strip()
        if _hex64(value):
            return value
    except OSError:
        pass
    value = compute_fingerprint()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".fingerprint.")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(value + "\n")
        os.replace(tmp, stored)
    except OSError:  # a read-only cache: work it out again next time
        pass
    return value


def _hex64(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def shipped_fingerprint() -> tuple[str, str] | None:
    """The accepted fingerprint that ships with the package, as (code hash, fingerprint); None when there is none."""
    try:
        data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _hex64(data.get("code")) or not _hex64(data.get("fingerprint")):
        return None
    return str(data["code"]), str(data["fingerprint"])


def accept() -> str:
    """Work the fingerprint out and write it, with this code's hash, to :data:`SHIPPED` (``make accept``)."""
    value = compute_fingerprint()
    text = json.dumps({"code": code_hash(), "fingerprint": value}, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(dir=SHIPPED.parent, prefix=".fingerprint.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, SHIPPED)
    return value


if __name__ == "__main__":  # python -m generator.build.fingerprint
    print(f"render fingerprint {accept()} written to {SHIPPED.name}")
