"""``blueprint check``: exit 0 only when output/ is exactly what a build would write, judged without rendering."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.build import pipeline
from generator.build import scheduler as run_module
from generator.build.check import run_check
from generator.build.manifest import MANIFEST_PATH
from generator.build.run import run_build
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "generator" / "build" / "probes" / "minimal.yaml"


def fake_render(
    design: Any, *, source: str, theme: str | None = None, course: Any = None, **_: Any
) -> pipeline.BuiltDesign:
    """A cheap, deterministic stand-in for the SVG and PNG renderer."""
    record = pipeline.prepared(design)
    design = record.design
    built = pipeline.BuiltDesign(prepared=record, source=source)
    labels = " ".join(escape(c.title) for c in design.components)
    built.files[f"{design.id}/overview.svg"] = f"<svg><text>{labels}</text></svg>".encode()
    built.files[f"{design.id}/overview.png"] = b"\x89PNG\r\n\x1a\n" + design.id.encode()
    built.files[f"{design.id}/README.md"] = pipeline.render_writeup(
        record, source=source, links=_.get("links")
    ).encode()
    return built


def no_render(design: Any, **_: Any) -> pipeline.BuiltDesign:
    raise AssertionError("check must not render")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with two designs, built, as the working directory; rendering is then forbidden."""
    designs = tmp_path / "designs"
    designs.mkdir()
    shutil.copy(MINIMAL, designs / "alpha.yaml")
    (designs / "beta.yaml").write_text("title: Beta\ncomponents:\n  - {id: web, kind: service}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run_module, "render_design", fake_render)
    run_build([Path("designs")], out_dir=Path("output"), theme=None, jobs=1)
    monkeypatch.setattr(run_module, "render_design", no_render)
    return tmp_path


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_fresh_build_checks_clean(project: Path) -> None:
    assert check() == (0, "output/ is up to date (2 designs)\n")
    assert check("designs/alpha.yaml", "--out", "output")[0] == 0


def test_a_changed_design_is_stale(project: Path) -> None:
    beta = project / "designs" / "beta.yaml"
    beta.write_text(beta.read_text() + "summary: changed\n")
    code, out = check()
    assert code == 1
    assert "designs/beta.yaml: the design, or the title of a page it links to, changed since it was built" in out
    assert "alpha" not in out.replace("index", "")
    assert "output/README.md (the index): the designs it lists changed since it was built" in out
    assert out.strip().endswith("run 'blueprint build' to refresh it")


def test_a_new_design_is_not_built_yet(project: Path) -> None:
    (project / "designs" / "gamma.yaml").write_text("title: G\ncomponents: [{id: a}]\n")
    code, out = check()
    assert code == 1 and "designs/gamma.yaml: not built yet" in out


def test_a_hand_edited_output_is_caught(project: Path) -> None:
    svg = project / "output" / "alpha" / "overview.svg"
    svg.write_bytes(svg.read_bytes().replace(b"web", b"www"))
    code, out = check()
    assert code == 1 and "designs/alpha.yaml: output/alpha/overview.svg was changed after it was built" in out


def test_missing_outputs_and_index_are_caught(project: Path) -> None:
    (project / "output" / "beta" / "overview.png").unlink()
    (project / "output" / "README.md").unlink()
    code, out = check()
    assert code == 1
    assert "designs/beta.yaml: output/beta/overview.png is missing" in out
    assert "output/README.md (the index): output/README.md is missing" in out


def test_a_stray_file_is_named(project: Path) -> None:
    (project / "output" / "beta" / "notes.txt").write_text("mine")
    code, out = check()
    assert code == 1
    assert "designs/beta.yaml: output/beta/notes.txt is not produced by the build (a stray file" in out
    assert "remove the stray files" in out and "run 'blueprint build'" not in out, "a build would not help"


def test_a_deleted_design_leaves_orphans(project: Path) -> None:
    (project / "designs" / "beta.yaml").unlink()
    code, out = check()
    assert code == 1 and "designs/beta.yaml: the design file is gone but its outputs remain in output/beta/" in out


def test_no_manifest_means_not_built(project: Path) -> None:
    (project / "output" / MANIFEST_PATH).unlink()
    code, out = check()
    assert code == 1 and out.count("not built yet") == 3


def test_a_new_blueprint_makes_everything_stale(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build.survey as build_module

    monkeypatch.setattr(build_module, "render_fingerprint", lambda: "a newer blueprint")
    code, out = check()
    assert code == 1 and out.count("built by a blueprint that") == 3


def test_the_theme_is_part_of_the_input(project: Path) -> None:
    assert check("--theme", "clean")[0] == 1
    assert check()[0] == 0


def test_rebuilding_makes_the_check_pass_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "output" / "beta" / "notes.txt").write_text("mine")
    (project / "output" / "alpha" / "overview.svg").write_text("<svg/>")
    monkeypatch.setattr(run_module, "render_design", fake_render)
    run_build([Path("designs")], out_dir=Path("output"), theme=None, jobs=1)
    code, out = check()
    assert code == 1 and out.count("notes.txt") == 1 and "overview.svg" not in out, "the build restored its file"
    assert (project / "output" / "beta" / "notes.txt").read_text() == "mine", "a file the build did not write stays"
    (project / "output" / "beta" / "notes.txt").unlink()
    assert check()[0] == 0
    assert run_check([Path("designs")], out_dir=Path("output")).ok


def test_a_missing_path_is_a_clear_error(project: Path) -> None:
    code, out = check("nope/")
    assert code == 1 and "no such file or folder" in out
