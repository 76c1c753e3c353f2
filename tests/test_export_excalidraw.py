"""The Excalidraw export: its structure (shapes with bound labels, frames, bound arrows, step badges), hostile
labels, determinism, and the scene loaded and drawn by Excalidraw's own code in Debian's Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, HOSTILE, hostile_design, offline_page, shots

from generator.build.export import export_view
from generator.build.pipeline import load_prepared
from generator.errors import BlueprintError
from generator.export.excalidraw import shape_of
from generator.plan.views import DiagramView

pytestmark = pytest.mark.dot

ROOT = Path(__file__).resolve().parents[1]
URL_SHORTENER = ROOT / "designs" / "url-shortener.yaml"
NODE = ROOT / ".venv" / "node"
BUNDLE = NODE / "excalidraw.js"
ASSETS = NODE / "node_modules" / "@excalidraw" / "excalidraw" / "dist" / "prod"
ORIGIN = "http://excalidraw.test/"
needs_excalidraw = pytest.mark.skipif(
    CHROMIUM is None or not BUNDLE.is_file(),
    reason="Chromium or Excalidraw's bundle is missing (make test installs them: tools/need.sh excalidraw)",
)


def scene_of(text: str) -> dict[str, Any]:
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_components_are_shapes_with_bound_labels_in_frames() -> None:
    record = load_prepared(URL_SHORTENER)
    view = next(v for v in record.views if isinstance(v, DiagramView) and v.stem == "overview")
    scene = scene_of(export_view(URL_SHORTENER, "excalidraw"))
    assert (scene["type"], scene["version"], scene["files"]) == ("excalidraw", 2, {})
    assert scene["source"] and scene["appState"]["viewBackgroundColor"]
    elements = scene["elements"]
    by_id = {e["id"]: e for e in elements}
    assert len(by_id) == len(elements), "ids are unique"
    shapes = {
        e["customData"]["blueprint"]["component"]: e for e in elements if e["type"] != "text" and _meta(e, "component")
    }
    drawn = {n.id for n in view.diagram.nodes}
    assert set(shapes) <= drawn and {"client", "lb", "app", "cache"} <= set(shapes)
    for component, shape in shapes.items():
        kind = shape["customData"]["blueprint"]["kind"]
        assert shape["type"] == shape_of(kind), component
        assert shape["roughness"] == 1 and shape["fillStyle"] == "hachure"
        texts = [b["id"] for b in shape["boundElements"] if b["type"] == "text"]
        assert len(texts) == 1, component
        label = by_id[texts[0]]
        assert label["containerId"] == shape["id"] and label["groupIds"] == shape["groupIds"] != []
        assert label["fontFamily"] == 1
    assert (
        shapes["db"]["type"] == "ellipse" and shapes["lb"]["type"] == "diamond" and shapes["app"]["type"] == "rectangle"
    )
    frames = {e["name"]: e for e in elements if e["type"] == "frame"}
    groups = {c.id: c for c in view.diagram.clusters}
    assert {c.label for c in groups.values() if c.parent is None} == set(frames)
    for node in view.diagram.nodes:
        if node.group is not None and node.id in shapes:
            frame = by_id[shapes[node.id]["frameId"]]
            assert frame["type"] == "frame" and frame["name"] == groups[node.group].label
    assert all(e["fontFamily"] == 1 for e in elements if e["type"] == "text")


def test_arrows_are_bound_to_their_components_in_their_flow_colours() -> None:
    scene = scene_of(export_view(URL_SHORTENER, "excalidraw"))
    elements = scene["elements"]
    by_id = {e["id"]: e for e in elements}
    arrows = [e for e in elements if e["type"] == "arrow" and _meta(e, "edge")]
    assert len(arrows) >= 8
    colours = set()
    for arrow in arrows:
        meta = arrow["customData"]["blueprint"]
        start, end = by_id[arrow["startBinding"]["elementId"]], by_id[arrow["endBinding"]["elementId"]]
        assert _meta(start, "component") == meta["from"] and _meta(end, "component") == meta["to"]
        for binding, shape in ((arrow["startBinding"], start), (arrow["endBinding"], end)):
            assert -1 <= binding["focus"] <= 1 and binding["gap"] > 0
            assert {"type": "arrow", "id": arrow["id"]} in shape["boundElements"]
        assert arrow["points"][0] == [0, 0] and len(arrow["points"]) >= 2
        assert arrow["endArrowhead"] == "arrow" and arrow["roughness"] == 1
        colours.add(arrow["strokeColor"])
        if meta["hop"] == "response":
            assert arrow["strokeStyle"] == "dashed"
    assert {"#1f5fae", "#c8312b"} <= colours, "the write and read flows keep their whiteboard colours"
    numbers = [e["text"] for e in elements if e["type"] == "text" and _meta(e, "step")]
    assert {"1", "2", "4a", "4b"} <= set(numbers)
    steps = " ".join(e["text"] for e in elements if e["type"] == "text")
    assert "POST /api/v1/shorten" in steps and "302 Location" in steps


def test_hostile_labels_stay_json_strings(tmp_path: Path) -> None:
    text = export_view(hostile_design(tmp_path), "excalidraw")
    scene = scene_of(text)
    texts = [e["text"].replace("\n", " ") for e in scene["elements"] if e["type"] == "text"]
    assert texts.count(HOSTILE) == 2, "the component's label and the step's, whole"
    assert 'say "hi" \\ {x} ${y}' in texts and "q & a" in texts
    assert 'tier "one" & <two>' in [e.get("name") for e in scene["elements"]]
    assert '\\"hi\\"' in text, "quotes are escaped by json.dumps"
    assert json.loads(json.dumps(scene)) == scene


def test_the_export_is_deterministic(tmp_path: Path) -> None:
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.excalidraw"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "generator", "export", str(URL_SHORTENER), "--format", "excalidraw"]
        subprocess.run([*command, "--out", str(out)], check=True, env=env, capture_output=True, cwd=ROOT, timeout=120)
        runs.append(out.read_bytes())
    assert runs[0] == runs[1] == export_view(URL_SHORTENER, "excalidraw").encode("utf-8")


def test_sequences_are_not_pictures() -> None:
    with pytest.raises(BlueprintError, match="pictures, not sequence"):
        export_view(URL_SHORTENER, "excalidraw", "read-sequence")
    flow = scene_of(export_view(URL_SHORTENER, "excalidraw", "read"))
    assert any(e["type"] == "arrow" for e in flow["elements"])


def _meta(element: dict[str, Any], key: str) -> Any:
    return element.get("customData", {}).get("blueprint", {}).get(key)


# Excalidraw's own code: the bundle tools/need.sh builds (loadFromBlob, restore, exportToSvg), in Chromium.

_LOAD = """async (text) => {
  const lib = window.ExcalidrawLib;
  const data = await lib.loadFromBlob(new Blob([text], {type: 'application/json'}), null, null);
  const appState = {...data.appState, exportBackground: true};
  const svg = await lib.exportToSvg({elements: data.elements, appState, files: data.files, exportPadding: 16});
  const holder = document.getElementById('out');
  holder.replaceChildren(svg);
  const size = (name) => Math.ceil(parseFloat(svg.getAttribute(name)));
  return {elements: data.elements, background: data.appState.viewBackgroundColor,
          scripts: svg.querySelectorAll('script').length,
          texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
          width: size('width'), height: size('height')};
}"""


@pytest.fixture(scope="module")
def excalidraw() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    index = "<!doctype html><body style='margin:0'><div id=out></div>"
    with offline_page(ORIGIN, index, ASSETS, "font/woff2") as page:  # Excalidraw's fonts, which exportToSvg embeds
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(ORIGIN)
        page.evaluate(f"window.EXCALIDRAW_ASSET_PATH = {json.dumps(ORIGIN)}")
        page.add_script_tag(path=str(BUNDLE))
        assert page.evaluate("typeof window.ExcalidrawLib.loadFromBlob") == "function", errors
        yield page


def load_in_excalidraw(page: Any, text: str, shot: Path | None = None) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(_LOAD, text)
    if shot is not None:
        page.set_viewport_size({"width": result["width"] + 8, "height": result["height"] + 8})
        page.locator("#out svg").screenshot(path=str(shot))
    return result


@needs_excalidraw
@pytest.mark.slow
@pytest.mark.parametrize("name", ["url-shortener", "reference-architecture", "kafka-internals"])
def test_excalidraw_loads_every_element_and_binding(excalidraw: Any, name: str, tmp_path: Path) -> None:
    text = export_view(ROOT / "designs" / f"{name}.yaml", "excalidraw")
    ours = scene_of(text)["elements"]
    shot = shots(tmp_path) / f"{name}.excalidraw.png"
    loaded = load_in_excalidraw(excalidraw, text, shot)
    restored = {e["id"]: e for e in loaded["elements"]}
    assert [e["id"] for e in loaded["elements"]] == [e["id"] for e in ours], "no element lost or renamed"
    for element in ours:
        back = restored[element["id"]]
        assert not back["isDeleted"] and back["type"] == element["type"]
        assert back["boundElements"] == element["boundElements"], "Excalidraw had nothing to repair"
        assert back.get("frameId") == element["frameId"] and back.get("containerId") == element.get("containerId")
        if element["type"] == "arrow" and element["startBinding"] is not None:
            for end in ("startBinding", "endBinding"):
                binding = back[end]
                assert binding is not None and binding["elementId"] == element[end]["elementId"]
                shape = restored[binding["elementId"]]
                assert {"type": "arrow", "id": element["id"]} in shape["boundElements"]
    assert loaded["background"] == scene_of(text)["appState"]["viewBackgroundColor"]
    assert loaded["scripts"] == 0 and shot.stat().st_size > 10_000
    if name == "url-shortener":
        drawn = " ".join(loaded["texts"])
        for label in ("load balancer", "web servers", "POST /api/v1/shorten", "302 Location", "url cache"):
            assert label in drawn, label


@needs_excalidraw
@pytest.mark.slow
def test_excalidraw_draws_hostile_labels_as_text(excalidraw: Any, tmp_path: Path) -> None:
    text = export_view(hostile_design(tmp_path), "excalidraw")
    loaded = load_in_excalidraw(excalidraw, text, shots(tmp_path) / "hostile.excalidraw.png")
    assert loaded["scripts"] == 0, "a label never becomes markup"
    drawn = "".join(loaded["texts"])
    assert "</text><script>" in drawn and 'say "hi"' in drawn and "q & a" in drawn
    assert len(loaded["elements"]) == len(scene_of(text)["elements"])


def test_a_group_name_moved_off_a_line_is_moved_in_the_scene_too() -> None:
    """An inner group's name is a text element: it sits where the SVG draws it, moved right off a line."""
    from generator.build.export import palette_of
    from generator.export.excalidraw import excalidraw_scene
    from generator.layout.scene import Box, Scene, SceneCluster, SceneNode
    from generator.plan import ir
    from generator.render.themes import get_theme

    node = ir.Node("web", "web", "service", group="inner")
    outer, inner = ir.Cluster("outer", "region", "region"), ir.Cluster("inner", "web tier", "tier", parent="outer")
    diagram = ir.Diagram("d", "T", "TB", (node,), (outer, inner), ())

    def texts(shift: float) -> dict[str, Any]:
        scene = Scene(
            diagram=diagram,
            width=400,
            height=300,
            nodes=(SceneNode(node, Box(150, 150, 80, 87), ("web",)),),
            clusters=(
                SceneCluster(outer, Box(10, 10, 380, 280), (18.0, 24.0), 0),
                SceneCluster(inner, Box(40, 60, 300, 200), (48.0, 74.0), 1, shift),
            ),
            edges=(),
            font_size=14.0,
        )
        data = scene_of(excalidraw_scene(scene, palette_of(get_theme("whiteboard"))))
        return next(e for e in data["elements"] if e["type"] == "text" and e["text"] == "web tier")

    assert texts(60.0)["x"] == pytest.approx(texts(0.0)["x"] + 60.0)
