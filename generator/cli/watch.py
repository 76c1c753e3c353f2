"""``blueprint watch``: a live preview of one design in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import THEME, main

__all__ = ["watch"]


@main.command(short_help="Preview a design live in the browser as you edit it.")
@click.argument("design", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address to serve on.")
@THEME
def watch(design: Path, port: int, host: str, theme: str | None) -> None:
    """Serve a live preview of DESIGN that redraws whenever the file is saved (Ctrl-C stops it)."""
    from generator.build.watch import run_watch

    run_watch(design, host=host, port=port, theme=theme, echo=click.echo)
