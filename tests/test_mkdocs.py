"""The MkDocs plugin, through a real ``mkdocs build`` of a small site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.docs.embed import embed_designs

pytest.importorskip("mkdocs", reason="mkdocs is not installed (a dev dependency: make test installs it)")

ROOT = Path(__file__).resolve().parents[1]

PAGE = """# Caching

The read path, from a file:

```blueprint view=read
url-shortener.yaml
```

And one written in the page:

```blueprint
title: Two boxes
components:
  - {id: app, label: "app <server>", kind: service}
  - {id: db, label: primary DB, kind: sql}
flows:
  - id: q
    steps: ["app -> db: SELECT 1"]
```
"""

BROKEN = """# Broken

```blueprint
title: Typo
components:
  - {id: app, kind: servise}
```
"""


def site(tmp_path: Path, pages: dict[str, str]) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "designs" / "url-shortener.yaml", docs / "url-shortener.yaml")
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\nplugins:\n  - blueprint\n", encoding="utf-8")
    return tmp_path


def mkdocs(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra], cwd=folder, capture_output=True, text=True, timeout=300
    )


@pytest.mark.dot
def test_a_docs_site_gets_its_designs_drawn_inline(tmp_path: Path) -> None:
    folder = site(tmp_path, {"index.md": PAGE})
    result = mkdocs(folder, "--strict")
    assert result.returncode == 0, result.stderr
    page = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert page.count('<figure class="blueprint"') == 2
    assert page.count("<svg ") >= 2 and "Follow a short URL" in page, "the read view of the file"
    assert "app &lt;server&gt;" in page and "SELECT 1" in page, "the inline design, its label escaped"
    assert "@font-face" in page, "self-contained pictures"


@pytest.mark.dot
def test_a_broken_design_is_a_located_warning_and_fails_a_strict_build(tmp_path: Path) -> None:
    folder = site(tmp_path, {"index.md": BROKEN})
    loose = mkdocs(folder)
    assert loose.returncode == 0
    assert "index.md:6:" in loose.stderr and "servise" in loose.stderr, loose.stderr
    assert "blueprint-error" in (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert mkdocs(folder, "--strict").returncode != 0


def test_blocks_that_name_a_missing_file_or_view_say_so(tmp_path: Path) -> None:
    text = "```blueprint\nnowhere.yaml\n```\n\n```blueprint view=nope\ntitle: T\ncomponents: [{id: a}]\n```\n"
    result = embed_designs(text, page="p.md", folders=[tmp_path])
    assert len(result.errors) == 2
    assert result.errors[0].startswith("p.md:2:1: error: no design file 'nowhere.yaml'")
    assert "no view 'nope'" in result.errors[1]
