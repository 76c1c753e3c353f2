"""Shared fixtures: paths, and a marker check for tests that need Graphviz."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
DESIGNS = ROOT / "designs"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail loudly rather than skip when dot is missing: the Makefile installs it."""
    if shutil.which("dot") is None:
        for item in items:
            if "dot" in item.keywords:
                item.add_marker(pytest.mark.skip(reason="Graphviz dot is not installed (make test installs it)"))


@pytest.fixture
def root() -> Path:
    return ROOT
