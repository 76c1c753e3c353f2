"""``blueprint check``: fail when the output folder is not what a build would write."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import OUT, PATHS, THEME, main
from generator.errors import printable

__all__ = ["check"]


@main.command(short_help="Fail when output/ is not what a build would write.")
@PATHS
@OUT
@THEME
def check(paths: tuple[Path, ...], out_dir: Path, theme: str | None) -> None:
    """Exit 1 naming every design whose outputs are missing, stale or edited, 0 when all are up to date.

    Renders nothing: compares content hashes of the designs, templates, fonts and blueprint itself with the
    manifest the last build wrote (output/.blueprint/manifest.json), and the output files with their hashes.
    """
    from generator.build.check import StaleOutputError, run_check

    report = run_check(list(paths) or [Path("designs")], out_dir=out_dir, theme=theme)
    if not report.ok:
        raise StaleOutputError(report.summary())
    click.echo(printable(report.summary()))
