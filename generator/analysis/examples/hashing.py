"""Consistent hashing against modulo hashing: keys moved when a node joins, load spread, and ring positions.

Positions come from MD5 (the first 8 bytes, big-endian) on a ring of 2^64 points, so every figure is the same on
every machine. Published figures this reproduces: growing 4 → 5 nodes moves about 80% of keys under modulo
(``N / (N + 1)``) and about 20% on a ring (``1 / (N + 1)``), and only to the new node; the spread of load per
node (standard deviation as a share of the mean) falls from 60-110% with one point per node to about 7% with
200 virtual nodes, close to ``1 / sqrt(200)``.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "RING_SIZE",
    "LoadSpread",
    "Rehash",
    "Ring",
    "RingKey",
    "RingLayout",
    "RingPoint",
    "build_ring",
    "load_spread",
    "rehash",
    "ring_layout",
    "stable_hash",
]

RING_SIZE = 2**64
"""Positions on the ring: 0 to 2^64 - 1."""


def stable_hash(text: str) -> int:
    """A position on the ring: the first 8 bytes of the MD5 digest, big-endian.

    >>> stable_hash("key0")
    2446583737502797783
    """
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[:8], "big")


def _names(count: int) -> tuple[str, ...]:
    return tuple(f"s{i}" for i in range(count))


@dataclass(frozen=True)
class Ring:
    """A hash ring: sorted point positions and the node each point belongs to."""

    nodes: tuple[str, ...]
    vnodes: int
    positions: tuple[int, ...]
    owners: tuple[str, ...]

    def owner(self, position: int) -> str:
        """The node owning a position: the first point clockwise from it, wrapping round."""
        return self.owners[bisect.bisect_right(self.positions, position) % len(self.positions)]

    def shares(self) -> dict[str, float]:
        """Each node's share of the ring (the arcs ending at its points), in node order."""
        out = dict.fromkeys(self.nodes, 0.0)
        for index, (position, node) in enumerate(zip(self.positions, self.owners, strict=True)):
            previous = self.positions[index - 1] - (RING_SIZE if index == 0 else 0)
            out[node] += (position - previous) / RING_SIZE
        return out


def build_ring(nodes: Sequence[str], *, vnodes: int = 1, salt: str = "") -> Ring:
    """Place each node on the ring once, or ``vnodes`` times as ``node#i``.

    Args:
        nodes: Node names.
        vnodes: Points per node.
        salt: Prefix to every point name, to draw other rings from the same names.

    Returns:
        The ring, points sorted by position.
    """
    labels = [(node, node if vnodes == 1 else f"{node}#{i}") for node in nodes for i in range(vnodes)]
    points = sorted((stable_hash(salt + label), node) for node, label in labels)
    return Ring(tuple(nodes), vnodes, tuple(p for p, _ in points), tuple(n for _, n in points))


@dataclass(frozen=True)
class Rehash:
    """Keys that change node when the cluster grows from ``before`` to ``after`` nodes."""

    before: int
    after: int
    keys: int
    vnodes: int
    modulo_moved: float
    modulo_expected: float
    ring_moved: float
    ring_expected: float
    ring_one_point_moved: float
    ring_moves_only_to_new_nodes: bool


def rehash(*, before: int = 4, after: int = 5, keys: int = 100_000, vnodes: int = 200) -> Rehash:
    """Move keys from ``before`` to ``after`` nodes under ``hash % N`` and on a ring.

    Args:
        before: Nodes at first.
        after: Nodes after growing.
        keys: Keys ``key0``, ``key1``, ... to place.
        vnodes: Virtual nodes per node on the ring.

    Returns:
        The shares of keys moved, measured and expected.
    """
    hashes = [stable_hash(f"key{i}") for i in range(keys)]
    modulo = sum(1 for h in hashes if h % before != h % after) / keys
    old_names, new_names = _names(before), _names(after)

    def moved(points: int) -> tuple[float, bool]:
        old, new = build_ring(old_names, vnodes=points), build_ring(new_names, vnodes=points)
        changed = [new.owner(h) for h in hashes if old.owner(h) != new.owner(h)]
        return len(changed) / keys, all(node not in old_names for node in changed)

    ring, only_new = moved(vnodes)
    one_point, _ = moved(1)
    unchanged = sum(1 for r in range(math.lcm(before, after)) if r % before == r % after)
    return Rehash(
        before=before,
        after=after,
        keys=keys,
        vnodes=vnodes,
        modulo_moved=modulo,
        modulo_expected=1 - unchanged / math.lcm(before, after),
        ring_moved=ring,
        ring_expected=(after - before) / after,
        ring_one_point_moved=one_point,
        ring_moves_only_to_new_nodes=only_new,
    )


