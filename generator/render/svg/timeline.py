"""Time-lines drawn with the same pen: bars for spans, marks for instants, measured intervals with arrows at both
ends, windows as shaded bands across every lane, and a time axis with round ticks."""

from __future__ import annotations

from generator.layout.timeline import Mark, TimelineScene
from generator.render.pen import fmt
from generator.render.svg.document import PAD, Doc, document, patch, pen_for, stroke, title_line
from generator.render.themes import Theme

__all__ = ["render_timeline", "title_room"]

_TONES = {"normal": 0, "bad": 1, "good": 2}
"""Each tone's marker slot (quiet is drawn in the muted ink)."""


def _color(theme: Theme, tone: str) -> str:
    return theme.muted if tone == "quiet" else theme.marker(_TONES[tone])


def title_room(theme: Theme, title: str) -> tuple[float, float]:
    """The width and height the title takes above a time-line (its layout keeps the whole picture slide-shaped)."""
    if not title:
        return (0.0, PAD)
    return (theme.ruler.drawn_width(title, theme.title_size) + 2 * PAD, theme.title_size * 2.6)


def render_timeline(scene: TimelineScene, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out time-line (:func:`generator.layout.timeline.layout_timeline`) as a self-contained SVG."""
    doc = Doc(theme)
    fs = scene.font_size
    title_w, title_h = title_room(theme, title)
    width = max(scene.width, title_w)
    ox, oy = (width - scene.width) / 2, title_h
    height = oy + scene.height
    left, right = scene.plot[0] + ox, scene.plot[1] + ox
    top, bottom = scene.band[0] + oy, scene.band[1] + oy
    for window in scene.windows:
        _window(doc, window, ox, oy, top, bottom)
    for index, lane in enumerate(scene.lanes):
        y = lane.box.y + oy
        if index:
            pen = pen_for(theme, f"lane:{lane.name}:{index}")
            line = pen.line((lane.box.x + ox, y), (right + 8, y), double=False)
            doc.layers["groups"].append(stroke(line, theme.muted, 1.0, dash="3 6"))
        if lane.name:
            doc.text(
                lane.box.x + ox, y + lane.box.h / 2 + fs * 0.35, lane.name, size=fs, color=theme.ink, layer="nodes"
            )
    edges = [x + ox for window in scene.windows for x in (window.x0, window.x1)]
    for mark in scene.marks:
        _mark(doc, mark, ox, oy, edges)
    axis_y = scene.axis_y + oy
    pen = pen_for(theme, f"axis:{title}")
    doc.layers["chrome"].append(stroke(pen.line((left - 6, axis_y), (right + 14, axis_y)), theme.ink, theme.stroke))
    doc.layers["chrome"].append(
        stroke(pen.arrowhead((right + 16, axis_y), (right, axis_y), size=9), theme.ink, theme.stroke)
    )
    for tick in scene.ticks:
        tx = tick.x + ox
        doc.layers["chrome"].append(stroke(pen.line((tx, axis_y - 5), (tx, axis_y + 5), double=False), theme.ink, 1.4))
        doc.text(tx, axis_y + fs * 1.45, tick.text, size=fs, color=theme.ink, anchor="middle", layer="chrome")
    doc.text(right + 16, axis_y + fs * 2.9, scene.caption, size=fs, color=theme.muted, anchor="end", layer="chrome")
    if title:
        title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    return document(doc, width, height, title=title, description=description)


def _window(doc: Doc, mark: Mark, ox: float, oy: float, top: float, bottom: float) -> None:
    """A window: a shaded band across every lane, its edges dashed, its label over the lanes."""
    theme = doc.theme
    color = _color(theme, mark.item.tone)
    x0, x1 = mark.x0 + ox, mark.x1 + ox
    doc.layers["groups"].append(
        f'<rect class="window" x="{fmt(x0)}" y="{fmt(top)}" width="{fmt(x1 - x0)}" height="{fmt(bottom - top)}" '
        f'fill="{color}" fill-opacity="0.08"/>'
    )
    pen = pen_for(theme, f"window:{mark.item.label}:{fmt(x0)}")
    for x in (x0, x1):
        line = pen.line((x, top - 4), (x, bottom + 4), double=False)
        doc.layers["groups"].append(stroke(line, color, 1.4, dash="6 5"))
    box = mark.label
    cx = box.x + ox + box.w / 2
    doc.layers["patches"].append(
        patch(theme, box.x + ox, box.y + oy, box.w, box.h, cls="label timeline-label", rx=4, opacity=0.95)
    )
    doc.text(cx, box.y + oy + box.h * 0.74, mark.item.label, size=doc.theme.font_size, color=color, anchor="middle")


def _mark(doc: Doc, mark: Mark, ox: float, oy: float, edges: list[float]) -> None:
    """A span's bar, an instant's mark or an interval's measured line, and its label (on a patch, unless it sits
    inside its bar with no window's edge running through it)."""
    theme = doc.theme
    fs = theme.font_size
    item = mark.item
    color = _color(theme, item.tone)
    x0, x1, y = mark.x0 + ox, mark.x1 + ox, mark.y + oy
    pen = pen_for(theme, f"timeline:{item.lane}:{item.label}:{fmt(x0)}")
    bar_h = fs * 1.7
    if item.shape == "span":
        corners = [(x0, y - bar_h / 2), (x1, y - bar_h / 2), (x1, y + bar_h / 2), (x0, y + bar_h / 2)]
        if theme.hachure:
            doc.layers["nodes"].append(
                stroke(pen.hachure(corners, gap=theme.hachure_gap, angle=theme.hachure_angle), color, 1.0, opacity=0.5)
            )
        else:
            doc.layers["nodes"].append(
                f'<rect x="{fmt(x0)}" y="{fmt(y - bar_h / 2)}" width="{fmt(x1 - x0)}" height="{fmt(bar_h)}" '
                f'fill="{color}" fill-opacity="{fmt(theme.fill_opacity)}"/>'
            )
        doc.layers["nodes"].append(stroke(pen.rect(x0, y - bar_h / 2, x1 - x0, bar_h), color, theme.stroke))
    elif item.shape == "instant":
        doc.layers["nodes"].append(stroke(pen.line((x0, y - bar_h / 2), (x0, y + bar_h / 2)), color, 2.2))
        doc.layers["nodes"].append(f'<circle cx="{fmt(x0)}" cy="{fmt(y)}" r="5" fill="{color}"/>')
    else:  # an interval: a measured line, arrows at both ends, and short end stops
        line_y = y + (fs * 0.2 if mark.inside else 0.0)
        narrow = x1 - x0 < 30  # too short for two arrowheads inside: they point in from outside, as on a drawing
        reach = 16 if narrow else 0
        doc.layers["edges"].append(stroke(pen.line((x0 - reach, line_y), (x1 + reach, line_y)), color, 1.8))
        for tip, back in ((x0, x0 - 10), (x1, x1 + 10)) if narrow else ((x0, x0 + 10), (x1, x1 - 10)):
            doc.layers["edges"].append(stroke(pen.arrowhead((tip, line_y), (back, line_y), size=8), color, 1.8))
            doc.layers["edges"].append(stroke(pen.line((tip, line_y - 9), (tip, line_y + 9), double=False), color, 1.4))
    box = mark.label
    bx, by = box.x + ox, box.y + oy
    crossed = any(bx <= x <= bx + box.w for x in edges)
    if crossed or not (mark.inside and item.shape == "span"):
        doc.layers["patches"].append(patch(theme, bx, by, box.w, box.h, cls="label timeline-label", rx=4))
    ink = theme.ink if item.tone != "quiet" else theme.muted
    doc.text(bx + box.w / 2, by + box.h * 0.74, item.label, size=fs, color=ink, anchor="middle")
