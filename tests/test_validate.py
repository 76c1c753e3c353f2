"""Validation: one test per class of user mistake, each located, with a hint where one helps."""

from __future__ import annotations

import textwrap

import pytest

from generator.build.pipeline import parse_design
from generator.errors import Diagnostic

BASE = """\
title: T
components:
  - id: client
    kind: client
  - id: app
    kind: service
  - id: db
    kind: sql
"""


def errors_of(text: str) -> list[Diagnostic]:
    design, errors = parse_design(textwrap.dedent(text).encode(), path="d.yaml", default_id="d")
    assert design is None, "expected the design to be refused"
    return errors


def one(text: str) -> Diagnostic:
    errors = errors_of(text)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_valid_design_gets_id_from_file_name() -> None:
    design, errors = parse_design(BASE.encode(), path="d.yaml", default_id="my-design")
    assert errors == [] and design is not None
    assert design.id == "my-design"


def test_unknown_field_with_did_you_mean() -> None:
    e = one(BASE + "sumary: x\n")
    assert (e.location.line, e.location.column) == (9, 1)
    assert e.message == "unknown field 'sumary'" and e.hint == "did you mean 'summary'?"


def test_unknown_nested_field() -> None:
    e = one(BASE.replace("kind: sql", "kind: sql\n    lable: x"))
    assert (e.location.line, e.location.column) == (9, 5)
    assert e.hint == "did you mean 'label'?"


@pytest.mark.parametrize(
    ("extra", "known"),
    [
        ("timelines: [{id: t, title: T, unit: s, items: [{label: x, at: 1, zzz: 1}]}]", "'kind', 'label'"),
        ("timelines: [{id: t, title: T, unit: s, zzz: 1, items: [{label: x, at: 1}]}]", "'items', 'lanes'"),
        ("charts: [{id: c, title: C, nodes: [{a: A}], edges: [], zzz: 1}]", "'direction', 'edges'"),
        ("panels: [{id: p, title: P, views: [overview, overview], zzz: 1}]", "'columns', 'id'"),
    ],
)
def test_an_unknown_field_anywhere_lists_the_known_ones(extra: str, known: str) -> None:
    found = [e for e in errors_of(BASE + extra + "\n") if e.message.startswith("unknown field")]
    assert len(found) == 1, [str(e) for e in errors_of(BASE + extra + "\n")]
    hint = found[0].hint or ""
    assert hint.startswith("known fields: ") and known.replace("'", "") in hint, hint


@pytest.mark.parametrize(("word", "suggestion"), [("databse", "database"), ("redis", "cache"), ("lb", "load_balancer")])
def test_unknown_kind(word: str, suggestion: str) -> None:
    e = one(BASE.replace("kind: sql", f"kind: {word}"))
    assert e.message == f"unknown kind '{word}'"
    assert (e.location.line, e.location.column) == (8, 11)
    if suggestion != "database":
        assert e.hint == f"did you mean '{suggestion}'?"
    else:
        assert "kinds:" in e.hint or "did you mean" in e.hint


def test_wrong_type() -> None:
    e = one(BASE.replace("kind: sql", "kind: sql\n    replicas: three"))
    assert e.message == "'replicas' should be a whole number, not 'three'"
    assert (e.location.line, e.location.column) == (9, 15)


def test_missing_field() -> None:
    e = one("components:\n  - id: a\n")
    assert e.message == "missing required field 'title'"


def test_duplicate_ids() -> None:
    e = one(BASE + "  - id: app\n    kind: worker\n")
    assert e.message.startswith("duplicate component id 'app'")
    assert (e.location.line, e.location.column) == (9, 9)


def test_step_names_unknown_component() -> None:
    e = one(BASE + "flows:\n  - id: f\n    steps:\n      - client -> ap: GET /\n")
    assert "goes to 'ap', which is not a component" in e.message
    assert e.hint == "did you mean 'app'?"
    assert e.location.line == 12


