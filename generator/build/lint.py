"""``blueprint lint``: review designs as an interviewer would, and report located findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.analysis.lint import to_diagnostic, to_json, to_sarif
from generator.build.io import display_path, find_designs
from generator.build.loading import prepare_all, read_files
from generator.errors import DesignError, Location

__all__ = ["LintOutcome", "run_lint"]


@dataclass(frozen=True)
class LintOutcome:
    """What to print and the exit status."""

    text: str
    exit_code: int


def run_lint(paths: Sequence[Path], *, strict: bool, fmt: str) -> LintOutcome:
    """Lint every design found under ``paths``: the findings each design's prepared record holds, located.

    Args:
        paths: Design files or folders.
        strict: Fail (exit status 1) on warnings as well as errors.
        fmt: ``text``, ``json`` or ``sarif``.

    Raises:
        DesignError: A design is invalid (reported like ``blueprint validate``).
    """
    files, errors = read_files(find_designs(paths))
    loaded, problems = prepare_all(files)
    errors.extend(problems)
    if errors:
        raise DesignError(errors)
    located = []
    for path, record in loaded:
        shown = display_path(path)
        for finding in record.findings:
            where: Location = record.source.locate(finding.path)
            located.append((finding, shown, where.line, where.column))
    failing = {"error"} | ({"warning"} if strict else set())
    status = 1 if any(f.severity in failing for f, *_ in located) else 0
    if fmt == "json":
        return LintOutcome(to_json(located), status)
    if fmt == "sarif":
        return LintOutcome(to_sarif(located, tool_version=__version__), status)
    lines = [str(to_diagnostic(f, Location(file, line, col))) for f, file, line, col in located]
    counts = {sev: sum(1 for f, *_ in located if f.severity == sev) for sev in ("error", "warning", "note")}
    summary = (
        f"{len(files)} design{'s' if len(files) != 1 else ''} reviewed: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes"
    )
    return LintOutcome("\n".join([*lines, summary]), status)
