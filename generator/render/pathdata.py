"""The pen's SVG path data, written compactly and read back for the picture review.

Coordinates are rounded to tenths of a unit (a twentieth of a pixel in the 2x PNG), the first point of each
subpath absolute and the rest relative to it (computed from the rounded points, so rounding never accumulates),
``s`` where a curve's first control point mirrors the last one (every joint of a Catmull-Rom curve), ``h``/``v``
for level and plumb lines, no zero before a decimal point and no space before a minus sign or a second decimal
point. About half the bytes of two-decimal absolute coordinates, and no difference a reader can see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.layout.scene import Point

__all__ = ["PathWriter", "polygon", "subpaths"]

_TENTHS: dict[int, str] = {}


def _tenths(n: int) -> str:
    """A whole number of tenths as the shortest decimal.

    >>> [_tenths(n) for n in (0, 5, -5, 20, -23, 1234)]
    ['0', '.5', '-.5', '2', '-2.3', '123.4']
    """
    text = _TENTHS.get(n)
    if text is None:
        whole, tenth = divmod(abs(n), 10)
        text = ("-" if n < 0 else "") + (str(whole) if whole or not tenth else "") + (f".{tenth}" if tenth else "")
        _TENTHS[n] = text
    return text


def _q(v: float) -> int:
    return round(v * 10)


class PathWriter:
    """Writes path data: absolute points in, compact relative commands out."""

    __slots__ = ("at", "command", "mirror", "out", "prev")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.command = ""
        self.prev = ""
        self.at = (0, 0)
        self.mirror: tuple[int, int] | None = None

    def _emit(self, command: str, numbers: Sequence[int]) -> None:
        out = self.out
        prev = self.prev
        if command != self.command or command == "M":
            out.append(command)
            prev = ""
        for n in numbers:
            text = _tenths(n)
            if prev and text[0] != "-" and not (text[0] == "." and "." in prev):
                out.append(" ")
            out.append(text)
            prev = text
        self.command = command
        self.prev = prev

    def move(self, p: Point) -> None:
        x, y = _q(p[0]), _q(p[1])
        self._emit("M", (x, y))
        self.at = (x, y)
        self.mirror = None

    def line(self, p: Point) -> None:
        x, y = _q(p[0]), _q(p[1])
        ax, ay = self.at
        if y == ay:
            self._emit("h", (x - ax,))
        elif x == ax:
            self._emit("v", (y - ay,))
        else:
            self._emit("l", (x - ax, y - ay))
        self.at = (x, y)
        self.mirror = None

    def cubic(self, c1: Point, c2: Point, p: Point) -> None:
        x1, y1, x2, y2, x, y = _q(c1[0]), _q(c1[1]), _q(c2[0]), _q(c2[1]), _q(p[0]), _q(p[1])
        ax, ay = self.at
        m = self.mirror
        if m is not None and abs(m[0] - x1) <= 1 and abs(m[1] - y1) <= 1:
            self._emit("s", (x2 - ax, y2 - ay, x - ax, y - ay))
        else:
            self._emit("c", (x1 - ax, y1 - ay, x2 - ax, y2 - ay, x - ax, y - ay))
        self.at = (x, y)
        self.mirror = (2 * x - x2, 2 * y - y2)

    def close(self) -> None:
        self.out.append("Z")
        self.command = "Z"
        self.prev = ""
        self.mirror = None

    def text(self) -> str:
        return "".join(self.out)


def polygon(points: Sequence[Point]) -> str:
    """A closed polygon's path data (a crisp outline or a fill).

    >>> polygon([(0, 0), (10, 0), (10, 5.25), (0, 5)])
    'M0 0h10v5.2l-10-.2Z'
    """
    if not points:
        return ""
    path = PathWriter()
    path.move(points[0])
    for p in points[1:]:
        path.line(p)
    path.close()
    return path.text()


_COMMAND = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "A": 7, "Z": 0}


def subpaths(d: str) -> list[list[Point]]:
    """Each subpath of path data as a chain of cubic Béziers in absolute coordinates (p0, c1, c2, p1, c1, c2, p2
    ...): lines (and arcs, taken as the line to their end) become straight cubics, ``s`` is spelt out. For readers
    of drawn SVGs (the picture review, tests).

    >>> subpaths("M10 10c1 0 2 0 3 0s2 0 3 0h4")
    [[(10.0, 10.0), (11.0, 10.0), (12.0, 10.0), (13.0, 10.0), (14.0, 10.0), (15.0, 10.0), (16.0, 10.0), \
(16.0, 10.0), (20.0, 10.0), (20.0, 10.0)]]
    """
    out: list[list[Point]] = []
    tokens = _COMMAND.findall(d)
    x = y = sx = sy = 0.0
    mirror: Point | None = None
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                x, y, mirror = sx, sy, None
                continue
        upper = command.upper()
        if upper not in _ARITY:
            raise ValueError(f"path command {command!r} is not read")
        n = _ARITY[upper]
        values = [float(v) for v in tokens[i : i + n]]
        i += n
        rel = command.islower()
        if upper == "M":
            x, y = (x + values[0], y + values[1]) if rel else (values[0], values[1])
            sx, sy, mirror = x, y, None
            out.append([(x, y)])
            command = "l" if rel else "L"  # further pairs are line-tos
            continue
        if upper in "LHVA":
            if upper in "LA":
                nx, ny = (x + values[-2], y + values[-1]) if rel else (values[-2], values[-1])
            elif upper == "H":
                nx, ny = (x + values[0] if rel else values[0]), y
            else:
                nx, ny = x, (y + values[0] if rel else values[0])
            out[-1].extend([(x, y), (nx, ny), (nx, ny)])
            x, y, mirror = nx, ny, None
            continue
        pts = [(x + values[k], y + values[k + 1]) if rel else (values[k], values[k + 1]) for k in range(0, n, 2)]
        if upper == "S":
            pts.insert(0, mirror if mirror is not None else (x, y))
        out[-1].extend(pts)
        (c2x, c2y), (x, y) = pts[1], pts[2]
        mirror = (2 * x - c2x, 2 * y - c2y)
    return out
