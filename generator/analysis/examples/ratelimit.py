"""Five rate limiters on one request trace: token and leaking buckets, fixed window, sliding log and counter.

Each algorithm admits at most ``limit`` requests per ``window`` seconds, in its own way. Published figures this
reproduces: a fixed window lets up to 2x the limit through in a window-length span across a boundary, and the
sliding-window counter estimates ``current + previous × overlap`` (Xu: 3 + 5 × 70% = 6.5, under a limit of 7).
The token bucket allows up to 2x too, by design: a full bucket's burst plus a window's refill.

Conventions: the token bucket holds ``limit`` tokens, starts full and refills at ``limit / window`` a second; the
leaking bucket queues up to ``limit`` requests and serves one every ``window / limit`` seconds (its ``served``
times are when requests leave the queue); the sliding log keeps the times of admitted requests only; the
sliding-window counter counts admitted requests per fixed window.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "BoundaryBurst",
    "RateLimitRun",
    "boundary_burst",
    "compare",
    "max_in_window",
    "poisson_trace",
    "simulate",
    "sliding_window_estimate",
]

Algorithm = Literal["token_bucket", "leaking_bucket", "fixed_window", "sliding_log", "sliding_window_counter"]
ALGORITHMS: tuple[Algorithm, ...] = (
    "token_bucket",
    "leaking_bucket",
    "fixed_window",
    "sliding_log",
    "sliding_window_counter",
)
"""Every algorithm, in the order the write-ups present them."""


@dataclass(frozen=True)
class RateLimitRun:
    """One algorithm on one trace: which requests got through and the worst burst the backend saw."""

    algorithm: Algorithm
    limit: int
    window: float
    allowed: tuple[float, ...]
    rejected: tuple[float, ...]
    served: tuple[float, ...]
    max_in_window: int

    @property
    def burst_ratio(self) -> float:
        """The worst window-length span's load as a multiple of the limit."""
        return self.max_in_window / self.limit


