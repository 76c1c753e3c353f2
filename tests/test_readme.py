"""The README's complete design examples validate, so the manual never teaches a broken design."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build.pipeline import parse_design

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = [b for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S) if b.startswith("title:")]


def test_there_are_complete_examples() -> None:
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{i}" for i in range(len(BLOCKS))])
def test_readme_example_validates(block: str) -> None:
    design, errors = parse_design(block.encode(), path="README.md", default_id="example")
    assert design is not None, [str(e) for e in errors]
