"""What a write-up says, as data: the context the Markdown and HTML templates render (they alone add markup).

Nothing here escapes or formats text for a particular output; the templates do that through one filter each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.analysis.lint import RULES
from generator.analysis.worked import worked_example
from generator.frontend.course import Course
from generator.frontend.model import Design, Hop, iter_messages
from generator.plan import outputs
from generator.plan.prepare import Prepared
from generator.plan.steps import NumberedFlow
from generator.plan.views import (
    ChartView,
    FlowView,
    OverviewView,
    PanelView,
    PracticeView,
    ReviewView,
    RingView,
    SequenceView,
    StageView,
    ThemeView,
    TimelineView,
    View,
)

__all__ = [
    "HOP_WORDS",
    "Links",
    "design_context",
    "index_context",
    "narrate",
    "plural",
    "reading_minutes",
    "review_sentences",
]

HOP_WORDS = {
    Hop.request: ("calls", "call"),
    Hop.response: ("answers", "answer"),
    Hop.async_: ("sends asynchronously to", "send asynchronously to"),
    Hop.replication: ("replicates to", "replicate to"),
    Hop.heartbeat: ("sends a heartbeat to", "send a heartbeat to"),
}
"""The verb a narrated step uses for each kind of hop: after one component, after several (``app servers``)."""

_SINGULAR_ENDINGS = ("ss", "us", "is", "ics", "ws")


def plural(name: str) -> bool:
    """Whether a component's name is a plural noun phrase, so its verb agrees: ``app servers call``.

    >>> [plural(n) for n in ("app servers", "load balancer", "GeoDNS", "Redis", "analytics", "read replicas")]
    [True, False, False, False, False, True]
    """
    words = name.split()
    if not words:
        return False
    last = words[-1].strip("()[],.")
    if len(last) < 3 or last[-1].isupper():  # DNS, GeoDNS: an acronym
        return False
    lower = last.lower()
    return lower.endswith("s") and not lower.endswith(_SINGULAR_ENDINGS)


_SEVERITY_WORDS = {"error": "must be fixed", "warning": "worth fixing", "note": "a note"}


def review_sentences(prepared: Prepared) -> list[dict[str, str]]:
    """The review's findings as a learner reads them: the rule's name, what it found in the components' names,
    what to do (the codes stay in ``blueprint lint``)."""
    titles = {c.id: c.title for c in prepared.design.components}
    titles.update({f.id: f.name for f in prepared.design.flows if f.id not in titles})

    def named(text: str) -> str:
        return re.sub(r"'([^']+)'", lambda m: titles.get(m[1], m[0]), text)

    out = []
    for finding in prepared.findings:
        sentence = named(finding.message)
        # what to do, without the way to silence the rule (that is for `blueprint lint` users)
        hint = "; ".join(part.strip() for part in named(finding.hint).split(";") if "suppress" not in part)
        out.append(
            {
                "title": RULES[finding.code].title,
                "severity": _SEVERITY_WORDS.get(finding.severity, finding.severity),
                "text": sentence[:1].upper() + sentence[1:] + ("." if not sentence.endswith(".") else ""),
                "hint": (hint[:1].upper() + hint[1:] + ("." if not hint.endswith(".") else "")) if hint else "",
            }
        )
    return out


def narrate(prepared: Prepared, numbered: NumberedFlow) -> list[dict[str, Any]]:
    """A flow's steps as the write-up narrates them: label (``4`` or ``4a``), who, verb, whom, what travels, the
    fragments it enters (each guard said once, on the first step inside it), note."""
    design = prepared.design
    out = []
    previous: tuple[str, ...] = ()
    for step in numbered.steps:
        shared = 0
        while shared < min(len(previous), len(step.fragments)) and previous[shared] == step.fragments[shared]:
            shared += 1
        out.append(
            {
                "number": step.label,
                "lettered": bool(step.branch),
                "optional": step.optional,
                "src": design.component(step.message.from_).title,
                "verb": HOP_WORDS[step.message.hop][plural(design.component(step.message.from_).title)],
                "dst": design.component(step.message.to).title,
                "label": step.message.label,
                "fragments": list(step.fragments[shared:]),
                "note": step.message.note,
            }
        )
        previous = step.fragments
    return out


def _image(view: View) -> dict[str, str]:
    return {"svg": f"{view.stem}.svg", "png": f"{view.stem}.png", "alt": view.description, "caption": view.caption}


def _section(title: str, *, intro: str = "", images: Sequence[View] = (), **parts: Any) -> dict[str, Any]:
    section: dict[str, Any] = {
        "title": title,
        "intro": intro,
        "images": [_image(v) for v in images],
        "steps": [],
        "lettered": False,
        "stages": [],
        "gallery": [],
        "blocks": [],
        "availability": None,
    }
    section.update(parts)
    return section


@dataclass(frozen=True)
class Links:
    """A page's neighbours in the course's reading order, each as its design's id and title."""

    previous: tuple[str, str] | None = None
    next: tuple[str, str] | None = None
    designs: tuple[str, ...] = ()
    """The ids of the course's designs: where the write-up's text names one with a hyphen in it (as
    ``kafka-internals``), the name links to that design's page."""


