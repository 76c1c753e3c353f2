"""Panels: some of a design's pictures side by side in one SVG, each under its caption, fitted to a slide."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from support import errors_of, record_of

from generator.build.lint import picture_findings
from generator.build.pipeline import render_design
from generator.plan.views import PanelView
from generator.render.review import review_svg
from generator.render.svg.panel import columns_for

SVG = "{http://www.w3.org/2000/svg}"

DESIGN = """\
title: Cache
components:
  - {id: app, label: App}
  - {id: cache, label: Cache, kind: cache}
  - {id: db, label: Database, kind: sql}
flows:
  - id: hit
    title: A hit
    steps: ["app -> cache: get", "cache -> app: value"]
  - id: miss
    title: A miss
    steps: ["app -> cache: get", "app -> db: read", "app -> cache: set"]
panels:
  - id: both
    title: Hit and miss
    views: [hit, miss]
"""


def test_a_panel_is_planned_as_a_view_of_its_members() -> None:
    panels = [v for v in record_of(DESIGN).views if isinstance(v, PanelView)]
    assert [(p.stem, p.title, p.members) for p in panels] == [("panel-both", "Hit and miss", ("hit", "miss"))]


@pytest.mark.parametrize(
    ("views", "says"),
    [
        ("[hit, mis]", "d.yaml:16:18: error: panel 'both' shows 'mis', which is not a picture of this design"),
        ("[hit, hit]", "d.yaml:16:18: error: panel 'both' shows 'hit' twice"),
        ("[hit, panel-both]", "shows 'panel-both', which is not a picture of this design"),
    ],
)
def test_a_panel_names_pictures_the_design_draws(views: str, says: str) -> None:
    found = errors_of(DESIGN.replace("[hit, miss]", views))
    assert len(found) == 1 and says in found[0], found


def test_an_unknown_picture_gets_a_suggestion() -> None:
    (found,) = errors_of(DESIGN.replace("[hit, miss]", "[hit, mis]"))
    assert "did you mean 'miss'" in found


def test_a_panel_shows_two_to_six_pictures() -> None:
    (found,) = errors_of(DESIGN.replace("[hit, miss]", "[hit]"))
    assert found == "d.yaml:16:12: error: 'views': needs at least 2 entries, not 1"


def test_a_panel_draws_each_member_whole_with_unique_ids() -> None:
    built = render_design(record_of(DESIGN), source="d.yaml", rasterize=False)
    svg = built.files["d/panel-both.svg"].decode()
    root = ET.fromstring(svg)
    members = [m for m in root.iter(SVG + "svg") if m.get("class") == "panel-picture"]
    assert len(members) == 2
    # Each flow shows only its own path: the hit never reaches the database.
    hit, miss = (" ".join(t.text or "" for t in m.iter(SVG + "text")) for m in members)
    assert "Database" not in hit and "Database" in miss
    assert "Hit and miss" in " ".join(t.text or "" for t in root.iter(SVG + "text"))
    ids = Counter(e.get("id") for e in root.iter() if e.get("id"))
    assert not [i for i, n in ids.items() if n > 1]
    # One font subset for all its text.
    assert svg.count("@font-face") == built.files["d/hit.svg"].decode().count("@font-face")
    assert review_svg(svg) == []


def test_the_review_reads_each_member_on_its_own() -> None:
    svg = render_design(record_of(DESIGN), source="d.yaml", rasterize=False).files["d/panel-both.svg"].decode()
    # Move one label of the second picture far from its edge: the review finds it there, named as in the picture.
    moved = re.sub(r'(id="p2-label-1-0" [^>]*data-badge=")[\d.]+', r"\g<1>-900", svg)
    assert moved != svg
    (found,) = review_svg(moved)
    assert found.code == "BP130" and found.message.startswith("the badge of 'app->db:request:miss' sits "), found


def test_lint_places_a_panel_finding_at_the_panel() -> None:
    design = DESIGN.replace("[hit, miss]", "[overview, hit, miss, hit-sequence]\n    columns: 4").replace(
        "id: hit\n", "id: hit\n    sequence: true\n"
    )
    found = [f for f in picture_findings(record_of(design)) if f.message.startswith("panel-both.svg:")]
    assert {f.code for f in found} == {"BP134"}, "four pictures in a row are too wide for a slide"
    assert {f.path for f in found} == {("panels", 0)}


def test_columns_for_prefers_the_largest_panel_within_the_ratio() -> None:
    assert columns_for([(400, 300)] * 6, 50)[0] == 3
    assert columns_for([(300, 900)] * 3, 50)[0] == 3
    assert columns_for([(1600, 300)] * 2, 50)[0] == 1


def test_a_panel_has_one_legend_for_the_lines_and_badges_its_pictures_use() -> None:
    design = DESIGN.replace('"cache -> app: value"', '"cache --> app: value"').replace(
        'steps: ["app -> cache: get", "app -> db: read", "app -> cache: set"]',
        'steps: ["app -> cache: get", {opt: on a miss, steps: ["app -> db: read", "app -> cache: set"]}]',
    )
    svg = render_design(record_of(design), source="d.yaml", rasterize=False).files["d/panel-both.svg"].decode()
    texts = [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]
    assert texts.count("a request") == 1 and texts.count("a reply") == 1
    assert texts.count("a step that may not happen") == 1
    assert "a message sent without waiting" not in texts  # no async line in either picture
    assert review_svg(svg) == []
    # One kind of line and no optional step: nothing to explain, no legend.
    plain = render_design(record_of(DESIGN), source="d.yaml", rasterize=False).files["d/panel-both.svg"].decode()
    assert "a request" not in plain


def test_a_last_row_with_fewer_pictures_is_centred() -> None:
    design = DESIGN.replace("[hit, miss]", "[overview, hit, miss]\n    columns: 2")
    svg = render_design(record_of(design), source="d.yaml", rasterize=False).files["d/panel-both.svg"].decode()
    root = ET.fromstring(svg)
    members = [m for m in root.iter(SVG + "svg") if m.get("class") == "panel-picture"]
    assert len(members) == 3
    middle = [float(m.get("x", 0)) + float(m.get("width", 0)) / 2 for m in members]
    panel_width = float(root.get("viewBox", "0 0 0 0").split()[2])
    assert middle[0] < panel_width / 2 < middle[1], "two pictures side by side in the first row"
    assert abs(middle[2] - panel_width / 2) < 1.0, "the third sits in the middle of the second row, no hole beside it"
