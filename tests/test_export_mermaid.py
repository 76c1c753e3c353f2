"""The Mermaid export, rendered by mermaid-cli (with Debian's Chromium): flowcharts, sequences, tricky labels."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import CHROMIUM

from generator.build.export import export_view
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "mmdc"
MMDC = str(LOCAL) if LOCAL.is_file() else shutil.which("mmdc")
needs_mmdc = pytest.mark.skipif(
    MMDC is None or CHROMIUM is None, reason="mermaid-cli or Chromium is missing (make test installs them)"
)


def render(source: str, tmp_path: Path) -> str:
    assert MMDC is not None and CHROMIUM is not None
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": ["--no-sandbox"]}), encoding="utf-8")
    src, out = tmp_path / "in.mmd", tmp_path / "out.svg"
    src.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [MMDC, "-p", str(config), "-i", str(src), "-o", str(out)], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0 and out.is_file(), result.stderr + "\n" + source
    svg = out.read_text(encoding="utf-8")
    assert "Syntax error" not in svg, source
    return svg


@needs_mmdc
def test_the_url_shortener_renders_as_a_flowchart_and_a_sequence(tmp_path: Path) -> None:
    design = ROOT / "designs" / "url-shortener.yaml"
    chart = render(export_view(design, "mermaid"), tmp_path)
    for text in ("load balancer", "web servers", "1. POST /api/v1/shorten", "url store"):
        assert text in chart, text
    flow = render(export_view(design, "mermaid", "read-sequence"), tmp_path)
    assert "client" in flow and "GET /abc1234" in flow


@needs_mmdc
def test_alternatives_and_fragments_render_in_a_sequence(tmp_path: Path) -> None:
    svg = render(export_view(ROOT / "designs" / "two-phase-commit.yaml", "mermaid", "commit-sequence"), tmp_path)
    for text in ("6a. log COMMIT tx42", "6b. log ABORT tx42", "every participant voted yes"):
        assert text in svg, text


@needs_mmdc
def test_labels_with_mermaid_syntax_stay_text(tmp_path: Path) -> None:
    tricky = 'say "hi" #1; <b>x</b> |pipe| {brace} [sq] end %% a'
    design = tmp_path / "tricky.yaml"
    design.write_text(
        json.dumps(
            {
                "title": "Tricky",
                "groups": [{"id": "g", "label": "end"}],
                "components": [{"id": "a", "label": tricky, "group": "g"}, {"id": "end", "label": "subgraph"}],
                "flows": [{"id": "f", "sequence": True, "steps": [{"from": "a", "to": "end", "label": tricky}]}],
            }
        ),
        encoding="utf-8",
    )
    chart = render(export_view(design, "mermaid"), tmp_path)
    assert "&lt;b&gt;x&lt;/b&gt;" in chart or "<b>x</b>" not in chart, "markup stays text"
    assert re.search(r"say .hi.", chart) and "|pipe|" in chart.replace("&#124;", "|")
    render(export_view(design, "mermaid", "f-sequence"), tmp_path)


def test_export_command_writes_a_file_and_names_the_views(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "u.d2"
    design = str(ROOT / "designs" / "url-shortener.yaml")
    ok = runner.invoke(main, ["export", design, "--format", "d2", "--out", str(out)])
    assert ok.exit_code == 0 and out.read_text(encoding="utf-8").startswith("vars: {")
    bad = runner.invoke(main, ["export", design, "--format", "d2", "--view", "x"])
    assert bad.exit_code == 1 and "the views are overview" in bad.output
