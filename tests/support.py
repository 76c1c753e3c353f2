"""What several test modules share: reading a design from text, a design full of hostile labels, the browser."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def shots(tmp_path: Path) -> Path:
    """Where a test's screenshots go: ``BLUEPRINT_EXPORT_SHOTS`` to look at them, else the test's folder."""
    folder = Path(os.environ.get("BLUEPRINT_EXPORT_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def offline_page(origin: str, index: str, assets: Path, content_type: str) -> Iterator[Any]:
    """A Chromium page (at 2x) on one made-up origin: ``index`` at its root, the files under ``assets`` below it
    (as ``content_type``), and every other request refused, so nothing leaves the machine."""
    from playwright import sync_api

    assert CHROMIUM is not None

    def serve(route: Any) -> None:
        path = route.request.url.removeprefix(origin).split("?")[0]
        if path == "":
            route.fulfill(body=index, content_type="text/html")
            return
        asset = (assets / path).resolve()
        if asset.is_file() and assets in asset.parents:
            route.fulfill(body=asset.read_bytes(), content_type=content_type)
        else:
            route.fulfill(status=404, body="")

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(device_scale_factor=2)
            page.set_default_timeout(60_000)
            page.route("**/*", lambda route: serve(route) if route.request.url.startswith(origin) else route.abort())
            yield page
        finally:
            browser.close()
