"""The code shows the pipeline: stage packages import downwards only (import-linter, in `make lint`), no module
imports another in a cycle, no module takes another's private name, and no module is a grab bag."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
STAGES = ("frontend", "analysis", "plan", "layout", "render", "export", "writeup", "build", "cli", "bench", "docs")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def name_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_folder_tree_is_the_pipeline() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert set(STAGES) <= folders
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "errors.py"], "every stage lives in its package"


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("generator", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for other in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=other, imported=module):
                cycles.append((module, other))
    assert not cycles, f"modules that import each other, directly or through others: {cycles[:5]}"


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
                for alias in node.names:
                    private = alias.name.startswith("_") and not alias.name.endswith("__")
                    if private and node.module != name_of(path):
                        offenders.append(f"{name_of(path)}: from {node.module} import {alias.name}")
    assert not offenders


def test_internal_imports_are_at_the_top() -> None:
    """Only the command line defers importing its stages (so `--help` stays fast); a stage imports the modules
    it uses at its top. Heavy third-party libraries may be imported where they are first needed."""
    late = []
    for path in modules():
        if name_of(path).startswith(("generator.cli", "generator.bench")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("generator"):
                        late.append(f"{name_of(path)}:{inner.lineno}: from {inner.module}")
    assert not late


ONE_JOB = {
    "generator.frontend.model": "the design file's schema, field by field, each with its description",
    "generator.analysis.estimates": "one estimate engine: its known keys and the figures derived from them",
    "generator.analysis.units": "reading and printing quantities with units",
    "generator.render.shapes": "the drawing of every kind, one short function each",
}
"""Modules longer than about 400 lines because they do one job, and what that job is."""


@pytest.mark.parametrize("path", modules(), ids=name_of)
def test_modules_stay_small_and_say_what_they_are(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(text))
    assert doc, "every module starts with a docstring"
    if name_of(path) not in ONE_JOB:
        assert len(text.splitlines()) <= 420, "split a module that holds several jobs"


def test_every_kind_has_every_column_and_a_drawing() -> None:
    from dataclasses import fields

    from generator.frontend.vocabulary import FAMILIES, KIND_TABLE, ROLES, Kind
    from generator.render.shapes import DRAWINGS
    from generator.render.themes import THEMES, get_theme

    assert [k.value for k in Kind] == [row.name for row in KIND_TABLE]
    for row in KIND_TABLE:
        for column in fields(row):
            value = getattr(row, column.name)
            if column.name not in ("roles", "aliases"):  # these may be empty: a kind need not play a role
                assert value not in ("", None), (row.name, column.name)
        assert row.family in FAMILIES and row.roles <= ROLES, row.name
        assert 0 < row.availability <= 1 and row.latency_ms >= 0, row.name
        assert row.name in DRAWINGS, f"{row.name} has no drawing in generator/render/shapes.py"
        module, _, name = row.node_class.rpartition(".")
        assert module and name[:1].isupper(), row.name
    for theme in THEMES:
        assert set(FAMILIES) <= set(get_theme(theme).families), theme
    aliases = [alias for row in KIND_TABLE for alias in row.aliases]
    assert len(aliases) == len(set(aliases)), "an alias names one kind"


def test_theme_names_are_one_vocabulary() -> None:
    from generator.frontend.model import Design, Views
    from generator.frontend.vocabulary import THEME_NAMES
    from generator.render.themes import THEMES, get_theme

    assert THEMES == THEME_NAMES and all(get_theme(name).name == name for name in THEME_NAMES)
    schema = Design.model_json_schema()
    assert set(schema["properties"]["theme"]["anyOf"][0]["enum"]) == set(THEME_NAMES)
    assert Views.model_fields["themes"].annotation is not None
