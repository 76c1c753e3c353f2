"""The one Graphviz adapter: DOT text quoting, running ``dot``, and reading its JSON back in SVG coordinates.

Architecture views and charts both go through it. It never writes files: the DOT source goes to ``dot`` on
standard input and the layout comes back as JSON on standard output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import BlueprintError, MissingToolError
from generator.layout.scene import Box, Point
from generator.layout.text import fontconfig_file, substitute

__all__ = [
    "INSTALL_HINT",
    "DotRunner",
    "Drawing",
    "dot_env",
    "dot_text",
    "floats",
    "label_box",
    "read_layout",
    "run_dot",
    "spline",
    "trim_layout",
]

DotRunner = Callable[[str], str]
"""Runs Graphviz: DOT source in, ``dot -Tjson`` out. :func:`run_dot` by default; a recording in the goldens."""

INSTALL_HINT = (
    "Graphviz's 'dot' was not found: install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
    "macOS: brew install graphviz)"
)


def dot_text(lines: list[str] | tuple[str, ...], *, end: str = "\\n") -> Any:
    """Label text for DOT: backslashes doubled (no ``\\N`` or ``\\l`` escapes from users), never an HTML label.

    >>> from graphviz import Digraph
    >>> g = Digraph()
    >>> g.node("x", label=dot_text(["a\\\\N", "<b>hi</b>"]))
    >>> print(g.source.splitlines()[1].strip())
    x [label="a\\\\N\\n<b>hi</b>"]
    """
    from graphviz import nohtml

    # Measure what will be drawn: characters the handwriting font lacks become the look-alikes drawn instead.
    joined = end.join(substitute(line).replace("\\", "\\\\") for line in lines)
    return nohtml(joined)


def dot_env() -> dict[str, str]:
    """The environment ``dot`` runs in: the package's fonts registered, no timestamps."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fontconfig_file())
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


def dot_budget() -> float:
    """Seconds ``dot`` may take for one view: ``BLUEPRINT_DOT_TIMEOUT``, else 60.

    >>> dot_budget() > 0
    True
    """
    try:
        return max(1.0, float(os.environ.get("BLUEPRINT_DOT_TIMEOUT", "60")))
    except ValueError:
        return 60.0


def run_dot(source: str, *, fmt: str = "json") -> str:
    """Run ``dot`` on DOT source and return its output.

    Raises:
        MissingToolError: Graphviz is not installed, with the command that installs it.
        BlueprintError: Graphviz failed, or took longer than :func:`dot_budget` (then it is stopped).
    """
    exe = shutil.which("dot")
    if exe is None:
        raise MissingToolError(INSTALL_HINT)
    budget = dot_budget()
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            env=dot_env(),
            check=False,
            timeout=budget,
        )
    except subprocess.TimeoutExpired:
        raise BlueprintError(
            f"Graphviz took more than {budget:g} s to lay out a view and was stopped; the view is too dense to"
            " read anyway: give its flows views of their own (views: {flows: true}) and leave them out of the"
            " overview (overview: false), or split the design (set BLUEPRINT_DOT_TIMEOUT to wait longer)"
        ) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BlueprintError(f"Graphviz could not lay out the diagram: {message[-1] if message else 'unknown error'}")
    return proc.stdout.decode("utf-8")


@dataclass(frozen=True)
class Drawing:
    """Graphviz's JSON output, with its coordinates turned into SVG's: origin at the top left, y growing down.

    Attributes:
        raw: The JSON document as Graphviz wrote it.
        width: The drawing's width, in points.
        height: The drawing's height, in points.
        pt: Turns a Graphviz point into an SVG point (rounded to 0.01).
    """

    raw: dict[str, Any]
    width: float
    height: float
    pt: Callable[[float, float], Point]

    def objects(self) -> list[dict[str, Any]]:
        """Graphviz's objects: clusters and nodes."""
        return list(self.raw.get("objects", []))

    def edges(self) -> list[dict[str, Any]]:
        """Graphviz's edges, each with its ``id`` attribute."""
        return list(self.raw.get("edges", []))

    def box(self, obj: dict[str, Any]) -> Box:
        """A node's box from its centre and size."""
        cx, cy = self.pt(*floats(obj["pos"]))
        w = float(obj["width"]) * 72
        h = float(obj["height"]) * 72
        return Box(round(cx - w / 2, 2), round(cy - h / 2, 2), round(w, 2), round(h, 2))


