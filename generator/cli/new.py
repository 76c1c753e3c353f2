"""``blueprint new``: scaffold a design file."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import main

__all__ = ["new"]


@main.command(short_help="Scaffold a design file: a skeleton, or a copy (--from).")
@click.argument("name")
@click.option(
    "--from",
    "from_",
    metavar="DESIGN",
    default=None,
    help="Copy this design (a name in --dir, or a path) instead of writing the skeleton.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("designs"),
    show_default=True,
    help="Folder the new design file goes to.",
)
def new(name: str, from_: str | None, folder: Path) -> None:
    """Create designs/NAME.yaml: a commented skeleton, or a copy of another design (--from)."""
    from generator.build.scaffold import run_new

    click.echo(run_new(name, from_=from_, folder=folder).summary())
