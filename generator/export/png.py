"""PNG export: the final SVG rasterized by resvg at 2x, so the picture matches the SVG; large diagrams capped."""

from __future__ import annotations

import re

from generator.themes import Theme

__all__ = ["MAX_PIXELS", "render_png"]

MAX_PIXELS = 16_000_000
"""Largest PNG written, in pixels (about 16 megapixels); bigger diagrams are scaled down, never cropped."""

_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


def scale_for(width: float, height: float, *, scale: float, max_pixels: int) -> float:
    """The zoom to use: ``scale``, reduced so the image stays within ``max_pixels``.

    >>> scale_for(100, 100, scale=2, max_pixels=16_000_000)
    2.0
    >>> round(scale_for(8000, 4000, scale=2, max_pixels=16_000_000), 3)
    0.707
    """
    if width <= 0 or height <= 0:
        return scale
    limit = (max_pixels / (width * height)) ** 0.5
    return float(min(scale, limit))


def render_png(svg: str, theme: Theme, *, scale: float = 2.0, max_pixels: int = MAX_PIXELS) -> bytes:
    """Rasterize an SVG produced by :func:`generator.export.svg.render_svg`.

    resvg ignores ``@font-face``, so the font files are handed to it; system fonts stay available as the fallback
    for characters the handwriting font lacks.
    """
    import resvg_py

    from generator.fonts import font_path

    match = _SIZE.search(svg)
    width, height = (float(match[1]), float(match[2])) if match else (0.0, 0.0)
    zoom = scale_for(width, height, scale=scale, max_pixels=max_pixels)
    fonts = [str(font_path("regular")), str(font_path("bold"))]
    data = resvg_py.svg_to_bytes(
        svg_string=svg,
        font_files=fonts,
        zoom=zoom,
        dpi=72.0,
        font_family=theme.font_family,
        sans_serif_family="DejaVu Sans",
        shape_rendering="geometric_precision",
        text_rendering="optimize_legibility",
    )
    return bytes(data)
