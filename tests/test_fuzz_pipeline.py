"""Every design that validation accepts goes through the whole pipeline: lint, plan, layout and render, with
stages, fragments, charts and estimates, and hostile labels. Whatever is refused is refused with located errors.

`make test` runs a few dozen examples; `make fuzz` runs 10,000 (the "fuzz" Hypothesis profile).
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.pipeline import render_design
from generator.errors import Diagnostic
from generator.frontend.vocabulary import KIND_TABLE
from generator.plan.prepare import read_design

FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
RENDERS = settings(max_examples=settings.default.max_examples if FUZZING else 25)

IDS = ["a", "b", "c", "d", "e", "f"]
HOSTILE = ["", "GET /x", "a|b", "<script>x</script>", "1986. A year", "---", "&amp;", '"q"', "x\\y", "日本", "→"]
printable = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co")), max_size=30)
text = st.one_of(st.sampled_from(HOSTILE), printable)
"""Printable text, hostile or not (one field of a design sometimes gets any text at all: see designs())."""
arrows = st.sampled_from(["->", "-->", "~>", "=>", "..>"])


@st.composite
def steps(draw: Any, ids: list[str], depth: int = 0) -> list[Any]:
    out: list[Any] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.integers(0, 5)) == 0:
            kind = draw(st.sampled_from(["opt", "loop", "par", "critical", "alt"]))
            if kind == "alt":
                out.append({"alt": [{"when": draw(text), "steps": draw(steps(ids, depth + 1))} for _ in range(2)]})
            else:
                out.append({kind: draw(text), "steps": draw(steps(ids, depth + 1))})
        else:
            a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            out.append({"from": a, "to": b, "hop": draw(st.sampled_from(["request", "response", "async"])),
                        "label": draw(text)})  # fmt: skip
    return out


values = st.one_of(
    st.integers(-5, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["100M", "10:1", "2 KB", "10 years", "1e308 EB", "3x", "99.9%", "0", "-1", "abc", "1,160/s"]),
    st.booleans(),
)


@st.composite
def designs(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 6))
    ids = IDS[:n]
    kinds = [row.name for row in KIND_TABLE]
    components = [
        {
            "id": i,
            "label": draw(text),
            "kind": draw(st.sampled_from(kinds)),
            "replicas": draw(st.integers(1, 5)),
            **({"group": "g"} if draw(st.booleans()) else {}),
        }
        for i in ids
    ]
    doc: dict[str, Any] = {
        "title": draw(text) or "T",
        "components": components,
        "groups": [{"id": "g", "label": draw(text)}],
    }
    doc["flows"] = [
        {"id": f"f{k}", "title": draw(text), "sequence": draw(st.booleans()), "steps": draw(steps(ids))}
        for k in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        doc["stages"] = [
            {"id": "s1", "title": "one", "add": ids},
            {
                "id": "s2",
                "title": "two",
                "remove": [ids[-1]],
                **({"steps": draw(steps(ids[:-1]))} if draw(st.booleans()) else {}),
            },
        ]
    if draw(st.booleans()):
        keys = ["writes_per_day", "read_write_ratio", "record_size", "retention", "key_alphabet", "key_length", "x"]
        doc["estimates"] = {k: draw(values) for k in draw(st.lists(st.sampled_from(keys), max_size=5, unique=True))}
    if draw(st.booleans()):
        doc["charts"] = [
            {
                "id": "c",
                "title": draw(text) or "C",
                "kind": draw(st.sampled_from(["flowchart", "state"])),
                "nodes": [{"id": "s", "label": draw(text), "shape": "start"}, {"id": "t", "label": draw(text)}],
                "edges": [f"s -> t: {draw(st.sampled_from(['yes', 'no', '']))}"],
            }
        ]
    doc["views"] = {"flows": draw(st.booleans()), "review": draw(st.booleans())}
    if draw(st.integers(0, 9)) == 0:  # any text at all, control characters included: refused, located
        doc["summary"] = draw(st.text(max_size=30))
    return doc


def located(errors: list[Diagnostic]) -> None:
    assert errors, "a refused design says why"
    for error in errors:
        assert error.location.path == "d.yaml" and error.location.line >= 1 and error.message


@settings(suppress_health_check=list(__import__("hypothesis").HealthCheck))
@given(designs())
def test_every_design_is_accepted_whole_or_refused_with_located_errors(doc: dict[str, Any]) -> None:
    record, errors = read_design(json.dumps(doc).encode(), path="d.yaml", default_id="d")
    if record is None:
        located(errors)
    else:
        assert errors == [] and record.views is not None and record.findings is not None


@pytest.mark.dot
@RENDERS
@given(designs())
def test_every_accepted_design_lays_out_and_renders(doc: dict[str, Any]) -> None:
    record, errors = read_design(json.dumps(doc).encode(), path="d.yaml", default_id="d")
    if record is None:
        located(errors)
        return
    built = render_design(record, source="d.yaml", rasterize=False)
    assert built.files[f"{record.design.id}/README.md"]
    for name, data in built.files.items():
        if name.endswith(".svg"):
            root = ET.fromstring(data)  # well-formed: every label escaped, every character XML can hold
            assert root.find(".//{http://www.w3.org/2000/svg}script") is None
