"""The Markdown write-up: escaping and content."""

from __future__ import annotations

from pathlib import Path

from generator.build.pipeline import load_design, render_writeup
from generator.writeup.markdown import escape_md

ROOT = Path(__file__).resolve().parents[1]


def test_escape_blocks_markup() -> None:
    assert "<" not in escape_md("<img src=x onerror=alert(1)>")
    assert escape_md("[link](http://evil)") == "\\[link\\](http://evil)"
    assert escape_md("a | b") == "a \\| b"


def test_writeup_has_every_section() -> None:
    design = load_design(ROOT / "generator" / "build" / "probes" / "url-shortener.yaml")
    text = render_writeup(design, source="designs/url-shortener.yaml")
    for heading in (
        "# URL shortener",
        "## Requirements",
        "## High-level design",
        "## Components",
        "## Trade-offs",
        "## Notes",
        "Shorten a URL (write path)",
    ):
        assert heading in text, heading
    assert "![" in text and "(overview.svg)" in text
    assert "1. **client** calls **load balancer** with `POST /shorten`." in text
    assert "/work/" not in text and "/root/" not in text


def test_writeup_escapes_labels() -> None:
    design = load_design(ROOT / "generator" / "build" / "probes" / "escaping.yaml")
    text = render_writeup(design, source="x.yaml")
    assert "<script>" not in text and "<b>" not in text and "<tag>" not in text
    assert "&lt;script&gt;" in text


def test_a_deep_dive_table_is_a_markdown_table_with_its_cells_escaped() -> None:
    from generator.build.pipeline import parse_design, render_writeup

    text = (
        "title: T\ncomponents: [{id: a}]\ndeep_dives:\n  - title: Check\n    text: Intro.\n    table:\n"
        '      - [Phase, "Ask | do"]\n      - [scope, "<b>users</b>"]\n'
    )
    design, errors = parse_design(text.encode(), path="d.yaml", default_id="d")
    assert design is not None, errors
    page = render_writeup(design, source="d.yaml")
    assert "| Phase | Ask \\| do |\n|---|---|\n| scope | &lt;b&gt;users&lt;/b&gt; |\n" in page
    short = text.replace('"<b>users</b>"]', "]")
    _, errors = parse_design(short.encode(), path="d.yaml", default_id="d")
    assert [str(e) for e in errors] == ["d.yaml:4:5: error: row 2 of the table of 'Check' has 1 cell, the header 2"]
