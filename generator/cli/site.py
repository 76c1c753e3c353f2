"""``blueprint site``: the course as a static website (pages, search, step-through flows, present mode)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import PATHS, THEME, jobs_option, main

__all__ = ["site"]


@main.command(short_help="Build the course as a static website.")
@PATHS
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Folder the website goes to.",
)
@click.option(
    "--from",
    "built",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Build folder whose up-to-date pictures are reused (the others are drawn now, in memory).",
)
@THEME
@jobs_option("prepared")
def site(paths: tuple[Path, ...], out_dir: Path, built: Path, theme: str | None, jobs: int | None) -> None:
    """Build a static, self-contained website from design files or folders (default: designs/) and the course
    file beside them: an index by part and lesson, a page per design, search, step-through flows, present mode
    and dark mode. It opens from the file system and from any static host, and makes no external request.
    """
    from generator.site.build import build_site

    report = build_site(list(paths) or [Path("designs")], out_dir=out_dir, built=built, theme=theme, jobs=jobs)
    click.echo(report.summary())
