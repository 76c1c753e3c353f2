"""``blueprint lint``: review designs as an interviewer would."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.main import PATHS, main
from generator.errors import printable

__all__ = ["lint"]


@main.command(short_help="Review designs as an interviewer would: located findings with stable codes.")
@PATHS
@click.option("--strict", is_flag=True, help="Fail (exit status 1) on warnings as well as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "sarif")),
    default="text",
    show_default=True,
    help="text for people, json for tools, sarif for code-scanning annotations.",
)
@click.option(
    "--pictures",
    is_flag=True,
    help="Also draw every view and check it reads on a 1920x1080 slide (BP130-BP136); needs Graphviz.",
)
@click.option("--explain", "explain_code", metavar="CODE", default=None, help="Explain one rule, such as BP110.")
def lint(paths: tuple[Path, ...], strict: bool, fmt: str, pictures: bool, explain_code: str | None) -> None:
    """Review designs (default: designs/) for single points of failure, missing brokers, stale caches and more."""
    if explain_code is not None:
        from generator.analysis.lint import UnknownRuleError, explain

        try:
            click.echo(explain(explain_code))
        except UnknownRuleError as exc:  # a usage mistake: exit status 2
            raise click.BadParameter(str(exc).strip("'\""), param_hint="--explain") from None
        return
    from generator.build.lint import run_lint

    outcome = run_lint(list(paths) or [Path("designs")], strict=strict, fmt=fmt, pictures=pictures)
    click.echo(printable(outcome.text))
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