def test_mapping_step_names_unknown_component() -> None:
    e = one(BASE + "flows:\n  - id: f\n    steps:\n      - from: clent\n        to: app\n")
    assert "comes from 'clent'" in e.message and e.hint == "did you mean 'client'?"
    assert (e.location.line, e.location.column) == (12, 15)


def test_group_names_unknown_group() -> None:
    e = one(BASE.replace("kind: sql", "kind: sql\n    group: dta") + "groups:\n  - id: data\n")
    assert "in group 'dta', which is not a group" in e.message and e.hint == "did you mean 'data'?"


def test_group_cycle() -> None:
    e = one(BASE + "groups:\n  - id: a\n    parent: b\n  - id: b\n    parent: c\n  - id: c\n    parent: a\n")
    assert e.message == "groups form a cycle: a -> b -> c -> a"


def test_self_parent_cycle() -> None:
    e = one(BASE + "groups:\n  - id: a\n    parent: a\n")
    assert "cycle" in e.message


def test_empty_file() -> None:
    assert one("").message == "the file is empty"


def test_list_at_top() -> None:
    e = one("- title: T\n")
    assert "must be a mapping" in e.message and "a list" in e.message


def test_binary_input() -> None:
    design, errors = parse_design(b"\x89PNG\r\n\x1a\n\x00\x00", path="d.yaml", default_id="d")
    assert design is None and "binary" in errors[0].message


def test_non_utf8_input() -> None:
    design, errors = parse_design("title: \u00e9\n".encode("utf-16"), path="d.yaml", default_id="d")
    assert design is None and ("UTF-8" in errors[0].message or "binary" in errors[0].message)


def test_tabs() -> None:
    assert "tab" in one("title: T\ncomponents:\n\t- id: a\n").message


def test_syntax_error_is_located() -> None:
    e = one("title: [T\ncomponents: x\n")
    assert e.message.startswith("YAML syntax error") and e.location.line >= 2


def test_alias_bomb() -> None:
    text = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)
    )
    assert "alias bomb" in one(text).message


def test_bad_step_text() -> None:
    e = one(BASE + "flows:\n  - id: f\n    steps:\n      - client calls app\n")
    assert "cannot read step" in e.message and e.location.line == 12


def test_empty_fragment() -> None:
    e = one(BASE + "flows:\n  - id: f\n    steps:\n      - opt: on miss\n        steps: []\n")
    assert "no steps" in e.message


def test_replies_that_never_return() -> None:
    e = one(
        BASE + "flows:\n  - id: f\n    replies: true\n    steps:\n      - client -> app: GET\n      - app -> db: q\n"
    )
    assert "never returns to its caller 'client'" in e.message


def test_invalid_id() -> None:
    e = one(BASE.replace("id: db", "id: 'my db'"))
    assert "not a valid id" in e.message


def test_all_errors_reported_at_once() -> None:
    text = (
        BASE.replace("kind: sql", "kind: sqll\n    lable: x")
        + "flows:\n  - id: f\n    steps:\n      - client -> nope\n"
    )
    errors = errors_of(text)
    assert len(errors) == 3
    assert [e.location.line for e in errors] == sorted(e.location.line for e in errors)


def test_redundant_with_names_unknown_component() -> None:
    e = one(BASE.replace("    kind: service\n", "    kind: service\n    redundant_with: ap\n", 1))
    assert "component 'app' is redundant with 'ap', which is not a component" in e.message
    assert e.hint == "did you mean 'app'?"
    assert (e.location.line, e.location.column) == (7, 21)


def test_redundant_with_itself_is_refused() -> None:
    e = one(BASE.replace("    kind: service\n", "    kind: service\n    redundant_with: [db, app]\n", 1))
    assert "'app' is listed as redundant with itself" in e.message and "replicas" in (e.hint or "")
    assert (e.location.line, e.location.column) == (7, 26)
