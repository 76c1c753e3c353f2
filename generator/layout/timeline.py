"""Time-lines laid out to scale: a time axis with round ticks, lanes of spans, instants and measured intervals, and
windows across every lane, each label placed where it overlaps no other.

The axis is linear: equal times are equal lengths everywhere on the picture. Labels never change where a thing is
drawn; a label that does not fit inside its bar goes beside it, and an item whose label would run into another's
moves down a row in its lane.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.frontend.model import Timeline, TimelineItem
from generator.layout.scene import Box
from generator.layout.slide import MAX_RATIO

__all__ = ["UNIT_NAMES", "Lane", "Mark", "Tick", "TimelineScene", "label_boxes", "layout_timeline", "nice_step"]

UNIT_NAMES = {"ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours"}
"""The axis' caption for each unit."""

_WIDTHS = (980.0, 860.0, 740.0, 620.0, 520.0)
"""The plot widths tried, widest first: the first whose picture is no wider than a slide allows is kept."""


@dataclass(frozen=True)
class Mark:
    """One item placed: its stretch of the axis (``x0 == x1`` for an instant), the line it is drawn on, and its
    label's box (``inside``: the label is drawn inside its bar, or over its interval's line)."""

    item: TimelineItem
    x0: float
    x1: float
    y: float
    label: Box
    inside: bool = False


@dataclass(frozen=True)
class Tick:
    """A labelled tick on the axis."""

    x: float
    text: str


@dataclass(frozen=True)
class Lane:
    """A row of the time-line: its name and its band."""

    name: str
    box: Box


@dataclass(frozen=True)
class TimelineScene:
    """A laid-out time-line, in its own coordinates (the renderer adds the title above)."""

    width: float
    height: float
    font_size: float
    plot: tuple[float, float]
    """The axis' left and right ends."""
    axis_y: float
    ticks: tuple[Tick, ...]
    caption: str
    lanes: tuple[Lane, ...]
    windows: tuple[Mark, ...]
    marks: tuple[Mark, ...]
    band: tuple[float, float]
    """The top and bottom of the lanes: a window's band spans them."""


