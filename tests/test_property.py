"""Property-based tests: any input either loads or yields located errors, never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.pipeline import parse_design
from generator.errors import Diagnostic

DESIGN = (Path(__file__).resolve().parents[1] / "designs" / "url-shortener.yaml").read_bytes()
SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])
"""The example count comes from the Hypothesis profile (tests/conftest.py): `make fuzz` runs 10,000."""


def check(raw: bytes) -> None:
    design, errors = parse_design(raw, path="d.yaml", default_id="d")
    if design is None:
        assert errors, "a refused design must say why"
        for e in errors:
            assert isinstance(e, Diagnostic)
            assert e.location.path == "d.yaml" and e.location.line >= 1 and e.location.column >= 1
            assert e.message
    else:
        assert errors == []


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n\t ,?%@`0123456789")), max_size=200))
def test_yaml_punctuation(text: str) -> None:
    check(text.encode())


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["client", "cache", "sql", "app", "lb", "db", "-> x", "a -> b: c"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


@SETTINGS
@given(
    line=st.integers(0, DESIGN.count(b"\n")),
    cut=st.integers(0, 40),
    insert=st.sampled_from([b"", b"  ", b"\t", b": ", b"- ", b"&a ", b"*a", b"!!str ", b"{", b"]", b"\xff", b"x: y\n"]),
)
def test_mutated_design(line: int, cut: int, insert: bytes) -> None:
    lines = DESIGN.split(b"\n")
    target = lines[line]
    lines[line] = target[:cut] + insert + target[cut + len(insert) :]
    check(b"\n".join(lines))


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "components",
                "flows",
                "groups",
                "lesson",
                "id",
                "estimates",
                "requirements",
                "tradeoffs",
                "notes",
                "theme",
                "bogus",
            ]
        ),
        values,
        max_size=6,
    )
)
def test_generated_documents(doc: dict[str, object]) -> None:
    import json

    check(json.dumps(doc).encode())  # JSON is YAML


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["client", "app", "db", "nope", ""]),
            st.sampled_from(["->", "-->", "~>", "=>", "..>", "<-", "-"]),
            st.sampled_from(["client", "app", "db", "x y"]),
            st.text(max_size=10),
        ),
        max_size=5,
    )
)
def test_generated_steps(steps: list[tuple[str, str, str, str]]) -> None:
    import json

    doc = {
        "title": "T",
        "components": [{"id": "client", "kind": "client"}, {"id": "app"}, {"id": "db", "kind": "sql"}],
        "flows": [{"id": "f", "steps": [f"{a} {arrow} {b}: {label}" for a, arrow, b, label in steps]}],
    }
    check(json.dumps(doc).encode())
