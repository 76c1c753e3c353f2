"""The site around the pages: reading order, the sidebar's table of contents, breadcrumbs, previous and next, the
index, the practice pages, the appendix (cheat-sheet, glossary, comparisons across designs), one deck per lesson
for present mode, the search index and the assets, as files by relative path."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from markupsafe import Markup

from generator.build.manifest import digest
from generator.frontend.course import Course
from generator.plan import outputs
from generator.site.comparisons import COMPARISONS, TITLE, Comparison, comparison_entries, comparisons_page
from generator.site.content import Page, anchor, practice_url
from generator.site.pages import STATIC, Links, json_script, render_page, search_script
from generator.site.svg import dark_css
from generator.writeup.appendix import APPENDIX, cheat_sheet_context, glossary_context

__all__ = ["CHEAT_SHEET", "GLOSSARY", "Memo", "deck_name", "reading_order", "site_files"]

Memo = Callable[[str, Callable[[], str]], str]
"""A store of rendered pages: given a key (the hash of everything the page is rendered from) and a way to render
the page, the page, from the store when it holds that key."""

CHEAT_SHEET = f"{APPENDIX}/cheat-sheet.html"
"""The numbers cheat-sheet's page, when the course file asks for one (``cheat_sheet = true``)."""
GLOSSARY = f"{APPENDIX}/glossary.html"
"""The glossary's page, when the course file has a ``[glossary]``."""

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
        lessons[-1]["designs"].append(
            {
                "ident": page.ident,
                "title": page.title,
                "summary": page.summary,
                "practice": practice_url(page.ident) if page.practice is not None else "",
            }
        )
    return parts


def _appendix(course: Course, comparisons: Sequence[Comparison]) -> list[dict[str, str]]:
    """The appendix pages the course file asks for, as the index and the sidebar list them."""
    out = []
    if course.cheat_sheet:
        out.append({"title": "Numbers cheat-sheet", "url": CHEAT_SHEET})
    if course.glossary:
        out.append({"title": "Glossary", "url": GLOSSARY})
    if comparisons:
        out.append({"title": TITLE, "url": COMPARISONS})
    return out


def _crumbs(course: Course, toc: list[dict[str, Any]], page: Page, root: str) -> list[dict[str, str]]:
    """The way from the index to a design's page (which the page itself ends)."""
    part = course.part_of(page.lesson) or MORE
    crumbs = [{"title": course.title, "url": f"{root}index.html"}]
    crumbs.append({"title": part, "url": f"{root}index.html#part-{_part_index(toc, part)}"})
    if page.lesson is not None:
        lesson_name = course.lessons.get(page.lesson, "")
        crumbs.append(
            {
                "title": f"Lesson {page.lesson}" + (f": {lesson_name}" if lesson_name else ""),
                "url": f"{root}index.html#lesson-{page.lesson}",
            }
        )
    return crumbs


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


def site_files(
    pages: Sequence[Page],
    *,
    course: Course,
    keys: Mapping[str, str] | None = None,
    memo: Memo | None = None,
    comparisons: Sequence[Comparison] = (),
) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the site folder.

    Args:
        pages: The designs' pages.
        course: The course file.
        keys: Each page's cache key by design id (the hash of everything its page data is made from).
        memo: Where the design pages, practice pages and decks rendered before are kept, by the hash of their
            page data's keys and of what the frame puts around them (the course's contents, the neighbours).
        comparisons: The course's panels whose pictures the designs draw (none: no comparisons page).
    """
    ordered = reading_order(pages, course)
    toc = _toc(ordered, course)
    lessons = _lesson_anchors(course, ordered)
    titles = {p.ident: p.title for p in ordered}
    appendix = _appendix(course, comparisons)
    common = {"site_title": course.title, "toc": toc, "appendix": appendix, "current_design": ""}
    shared = digest(
        "site-frame",
        json.dumps([toc, titles, lessons, appendix], sort_keys=True, ensure_ascii=False),
        course.model_dump_json(),
    )

    def remember(name: str, parts: Sequence[str], make: Callable[[], str]) -> str:
        if memo is None or keys is None or not all(parts):
            return make()
        return memo(digest("site-html", name, shared, *parts), make)

    def key(page: Page) -> str:
        return (keys or {}).get(page.ident, "")

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
        before = ordered[at - 1] if at else None
        after = ordered[at + 1] if at + 1 < len(ordered) else None
        files[f"{page.ident}.html"] = remember(
            f"{page.ident}.html",
            [key(page), f"after:{before.ident if before else ''}", f"before:{after.ident if after else ''}"],
            partial(_design_page, page, before, after, common, titles, lessons, course),
        )
        if page.practice is not None:
            files[practice_url(page.ident)] = remember(
                practice_url(page.ident), [key(page)], partial(_practice_page, page, common, titles, lessons, course)
            )
    terms = _glossary_terms(ordered, course) if course.glossary else []
    files.update(_appendix_pages(terms, common, titles, lessons, course))
    if comparisons:
        files[COMPARISONS] = comparisons_page(comparisons, common, course)
    decks: dict[str, list[Page]] = {}
    for page in ordered:
        decks.setdefault(deck_name(page), []).append(page)
    for name, members in decks.items():
        files[name] = remember(name, [key(p) for p in members], partial(_deck, members, course))
    entries = [entry for page in ordered for entry in page.search]
    entries += _appendix_entries(terms, course) + comparison_entries(comparisons)
    files["search.js"] = search_script(entries)
    files["assets/pictures.css"] = dark_css()
    out = {name: text.encode("utf-8") for name, text in files.items()}
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            out[f"assets/{asset.name}"] = asset.read_bytes()
    return out


def _design_page(
    page: Page,
    before: Page | None,
    after: Page | None,
    common: dict[str, Any],
    titles: dict[str, str],
    lessons: dict[int, str],
    course: Course,
) -> str:
    """A design's page: its write-up, pictures inlined, in the site's frame."""
    return render_page(
        "design.html.j2",
        {
            **common,
            **page.context,
            "root": "",
            "current": page.ident,
            "page_title": f"{page.title} · {course.title}",
            "crumbs": _crumbs(course, common["toc"], page, ""),
            "previous": before,
            "next": after,
            "pictures": _figures(page),
            "flows": page.flows,
            "flow_data": _flows([page]),
            "links": Links(titles, lessons, here=page.ident),
            "deck": deck_name(page),
            "practice_page": practice_url(page.ident) if page.practice is not None else "",
        },
    )


def _deck(members: list[Page], course: Course) -> str:
    """A lesson's deck (or a design's, outside any lesson) for present mode."""
    first = members[0]
    lesson_name = course.lessons.get(first.lesson, "") if first.lesson is not None else ""
    heading = f"Lesson {first.lesson}" + (f": {lesson_name}" if lesson_name else "") if first.lesson else first.title
    return render_page(
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


def _practice_page(
    page: Page,
    common: dict[str, Any],
    titles: dict[str, str],
    lessons: dict[int, str],
    course: Course,
) -> str:
    """A design's practice page: the exercises, each answer hidden under its question until asked for."""
    assert page.practice is not None
    picture = page.practice["picture"]
    root = "../"
    return render_page(
        "practice.html.j2",
        {
            **common,
            **page.practice,
            "picture": {**picture, "svg": Markup(picture["svg"]), "flow_keys": []} if picture else None,
            "root": root,
            "current": practice_url(page.ident),
            "current_design": page.ident,
            "page_title": f"Practice: {page.title} · {course.title}",
            "crumbs": [
                *(_crumbs(course, common["toc"], page, root)),
                {"title": page.title, "url": f"{root}{page.ident}.html"},
            ],
            "links": Links(titles, lessons, here=page.ident, root=root),
            "source": page.source,
        },
    )


