"""The slide a picture must read on, and how a laid-out picture measures against it.

A course picture goes on a 1920x1080 slide, scaled to fit (and never blown up more than twice). Its body text
must then be at least :data:`MIN_TEXT` pixels and it must be no wider than :data:`MAX_RATIO` times its height.
The layout stage uses these rules to choose how to draw a design (see :func:`generator.layout.architecture.layout`)
and the picture review checks them on the drawn SVG (:mod:`generator.render.review`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_RATIO", "MAX_ZOOM", "MIN_TEXT", "SLIDE", "Fit", "slide_text"]

SLIDE = (1920.0, 1080.0)
"""The slide, in pixels."""
MIN_TEXT = 14.0
"""The smallest body text on the slide, in pixels."""
MAX_RATIO = 2.2
"""The widest picture: width over height."""
MAX_ZOOM = 2.0
"""A small picture is enlarged at most this much to fill the slide."""


def slide_text(width: float, height: float, font_size: float) -> float:
    """The size body text of ``font_size`` shows at when a ``width`` x ``height`` picture is fitted to the slide.

    >>> slide_text(1920, 1080, 14), slide_text(3840, 1080, 14), slide_text(100, 100, 14)
    (14.0, 7.0, 28.0)
    """
    if width <= 0 or height <= 0:
        return font_size * MAX_ZOOM
    return font_size * min(SLIDE[0] / width, SLIDE[1] / height, MAX_ZOOM)


@dataclass(frozen=True)
class Fit:
    """How a diagram was fitted to the slide.

    Attributes:
        rows: Wrapped into this many rows (see :mod:`generator.layout.wrap`), because one row was too wide; 1 for
            no wrap.
        turn: Drawn in the other direction (left-to-right turned top-to-bottom, or back) because the author's
            direction made it too wide, or its text too small.
        compact: Its edges show step numbers only (the steps are listed in the write-up and drawn in full on each
            flow's own picture), because with every step written out the picture would not read on a slide.
    """

    rows: int = 1
    turn: bool = False
    compact: bool = False
