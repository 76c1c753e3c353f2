"""Incremental and parallel builds: what is skipped, what is rebuilt, and that a no-op build writes no file."""

from __future__ import annotations

import io
import json
import shutil
from html import escape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.build import pipeline
from generator.build import scheduler as run_module
from generator.build.manifest import MANIFEST_PATH, Entry, dump_manifest, parse_manifest, sha256
from generator.build.progress import LineProgress
from generator.build.run import run_build
from generator.build.survey import survey
from generator.cli import main
from generator.errors import BlueprintError, DesignError

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "generator" / "build" / "probes" / "minimal.yaml"

CALLS: list[str] = []


def fake_render(
    design: Any,
    *,
    source: str,
    theme: str | None = None,
    course: Any = None,
    links: Any = None,
    rasterize: bool = True,
) -> pipeline.BuiltDesign:
    """A stand-in renderer: cheap, deterministic, and it depends on labels and theme like the real one.

    Like the real one, it leaves the PNG to the caller when asked not to rasterize (a parallel build does).
    """
    record = pipeline.prepared(design)
    design = record.design
    CALLS.append(design.id)
    built = pipeline.BuiltDesign(prepared=record, source=source)
    labels = " ".join(escape(c.title) for c in design.components)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text>{labels} ({theme or "own"})</text></svg>'
    )
    built.files[f"{design.id}/overview.svg"] = svg.encode()
    if rasterize:
        built.files[f"{design.id}/overview.png"] = pipeline.rasterize(svg.encode(), "whiteboard")
    else:
        built.rasters[f"{design.id}/overview.png"] = (f"{design.id}/overview.svg", "whiteboard")
    built.files[f"{design.id}/README.md"] = pipeline.render_writeup(record, source=source, links=links).encode()
    return built


