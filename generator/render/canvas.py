"""A drawing's canvas: a 100 x 100 grid mapped into the square a node's drawing fills, and the ink it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.render.pen import Pen, Point, fmt, polygon_of_ellipse
from generator.render.pen import polygon as polygon_path

__all__ = ["Canvas", "Ink"]


@dataclass(frozen=True)
class Ink:
    """Colours and widths for one drawing."""

    stroke: str
    fill: str
    paper: str
    width: float
    fill_opacity: float
    hachure: bool
    gap: float
    angle: float


class Canvas:
    """Maps the 100-unit grid into a square and collects SVG elements."""

    def __init__(self, pen: Pen, ink: Ink, x: float, y: float, size: float) -> None:
        self.pen = pen
        self.ink = ink
        self.x = x
        self.y = y
        self.s = size / 100.0
        self.out: list[str] = []

    def p(self, u: float, v: float) -> Point:
        return (self.x + u * self.s, self.y + v * self.s)

    def ps(self, pts: Sequence[tuple[float, float]]) -> list[Point]:
        return [self.p(u, v) for u, v in pts]

    def stroke(self, d: str, *, width: float | None = None, color: str | None = None, dash: str = "") -> None:
        if not d:
            return
        w = self.ink.width if width is None else width
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.out.append(
            f'<path d="{d}" fill="none" stroke="{color or self.ink.stroke}" stroke-width="{fmt(w)}"{extra}/>'
        )

    def fill(self, polygon: Sequence[Point], *, strong: bool = False) -> None:
        """Back a silhouette with paper (so stacked copies hide each other), then fill or hatch it."""
        if len(polygon) < 3:
            return
        crisp = polygon_path(polygon)
        self.out.append(f'<path d="{crisp}" fill="{self.ink.paper}"/>')
        if self.ink.hachure:
            tint = min(1.0, self.ink.fill_opacity * 0.6)
            self.out.append(f'<path d="{crisp}" fill="{self.ink.fill}" fill-opacity="{fmt(tint)}"/>')
            gap = self.ink.gap * (0.6 if strong else 1.0)
            hatch = self.pen.hachure(polygon, gap=gap, angle=self.ink.angle)
            self.stroke(hatch, width=1.0 if not strong else 1.3, color=self.ink.fill)
        else:
            opacity = self.ink.fill_opacity if not strong else 1.0
            color = self.ink.fill if not strong else self.ink.stroke
            self.out.append(f'<path d="{crisp}" fill="{color}" fill-opacity="{fmt(opacity)}"/>')

    # shorthands on the grid
    def line(self, a: tuple[float, float], b: tuple[float, float], **kw: Any) -> None:
        self.stroke(self.pen.line(self.p(*a), self.p(*b)), **kw)

    def poly(
        self,
        pts: Sequence[tuple[float, float]],
        *,
        closed: bool = True,
        fill: bool = False,
        strong: bool = False,
        **kw: Any,
    ) -> None:
        mapped = self.ps(pts)
        if fill:
            self.fill(mapped, strong=strong)
        self.stroke(self.pen.polyline(mapped, closed=closed), **kw)

    def rect(
        self, u: float, v: float, w: float, h: float, *, fill: bool = False, strong: bool = False, **kw: Any
    ) -> None:
        self.poly([(u, v), (u + w, v), (u + w, v + h), (u, v + h)], fill=fill, strong=strong, **kw)

    def ellipse(
        self, cu: float, cv: float, w: float, h: float, *, fill: bool = False, strong: bool = False, **kw: Any
    ) -> None:
        cx, cy = self.p(cu, cv)
        if fill:
            self.fill(polygon_of_ellipse(cx, cy, w * self.s, h * self.s), strong=strong)
        self.stroke(self.pen.ellipse(cx, cy, w * self.s, h * self.s), **kw)

    def arc(self, cu: float, cv: float, w: float, h: float, start: float, stop: float, **kw: Any) -> None:
        cx, cy = self.p(cu, cv)
        self.stroke(self.pen.arc(cx, cy, w * self.s, h * self.s, start, stop), **kw)

    def dot(self, cu: float, cv: float, r: float, color: str | None = None) -> None:
        cx, cy = self.p(cu, cv)
        self.out.append(
            f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r * self.s)}" fill="{color or self.ink.stroke}"/>'
        )

    def text(self, cu: float, cv: float, text: str, size: float) -> None:
        cx, cy = self.p(cu, cv)
        self.out.append(
            f'<text x="{fmt(cx)}" y="{fmt(cy)}" font-size="{fmt(size * self.s)}" text-anchor="middle" '
            f'fill="{self.ink.stroke}">{text}</text>'
        )
