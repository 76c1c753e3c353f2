"""One error hierarchy (no click: the command line adapts it); user mistakes print as ``path:line:col: message``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BlueprintError",
    "DesignError",
    "Diagnostic",
    "Location",
    "MissingToolError",
    "OutputPathError",
    "Severity",
    "printable",
]

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a design file. Lines and columns count from 1."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One located finding: a validation error or a lint finding.

    >>> str(Diagnostic(Location("a.yaml", 3, 5), "unknown field 'lable'", hint="did you mean 'label'?"))
    "a.yaml:3:5: error: unknown field 'lable' (did you mean 'label'?)"
    """

    location: Location
    message: str
    severity: Severity = "error"
    code: str = ""
    hint: str = ""

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.severity}{code}: {self.message}{hint}"


class BlueprintError(Exception):
    """Base of every error blueprint reports to a user: the command line prints the message, exits with
    ``exit_code`` (1) and shows no traceback.

    ``located`` errors print as they are (each line already names its file); others get click's ``Error:``.

    >>> BlueprintError("dot is missing").format_message()
    'dot is missing'
    """

    exit_code = 1
    located = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        """The message as printed."""
        return self.message


class DesignError(BlueprintError):
    """A design file is invalid; carries every diagnostic found in it."""

    located = True

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class MissingToolError(BlueprintError):
    """A system tool such as Graphviz's ``dot`` is not installed."""


class OutputPathError(BlueprintError):
    """An output path would leave the output folder."""


def printable(text: str) -> str:
    r"""Text safe to print on a terminal: control characters (an escape sequence in a file name, say) shown as
    ``\x1b`` instead of being obeyed; line breaks and tabs kept.

    >>> printable("designs/\x1b[31mred.yaml: bad\nnext")
    'designs/\\x1b[31mred.yaml: bad\nnext'
    """
    return "".join(
        ch if ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) else f"\\x{ord(ch):02x}" for ch in text
    )
