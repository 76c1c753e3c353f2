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


_OUT = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Folder the diagrams and write-ups go to.",
)
_THEME = click.option(
    "--theme",
    type=click.Choice(_THEMES),
    default=None,
    help="Draw every design in this theme (default: each design's own, else whiteboard).",
)


@main.command(short_help="Build diagrams and write-ups, rendering only what changed.")
@_PATHS
@_OUT
@_THEME
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
    from generator.build.run import make_progress, run_build

    report = run_build(
        list(paths) or [Path("designs")],
        out_dir=out_dir,
        theme=theme,
        jobs=jobs,
        force=force,
        progress=make_progress(verbose=verbose),
    )
    click.echo(report.summary())


@main.command(short_help="Fail when output/ is not what a build would write.")
@_PATHS
@_OUT
@_THEME
def check(paths: tuple[Path, ...], out_dir: Path, theme: str | None) -> None:
    """Exit 1 naming every design whose outputs are missing, stale or edited, 0 when all are up to date.

    Renders nothing: compares content hashes of the designs, templates, fonts and blueprint itself with the
    manifest the last build wrote (output/.blueprint/manifest.json), and the output files with their hashes.
    """
    from generator.build.check import StaleOutputError, run_check

    report = run_check(list(paths) or [Path("designs")], out_dir=out_dir, theme=theme)
    if not report.ok:
        raise StaleOutputError(report.summary())
    click.echo(report.summary())


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
    from generator.frontend.schema import describe_written, run_schema

    text = run_schema(out=out)
    if text is not None:
        click.echo(text, nl=False)
    elif out is not None:
        click.echo(describe_written(out))


@main.command(short_help="Preview a design live in the browser as you edit it.")
@click.argument("design", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address to serve on.")
@_THEME
def watch(design: Path, port: int, host: str, theme: str | None) -> None:
    """Serve a live preview of DESIGN that redraws whenever the file is saved (Ctrl-C stops it)."""
    from generator.build.preview import run_watch

    run_watch(design, host=host, port=port, theme=theme, echo=click.echo)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check design files and report every error as path:line:col: message."""
    from generator.build.run import load_all

    designs = load_all(list(paths))
    click.echo(f"{len(designs)} design{'s' if len(designs) != 1 else ''} valid")


@main.command(short_help="Review designs as an interviewer would: located findings with stable codes.")
@_PATHS
@click.option("--strict", is_flag=True, help="Fail (exit status 1) on warnings as well as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "sarif")),
    default="text",
    show_default=True,
    help="text for people, json for tools, sarif for code-scanning annotations.",
)
@click.option("--explain", "explain_code", metavar="CODE", default=None, help="Explain one rule, such as BP110.")
def lint(paths: tuple[Path, ...], strict: bool, fmt: str, explain_code: str | None) -> None:
    """Review designs (default: designs/) for single points of failure, missing brokers, stale caches and more."""
    if explain_code is not None:
        from generator.analysis.lint import UnknownRuleError, explain

        try:
            click.echo(explain(explain_code))
        except UnknownRuleError as exc:
            raise BlueprintError(str(exc).strip("'\"")) from None
        return
    from generator.build.lint import run_lint

    outcome = run_lint(list(paths) or [Path("designs")], strict=strict, fmt=fmt)
    click.echo(outcome.text)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)


def run() -> None:  # pragma: no cover - console entry used by python -m generator
    """Run the command line, turning stray errors into messages rather than tracebacks."""
    try:
        main(standalone_mode=True)
    except BlueprintError as exc:
        exc.show()
        sys.exit(exc.exit_code)
