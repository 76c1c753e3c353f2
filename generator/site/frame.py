"""The site around the pages: reading order, the sidebar's table of contents, breadcrumbs, previous and next, the
index, one deck per lesson for present mode, the search index and the assets, as files by relative path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from generator.frontend.course import Course
from generator.site.content import Page
from generator.site.pages import STATIC, Links, json_script, render_page, search_script
from generator.site.svg import dark_css

__all__ = ["deck_name", "reading_order", "site_files"]

MORE = "More designs"
"""Where designs whose lesson no part lists are listed."""


def reading_order(pages: Sequence[Page], course: Course) -> list[Page]:
    """The pages as the course reads: by lesson, then the course file's order, then title (as the index lists them)."""
    first = {ident: i for i, ident in enumerate(course.order)}
    return sorted(pages, key=lambda p: (p.lesson or 10_000, first.get(p.ident, len(first)), p.title.lower(), p.ident))


def deck_name(page: Page) -> str:
    """The file of the deck a design's pictures are presented in: its lesson's, or its own.

    >>> deck_name(Page("x", "X", 3, "", {}, {}, {})), deck_name(Page("x", "X", None, "", {}, {}, {}))
    ('present/lesson-3.html', 'present/design-x.html')
    """
    return f"present/lesson-{page.lesson}.html" if page.lesson is not None else f"present/design-{page.ident}.html"


def _toc(pages: list[Page], course: Course) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for page in pages:
        part = course.part_of(page.lesson) or MORE
        if not parts or parts[-1]["title"] != part:
            parts.append({"title": part, "lessons": []})
        lessons = parts[-1]["lessons"]
        if not lessons or lessons[-1]["number"] != page.lesson:
            name = course.lessons.get(page.lesson, "") if page.lesson is not None else ""
            lessons.append({"number": page.lesson, "title": name, "designs": [], "deck": deck_name(page)})
        lessons[-1]["designs"].append({"ident": page.ident, "title": page.title, "summary": page.summary})
    return parts


def _lesson_anchors(course: Course, pages: list[Page]) -> dict[int, str]:
    lessons = {p.lesson for p in pages if p.lesson is not None}
    return {n: f"index.html#lesson-{n}" for n in sorted(lessons | set(course.lessons))}


def _figures(page: Page) -> dict[str, dict[str, Any]]:
    """The page's pictures with their flows named as the page's flow data names them (``design/flow``)."""
    return {
        name: {**picture, "svg": Markup(picture["svg"]), "flow_keys": [f"{page.ident}/{f}" for f in picture["flows"]]}
        for name, picture in page.pictures.items()
    }


def _flows(pages: Sequence[Page]) -> Markup:
    return json_script({f"{p.ident}/{ident}": flow for p in pages for ident, flow in p.flows.items()})


def site_files(pages: Sequence[Page], *, course: Course) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the site folder."""
    ordered = reading_order(pages, course)
    toc = _toc(ordered, course)
    lessons = _lesson_anchors(course, ordered)
    titles = {p.ident: p.title for p in ordered}
    common = {"site_title": course.title, "toc": toc}
    files: dict[str, str] = {}
    files["index.html"] = render_page(
        "index.html.j2",
        {
            **common,
            "root": "",
            "current": "",
            "page_title": course.title,
            "intro": course.intro,
            "designs": len(ordered),
            "diagrams": sum(len(p.pictures) for p in ordered),
        },
    )
    for at, page in enumerate(ordered):
        part = course.part_of(page.lesson) or MORE
        lesson_name = course.lessons.get(page.lesson, "") if page.lesson is not None else ""
        crumbs = [{"title": course.title, "url": "index.html"}]
        crumbs.append({"title": part, "url": f"index.html#part-{_part_index(toc, part)}"})
        if page.lesson is not None:
            crumbs.append(
                {
                    "title": f"Lesson {page.lesson}" + (f": {lesson_name}" if lesson_name else ""),
                    "url": f"index.html#lesson-{page.lesson}",
                }
            )
        files[f"{page.ident}.html"] = render_page(
            "design.html.j2",
            {
                **common,
                **page.context,
                "root": "",
                "current": page.ident,
                "page_title": f"{page.title} · {course.title}",
                "crumbs": crumbs,
                "previous": ordered[at - 1] if at else None,
                "next": ordered[at + 1] if at + 1 < len(ordered) else None,
                "pictures": _figures(page),
                "flows": page.flows,
                "flow_data": _flows([page]),
                "links": Links(titles, lessons, here=page.ident),
                "deck": deck_name(page),
            },
        )
    decks: dict[str, list[Page]] = {}
    for page in ordered:
        decks.setdefault(deck_name(page), []).append(page)
    for name, members in decks.items():
        first = members[0]
        lesson_name = course.lessons.get(first.lesson, "") if first.lesson is not None else ""
        heading = (
            f"Lesson {first.lesson}" + (f": {lesson_name}" if lesson_name else "") if first.lesson else first.title
        )
        files[name] = render_page(
            "deck.html.j2",
            {
                "root": "../",
                "site_title": course.title,
                "page_title": f"{heading} · present · {course.title}",
                "heading": heading,
                "part": course.part_of(first.lesson),
                "members": [{"page": p, "pictures": _figures(p)} for p in members],
                "flow_data": _flows(members),
            },
        )
    entries = [entry for page in ordered for entry in page.search]
    files["search.js"] = search_script(entries)
    files["assets/pictures.css"] = dark_css()
    out = {name: text.encode("utf-8") for name, text in files.items()}
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            out[f"assets/{asset.name}"] = asset.read_bytes()
    return out


def _part_index(toc: list[dict[str, Any]], title: str) -> int:
    return next((i for i, part in enumerate(toc, start=1) if part["title"] == title), 0)
