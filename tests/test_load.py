"""The loader: safe YAML, positions, limits."""

from __future__ import annotations

import pytest

from generator.frontend.load import MAX_BYTES, load_text, read_source


def load(text: str):  # type: ignore[no-untyped-def]
    return load_text(text, "d.yaml")


def test_plain_data_and_positions() -> None:
    loaded, errors = load("title: T\ncomponents:\n  - id: a\n    kind: cache\n")
    assert not errors and loaded is not None
    assert loaded.data == {"title": "T", "components": [{"id": "a", "kind": "cache"}]}
    assert loaded.source.keys[("components", 0, "kind")] == (4, 5)
    assert loaded.source.values[("components", 0, "kind")] == (4, 11)


def test_yaml_1_2_scalars() -> None:
    loaded, _ = load("a: yes\nb: 0x10\nc: 1_000\nd: ~\ne: '12'\nf: 2.5\n")
    assert loaded is not None
    assert loaded.data == {"a": "yes", "b": 16, "c": 1000, "d": None, "e": "12", "f": 2.5}


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a'"),
        ("a:\n\t- x\n", (2, 1), "tab"),
        ("a: [1, 2\n", None, "YAML syntax error"),
        ("x: !!python/object/apply:os.system ['ls']\n", (1, 4), "tag"),
        ("x: !custom 3\n", (1, 4), "tag"),
        ("", (1, 1), "empty"),
        ("# only a comment\n\n", (1, 1), "empty"),
        ("a: 1\n---\nb: 2\n", None, "YAML"),
        ("? [a, b]\n: c\n", (1, 3), "keys must be plain"),
    ],
)
def test_refused(text: str, where: tuple[int, int] | None, words: str) -> None:
    loaded, errors = load(text)
    assert loaded is None
    assert len(errors) == 1
    assert words in errors[0].message
    if where:
        assert (errors[0].location.line, errors[0].location.column) == where


def test_alias_bomb_is_bounded() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    loaded, errors = load("\n".join(lines) + "\n")
    assert loaded is None
    assert "alias bomb" in errors[0].message


def test_deep_nesting_is_bounded() -> None:
    loaded, errors = load("a: " + "[" * 200 + "]" * 200 + "\n")
    assert loaded is None
    assert "deeper" in errors[0].message


def test_merge_keys() -> None:
    loaded, errors = load("base: &b {kind: cache, replicas: 2}\nx:\n  <<: *b\n  replicas: 3\n")
    assert not errors and loaded is not None
    assert loaded.data["x"] == {"kind": "cache", "replicas": 3}


def test_binary_and_encoding() -> None:
    assert "binary" in read_source(b"title: \x00x", "d.yaml")[1][0].message
    text, errors = read_source("title: caf\u00e9\n".encode("latin-1"), "d.yaml")
    assert text is None and "not UTF-8" in errors[0].message
    assert (errors[0].location.line, errors[0].location.column) == (1, 11)
    assert read_source(b"\xef\xbb\xbftitle: x", "d.yaml") == ("title: x", [])
    assert "limited" in read_source(b"#" * (MAX_BYTES + 1), "d.yaml")[1][0].message


def test_folded_scalars_have_no_fold_markers() -> None:
    loaded, errors = load("summary: >-\n  one line\n  and the next\n")
    assert not errors and loaded is not None
    assert loaded.data["summary"] == "one line and the next"