def design_context(
    prepared: Prepared, *, source: str, course: Course | None = None, links: Links | None = None
) -> dict[str, Any]:
    """Everything the design templates need, as data.

    Args:
        prepared: The prepared design.
        source: The design file's path relative to the output folder's parent, for the link back to it.
        course: The course the design belongs to, for its lesson and part.
        links: The pages before and after it, linked at its top and bottom with the index.
    """
    design, views = prepared.design, prepared.views
    sections: list[dict[str, Any]] = []
    overviews = [v for v in views if isinstance(v, OverviewView)]
    if overviews:
        sections.append(_section("High-level design", images=overviews))
    for panel in (v for v in views if isinstance(v, PanelView)):  # a comparison reads before its parts
        sections.append(_section(panel.title, images=[panel]))
    for numbered in prepared.flows:
        flow = numbered.flow
        pictures: list[View] = [
            v for v in views if isinstance(v, FlowView | SequenceView) and v.flow.flow.id == flow.id
        ]
        steps = narrate(prepared, numbered)
        lettered = any(step["lettered"] for step in steps)
        sections.append(_section(flow.name, intro=flow.summary, images=pictures, steps=steps, lettered=lettered))
    for chart in design.charts:
        charts: list[View] = [v for v in views if isinstance(v, ChartView) and v.chart.id == chart.id]
        sections.append(_section(chart.title, intro=chart.summary, images=charts))
    for timeline in design.timelines:
        drawn: list[View] = [v for v in views if isinstance(v, TimelineView) and v.timeline.id == timeline.id]
        sections.append(_section(timeline.title, intro=timeline.summary, images=drawn))
    stages = [v for v in views if isinstance(v, StageView)]
    if stages:
        sections.append(
            _section(
                "How the design evolves",
                stages=[
                    {"number": v.number, "title": v.stage.title, "summary": v.stage.summary, **_image(v)}
                    for v in stages
                ],
            )
        )
    themed = [v for v in views if isinstance(v, ThemeView)]
    if themed:
        sections.append(_section("The same design in every theme", gallery=[_image(v) for v in themed]))
    for name in design.examples:
        worked = worked_example(name)
        rings: list[View] = [v for v in views if isinstance(v, RingView) and v.example == name]
        sections.append(_section(worked.title, images=rings, blocks=list(worked.blocks)))
    availability = _availability(prepared)
    if availability is not None:
        sections.append(_section("Availability and latency", availability=availability))
    return {
        "design": design,
        "part": course.part_of(design.lesson) if course else "",
        "lesson_title": course.lessons.get(design.lesson, "") if course and design.lesson is not None else "",
        "sections": sections,
        "estimates": _estimates(prepared),
        "estimates_note": " ".join(prepared.estimates.notes) if prepared.estimates and prepared.estimates.rows else "",
        "review": review_sentences(prepared),
        "review_images": [_image(v) for v in views if isinstance(v, ReviewView)],
        "source": source,
        "source_link": "../../" + source,
        "practice": outputs.PRACTICE if design.practice.enabled else "",
        "links": None
        if links is None
        else {
            "index": f"../{outputs.README}",
            "previous": _link(links.previous),
            "next": _link(links.next),
        },
    }


def _link(page: tuple[str, str] | None) -> dict[str, str] | None:
    """A link to another design's page, beside this one in the output folder."""
    return None if page is None else {"title": page[1], "href": f"../{page[0]}/{outputs.README}"}


def _estimates(prepared: Prepared) -> list[dict[str, str]]:
    report = prepared.estimates
    if report is None:
        return []
    rows = [
        {"name": r.name, "value": r.pretty, "how": "default" if "default" in r.formula else "given"}
        for r in report.inputs
    ]
    rows += [{"name": r.name, "value": r.pretty, "how": r.formula} for r in report.rows]
    rows += [
        {"name": k.replace("_", " "), "value": str(v).lower() if isinstance(v, bool) else str(v), "how": "given"}
        for k, v in report.extras
    ]
    return rows


def _availability(prepared: Prepared) -> dict[str, Any] | None:
    """The availability and latency table's rows and the note under it, or None when no flow has a figure."""
    report = prepared.reliability
    if report is None:
        return None
    names = {c.id: c.title for c in prepared.design.components}
    flows = {numbered.flow.id: numbered.flow for numbered in prepared.flows}
    rows = []
    for figures in report.flows:
        if not figures.components:  # nothing waits on a flow of heartbeats or async steps only
            continue
        name = flows[figures.flow_id].name
        if figures.arms:
            name += f" (worst case: {', '.join(figures.arms)})"
        rows.append(
            {
                "flow": name,
                "tiers": [[names[c] for c in tier] for tier in figures.tiers],
                "availability": figures.pretty_availability,
                "downtime": figures.downtime,
                "latency": f"{figures.latency_ms:g} ms",
                "optional": [names[c] for c in figures.optional],
            }
        )
    if not rows:
        return None
    peers = any(len(tier) > 1 for figures in report.flows for tier in figures.tiers)
    spared = any(row["optional"] for row in rows)
    alternatives = any(figures.arms for figures in report.flows)
    note = (
        "Each component's availability is its kind's default unless the design sets one; replicas and standbys"
        " count in parallel (1 − (1 − a)ⁿ)"
        + (", and so do components declared redundant with each other (∥); the" if peers else ", the")
        + " components a flow passes through in series (the product)."
        + (
            " Where a flow has alternatives, each way through them is weighed and the worst is shown."
            if alternatives
            else ""
        )
        + (" Components a flow survives without (in brackets) are not in series." if spared else "")
        + " These are upper bounds: failures are taken as independent and failover as instant. Downtime is per"
        " year of 365 days. The latency budget adds the synchronous steps' latencies; parallel steps count once,"
        " async steps not at all."
    )
    return {"rows": rows, "note": note}