@pytest.fixture(autouse=True)
def fake(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    CALLS.clear()
    monkeypatch.setattr(run_module, "render_design", fake_render)
    return CALLS


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with two designs, as the working directory."""
    designs = tmp_path / "designs"
    designs.mkdir()
    shutil.copy(MINIMAL, designs / "alpha.yaml")
    (designs / "beta.yaml").write_text(
        "title: Beta\ncomponents:\n  - {id: web, kind: service}\n  - {id: db, kind: sql}\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


def build(**options: Any) -> Any:
    options.setdefault("jobs", 1)
    return run_build([Path("designs")], out_dir=Path("output"), theme=options.pop("theme", None), **options)


def test_first_build_writes_outputs_and_a_manifest(project: Path) -> None:
    report = build()
    assert sorted(CALLS) == ["alpha", "beta"]
    assert len(report.rendered) == 2 and report.skipped == 0
    manifest = parse_manifest((project / "output" / MANIFEST_PATH).read_bytes())
    assert sorted(manifest.designs) == sorted(report.rendered)
    for ident, entry in manifest.designs.items():
        assert entry.source.startswith("designs/")
        assert set(entry.files) == {f"{ident}/overview.svg", f"{ident}/overview.png", f"{ident}/README.md"}
    assert manifest.index is not None and set(manifest.index.files) == {"README.md"}


def test_a_noop_build_renders_nothing_and_writes_no_file(project: Path) -> None:
    build()
    before = snapshot(project / "output")
    CALLS.clear()
    report = build()
    assert CALLS == []
    assert report.written == [] and report.rendered == [] and report.skipped == 2
    assert snapshot(project / "output") == before  # same files, same bytes, same modification times
    assert "0 rendered, 2 up to date; 0 written" in report.summary()


def test_only_the_changed_design_is_rendered_again(project: Path) -> None:
    build()
    CALLS.clear()
    beta = project / "designs" / "beta.yaml"
    beta.write_text(beta.read_text().replace("kind: sql", "kind: sql, label: orders db"))
    report = build()
    assert CALLS == ["beta"]
    assert report.skipped == 1
    assert b"orders db" in (project / "output" / "beta" / "overview.svg").read_bytes()


@pytest.mark.parametrize("damage", ["edit", "delete"])
def test_a_damaged_output_is_rebuilt(project: Path, damage: str) -> None:
    build()
    svg = project / "output" / "beta" / "overview.svg"
    good = svg.read_bytes()
    if damage == "edit":
        svg.write_bytes(good.replace(b"web", b"hand-edited"))
    else:
        svg.unlink()
    CALLS.clear()
    build()
    assert CALLS == ["beta"]
    assert svg.read_bytes() == good


def test_a_file_the_build_did_not_write_is_left_alone(project: Path) -> None:
    build()
    mine = project / "output" / "alpha" / "my-notes.svg"
    mine.write_text("<svg/>")
    CALLS.clear()
    report = build()
    assert CALLS == [] and mine.read_text() == "<svg/>"
    assert report.removed == []


def test_only_recorded_unedited_outputs_are_removed(project: Path) -> None:
    build()
    out = project / "output"
    manifest = parse_manifest((out / MANIFEST_PATH).read_bytes())
    # As if an earlier build had written two views that the design no longer has; one was edited since.
    old, edited = out / "alpha" / "old-flow.svg", out / "alpha" / "old-stage.svg"
    old.write_text("<svg>old</svg>")
    edited.write_text("<svg>edited</svg>")
    entry = manifest.designs["alpha"]
    files = {**entry.files, "alpha/old-flow.svg": sha256(b"<svg>old</svg>"), "alpha/old-stage.svg": sha256(b"x")}
    # ... and a crafted entry naming another design's file.
    files["beta/overview.svg"] = sha256((out / "beta" / "overview.svg").read_bytes())
    manifest.designs["alpha"] = Entry(entry.source, entry.input, entry.tool, files)
    (out / MANIFEST_PATH).write_bytes(dump_manifest(manifest))
    report = build(force=True)
    assert report.removed == ["alpha/old-flow.svg"] and not old.exists()
    assert report.kept == ["alpha/old-stage.svg"] and edited.read_text() == "<svg>edited</svg>"
    assert (out / "beta" / "overview.svg").exists(), "a design removes only files in its own folder"


def test_force_theme_and_tool_changes_render_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build()
    CALLS.clear()
    build(force=True)
    assert sorted(CALLS) == ["alpha", "beta"]
    CALLS.clear()
    build(theme="clean")
    assert len(CALLS) == 2
    assert b"(clean)" in (project / "output" / "beta" / "overview.svg").read_bytes()
    # The index (and the course's panels across designs, drawn in the theme) is stale in another theme too.
    assert survey([Path("designs")], out_dir=Path("output"), theme="clean").index_problems() == []
    assert survey([Path("designs")], out_dir=Path("output"), theme=None).index_problems() != []
    CALLS.clear()
    import generator.build.survey as build_module

    monkeypatch.setattr(build_module, "render_fingerprint", lambda: "another blueprint")
    build(theme="clean")
    assert len(CALLS) == 2


def test_a_design_whose_id_changes_leaves_no_old_outputs(project: Path) -> None:
    build()
    beta = project / "designs" / "beta.yaml"
    beta.write_text("id: gamma\n" + beta.read_text())
    report = build()
    assert not (project / "output" / "beta").exists()
    assert (project / "output" / "gamma" / "overview.svg").is_file()
    assert "beta/overview.svg" in report.removed
    manifest = parse_manifest((project / "output" / MANIFEST_PATH).read_bytes())
    assert sorted(manifest.designs) == ["alpha", "gamma"]


def test_a_deleted_design_leaves_no_outputs(project: Path) -> None:
    build()
    (project / "designs" / "beta.yaml").unlink()
    build()
    assert not (project / "output" / "beta").exists()
    assert "beta" not in (project / "output" / "README.md").read_text()
    assert "beta" not in parse_manifest((project / "output" / MANIFEST_PATH).read_bytes()).designs


def test_the_manifest_is_deterministic_and_holds_no_absolute_path(project: Path, tmp_path_factory: Any) -> None:
    build()
    first = (project / "output" / MANIFEST_PATH).read_bytes()
    assert str(project) not in first.decode()
    data = json.loads(first)
    assert json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == first.decode()
    other = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(project / "designs", other / "designs")
    run_build([other / "designs"], out_dir=other / "output", theme=None, jobs=1)
    assert (other / "output" / MANIFEST_PATH).read_bytes() == first


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(project: Path) -> None:
    for number in range(4):
        (project / "designs" / f"extra{number}.yaml").write_text(
            f"title: Extra {number}\ncomponents: [{{id: a{number}}}]\n"
        )
    run_build([Path("designs")], out_dir=Path("serial"), theme=None, jobs=1)
    lines = io.StringIO()
    report = run_build([Path("designs")], out_dir=Path("parallel"), theme=None, jobs=3, progress=LineProgress(lines))
    assert len(report.rendered) == 6
    assert report.rendered == ["alpha", "beta", "extra0", "extra1", "extra2", "extra3"]  # written in a stable order
    serial = {k: v for k, (_, v) in snapshot(project / "serial").items()}
    parallel = {k: v for k, (_, v) in snapshot(project / "parallel").items()}
    assert serial == parallel
    printed = lines.getvalue().splitlines()
    assert len(printed) == 6 and all(line.startswith("[") and line.endswith(": rendered") for line in printed)


def failing_render(
    design: Any, *, source: str, theme: str | None = None, course: Any = None, rasterize: bool = True, **_: Any
) -> pipeline.BuiltDesign:
    if pipeline.prepared(design).design.id == "beta":
        raise BlueprintError("Graphviz could not lay out the diagram: boom")
    return fake_render(design, source=source, theme=theme, rasterize=rasterize)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_render_failure_names_the_design_and_keeps_the_others(
    project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(run_module, "render_design", failing_render)
    with pytest.raises(BlueprintError) as caught:
        build(jobs=jobs)
    assert "designs/beta.yaml: Graphviz could not lay out the diagram: boom" in caught.value.format_message()
    manifest = parse_manifest((project / "output" / MANIFEST_PATH).read_bytes())
    assert list(manifest.designs) == ["alpha"]
    monkeypatch.setattr(run_module, "render_design", fake_render)
    report = build(jobs=jobs)  # with jobs=2 the design renders in a worker process, out of CALLS' sight
    assert report.rendered == ["beta"] and report.skipped == 1


def test_an_invalid_design_stops_the_build_before_any_write(project: Path) -> None:
    build()
    before = snapshot(project / "output")
    (project / "designs" / "beta.yaml").write_text("title: Beta\ncomponents: []\n")
    with pytest.raises(DesignError):
        build()
    assert snapshot(project / "output") == before


def test_the_command_line_flags(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--jobs", "2", "-v"])
    assert result.exit_code == 0, result.output
    assert "2 rendered" in result.output and "[1/2]" in result.output
    result = runner.invoke(main, ["build"])
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "0 rendered, 2 up to date; 0 written" in result.output
    result = runner.invoke(main, ["build", "--force", "--jobs", "1"])
    assert "2 rendered" in result.output
    assert runner.invoke(main, ["build", "--jobs", "0"]).exit_code == 2


def test_a_missing_tool_is_said_once_not_per_design(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.errors import MissingToolError

    def no_dot(design: Any, **_: Any) -> pipeline.BuiltDesign:
        raise MissingToolError("Graphviz's 'dot' was not found: install Graphviz")

    monkeypatch.setattr(run_module, "render_design", no_dot)
    result = CliRunner().invoke(main, ["build", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.output == "Error: Graphviz's 'dot' was not found: install Graphviz\n"


def test_each_page_links_to_its_neighbours_and_a_retitled_neighbour_rebuilds_them(project: Path) -> None:
    designs = project / "designs"
    (designs / "course.toml").write_text('title = "C"\norder = ["alpha", "beta", "gamma"]\n')
    for name in ("alpha", "beta", "gamma"):
        (designs / f"{name}.yaml").write_text(f"title: {name.title()}\nlesson: 1\ncomponents:\n  - {{id: web}}\n")
    build()
    page = (project / "output" / "beta" / "README.md").read_text()
    nav = "[Contents](../README.md) · Previous: [Alpha](../alpha/README.md) · Next: [Gamma](../gamma/README.md)"
    assert page.startswith(nav + "\n\n# Beta\n") and page.count(nav) == 2
    first = (project / "output" / "alpha" / "README.md").read_text()
    assert first.startswith("[Contents](../README.md) · Next: [Beta](../beta/README.md)\n")
    # Retitling gamma re-renders gamma and the page that links to it, not alpha.
    CALLS.clear()
    (designs / "gamma.yaml").write_text("title: Gamma rays\nlesson: 1\ncomponents:\n  - {id: web}\n")
    build()
    assert sorted(CALLS) == ["beta", "gamma"]
    assert "Next: [Gamma rays](../gamma/README.md)" in (project / "output" / "beta" / "README.md").read_text()


def test_a_page_links_the_designs_its_text_names_and_a_new_design_is_linked_once_it_exists(project: Path) -> None:
    designs = project / "designs"
    (designs / "first-one.yaml").write_text(
        "title: First\nsummary: The second-one design scales it; second-ones do not.\ncomponents:\n  - {id: web}\n"
    )
    build()
    page = (project / "output" / "first-one" / "README.md").read_text()
    assert "The second-one design scales it" in page and "](../second-one/" not in page  # no such design yet
    (designs / "second-one.yaml").write_text("title: Second\ncomponents:\n  - {id: web}\n")
    build()
    page = (project / "output" / "first-one" / "README.md").read_text()
    assert "The [second-one](../second-one/README.md) design scales it; second-ones do not." in page
