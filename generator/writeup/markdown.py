"""Markdown write-ups through the Jinja2 templates shipped in ``templates/``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["escape_md", "prose", "render_template", "url"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def escape_md(value: Any) -> str:
    """Escape text for Markdown: no markup, links, tables or HTML can be injected.

    >>> escape_md("<script>alert('x')</script> *bold* | pipe")
    "&lt;script&gt;alert('x')&lt;/script&gt; \\\\*bold\\\\* \\\\| pipe"
    >>> escape_md("a\\nb")
    'a b'
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def _template_dir() -> Path:
    """The templates: inside the installed package (the wheel maps ``templates/`` there), else the source tree's."""
    folder = Path(__file__).resolve().parent / "templates"
    if (folder / "design.md.j2").is_file():
        return folder
    raise FileNotFoundError(f"blueprint's templates are missing from {folder}; reinstall blueprint")


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_template_dir())),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = escape_md
    env.filters["prose"] = prose
    env.filters["html"] = _html
    env.filters["url"] = url
    return env


def prose(value: Any) -> str:
    r"""Escape a longer text for Markdown, keeping its paragraphs and its ``- `` or ``1. `` list items.

    >>> print(prose("First <b>para</b>.\n\n- one *item*\n- two\n\n1. step"))
    First &lt;b&gt;para&lt;/b&gt;.
    <BLANKLINE>
    - one \*item\*
    - two
    <BLANKLINE>
    1. step
    """
    blocks = []
    for block in re.split(r"\n\s*\n", str(value).strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(re.match(r"^(- |\d+\. )", line) for line in lines):
            items = []
            for line in lines:
                marker, rest = re.match(r"^(- |\d+\. )(.*)$", line).groups()  # type: ignore[union-attr]
                items.append(marker + escape_md(rest))
            blocks.append("\n".join(items))
        else:
            blocks.append(escape_md(" ".join(lines)))
    return "\n\n".join(blocks)


def _html(value: str) -> str:
    """Escape text for an HTML attribute inside Markdown.

    >>> _html('a "b" <c>')
    'a &quot;b&quot; &lt;c&gt;'
    """
    import html

    return html.escape(" ".join(str(value).split()), quote=True)


def url(value: str) -> str:
    """Percent-encode a relative link target.

    >>> url("read path.svg")
    'read%20path.svg'
    """
    from urllib.parse import quote

    return quote(value, safe="/#.-_~")


def render_template(name: str, context: Mapping[str, Any]) -> str:
    """Render one template with the given context; the result ends with exactly one newline."""
    text: str = _environment().get_template(name).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