def index_context(records: Sequence[Prepared], *, course: Course) -> dict[str, Any]:
    """The index template's context: parts, then lessons in order, then each lesson's designs and their views.

    Designs whose lesson no part lists, and designs without a lesson, follow under "More designs".
    """
    ordered = sorted(records, key=lambda r: course.place(r.design.id, r.design.lesson, r.design.title))
    parts: list[dict[str, Any]] = []
    for record in ordered:
        design = record.design
        part = course.part_of(design.lesson) or "More designs"
        if not parts or parts[-1]["title"] != part:
            parts.append({"title": part, "lessons": []})
        lessons = parts[-1]["lessons"]
        if not lessons or lessons[-1]["number"] != design.lesson:
            name = course.lessons.get(design.lesson, "") if design.lesson is not None else ""
            lessons.append({"number": design.lesson, "title": name, "designs": []})
        drawn = [v for v in record.views if not isinstance(v, PracticeView)]  # the practice page links its own
        telling = _telling(drawn)
        thumb = telling.stem if telling else outputs.OVERVIEW
        lessons[-1]["designs"].append(
            {
                "title": design.title,
                "summary": design.summary,
                "minutes": reading_minutes(design),
                "alt": telling.description if telling else record.description,
                "thumb": f"{design.id}/{thumb}.png",
                "readme": f"{design.id}/{outputs.README}",
                "views": [{"title": v.title, "svg": outputs.view_files(design.id, v.stem)[0]} for v in drawn],
                "practice": f"{design.id}/{outputs.PRACTICE}" if design.practice.enabled else "",
            }
        )
    count = sum(1 for r in records for v in r.views if not isinstance(v, PracticeView))
    contents = [
        {
            "number": lesson["number"],
            "title": lesson["title"],
            "designs": [{"title": d["title"], "readme": d["readme"]} for d in lesson["designs"]],
            "minutes": sum(d["minutes"] for d in lesson["designs"]),
        }
        for part in parts
        for lesson in part["lessons"]
    ]
    appendix = [
        *([{"title": "Numbers cheat-sheet", "href": "appendix/cheat-sheet.md"}] if course.cheat_sheet else []),
        *([{"title": "Glossary", "href": "appendix/glossary.md"}] if course.glossary else []),
    ]
    panels = [
        {
            "title": panel.title,
            "svg": f"appendix/panel-{panel.id}.svg",
            "png": f"appendix/panel-{panel.id}.png",
            "alt": f"{panel.title}: " + ", ".join(panel.views) + ".",
        }
        for panel in course.panels
    ]
    return {
        "title": course.title,
        "intro": course.intro,
        "parts": parts,
        "contents": contents,
        "appendix": appendix,
        "panels": panels,
        "designs": len(records),
        "diagrams": count,
    }


_TELLING = (PanelView, OverviewView, FlowView, TimelineView, ChartView)
"""The kinds of picture that tell most about a design at a glance, best first: the index shows the first it has."""


def _telling(views: Sequence[View]) -> View | None:
    """The picture the index shows for a design: a comparison panel, else its overview, else its first flow…"""
    for kind in _TELLING:
        for view in views:
            if isinstance(view, kind):
                return view
    return views[0] if views else None


def reading_minutes(design: Design) -> int:
    """About how long the design's page takes to read, at 200 words a minute (its pictures aside).

    >>> from generator.frontend.model import Design
    >>> reading_minutes(Design.model_validate({"id": "d", "title": "T", "summary": "word " * 450,
    ...     "components": [{"id": "a"}]}))
    3
    """
    words = len(re.findall(r"\w+", " ".join(_page_words(design))))
    return max(1, -(-words // 200))


def _page_words(design: Design) -> list[str]:
    """The texts a reader reads on a design's page."""
    texts = [design.summary, *design.notes, *design.next_scale, *design.sources]
    texts += [f"{s.title} {s.text}" for s in design.deep_dives]
    texts += [f"{f.name} {f.summary} " + " ".join(m.label for m in iter_messages(f.steps)) for f in design.flows]
    for t in design.tradeoffs:
        texts.append(t if isinstance(t, str) else " ".join([t.choice, t.instead_of, *t.pros, *t.cons]))
    texts += [f"{m.failure} {m.impact} {m.mitigation}" for m in design.failure_modes]
    return texts
