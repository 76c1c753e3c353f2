"""The Markdown filters: every user-written text reaches a Markdown write-up through :func:`escape_md`."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from generator.analysis.worked import Code, Span

__all__ = ["FILTERS", "cell_code", "code", "escape_md", "inline", "link_designs", "prose", "url"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_BLOCK_START = re.compile(r"^(\d{1,9})?([.)](?=\s|$)|[-+=](?=[\s\-+=]|$))")


def escape_md(value: Any) -> str:
    """Escape text for Markdown: no markup, links, tables or HTML can be injected.

    >>> escape_md("<script>alert('x')</script> *bold* | pipe")
    "&lt;script&gt;alert('x')&lt;/script&gt; \\\\*bold\\\\* \\\\| pipe"
    >>> escape_md("a\\nb")
    'a b'
    >>> escape_md("1986. A great year."), escape_md("---"), escape_md("- not a list"), escape_md("-5 °C")
    ('1986\\\\. A great year.', '\\\\---', '\\\\- not a list', '-5 °C')
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = " ".join(text.split())
    # What would start a block if the text began a line: "1986. A year" (a list), "- x", "+ x", "---", "===".
    return _BLOCK_START.sub(r"\1\\\2", text)


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


def code(value: Any) -> str:
    """Text as Markdown inline code (backticks in it dropped, so it cannot close the span early).

    >>> code("GET /a`b")
    '`GET /ab`'
    """
    return f"`{str(value).replace('`', '')}`"


def cell_code(value: Any) -> str:
    """Text as inline code inside a table cell: a ``|`` would end the cell even inside code, so it is escaped.

    >>> cell_code("GET /a|b`c")
    '`GET /a\\\\|bc`'
    """
    return code(value).replace("|", "\\|")


def inline(spans: Sequence[Span]) -> str:
    """Runs of plain text and code as Markdown.

    >>> inline(["With ", Code("x % N"), ", *not* code"])
    'With `x % N`, \\\\*not\\\\* code'
    """
    out = []
    for span in spans:
        if isinstance(span, Code):
            out.append(code(span.text))
        else:  # as escape_md, but a space at either end stays: it separates the run from its neighbour
            text = span.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(re.sub(r"\s+", " ", _MD_SPECIAL.sub(r"\\\1", text)))
    return "".join(out)


def _html_attribute(value: str) -> str:
    """Escape text for an HTML attribute inside Markdown.

    >>> _html_attribute('a "b" <c>')
    'a &quot;b&quot; &lt;c&gt;'
    """
    return html.escape(" ".join(str(value).split()), quote=True)


def url(value: str) -> str:
    """Percent-encode a relative link target.

    >>> url("read path.svg")
    'read%20path.svg'
    """
    return quote(value, safe="/#.-_~")


FILTERS = {
    "md": escape_md,
    "prose": prose,
    "code": code,
    "cell_code": cell_code,
    "inline": inline,
    "html": _html_attribute,
    "url": url,
}
"""The filters the Markdown templates use."""


def link_designs(page: str, designs: Sequence[str]) -> str:
    r"""A Markdown page with each mention of another design (by a hyphenated id, as ``kafka-internals``) linked to
    that design's write-up beside it; headings, images, existing links and code are left alone.

    >>> page = "See the rate-limiter design, not rate-limiters.\n![a rate-limiter](x.svg)"
    >>> print(link_designs(page, ["rate-limiter"]))
    See the [rate-limiter](../rate-limiter/README.md) design, not rate-limiters.
    ![a rate-limiter](x.svg)
    """
    names = sorted((d for d in designs if "-" in d), key=lambda d: (-len(d), d))
    if not names:
        return page
    mention = re.compile(rf"(?<![\w/.\[-])({'|'.join(re.escape(n) for n in names)})(?![\w-])")
    lines = []
    for line in page.split("\n"):
        if not line.startswith(("#", "![", "<", "    ", "```")):
            # Only outside links and code spans: split them off, link the rest.
            parts = re.split(r"(!?\[[^\]]*\]\([^)]*\)|`[^`]*`)", line)
            line = "".join(
                part if i % 2 else mention.sub(lambda m: f"[{m[1]}](../{m[1]}/README.md)", part)
                for i, part in enumerate(parts)
            )
        lines.append(line)
    return "\n".join(lines)