def nice_step(length: float, most: int = 10) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) giving at most ``most`` steps along ``length``.

    >>> nice_step(45), nice_step(120), nice_step(1.0), nice_step(3600)
    (5.0, 20.0, 0.1, 500.0)
    """
    power = 10.0 ** math.floor(math.log10(length / most)) if length > 0 else 1.0
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = factor * power
        if length / step <= most:
            return step
    return 10.0 * power


def _number(value: float) -> str:
    """A tick's number: no trailing zeros, thousands grouped.

    >>> _number(0.0), _number(2.5), _number(1500.0), _number(-5.0)
    ('0', '2.5', '1,500', '-5')
    """
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def layout_timeline(
    timeline: Timeline,
    measure: Callable[[str, float], float],
    *,
    fs: float,
    title: tuple[float, float] = (0.0, 0.0),
) -> TimelineScene:
    """Lay a time-line out to scale, as wide as reads on a 16:9 slide.

    The widest plot whose whole picture (with its title) is at most ``MAX_RATIO - 0.1`` times as wide as tall is
    kept; if even the narrowest is wider, the lanes get taller (a time-line of one short lane stays a picture, not
    a strip).

    Args:
        timeline: The time-line.
        measure: The width of a text at a font size, as drawn.
        fs: The font size of its labels.
        title: The width and height the title above it takes.
    """
    most = MAX_RATIO - 0.1

    def ratio(scene: TimelineScene) -> float:
        return max(scene.width, title[0]) / (scene.height + title[1])

    scene = None
    for plot_width in _WIDTHS:
        scene = _layout(timeline, measure, fs, plot_width)
        if ratio(scene) <= most:
            return scene
    assert scene is not None
    grow = 1.0
    while ratio(scene) > most and grow < 4.0:
        grow += 0.25
        scene = _layout(timeline, measure, fs, _WIDTHS[-1], grow=grow)
    return scene


def _layout(
    timeline: Timeline, measure: Callable[[str, float], float], fs: float, plot_width: float, *, grow: float = 1.0
) -> TimelineScene:
    first, last = timeline.axis
    names = timeline.lane_order
    named = any(names)
    gutter = (max(measure(name, fs) for name in names) + 28.0) if named else 0.0
    pad = 24.0
    left = pad + gutter + 8.0
    scale = plot_width / (last - first)
    right = left + plot_width

    def x(t: float) -> float:
        return left + (t - first) * scale

    row_h = fs * 2.7 * grow
    text_h = fs * 1.3
    # Windows: their labels over the lanes, packed into as few rows as overlap allows.
    window_items = [item for item in timeline.items if item.shape == "window"]
    window_rows: list[list[tuple[float, float]]] = []
    placed_windows: list[tuple[TimelineItem, float, float, float, int]] = []
    for item in sorted(window_items, key=lambda i: (i.begins, i.ends)):
        x0, x1 = x(item.begins), x(item.ends)
        w = measure(item.label, fs) + 10.0
        cx = min(max((x0 + x1) / 2, left + w / 2), right - w / 2)
        row = _row(window_rows, cx - w / 2, cx + w / 2)
        placed_windows.append((item, x0, x1, cx - w / 2, row))
    top = pad + (len(window_rows) * text_h * 1.25 + 6.0 if window_rows else 0.0)
    windows = tuple(
        Mark(item, x0, x1, top, Box(lx, pad + row * text_h * 1.25, measure(item.label, fs) + 10.0, text_h))
        for item, x0, x1, lx, row in placed_windows
    )
    lanes: list[Lane] = []
    marks: list[Mark] = []
    y = top + 4.0
    for name in names:
        items = sorted(
            (i for i in timeline.items if i.shape != "window" and i.lane == name), key=lambda i: (i.begins, i.ends)
        )
        rows: list[list[tuple[float, float]]] = []
        pending: list[tuple[TimelineItem, float, float, Box, bool, int]] = []
        for item in items:
            x0, x1 = x(item.begins), x(item.ends)
            label, inside = _label_box(item, x0, x1, measure(item.label, fs) + 8.0, text_h, left, right)
            gap = 0.0 if inside else 4.0  # bars holding their labels may touch: one follows the other
            extent = (min(x0, label.x) - gap, max(x1, label.right) + gap)
            row = _row(rows, *extent)
            pending.append((item, x0, x1, label, inside, row))
        count = max(len(rows), 1)
        height = count * row_h + 8.0
        for item, x0, x1, label, inside, row in pending:
            centre = y + 4.0 + row * row_h + row_h / 2
            dy = centre - text_h / 2 if item.shape != "interval" or not inside else centre - text_h - 3.0
            marks.append(Mark(item, x0, x1, centre, Box(label.x, dy, label.w, label.h), inside))
        lanes.append(Lane(name, Box(pad, y, right - pad, height)))
        y += height
    band = (top, y)
    axis_y = y + 10.0
    step = timeline.tick or nice_step(last - first)
    ticks = []
    at = math.ceil(first / step - 1e-9) * step
    while at <= last + 1e-9:
        ticks.append(Tick(x(at), _number(at)))
        at += step
    caption = f"time ({UNIT_NAMES[timeline.unit]})"
    height = axis_y + fs * 1.6 + text_h + pad
    width = max([right + pad + 16.0, left + measure(caption, fs) + pad] + [m.label.right + pad for m in marks])
    return TimelineScene(
        width=width,
        height=height,
        font_size=fs,
        plot=(left, right),
        axis_y=axis_y,
        ticks=tuple(ticks),
        caption=caption,
        lanes=tuple(lanes),
        windows=windows,
        marks=tuple(marks),
        band=band,
    )


def _label_box(
    item: TimelineItem, x0: float, x1: float, w: float, h: float, left: float, right: float
) -> tuple[Box, bool]:
    """Where an item's label goes (its vertical place is set with its row): over an interval's line, inside a bar
    when it fits, else beside the item, on the side with room."""
    pad = 8.0
    if item.shape == "span" and w + pad <= x1 - x0:
        return Box((x0 + x1) / 2 - w / 2, 0.0, w, h), True
    if item.shape == "interval":  # over its line, centred as a dimension is, kept on the plot
        return Box(min(max((x0 + x1) / 2 - w / 2, left), right - w), 0.0, w, h), True
    if x1 + pad + w <= right + 60.0 or x0 - pad - w < left - 8.0:  # the picture widens for it, if it must
        return Box(x1 + pad, 0.0, w, h), False
    return Box(x0 - pad - w, 0.0, w, h), False


def _row(rows: list[list[tuple[float, float]]], start: float, end: float) -> int:
    """The first row where ``start``-``end`` overlaps nothing already there (a new row if none); records it."""
    for index, taken in enumerate(rows):
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            return index
    rows.append([(start, end)])
    return len(rows) - 1


def label_boxes(scene: TimelineScene) -> Sequence[Box]:
    """Every label box of a laid-out time-line (the tests check none overlaps another)."""
    return [mark.label for mark in (*scene.windows, *scene.marks)]
