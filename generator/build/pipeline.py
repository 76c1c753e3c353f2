"""Chains the stages: bytes to a Design, a Design to its views, views to SVG, PNG and Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DesignError, Diagnostic, Location
from generator.frontend.course import Course
from generator.frontend.load import SourceMap
from generator.frontend.model import Design

__all__ = [
    "DEFAULT_THEME",
    "BuiltDesign",
    "View",
    "load_design",
    "parse_design",
    "rasterize",
    "render_design",
    "render_index",
]

DEFAULT_THEME = "whiteboard"


def parse_design(raw: bytes, *, path: str, default_id: str) -> tuple[Design | None, list[Diagnostic]]:
    """Read, load and validate one design file's bytes.

    Returns:
        The design, or None, and every diagnostic found.
    """
    design, _, errors = parse_with_source(raw, path=path, default_id=default_id)
    return design, errors


def parse_with_source(
    raw: bytes, *, path: str, default_id: str
) -> tuple[Design | None, SourceMap | None, list[Diagnostic]]:
    """Like :func:`parse_design`, also returning the source map that locates every key of the file."""
    from generator.frontend.load import load_text, read_source
    from generator.frontend.validate import validate

    text, errors = read_source(raw, path)
    if text is None:
        return None, None, errors
    loaded, errors = load_text(text, path)
    if loaded is None:
        return None, None, errors
    design, errors = validate(loaded, default_id=default_id)
    return design, loaded.source, errors


def load_design(path: Path, *, shown_as: str | None = None) -> Design:
    """Load and validate a design file.

    Raises:
        DesignError: The file is invalid; the error lists every located diagnostic.
    """
    return load_with_source(path, shown_as=shown_as)[0]


def load_with_source(path: Path, *, shown_as: str | None = None) -> tuple[Design, SourceMap]:
    """Load and validate a design file, keeping its source map.

    Raises:
        DesignError: The file is invalid; the error lists every located diagnostic.
    """
    from generator.frontend.validate import slug

    shown = shown_as or path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError([Diagnostic(Location(shown), f"cannot read the file: {exc.strerror}")]) from None
    design, source, errors = parse_with_source(raw, path=shown, default_id=slug(path.stem))
    if design is None or source is None:
        raise DesignError(errors)
    return design, source


@dataclass(frozen=True)
class View:
    """One picture of a design: its file stem, title, alt text, caption and the write-up section it belongs to."""

    name: str
    title: str
    alt: str
    caption: str = ""
    section: str = ""


@dataclass
class BuiltDesign:
    """What one design renders to: files relative to the output folder, and its views for the index.

    ``rasters`` lists the PNG files still to make when rendering was asked not to rasterize: each PNG's path,
    mapped to its SVG's path and the theme to draw it in (see :func:`rasterize`).
    """

    design: Design
    source: str
    files: dict[str, bytes] = field(default_factory=dict)
    views: list[View] = field(default_factory=list)
    rasters: dict[str, tuple[str, str]] = field(default_factory=dict)


def theme_for(design: Design, override: str | None) -> str:
    """The theme to draw a design in: the command line's, else the design's, else the default.

    >>> from generator.frontend.model import Design
    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a"}], "theme": "clean"})
    >>> theme_for(d, None), theme_for(d, "blackboard")
    ('clean', 'blackboard')
    """
    return override or design.theme or DEFAULT_THEME


def render_design(
    design: Design,
    *,
    source: str,
    theme: str | None = None,
    course: Course | None = None,
    rasterize: bool = True,
) -> BuiltDesign:
    """Render every view of a design and its write-up.

    Args:
        design: The validated design.
        source: The design file's path relative to the output folder's parent, for the write-up's link.
        theme: A theme name overriding the design's own.
        course: The course the design belongs to, for the write-up's lesson and part.
        rasterize: Make the PNGs too; when False they are listed in ``rasters`` for the caller to make (a
            parallel build spreads them over its workers).
    """
    from generator.layout.architecture import layout
    from generator.plan import views as views_mod
    from generator.render.png import render_png
    from generator.render.svg import render_svg
    from generator.render.themes import get_theme

    chosen_name = theme_for(design, theme)
    chosen = get_theme(chosen_name)
    built = BuiltDesign(design=design, source=source)
    for view in views_mod.plan(design):
        pen_name = view.theme or chosen_name
        pen = get_theme(view.theme) if view.theme else chosen
        description = view.diagram.description
        if view.kind == "sequence" and view.flow is not None:
            from generator.layout.sequence import layout_sequence
            from generator.render.svg import render_sequence

            seq = layout_sequence(design, view.flow, ruler=pen.ruler)
            svg = render_sequence(seq, pen, title=view.title, description=description)
        elif view.kind == "chart" and view.chart is not None:
            from generator.layout.chart import layout_chart
            from generator.render.svg import render_chart_svg

            laid = layout_chart(view.chart, pen.ruler)
            svg = render_chart_svg(laid, pen, title=view.title, description=description)
        elif view.kind == "ring":
            from generator.render.svg import render_ring

            svg, description = render_ring(pen, title=view.title)
        else:
            scene = layout(view.diagram, pen.ruler)
            svg = render_svg(scene, pen, title=view.title, description=description)
        svg_path, png_path = f"{design.id}/{view.name}.svg", f"{design.id}/{view.name}.png"
        built.files[svg_path] = svg.encode("utf-8")
        if rasterize:
            built.files[png_path] = render_png(svg, pen)
        else:
            built.rasters[png_path] = (svg_path, pen_name)
        built.views.append(View(view.name, view.title, description, view.caption, view.section))
    built.files[f"{design.id}/README.md"] = render_writeup(design, source=source, course=course).encode("utf-8")
    return built


def rasterize(svg: bytes, theme: str) -> bytes:
    """The PNG of an SVG made by :func:`render_design`, drawn in the named theme (see ``BuiltDesign.rasters``)."""
    from generator.render.png import render_png
    from generator.render.themes import get_theme

    return render_png(svg.decode("utf-8"), get_theme(theme))


def render_writeup(design: Design, *, source: str, course: Course | None = None) -> str:
    """The Markdown write-up of a design (it links to the views' SVG files beside it)."""
    from generator.plan import views as views_mod
    from generator.writeup.markdown import render_template

    views = [View(v.name, v.title, v.diagram.description, v.caption, v.section) for v in views_mod.plan(design)]
    return render_template("design.md.j2", views_mod.writeup_context(design, views, source=source, course=course))


def render_index(designs: Sequence[Design], *, course: Course | None = None) -> bytes:
    """The output folder's README: every design, grouped by part and lesson as the course file says."""
    from generator.frontend.course import Course
    from generator.plan.views import index_context
    from generator.writeup.markdown import render_template

    return render_template("index.md.j2", index_context(designs, course=course or Course())).encode("utf-8")
