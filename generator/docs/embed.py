"""Designs drawn inside Markdown pages: each fenced ``blueprint`` block becomes its picture, inline.

A block holds either the path of a design file (relative to the page, then to the docs folder) or a whole design
in YAML. Its info string may name a view and a theme::

    ```blueprint view=read theme=clean
    designs/url-shortener.yaml
    ```

The picture is the same self-contained SVG a build writes (fonts embedded, nothing referenced). A block that
cannot be drawn becomes a visible error box, and its located errors (``page.md:12:5: error: ...``, lines counted
in the page for an inline design) are returned for the docs tool to log.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.pipeline import draw_view, theme_for
from generator.errors import BlueprintError, Diagnostic, Location
from generator.frontend.hints import slug
from generator.plan.prepare import read_design
from generator.render.themes import get_theme

__all__ = ["FENCE", "Embedded", "embed_designs"]

FENCE = re.compile(
    r"^(?P<fence>```+|~~~+)[ \t]*blueprint\b(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
"""A fenced ``blueprint`` block: its info string and its body."""

_OPTION = re.compile(r"(\w+)=(\S+)")
_PATH = re.compile(r"^[^\n:{}\[\]]+\.ya?ml$")


@dataclass
class Embedded:
    """What drawing a page's blocks gave: the new Markdown, the errors to log, the design files read."""

    markdown: str
    errors: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)


def embed_designs(markdown: str, *, page: str, folders: list[Path], theme: str | None = None) -> Embedded:
    """Replace every fenced ``blueprint`` block of a page by its picture.

    Args:
        markdown: The page's Markdown.
        page: The page's path as shown in messages (``guide/cache.md``).
        folders: Where a block's design path is looked up, in order (the page's folder, then the docs folder).
        theme: The theme to draw in when neither the block nor the design names one.
    """
    result = Embedded(markdown)

    def draw(match: re.Match[str]) -> str:
        options = dict(_OPTION.findall(match["info"]))
        body = match["body"].strip()
        start = markdown.count("\n", 0, match.start("body"))  # lines before the design's first line
        if _PATH.match(body):
            found = next((folder / body for folder in folders if (folder / body).is_file()), None)
            if found is None:
                return _failed(result, [f"{page}:{start + 1}:1: error: no design file {body!r} next to the page "
                                        "or in the docs folder"])  # fmt: skip
            result.sources.append(found)
            shown, raw, shift = body, found.read_bytes(), 0
        else:
            shown, raw, shift = page, body.encode("utf-8"), start
        record, diagnostics = read_design(raw, path=shown, default_id=slug(Path(shown).stem) or "design")
        if record is None:
            return _failed(result, [_moved(d, shift) for d in diagnostics])
        wanted = options.get("view", "overview")
        view = next((v for v in record.views if v.stem == wanted), None)
        if view is None:
            names = ", ".join(v.stem for v in record.views)
            return _failed(
                result, [f"{page}:{start}:1: error: the design has no view {wanted!r}; its views are {names}"]
            )
        try:
            pen = get_theme(options.get("theme") or theme_for(record.design, theme))
            svg = draw_view(record, view, pen)
        except (BlueprintError, KeyError) as exc:
            message = exc.format_message() if isinstance(exc, BlueprintError) else f"no theme {exc}"
            return _failed(result, [f"{page}:{start}:1: error: {message}"])
        return f'\n<figure class="blueprint" markdown="0">\n{_one_block(svg)}\n</figure>\n'

    result.markdown = FENCE.sub(draw, markdown)
    return result


def _moved(diagnostic: Diagnostic, lines: int) -> str:
    """A diagnostic as text, its line moved down by ``lines`` (an inline design's lines are the page's)."""
    where = diagnostic.location
    return str(Diagnostic(Location(where.path, where.line + lines, where.column), diagnostic.message,
                          diagnostic.severity, diagnostic.code, diagnostic.hint))  # fmt: skip


def _failed(result: Embedded, errors: list[str]) -> str:
    result.errors.extend(errors)
    text = html.escape("\n".join(errors))
    return f'\n<div class="blueprint-error"><pre>{text}</pre></div>\n'


def _one_block(svg: str) -> str:
    """The SVG with no blank lines (Markdown ends a raw HTML block at one)."""
    return "\n".join(line for line in svg.splitlines() if line.strip())
