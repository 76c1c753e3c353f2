"""The prose rule (BP123): a list entry that is the second half of a sentence, split at a comma by YAML."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.analysis.lint.model import Context, Hit, KeyPath, Rule, rule

__all__ = ["PROSE_RULES"]

_CONTINUES = re.compile(r"^(?:which|and|but|so|or|because|whereas|while|then|nor|yet)\b")
"""Words that open the rest of a sentence, not a bullet of its own."""


@rule(
    "BP123",
    "warning",
    "List entry that continues the one before it",
    """
    In YAML, `[a, b]` is a list of two entries, so `cons: [it is slower, which users notice]` becomes two
    bullets, the second starting mid-sentence with 'which'. An entry that opens with which, and, but, so, or,
    because, whereas, while, then, nor or yet is almost always the tail of the entry before it. Quote the whole
    sentence (`cons: ["it is slower, which users notice"]`) or write the list one entry per line.
    """,
)
def _split_sentence(ctx: Context) -> Iterator[Hit]:
    design = ctx.design
    lists: list[tuple[KeyPath, list[str]]] = []
    for t, tradeoff in enumerate(design.tradeoffs):
        if not isinstance(tradeoff, str):
            lists += [(("tradeoffs", t, "pros"), tradeoff.pros), (("tradeoffs", t, "cons"), tradeoff.cons)]
    req = design.requirements
    for name in ("functional", "non_functional", "out_of_scope"):
        lists.append((("requirements", name), getattr(req, name)))
    lists.append((("next_scale",), design.next_scale))
    for path, entries in lists:
        for i, entry in enumerate(entries):
            word = _CONTINUES.match(entry.strip())
            if i and word:
                yield Hit(
                    (*path, i),
                    f"'{entry.strip()[:40]}' starts with '{word.group(0)}': it reads as the end of the entry before",
                    "quote the whole sentence, so YAML does not split it at the comma",
                )


PROSE_RULES: tuple[Rule, ...] = (_split_sentence,)
"""The rules, in code order."""
