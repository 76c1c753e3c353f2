"""Where the comparisons' pictures come from: the build folder, when its manifest vouches for them, else drawn now.

A panel's picture is the build folder's ``appendix/panel-<id>.svg`` only when the manifest's index entry records
that file with the hash it has, that entry was made from the designs and the course file as they are now (its
input hash is the one the site computes), each design the panel draws from is up to date there (its input hash
names the theme), and the picture's board is the theme's. Otherwise it is drawn in memory, as the build would draw
it, from the member designs' prepared records; nothing is written to the build folder. A panel naming a picture no
design of the site draws is left out (the build says so at its line in the course file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.io import inside
from generator.build.manifest import sha256
from generator.build.pipeline import DEFAULT_THEME, compose_panel, course_panel_members
from generator.build.survey import Survey
from generator.errors import BlueprintError, Diagnostic, Location
from generator.frontend.course import Course, CoursePanel
from generator.plan.prepare import Prepared, read_design
from generator.render.themes import get_theme
from generator.site.cache import Item, panel_key
from generator.site.comparisons import Comparison
from generator.site.content import Page
from generator.site.frame import Memo
from generator.writeup.appendix import APPENDIX

__all__ = ["Compared", "course_comparisons"]

_BOARD = re.compile(r'</defs>\s*<rect [^>]*fill="([^"]*)"')
"""The picture's board: the first rectangle after its definitions, in the theme's paper colour."""


@dataclass
class Compared:
    """The comparisons a site shows, and how many of their pictures were drawn now (not the build's)."""

    comparisons: list[Comparison] = field(default_factory=list)
    drawn: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


def course_comparisons(
    course: Course,
    pages: Sequence[Page],
    items: Mapping[str, Item],
    *,
    state: Survey,
    built: Path | None,
    theme: str | None,
    memo: Memo | None,
    code: str,
) -> Compared:
    """The course's panels whose pictures the site's designs draw, in the course file's order.

    Args:
        course: The course file.
        pages: The designs' pages.
        items: What each page was made from (its bytes, path, and whether its pictures are up to date in the
            build folder), by design id.
        state: What the site surveyed: the build folder's manifest, and the index's input hash now.
        built: The build folder (None: draw every picture now).
        theme: A theme overriding each design's own, as ``blueprint build --theme``.
        memo: Where pictures drawn before are kept, by the hash of what they are drawn from (None: draw them).
        code: The hash of blueprint's code, for ``memo``'s keys.
    """
    by_id = {page.ident: page for page in pages}
    pen = theme or DEFAULT_THEME
    out = Compared()
    for panel in course.panels:
        named = [name.partition("/") for name in panel.views]
        if not all(ident in by_id and f"{stem}.svg" in by_id[ident].pictures for ident, _, stem in named):
            continue
        designs = tuple(dict.fromkeys((ident, by_id[ident].title) for ident, _, _ in named))
        pictures = ", ".join(f"{by_id[i].pictures[f'{s}.svg']['title']} ({by_id[i].title})" for i, _, s in named)
        description = f"{panel.title}: {pictures}."
        svg = None
        if all(items[ident][4] is not None for ident, _ in designs):  # each member up to date in the build folder
            svg = _from_build(state, built, panel, pen)
        if svg is None:
            members = [items[ident] for ident, _ in designs]
            try:
                svg = _draw(panel, members, pen, description, memo=memo, code=code)
            except BlueprintError as exc:
                out.problems.append(Diagnostic(Location(state.course_path), f"panel '{panel.id}': {exc}"))
                continue
            out.drawn += 1
        out.comparisons.append(Comparison(panel.id, panel.title, description, svg, pen, designs))
    return out


def _from_build(state: Survey, built: Path | None, panel: CoursePanel, pen: str) -> str | None:
    """The panel's picture in the build folder, when the build's manifest vouches for it as it would be drawn now."""
    entry = state.manifest.index
    if built is None or entry is None or entry.input != state.index_digest:
        return None  # not built, or built from other designs, another course file or another blueprint
    name = f"{APPENDIX}/panel-{panel.id}.svg"
    if name not in entry.files:
        return None
    try:
        data = inside(built, name).read_bytes()
        svg = data.decode("utf-8")
    except (OSError, UnicodeDecodeError, BlueprintError):
        return None
    if sha256(data) != entry.files[name]:
        return None  # changed since the build wrote it
    board = _BOARD.search(svg)
    # The index's input hash does not name the theme: a panel drawn in another is another picture.
    if board is None or board[1].lower() != get_theme(pen).paper.lower():
        return None
    return svg


def _draw(panel: CoursePanel, members: list[Item], pen: str, description: str, *, memo: Memo | None, code: str) -> str:
    """The panel drawn now, as the build draws it, from its designs as they are (kept in ``memo``)."""

    def make() -> str:
        records: list[Prepared] = []
        for raw, shown, default_id, *_ in members:
            record, _ = read_design(raw, path=shown, default_id=default_id)
            if record is not None:
                records.append(record)
        found, missing = course_panel_members(records, panel)
        if missing:
            raise BlueprintError(f"no design draws {', '.join(missing)}")
        return compose_panel(found, get_theme(pen), title=panel.title, description=description, columns=panel.columns)

    if memo is None:
        return make()
    return memo(panel_key(panel, members, pen, code), make)