def _appendix_pages(
    terms: list[dict[str, Any]],
    common: dict[str, Any],
    titles: dict[str, str],
    lessons: dict[int, str],
    course: Course,
) -> dict[str, str]:
    """The cheat-sheet and the glossary, as the course file asks for them."""
    root = "../"
    base = {**common, "root": root, "crumbs": [{"title": course.title, "url": f"{root}index.html"}]}
    out: dict[str, str] = {}
    if course.cheat_sheet:
        out[CHEAT_SHEET] = render_page(
            "cheat-sheet.html.j2",
            {
                **base,
                **cheat_sheet_context(),
                "current": CHEAT_SHEET,
                "page_title": f"Numbers cheat-sheet · {course.title}",
            },
        )
    if course.glossary:
        out[GLOSSARY] = render_page(
            "glossary.html.j2",
            {
                **base,
                "terms": terms,
                "current": GLOSSARY,
                "page_title": f"Glossary · {course.title}",
                "links": Links(titles, lessons, here="", root=root),
            },
        )
    return out


def _glossary_terms(pages: list[Page], course: Course) -> list[dict[str, Any]]:
    """The glossary's terms (as the write-up's appendix finds them), each with its anchor and its designs' pages."""
    terms = glossary_context(course, [page.context["design"] for page in pages])["terms"]
    taken: set[str] = set()
    suffix = f"/{outputs.README}"
    return [
        {
            **term,
            "anchor": anchor(f"term {term['term']}", taken),
            "used": [
                {"title": used["title"], "ident": used["href"].removeprefix("../").removesuffix(suffix)}
                for used in term["used"]
            ],
        }
        for term in terms
    ]


def _appendix_entries(terms: list[dict[str, Any]], course: Course) -> list[dict[str, str]]:
    """The appendix's entries in the search index: each glossary term, each table of the cheat-sheet."""
    entries: list[dict[str, str]] = []
    if course.cheat_sheet:
        sheet = cheat_sheet_context()
        tables = (
            (
                "availability",
                "Availability and downtime",
                "availability nines downtime a year month day",
                "availability",
            ),
            ("traffic", "Requests a day, a second and a month", "requests traffic QPS peak average", "traffic"),
            ("powers", "Powers of two", "powers of two bytes KB MB GB TB PB", "powers"),
            ("latency", "Latency, in orders of magnitude", "latency numbers every programmer should know", "latency"),
        )
        for ident, title, words, key in tables:
            cells = " ".join(str(value) for row in sheet[key] for value in row.values())
            entries.append(
                {
                    "title": "Numbers cheat-sheet",
                    "section": title,
                    "url": f"{CHEAT_SHEET}#{ident}",
                    "text": f"{words} {cells}",
                    "kind": "extra",
                }
            )
    if course.glossary:
        for term in terms:
            used = ", ".join(d["title"] for d in term["used"])
            entries.append(
                {
                    "title": "Glossary",
                    "section": term["term"],
                    "url": f"{GLOSSARY}#{term['anchor']}",
                    "text": f"{term['meaning']} Used in: {used}" if used else term["meaning"],
                    "kind": "extra",
                }
            )
    return entries


def _part_index(toc: list[dict[str, Any]], title: str) -> int:
    return next((i for i, part in enumerate(toc, start=1) if part["title"] == title), 0)
