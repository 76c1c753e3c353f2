"""``blueprint build``: render designs into the output folder, only what changed."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import OUT, PATHS, THEME, main
from generator.errors import printable

__all__ = ["build"]


@main.command(short_help="Build diagrams and write-ups, rendering only what changed.")
@PATHS
@OUT
@THEME
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Designs rendered at once, in worker processes.  [default: the number of cores]",
)
@click.option("--force", is_flag=True, help="Render every design, even those whose outputs are up to date.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line per design when not on a terminal.")
def build(
    paths: tuple[Path, ...], out_dir: Path, theme: str | None, jobs: int | None, force: bool, verbose: bool
) -> None:
    """Build diagrams (SVG, PNG) and Markdown write-ups for design files or folders (default: designs/).

    Only designs whose file, theme or blueprint itself changed since the last build are rendered again, and
    only files whose bytes changed are rewritten.
    """
    from generator.build.progress import make_progress
    from generator.build.run import run_build

    report = run_build(
        list(paths) or [Path("designs")],
        out_dir=out_dir,
        theme=theme,
        jobs=jobs,
        force=force,
        progress=make_progress(verbose=verbose),
        say=lambda line: click.echo(line, err=True),
    )
    click.echo(printable(report.summary()))