def sliding_window_estimate(current: int, previous: int, elapsed: float) -> float:
    """The sliding-window counter's estimate of requests in the last window: ``current + previous × overlap``.

    Args:
        current: Requests counted in the current fixed window.
        previous: Requests counted in the previous fixed window.
        elapsed: How far into the current window we are, 0 to 1; the rolling window overlaps the previous one
            by ``1 - elapsed``.

    Returns:
        The estimate; a request is admitted while it is below the limit.

    >>> sliding_window_estimate(3, 5, 0.3)
    6.5
    """
    return current + previous * (1.0 - elapsed)


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most times falling in any span ``[t, t + window)``.

    >>> max_in_window([59.0, 59.5, 60.0, 60.5, 130.0], 60.0)
    4
    """
    ordered = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] + window <= t + 1e-9:  # half-open span, robust to float rounding
            start += 1
        best = max(best, end - start + 1)
    return best


_Decide = Callable[[Sequence[float], int, float], tuple[list[bool], list[float]]]


def _token_bucket(trace: Sequence[float], limit: int, window: float) -> tuple[list[bool], list[float]]:
    rate, tokens, last = limit / window, float(limit), trace[0] if trace else 0.0
    out: list[bool] = []
    for t in trace:
        tokens = min(float(limit), tokens + (t - last) * rate)
        last = t
        ok = tokens >= 1.0
        tokens -= 1.0 if ok else 0.0
        out.append(ok)
    return out, [t for t, ok in zip(trace, out, strict=True) if ok]


def _leaking_bucket(trace: Sequence[float], limit: int, window: float) -> tuple[list[bool], list[float]]:
    interval = window / limit
    queue: deque[float] = deque()  # departure times of requests still queued
    out: list[bool] = []
    served: list[float] = []
    for t in trace:
        while queue and queue[0] <= t:
            queue.popleft()
        ok = len(queue) < limit
        if ok:
            leave = round(max(t, served[-1] if served else t) + interval, 9)  # no float drift
            queue.append(leave)
            served.append(leave)
        out.append(ok)
    return out, served


def _fixed_window(trace: Sequence[float], limit: int, window: float) -> tuple[list[bool], list[float]]:
    counts: dict[int, int] = {}
    out: list[bool] = []
    for t in trace:
        slot = int(t // window)
        ok = counts.get(slot, 0) < limit
        counts[slot] = counts.get(slot, 0) + (1 if ok else 0)
        out.append(ok)
    return out, [t for t, ok in zip(trace, out, strict=True) if ok]


def _sliding_log(trace: Sequence[float], limit: int, window: float) -> tuple[list[bool], list[float]]:
    log: deque[float] = deque()
    out: list[bool] = []
    for t in trace:
        while log and log[0] <= t - window:
            log.popleft()
        ok = len(log) < limit
        if ok:
            log.append(t)
        out.append(ok)
    return out, [t for t, ok in zip(trace, out, strict=True) if ok]


def _sliding_window_counter(trace: Sequence[float], limit: int, window: float) -> tuple[list[bool], list[float]]:
    counts: dict[int, int] = {}
    out: list[bool] = []
    for t in trace:
        slot = int(t // window)
        elapsed = (t - slot * window) / window
        ok = sliding_window_estimate(counts.get(slot, 0), counts.get(slot - 1, 0), elapsed) < limit
        counts[slot] = counts.get(slot, 0) + (1 if ok else 0)
        out.append(ok)
    return out, [t for t, ok in zip(trace, out, strict=True) if ok]


_DECIDE: dict[Algorithm, _Decide] = {
    "token_bucket": _token_bucket,
    "leaking_bucket": _leaking_bucket,
    "fixed_window": _fixed_window,
    "sliding_log": _sliding_log,
    "sliding_window_counter": _sliding_window_counter,
}


def simulate(algorithm: Algorithm, trace: Sequence[float], *, limit: int, window: float) -> RateLimitRun:
    """Run one algorithm over request times.

    Args:
        algorithm: Which algorithm.
        trace: Request arrival times in seconds, ascending.
        limit: Requests allowed per window.
        window: The window in seconds.

    Returns:
        What got through, and the most the backend saw in any window-length span.

    >>> simulate("fixed_window", [59.0, 59.5, 60.0, 60.5], limit=2, window=60.0).max_in_window
    4
    """
    decisions, served = _DECIDE[algorithm](trace, limit, window)
    allowed = tuple(t for t, ok in zip(trace, decisions, strict=True) if ok)
    rejected = tuple(t for t, ok in zip(trace, decisions, strict=True) if not ok)
    return RateLimitRun(algorithm, limit, window, allowed, rejected, tuple(served), max_in_window(served, window))


def compare(trace: Sequence[float], *, limit: int, window: float) -> tuple[RateLimitRun, ...]:
    """Every algorithm on the same trace, in :data:`ALGORITHMS` order."""
    return tuple(simulate(name, trace, limit=limit, window=window) for name in ALGORITHMS)


def poisson_trace(*, rate: float, duration: float, seed: int = 7) -> tuple[float, ...]:
    """Request times with exponential gaps (a Poisson process), seeded.

    Args:
        rate: Mean requests per second.
        duration: Length of the trace in seconds.
        seed: Seed of the trace's own random generator.

    Returns:
        Arrival times, ascending, rounded to the millisecond.
    """
    rng = random.Random(seed)
    times: list[float] = []
    t = rng.expovariate(rate)
    while t < duration:
        times.append(round(t, 3))
        t += rng.expovariate(rate)
    return tuple(times)


@dataclass(frozen=True)
class BoundaryBurst:
    """The fixed window's weak spot: ``limit`` requests just before a window boundary and ``limit`` just after."""

    limit: int
    window: float
    trace: tuple[float, ...]
    runs: tuple[RateLimitRun, ...]

    def run(self, algorithm: Algorithm) -> RateLimitRun:
        """The run of one algorithm."""
        return next(r for r in self.runs if r.algorithm == algorithm)


def boundary_burst(*, limit: int = 5, window: float = 60.0, spread: float = 1.0) -> BoundaryBurst:
    """Send ``limit`` requests in the last ``spread`` seconds of a window and ``limit`` in the first of the next.

    Args:
        limit: Requests allowed per window.
        window: The window in seconds.
        spread: Seconds on each side of the boundary the requests are spread over.

    Returns:
        The trace and every algorithm's run; the fixed window lets all ``2 × limit`` through within
        ``2 × spread`` seconds.
    """
    step = spread / limit
    before = [round(window - spread + i * step, 6) for i in range(limit)]
    after = [round(window + i * step, 6) for i in range(limit)]
    trace = tuple(before + after)
    return BoundaryBurst(limit, window, trace, compare(trace, limit=limit, window=window))
