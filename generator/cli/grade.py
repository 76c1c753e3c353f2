"""``blueprint grade``: compare a learner's design with a reference design and score it on a rubric."""

from __future__ import annotations

import re
from pathlib import Path

import click

from generator.cli.main import main
from generator.errors import BlueprintError, printable

__all__ = ["find_reference", "grade"]

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z][A-Za-z0-9_-]*)['\"]?\s*$", re.MULTILINE)


def find_reference(reference: str, *, folder: Path = Path("designs")) -> Path:
    """The reference design's file: the path given, else the course design in ``folder`` with that id.

    Raises:
        BlueprintError: Neither a file nor a design id of the folder (the message lists the ids).
    """
    given = Path(reference)
    if given.is_file():
        return given
    candidate = folder / f"{reference}.yaml"
    if candidate.is_file():
        return candidate
    found = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            match = _ID_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        found[match[1] if match else path.stem] = path
    if reference in found:
        return found[reference]
    from generator.frontend.hints import did_you_mean

    hint = did_you_mean(reference, list(found)) or (f"the designs are {', '.join(found)}" if found else "")
    raise BlueprintError(
        f"{reference}: no such file, and no design in {folder.as_posix()}/ has that id" + (f" ({hint})" if hint else "")
    )


@main.command(short_help="Grade a learner's design against a reference: roles, flows, resilience, estimates.")
@click.argument("mine", type=click.Path(path_type=Path))
@click.option(
    "--against",
    "reference",
    required=True,
    metavar="REFERENCE",
    help="The reference: a design file, or the id of a course design in designs/ (such as url-shortener).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="text with path:line:col for people and editors, json for tools, markdown for a page.",
)
@click.option("--designs", "folder", type=click.Path(path_type=Path), default=Path("designs"), hidden=True)
def grade(mine: Path, reference: str, fmt: str, folder: Path) -> None:
    """Compare MINE with a reference design and print a rubric: what is missing, what is off, and a score."""
    from generator.build.pipeline import load_prepared
    from generator.practice.grade import grade as grade_design
    from generator.practice.report import render_grade

    learner = load_prepared(mine)
    ref_path = find_reference(reference, folder=folder)
    model = load_prepared(ref_path).design
    result = grade_design(learner.design, model, learner_name=mine.as_posix(), reference_name=reference)
    click.echo(printable(render_grade(result, learner.source, fmt=fmt)))
