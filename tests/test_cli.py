"""The command line through click's CliRunner: exit statuses, messages, outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "generator" / "build" / "probes" / "minimal.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_help_and_usage() -> None:
    code, out = run("--help")
    assert code == 0 and "build" in out and "validate" in out
    assert run("build", "--theme", "neon")[0] == 2
    assert run("validate")[0] == 2
    assert run("frobnicate")[0] == 2


def test_validate_good_and_bad(tmp_path: Path) -> None:
    assert run("validate", str(GOOD)) == (0, "1 design valid\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\ncomponents:\n  - id: a\n    kind: databse\n  - id: a\n")
    code, out = run("validate", str(bad))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert (
        lines[0].endswith("bad.yaml:4:11: error: unknown kind 'databse' (did you mean 'database'?)")
        or "unknown kind 'databse'" in lines[0]
    )
    assert "duplicate component id 'a'" in lines[1]
    assert "Traceback" not in out


def test_validate_reports_errors_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("title: [\n")
    (tmp_path / "b.yaml").write_text("- x\n")
    code, out = run("validate", str(tmp_path))
    assert code == 1
    assert "a.yaml:" in out and "b.yaml:1:1" in out


def test_missing_path() -> None:
    code, out = run("validate", "no/such/file.yaml")
    assert code == 1 and "no such file or folder" in out


def test_duplicate_design_ids(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text("id: same\ntitle: T\ncomponents: [{id: x}]\n")
    code, out = run("validate", str(tmp_path))
    assert code == 1 and "design id 'same' is also used by" in out


@pytest.mark.dot
def test_build_writes_outputs_and_is_quiet(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    designs.mkdir()
    shutil.copy(GOOD, designs / "minimal.yaml")
    out = tmp_path / "output"
    code, text = run("build", str(designs), "--out", str(out))
    assert code == 0, text
    assert len(text.strip().splitlines()) == 1 and text.startswith("built 1 design")
    for name in ("minimal/overview.svg", "minimal/overview.png", "minimal/README.md", "README.md"):
        assert (out / name).is_file(), name
    code, text = run("build", str(designs), "--out", str(out))
    assert "0 written" in text


@pytest.mark.dot
def test_build_refuses_invalid_input_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\ncomponents: []\n")
    out = tmp_path / "output"
    code, text = run("build", str(bad), "--out", str(out))
    assert code == 1 and "needs at least one entry" in text
    assert not out.exists()


def test_missing_dot_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, text = run("build", str(GOOD), "--out", str(tmp_path / "o"))
    assert code == 1
    assert text.strip().count("\n") == 0
    assert "apt-get install graphviz" in text and "brew install graphviz" in text


def test_lint_text_json_sarif_and_strict(tmp_path: Path) -> None:
    import json

    design = tmp_path / "spof.yaml"
    design.write_text(
        "title: T\ncomponents:\n  - {id: c, kind: client}\n  - {id: app, kind: service}\n"
        "flows:\n  - id: f\n    steps: ['c -> app: GET']\n"
    )
    code, out = run("lint", str(design))
    assert code == 0 and "spof.yaml:4:5: warning BP110:" in out and out.strip().endswith("0 notes")
    assert run("lint", "--strict", str(design))[0] == 1
    code, out = run("lint", "--format", "json", str(design))
    assert json.loads(out)["findings"][0]["code"] == "BP110"
    code, out = run("lint", "--format", "sarif", str(design))
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_lint_explain() -> None:
    code, out = run("lint", "--explain", "BP118")
    assert code == 0 and out.startswith("BP118 (warning): Cache without expiry")
    code, out = run("lint", "--explain", "BP999")
    assert code == 2 and "no rule 'BP999'" in out, "an unknown rule is a usage mistake"
