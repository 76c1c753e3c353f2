"""Kind-aware drawings: each kind of component drawn so a reader knows it without reading its label.

Drawings are laid out on a 100 x 100 grid and scaled into the square they are given; each returns SVG elements
drawn with the element's own pen. ``replicas`` above one are drawn as a stack of up to three copies.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from generator.render.canvas import Canvas, Ink
from generator.render.pen import Pen, fmt
from generator.render.themes import Theme

__all__ = ["DRAWINGS", "Ink", "draw_kind"]


# ---------------------------------------------------------------------------------------------------------
# The drawings. Each takes a canvas and draws on the 100-unit grid.


def _box(c: Canvas) -> None:
    c.rect(10, 24, 80, 52, fill=True)


def _rack(c: Canvas, units: int = 3, top: float = 12, bottom: float = 88) -> None:
    h = (bottom - top - (units - 1) * 3) / units
    for i in range(units):
        v = top + i * (h + 3)
        c.rect(12, v, 76, h, fill=True)
        c.line((20, v + h / 2), (46, v + h / 2), width=c.ink.width * 1.1)
        c.dot(78, v + h / 2, 3.2)


def _service(c: Canvas) -> None:
    _rack(c)


def _websocket(c: Canvas) -> None:
    _rack(c, units=2, top=8, bottom=60)
    c.line((50, 60), (50, 70))
    c.rect(40, 70, 20, 12, fill=True)
    c.line((44, 82), (44, 92))
    c.line((56, 82), (56, 92))


def _cylinder(c: Canvas, *, bands: int = 1) -> None:
    top, bottom, w, eh = 16.0, 84.0, 70.0, 18.0
    left, right = 50 - w / 2, 50 + w / 2
    outline = []
    for i in range(13):
        a = math.pi + math.pi * i / 12
        outline.append(c.p(50 + w / 2 * math.cos(a), top + eh / 2 * math.sin(a)))
    for i in range(13):
        a = math.pi * i / 12
        outline.append(c.p(50 + w / 2 * math.cos(a), bottom + eh / 2 * math.sin(a)))
    outline.reverse()
    c.fill(outline)
    c.ellipse(50, top, w, eh)
    c.line((left, top), (left, bottom))
    c.line((right, top), (right, bottom))
    c.arc(50, bottom, w, eh, 0, math.pi)
    for i in range(bands):
        v = top + (bottom - top) * (i + 1) / (bands + 1)
        c.arc(50, v, w, eh, 0.08, math.pi - 0.08, width=c.ink.width * 0.8)


def _sql(c: Canvas) -> None:
    _cylinder(c, bands=2)


def _nosql(c: Canvas) -> None:
    _cylinder(c, bands=0)
    # a key-value pair: a key and a document corner
    c.poly([(30, 42), (52, 42), (58, 48), (58, 72), (30, 72)], width=c.ink.width * 0.9)
    c.line((34, 52), (52, 52), width=c.ink.width * 0.7)
    c.line((34, 60), (50, 60), width=c.ink.width * 0.7)
    c.ellipse(68, 50, 9, 9, width=c.ink.width * 0.9)
    c.line((68, 55), (68, 68), width=c.ink.width * 0.9)
    c.line((68, 64), (72, 64), width=c.ink.width * 0.9)


def _key_value(c: Canvas) -> None:
    _cylinder(c, bands=0)
    # a key: its bow, its shaft and two teeth
    c.ellipse(34, 54, 16, 16, width=c.ink.width * 0.9)
    c.line((42, 54), (70, 54), width=c.ink.width * 0.9)
    c.line((62, 54), (62, 63), width=c.ink.width * 0.9)
    c.line((69, 54), (69, 61), width=c.ink.width * 0.9)


def _document(c: Canvas) -> None:
    _cylinder(c, bands=0)
    # a page with its corner folded, its lines indented as a nested record's fields
    c.poly([(34, 36), (56, 36), (64, 44), (64, 76), (34, 76)], width=c.ink.width * 0.9)
    c.poly([(56, 36), (56, 44), (64, 44)], closed=False, width=c.ink.width * 0.8)
    c.line((38, 50), (52, 50), width=c.ink.width * 0.7)
    c.line((43, 58), (59, 58), width=c.ink.width * 0.7)
    c.line((43, 66), (56, 66), width=c.ink.width * 0.7)


def _wide_column(c: Canvas) -> None:
    _cylinder(c, bands=0)
    # a table of rows and columns, the partition key's column filled
    c.rect(24, 40, 12, 32, fill=True, strong=True, width=c.ink.width * 0.8)
    c.rect(36, 40, 40, 32, width=c.ink.width * 0.8)
    for u in (49, 62):
        c.line((u, 40), (u, 72), width=c.ink.width * 0.7)
    c.line((24, 56), (76, 56), width=c.ink.width * 0.7)


def _cache(c: Canvas) -> None:
    _cylinder(c, bands=0)
    c.poly([(56, 32), (40, 58), (52, 58), (44, 80), (62, 50), (50, 50), (58, 32)], fill=True, strong=True)


def _graph_db(c: Canvas) -> None:
    _cylinder(c, bands=0)
    nodes = [(36, 44), (62, 40), (50, 64), (68, 68)]
    for a, b in [(0, 1), (0, 2), (1, 2), (2, 3), (1, 3)]:
        c.line(nodes[a], nodes[b], width=c.ink.width * 0.8)
    for u, v in nodes:
        c.ellipse(u, v, 9, 9, fill=True, strong=True, width=c.ink.width * 0.8)


def _timeseries(c: Canvas) -> None:
    _cylinder(c, bands=0)
    c.poly([(24, 66), (34, 54), (44, 60), (54, 42), (64, 50), (76, 36)], closed=False)


def _queue(c: Canvas) -> None:
    c.rect(6, 32, 88, 38, fill=True)
    for i in range(4):
        u = 12 + i * 20
        c.rect(u, 38, 15, 26, fill=i == 3, strong=i == 3, width=c.ink.width * 0.9)


def _stream(c: Canvas) -> None:
    c.rect(6, 16, 88, 68, fill=True)
    for row in range(3):
        v = 22 + row * 20
        filled = 2 + row % 2
        for i in range(5):
            u = 12 + i * 15
            c.rect(u, v, 11, 16, fill=i < filled, strong=False, width=c.ink.width * 0.8)
    c.line((86, 30), (86, 70), width=c.ink.width * 0.8)


def _pubsub(c: Canvas) -> None:
    c.rect(4, 34, 56, 32, fill=True)
    for i in range(3):
        c.rect(9 + i * 16, 40, 12, 20, fill=i == 2, strong=i == 2, width=c.ink.width * 0.8)
    for v in (26, 50, 74):
        c.line((62, 50), (92, v))
        c.stroke(c.pen.arrowhead(c.p(92, v), c.p(62, 50), size=7 * c.s * 1.6))


def _load_balancer(c: Canvas) -> None:
    c.ellipse(50, 50, 80, 80, fill=True)
    c.line((18, 50), (48, 50), width=c.ink.width * 1.3)
    for v in (28, 50, 72):
        end = (78, v)
        c.line((48, 50), end, width=c.ink.width * 1.3)
        c.stroke(c.pen.arrowhead(c.p(*end), c.p(48, 50), size=8 * c.s * 1.4), width=c.ink.width * 1.3)


def _api_gateway(c: Canvas) -> None:
    c.poly([(10, 88), (10, 30), (50, 10), (90, 30), (90, 88)], fill=True)
    c.poly([(34, 88), (34, 52), (42, 44), (58, 44), (66, 52), (66, 88)], closed=False)
    for u in (42, 50, 58):
        c.line((u, 46), (u, 88), width=c.ink.width * 0.7)


def _rate_limiter(c: Canvas) -> None:
    c.poly([(10, 16), (90, 16), (58, 54), (58, 86), (42, 86), (42, 54)], fill=True)
    for u, v in ((30, 26), (46, 24), (62, 28), (72, 22), (38, 34)):
        c.dot(u, v, 3)
    c.dot(50, 94, 3)


def _client(c: Canvas) -> None:
    c.rect(16, 16, 68, 48, fill=True)
    c.rect(22, 22, 56, 36, width=c.ink.width * 0.7)
    c.poly([(10, 68), (90, 68), (98, 80), (2, 80)], fill=True)
    c.line((40, 74), (60, 74), width=c.ink.width * 0.7)


def _mobile(c: Canvas) -> None:
    c.rect(30, 8, 40, 84, fill=True)
    c.rect(35, 17, 30, 60, width=c.ink.width * 0.7)
    c.ellipse(50, 84, 6, 6)


def _user(c: Canvas) -> None:
    c.ellipse(50, 24, 26, 26, fill=True)
    c.line((50, 37), (50, 66))
    c.line((28, 48), (72, 48))
    c.line((50, 66), (33, 92))
    c.line((50, 66), (67, 92))


def _globe(c: Canvas, r: float = 78, cu: float = 50, cv: float = 50) -> None:
    c.ellipse(cu, cv, r, r, fill=True)
    c.ellipse(cu, cv, r * 0.42, r, width=c.ink.width * 0.8)
    c.line((cu - r / 2, cv), (cu + r / 2, cv), width=c.ink.width * 0.8)
    c.arc(cu, cv - r * 0.25, r * 0.86, r * 0.22, 0.0, math.pi, width=c.ink.width * 0.7)
    c.arc(cu, cv + r * 0.25, r * 0.86, r * 0.22, math.pi, math.tau, width=c.ink.width * 0.7)


def _dns(c: Canvas) -> None:
    _globe(c)


def _cdn(c: Canvas) -> None:
    _globe(c, r=58)
    for u, v in ((12, 14), (88, 14), (12, 86), (88, 86)):
        c.line((u, v), (50 + (u - 50) * 0.45, 50 + (v - 50) * 0.45), width=c.ink.width * 0.7, dash="3 3")
        c.ellipse(u, v, 13, 13, fill=True, strong=True)


def _object_store(c: Canvas) -> None:
    outline = c.ps([(14, 24), (86, 24), (76, 88), (24, 88)])
    c.fill(outline)
    c.ellipse(50, 24, 72, 16)
    c.line((14, 24), (24, 88))
    c.line((86, 24), (76, 88))
    c.arc(50, 88, 52, 10, 0, math.pi)
    c.arc(50, 52, 62, 12, 0.1, math.pi - 0.1, width=c.ink.width * 0.7)


def _file_store(c: Canvas) -> None:
    c.poly([(8, 24), (36, 24), (44, 33), (92, 33), (92, 82), (8, 82)], fill=True)
    c.line((8, 40), (92, 40), width=c.ink.width * 0.8)


def _search(c: Canvas) -> None:
    c.ellipse(40, 40, 54, 54, fill=True)
    c.line((60, 60), (88, 88), width=c.ink.width * 2.6)
    c.arc(40, 40, 36, 36, math.pi * 1.1, math.pi * 1.45, width=c.ink.width * 0.8)


def _analytics(c: Canvas) -> None:
    c.line((10, 90), (92, 90))
    c.line((10, 90), (10, 10))
    for i, h in enumerate((30, 56, 40, 74)):
        u = 18 + i * 18
        c.rect(u, 90 - h, 13, h, fill=True, strong=i == 3, width=c.ink.width * 0.9)


def _coordinator(c: Canvas) -> None:
    corners = ((16, 18), (84, 18), (16, 82), (84, 82))
    for u, v in corners:
        c.line((50, 50), (u, v), width=c.ink.width * 0.9)
    for u, v in corners:
        c.ellipse(u, v, 18, 18, fill=True)
    c.ellipse(50, 50, 34, 34, fill=True, strong=False)
    c.dot(50, 50, 4)


def _discovery(c: Canvas) -> None:
    c.ellipse(50, 50, 80, 80, fill=True)
    c.poly([(50, 16), (58, 50), (50, 84), (42, 50)], width=c.ink.width)
    c.poly([(50, 16), (58, 50), (42, 50)], fill=True, strong=True, width=c.ink.width * 0.5)
    c.dot(50, 50, 3)


def _id_generator(c: Canvas) -> None:
    c.rect(6, 28, 88, 44, fill=True)
    for i, digit in enumerate("427"):
        u = 12 + i * 27
        c.rect(u, 34, 22, 32, width=c.ink.width * 0.8)
        c.text(u + 11, 60, digit, 26)
    c.line((84, 20), (84, 26), width=c.ink.width * 0.8)


def _monitoring(c: Canvas) -> None:
    c.rect(8, 14, 84, 58, fill=True)
    c.poly(
        [(14, 48), (30, 48), (38, 28), (48, 64), (56, 40), (62, 48), (86, 48)], closed=False, width=c.ink.width * 1.1
    )
    c.line((50, 72), (50, 84))
    c.line((32, 86), (68, 86))


def _notification(c: Canvas) -> None:
    pts = [(20, 76), (28, 64), (28, 42), (36, 26), (50, 20), (64, 26), (72, 42), (72, 64), (80, 76)]
    c.fill(c.ps([*pts]))
    c.stroke(c.pen.curve(c.ps(pts)))
    c.line((18, 76), (82, 76))
    c.ellipse(50, 84, 12, 10)
    c.line((50, 20), (50, 12))


def _scheduler(c: Canvas) -> None:
    c.ellipse(50, 50, 80, 80, fill=True)
    c.line((50, 50), (50, 24), width=c.ink.width * 1.3)
    c.line((50, 50), (68, 60), width=c.ink.width * 1.3)
    for k in range(12):
        a = math.tau * k / 12
        r1, r2 = (31, 36) if k % 3 else (27, 36)
        c.line(
            (50 + r1 * math.cos(a), 50 + r1 * math.sin(a)),
            (50 + r2 * math.cos(a), 50 + r2 * math.sin(a)),
            width=c.ink.width * 0.7,
        )


def _gear(c: Canvas, cu: float, cv: float, r: float, teeth: int) -> None:
    pts = []
    for k in range(teeth * 4):
        a = math.tau * k / (teeth * 4)
        rr = r if (k % 4) in (0, 1) else r * 0.78
        pts.append((cu + rr * math.cos(a), cv + rr * math.sin(a)))
    c.poly(pts, fill=True)
    c.ellipse(cu, cv, r * 0.62, r * 0.62)


def _worker(c: Canvas) -> None:
    _gear(c, 40, 42, 32, 8)
    _gear(c, 76, 76, 18, 6)


def _third_party(c: Canvas) -> None:
    bumps = [
        (14, 78),
        (8, 64),
        (18, 50),
        (30, 48),
        (36, 34),
        (54, 28),
        (68, 38),
        (80, 38),
        (90, 52),
        (92, 68),
        (82, 80),
    ]
    c.fill(c.ps(bumps))
    c.stroke(c.pen.curve(c.ps(bumps), closed=True))


DRAWINGS: dict[str, Callable[[Canvas], None]] = {
    "client": _client,
    "user": _user,
    "mobile": _mobile,
    "dns": _dns,
    "cdn": _cdn,
    "load_balancer": _load_balancer,
    "api_gateway": _api_gateway,
    "service": _service,
    "worker": _worker,
    "scheduler": _scheduler,
    "cache": _cache,
    "sql": _sql,
    "nosql": _nosql,
    "key_value": _key_value,
    "document": _document,
    "wide_column": _wide_column,
    "graph_db": _graph_db,
    "timeseries": _timeseries,
    "object_store": _object_store,
    "file_store": _file_store,
    "queue": _queue,
    "stream": _stream,
    "pubsub": _pubsub,
    "search": _search,
    "analytics": _analytics,
    "coordinator": _coordinator,
    "discovery": _discovery,
    "rate_limiter": _rate_limiter,
    "id_generator": _id_generator,
    "monitoring": _monitoring,
    "notification": _notification,
    "websocket": _websocket,
    "third_party": _third_party,
    "generic": _box,
}
"""The drawing of every kind."""


def ink_for(theme: Theme, kind: str, *, emphasis: str = "normal") -> Ink:
    """The colours a kind is drawn in, in a theme."""
    return Ink(
        stroke=theme.kind_color(kind),
        fill=theme.kind_fill(kind),
        paper=theme.paper,
        width=theme.stroke * (1.35 if emphasis == "highlight" else 1.0),
        fill_opacity=theme.fill_opacity,
        hachure=theme.hachure,
        gap=theme.hachure_gap,
        angle=theme.hachure_angle,
    )


def draw_kind(
    kind: str,
    x: float,
    y: float,
    size: float,
    *,
    pen: Pen,
    ink: Ink,
    replicas: int = 1,
) -> list[str]:
    """SVG elements drawing a kind in the square at (x, y) of side ``size``; replicas as a stack of copies.

    >>> from generator.render.pen import seeded
    >>> from generator.render.themes import get_theme
    >>> parts = draw_kind("sql", 0, 0, 64, pen=Pen(seeded("db")), ink=ink_for(get_theme("whiteboard"), "sql"))
    >>> all(p.startswith("<") for p in parts) and len(parts) > 3
    True
    """
    drawing = DRAWINGS.get(kind, _box)
    copies = min(max(replicas, 1), 3)
    if copies == 1:
        canvas = Canvas(pen, ink, x, y, size)
        drawing(canvas)
        return canvas.out
    step = size * 0.09
    inner = size - step * (copies - 1)
    out: list[str] = []
    for i in reversed(range(copies)):
        canvas = Canvas(pen, ink, x + step * i, y + step * (copies - 1 - i), inner)
        if i < copies - 1 and kind in _OPEN:
            # An open drawing (bars, spokes, a stick figure) would let the copy behind show through its gaps.
            cx, cy = canvas.p(4, 4)
            side = 92 * canvas.s
            canvas.out.append(
                f'<rect x="{fmt(cx)}" y="{fmt(cy)}" width="{fmt(side)}" height="{fmt(side)}" rx="{fmt(side / 8)}" '
                f'fill="{ink.paper}"/>'
            )
        drawing(canvas)
        out.extend(canvas.out)
    return out


_OPEN = frozenset({"analytics", "user", "coordinator", "pubsub", "cdn"})
"""Kinds whose drawing has no closed outline to hide the copies stacked behind it."""
