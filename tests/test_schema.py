"""``blueprint schema``: a deterministic JSON Schema that accepts every real design and what validation accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.build.pipeline import parse_design
from generator.build.scaffold import skeleton
from generator.cli import main
from generator.frontend.load import load_text
from generator.frontend.model import Message
from generator.frontend.schema import design_schema, render_schema

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency (pip install -e '.[dev]')")

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = sorted([*(ROOT / "designs").glob("*.yaml"), *(ROOT / "generator" / "build" / "probes").glob("*.yaml")])


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = design_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def data_of(text: str) -> Any:
    loaded, errors = load_text(text, "test.yaml")
    assert loaded is not None, errors
    return loaded.data


def schema_errors(validator: Any, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schema_is_deterministic_sorted_and_described() -> None:
    text = render_schema()
    assert text == render_schema()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    schema = json.loads(text)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in text and '"#/definitions/Step"' in text
    assert schema["title"] == "blueprint design file" and schema["description"]
    assert "id" not in schema["required"] and "title" in schema["required"]
    assert schema["properties"]["title"]["description"].startswith("The diagram's title")
    component = schema["definitions"]["Component"]
    assert component["description"] and component["properties"]["replicas"]["description"]
    kinds = schema["definitions"]["Kind"]
    assert len(kinds["enumDescriptions"]) == len(kinds["enum"]) and all(kinds["enumDescriptions"])
    assert '"#/definitions/Message"' not in json.dumps(schema["definitions"]["Flow"])  # steps go through Step


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_design_in_the_repository_matches_the_schema(validator: Any, path: Path) -> None:
    assert schema_errors(validator, data_of(path.read_text("utf-8"))) == []


def test_the_skeleton_and_the_readme_examples_match_the_schema(validator: Any) -> None:
    assert schema_errors(validator, data_of(skeleton("x"))) == []
    readme = (ROOT / "README.md").read_text("utf-8")
    first = re.search(r"## A first design\n.*?```yaml\n(.*?)```", readme, re.DOTALL)
    assert first is not None
    assert schema_errors(validator, data_of(first[1])) == []


STEP_FORMS = [
    "a -> b: GET /",
    "b --> a",
    "a ~> b: event: with a colon",
    {"a => b": "replicate"},
    {"a ..> b": 5},
    {"from": "a", "to": "b", "label": "x", "hop": "async", "parallel": True, "note": "n"},
    {"step": "a -> b: x", "parallel": True},
    {"opt": "on a miss", "steps": ["a -> b"]},
    {"loop": "for each", "steps": [{"a -> b": "x"}]},
    {"par": None, "steps": ["a -> b", "b -> a"]},
    {"critical": "lock", "steps": ["a -> b"]},
    {"alt": [{"when": "yes", "steps": ["a -> b"]}, {"when": "no", "steps": ["b -> a"]}]},
    {"fragment": "opt", "when": "w", "steps": ["a -> b"]},
]

BAD_STEPS = [
    "just words",
    {"a -> b": "x", "extra": 1},
    {"from": "a"},
    {"from": "a", "to": "b", "colour": "red"},
    {"opt": "x"},
    {"hop": "request"},
    42,
]


def design_with(step: Any) -> dict[str, Any]:
    return {"title": "T", "components": [{"id": "a"}, {"id": "b"}], "flows": [{"id": "f", "steps": [step]}]}


@pytest.mark.parametrize("step", STEP_FORMS, ids=repr)
def test_every_step_form_the_model_accepts_the_schema_accepts(validator: Any, step: Any) -> None:
    data = design_with(step)
    design, errors = parse_design(json.dumps(data).encode(), path="t.yaml", default_id="t")
    assert design is not None, errors
    assert schema_errors(validator, data) == []


@pytest.mark.parametrize("step", BAD_STEPS, ids=repr)
def test_steps_the_model_refuses_the_schema_refuses(validator: Any, step: Any) -> None:
    data = design_with(step)
    design, _ = parse_design(json.dumps(data).encode(), path="t.yaml", default_id="t")
    assert design is None
    assert schema_errors(validator, data) != []


@pytest.mark.parametrize(
    "data",
    [
        {"components": [{"id": "a"}]},
        {"title": "T", "components": [{"id": "a", "kind": "redis"}]},
        {"title": "T", "components": [{"id": "a"}], "colour": "red"},
        {"title": "T", "components": [{"id": "2a"}]},
        {"title": "T", "components": [{"id": "a", "replicas": 0}]},
        {"title": "T", "components": []},
    ],
    ids=["no title", "unknown kind", "unknown field", "bad id", "zero replicas", "no components"],
)
def test_plain_mistakes_are_caught_by_the_schema(validator: Any, data: dict[str, Any]) -> None:
    assert schema_errors(validator, data) != []


def test_short_forms_of_notes_and_tradeoffs(validator: Any) -> None:
    data = {"title": "T", "components": [{"id": "a"}], "notes": "one note", "tradeoffs": ["a sentence"]}
    assert schema_errors(validator, data) == []


def test_the_command_prints_or_writes_the_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["schema"])
    assert printed.exit_code == 0 and printed.output == render_schema()
    out = tmp_path / "output" / "schema.json"
    written = runner.invoke(main, ["schema", "--out", str(out)])
    assert written.exit_code == 0 and written.output.startswith("wrote the design-file schema to ")
    assert out.read_text("utf-8") == render_schema()
    mtime = out.stat().st_mtime_ns
    runner.invoke(main, ["schema", "--out", str(out)])
    assert out.stat().st_mtime_ns == mtime  # unchanged bytes are not rewritten


def test_a_step_with_options_takes_every_option_of_the_long_form() -> None:
    arrow = design_schema()["definitions"]["ArrowStep"]["properties"]
    options = {info.alias or name for name, info in Message.model_fields.items()} - {"from", "to"}
    assert options <= set(arrow), options - set(arrow)
