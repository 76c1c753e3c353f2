"""The course file (``course.toml`` beside the designs): the index's title, introduction, parts and lesson names."""

from __future__ import annotations

import difflib
import re
import tomllib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import DesignError, Diagnostic, Location

__all__ = ["COURSE_FILE", "Course", "CoursePanel", "Part", "course_diagnostics", "course_location", "parse_course"]

COURSE_FILE = "course.toml"
"""The course file's name, looked for in the designs' folder."""


class Part(BaseModel):
    """A part of the course and the lessons it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    lessons: list[int] = Field(default_factory=list)


class CoursePanel(BaseModel):
    """Pictures of several designs side by side: ``design/picture`` names each (``url-shortener/overview``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    views: list[str] = Field(min_length=2, max_length=6)
    columns: int | None = Field(default=None, ge=1, le=6)


class Course(BaseModel):
    """How the index presents the designs: a title, an introduction, parts, and a name for each lesson."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Designs"
    intro: str = ""
    parts: list[Part] = Field(default_factory=list)
    lessons: dict[int, str] = Field(default_factory=dict)
    order: list[str] = Field(default_factory=list)
    """Design ids to list first within their lesson, in this order; the others follow by title."""
    png: Literal["full", "palette"] = "full"
    """The course's PNGs: full colour, or 32-colour palette PNGs about a seventh of the size (for a repository)."""
    cheat_sheet: bool = False
    """Build the appendix's numbers cheat-sheet (latency, availability, traffic, sizes), computed."""
    panels: list[CoursePanel] = Field(default_factory=list)
    """Comparisons across designs, each drawn as ``appendix/panel-<id>.svg`` and listed in the index."""
    glossary: dict[str, str] = Field(default_factory=dict)
    """Terms and their meanings: the appendix's glossary, each term linked to the designs that use it."""

    def part_of(self, lesson: int | None) -> str:
        """The title of the part a lesson belongs to, or an empty string.

        >>> Course(parts=[Part(title="One", lessons=[1, 2])]).part_of(2)
        'One'
        """
        for part in self.parts:
            if lesson in part.lessons:
                return part.title
        return ""

    def place(self, ident: str, lesson: int | None, title: str) -> tuple[int, int, str, str]:
        """Where a design comes in the course's reading order: by lesson, then as ``order`` lists it, then by title.

        >>> course = Course(order=["b"])
        >>> sorted(["a", "b"], key=lambda i: course.place(i, 1, i.upper()))
        ['b', 'a']
        """
        first = self.order.index(ident) if ident in self.order else len(self.order)
        return (lesson or 10_000, first, title.lower(), ident)


def parse_course(raw: bytes | None, *, path: str = COURSE_FILE) -> Course:
    """Read a course file; no file gives the defaults.

    Raises:
        DesignError: The file is not valid TOML or has unknown or mistyped fields, each error at its line.

    >>> parse_course(b'title = "T"\\n[lessons]\\n1 = "Intro"\\n').lessons
    {1: 'Intro'}
    """
    if raw is None:
        return Course()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise DesignError([Diagnostic(Location(path), f"the course file is not UTF-8 text ({exc.reason})")]) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise DesignError(
            [Diagnostic(Location(path, line, column), f"the course file is not valid TOML: {message}")]
        ) from None
    try:
        return Course.model_validate(data)
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            keys = [str(p) for p in error["loc"]]
            line, column = _find(text, keys)
            errors.append(Diagnostic(Location(path, line, column), f"{'.'.join(keys)}: {error['msg']}"))
        raise DesignError(errors) from None


def _find(text: str, keys: list[str]) -> tuple[int, int]:
    """The line and column where a key path is written in TOML text, as near as a plain search can tell.

    >>> _find('title = "x"\\n[lessons]\\n7 = "Seven"\\n', ["lessons", "7"])
    (3, 1)
    """
    line, column = 1, 1
    start = 0
    for key in keys:
        pattern = re.compile(rf"^\s*(\[\s*)?[\"']?{re.escape(key)}[\"']?\s*(=|\])", re.MULTILINE)
        match = pattern.search(text, start)
        if match is None:
            break
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + len(match[0]) - len(match[0].lstrip()) + 1
    return line, column


def course_diagnostics(raw: bytes, *, path: str, designs: set[str]) -> list[Diagnostic]:
    """Design ids the course file's ``order`` names that no design has, each at its line, with a hint.

    >>> [str(d) for d in course_diagnostics(b'order = ["url-shortner"]', path="c.toml", designs={"url-shortener"})]
    ["c.toml:1:10: error: order names 'url-shortner', which is no design (did you mean 'url-shortener'?)"]
    """
    try:
        course = parse_course(raw, path=path)
    except DesignError:  # the course file's own errors are reported by parse_course
        return []
    out = []
    for panel in course.panels:
        for member in panel.views:
            ident, _, view = member.partition("/")
            if ident in designs and view:
                continue
            close = difflib.get_close_matches(ident, sorted(designs), n=1)
            out.append(
                Diagnostic(
                    course_location(raw, path=path, quoted=member),
                    f"panel '{panel.id}' shows '{member}', which is no design's picture",
                    hint="name it design/picture, as url-shortener/overview"
                    + (f" (did you mean '{close[0]}'?)" if close and ident not in designs else ""),
                )
            )
    if "appendix" in designs and (course.cheat_sheet or course.glossary or course.panels):
        out.append(
            Diagnostic(
                Location(path, 1, 1),
                "a design's id is 'appendix', the folder of the course's appendix pages",
                hint="give the design another id",
            )
        )
    for ident in course.order:
        if ident in designs:
            continue
        close = difflib.get_close_matches(ident, sorted(designs), n=1)
        out.append(
            Diagnostic(
                course_location(raw, path=path, quoted=ident),
                f"order names '{ident}', which is no design",
                hint=f"did you mean '{close[0]}'?" if close else "remove it, or add the design",
            )
        )
    return out


def course_location(raw: bytes, *, path: str, quoted: str) -> Location:
    """Where a quoted string first stands in the course file (its first line when it is not found).

    >>> str(course_location(b'a = 1\\nviews = ["x/y"]', path="c.toml", quoted="x/y"))
    'c.toml:2:10'
    """
    text = raw.decode("utf-8", "replace")
    match = re.search(rf"[\"']{re.escape(quoted)}[\"']", text)
    if match is None:
        return Location(path, 1, 1)
    return Location(
        path, text.count("\n", 0, match.start()) + 1, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    )
