"""SVG writers, one per kind of view, drawing laid-out views with the theme's pen into one self-contained document."""

from __future__ import annotations

from generator.render.svg.architecture import render_svg
from generator.render.svg.chart import render_chart_svg
from generator.render.svg.document import escape
from generator.render.svg.panel import render_panel
from generator.render.svg.ring import render_ring
from generator.render.svg.sequence import render_sequence
from generator.render.svg.timeline import render_timeline, title_room

__all__ = [
    "escape",
    "render_chart_svg",
    "render_panel",
    "render_ring",
    "render_sequence",
    "render_svg",
    "render_timeline",
    "title_room",
]
