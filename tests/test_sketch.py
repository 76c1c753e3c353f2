"""The pen: seeded, rounded, rough strokes that stay where they are put; crisp geometry at roughness 0."""

from __future__ import annotations

import itertools
import math
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render.pen import (
    LONG_EDGE,
    Pen,
    Point,
    polygon_of_ellipse,
    sample_bezier,
    seeded,
    subpaths,
    wobble_spacing,
)

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def numbers(d: str) -> list[float]:
    """Every point of the path data, absolute (as :func:`subpaths` reads it), as x, y, x, y ..."""
    return [v for chain in strokes(d) for v in chain]


def strokes(d: str) -> list[list[float]]:
    """Each subpath's absolute points, flattened (``x y`` of the start, then of each control and end point)."""
    return [[v for p in chain for v in p] for chain in subpaths(d)]


def drawings(pen: Pen) -> list[str]:
    return [
        pen.line((0, 0), (120, 40)),
        pen.polyline([(0, 0), (50, 10), (80, 90)]),
        pen.rect(10, 10, 100, 60),
        pen.ellipse(50, 50, 80, 40),
        pen.arc(50, 50, 80, 40, 0, math.pi),
        pen.curve([(0, 0), (30, 20), (60, 0), (90, 30)]),
        pen.bezier_path([(0, 0), (40, 0), (60, 50), (100, 50), (140, 50), (160, 0), (200, 0)]),
        pen.hachure([(0, 0), (100, 0), (100, 60), (0, 60)], gap=6),
        pen.arrowhead((100, 100), (0, 100)),
    ]


def test_seeded_generators_are_stable_and_per_element() -> None:
    assert seeded("node:db").random() == seeded("node:db").random()
    assert seeded("node:db").random() != seeded("node:cache").random()
    assert drawings(Pen(seeded("edge:a"))) == drawings(Pen(seeded("edge:a")))
    assert drawings(Pen(seeded("edge:a"))) != drawings(Pen(seeded("edge:b")))


def test_strokes_do_not_depend_on_the_hash_seed() -> None:
    """Seeds come from CRC32 of the id, never Python's per-process ``hash``."""
    code = "from generator.render.pen import Pen, seeded; print(Pen(seeded('node:app')).rect(0, 0, 80, 50))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
    assert outs == {Pen(seeded("node:app")).rect(0, 0, 80, 50) + "\n"}


@pytest.mark.parametrize("roughness", [0.0, 1.0, 2.0])
def test_coordinates_are_rounded_to_tenths(roughness: float) -> None:
    for d in drawings(Pen(seeded("r"), roughness=roughness)):
        assert d
        for value in NUMBER.findall(d):
            assert len(value.partition(".")[2]) <= (2 if "a" in d else 1), value


def test_roughness_zero_draws_exact_geometry() -> None:
    pen = Pen(seeded("crisp"), roughness=0)
    assert pen.line((0, 0), (10.004, 5)) == "M0 0l10 5"
    assert pen.polyline([(0, 0), (5, 5), (10, 0)]) == "M0 0l5 5 5-5"
    assert pen.rect(1, 2, 4, 3) == "M1 2h4v3h-4Z"
    assert pen.ellipse(10, 10, 8, 4) == "M6 10a4 2 0 1 0 8 0a4 2 0 1 0 -8 0Z"
    spline = [(0, 0), (10, 0), (20, 5), (30, 5)]
    assert pen.bezier_path(spline) == "M0 0c10 0 20 5 30 5"
    assert subpaths(pen.bezier_path(spline)) == [spline]
    assert pen.arrowhead((10, 0), (0, 0), size=10).count("M") == 2
    arc = numbers(pen.arc(0, 0, 20, 20, 0, math.pi))
    assert arc[:2] == [10, 0] and arc[-2:] == pytest.approx([-10, 0], abs=0.01)


def test_a_rough_line_is_stroked_twice_near_its_end_points() -> None:
    for key in ("a", "b", "c", "d"):
        d = Pen(seeded(key)).line((0, 0), (100, 0))
        passes = strokes(d)
        assert len(passes) == 2
        for nums in passes:
            assert math.dist(nums[:2], (0, 0)) < 3 and math.dist(nums[-2:], (100, 0)) < 3
            assert max(abs(y) for y in nums[1::2]) < 5, "bowed, not wild"
        assert passes[0] != passes[1]


