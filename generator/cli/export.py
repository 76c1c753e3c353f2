"""``blueprint export``: a design's view as D2, Mermaid, Excalidraw or draw.io, to keep working on it in another
tool."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import main

__all__ = ["export"]


@main.command(short_help="Write a design's view as D2, Mermaid, Excalidraw or draw.io.")
@click.argument("design", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("d2", "mermaid", "excalidraw", "drawio")),
    required=True,
    help="The tool to write for.",
)
@click.option(
    "--view",
    default="overview",
    show_default=True,
    help="overview, a flow's id, a stage's picture (stage-1-...), or FLOW-sequence for a flow's sequence.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file instead of printing.",
)
def export(design: Path, fmt: str, view: str, out: Path | None) -> None:
    """Write one view of DESIGN as D2 (sketch mode on), Mermaid (a flowchart, or a sequenceDiagram for
    FLOW-sequence), an Excalidraw scene or a draw.io file (both at blueprint's own layout, pictures only), every
    label escaped for the format."""
    from generator.build.export import export_view
    from generator.build.io import display_path, write_if_changed

    text = export_view(design, fmt, view)
    if out is None:
        click.echo(text, nl=False)
        return
    write_if_changed(out, text.encode("utf-8"))
    click.echo(f"wrote {view} of {display_path(design)} as {fmt} to {display_path(out)}")
