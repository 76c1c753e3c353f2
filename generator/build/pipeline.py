"""Chains the stages for one design, as d2lib chains d2's: read, prepare once, lay out and draw each view, write up.

This is the only place that knows the whole pipeline; each stage it calls takes data and returns data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import BlueprintError, DesignError, Diagnostic, Location
from generator.frontend.course import Course, CoursePanel
from generator.frontend.hints import slug
from generator.frontend.model import Design
from generator.frontend.vocabulary import THEME_NAMES
from generator.layout.chart import layout_chart
from generator.layout.fit import layout, layout_series, reads_on_slide, slide_score
from generator.layout.graphviz import DotRunner, run_dot
from generator.layout.scene import Scene
from generator.layout.sequence import layout_sequence
from generator.layout.slide import MIN_TEXT, Fit
from generator.layout.timeline import layout_timeline
from generator.plan.outputs import PRACTICE, README, view_files
from generator.plan.prepare import Prepared, prepare, read_design
from generator.plan.views import (
    ChartView,
    DiagramView,
    FlowView,
    PanelView,
    RingView,
    SequenceView,
    StageView,
    ThemeView,
    TimelineView,
    View,
)
from generator.render.png import render_png
from generator.render.review import review_svg
from generator.render.svg import (
    render_chart_svg,
    render_panel,
    render_ring,
    render_sequence,
    render_svg,
    render_timeline,
    title_room,
)
from generator.render.svg.panel import TITLE_HEIGHT, columns_for, sizes_of
from generator.render.themes import Theme, get_theme
from generator.writeup.appendix import APPENDIX, CHEAT_SHEET, GLOSSARY
from generator.writeup.pages import (
    Links,
    cheat_sheet_markdown,
    design_markdown,
    glossary_markdown,
    index_markdown,
    practice_markdown,
)

__all__ = [
    "DEFAULT_THEME",
    "BuiltDesign",
    "compose_panel",
    "course_panel_members",
    "draw_view",
    "fit_view",
    "load_design",
    "load_prepared",
    "parse_design",
    "prepared",
    "rasterize",
    "render_appendix",
    "render_design",
    "render_index",
    "render_writeup",
    "theme_for",
]

DEFAULT_THEME = THEME_NAMES[0]
"""The theme a design is drawn in when neither it nor the command line names one."""


def parse_design(raw: bytes, *, path: str, default_id: str) -> tuple[Design | None, list[Diagnostic]]:
    """Read one design file's bytes with every check a build makes.

    Returns:
        The design, or None, and every diagnostic found.
    """
    record, errors = read_design(raw, path=path, default_id=default_id)
    return (record.design if record is not None else None), errors


def load_prepared(path: Path, *, shown_as: str | None = None) -> Prepared:
    """Read a design file and prepare it.

    Raises:
        DesignError: The file cannot be read or is invalid; the error lists every located diagnostic.
    """
    shown = shown_as or path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError([Diagnostic(Location(shown), f"cannot read the file: {exc.strerror}")]) from None
    record, errors = read_design(raw, path=shown, default_id=slug(path.stem))
    if record is None:
        raise DesignError(errors)
    return record


def load_design(path: Path, *, shown_as: str | None = None) -> Design:
    """Read a design file and validate it (see :func:`load_prepared`)."""
    return load_prepared(path, shown_as=shown_as).design


def prepared(design: Design | Prepared) -> Prepared:
    """A design's prepared record (prepared now when given a bare design, with no source map to locate errors).

    Raises:
        DesignError: Two views of the design would write the same file, or its estimates cannot be used.
    """
    if isinstance(design, Prepared):
        return design
    record, errors = prepare(design, None)
    if record is None:
        raise DesignError(errors)
    return record


@dataclass
class BuiltDesign:
    """What one design renders to: files relative to the output folder, and the record they came from.

    ``rasters`` lists the PNG files still to make when rendering was asked not to rasterize: each PNG's path,
    mapped to its SVG's path and the theme to draw it in (see :func:`rasterize`).
    """

    prepared: Prepared
    source: str
    files: dict[str, bytes] = field(default_factory=dict)
    rasters: dict[str, tuple[str, str]] = field(default_factory=dict)
    palette: bool = False
    """Its PNGs are palette PNGs (the course file asks for them: ``png = "palette"``)."""

    @property
    def design(self) -> Design:
        """The design."""
        return self.prepared.design

    @property
    def views(self) -> tuple[View, ...]:
        """Its views, in write-up order."""
        return self.prepared.views


def theme_for(design: Design, override: str | None) -> str:
    """The theme to draw a design in: the command line's, else the design's, else the default.

    >>> d = Design.model_validate({"id": "x", "title": "T", "components": [{"id": "a"}], "theme": "clean"})
    >>> theme_for(d, None), theme_for(d, "blackboard")
    ('clean', 'blackboard')
    """
    return override or design.theme or DEFAULT_THEME


def draw_view(record: Prepared, view: View, pen: Theme, *, dot: DotRunner = run_dot, fit: Fit | None = None) -> str:
    """Lay one view out and draw it as SVG, with the pen's ruler and colours (``dot`` runs Graphviz).

    ``fit`` says how to fit an architecture view to a slide (None chooses; see
    :func:`generator.layout.architecture.layout`).

    Raises:
        MissingToolError: Graphviz is not installed (every view but sequences and the ring needs it).
        BlueprintError: Graphviz failed.
    """
    if isinstance(view, SequenceView):
        scene = layout_sequence(record.design, view.flow, ruler=pen.ruler)
        return render_sequence(scene, pen, title=view.title, description=view.description)
    if isinstance(view, ChartView):
        laid = layout_chart(view.chart, pen.ruler, dot=dot)
        return render_chart_svg(laid, pen, title=view.title, description=view.description)
    if isinstance(view, RingView):
        return render_ring(pen, title=view.title)[0]
    if isinstance(view, TimelineView):
        room = title_room(pen, view.title)
        drawn = layout_timeline(view.timeline, pen.ruler.drawn_width, fs=pen.font_size, title=room)
        return render_timeline(drawn, pen, title=view.title, description=view.description)
    assert isinstance(view, DiagramView), type(view)
    return render_svg(fit_view(view, pen, dot=dot, fit=fit), pen, title=view.title, description=view.description)


def draw_panel(record: Prepared, panel: PanelView, pen: Theme, *, dot: DotRunner = run_dot) -> str:
    """A panel: its pictures drawn small (a flow shows only its own path) and set side by side."""
    views = {view.stem: view for view in record.views}
    members = [(record, views[stem]) for stem in panel.members]
    return compose_panel(members, pen, title=panel.title, description=panel.description, columns=panel.columns, dot=dot)


def compose_panel(
    members: Sequence[tuple[Prepared, View]],
    pen: Theme,
    *,
    title: str,
    description: str,
    columns: int | None,
    dot: DotRunner = run_dot,
) -> str:
    """Pictures of one design or of several, drawn small (a flow shows only its own path) and set side by side under
    one title, over one legend for the kinds of line and badge they use."""
    others = {
        n: draw_view(record, m, pen, dot=dot) for n, (record, m) in enumerate(members) if not isinstance(m, FlowView)
    }
    shapes = (Fit(), Fit(turn=True))
    flows = {
        n: [layout(m.diagram.focused(), pen.ruler, dot=dot, fit=shape) for shape in shapes]
        for n, (_, m) in enumerate(members)
        if isinstance(m, FlowView)
    }
    drawn = [
        m.diagram.focused() if isinstance(m, FlowView) else m.diagram for _, m in members if isinstance(m, DiagramView)
    ]
    edges = [edge for diagram in drawn for edge in diagram.edges if edge.emphasis == "normal"]
    hops = sorted({edge.hop for edge in edges})
    optional = any(label.optional for edge in edges for label in edge.labels)
    best: tuple[tuple[int, float], str] | None = None
    # The flows of a panel are drawn alike (the same way round) so they compare. The way kept reads on a slide
    # (the picture review finds nothing), then largest, each label that needs a leader to reach its edge counting
    # as a tenth smaller (in the wedge between two lines a label reads as either's).
    for way in range(len(shapes)):
        pictures = []
        leaders = 0
        for n, (_, member) in enumerate(members):
            if n not in flows:
                pictures.append(others[n])
                continue
            scene = flows[n][way]
            leaders += sum(1 for edge in scene.edges if edge.leader is not None)
            pictures.append(render_svg(scene, pen, title=member.title, description=member.description))
        svg = render_panel(
            pictures, pen, title=title, description=description, columns=columns, hops=hops, optional=optional
        )
        _, scale, _ = columns_for(sizes_of(pictures), pen.title_size * TITLE_HEIGHT)
        score = (-len(review_svg(svg)), scale * 0.9**leaders)
        if best is None or score > best[0]:
            best = (score, svg)
        if not flows:  # nothing is drawn another way round
            break
    assert best is not None
    return best[1]


def fit_view(view: DiagramView, pen: Theme, *, dot: DotRunner = run_dot, fit: Fit | None = None) -> Scene:
    """Lay an architecture view out, fitted to a slide as ``fit`` says (None chooses)."""
    return layout(view.diagram, pen.ruler, dot=dot, fit=fit)


def render_design(
    design: Design | Prepared,
    *,
    source: str,
    theme: str | None = None,
    course: Course | None = None,
    links: Links | None = None,
    rasterize: bool = True,
    dot: DotRunner = run_dot,
) -> BuiltDesign:
    """Render every view of a design and its write-up.

    Args:
        design: The prepared design (or a bare one, prepared here).
        source: The design file's path relative to the output folder's parent, for the write-up's link.
        theme: A theme name overriding the design's own.
        course: The course the design belongs to, for the write-up's lesson and part.
        links: The pages before and after it in the course, linked from its write-up.
        rasterize: Make the PNGs too; when False they are listed in ``rasters`` for the caller to make (a
            parallel build spreads them over its workers).
        dot: What runs Graphviz (a recording, for the goldens and the render fingerprint).
    """
    record = prepared(design)
    chosen = theme_for(record.design, theme)
    built = BuiltDesign(prepared=record, source=source, palette=course is not None and course.png == "palette")
    # The overview, its flows, themes and review are one family: drawn the same way round, so a reader stepping
    # from the overview to a flow sees the same picture. The overview chooses. An evolution's stages are another.
    family: Fit | None = None
    stages = [view for view in record.views if isinstance(view, StageView)]
    series = iter(layout_series([view.diagram for view in stages], get_theme(chosen).ruler, dot=dot))
    for view in record.views:
        pen_name = view.theme or chosen
        pen = get_theme(pen_name)
        if isinstance(view, PanelView):
            svg = draw_panel(record, view, pen, dot=dot)
        elif isinstance(view, StageView):  # laid out above, in order, with the design's pen
            svg = render_svg(next(series), get_theme(chosen), title=view.title, description=view.description)
        elif isinstance(view, DiagramView):
            fit = family if not isinstance(view, FlowView) or family is None else replace(family, compact=False)
            scene = fit_view(view, pen, dot=dot, fit=fit)
            if isinstance(view, (FlowView, ThemeView)) and not reads_on_slide(scene):  # fitted on its own, then
                scene = fit_view(view, pen, dot=dot)
            family = family or scene.fit
            svg = render_svg(scene, pen, title=view.title, description=view.description)
        else:
            svg = draw_view(record, view, pen, dot=dot)
        svg_path, png_path = view_files(record.design.id, view.stem)
        built.files[svg_path] = svg.encode("utf-8")
        if rasterize:
            built.files[png_path] = render_png(svg, pen, palette=built.palette)
        else:
            built.rasters[png_path] = (svg_path, pen_name)
    markdown = design_markdown(record, source=source, course=course, links=links)
    built.files[f"{record.design.id}/{README}"] = markdown.encode("utf-8")
    if record.design.practice.enabled:
        built.files[f"{record.design.id}/{PRACTICE}"] = practice_markdown(record).encode("utf-8")
    if record.practice is not None:
        pen = get_theme(chosen)
        svg = render_svg(_practice_scene(record, pen, family, dot), pen, title=record.practice.title,
                         description=record.practice.description)  # fmt: skip
        svg_path, png_path = view_files(record.design.id, record.practice.stem)
        built.files[svg_path] = svg.encode("utf-8")
        if rasterize:
            built.files[png_path] = render_png(svg, pen, palette=built.palette)
        else:
            built.rasters[png_path] = (svg_path, chosen)
    return built


def _practice_scene(record: Prepared, pen: Theme, family: Fit | None, dot: DotRunner) -> Scene:
    """The blanked overview laid out the way the overview was (wrapped or turned alike, so a learner sees the same
    picture), unless that drawing fails or does not read on a slide; then fitted on its own."""
    assert record.practice is not None
    scene = None
    if family is not None:
        try:
            scene = fit_view(record.practice, pen, dot=dot, fit=family)
        except BlueprintError:  # blanks are narrower than names: a wrapped row may come out of order
            scene = None
    if scene is not None and reads_on_slide(scene):
        return scene
    own = fit_view(record.practice, pen, dot=dot)
    if scene is None:
        return own
    # Neither reads: the one meeting more of the slide's rules, then with every label clear, then with the larger
    # text (up to the least that reads); the overview's shape on a tie.
    ranks = [(met, clear, min(text, MIN_TEXT)) for met, clear, text in map(slide_score, (own, scene))]
    return own if ranks[0] > ranks[1] else scene


def rasterize(svg: bytes, theme: str, palette: bool = False) -> bytes:
    """The PNG of an SVG made by :func:`render_design`, drawn in the named theme (see ``BuiltDesign.rasters``)."""
    return render_png(svg.decode("utf-8"), get_theme(theme), palette=palette)


def render_writeup(
    design: Design | Prepared, *, source: str, course: Course | None = None, links: Links | None = None
) -> str:
    """The Markdown write-up of a design (it links to the views' SVG files beside it, and to its neighbours)."""
    return design_markdown(prepared(design), source=source, course=course, links=links)


def course_panel_members(
    records: Sequence[Prepared], panel: CoursePanel
) -> tuple[list[tuple[Prepared, View]], list[str]]:
    """A course panel's pictures, each with its design's record; and the ``design/picture`` names that are none."""
    by_id = {record.design.id: record for record in records}
    members: list[tuple[Prepared, View]] = []
    missing: list[str] = []
    for name in panel.views:
        ident, _, stem = name.partition("/")
        record = by_id.get(ident)
        view = next((v for v in record.views if v.stem == stem), None) if record is not None else None
        if record is None or view is None:
            missing.append(name)
        else:
            members.append((record, view))
    return members, missing


def render_appendix(
    records: Sequence[Prepared | Design],
    *,
    course: Course | None = None,
    theme: str | None = None,
    dot: DotRunner = run_dot,
) -> dict[str, bytes]:
    """The appendix pages the course file asks for (a numbers cheat-sheet, a glossary) and its panels across
    designs (``appendix/panel-<id>.svg`` and ``.png``; one naming a picture no design draws is left out), by path
    in the output."""
    pages: dict[str, bytes] = {}
    if course is None:
        return pages
    all_records = [prepared(r) for r in records]
    if course.cheat_sheet:
        pages[CHEAT_SHEET] = cheat_sheet_markdown().encode("utf-8")
    if course.glossary:
        pages[GLOSSARY] = glossary_markdown(course, all_records).encode("utf-8")
    pen = get_theme(theme or DEFAULT_THEME)
    for panel in course.panels:
        members, missing = course_panel_members(all_records, panel)
        if missing:
            continue
        titles = ", ".join(f"{view.title} ({record.design.title})" for record, view in members)
        svg = compose_panel(
            members, pen, title=panel.title, description=f"{panel.title}: {titles}.", columns=panel.columns, dot=dot
        )
        pages[f"{APPENDIX}/panel-{panel.id}.svg"] = svg.encode("utf-8")
        pages[f"{APPENDIX}/panel-{panel.id}.png"] = render_png(svg, pen, palette=course.png == "palette")
    return pages


def render_index(records: Sequence[Prepared | Design], *, course: Course | None = None) -> bytes:
    """The output folder's README: every design, grouped by part and lesson as the course file says."""
    return index_markdown([prepared(r) for r in records], course=course).encode("utf-8")