_KEPT = {
    "objects": ("name", "bb", "lp", "pos", "width", "height"),
    "edges": ("id", "pos", "_ldraw_"),
}


def trim_layout(text: str) -> str:
    """Graphviz's JSON cut down to what :func:`read_layout` reads, as compact, sorted JSON (for recordings).

    >>> trim_layout('{"bb": "0,0,1,1", "name": "g", "objects": [{"name": "a", "pos": "1,1", "color": "red"}]}')
    '{"bb":"0,0,1,1","edges":[],"objects":[{"name":"a","pos":"1,1"}]}'
    """
    raw = json.loads(text)
    out: dict[str, Any] = {"bb": raw["bb"]}
    for part, keys in _KEPT.items():
        out[part] = [{k: item[k] for k in keys if k in item} for item in raw.get(part, [])]
    return json.dumps(out, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def read_layout(text: str) -> Drawing:
    """Read the JSON ``dot -Tjson`` printed.

    >>> d = read_layout('{"bb": "0,0,100,50", "objects": [], "edges": []}')
    >>> d.width, d.height, d.pt(10, 50)
    (100.0, 50.0, (10.0, 0.0))
    """
    raw: dict[str, Any] = json.loads(text)
    x0, y0, x1, y1 = floats(raw["bb"])
    height = y1 - y0

    def pt(x: float, y: float) -> Point:
        return (round(x - x0, 2), round(height - (y - y0), 2))

    return Drawing(raw, round(x1 - x0, 2), round(height, 2), pt)


def floats(text: str) -> list[float]:
    """Numbers from a Graphviz coordinate list such as ``"1,2 3,4"``."""
    return [float(v) for v in text.replace(",", " ").split()]


def spline(pos: str, pt: Any, *, reverse: bool = False) -> tuple[list[Point], Point | None]:
    """Parse an edge's ``pos``: optional ``s,x,y`` and ``e,x,y`` arrow points, then Bézier control points.

    With ``reverse`` (an edge laid out backwards, its arrow at the tail) the points come back in drawing order,
    ending at the arrow's tip.
    """
    tip: Point | None = None
    start: Point | None = None
    points: list[Point] = []
    # Several splines are separated by ';' (only for concentrated edges); use the first.
    for token in pos.split(";")[0].split():
        if token.startswith("e,"):
            _, x, y = token.split(",")
            tip = pt(float(x), float(y))
        elif token.startswith("s,"):
            _, x, y = token.split(",")
            start = pt(float(x), float(y))
        else:
            x, y = token.split(",")[:2]
            points.append(pt(float(x), float(y)))
    if reverse:
        return points[::-1], start
    if start is not None:
        points.insert(0, start)
    return points, tip


def label_box(obj: dict[str, Any], pt: Any, fontsize: float) -> Box | None:
    """The box around an edge label's text, from its drawing operations (None when it has no label)."""
    boxes = list(_text_boxes(obj.get("_ldraw_", []), pt, fontsize))
    if not boxes:
        return None
    left = min(b.x for b in boxes)
    top = min(b.y for b in boxes)
    right = max(b.right for b in boxes)
    bottom = max(b.bottom for b in boxes)
    return Box(round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2))


def _text_boxes(ops: list[dict[str, Any]], pt: Any, fontsize: float) -> Iterator[Box]:
    size = fontsize
    for op in ops:
        if op.get("op") == "F":
            size = float(op.get("size", fontsize))
        elif op.get("op") == "T":
            x, y = pt(*op["pt"])
            width = float(op["width"])
            align = op.get("align", "c")
            left = x - width / 2 if align == "c" else (x - width if align == "r" else x)
            yield Box(left, y - size * 0.95, width, size * 1.3)
