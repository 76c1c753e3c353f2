"""The draw.io export: its structure (containers, relative positions, styles per kind, edges with numbered
labels), hostile labels, determinism, and the file decoded and drawn by the mxGraph library in Chromium."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, HOSTILE, hostile_design, offline_page, shots

from generator.build.export import export_view
from generator.build.pipeline import fit_view, load_prepared, theme_for
from generator.errors import BlueprintError
from generator.export import stable_id
from generator.layout.anatomy import icon_box
from generator.plan.views import DiagramView
from generator.render.themes import get_theme

pytestmark = pytest.mark.dot

ROOT = Path(__file__).resolve().parents[1]
URL_SHORTENER = ROOT / "designs" / "url-shortener.yaml"
MXGRAPH = ROOT / ".venv" / "node" / "node_modules" / "mxgraph" / "javascript"
ORIGIN = "http://mxgraph.test/"
needs_mxgraph = pytest.mark.skipif(
    CHROMIUM is None or not (MXGRAPH / "mxClient.min.js").is_file(),
    reason="Chromium or the mxgraph package is missing (make test installs them: tools/need.sh mxgraph)",
)


def cells_of(text: str) -> dict[str, ET.Element]:
    mxfile = ET.fromstring(text)
    assert mxfile.tag == "mxfile"
    root = mxfile.find("diagram/mxGraphModel/root")
    assert root is not None
    cells = {cell.attrib["id"]: cell for cell in root.findall("mxCell")}
    assert len(cells) == len(root.findall("mxCell")), "ids are unique"
    return cells


def styles(cell: ET.Element) -> dict[str, str]:
    return dict(part.split("=", 1) for part in cell.attrib.get("style", "").split(";") if "=" in part)


def geometry(cell: ET.Element) -> tuple[float, float, float, float]:
    g = cell.find("mxGeometry")
    assert g is not None
    return tuple(float(g.attrib.get(k, 0)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def test_groups_are_containers_and_children_sit_relative_to_them() -> None:
    record = load_prepared(URL_SHORTENER)
    view = next(v for v in record.views if isinstance(v, DiagramView) and v.stem == "overview")
    pen = get_theme(theme_for(record.design, None))
    scene = fit_view(view, pen)
    cells = cells_of(export_view(URL_SHORTENER, "drawio"))
    assert cells["0"].attrib == {"id": "0"} and cells["1"].attrib == {"id": "1", "parent": "0"}
    for sc in scene.clusters:
        cell = cells[stable_id("group", sc.cluster.id)]
        assert "container=1" in cell.attrib["style"] and cell.attrib["value"] == sc.cluster.label
    for sn in scene.nodes:
        cell = cells[stable_id("node", sn.node.id)]
        assert cell.attrib["vertex"] == "1"
        x, y, w, h = geometry(cell)
        if sn.node.group is None:
            assert cell.attrib["parent"] == "1"
            ox = oy = 0.0
        else:
            parent = cells[cell.attrib["parent"]]
            assert parent.attrib["id"] == stable_id("group", sn.node.group)
            ox, oy, _, _ = geometry(parent)
        icon = icon_box(sn, scene.font_size)
        assert (round(x + ox, 1), round(y + oy, 1), w, h) == (round(icon.x, 1), round(icon.y, 1), icon.w, icon.h)
        assert cell.attrib["value"].split("\n")[0] == sn.label_lines[0]
    kinds = {sn.node.id: styles(cells[stable_id("node", sn.node.id)]) for sn in scene.nodes}
    assert kinds["db"]["shape"] == "cylinder3" and kinds["cache"]["shape"] == "cylinder3"
    assert kinds["lb"]["shape"] == "rhombus" and kinds["db"]["strokeColor"] == "#1f5fae"


def test_edges_join_their_components_with_numbered_labels_in_flow_colours() -> None:
    cells = cells_of(export_view(URL_SHORTENER, "drawio"))
    edges = [c for c in cells.values() if c.attrib.get("edge") == "1"]
    assert len(edges) >= 8
    for edge in edges:
        assert cells[edge.attrib["source"]].attrib["vertex"] == "1"
        assert cells[edge.attrib["target"]].attrib["vertex"] == "1"
        assert edge.find("mxGeometry[@relative='1']") is not None
    values = [e.attrib["value"] for e in edges]
    assert "1. POST /api/v1/shorten" in values and "6. 302 Location" in values
    colours = {styles(e)["strokeColor"] for e in edges}
    assert {"#1f5fae", "#c8312b"} <= colours
    dashed = [styles(e).get("dashed") for e in edges if e.attrib["value"].startswith("6. 302")]
    assert dashed == ["1"], "a reply is dashed"


def test_hostile_labels_are_escaped_xml_text(tmp_path: Path) -> None:
    text = export_view(hostile_design(tmp_path), "drawio")
    assert "<script>" not in text and "&lt;/text&gt;&lt;script&gt;" in text
    cells = cells_of(text)
    values = [c.attrib.get("value", "").replace("\n", " ") for c in cells.values()]
    assert HOSTILE in values and f"1. {HOSTILE}" in values and 'say "hi" \\ {x} ${y}' in values
    assert 'tier "one" & <two>' in values and "2. q & a" in values
    assert all("html=1" not in c.attrib.get("style", "") for c in cells.values()), "labels are never HTML"


def test_the_export_is_deterministic() -> None:
    assert export_view(URL_SHORTENER, "drawio") == export_view(URL_SHORTENER, "drawio")


def test_sequences_are_not_pictures() -> None:
    with pytest.raises(BlueprintError, match="pictures, not sequence"):
        export_view(URL_SHORTENER, "drawio", "write-sequence")


# The mxGraph library (draw.io's model, codec and renderer) in Chromium.

_PAGE = f"""<!doctype html><html><head>
<script>mxBasePath = '{ORIGIN}src'; mxLoadResources = false; mxLoadStylesheet = false;</script>
<script src="{ORIGIN}mxClient.min.js"></script></head>
<body style="margin:0"><div id="graph" style="position:relative;overflow:hidden"></div></body></html>"""

_LOAD = """(xml) => {
  // draw.io's cylinder3 is its own shape; plain mxGraph draws a cylinder for it here (the others fall back)
  mxCellRenderer.registerShape('cylinder3', mxCylinder);
  const doc = mxUtils.parseXml(xml);
  const node = doc.documentElement.getElementsByTagName('mxGraphModel')[0];
  const container = document.getElementById('graph');
  container.replaceChildren();
  const graph = new mxGraph(container);
  graph.foldingEnabled = false;
  const model = graph.getModel();
  new mxCodec(node.ownerDocument).decode(node, model);
  container.style.background = node.getAttribute('background');
  const bounds = graph.getGraphBounds();
  graph.view.setTranslate(-bounds.x + 16, -bounds.y + 16);
  const t = graph.view.translate;
  const cells = Object.values(model.cells).map(c => {
    const state = graph.view.getState(c);
    const label = state && state.text && state.text.boundingBox;
    return {id: c.id, parent: c.parent ? c.parent.id : null, vertex: !!c.vertex, edge: !!c.edge,
      source: c.source ? c.source.id : null, target: c.target ? c.target.id : null, value: c.value,
      drawn: !!(state && state.shape && state.shape.node),
      label: label ? [label.x - t.x, label.y - t.y, label.width, label.height] : null};
  });
  container.style.width = Math.ceil(bounds.width + 32) + 'px';
  container.style.height = Math.ceil(bounds.height + 32) + 'px';
  return {cells, width: Math.ceil(bounds.width + 32), height: Math.ceil(bounds.height + 32),
          scripts: container.querySelectorAll('script').length, text: container.textContent};
}"""


@pytest.fixture(scope="module")
def mxgraph() -> Iterator[Any]:
    pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with offline_page(ORIGIN, _PAGE, MXGRAPH, "application/javascript") as page:
        page.goto(ORIGIN)
        assert page.evaluate("typeof mxCodec") == "function"
        yield page


def load_in_mxgraph(page: Any, text: str, shot: Path | None = None) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(_LOAD, text)
    if shot is not None:
        page.set_viewport_size({"width": result["width"], "height": result["height"]})
        page.locator("#graph").screenshot(path=str(shot))
    return result


@needs_mxgraph
@pytest.mark.slow
@pytest.mark.parametrize("name", ["url-shortener", "reference-architecture", "kafka-internals"])
def test_mxgraph_decodes_every_cell_parent_and_terminal(mxgraph: Any, name: str, tmp_path: Path) -> None:
    text = export_view(ROOT / "designs" / f"{name}.yaml", "drawio")
    ours = cells_of(text)
    shot = shots(tmp_path) / f"{name}.drawio.png"
    loaded = load_in_mxgraph(mxgraph, text, shot)
    decoded = {c["id"]: c for c in loaded["cells"]}
    assert set(decoded) == set(ours), "no cell lost"
    for cell_id, cell in ours.items():
        back = decoded[cell_id]
        assert back["parent"] == cell.attrib.get("parent")
        assert back["source"] == cell.attrib.get("source") and back["target"] == cell.attrib.get("target")
        assert back["vertex"] == (cell.attrib.get("vertex") == "1") and back["edge"] == (cell.attrib.get("edge") == "1")
        assert (back["value"] or "") == cell.attrib.get("value", "")
        if cell_id not in ("0", "1"):
            assert back["drawn"], f"mxGraph drew {cell_id}"
    assert loaded["scripts"] == 0 and shot.stat().st_size > 10_000


@needs_mxgraph
@pytest.mark.slow
def test_mxgraph_puts_step_labels_where_blueprint_does(mxgraph: Any, tmp_path: Path) -> None:
    record = load_prepared(URL_SHORTENER)
    view = next(v for v in record.views if isinstance(v, DiagramView) and v.stem == "overview")
    scene = fit_view(view, get_theme(theme_for(record.design, None)))
    loaded = load_in_mxgraph(mxgraph, export_view(URL_SHORTENER, "drawio"))
    decoded = {c["id"]: c for c in loaded["cells"]}
    checked = 0
    for se in scene.edges:
        if not se.rows:
            continue
        label = decoded[stable_id("edge", se.edge.id)]["label"]
        assert label is not None, se.edge.id
        x, y, w, h = label
        middle = ((min(r.patch.x for r in se.rows) + max(r.patch.right for r in se.rows)) / 2,
                  (min(r.patch.y for r in se.rows) + max(r.patch.bottom for r in se.rows)) / 2)  # fmt: skip
        assert math.dist((x + w / 2, y + h / 2), middle) < 20, (se.edge.id, label, middle)
        checked += 1
    assert checked >= 8


@needs_mxgraph
@pytest.mark.slow
def test_mxgraph_draws_hostile_labels_as_text(mxgraph: Any, tmp_path: Path) -> None:
    loaded = load_in_mxgraph(
        mxgraph, export_view(hostile_design(tmp_path), "drawio"), shots(tmp_path) / "hostile.drawio.png"
    )
    assert loaded["scripts"] == 0, "a label never becomes markup"
    assert "</text><script>" in loaded["text"] and 'say "hi"' in loaded["text"]
