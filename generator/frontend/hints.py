"""Hints for mistakes: the option a misspelt word most likely means, and how to declare what is missing."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

__all__ = ["declare_hint", "did_you_mean", "slug"]


def slug(text: str) -> str:
    """A valid id from a file name.

    >>> slug("URL shortener v2")
    'url-shortener-v2'
    >>> slug("2pc")
    'd-2pc'
    """
    out = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")[:60] or "design"
    return out if out[0].isalpha() else f"d-{out}"


def did_you_mean(word: str, options: Iterable[str], *, aliases: Callable[[str], str | None] | None = None) -> str:
    """A hint naming the closest option, or an empty string.

    Args:
        word: What was written.
        options: What could have been meant.
        aliases: Maps a word people write to the option it stands for (or None).

    >>> did_you_mean("lable", ["label", "kind"])
    "did you mean 'label'?"
    >>> did_you_mean("redis", ["cache", "sql"], aliases={"redis": "cache"}.get)
    "did you mean 'cache'?"
    >>> did_you_mean("zzz", ["label"])
    ''
    """
    options = list(options)
    lowered = str(word).lower().replace("-", "_").replace(" ", "_")
    meant = aliases(lowered) if aliases else None
    if meant:
        return f"did you mean '{meant}'?"
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6) or difflib.get_close_matches(
        lowered, options, n=1, cutoff=0.6
    )
    return f"did you mean '{close[0]}'?" if close else ""


def declare_hint(section: str, known: Iterable[str]) -> str:
    names = sorted(known)
    if not names:
        return f"declare it under '{section}:'"
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"declare it under '{section}:' (known: {shown})"
