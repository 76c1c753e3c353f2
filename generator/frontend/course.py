"""The course file (``course.toml`` beside the designs): the index's title, introduction, parts and lesson names."""

from __future__ import annotations

import tomllib

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import DesignError, Diagnostic, Location

__all__ = ["COURSE_FILE", "Course", "Part", "parse_course"]

COURSE_FILE = "course.toml"
"""The course file's name, looked for in the designs' folder."""


class Part(BaseModel):
    """A part of the course and the lessons it holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    lessons: list[int] = Field(default_factory=list)


class Course(BaseModel):
    """How the index presents the designs: a title, an introduction, parts, and a name for each lesson."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Designs"
    intro: str = ""
    parts: list[Part] = Field(default_factory=list)
    lessons: dict[int, str] = Field(default_factory=dict)
    order: list[str] = Field(default_factory=list)
    """Design ids to list first within their lesson, in this order; the others follow by title."""

    def part_of(self, lesson: int | None) -> str:
        """The title of the part a lesson belongs to, or an empty string.

        >>> Course(parts=[Part(title="One", lessons=[1, 2])]).part_of(2)
        'One'
        """
        for part in self.parts:
            if lesson in part.lessons:
                return part.title
        return ""


def parse_course(raw: bytes | None, *, path: str = COURSE_FILE) -> Course:
    """Read a course file; no file gives the defaults.

    Raises:
        DesignError: The file is not valid TOML or has unknown or mistyped fields.

    >>> parse_course(b'title = "T"\\n[lessons]\\n1 = "Intro"\\n').lessons
    {1: 'Intro'}
    """
    if raw is None:
        return Course()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DesignError([Diagnostic(Location(path), f"the course file is not valid TOML: {exc}")]) from None
    try:
        return Course.model_validate(data)
    except ValidationError as exc:
        raise DesignError(
            [
                Diagnostic(Location(path), f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}")
                for e in exc.errors(include_url=False)
            ]
        ) from None
