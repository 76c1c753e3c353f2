"""How a diagram is fitted to a slide: the ways to draw it, tried in order, and the one that reads chosen.

An overview is drawn as its author wrote it when that reads on a 1920x1080 slide (:mod:`generator.layout.slide`);
otherwise wrapped into rows, turned, or with step numbers only. An evolution's stages share one shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from generator.errors import BlueprintError, MissingToolError
from generator.layout.architecture import fitted_source, laid_out
from generator.layout.graphviz import DotRunner, run_dot
from generator.layout.labels import stuck_labels
from generator.layout.scene import Scene
from generator.layout.slide import MAX_RATIO, MIN_TEXT, Fit, slide_text
from generator.layout.text import Ruler
from generator.layout.wrap import rows
from generator.plan import ir

__all__ = [
    "FITS",
    "SLIDE_EDGES",
    "SLIDE_NODES",
    "layout",
    "layout_series",
    "reads_on_slide",
    "slide_score",
    "slide_sized",
]


FITS = (
    Fit(),
    Fit(rows=2),
    Fit(rows=3),
    Fit(rows=4),
    Fit(turn=True),
    Fit(compact=True),
    Fit(rows=2, compact=True),
    Fit(turn=True, compact=True),
)
"""The ways to draw a diagram, tried in order until one reads on a slide: as the author wrote it, wrapped into
rows (left-to-right designs), turned, then with step numbers only."""


def layout(diagram: ir.Diagram, ruler: Ruler, *, dot: DotRunner = run_dot, fit: Fit | None = None) -> Scene:
    """Lay a diagram out with Graphviz, then settle it: edge ends on the drawings, labels beside their edges.

    Args:
        diagram: What to draw.
        ruler: How its text is measured.
        dot: What runs Graphviz (a recording, in the goldens).
        fit: How to fit it to a slide (see :class:`~generator.layout.slide.Fit`); None chooses: the author's
            drawing when it reads on a slide, else of the others in :data:`FITS` that do (wrapped, turned, step
            numbers only) one with every step's words, with the largest text; else the one that breaks the fewest
            slide rules. The chosen fit is the scene's ``fit``.

    Raises:
        MissingToolError: Graphviz is not installed.
        BlueprintError: Graphviz failed.
    """
    if fit is not None:
        return laid_out(diagram, ruler, dot, fit)
    if not slide_sized(diagram):  # no drawing of it reads on one slide: do not spend time trying others
        return laid_out(diagram, ruler, dot, FITS[0])
    best: tuple[tuple[int, bool, bool, float], Scene] | None = None
    # A diagram showing step numbers only already (a practice picture) still tries the compact drawings: for it
    # they differ only in being packed tighter.
    options = [
        option
        for option in FITS
        if not (option.rows > 1 and (diagram.direction not in ("LR", "RL") or rows(diagram, option.rows) is None))
    ]
    ahead: _Ahead | None = None
    fitted: dict[Fit, tuple[ir.Diagram, str, list[list[str]] | None]] = {}  # the drawings Graphviz lays out ahead
    try:
        for option in options:
            if option.compact and best is not None and best[0][0] == 3 and best[0][2]:
                continue  # step numbers only never beat a drawing that reads with every step's words
            if option != FITS[0] and option not in fitted:
                # The author's drawing does not read: lay out the other drawings with words at once, and those with
                # step numbers only once they are needed.
                ahead = ahead or _Ahead(dot)
                kind = [o for o in options if o != FITS[0] and o.compact == option.compact]
                fitted.update((o, fitted_source(diagram, ruler, o)) for o in kind)
                ahead.start([fitted[o][1] for o in kind])
            try:
                scene = laid_out(diagram, ruler, ahead or dot, option, fitted.get(option))
            except MissingToolError:
                raise
            except BlueprintError:  # some Graphviz versions fail on a wrapped or turned layout: try the next
                if option == FITS[0]:
                    raise
                continue
            met, clear, text = slide_score(scene)
            if met == 3 and option == FITS[0]:
                return scene
            # Of the drawings that read: words before numbers only, then the largest text; else the most rules met,
            # then every label clear (a label across a frame, or on another, is worse than text a little small).
            score = (met, clear, met == 3 and not option.compact, text if met == 3 else min(text, MIN_TEXT))
            if best is None or score > best[0]:
                best = (score, scene)
    finally:
        if ahead is not None:
            ahead.close()
    assert best is not None
    return best[1]


class _Ahead:
    """Graphviz run on several DOT sources at once, in processes of its own, while Python settles the layouts one
    by one (a DotRunner: each source's output is waited for when it is asked for; any other source runs then)."""

    def __init__(self, dot: DotRunner) -> None:
        self.dot = dot
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="blueprint-dot")
        self.runs: dict[str, Future[str]] = {}

    def start(self, sources: Sequence[str]) -> None:
        """Run Graphviz on these sources now, each once."""
        for source in sources:
            if source not in self.runs:
                self.runs[source] = self.pool.submit(self.dot, source)

    def __call__(self, source: str) -> str:
        run = self.runs.get(source)
        return run.result() if run is not None else self.dot(source)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def layout_series(diagrams: Sequence[ir.Diagram], ruler: Ruler, *, dot: DotRunner = run_dot) -> list[Scene]:
    """Lay out a series of pictures shown one after another (an evolution's stages) all the same way round.

    A reader stepping through the stages should not see the drawing turn or wrap between two of them, so the
    series takes the first shape (as written, wrapped, turned) under which every picture reads on a slide, else
    the one under which most do; a picture that still does not read shows step numbers only.
    """
    if not all(slide_sized(diagram) for diagram in diagrams):
        return [laid_out(diagram, ruler, dot, FITS[0]) for diagram in diagrams]
    best: tuple[int, list[Scene]] | None = None
    for shape in [option for option in FITS if not option.compact]:
        try:
            scenes = [_fitted(diagram, ruler, dot, shape) for diagram in diagrams]
        except MissingToolError:
            raise
        except BlueprintError:  # as in layout: the author's drawing must work, the others may fail
            if shape == FITS[0]:
                raise
            continue
        reading = sum(reads_on_slide(scene) for scene in scenes)
        if reading == len(scenes):
            return scenes
        if best is None or reading > best[0]:
            best = (reading, scenes)
    return best[1] if best else []


