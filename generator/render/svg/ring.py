"""The consistent-hashing ring, drawn with the same pen: servers and keys at their hash positions."""

from __future__ import annotations

import math

from generator.analysis.examples.hashing import ring_layout
from generator.render.pen import fmt
from generator.render.shapes import draw_kind, ink_for
from generator.render.svg.document import Doc, document, pen_for, stroke, title_line
from generator.render.themes import Theme

__all__ = ["render_ring"]


def render_ring(theme: Theme, *, title: str = "Consistent hashing ring") -> tuple[str, str]:
    """Draw a ring of four servers and six keys, each key's arc running clockwise to the server that owns it.

    Returns:
        The SVG and its description in words.
    """
    layout = ring_layout(("s0", "s1", "s2", "s3"), keys=("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"))
    doc = Doc(theme)
    fs = theme.font_size
    r = 165.0
    width, height = 640.0, 640.0
    cx, cy = width / 2, 325.0
    colors = {p.node: theme.marker(i) for i, p in enumerate(sorted(layout.points, key=lambda p: p.node))}

    def at(angle: float, radius: float = r) -> tuple[float, float]:
        a = math.radians(angle - 90)
        return (cx + radius * math.cos(a), cy + radius * math.sin(a))

    pen = pen_for(theme, "ring")
    doc.layers["groups"].append(stroke(pen.ellipse(cx, cy, 2 * r, 2 * r), theme.ink, theme.stroke * 1.2))
    doc.text(cx, cy - 8, "hash space", size=fs, color=theme.muted, anchor="middle")
    doc.text(cx, cy + fs + 2, "0 … 2³² − 1, clockwise", size=fs * 0.85, color=theme.muted, anchor="middle")
    for index, key in enumerate(layout.keys):
        owner = next(p for p in layout.points if p.node == key.owner)
        end = owner.angle if owner.angle >= key.angle else owner.angle + 360
        steps = max(2, int((end - key.angle) / 6))
        inset = 16 + 9 * (index % 3)
        arc = [at(key.angle + (end - key.angle) * i / steps, r - inset) for i in range(steps + 1)]
        kpen = pen_for(theme, f"ring-key:{key.key}")
        color = colors[key.owner]
        doc.layers["edges"].append(stroke(kpen.curve(arc), color, 1.4, dash="5 5"))
        doc.layers["edges"].append(stroke(kpen.arrowhead(arc[-1], arc[-2], size=7), color, 1.4))
        x, y = at(key.angle)
        doc.layers["labels"].append(
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="5" fill="{theme.paper}" stroke="{color}" stroke-width="2"/>'
        )
        lx, ly = at(key.angle, r + 16)
        doc.text(lx, ly + fs * 0.35, key.key, size=fs * 0.85, color=color, anchor="middle")
    for point in layout.points:
        x, y = at(point.angle)
        color = colors[point.node]
        doc.layers["labels"].append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="7" fill="{color}"/>')
        sx, sy = at(point.angle, r + 46)
        size = 40.0
        ink = ink_for(theme, "service")
        doc.layers["nodes"].extend(
            draw_kind(
                "service", sx - size / 2, sy - size / 2, size, pen=pen_for(theme, f"ring-node:{point.label}"), ink=ink
            )
        )
        lx, ly = at(point.angle, r + 46 + size / 2 + fs)
        doc.text(lx, ly + fs * 0.35, point.label, size=fs, color=color, anchor="middle", layer="nodes")
    title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    doc.text(
        width / 2,
        height - 12,
        "each key belongs to the first server clockwise from it",
        size=fs * 0.9,
        color=theme.muted,
        anchor="middle",
        layer="chrome",
    )
    owners = ", ".join(f"{k.key} on {k.owner}" for k in layout.keys)
    description = (
        f"A consistent-hashing ring with servers {', '.join(p.node for p in layout.points)} at their hash positions"
        f" and keys {', '.join(k.key for k in layout.keys)}; each key belongs to the first server clockwise: {owners}."
    )
    return document(doc, width, height, title=title, description=description), description
