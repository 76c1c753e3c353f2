"""Time-lines: model, located errors, a layout to scale whose labels never overlap, every theme, the alt text and
the write-up section."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import errors_of, record_of

from generator.build.pipeline import render_design
from generator.frontend.model import Timeline
from generator.layout.timeline import label_boxes, layout_timeline, nice_step
from generator.plan.describe import describe_timeline
from generator.plan.views import TimelineView
from generator.render.review import review_svg
from generator.render.svg import render_timeline, title_room
from generator.render.themes import THEMES, get_theme

PEN = get_theme("whiteboard")
SVG = "{http://www.w3.org/2000/svg}"

DESIGN = """\
title: Limits
components:
  - {id: app, label: App}
timelines:
  - id: fixed
    title: A fixed window at its boundary
    summary: A limit of 5 a minute.
    unit: s
    start: 0
    end: 120
    lanes: [requests, burst]
    items:
      - {label: "window 1", start: 0, end: 60, kind: window, tone: quiet}
      - {label: "window 2", start: 60, end: 120, kind: window, tone: quiet}
      - {label: 5 requests, start: 55, end: 59, lane: requests, tone: good}
      - {label: 5 more, start: 60, end: 64, lane: requests, tone: good}
      - {label: twice the limit, start: 55, end: 64, kind: interval, lane: burst, tone: bad}
      - {label: counters reset, at: 60, lane: requests}
"""


def timeline(data: dict[str, Any]) -> Timeline:
    return Timeline.model_validate({"id": "t", "title": "T", "unit": "min", **data})


def test_a_timeline_is_planned_as_its_own_view() -> None:
    views = [v for v in record_of(DESIGN).views if isinstance(v, TimelineView)]
    assert [(v.stem, v.title) for v in views] == [("timeline-fixed", "A fixed window at its boundary")]


def test_the_axis_is_to_scale() -> None:
    scene = layout_timeline(record_of(DESIGN).design.timelines[0], PEN.ruler.drawn_width, fs=PEN.font_size)
    left, right = scene.plot
    per_second = (right - left) / 120
    ticks = {t.text: t.x for t in scene.ticks}
    assert ticks["0"] == pytest.approx(left) and ticks["120"] == pytest.approx(right)
    for mark in (*scene.marks, *scene.windows):
        assert mark.x0 == pytest.approx(left + mark.item.begins * per_second)
        assert mark.x1 == pytest.approx(left + mark.item.ends * per_second)
    # The boundary burst is the same length on the picture as the nine seconds it lasts.
    (burst,) = [m for m in scene.marks if m.item.shape == "interval"]
    assert burst.x1 - burst.x0 == pytest.approx(9 * per_second)


@pytest.mark.parametrize(("length", "step"), [(45, 5), (120, 20), (1, 0.1), (3600, 500), (20, 2), (7, 1)])
def test_ticks_are_round(length: float, step: float) -> None:
    assert nice_step(length) == pytest.approx(step)
    assert length / nice_step(length) <= 10


def overlaps(a: Any, b: Any) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(0, 20),
            st.sampled_from(["span", "instant", "interval", "window"]),
            st.sampled_from(["a", "b"]),
            st.text("abcdefgh ", min_size=1, max_size=24).map(str.strip).filter(bool),
        ),
        min_size=1,
        max_size=14,
    )
)
def test_labels_never_overlap_and_stay_in_the_picture(raw: list[tuple[int, int, str, str, str]]) -> None:
    items = []
    for start, length, kind, lane, label in raw:
        if kind == "instant":
            items.append({"label": label, "at": start, "lane": lane})
        else:
            items.append({"label": label, "start": start, "end": start + length + 1, "kind": kind, "lane": lane})
    scene = layout_timeline(timeline({"items": items}), PEN.ruler.drawn_width, fs=PEN.font_size)
    boxes = label_boxes(scene)
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.right <= scene.width and a.y >= 0 and a.bottom <= scene.height
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_theme_draws_it_and_it_reads_on_a_slide(theme: str) -> None:
    pen = get_theme(theme)
    data = record_of(DESIGN).design.timelines[0]
    scene = layout_timeline(data, pen.ruler.drawn_width, fs=pen.font_size, title=title_room(pen, data.title))
    svg = render_timeline(scene, pen, title=data.title, description="d")
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter(SVG + "text")]
    for label in ("window 1", "5 requests", "twice the limit", "counters reset", "0", "120", "time (seconds)"):
        assert label in texts, label
    assert len(re.findall(r'class="window"', svg)) == 2
    assert review_svg(svg, slide=True) == []


def test_the_alt_text_reads_it_in_words_earliest_first() -> None:
    text = describe_timeline(record_of(DESIGN).design.timelines[0])
    assert text.startswith("Time-line: A fixed window at its boundary, from 0 s to 120 s. Window 1 from 0 s to 60 s. ")
    assert "Twice the limit (burst) spans 9 s, from 55 s to 64 s." in text
    assert "Counters reset (requests) at 60 s." in text
    assert text.index("5 requests") < text.index("Counters reset") < text.index("5 more")


def test_the_writeup_has_a_section_with_the_picture() -> None:
    built = render_design(record_of(DESIGN), source="d.yaml", rasterize=False)
    page = built.files["d/README.md"].decode()
    assert "## A fixed window at its boundary" in page and "A limit of 5 a minute." in page
    assert "(timeline-fixed.svg)" in page or "(timeline-fixed.png)" in page
    svg = built.files["d/timeline-fixed.svg"].decode()
    assert ">Time-line: A fixed window at its boundary" in svg


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            ("lanes: [requests, burst]", "lanes: [requests]"),
            "d.yaml:17:76: error: time-line 'fixed' has no lane 'burst'",
        ),
        (("lane: burst", "lane: bursts"), "has no lane 'bursts'"),
        (("start: 60, end: 64", "start: 60, end: 140"), "'5 more' is at 140, off the axis of time-line 'fixed'"),
        (("start: 60, end: 64", "start: 64, end: 60"), "'5 more' ends at 60, not after its start 64"),
        (("at: 60", "at: 60, start: 1"), "'counters reset' has both 'at' and 'start'/'end'"),
        (("start: 55, end: 59,", "start: 55,"), "'5 requests' needs both 'start' and 'end'"),
        (("unit: s", "unit: days"), "d.yaml:8:11: error: 'unit': Input should be 'ms', 's', 'min' or 'h'"),
        (
            ("timelines:\n", "timelines:\n  - {id: fixed, title: again, unit: s, items: [{label: x, at: 1}]}\n"),
            "d.yaml:6:9: error: duplicate time-line id 'fixed'",
        ),
    ],
)
def test_mistakes_are_errors_at_their_line(change: tuple[str, str], says: str) -> None:
    found = errors_of(DESIGN.replace(*change))
    assert any(says in f for f in found), found
    assert all(re.match(r"d\.yaml:\d+:\d+: error: ", f) for f in found), found


def test_an_unknown_lane_gets_a_suggestion() -> None:
    found = errors_of(DESIGN.replace("lane: burst", "lane: bursts"))
    assert any("did you mean 'burst'" in f for f in found), found
