"""Shared fixtures: paths, and a marker check for tests that need Graphviz."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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


# Property tests take their example count from a Hypothesis profile: "default" for `make test`, "fuzz" for
# `make fuzz` (BLUEPRINT_FUZZ_EXAMPLES examples each, 10,000 unless set). Tests set no max_examples of their own.
settings.register_profile(
    "default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("BLUEPRINT_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
