"""Pictures a teacher puts on a slide unedited: the picture review, slide fitting, alternatives, failures, glyphs."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.pipeline import load_prepared, render_design
from generator.cli import main
from generator.frontend.model import Design
from generator.layout.fit import layout, layout_series, reads_on_slide
from generator.layout.slide import MAX_RATIO, slide_text
from generator.plan.planner import Planner, plan
from generator.plan.views import FlowView, StageView
from generator.render.fonts import fallback_fonts
from generator.render.png import render_png
from generator.render.review import review_svg
from generator.render.themes import get_theme

ROOT = Path(__file__).resolve().parent.parent
WHITEBOARD = get_theme("whiteboard")


# The picture review, on hand-made SVGs in the form the pen writes -------------------------------------------------


def picture(*parts: str, width: int = 800, height: int = 450, text: int = 14) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<g class="nodes"><text x="10" y="10" font-size="{text}">app</text></g>{"".join(parts)}</svg>'
    )


def edge(ident: str, d: str) -> str:
    return f'<g class="edge" id="edge-{ident}"><path d="{d}"/></g>'


def label(ident: str, x: float, y: float, w: float = 80, h: float = 18) -> str:
    r = h * 0.47
    return (
        f'<rect class="label" x="{x}" y="{y}" width="{w}" height="{h}" data-edge="{ident}" data-step="1" '
        f'data-badge="{x + 3 + r} {y + h / 2} {r}"/>'
    )


def frame(name: str, x: float, y: float, w: float, h: float) -> str:
    return f'<g class="group" id="group-{name}"><path d="M{x} {y}h{w}v{h}h-{w}Z"/></g>'


def codes(svg: str, *, slide: bool = True) -> list[str]:
    return [f.code for f in review_svg(svg, slide=slide)]


def test_a_label_beside_its_own_edge_passes() -> None:
    assert codes(picture(edge("a->b", "M0 100L400 100"), label("a->b", 150, 78))) == []


def test_a_label_far_from_its_edge_is_found() -> None:
    assert codes(picture(edge("a->b", "M0 100L400 100"), label("a->b", 150, 20))) == ["BP130"]


def test_a_leader_line_joins_a_far_label_to_its_edge() -> None:
    leader = '<path class="leader" data-edge="a->b" d="M160 38L160 100"/>'
    assert codes(picture(edge("a->b", "M0 100L400 100"), label("a->b", 150, 20), leader)) == []


def test_a_label_nearer_another_edge_is_found() -> None:
    svg = picture(edge("a->b", "M0 100L400 100"), edge("c->d", "M0 120L400 120"), label("a->b", 150, 106))
    assert codes(svg) == ["BP131"]


def test_labels_on_labels_or_on_a_drawing_are_found() -> None:
    svg = picture(
        edge("a->b", "M0 100L400 100"),
        edge("c->d", "M0 130L400 130"),
        label("a->b", 150, 104),
        label("c->d", 160, 110),
        '<g class="node" id="node-x" data-box="0 0 1 1" data-parts="300 90 40 40"></g>',
        label("a->b", 290, 80),
    )
    assert codes(svg).count("BP132") >= 2


def test_small_text_and_a_wide_strip_fail_the_slide_rules_only_when_asked() -> None:
    wide = picture(width=4000, height=600)
    assert codes(wide) == ["BP133", "BP134"]
    assert codes(wide, slide=False) == []
    assert slide_text(4000, 600, 14) < 14 and MAX_RATIO < 4000 / 600


def test_a_label_across_a_frame_and_touching_frames_are_found() -> None:
    svg = picture(
        edge("a->b", "M0 100L400 100"),
        label("a->b", 150, 78),
        frame("left", 100, 50, 100, 200),
        frame("right", 205, 50, 100, 200),
    )
    assert sorted(codes(svg)) == ["BP135", "BP135", "BP136"], "across both frames, which nearly touch"


# Slide fitting --------------------------------------------------------------------------------------------------


def chain(n: int, direction: str = "LR") -> Design:
    ids = [f"c{i}" for i in range(n)]
    return Design.model_validate(
        {
            "id": "chain",
            "title": "A long pipeline",
            "direction": direction,
            "components": [{"id": i, "label": f"stage number {i}", "kind": "service"} for i in ids],
            "flows": [{"id": "f", "steps": [f"{a} -> {b}: hand over" for a, b in itertools.pairwise(ids)]}],
        }
    )


@pytest.mark.dot
def test_a_long_chain_is_wrapped_into_rows_that_read_on_a_slide() -> None:
    view = plan(chain(8))[0]
    scene = layout(view.diagram, WHITEBOARD.ruler)
    assert scene.fit.rows > 1 and not scene.fit.compact, scene.fit
    assert reads_on_slide(scene)
    svg = render_design(chain(8), source="", rasterize=False).files["chain/overview.svg"].decode()
    assert codes(svg) == []


@pytest.mark.dot
def test_the_other_drawings_are_laid_out_at_once_and_chosen_as_one_by_one() -> None:
    """When the author's drawing does not read, Graphviz runs the other ways to draw it in parallel: the choice
    and the scene are those of running them one after another, and each way is laid out once."""
    from generator.layout import fit as fitting
    from generator.layout.graphviz import run_dot

    asked: list[str] = []

    def counted(source: str) -> str:
        asked.append(source)
        return run_dot(source)

    view = plan(chain(8))[0]
    together = layout(view.diagram, WHITEBOARD.ruler, dot=counted)
    assert len(asked) == len(set(asked)) > 2, "each drawing laid out once, several tried"
    assert together == fitting.laid_out(view.diagram, WHITEBOARD.ruler, run_dot, together.fit)
    # A drawing with every step's words read, so those with step numbers only were never laid out.
    assert not together.fit.compact
    numbers_only = {fitting.fitted_source(view.diagram, WHITEBOARD.ruler, o)[1] for o in fitting.FITS if o.compact}
    assert numbers_only and not numbers_only & set(asked)


@pytest.mark.dot
def test_the_stages_of_an_evolution_are_drawn_the_same_way_round() -> None:
    record = load_prepared(ROOT / "designs" / "scaling-from-one-server.yaml")
    stages = [v.diagram for v in record.views if isinstance(v, StageView)]
    scenes = layout_series(stages, WHITEBOARD.ruler)
    assert len({(s.fit.rows, s.fit.turn) for s in scenes}) == 1, [s.fit for s in scenes]


@pytest.mark.dot
def test_lint_pictures_reports_located_picture_findings(tmp_path: Path) -> None:
    comps = [{"id": f"s{i}", "kind": "service", "replicas": 2} for i in range(30)]
    steps = [f"s{i} -> s{(i * 7 + 3) % 30}: call {i}" for i in range(30)]
    path = tmp_path / "dense.yaml"
    path.write_text(
        "title: Dense\ndirection: TB\ncomponents:\n"
        + "".join(f"  - {{id: {c['id']}, kind: service, replicas: 2}}\n" for c in comps)
        + "flows:\n  - id: f\n    steps:\n"
        + "".join(f"      - '{s}'\n" for s in steps),
        encoding="utf-8",
    )
    runner = CliRunner()
    found = runner.invoke(main, ["lint", "--pictures", str(path)])
    pictures = [line for line in found.output.splitlines() if re.search(r"BP13[0-6]", line)]
    assert pictures, found.output
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: warning BP13\d: \S+\.svg: ", p) for p in pictures)
    assert found.exit_code == 0
    assert runner.invoke(main, ["lint", "--pictures", "--strict", str(path)]).exit_code == 1
    assert runner.invoke(main, ["lint", str(path)]).output.count("BP13") == 0, "only with --pictures"
    assert "Text too small on a slide" in runner.invoke(main, ["lint", "--explain", "BP133"]).output


# Alternatives, options, failures, standby ------------------------------------------------------------------------

ALT = {
    "id": "d",
    "title": "D",
    "components": [{"id": i} for i in ("client", "app", "cache", "db")],
    "views": {"flows": ["read"]},
    "flows": [
        {
            "id": "read",
            "take": ["miss"],
            "steps": [
                "client -> app: GET",
                {"alt": [{"when": "hit", "steps": ["app -> cache: get"]}, {"when": "miss", "steps": ["app -> db: q"]}]},
                {"opt": "on a miss", "steps": ["app ~> cache: fill"]},
                "app --> client: 200",
            ],
        }
    ],
}


def test_a_flow_view_shows_the_arm_it_takes_and_fades_the_others() -> None:
    view = next(v for v in plan(Design.model_validate(ALT)) if isinstance(v, FlowView))
    drawn = {e.id: (e.emphasis, [lb.number for lb in e.labels]) for e in view.diagram.edges}
    assert drawn["app->db:request:read"] == ("normal", ["2b"])
    assert drawn["app->cache:request:read:not-taken"] == ("faded", ["2a"])
    assert {n.id: n.emphasis for n in view.diagram.nodes}["cache"] == "normal", "the fill still reaches it"
    optional = [lb for e in view.diagram.edges for lb in e.labels if lb.optional]
    assert [lb.number for lb in optional] == ["3"], "the opt step is marked optional (a hollow badge)"


def test_taking_an_arm_that_is_not_there_is_a_located_error() -> None:
    result = CliRunner().invoke(main, ["validate", str(ROOT / "tests" / "data" / "take-typo.yaml")])
    assert result.exit_code == 1
    assert re.search(r"take-typo\.yaml:\d+:\d+: error: flow 'read' takes the arm 'mis'", result.output)
    assert "did you mean 'miss'?" in result.output


@pytest.mark.dot
def test_optional_steps_get_a_hollow_badge_and_lost_messages_a_cross() -> None:
    data = {**ALT, "flows": [{**ALT["flows"][0], "sequence": True}]}
    data["flows"][0]["steps"] = [*data["flows"][0]["steps"], {"from": "app", "to": "db", "label": "x", "lost": True}]
    built = render_design(Design.model_validate(data), source="", rasterize=False).files
    assert 'class="badge optional"' in built["d/read.svg"].decode()
    sequence = built["d/read-sequence.svg"].decode()
    assert 'class="message lost"' in sequence and 'class="badge optional"' in sequence


@pytest.mark.dot
def test_failed_components_are_crossed_out_in_place_and_standby_is_drawn() -> None:
    record = load_prepared(ROOT / "designs" / "multi-dc-failover.yaml")
    built = render_design(record, source="", rasterize=False).files
    failover = built["multi-dc-failover/stage-2-failover.svg"].decode()
    assert len(re.findall(r'data-failed="true"', failover)) == 3, "region A is crossed out, not removed"
    normal = built["multi-dc-failover/stage-1-normal.svg"].decode()
    assert 'class="standby"' in normal and "MySQL + standby" in normal


def test_a_step_label_longer_than_a_picture_holds_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(
        "title: T\ncomponents: [{id: a}, {id: b}]\nflows:\n  - id: f\n    steps:\n      - 'a -> b: "
        + "word " * 30
        + "'\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert re.search(
        r"long\.yaml:6:9: error: a step label is drawn beside its arrow, so it holds at most 80", result.output
    )


def test_the_sequence_of_a_flow_letters_its_alternatives() -> None:
    from generator.layout.sequence import layout_sequence

    design = Design.model_validate(ALT)
    scene = layout_sequence(design, Planner(design).flows[0], ruler=WHITEBOARD.ruler)
    assert [m.number for m in scene.messages] == ["1", "2a", "2b", "3", "4"]


# Every character drawn -----------------------------------------------------------------------------------------


def glyph_svg(text: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
        '<rect width="120" height="40" fill="#fff"/>'
        f'<text x="10" y="30" font-size="24" font-family="Kalam">{text}</text></svg>'
    )


@pytest.mark.skipif(not any("ymbola" in p.name for p in fallback_fonts()), reason="Symbola is not installed")
def test_emoji_print_as_glyphs_in_pngs_not_as_empty_boxes() -> None:
    rocket, phone = render_png(glyph_svg("🚀"), WHITEBOARD), render_png(glyph_svg("📱"), WHITEBOARD)
    blank = render_png(glyph_svg(""), WHITEBOARD)
    # Missing glyphs would all be drawn as the same empty box: two emoji drawn differently are real glyphs.
    assert rocket != blank and phone != blank and rocket != phone


def test_the_pictograph_font_is_cut_only_when_a_picture_needs_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Cutting Symbola down to its pictographs takes a second or two on a new machine: a picture with no character
    from U+2000 up does not wait for it (and is drawn the same without it)."""
    from generator.render import fonts, png

    if not any("symbola" in path.name.lower() for path in fonts.fallback_fonts()):
        pytest.skip("Symbola is not installed (fonts-symbola): there is nothing to cut")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts.raster_fonts.cache_clear()
    try:
        plain = render_png(glyph_svg("cache hit"), WHITEBOARD)
        assert not list(tmp_path.rglob("pictographs-*.ttf"))
        phone = render_png(glyph_svg("📱"), WHITEBOARD)
        assert list(tmp_path.rglob("pictographs-*.ttf")) and phone != plain
        monkeypatch.setattr(png, "_BEYOND_SYMBOLS", re.compile("."))  # hand it the pictographs all the same
        assert render_png(glyph_svg("cache hit"), WHITEBOARD) == plain
    finally:
        fonts.raster_fonts.cache_clear()


