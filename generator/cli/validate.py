"""``blueprint validate``: check design files and report every error, located."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import main

__all__ = ["validate"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check design files and report every error as path:line:col: message."""
    from generator.build.loading import load_all

    designs = load_all(list(paths))
    click.echo(f"{len(designs)} design{'s' if len(designs) != 1 else ''} valid")
