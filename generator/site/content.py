"""What a site page shows, as data: the write-up's context with anchors, pictures ready to inline, each flow's
narrated steps for the step-through player, the practice page's exercises and answers, and the page's entries in
the search index."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.analysis.worked import Code, Paragraph, Span
from generator.frontend.course import Course
from generator.plan.outputs import view_files
from generator.plan.prepare import Prepared
from generator.plan.views import FlowView, OverviewView, SequenceView, View
from generator.practice import practice_context
from generator.site.svg import inline_svg
from generator.writeup.context import design_context

__all__ = ["DEFAULT_PEN", "PRACTICE_DIR", "Page", "anchor", "design_page", "practice_url", "step_text"]

DEFAULT_PEN = "whiteboard"
"""The theme a design without one is drawn in (the build's default)."""

PRACTICE_DIR = "practice"
"""The folder of the practice pages in the site, one ``<design id>.html`` each."""


def practice_url(ident: str) -> str:
    """A design's practice page, relative to the site folder.

    >>> practice_url("url-shortener")
    'practice/url-shortener.html'
    """
    return f"{PRACTICE_DIR}/{ident}.html"


@dataclass
class Page:
    """One design's page, before the site's frame (sidebar, breadcrumbs, previous and next) is put around it."""

    ident: str
    title: str
    lesson: int | None
    summary: str
    context: dict[str, Any]
    pictures: dict[str, dict[str, Any]]
    flows: dict[str, dict[str, Any]]
    search: list[dict[str, str]] = field(default_factory=list)
    source: str = ""
    practice: dict[str, Any] | None = None
    """The practice page's exercises and answers (:func:`generator.practice.practice_context`), its picture
    inlined under ``picture``; None when the design has no practice page."""


def anchor(title: str, taken: set[str]) -> str:
    """A stable, unique fragment id for a heading.

    >>> taken = set()
    >>> anchor("High-level design", taken), anchor("High-level design", taken), anchor("<>", taken)
    ('high-level-design', 'high-level-design-2', 'section')
    """
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


_GUARDS = {
    "alt": ("if {}", ""),
    "opt": ("only if {}", "sometimes"),
    "loop": ("repeated: {}", "repeated"),
    "par": ("at the same time: {}", "at the same time"),
    "critical": ("as one unit: {}", "as one unit"),
    "break": ("stopping if {}", "stopping here"),
}
"""How a step's fragments read in its narration: with their guard, and without one."""


def _guard(fragment: str) -> str:
    """A fragment (``opt on a miss``) as words (``only if on a miss``).

    >>> _guard("alt already shortened"), _guard("par"), _guard("region failover")
    ('if already shortened', 'at the same time', 'region failover')
    """
    kind, _, when = fragment.partition(" ")
    forms = _GUARDS.get(kind)
    if forms is None:
        return fragment
    return forms[0].format(when) if when else forms[1] or kind


def step_text(step: Mapping[str, Any]) -> str:
    """A narrated step as plain sentences (the player shows it as text, never as markup): who, what it does to
    whom, what travels, when it happens (the fragments it enters), then its note.

    >>> step_text({"number": "2", "src": "web", "verb": "calls", "dst": "db", "label": "SELECT", "fragments": [],
    ...            "note": "", "lettered": False, "optional": False})
    '2. web calls db: SELECT.'
    >>> step_text({"number": "4b", "src": "a", "verb": "calls", "dst": "b", "label": "known?",
    ...            "fragments": ["alt a new URL", "opt the batch is used up"], "note": "one round trip",
    ...            "lettered": True, "optional": True})
    '4b. a calls b: known? (if a new URL; only if the batch is used up). One round trip.'
    """
    out = f"{step['number']}. {step['src']} {step['verb']} {step['dst']}"
    out += f": {step['label']}" if step["label"] else ""
    guards = [_guard(f) for f in step["fragments"]]
    out += f" ({'; '.join(guards)})" if guards else ""
    out += "" if out.endswith((".", "?", "!")) else "."
    note = str(step["note"]).strip()
    if note:
        out += " " + note[:1].upper() + note[1:] + ("" if note.endswith((".", "?", "!")) else ".")
    return out


def _spans(spans: Sequence[Span]) -> str:
    return "".join(s.text if isinstance(s, Code) else s for s in spans)


def _blocks_text(blocks: Sequence[Any]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(_spans(block.spans))
        else:
            out.extend(_spans(cell) for row in (block.header, *block.rows) for cell in row)
    return " ".join(out)


def _steppable(view: View, flows_with_steps: list[str]) -> list[str]:
    if isinstance(view, FlowView | SequenceView):
        ident = view.flow.flow.id
        return [ident] if ident in flows_with_steps else []
    if isinstance(view, OverviewView):
        return list(flows_with_steps)
    return []


def design_page(
    record: Prepared, *, source: str, course: Course, svgs: Mapping[str, str], theme: str | None = None
) -> Page:
    """A design's page data.

    Args:
        record: The prepared design.
        source: The design file's path as the write-up names it.
        course: The course, for the lesson's and part's names.
        svgs: Each view's SVG by its file name (``overview.svg``), from the build.
        theme: The theme the build drew the design in when it overrode the design's own.
    """
    design = record.design
    context = design_context(record, source=source, course=course)
    pen = theme or design.theme or DEFAULT_PEN
    flows: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    step_sections = iter(s for s in context["sections"] if s["steps"])
    for numbered in record.flows:
        if not numbered.steps:
            continue
        section = next(step_sections, None)
        if section is None:
            break
        section["flow"] = numbered.flow.id
        flows[numbered.flow.id] = {
            "name": numbered.flow.name,
            "steps": [{"n": str(s["number"]), "text": step_text(s)} for s in section["steps"]],
        }
    for section in context["sections"]:
        section["anchor"] = anchor(section["title"], taken)
    pictures: dict[str, dict[str, Any]] = {}
    for view in record.views:
        name = view_files(design.id, view.stem)[0].rpartition("/")[2]
        if name not in svgs:
            continue
        prefix = f"{design.id}-{len(pictures) + 1}"
        pictures[name] = {
            "svg": inline_svg(svgs[name], prefix=prefix),
            "id": prefix,
            "pen": view.theme or pen,
            "flows": _steppable(view, list(flows)),
            "kind": "sequence" if isinstance(view, SequenceView) else "graph",
            "title": view.title,
        }
    page = Page(
        ident=design.id,
        title=design.title,
        lesson=design.lesson,
        summary=design.summary,
        context=context,
        pictures=pictures,
        flows=flows,
        source=source,
        practice=_practice(record, svgs, pen),
    )
    page.search = _search_entries(page, record, taken)
    return page


def _practice(record: Prepared, svgs: Mapping[str, str], pen: str) -> dict[str, Any] | None:
    """The practice page's data: the exercises and answers, and the redraw picture inlined (when it was drawn)."""
    if not record.design.practice.enabled:
        return None
    data = practice_context(record)
    view = record.practice
    data["picture"] = None
    if view is not None and data["redraw"] is not None and data["redraw"]["svg"] in svgs:
        prefix = f"{record.design.id}-practice"
        data["picture"] = {
            "svg": inline_svg(svgs[data["redraw"]["svg"]], prefix=prefix),
            "id": prefix,
            "pen": view.theme or pen,
            "flows": [],
            "kind": "graph",
            "title": view.title,
        }
    return data


def _search_entries(page: Page, record: Prepared, taken: set[str]) -> list[dict[str, str]]:
    """The page's entries in the search index: the design as a whole, each section, its components, its deep
    dives; each with the text a query is matched against."""
    design, context = record.design, page.context
    url = f"{design.id}.html"
    req = design.requirements
    entries = [
        {
            "title": design.title,
            "section": "",
            "url": url,
            "text": " ".join(
                [design.summary, *req.functional, *req.non_functional, *(n for n in design.notes), page.title]
            ),
        }
    ]
    for section in context["sections"]:
        words = [section["intro"], *(step_text(s) for s in section["steps"]), _blocks_text(section["blocks"])]
        words += [stage["title"] + " " + stage["summary"] for stage in section["stages"]]
        words += [image["alt"] for image in section["images"]]
        entries.append(
            {
                "title": design.title,
                "section": section["title"],
                "url": f"{url}#{section['anchor']}",
                "text": " ".join(words),
            }
        )
    context["components_anchor"] = anchor("Components", taken)
    entries.append(
        {
            "title": design.title,
            "section": "Components",
            "url": f"{url}#{context['components_anchor']}",
            "text": " ".join(
                f"{c.title} {c.kind.value.replace('_', ' ')} {c.tech or ''} {c.notes or ''}" for c in design.components
            ),
        }
    )
    context["dives"] = []
    for dive in design.deep_dives:
        ident = anchor(dive.title, taken)
        context["dives"].append({"title": dive.title, "text": dive.text, "anchor": ident})
        entries.append({"title": design.title, "section": dive.title, "url": f"{url}#{ident}", "text": dive.text})
    extra = [f"{t.choice} {t.instead_of or ''} {' '.join(t.pros)} {' '.join(t.cons)}" for t in design.tradeoffs]
    extra += [f"{f.failure} {f.impact} {f.mitigation}" for f in design.failure_modes]
    extra += list(design.next_scale)
    if extra:
        entries.append(
            {"title": design.title, "section": "Trade-offs and failure modes", "url": url, "text": " ".join(extra)}
        )
    if page.practice is not None:  # the questions only: a search never shows an answer
        practice = page.practice
        words = [f"Practice exercises on {design.title}: redraw it, order the flow, estimate, kill a box, review."]
        if practice["order"]:
            words += [practice["order"]["flow"], *(item["text"] for item in practice["order"]["shuffled"])]
        words += [q["question"] for q in practice["argue"]]
        entries.append(
            {
                "title": f"Practice: {design.title}",
                "section": "",
                "url": practice_url(design.id),
                "text": " ".join(words),
                "kind": "extra",
            }
        )
    return entries
