"""The ``blueprint`` command group, the options commands share, and the one place errors become exit statuses."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.errors import BlueprintError, printable

__all__ = ["OUT", "PATHS", "THEME", "jobs_option", "main"]

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
"""Design files and folders (the commands default to designs/)."""

OUT = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Folder the diagrams and write-ups go to.",
)
"""The output folder."""


def _theme_names() -> tuple[str, ...]:
    from generator.frontend.vocabulary import THEME_NAMES

    return THEME_NAMES


THEME = click.option(
    "--theme",
    type=click.Choice(_theme_names()),
    default=None,
    help="Draw every design in this theme (default: each design's own, else whiteboard).",
)
"""A theme overriding each design's own."""


def jobs_option(doing: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``-j/--jobs`` option of a command that spreads designs over worker processes (``doing``: what each
    worker does with a design, as the help says it)."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help=f"Designs {doing} at once, in worker processes.  [default: the number of cores]",
    )


class Reported(click.ClickException):
    """A :class:`~generator.errors.BlueprintError` as click shows it: located messages as they are."""

    def __init__(self, error: BlueprintError) -> None:
        super().__init__(printable(error.format_message()))
        self.located = error.located

    def show(self, file: Any = None) -> None:
        """Print the message on standard error; only unlocated messages get click's ``Error:`` prefix."""
        if self.located:
            click.echo(self.format_message(), err=True)
        else:
            super().show(file)


class InternalError(click.ClickException):
    """An unexpected exception: a bug in blueprint. One line, exit status 70; ``BLUEPRINT_DEBUG=1`` shows where."""

    exit_code = 70

    def __init__(self, error: Exception) -> None:
        super().__init__(
            printable(
                f"blueprint hit a bug ({type(error).__name__}: {error}); please report it with the design that "
                "caused it (BLUEPRINT_DEBUG=1 shows the traceback)"
            )
        )


class _Group(click.Group):
    """A click group that reports blueprint's errors as messages with their exit status, never as tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BlueprintError as error:
            if error.exit_code == 2:
                raise click.UsageError(printable(error.format_message()), ctx) from None
            raise Reported(error) from None
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # a bug in blueprint, not a mistake of the user's: say so in one line
            if os.environ.get("BLUEPRINT_DEBUG"):
                raise
            raise InternalError(error) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="blueprint", prog_name="blueprint")
def main() -> None:
    """blueprint: system-design diagrams and write-ups from YAML design files."""