SEQUENCE_WITH_A_LONG_NOTE = """\
title: Notes
components:
  - {id: client, kind: client}
  - {id: server, kind: service}
flows:
  - id: close
    title: Teardown
    sequence: true
    steps:
      - step: "client -> server: FIN"
        note: the side that closes first waits in TIME_WAIT for 2 x MSL (60 s on Linux) so late segments die
      - server --> client: ACK
"""


def test_a_note_wider_than_the_room_left_of_its_arrow_is_drawn_whole() -> None:
    from generator.plan.prepare import read_design

    record, found = read_design(SEQUENCE_WITH_A_LONG_NOTE.encode(), path="d.yaml", default_id="d")
    assert record is not None, found
    svg = render_design(record, source="d.yaml", rasterize=False).files["d/close-sequence.svg"].decode()
    assert [f for f in review_svg(svg) if f.code == "BP137"] == []
    # The review sees a text that starts off the picture: the same note moved left of its edge.
    moved = re.sub(r'<text x="[\d.]+"([^>]*font-style="italic"[^>]*>the side)', r'<text x="12"\1', svg)
    assert moved != svg
    (cut,) = [f for f in review_svg(moved) if f.code == "BP137"]
    assert cut.message == "the text 'the side that closes first waits in TIM…' runs off the picture's edge"


