"""Working examples in the write-ups: the simulations of :mod:`generator.analysis.examples`, quoted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from generator.analysis.examples.cachesim import lru_study
from generator.analysis.examples.hashing import load_spread, rehash
from generator.analysis.examples.quorum import quorum_table
from generator.analysis.examples.ratelimit import boundary_burst, sliding_window_estimate

__all__ = ["EXAMPLES", "Block", "Code", "Paragraph", "Span", "Table", "WorkedExample", "worked_example"]


@dataclass(frozen=True)
class Code:
    """Text set as code (a formula, an expression)."""

    text: str


Span = str | Code
"""A run of text: plain, or code."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose, as runs of plain text and code."""

    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Table:
    """A table: a header row and body rows, each cell a sequence of runs."""

    header: tuple[tuple[Span, ...], ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]


Block = Paragraph | Table
"""What a worked example is made of: data, which the write-up's templates turn into Markdown or HTML."""


@dataclass(frozen=True)
class WorkedExample:
    """A write-up section: a title, its paragraphs and tables, and the pictures it needs."""

    title: str
    blocks: tuple[Block, ...]
    images: tuple[str, ...] = ()


def _p(*spans: Span) -> Paragraph:
    return Paragraph(tuple(spans))


def _table(header: list[str], rows: list[list[Span]]) -> Table:
    return Table(tuple((h,) for h in header), tuple(tuple((cell,) for cell in row) for row in rows))


def _pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def _consistent_hashing() -> WorkedExample:
    moved = rehash(before=4, after=5, keys=100_000, vnodes=200)
    one = load_spread(nodes=10, vnodes=1, trials=20)
    many = load_spread(nodes=10, vnodes=200, trials=20)
    blocks = (
        _p(
            "With ",
            Code("hash(key) % N"),
            ", a key's server depends on N, so adding a server moves almost every key. A ring places servers and"
            " keys on the same circle of hash values; each key belongs to the first server clockwise from it, so a"
            " new server takes keys only from its neighbours.",
        ),
        _p(
            f"Simulated with {moved.keys:,} keys, growing from {moved.before} to {moved.after} servers"
            " (MD5 positions, computed when this page was built):"
        ),
        _table(
            ["Scheme", "Keys moved", "Expected"],
            [
                [Code("hash % N"), _pct(moved.modulo_moved), _pct(moved.modulo_expected, 0)],
                ["ring, one point per server", _pct(moved.ring_one_point_moved), "about 1/(N+1) on average"],
                [
                    f"ring, {moved.vnodes} virtual nodes per server",
                    _pct(moved.ring_moved),
                    f"{_pct(moved.ring_expected, 0)} (1/(N+1))",
                ],
            ],
        ),
        _p(
            "On the ring, every moved key went to the new server: "
            + ("yes." if moved.ring_moves_only_to_new_nodes else "no.")
        ),
        _p(
            f"Load spread over {one.nodes} servers (standard deviation of each server's share, as a percentage of"
            f" the mean, averaged over {one.trials} rings):"
        ),
        _table(
            ["Points per server", "Spread", "Range over the rings", "Theory"],
            [
                [
                    "1",
                    f"{one.std_pct:.1f}%",
                    f"{one.std_pct_low:.0f}% to {one.std_pct_high:.0f}%",
                    f"{one.expected_std_pct:.1f}%",
                ],
                [
                    f"{many.vnodes}",
                    f"{many.std_pct:.1f}%",
                    f"{many.std_pct_low:.1f}% to {many.std_pct_high:.1f}%",
                    f"{many.expected_std_pct:.1f}%",
                ],
            ],
        ),
        _p(
            "Virtual nodes cut the spread from tens of percent to a few, which is why Dynamo-style stores give each"
            " server many points on the ring."
        ),
    )
    return WorkedExample("Worked example: consistent hashing", blocks, images=("hash-ring",))


def _rate_limiting() -> WorkedExample:
    burst = boundary_burst(limit=5, window=60.0)
    rows: list[list[Span]] = [
        [run.algorithm.replace("_", " "), str(len(run.allowed)), str(len(run.rejected)), str(run.max_in_window)]
        for run in burst.runs
    ]
    estimate = sliding_window_estimate(current=3, previous=5, elapsed=0.3)
    blocks = (
        _p(
            f"A limit of {burst.limit} requests a minute, and {len(burst.trace)} requests arriving in the two"
            " seconds around a minute boundary (simulated when this page was built):"
        ),
        _table(["Algorithm", "Allowed", "Rejected", "Most allowed in any 60 s"], rows),
        _p(
            "The fixed window resets its counter at the boundary, so twice the limit gets through within one"
            " window's length. The sliding-window counter avoids most of this by weighting the previous window:"
            f" with 3 requests so far, 5 in the previous window and 30% of the way into this one, it estimates"
            f" 3 + 5 × 0.7 = {estimate:g} requests in the last minute."
        ),
    )
    return WorkedExample("Worked example: rate-limiting algorithms at a window boundary", blocks)


def _cache_hit_ratio() -> WorkedExample:
    study = lru_study()
    rows: list[list[Span]] = [
        [f"{p.size:,}", _pct(p.share_of_keys), _pct(p.hit_ratio), _pct(p.ideal_hit_ratio)] for p in study.points
    ]
    blocks = (
        _p(
            f"An LRU cache in front of {study.keys:,} keys, read {study.requests:,} times with Zipf-distributed"
            f" popularity (s = {study.s:g}, seed {study.seed}; simulated when this page was built):"
        ),
        _table(["Cache size (keys)", "Share of keys", "LRU hit ratio", "Best possible"], rows),
        _p(
            "A cache holding a fifth of the keys serves about four reads in five: the 80/20 rule the estimates use."
            " Doubling the cache buys less each time, because the extra keys are ever less popular."
        ),
    )
    return WorkedExample("Worked example: cache hit ratio against cache size", blocks)


def _quorum() -> WorkedExample:
    table = quorum_table(n=3)
    rows: list[list[Span]] = [
        [
            str(q.w),
            str(q.r),
            "yes" if q.w + q.r > q.n else "no",
            f"{q.stale_reads / q.trials * 100:.1f}%",
            str(q.write_failures_tolerated),
            str(q.read_failures_tolerated),
        ]
        for q in table
    ]
    header = ["W", "R", "W + R > N", "Stale reads", "Replicas down, writes still work"]
    blocks = (
        _p(
            f"N = {table[0].n} replicas; a write waits for W of them, a read asks R of them and keeps the newest"
            f" value. {table[0].trials:,} random writes and reads per row, simulated when this page was built:"
        ),
        _table([*header, "Replicas down, reads still work"], rows),
        _p(
            "Whenever W + R > N, every read set overlaps every write set, so a read always sees the latest write;"
            " N = 3, W = R = 2 is the usual choice, tolerating one replica down for both."
        ),
    )
    return WorkedExample("Worked example: quorum reads and writes", blocks)


EXAMPLES: dict[str, Callable[[], WorkedExample]] = {
    "consistent_hashing": _consistent_hashing,
    "rate_limiting": _rate_limiting,
    "cache_hit_ratio": _cache_hit_ratio,
    "quorum": _quorum,
}
"""Every working example a design can ask for under ``examples:``."""


@cache
def worked_example(name: str) -> WorkedExample:
    """Run one working example, once per process: the simulations are seeded, so a second run gives the same
    (immutable) result, and some take a second (the quorum table, the hash ring, the LRU study)."""
    return EXAMPLES[name]()
