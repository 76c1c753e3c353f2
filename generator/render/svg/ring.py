"""The consistent-hashing ring, worked: four servers with virtual nodes, then a fifth joining, the moved keys
highlighted and counted against ``hash(key) mod N``, drawn with the same pen."""

from __future__ import annotations

import math

from generator.analysis.examples.hashing import RingLayout, RingPoint, rehash, ring_layout, stable_hash
from generator.render.pen import fmt
from generator.render.svg.document import Doc, document, pen_for, stroke, title_line
from generator.render.themes import Theme

__all__ = ["KEYS", "SERVERS", "VNODES", "render_ring"]

SERVERS = ("s0", "s1", "s2", "s3", "s4")
"""The servers: the first four, then the fifth that joins."""
VNODES = 3
"""Points on the ring per server (real rings use a few hundred; three keep the picture readable)."""
KEYS = tuple(f"key{i}" for i in range(12))
"""The keys drawn."""

_R = 190.0


def render_ring(theme: Theme, *, title: str = "Consistent hashing ring") -> tuple[str, str]:
    """Draw the ring before and after a fifth server joins, side by side with one legend.

    Returns:
        The SVG and its description in words.
    """
    before = ring_layout(SERVERS[:4], vnodes=VNODES, keys=KEYS)
    after = ring_layout(SERVERS, vnodes=VNODES, keys=KEYS)
    moved = [new.key for old, new in zip(before.keys, after.keys, strict=True) if old.owner != new.owner]
    modulo = [k for k in KEYS if stable_hash(k) % 4 != stable_hash(k) % 5]
    simulated = rehash()
    doc = Doc(theme)
    fs = theme.font_size
    width, height = 1280.0, 760.0
    colors = {server: theme.marker(i) for i, server in enumerate(SERVERS)}
    _ring(doc, before, (330.0, 370.0), colors, moved=(), caption=f"4 servers, {VNODES} points each")
    _ring(
        doc,
        after,
        (950.0, 370.0),
        colors,
        moved=tuple(moved),
        caption=f"s4 joins: {len(moved)} of {len(KEYS)} keys move, all to s4",
    )
    title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    legend_y = height - 92
    x = 60.0
    for server in SERVERS:
        doc.layers["chrome"].append(f'<circle cx="{fmt(x)}" cy="{fmt(legend_y)}" r="7" fill="{colors[server]}"/>')
        doc.text(x + 14, legend_y + fs * 0.35, server, size=fs, color=theme.ink, layer="chrome")
        x += 64
    doc.layers["chrome"].append(
        f'<circle cx="{fmt(x + 10)}" cy="{fmt(legend_y)}" r="6" fill="{theme.paper}" stroke="{theme.ink}" '
        'stroke-width="2"/>'
    )
    doc.text(x + 24, legend_y + fs * 0.35, "a key", size=fs, color=theme.ink, layer="chrome")
    x += 100
    doc.layers["chrome"].append(
        f'<circle cx="{fmt(x + 10)}" cy="{fmt(legend_y)}" r="8" fill="{theme.highlight}" stroke="{colors["s4"]}" '
        'stroke-width="3"/>'
    )
    doc.text(x + 26, legend_y + fs * 0.35, "a key that moved", size=fs, color=theme.ink, layer="chrome")
    x += 170
    doc.text(x, legend_y + fs * 0.35, "dashed arc: clockwise to its server", size=fs, color=theme.muted, layer="chrome")
    lines = [
        f"Ring: {len(moved)} of {len(KEYS)} keys move ({len(moved) / len(KEYS):.0%}), only to the new server. "
        f"hash(key) mod N, 4 to 5 servers: {len(modulo)} of {len(KEYS)} move ({len(modulo) / len(KEYS):.0%}).",
        f"Simulated with {simulated.keys:,} keys and {simulated.vnodes} points per server: "
        f"{simulated.ring_moved:.1%} move on the ring (1/5 expected), {simulated.modulo_moved:.1%} with mod N "
        f"(4/5 expected).",
    ]
    for number, line in enumerate(lines):
        y = height - 52 + number * fs * 1.6
        doc.text(width / 2, y, line, size=fs, color=theme.ink, anchor="middle", layer="chrome")
    owners = ", ".join(f"{k.key} on {k.owner}" for k in after.keys)
    description = (
        f"Two consistent-hashing rings. Left: servers s0 to s3, {VNODES} points each, and {len(KEYS)} keys, each "
        f"owned by the first server point clockwise from it. Right: s4 joins; {', '.join(moved)} move to s4 "
        f"({len(moved)} of {len(KEYS)}) and every other key stays: {owners}. With hash(key) mod N, going from 4 to "
        f"5 servers would move {len(modulo)} of the {len(KEYS)} keys."
    )
    return document(doc, width, height, title=title, description=description), description