def test_an_edge_in_pieces_holds_the_very_points_drawn_path_traces() -> None:
    """Where a replica count goes is found by tracing only the pieces of lines near it: together, the pieces must
    be the line the labels are placed against, point for point."""
    from generator.build import fingerprint
    from generator.layout.scene import sample_bezier
    from generator.layout.settle import SAMPLE_SPACING, drawn_path, drawn_pieces

    record = load_prepared(fingerprint.PROBES / "url-shortener.yaml")
    dot = fingerprint.Recording(fingerprint.probe_layouts("url-shortener"), fallback=None)
    scene = layout(record.views[0].diagram, WHITEBOARD.ruler, dot=dot)
    assert len(scene.edges) > 5
    for se in scene.edges:
        for ox, oy in ((0.0, 0.0), (12.5, 40.25)):
            pieces = drawn_pieces(se, ox, oy)
            traced = [
                p for _, bezier, pts in pieces for p in (sample_bezier(pts, spacing=SAMPLE_SPACING) if bezier else pts)
            ]
            assert set(traced) == set(drawn_path(se, ox, oy))
            assert all(box.x <= x <= box.right and box.y <= y <= box.bottom for box, _, pts in pieces for x, y in pts)


@pytest.mark.dot
def test_when_no_drawing_reads_one_with_every_label_clear_wins_and_numbers_only_are_packed_tight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A label across a frame or on another label is worse than text a little small; a picture showing step
    numbers only (a practice picture) is tried packed tight too."""
    from generator.layout import fit as fitting

    view = plan(chain(8))[0]
    blanked = tuple(replace(e, labels=tuple(replace(lb, text="") for lb in e.labels)) for e in view.diagram.edges)
    diagram = replace(view.diagram, edges=blanked)
    # Pretend no drawing reads: the tight ones have every label clear but smaller text.
    monkeypatch.setattr(fitting, "slide_score", lambda s: (2, s.fit.compact, 10.0 if s.fit.compact else 20.0))
    assert layout(diagram, WHITEBOARD.ruler).fit.compact
    monkeypatch.setattr(fitting, "slide_score", lambda s: (2, True, 10.0 if s.fit.compact else 20.0))
    assert not layout(diagram, WHITEBOARD.ruler).fit.compact, "then the larger text"
