"""The write-up's pages: a design's Markdown (and its HTML for the live preview) and the index, from templates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from generator.frontend.course import Course
from generator.layout.text import cache_dir
from generator.plan.prepare import Prepared
from generator.practice import practice_context
from generator.writeup import html, markdown
from generator.writeup.appendix import cheat_sheet_context, glossary_context
from generator.writeup.context import Links, design_context, index_context
from generator.writeup.markdown import link_designs

__all__ = [
    "TEMPLATES",
    "Links",
    "cheat_sheet_markdown",
    "design_html",
    "design_markdown",
    "glossary_markdown",
    "index_markdown",
    "render_template",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The Jinja2 templates, shipped inside the package."""


@cache
def _environment(kind: str) -> Any:
    import jinja2  # heavy: only when a write-up is rendered

    # Compiling the templates takes about 0.1 s; Jinja keeps the compiled code (checked against each template's
    # source) in the user's cache folder, so a new process starts from it.
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        compiled: Any = jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:  # no writable cache folder: compiled each time
        compiled = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=compiled,
        autoescape=kind == "html",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(markdown.FILTERS if kind == "md" else html.FILTERS)
    return env


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """Render one template (``*.md.j2`` as Markdown, ``*.html.j2`` as escaped HTML); one final newline."""
    kind = "html" if name.endswith(".html.j2") else "md"
    text: str = _environment(kind).get_template(name).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def design_markdown(
    prepared: Prepared, *, source: str, course: Course | None = None, links: Links | None = None
) -> str:
    """A design's write-up in Markdown; it links to the views' SVG files beside it, and to its neighbours."""
    page = render_template("design.md.j2", design_context(prepared, source=source, course=course, links=links))
    return link_designs(page, [d for d in links.designs if d != prepared.design.id]) if links else page


def practice_markdown(prepared: Prepared) -> str:
    """A design's practice page in Markdown: its exercises, then their answers; it links to the write-up beside it."""
    return render_template("practice.md.j2", practice_context(prepared))


def design_html(prepared: Prepared, *, source: str, files: str = "") -> str:
    """A design's write-up as an HTML fragment for the live preview, its pictures under the ``files`` prefix."""
    return render_template("design.html.j2", {**design_context(prepared, source=source), "files": files})


def index_markdown(records: Sequence[Prepared], *, course: Course | None = None) -> str:
    """The output folder's README: every design, grouped by part and lesson as the course file says."""
    return render_template("index.md.j2", index_context(records, course=course or Course()))


def cheat_sheet_markdown() -> str:
    """The appendix's numbers cheat-sheet, its tables computed."""
    return render_template("cheat-sheet.md.j2", cheat_sheet_context())


def glossary_markdown(course: Course, records: Sequence[Prepared]) -> str:
    """The appendix's glossary, each term linked to the designs that use it."""
    return render_template("glossary.md.j2", glossary_context(course, [r.design for r in records]))
