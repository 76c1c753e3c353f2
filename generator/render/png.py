"""PNG export: the final SVG rasterized by resvg at 2x, so the picture matches the SVG; large diagrams capped.

resvg-py is pinned to 0.3.1 (resvg 0.46). Its pixels are identical to those of 0.5 (resvg 0.48) on every diagram of
the course, but it writes the PNG with the fast deflate of the ``png`` crate: rasterizing the course takes 8.7 s of
CPU instead of 23.4 s, for files about twice as large. ``make bench`` and the README give the measurements.
"""

from __future__ import annotations

import math
import re

from generator.layout.text import font_path
from generator.render.fonts import raster_fonts
from generator.render.themes import Theme

__all__ = ["MAX_PIXELS", "PALETTE_COLOURS", "palette_png", "render_png"]

MAX_PIXELS = 16_000_000
"""Largest PNG written, in pixels (about 16 megapixels); bigger diagrams are scaled down, never cropped."""

_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')
_BEYOND_SYMBOLS = re.compile("[\u2000-\U0010ffff]")
"""A character the pictograph font may be needed for (it keeps only those from U+2000 up)."""


def scale_for(width: float, height: float, *, scale: float, max_pixels: int) -> float:
    """The zoom to use: ``scale``, reduced so the image stays within ``max_pixels``.

    >>> scale_for(100, 100, scale=2, max_pixels=16_000_000)
    2.0
    >>> round(scale_for(8000, 4000, scale=2, max_pixels=16_000_000), 3)
    0.707
    >>> z = scale_for(3000, 2000, scale=2, max_pixels=2_000_000)
    >>> math.ceil(3000 * z) * math.ceil(2000 * z) <= 2_000_000
    True
    """
    if width <= 0 or height <= 0:
        return scale
    zoom = float(min(scale, (max_pixels / (width * height)) ** 0.5))
    # The rasterizer rounds each side up to whole pixels: step down until the rounded size fits.
    while zoom > 0 and math.ceil(width * zoom) * math.ceil(height * zoom) > max_pixels:
        zoom *= 0.9995
    return zoom


PALETTE_COLOURS = 32
"""Colours in a palette PNG: a hand-drawn picture on a plain board uses few, and 32 keep its anti-aliased edges."""


def palette_png(png: bytes) -> bytes:
    """The same picture as a 32-colour palette PNG, about a seventh of the size: for output committed to a repository.

    Without dithering, so flat areas stay flat and the bytes depend only on the input. Pillow does the decoding,
    the quantizing (fast octree) and the encoding.
    """
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        quantized = image.convert("RGB").quantize(
            PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    quantized.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def render_png(
    svg: str, theme: Theme, *, scale: float = 2.0, max_pixels: int = MAX_PIXELS, palette: bool = False
) -> bytes:
    """Rasterize an SVG produced by :func:`generator.render.svg.render_svg`.

    resvg ignores ``@font-face``, so the font files are handed to it: Kalam, plus a sans fallback (DejaVu Sans)
    for characters Kalam lacks and for the clean theme. System fonts are skipped whenever that fallback is found,
    so the bytes depend only on these files; without it, system fonts are loaded so text never vanishes.

    Args:
        svg: The SVG document.
        theme: The theme it was drawn in (its font family is resvg's default family).
        scale: Pixels per SVG unit (2 gives a sharp image on high-density screens).
        max_pixels: The most pixels the image may have; larger drawings are scaled down, never cropped.
        palette: Write a 32-colour palette PNG (:func:`palette_png`): about a seventh of the size, a little slower.

    Returns:
        The PNG file's bytes, identical for identical input on any machine with the same fallback font.
    """
    import resvg_py

    match = _SIZE.search(svg)
    width, height = (float(match[1]), float(match[2])) if match else (0.0, 0.0)
    zoom = scale_for(width, height, scale=scale, max_pixels=max_pixels)
    fallback = raster_fonts(pictographs=_BEYOND_SYMBOLS.search(svg) is not None)
    fonts = [str(font_path("regular")), str(font_path("bold")), *(str(p) for p in fallback)]
    # This resvg-py takes whole numbers only: the zoom is given as the output width (the height follows).
    out_width = math.ceil(width * zoom) if width > 0 else None
    data = resvg_py.svg_to_bytes(
        svg_string=svg,
        font_files=fonts,
        skip_system_fonts=bool(fallback),
        dpi=72,
        width=out_width,
        zoom=None if out_width else round(scale),
        font_family=theme.font_family,
        sans_serif_family="DejaVu Sans",
        shape_rendering="geometric_precision",
        text_rendering="optimize_legibility",
    )
    return palette_png(bytes(data)) if palette else bytes(data)
