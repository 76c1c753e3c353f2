"""``blueprint schema``: print or write the JSON Schema of design files."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import main

__all__ = ["schema"]


@main.command(short_help="Print the JSON Schema of design files.")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the schema to this file instead of printing it.",
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of design files, for editors (yaml-language-server) and CI."""
    from generator.build.io import display_path, write_if_changed
    from generator.frontend.schema import render_schema

    text = render_schema()
    if out is None:
        click.echo(text, nl=False)
        return
    write_if_changed(out, text.encode("utf-8"))
    click.echo(f"wrote the design-file schema to {display_path(out)}")
