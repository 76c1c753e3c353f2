"""The appendix's comparisons across designs: every panel of the course file (``[[panels]]``) on one page,
``appendix/comparisons.html``, each under its title with its picture inlined and links to the designs it is drawn
from; and their entries in the search index. Where the pictures come from is :mod:`generator.site.panels`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.frontend.course import Course
from generator.site.content import anchor
from generator.site.pages import render_page
from generator.site.svg import inline_svg
from generator.writeup.appendix import APPENDIX

__all__ = ["COMPARISONS", "TITLE", "Comparison", "comparison_entries", "comparisons_page"]

COMPARISONS = f"{APPENDIX}/comparisons.html"
"""The comparisons' page, when the course file has panels whose pictures the designs draw."""

TITLE = "Comparisons across designs"
"""The page's title, as the build's README titles its panels."""

_FRAME_IDS = frozenset({"main", "bp-q", "bp-q-help", "bp-results", "bp-theme"})
"""The ids the frame around every page gives its elements: a panel's anchor must be another."""


@dataclass(frozen=True)
class Comparison:
    """One panel of the course file, ready for the page: its picture as the build draws it."""

    ident: str
    """The panel's id (``sharding-and-federation``), its section's anchor."""
    title: str
    description: str
    """The panel in words, as the picture's ``<desc>`` says it: its title, then each picture and its design."""
    svg: str
    """The panel's SVG document, as the build writes it to ``appendix/panel-<id>.svg``."""
    pen: str
    """The theme it is drawn in (the dark mode redraws the light ones in chalk)."""
    designs: tuple[tuple[str, str], ...]
    """Each design a picture comes from, as (id, title), once each, in the panel's order."""


def _anchored(comparisons: Sequence[Comparison]) -> list[tuple[str, Comparison]]:
    """Each comparison with its section's anchor: its id, unless the frame already uses that id.

    >>> [a for a, _ in _anchored([Comparison("a-b", "", "", "", "", ()), Comparison("main", "", "", "", "", ())])]
    ['a-b', 'main-2']
    """
    taken = set(_FRAME_IDS)
    return [(anchor(comparison.ident, taken), comparison) for comparison in comparisons]


def comparisons_page(comparisons: Sequence[Comparison], common: dict[str, Any], course: Course) -> str:
    """The comparisons' page, in the site's frame (``common``: the site's title, contents and appendix)."""
    root = "../"
    panels = []
    for ident, comparison in _anchored(comparisons):
        prefix = f"panel_{ident}"  # no anchor holds "_": the picture's ids are the page's own
        panels.append(
            {
                "anchor": ident,
                "title": comparison.title,
                "picture": {
                    "svg": Markup(inline_svg(comparison.svg, prefix=prefix)),
                    "id": prefix,
                    "pen": comparison.pen,
                    "flow_keys": [],
                    "kind": "graph",
                    "title": comparison.title,
                },
                "designs": [{"ident": ident, "title": title} for ident, title in comparison.designs],
            }
        )
    return render_page(
        "comparisons.html.j2",
        {
            **common,
            "root": root,
            "crumbs": [{"title": course.title, "url": f"{root}index.html"}],
            "current": COMPARISONS,
            "page_title": f"{TITLE} · {course.title}",
            "heading": TITLE,
            "panels": panels,
        },
    )


def comparison_entries(comparisons: Sequence[Comparison]) -> list[dict[str, str]]:
    """The comparisons' entries in the search index: each panel by its title, its pictures and its designs."""
    return [
        {
            "title": TITLE,
            "section": comparison.title,
            "url": f"{COMPARISONS}#{ident}",
            "text": f"{comparison.description} From: {', '.join(title for _, title in comparison.designs)}.",
            "kind": "extra",
        }
        for ident, comparison in _anchored(comparisons)
    ]
