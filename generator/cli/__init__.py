"""The ``blueprint`` command line: one module per command, each turning flags into a call of the build stage.

Commands import their stage lazily, inside the command, so ``blueprint --help`` and ``validate`` start fast.
"""

from __future__ import annotations

from generator.cli import build, check, export, grade, lint, new, schema, site, validate, watch
from generator.cli.main import main

__all__ = ["build", "check", "export", "grade", "lint", "main", "new", "schema", "site", "validate", "watch"]
