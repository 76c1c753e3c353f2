"""A grade as text (``path:line:col`` into the learner's file), JSON or Markdown, always in the same order."""

from __future__ import annotations

import json

from generator.frontend.load import SourceMap
from generator.practice.grade import Grade

__all__ = ["FORMATS", "render_grade"]

FORMATS = ("text", "json", "markdown")
"""The formats ``blueprint grade --format`` writes."""


def _where(grade: Grade, source: SourceMap) -> list[tuple[str, int, int]]:
    out = []
    for remark in grade.remarks:
        location = source.locate(remark.path, key=True)
        out.append((location.path, location.line, location.column))
    return out


def render_grade(grade: Grade, source: SourceMap, *, fmt: str = "text") -> str:
    """The grade in one of :data:`FORMATS`; remarks are located in the learner's file with its source map."""
    places = _where(grade, source)
    if fmt == "json":
        data = {
            "learner": grade.learner,
            "reference": grade.reference,
            "total": grade.total,
            "areas": [
                {"area": a.name, "score": a.score, "passed": a.passed, "checked": a.total, "weight": a.weight}
                for a in grade.areas
            ],
            "remarks": [
                {
                    "area": r.area,
                    "file": file,
                    "line": line,
                    "column": column,
                    "message": r.message,
                    "hint": r.hint,
                    "scored": not r.extra,
                }
                for r, (file, line, column) in zip(grade.remarks, places, strict=True)
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        lines = [
            f"# Grade: {_md(grade.learner)} against {_md(grade.reference)}",
            "",
            f"**Total: {grade.total}/100**",
            "",
            "| Area | Score | Checks passed |",
            "|---|---|---|",
        ]
        lines += [f"| {a.name} | {a.score}/100 | {a.passed} of {a.total} |" for a in grade.areas]
        for title, extra in (("To fix", False), ("Beyond the reference (not scored)", True)):
            chosen = [(r, p) for r, p in zip(grade.remarks, places, strict=True) if r.extra is extra]
            if chosen:
                lines += ["", f"## {title}", ""]
                lines += [
                    f"- **{r.area}** (line {line}): {_md(r.message)}" + (f"; {_md(r.hint)}" if r.hint else "")
                    for r, (_, line, _) in chosen
                ]
        return "\n".join(lines)
    lines = []
    for remark, (file, line, column) in zip(grade.remarks, places, strict=True):
        label = "note" if remark.extra else "miss"
        hint = f" ({remark.hint})" if remark.hint else ""
        lines.append(f"{file}:{line}:{column}: {label} {remark.area}: {remark.message}{hint}")
    scores = ", ".join(f"{a.name} {a.score}" for a in grade.areas)
    lines.append(f"grade against {grade.reference}: {grade.total}/100 ({scores})")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside Markdown: no markup gets through.

    >>> _md("a *b* <c>")
    'a \\\\*b\\\\* &lt;c&gt;'
    """
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]#|~":
        out = out.replace(char, "\\" + char)
    return out