@dataclass(frozen=True)
class LoadSpread:
    """How evenly a ring shares the key space among its nodes, over several rings drawn with different salts.

    ``std_pct`` is the standard deviation of the nodes' shares as a percentage of the mean share, averaged over
    the rings; ``std_pct_low`` and ``std_pct_high`` are its smallest and largest values. ``shares`` are the first
    ring's shares, and ``min_pct``/``max_pct`` its least and most loaded node as a percentage of the mean.
    """

    nodes: int
    vnodes: int
    trials: int
    std_pct: float
    std_pct_low: float
    std_pct_high: float
    expected_std_pct: float
    shares: tuple[float, ...]
    min_pct: float
    max_pct: float


def load_spread(*, nodes: int = 10, vnodes: int = 1, trials: int = 20) -> LoadSpread:
    """Measure the spread of load per node on rings of ``nodes`` nodes with ``vnodes`` points each.

    Args:
        nodes: Nodes on the ring.
        vnodes: Points per node.
        trials: Rings to draw (salted ``0/``, ``1/``, ...), so the figure does not rest on one lucky ring.

    Returns:
        The spread; ``expected_std_pct`` is the theory for random points, ``sqrt((N - 1) / (N * V + 1))``.
    """
    names = _names(nodes)
    spreads: list[float] = []
    first: tuple[float, ...] = ()
    for trial in range(trials):
        shares = tuple(build_ring(names, vnodes=vnodes, salt=f"{trial}/").shares().values())
        first = first or shares
        spreads.append(statistics.pstdev(shares) * nodes * 100)
    return LoadSpread(
        nodes=nodes,
        vnodes=vnodes,
        trials=trials,
        std_pct=statistics.fmean(spreads),
        std_pct_low=min(spreads),
        std_pct_high=max(spreads),
        expected_std_pct=math.sqrt((nodes - 1) / (nodes * vnodes + 1)) * 100,
        shares=first,
        min_pct=min(first) * nodes * 100,
        max_pct=max(first) * nodes * 100,
    )


@dataclass(frozen=True)
class RingPoint:
    """A node's point on the ring, at an angle in degrees clockwise from the top."""

    node: str
    label: str
    angle: float


@dataclass(frozen=True)
class RingKey:
    """A key on the ring and the node that owns it."""

    key: str
    angle: float
    owner: str


@dataclass(frozen=True)
class RingLayout:
    """Everything needed to draw a hash ring: node points and keys, by angle."""

    points: tuple[RingPoint, ...]
    keys: tuple[RingKey, ...]


def ring_layout(
    nodes: Sequence[str] = ("s0", "s1", "s2", "s3"),
    *,
    vnodes: int = 1,
    keys: Sequence[str] = ("key0", "key1", "key2", "key3", "key4", "key5"),
) -> RingLayout:
    """Angles of node points and keys on a ring, for a diagram.

    Args:
        nodes: Node names.
        vnodes: Points per node (labelled ``node#i`` when more than one).
        keys: Keys to place.

    Returns:
        Points sorted by angle, and keys in the order given with their owners.

    >>> layout = ring_layout(("s0", "s1"), keys=("key0",))
    >>> [(p.node, round(p.angle, 1)) for p in layout.points], layout.keys[0].owner
    ([('s0', 15.6), ('s1', 199.5)], 's1')
    """
    ring = build_ring(nodes, vnodes=vnodes)
    labels = {(node, i): node if vnodes == 1 else f"{node}#{i}" for node in nodes for i in range(vnodes)}
    points = sorted(
        (RingPoint(node, label, stable_hash(label) / RING_SIZE * 360) for (node, _), label in labels.items()),
        key=lambda p: (p.angle, p.label),
    )
    placed = tuple(RingKey(k, stable_hash(k) / RING_SIZE * 360, ring.owner(stable_hash(k))) for k in keys)
    return RingLayout(tuple(points), placed)