def _ring(
    doc: Doc,
    layout: RingLayout,
    centre: tuple[float, float],
    colors: dict[str, str],
    *,
    moved: tuple[str, ...],
    caption: str,
) -> None:
    """One ring: its circle, the servers' points, each key and its dashed arc to the server that owns it."""
    theme, fs = doc.theme, doc.theme.font_size
    cx, cy = centre

    def at(angle: float, radius: float = _R) -> tuple[float, float]:
        a = math.radians(angle - 90)
        return (cx + radius * math.cos(a), cy + radius * math.sin(a))

    taken: list[tuple[float, float, float, float]] = []

    def place(angle: float, radius: float, text: str, size: float) -> tuple[float, float]:
        """Where a label goes: at ``radius`` outside the ring, or further out until it overlaps no other label."""
        w, h = doc.width(text, size) + 6, size * 1.3
        for step in range(6):
            x, y = at(angle, radius + step * 15)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
                break
        taken.append(box)
        return x, y

    pen = pen_for(theme, f"ring:{caption}")
    doc.layers["groups"].append(stroke(pen.ellipse(cx, cy, 2 * _R, 2 * _R), theme.ink, theme.stroke * 1.2))
    doc.text(cx, cy - _R - 86, caption, size=fs * 1.1, color=theme.ink, anchor="middle", layer="chrome")
    doc.text(cx, cy - 6, "hash space (MD5)", size=fs, color=theme.muted, anchor="middle")
    doc.text(cx, cy + fs + 2, "0 … 2⁶⁴ − 1, clockwise", size=fs * 0.9, color=theme.muted, anchor="middle")
    points = sorted(layout.points, key=lambda p: p.angle)
    for index, key in enumerate(layout.keys):
        owner = next(p for p in points if p.node == key.owner and _owns(p.angle, key.angle, points))
        end = owner.angle if owner.angle >= key.angle else owner.angle + 360
        steps = max(2, int((end - key.angle) / 5))
        inset = 18 + 10 * (index % 3)
        arc = [at(key.angle + (end - key.angle) * i / steps, _R - inset) for i in range(steps + 1)]
        color = colors[key.owner]
        kpen = pen_for(theme, f"ring-key:{caption}:{key.key}")
        doc.layers["edges"].append(stroke(kpen.curve(arc), color, 1.5 if key.key in moved else 1.2, dash="5 5"))
        doc.layers["edges"].append(stroke(kpen.arrowhead(arc[-1], arc[-2], size=7), color, 1.4))
        x, y = at(key.angle)
        if key.key in moved:
            doc.layers["labels"].append(
                f'<circle class="moved" cx="{fmt(x)}" cy="{fmt(y)}" r="8" fill="{theme.highlight}" '
                f'stroke="{color}" stroke-width="3"/>'
            )
        else:
            doc.layers["labels"].append(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="6" fill="{theme.paper}" stroke="{color}" stroke-width="2"/>'
            )
        name = f"k{key.key.removeprefix('key')}"
        weight = "bold" if key.key in moved else ""
        lx, ly = place(key.angle, _R + 18, name, fs * 0.9)
        doc.text(lx, ly + fs * 0.35, name, size=fs * 0.9, color=color, anchor="middle", weight=weight)
    for point in points:
        x, y = at(point.angle)
        color = colors[point.node]
        doc.layers["labels"].append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="8" fill="{color}"/>')
        lx, ly = place(point.angle, _R + 40, point.node, fs)
        doc.text(lx, ly + fs * 0.35, point.node, size=fs, color=color, anchor="middle", weight="bold", layer="nodes")


def _owns(angle: float, key: float, points: list[RingPoint]) -> bool:
    """Whether the server point at ``angle`` is the first clockwise from ``key``."""
    angles = sorted(p.angle for p in points)
    first = next((a for a in angles if a >= key), angles[0])
    return angle == first
