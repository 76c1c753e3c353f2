"""The HTML filters: the live preview renders the write-up's context through an autoescaping HTML template."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from generator.analysis.worked import Code, Span

__all__ = ["FILTERS", "inline_html", "paragraphs"]

_MARKER = re.compile(r"^(- |\d+\. )")


def inline_html(spans: Sequence[Span]) -> Markup:
    """Runs of plain text and code as HTML, escaped.

    >>> str(inline_html(["a <b> ", Code("x < y")]))
    'a &lt;b&gt; <code>x &lt; y</code>'
    """
    return Markup(
        "".join(f"<code>{html.escape(s.text)}</code>" if isinstance(s, Code) else html.escape(s) for s in spans)
    )


def paragraphs(value: Any) -> Markup:
    r"""A longer text as HTML paragraphs and lists, escaped (the HTML counterpart of the Markdown ``prose``).

    >>> str(paragraphs("One <b>.\n\n- a\n- b"))
    '<p>One &lt;b&gt;.</p>\n<ul><li>a</li><li>b</li></ul>'
    """
    out = []
    for block in re.split(r"\n\s*\n", str(value).strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(re.match(r"^(- |\d+\. )", line) for line in lines):
            tag = "ol" if lines[0][0].isdigit() else "ul"
            items = "".join(f"<li>{html.escape(_MARKER.sub('', line))}</li>" for line in lines)
            out.append(f"<{tag}>{items}</{tag}>")
        elif lines:
            out.append(f"<p>{html.escape(' '.join(lines))}</p>")
    return Markup("\n".join(out))


FILTERS = {"inline": inline_html, "prose": paragraphs}
"""The filters the HTML templates use besides Jinja's own escaping."""
