"""Quorum reads and writes simulated on N replicas: when W + R > N guarantees reading the latest write.

Each trial writes a new version to a random set of W replicas (the ones that acknowledged; the others have not
received it yet) and then reads R random replicas, keeping the highest version seen. The read is stale when that
is older than the version just written. Whenever W + R > N the two sets must share a replica, so no read is
stale: N = 3, W = R = 2 gives read-your-writes. With W = R = 1 a read right after a write misses it two times in
three. Writes keep working with up to N - W replicas down, reads with up to N - R.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from math import comb

__all__ = ["QuorumResult", "quorum", "quorum_table"]


@dataclass(frozen=True)
class QuorumResult:
    """One N, W, R setting: the overlap guarantee, simulated and expected stale reads, and tolerated failures."""

    n: int
    w: int
    r: int
    trials: int
    stale_reads: int
    expected_stale: float
    write_failures_tolerated: int
    read_failures_tolerated: int

    @property
    def overlap_guaranteed(self) -> bool:
        """Whether every read set meets every write set: W + R > N."""
        return self.w + self.r > self.n

    @property
    def stale_fraction(self) -> float:
        """Share of reads that missed the latest write."""
        return self.stale_reads / self.trials


def quorum(*, n: int = 3, w: int = 2, r: int = 2, trials: int = 10_000, seed: int = 11) -> QuorumResult:
    """Write then read ``trials`` times on ``n`` replicas and count stale reads.

    Args:
        n: Replicas.
        w: Replicas that must acknowledge a write.
        r: Replicas asked on a read.
        trials: Write-then-read rounds.
        seed: Seed of this simulation's random generator.

    Returns:
        The result; ``expected_stale`` is the chance a random read set misses the write set,
        ``C(N - W, R) / C(N, R)``.

    Raises:
        ValueError: W or R is not between 1 and N.

    >>> quorum(n=3, w=2, r=2, trials=1000).stale_reads
    0
    """
    if not (1 <= w <= n and 1 <= r <= n):
        raise ValueError(f"W and R must be between 1 and N={n}, got W={w}, R={r}")
    rng = random.Random(seed)
    replicas = list(range(n))
    versions = [0] * n
    stale = 0
    for version in range(1, trials + 1):
        for replica in rng.sample(replicas, w):
            versions[replica] = version
        if max(versions[replica] for replica in rng.sample(replicas, r)) < version:
            stale += 1
    return QuorumResult(
        n=n,
        w=w,
        r=r,
        trials=trials,
        stale_reads=stale,
        expected_stale=comb(n - w, r) / comb(n, r),
        write_failures_tolerated=n - w,
        read_failures_tolerated=n - r,
    )


def quorum_table(*, n: int = 3, trials: int = 10_000, seed: int = 11) -> tuple[QuorumResult, ...]:
    """Every W and R from 1 to N, W first.

    >>> [(q.w, q.r) for q in quorum_table(n=2, trials=10) if q.overlap_guaranteed]
    [(1, 2), (2, 1), (2, 2)]
    """
    return tuple(quorum(n=n, w=w, r=r, trials=trials, seed=seed) for w in range(1, n + 1) for r in range(1, n + 1))
