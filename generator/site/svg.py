"""Pictures for a web page: a built SVG made safe to inline beside others, and the CSS that draws it in chalk.

A page holds many pictures, so each one's ids get the picture's own prefix (``bp-title`` would otherwise be
used by every picture, and ``aria-labelledby`` would name another picture's title), its stylesheet is scoped
to it, and the font subsets it embeds get names of their own (two subsets of Kalam under one name would hide
each other's letters).
"""

from __future__ import annotations

import re

from generator.render.themes import Theme, get_theme

__all__ = ["dark_css", "inline_svg"]

# Each attribute pattern starts with its literal name, so the regex engine can skip to the next occurrence (a
# pattern starting with \b tries every position of a 60 KB picture); the look-behind after the name then asks
# what \b asked: that no word character comes before it (``data-id`` is matched, ``xid`` is not).
_ID = re.compile(r'id="(?<!\wid=")([^"]*)"')
_REFS = re.compile(r'(aria(?<!\waria)-(?:labelledby|describedby))="([^"]*)"')
_URL = re.compile(r"url\(#([^)]*)\)")
_HREF = re.compile(r'(href)="#(?<!\whref="#)([^"]*)"')
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_FACE = re.compile(r"@font-face\{font-family:'([^']+)';")
_TEXT_RULE = re.compile(r"(?<![\w-])text\{font-family:([^}]*)\}")
_ROOT = re.compile(r"<svg\b")
_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*")


def _stack(value: str, faces: dict[str, str]) -> str:
    """A font stack with each embedded family replaced by its renamed subset (the original kept as fallback).

    >>> _stack("Kalam, 'DejaVu Sans', sans-serif", {"Kalam": "Kalam p1"})
    "'Kalam p1', Kalam, 'DejaVu Sans', sans-serif"
    """
    out = []
    for family in (f.strip() for f in value.split(",")):
        name = family.strip("'\"")
        if name in faces:
            out.append(f"'{faces[name]}'")
        out.append(family)
    return ", ".join(out)


def inline_svg(svg: str, *, prefix: str, label: str = "") -> str:
    """An SVG document as an element to put in an HTML page beside other pictures.

    Args:
        svg: The SVG as blueprint wrote it (escaped throughout, so safe to inline).
        prefix: A prefix unique on the page, for the picture's ids, fonts and stylesheet.
        label: Extra classes for the root element.

    >>> out = inline_svg('<svg x="1" aria-labelledby="bp-title"><title id="bp-title">T</title></svg>', prefix="p1")
    >>> out
    '<svg id="p1" class="bp-svg" x="1" aria-labelledby="p1-bp-title"><title id="p1-bp-title">T</title></svg>'
    """
    svg = _PROLOG.sub("", svg).strip()
    faces: dict[str, str] = {}

    def style(match: re.Match[str]) -> str:
        css = match[1]
        for family in _FACE.findall(css):
            faces.setdefault(family, f"{family} {prefix}")
        css = _FACE.sub(lambda m: f"@font-face{{font-family:'{faces[m[1]]}';", css)
        css = _TEXT_RULE.sub(lambda m: f"#{prefix} text{{font-family:{_stack(m[1], faces)}}}", css)
        return f"<style>{css}</style>"

    svg = _STYLE.sub(style, svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = _REFS.sub(lambda m: f'{m[1]}="{" ".join(f"{prefix}-{i}" for i in m[2].split())}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m[1]})", svg)
    svg = _HREF.sub(lambda m: f'{m[1]}="#{prefix}-{m[2]}"', svg)
    classes = " ".join(["bp-svg", *label.split()])
    return _ROOT.sub(f'<svg id="{prefix}" class="{classes}"', svg, count=1)


def _colours(theme: Theme) -> list[str]:
    """A theme's colours in a fixed order, so two themes' lists pair each role with its counterpart."""
    out = [theme.paper, theme.ink, theme.muted, *theme.markers, theme.replication, theme.highlight]
    for table in (theme.families, theme.fills, theme.groups):
        out.extend(table[key] for key in sorted(table))
    return out


def colour_map(source: str, target: str) -> dict[str, str]:
    """Each colour of one theme mapped to the colour the other gives the same role (the first role wins).

    >>> colour_map("whiteboard", "blackboard")["#fbfaf6"]
    '#23302b'
    """
    out: dict[str, str] = {}
    for a, b in zip(_colours(get_theme(source)), _colours(get_theme(target)), strict=True):
        out.setdefault(a.lower(), b.lower())
    return {a: b for a, b in out.items() if a != b}


def dark_css(*, sources: tuple[str, ...] = ("whiteboard", "clean"), target: str = "blackboard") -> str:
    """The stylesheet that redraws pictures of the light themes in the blackboard theme's colours when the page
    is dark: the same picture, the board and chalk of the ``blackboard`` theme (no second rendering)."""
    rules = []
    for source in sources:
        scope = f':root[data-theme="dark"] .bp-pic[data-pen="{source}"]'
        for a, b in sorted(colour_map(source, target).items()):
            for attribute in ("fill", "stroke"):
                rules.append(f'{scope} [{attribute}="{a}" i]{{{attribute}:{b}}}')
    return "\n".join(rules) + "\n"
