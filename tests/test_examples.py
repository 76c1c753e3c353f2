"""Worked examples: pin the published figures with sensible tolerances, and prove every run is repeatable."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from generator.analysis.examples import cachesim, hashing, quorum, ratelimit

# --- consistent hashing -----------------------------------------------------------------------------------------


def test_growing_4_to_5_nodes_moves_80_percent_under_modulo_and_20_on_a_ring() -> None:
    result = hashing.rehash(before=4, after=5, keys=100_000, vnodes=200)
    assert result.modulo_expected == pytest.approx(0.8)
    assert result.modulo_moved == pytest.approx(0.8, abs=0.01)
    assert result.ring_expected == pytest.approx(0.2)  # 1 / (N + 1)
    assert result.ring_moved == pytest.approx(0.2, abs=0.02)
    assert result.ring_moves_only_to_new_nodes


def test_load_spread_one_point_against_200_virtual_nodes() -> None:
    one = hashing.load_spread(nodes=10, vnodes=1)
    many = hashing.load_spread(nodes=10, vnodes=200)
    assert 60 <= one.std_pct <= 110  # "about 60-110%"
    assert many.std_pct == pytest.approx(7, abs=1.5)  # "about 7%"
    assert many.expected_std_pct == pytest.approx(6.7, abs=0.1)
    assert one.max_pct > 2 * many.max_pct > 200
    assert sum(many.shares) == pytest.approx(1.0)


def test_ring_layout_for_a_diagram() -> None:
    layout = hashing.ring_layout(("s0", "s1", "s2", "s3"), vnodes=2, keys=("k1", "k2", "k3"))
    assert len(layout.points) == 8 and {p.label for p in layout.points} >= {"s0#0", "s3#1"}
    assert [p.angle for p in layout.points] == sorted(p.angle for p in layout.points)
    assert all(0 <= p.angle < 360 for p in layout.points)
    ring = hashing.build_ring(("s0", "s1", "s2", "s3"), vnodes=2)
    for key in layout.keys:
        assert key.owner == ring.owner(hashing.stable_hash(key.key)) and 0 <= key.angle < 360


def test_owner_is_the_next_point_clockwise() -> None:
    ring = hashing.build_ring(("a", "b"))
    first, last = ring.positions
    assert ring.owner(first - 1) == ring.owners[0]
    assert ring.owner(first) == ring.owners[1]
    assert ring.owner(last + 1) == ring.owners[0]  # wraps round


# --- rate limiting ----------------------------------------------------------------------------------------------


def test_fixed_window_lets_twice_the_limit_through_across_a_boundary() -> None:
    burst = ratelimit.boundary_burst(limit=5, window=60.0)
    fixed = burst.run("fixed_window")
    assert len(fixed.allowed) == 10 and fixed.max_in_window == 10 and fixed.burst_ratio == 2.0
    assert max(fixed.allowed) - min(fixed.allowed) < 2.0
    assert burst.run("sliding_log").max_in_window == 5
    assert burst.run("token_bucket").max_in_window == 5
    assert burst.run("leaking_bucket").max_in_window <= 5
    assert burst.run("sliding_window_counter").burst_ratio < 1.5  # an estimate: close, not exact


def test_sliding_window_counter_estimate_xu_example() -> None:
    assert ratelimit.sliding_window_estimate(3, 5, 0.3) == pytest.approx(6.5)  # 3 + 5 × 70%
    assert ratelimit.sliding_window_estimate(3, 5, 0.3) < 7


def test_on_a_random_trace_the_log_is_exact_and_the_leaking_bucket_smooth() -> None:
    trace = ratelimit.poisson_trace(rate=2.0, duration=600.0, seed=7)
    runs = {r.algorithm: r for r in ratelimit.compare(trace, limit=60, window=60.0)}
    assert set(runs) == set(ratelimit.ALGORITHMS)
    assert runs["sliding_log"].max_in_window == 60
    assert runs["leaking_bucket"].max_in_window <= 60
    assert runs["fixed_window"].max_in_window > 60
    assert runs["token_bucket"].max_in_window <= 120  # a full bucket plus a window's refill
    for run in runs.values():
        assert len(run.allowed) + len(run.rejected) == len(trace)


# --- LRU cache --------------------------------------------------------------------------------------------------


def test_lru_hit_ratio_grows_with_size_and_stays_under_the_ideal() -> None:
    study = cachesim.lru_study()
    ratios = [p.hit_ratio for p in study.points]
    assert ratios == sorted(ratios)
    for point in study.points:
        assert point.hit_ratio < point.ideal_hit_ratio
    twenty = study.point(20_000)
    assert twenty.share_of_keys == 0.2
    assert twenty.hit_ratio == pytest.approx(0.8, abs=0.03)  # the 80/20 rule, roughly
    assert twenty.ideal_hit_ratio == pytest.approx(0.867, abs=0.005)


def test_lru_hits_small() -> None:
    assert cachesim.lru_hits([1, 1, 1], 1) == 2
    assert cachesim.lru_hits([1, 2, 1, 2], 1) == 0
    assert cachesim.lru_hits([1, 1, 1, 1], 1, warmup=2) == 2


# --- quorum -----------------------------------------------------------------------------------------------------


def test_n3_w2_r2_always_reads_the_latest_write() -> None:
    result = quorum.quorum(n=3, w=2, r=2)
    assert result.overlap_guaranteed and result.stale_reads == 0
    assert result.write_failures_tolerated == 1 and result.read_failures_tolerated == 1


def test_w1_r1_reads_stale_about_two_times_in_three() -> None:
    result = quorum.quorum(n=3, w=1, r=1)
    assert not result.overlap_guaranteed
    assert result.expected_stale == pytest.approx(2 / 3)
    assert result.stale_fraction == pytest.approx(2 / 3, abs=0.02)


def test_table_overlap_means_no_stale_reads() -> None:
    for result in quorum.quorum_table(n=3, trials=2_000):
        assert (result.stale_reads == 0) == result.overlap_guaranteed
        assert result.stale_fraction == pytest.approx(result.expected_stale, abs=0.04)


def test_bad_quorum() -> None:
    with pytest.raises(ValueError, match="between 1 and N=3"):
        quorum.quorum(n=3, w=4, r=1)


# --- determinism and speed --------------------------------------------------------------------------------------

RUNS: dict[str, Callable[[], Any]] = {
    "rehash": hashing.rehash,
    "spread": lambda: hashing.load_spread(vnodes=200),
    "ring": hashing.ring_layout,
    "boundary": ratelimit.boundary_burst,
    "poisson": lambda: ratelimit.compare(ratelimit.poisson_trace(rate=2, duration=600), limit=60, window=60),
    "lru": cachesim.lru_study,
    "quorum": quorum.quorum_table,
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_examples_are_deterministic_and_quick(name: str) -> None:
    start = time.perf_counter()
    first = RUNS[name]()
    elapsed = time.perf_counter() - start
    assert RUNS[name]() == first
    assert elapsed < 2.0  # each runs in well under a second on a laptop; slack for a busy CI machine