def test_hachure_stays_inside_the_polygon() -> None:
    triangle: list[Point] = [(0, 0), (120, 0), (0, 90)]
    d = Pen(seeded("h")).hachure(triangle, gap=6, angle=-41)
    lines = strokes(d)
    assert len(lines) > 8
    for nums in lines:
        for x, y in (nums[:2], nums[-2:]):
            assert -3 <= x <= 123 and -3 <= y <= 93
            assert x / 120 + y / 90 <= 1.06, "end points stay within the hypotenuse"


def test_hachure_fills_an_ellipse() -> None:
    d = Pen(seeded("e")).hachure(polygon_of_ellipse(50, 40, 80, 50), gap=5)
    lines = strokes(d)
    assert len(lines) >= 10
    for nums in lines:
        for x, y in (nums[:2], nums[-2:]):
            assert ((x - 50) / 40) ** 2 + ((y - 40) / 25) ** 2 <= 1.15


def test_arrowhead_wings_trail_the_tip() -> None:
    d = Pen(seeded("arrow")).arrowhead((200, 100), (100, 100), size=12)
    passes = strokes(d)
    assert len(passes) == 4, "two wings, each stroked twice"
    for nums in passes:
        start, end = nums[:2], nums[-2:]
        assert math.dist(end, (200, 100)) < 2.5, "every wing ends at the tip"
        assert start[0] < 195 and math.dist(start, (200, 100)) < 16
    wings = {round(p[1] - 100) > 0 for p in passes}
    assert wings == {True, False}, "one wing on each side"


def test_curve_passes_through_its_points() -> None:
    pts: list[Point] = [(0, 0), (30, 20), (60, 0), (90, 30)]
    d = Pen(seeded("c"), roughness=0).curve(pts)
    (chain,) = subpaths(d)
    assert chain[3::3] == pts[1:]


@given(
    st.lists(
        st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
        min_size=4,
        max_size=10,
    ).filter(lambda pts: (len(pts) - 1) % 3 == 0)
)
def test_sampled_splines_keep_their_ends(points: list[Point]) -> None:
    samples = sample_bezier(points, spacing=10)
    assert samples[0] == pytest.approx(points[0])
    assert samples[-1] == pytest.approx(points[-1])


def test_rough_spline_follows_graphviz_points() -> None:
    spline: list[Point] = [(0, 0), (60, 0), (120, 80), (180, 80)]
    d = Pen(seeded("edge:x")).bezier_path(spline)
    samples = sample_bezier(spline, spacing=2)
    for nums in strokes(d):
        for x, y in zip(nums[0::2], nums[1::2], strict=True):
            assert min(math.dist((x, y), s) for s in samples) < 4


@pytest.mark.parametrize("length", [400.0, 1920.0, 8000.0, 30000.0])
def test_an_edge_longer_than_a_slide_is_sampled_more_sparsely_and_still_follows_its_line(length: float) -> None:
    spline: list[Point] = [(0, 0), (length / 3, 40), (2 * length / 3, -40), (length, 0)]
    d = Pen(seeded("edge:long")).bezier_path(spline)
    passes = strokes(d)
    assert len(passes) == 2, "still drawn twice, as a marker does"
    samples = sample_bezier(spline, spacing=2)
    gaps = []
    for nums in passes:
        points = list(zip(nums[0::2], nums[1::2], strict=True))
        ends = points[::3]  # the start, then each cubic's end
        gaps += [math.dist(a, b) for a, b in itertools.pairwise(ends)]
        for p in points:
            assert min(math.dist(p, s) for s in samples) < 6
    spacing = statistics.median(gaps)
    assert spacing == pytest.approx(wobble_spacing(sum(map(math.dist, spline, spline[1:]))), rel=0.15)
    assert 18 * 0.85 < spacing < 54 * 1.15
    if length <= LONG_EDGE:
        assert spacing < 18 * 1.15, "an edge that fits a slide keeps the hand's fine tremor"
    if length >= 8000:
        assert spacing > 30, "a very long edge is not written as thousands of tiny curves"
