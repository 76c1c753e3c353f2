"""The site's HTML from Jinja2 templates (autoescaped): a design's page, the index, a lesson's deck, and the
search index as a script; cross-references in the write-up's text become links."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.writeup import html

__all__ = ["STATIC", "TEMPLATES", "Links", "json_script", "render_page", "search_script"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The site's templates, shipped inside the package."""

STATIC = Path(__file__).resolve().parent / "static"
"""The site's stylesheet and scripts, copied into every site as they are."""


def json_script(value: Any) -> Markup:
    """JSON to put inside a ``<script>`` element or a ``.js`` file: no ``<``, ``>`` or ``&`` can end the element
    or start a comment, and the line separators JavaScript once rejected are escaped.

    >>> str(json_script({"t": "</script><img onerror=alert(1)>"}))
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cimg onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return Markup(text)


def search_script(entries: list[dict[str, str]]) -> str:
    """The search index as a script that sets ``window.BP_INDEX`` (a script, not a JSON file: a page opened from
    the file system may not fetch one)."""
    return f"window.BP_INDEX = {json_script(entries)};\n"


class Links:
    """Turns mentions of other designs (by id, as ``kafka-internals``) and of lessons (``lesson 5``) into links.

    >>> str(Links({"rate-limiter": "R"}, {5: "i#5"}, here="x").text("rate-limiter, lesson 5 <b>"))
    '<a href="rate-limiter.html" title="R">rate-limiter</a>, <a href="i#5">lesson 5</a> &lt;b&gt;'
    """

    def __init__(self, designs: Mapping[str, str], lessons: Mapping[int, str], *, here: str, root: str = "") -> None:
        self.designs = {ident: title for ident, title in designs.items() if "-" in ident and ident != here}
        self.lessons = dict(lessons)
        self.root = root
        names = "|".join(re.escape(ident) for ident in sorted(self.designs, key=lambda i: (-len(i), i)))
        pattern = r"\b(?P<lesson>[Ll]essons? (?P<number>\d+))\b"
        if names:
            pattern += rf"|(?<![\w/.-])(?P<design>{names})(?![\w-])"
        self.pattern = re.compile(pattern)

    def _link(self, match: re.Match[str]) -> str:
        if "design" in match.re.groupindex and match["design"]:
            ident = match["design"]
            return f'<a href="{self.root}{ident}.html" title="{escape(self.designs[ident])}">{ident}</a>'
        target = self.lessons.get(int(match["number"]))
        return f'<a href="{self.root}{target}">{match["lesson"]}</a>' if target else match[0]

    def text(self, value: Any) -> Markup:
        """Text as escaped HTML with its cross-references linked."""
        return Markup(self.pattern.sub(self._link, escape(str(value), quote=False)))

    def prose(self, value: Any) -> Markup:
        """A longer text as escaped paragraphs and lists (as the write-up's HTML) with its cross-references linked."""
        return Markup(
            re.sub(r">([^<]+)<", lambda m: ">" + self.pattern.sub(self._link, m[1]) + "<", html.paragraphs(value))
        )


@cache
def _environment() -> Any:
    import jinja2  # heavy: only when a site is built

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(html.FILTERS)
    env.filters["json"] = json_script
    return env


def render_page(name: str, context: Mapping[str, Any]) -> str:
    """Render one of the site's templates; no run of blank lines, one final newline."""
    text: str = _environment().get_template(name).render(**context)
    return re.sub(r"\n\s*\n+", "\n", text).rstrip("\n") + "\n"
