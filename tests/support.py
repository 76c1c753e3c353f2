"""What several test modules share: reading a design from text, a design full of hostile labels, the browser."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from generator.plan.prepare import Prepared, read_design

CHROMIUM = os.environ.get("BLUEPRINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
"""Debian's Chromium (BLUEPRINT_CHROMIUM names another); None when there is none (make test installs it)."""

HOSTILE = '</text><script>alert("x")</script> & co'
"""A label that would close an element, run a script and start an entity if a format did not escape it."""


def record_of(text: str) -> Prepared:
    """A design read from YAML text, which must be valid."""
    record, found = read_design(text.encode("utf-8"), path="d.yaml", default_id="d")
    assert record is not None, [str(e) for e in found]
    return record


def errors_of(text: str) -> list[str]:
    """The located errors of a design that must be refused."""
    record, found = read_design(text.encode("utf-8"), path="d.yaml", default_id="d")
    assert record is None, "the design should be refused"
    return [str(e) for e in found]


def hostile_design(folder: Path) -> Path:
    """A design file whose title, group, components and steps carry quotes, markup, entities and braces."""
    path = folder / "hostile.yaml"
    path.write_text(
        json.dumps(
            {
                "title": 'Hostile "title" & <b>',
                "groups": [{"id": "g", "label": 'tier "one" & <two>'}],
                "components": [
                    {"id": "a", "label": HOSTILE, "group": "g"},
                    {"id": "b", "label": 'say "hi" \\ {x} ${y}', "kind": "sql"},
                    {"id": "c", "label": "lb", "kind": "load_balancer"},
                ],
                "flows": [{"id": "f", "steps": [{"from": "c", "to": "a", "label": HOSTILE}, "a -> b: q & a"]}],
            }
        ),
        encoding="utf-8",
    )
    return path
