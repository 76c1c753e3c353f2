"""The ``blueprint`` command line: click commands that turn flags into options and call one pipeline function each."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.errors import BlueprintError

__all__ = ["main"]

_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
_THEMES = ("whiteboard", "blackboard", "clean")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="blueprint", prog_name="blueprint")
def main() -> None:
    """blueprint: system-design diagrams and write-ups from YAML design files."""


@main.command()
@_PATHS
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Folder the diagrams and write-ups go to.")
@click.option("--theme", type=click.Choice(_THEMES), default=None,
              help="Draw every design in this theme (default: each design's own, else whiteboard).")
def build(paths: tuple[Path, ...], out_dir: Path, theme: str | None) -> None:
    """Build diagrams (SVG, PNG) and Markdown write-ups for design files or folders (default: designs/)."""
    from generator.commands.build import run_build

    report = run_build(list(paths) or [Path("designs")], out_dir=out_dir, theme=theme)
    click.echo(report.summary())


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check design files and report every error as path:line:col: message."""
    from generator.commands.build import load_all

    designs = load_all(list(paths))
    click.echo(f"{len(designs)} design{'s' if len(designs) != 1 else ''} valid")


def run() -> None:  # pragma: no cover - console entry used by python -m generator
    """Run the command line, turning stray errors into messages rather than tracebacks."""
    try:
        main(standalone_mode=True)
    except BlueprintError as exc:
        exc.show()
        sys.exit(exc.exit_code)
