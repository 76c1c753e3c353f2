"""``blueprint new``: the skeleton and copies validate and build as they are; names and overwrites are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.analysis.lint import lint
from generator.build.pipeline import load_design, parse_design
from generator.build.scaffold import skeleton
from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
URL_SHORTENER = ROOT / "designs" / "url-shortener.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "designs").mkdir()
    (tmp_path / "designs" / "url-shortener.yaml").write_bytes(URL_SHORTENER.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_skeleton_is_valid_lint_clean_and_uses_every_section(project: Path) -> None:
    code, out = run("new", "chat-service")
    assert code == 0, out
    assert out == ("created designs/chat-service.yaml; build it with: blueprint build designs/chat-service.yaml\n")
    path = project / "designs" / "chat-service.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../output/schema.json\n")
    design = load_design(path)
    assert design.id == "chat-service" and design.title == "Chat service"
    assert len({c.kind for c in design.components}) >= 5 and design.groups and design.flows
    assert design.requirements.functional and design.estimates and design.tradeoffs and design.notes
    assert "opt: " in text and "client -> lb:" in text  # a fragment, and compact steps
    assert lint(design) == []
    assert run("validate", str(path)) == (0, "1 design valid\n")


def test_the_skeleton_is_the_same_for_any_folder_name_but_the_modeline() -> None:
    assert skeleton("a", schema=None) == skeleton("a", schema="x.json").split("\n", 1)[1]


@pytest.mark.dot
def test_every_view_of_the_skeleton_lays_out(project: Path) -> None:
    from generator.layout.fit import layout
    from generator.layout.text import Ruler
    from generator.plan.planner import plan

    run("new", "shop")
    design = load_design(project / "designs" / "shop.yaml")
    for view in plan(design):
        if view.kind == "graph":
            scene = layout(view.diagram, Ruler())
            assert scene is not None


@pytest.mark.dot
def test_the_skeleton_and_a_copy_build(project: Path) -> None:
    assert run("new", "shop")[0] == 0
    assert run("new", "short2", "--from", "url-shortener")[0] == 0
    code, out = run("build", "designs/shop.yaml", "designs/short2.yaml", "--out", "output")
    assert code == 0, out
    for name in ("shop/overview.svg", "shop/overview.png", "short2/overview.svg", "short2/README.md"):
        assert (project / "output" / name).is_file()


def test_a_copy_keeps_everything_but_its_id_and_title(project: Path) -> None:
    code, out = run("new", "tiny-urls", "--from", "url-shortener")
    assert code == 0, out
    assert out.startswith("created designs/tiny-urls.yaml (a copy of designs/url-shortener.yaml)")
    original = URL_SHORTENER.read_text().splitlines()
    copy = (project / "designs" / "tiny-urls.yaml").read_text().splitlines()
    changed = [(a, b) for a, b in zip(original, copy, strict=True) if a != b]
    assert changed == [("title: URL shortener", "title: URL shortener (copy)")]
    design = load_design(project / "designs" / "tiny-urls.yaml")
    assert design.id == "tiny-urls"
    assert design.components == load_design(URL_SHORTENER).components


def test_a_copy_by_path_with_an_id_and_a_folded_title(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "elsewhere" / "orig.yaml"
    source.parent.mkdir()
    source.write_text(
        "# yaml-language-server: $schema=../output/schema.json\n"
        "id: orig  # the id\ntitle: A long\n  title\n\nlesson: 3\ncomponents: [{id: a}]\n"
    )
    code, out = run("new", "Copy2", "--from", str(source), "--dir", "more/designs")
    assert code == 0, out
    text = (project / "more" / "designs" / "Copy2.yaml").read_text()
    assert text == (
        "# yaml-language-server: $schema=../../output/schema.json\n"
        "id: Copy2\ntitle: A long title (copy)\n\nlesson: 3\ncomponents: [{id: a}]\n"
    )
    design = load_design(project / "more" / "designs" / "Copy2.yaml")
    assert design.id == "Copy2" and design.title == "A long title (copy)"


def test_capitals_in_the_name_get_an_explicit_id(project: Path) -> None:
    assert run("new", "BigService")[0] == 0
    text = (project / "designs" / "BigService.yaml").read_text()
    assert "\nid: BigService\ntitle: BigService\n" in text
    assert load_design(project / "designs" / "BigService.yaml").id == "BigService"


def test_an_existing_file_is_never_overwritten(project: Path) -> None:
    before = (project / "designs" / "url-shortener.yaml").read_bytes()
    code, out = run("new", "url-shortener")
    assert code == 1 and "designs/url-shortener.yaml already exists" in out
    assert (project / "designs" / "url-shortener.yaml").read_bytes() == before
    (project / "designs" / "other.yml").write_text("id: taken\ntitle: T\ncomponents: [{id: a}]\n")
    code, out = run("new", "other")
    assert code == 1 and "designs/other.yml already exists" in out
    code, out = run("new", "taken")
    assert code == 1 and "designs/other.yml already has the id 'taken'" in out


@pytest.mark.parametrize("name", ["2fast", "has space", "a/b", "../evil", "-x", "x" * 65, "é"])
def test_a_name_must_be_a_valid_id(project: Path, name: str) -> None:
    code, out = run("new", "--", name)
    assert code == 1
    assert f"'{name}' is not a valid design id: start with a letter" in out
    assert list((project / "designs").iterdir()) == [project / "designs" / "url-shortener.yaml"]


def test_an_unknown_design_to_copy_gets_a_suggestion(project: Path) -> None:
    code, out = run("new", "x", "--from", "url-shortner")
    assert code == 1
    assert "--from url-shortner: no such file, and no design 'url-shortner' in designs/" in out
    assert "did you mean 'url-shortener'?" in out


def test_an_invalid_design_is_not_copied(project: Path) -> None:
    (project / "designs" / "broken.yaml").write_text("title: B\ncomponents: []\n")
    code, out = run("new", "fixed", "--from", "broken")
    assert code == 1 and "designs/broken.yaml:2:" in out
    assert not (project / "designs" / "fixed.yaml").exists()


def test_titles_that_yaml_would_misread_are_quoted() -> None:
    design, errors = parse_design(skeleton("no").encode(), path="no.yaml", default_id="no")
    assert errors == [] and design is not None and design.title == "No"