def _fitted(diagram: ir.Diagram, ruler: Ruler, dot: DotRunner, shape: Fit) -> Scene:
    """The diagram in the series' shape, with step numbers only when that is what makes it read."""
    scene = laid_out(diagram, ruler, dot, shape)
    if reads_on_slide(scene) or not any(label.text for edge in diagram.edges for label in edge.labels):
        return scene
    compact = laid_out(diagram, ruler, dot, replace(shape, compact=True))
    return compact if reads_on_slide(compact) else scene


SLIDE_NODES = 40
"""The most components a picture can have and still read on one slide (the course's densest has 24); a bigger
design is drawn as written, at once, and ``lint --pictures`` says it does not fit."""

SLIDE_EDGES = 80
"""The most edges such a picture can have."""


def slide_sized(diagram: ir.Diagram) -> bool:
    """Whether a diagram is small enough that another drawing of it could read on a slide."""
    shown = [e for e in diagram.edges if e.emphasis != "hidden"]
    return len(diagram.nodes) <= SLIDE_NODES and len(shown) <= SLIDE_EDGES


def reads_on_slide(scene: Scene) -> bool:
    """Whether a laid-out diagram will read on a slide: text large enough, not too wide, and every label placed
    clear of the group frames."""
    return slide_score(scene)[0] == 3


def slide_score(scene: Scene) -> tuple[int, bool, float]:
    """How many of the three slide rules a laid-out diagram meets (text large enough, not too wide, every label
    clear of the group frames), whether the last is met, and its body text's size on the slide."""
    text, ratio = _on_slide(scene)
    clear = not stuck_labels(scene.edges, [c.box for c in scene.clusters])
    return (text >= MIN_TEXT) + (ratio <= MAX_RATIO) + clear, clear, text


def _on_slide(scene: Scene) -> tuple[float, float]:
    """A scene's body text size on the slide and its width over height, with room for the title and legend."""
    fs = scene.font_size
    width = scene.width + 48.0
    height = scene.height + fs * (6.0 if scene.diagram.legend else 3.6) + 24.0
    return slide_text(width, height, fs), width / height
