"""The whiteboard pen: seeded strokes, kind drawings, themes, self-contained SVG, PNG, fonts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.frontend.model import Kind
from generator.layout.architecture import settle
from generator.layout.scene import Box, Scene, SceneCluster, SceneEdge, SceneNode
from generator.layout.text import covered, font_path, fontconfig_file, substitute
from generator.plan import ir
from generator.render.pen import Pen, seeded
from generator.render.png import render_png, scale_for
from generator.render.shapes import DRAWINGS, draw_kind, ink_for
from generator.render.svg import render_svg
from generator.render.themes import THEMES, Theme, get_theme

ROOT = Path(__file__).resolve().parents[1]


def scene(extra: bool = False, label: str = "fetch key range") -> Scene:
    nodes = [
        ir.Node("client", "client", "client"),
        ir.Node("app", "app servers", "service", replicas=3, group="tier"),
        ir.Node("db", "primary", "sql", tech="Postgres"),
    ]
    boxes = [Box(10, 60, 80, 100), Box(220, 60, 90, 100), Box(420, 60, 80, 110)]
    if extra:
        nodes.append(ir.Node("cache", "cache", "cache", tech="Redis"))
        boxes.append(Box(420, 220, 80, 110))
    edges = [
        ir.Edge("client->app:request", "client", "app", "request", (ir.EdgeLabel("1", "GET /", 0),), color=0),
        ir.Edge("app->db:request", "app", "db", "request", (ir.EdgeLabel("2", label, 0),), color=0),
    ]
    diagram = ir.Diagram(
        "d",
        "D",
        "LR",
        tuple(nodes),
        (ir.Cluster("tier", "app tier", "tier"),),
        tuple(edges),
        legend=(ir.LegendEntry(0, "read"), ir.LegendEntry(1, "write")),
    )
    return Scene(
        diagram=diagram,
        width=520,
        height=340 if extra else 200,
        nodes=tuple(SceneNode(n, b, (n.label,)) for n, b in zip(nodes, boxes, strict=True)),
        clusters=(SceneCluster(diagram.clusters[0], Box(200, 40, 130, 140), (240, 50), 0),),
        edges=(
            SceneEdge(edges[0], ((90, 110), (130, 110), (170, 110), (210, 110)), (220, 110), Box(110, 80, 80, 18)),
            SceneEdge(edges[1], ((310, 110), (350, 110), (380, 110), (410, 110)), (420, 110), Box(320, 80, 110, 18)),
        ),
    )


def groups(svg: str, prefix: str) -> dict[str, str]:
    return dict(re.findall(rf'<g class="{prefix}" id="{prefix}-([^"]+)"[^>]*>(.*?)</g>', svg, flags=re.S))


def test_seeded_strokes_are_stable_and_independent() -> None:
    a = Pen(seeded("node:a")).line((0, 0), (100, 0))
    assert a == Pen(seeded("node:a")).line((0, 0), (100, 0))
    assert a != Pen(seeded("node:b")).line((0, 0), (100, 0))
    assert a.count("M") == 2, "a rough line is stroked twice"


def test_roughness_zero_is_crisp() -> None:
    pen = Pen(seeded("x"), roughness=0)
    assert pen.line((0, 0), (10, 5)) == "M0 0l10 5"
    assert pen.rect(0, 0, 4, 2) == "M0 0h4v2h-4Z"


def test_every_kind_has_a_drawing() -> None:
    theme = get_theme("whiteboard")
    assert set(DRAWINGS) == {k.value for k in Kind}
    for kind in Kind:
        parts = draw_kind(kind.value, 0, 0, 64, pen=Pen(seeded(kind.value)), ink=ink_for(theme, kind.value))
        assert parts and all(p.startswith("<") for p in parts), kind


def test_replicas_draw_a_stack() -> None:
    theme = get_theme("whiteboard")
    one = draw_kind("service", 0, 0, 64, pen=Pen(seeded("s")), ink=ink_for(theme, "service"))
    three = draw_kind("service", 0, 0, 64, pen=Pen(seeded("s")), ink=ink_for(theme, "service"), replicas=3)
    five = draw_kind("service", 0, 0, 64, pen=Pen(seeded("s")), ink=ink_for(theme, "service"), replicas=5)
    assert len(three) == 3 * len(one) == len(five)


def test_adding_a_component_leaves_other_elements_unchanged() -> None:
    theme = get_theme("whiteboard")
    before = draw(scene(), theme, title="D", description="d")
    after = draw(scene(extra=True), theme, title="D", description="d")
    for kind in ("node", "edge", "group"):
        old, new = groups(before, kind), groups(after, kind)
        for key, body in old.items():
            assert new[key] == body, f"{kind} {key} changed"
    assert "cache" in groups(after, "node") and "cache" not in groups(before, "node")


@pytest.mark.parametrize("name", THEMES)
def test_each_theme_renders_deterministically(name: str) -> None:
    theme = get_theme(name)
    first = draw(scene(), theme, title="D", description="three boxes")
    assert first == draw(scene(), theme, title="D", description="three boxes")
    assert theme.paper in first


def test_svg_is_self_contained_and_safe() -> None:
    svg = draw(
        scene(label='<script>alert("x")</script> & co'),
        get_theme("whiteboard"),
        title="T <b>",
        description="desc & more",
    )
    assert "<script" not in svg and "foreignObject" not in svg.lower()
    assert "href" not in svg and "file:" not in svg and "/usr/" not in svg and "/root" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.index("<title") < svg.index("<desc") < svg.index("<defs")
    assert '<title id="bp-title">T &lt;b&gt;</title>' in svg
    assert "@font-face" in svg and "data:font/woff2;base64," in svg
    assert len(svg) < 80_000, "the font is subset"


def test_clean_theme_is_crisp() -> None:
    svg = draw(scene(), get_theme("clean"), title="D", description="d")
    assert " C" not in svg.split('<g class="nodes">')[1][:2000]


def _boxes(svg: str) -> tuple[list[Box], list[Box]]:
    labels = [
        Box(*map(float, m))
        for m in re.findall(
            r'<rect class="label" id="[^"]+" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]
    # A component is its drawing and its name (as the picture review reads it): a label may sit in the empty
    # corners of its box.
    nodes = [
        Box(*map(float, part.split()))
        for g in re.findall(r"<g class=\"node[^>]*>", svg)
        for part in (re.findall(r'data-parts="([^"]+)"', g) or re.findall(r'data-box="([^"]+)"', g) or [""])[0].split(
            ";"
        )
        if part
    ]
    return labels, nodes


@pytest.mark.dot
@pytest.mark.parametrize("design", ["url-shortener", "evolution", "two-phase-commit"])
def test_laid_out_labels_never_overlap(design: str) -> None:
    from generator.build.pipeline import load_design
    from generator.layout.fit import layout
    from generator.plan.planner import plan

    d = load_design(ROOT / "generator" / "build" / "probes" / f"{design}.yaml")
    theme = get_theme("whiteboard")
    for view in plan(d):
        if view.kind != "graph":
            continue
        svg = render_svg(layout(view.diagram, theme.ruler), theme, title=view.title, description="")
        labels, nodes = _boxes(svg)
        assert labels
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not a.overlaps(b, margin=1.0), (view.name, a, b)
            for n in nodes:
                assert not a.overlaps(n, margin=1.0), (view.name, a, n)


def test_png_matches_svg_size_and_is_stable() -> None:
    theme = get_theme("whiteboard")
    svg = draw(scene(), theme, title="D", description="d")
    png = render_png(svg, theme)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == 2 * int(re.search(r'width="(\d+)"', svg)[1])  # type: ignore[index]
    assert png == render_png(svg, theme)


def test_png_is_capped() -> None:
    assert scale_for(10_000, 10_000, scale=2, max_pixels=16_000_000) == pytest.approx(0.4)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000" viewBox="0 0 3000 2000">'
        '<rect width="3000" height="2000" fill="#fff"/></svg>'
    )
    png = render_png(svg, get_theme("whiteboard"), max_pixels=1_000_000)
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert w * h <= 1_000_000 and w / h == pytest.approx(1.5, rel=0.01)


def test_font_ships_with_licence_and_covers_ascii() -> None:
    assert font_path().is_file() and font_path("bold").is_file()
    assert "Open Font License" in (font_path().parent / "OFL.txt").read_text()
    assert covered("".join(chr(c) for c in range(32, 127)))
    assert substitute("a → b") == "a -> b"


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_fontconfig_finds_the_font() -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    out = subprocess.run(["fc-match", "Kalam"], capture_output=True, text=True, env=env, check=True).stdout
    assert "Kalam-Regular.ttf" in out


def test_missing_glyphs_fall_back_instead_of_vanishing() -> None:
    theme = get_theme("whiteboard")
    svg = draw(scene(label="日本 → ok"), theme, title="D", description="d")
    assert "日本" in svg and "-&gt; ok" in svg, "look-alikes for the arrow, the rest kept"
    assert "DejaVu Sans" in svg, "a fallback family follows the handwriting font"


def draw(scene: Scene, theme: Theme, **kw: str) -> str:
    """Settle a hand-made scene as the layout stage would, then draw it."""
    return render_svg(settle(scene, theme.ruler), theme, **kw)
