"""The render fingerprint: a refactor that draws the same leaves it (and so the manifest and `check`) alone; a
change to a picture, a write-up or the PNG stage changes it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.build import fingerprint
from generator.render import themes
from generator.writeup import pages


def test_it_depends_on_what_is_drawn_not_on_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(fingerprint, "SHIPPED", tmp_path / "none.json")  # worked out here and cached, not shipped
    fingerprint.render_fingerprint.cache_clear()
    before = fingerprint.render_fingerprint()
    assert (tmp_path / "blueprint" / "fingerprints" / f"{fingerprint.code_hash()}.txt").read_text().strip() == before
    # A refactor: the code's hash changes, the cached value no longer applies, the renders are the same.
    monkeypatch.setattr(fingerprint, "code_hash", lambda: "0" * 64)
    fingerprint.render_fingerprint.cache_clear()
    assert fingerprint.render_fingerprint() == before
    fingerprint.render_fingerprint.cache_clear()


def test_a_change_to_a_picture_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint.compute_fingerprint()
    bolder = replace(themes.WHITEBOARD, stroke=themes.WHITEBOARD.stroke + 0.1)
    monkeypatch.setitem(themes._THEMES, "whiteboard", bolder)
    assert fingerprint.compute_fingerprint() != before


def test_a_change_to_a_write_up_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint.compute_fingerprint()
    real = pages.render_template
    monkeypatch.setattr(pages, "render_template", lambda name, context: real(name, context) + "\n<!-- new -->\n")
    assert fingerprint.compute_fingerprint() != before


def test_the_probes_are_laid_out_from_recordings_only() -> None:
    files = fingerprint.render_probes(fallback=None)  # raises if a probe needs a layout not recorded
    assert "minimal/overview.png" in files and "README.md" in files
    assert any(name.endswith(".dot") for name in files)


_STAGES = ("plan", "layout", "render", "writeup")
"""The packages whose output the fingerprint stands for."""

_NOT_PROBED = {
    # Graphviz itself: the probes are laid out from recorded output.
    ("layout/graphviz.py", "dot_env"),
    ("layout/graphviz.py", "dot_budget"),
    ("layout/graphviz.py", "run_dot"),
    ("layout/graphviz.py", "trim_layout"),
    # Fonts: reading the shipped metrics is the test of metrics.json; the fallback widths, for characters the
    # metrics lack, are pinned by their own tests; fontconfig is set up for the system fallback fonts only.
    ("layout/text.py", "read_metrics"),
    ("layout/text.py", "fontconfig_file"),
    ("layout/text.py", "_xml"),
    ("layout/text.py", "_fallback_advance"),
    ("layout/text.py", "missing_glyphs"),
    ("layout/text.py", "covered"),
    # Font subsets are kept in the user's cache folder, byte for byte what they would be made again; the emoji font
    # is cut once per machine, for the first picture that needs it (its own test draws one).
    ("render/fonts.py", "_pictographs"),
    ("render/fonts.py", "_quiet"),
    ("render/fonts.py", "_make_subset"),
    ("render/fonts.py", "font_face"),
    # Other callers: the live preview's HTML write-up, the build's file lists and collisions, the tests' helpers;
    # the picture review's measure for a label with no step number.
    ("writeup/pages.py", "design_html"),
    ("writeup/html.py", "inline_html"),
    ("writeup/html.py", "paragraphs"),
    ("plan/outputs.py", "design_files"),
    ("plan/prepare.py", "files"),
    ("plan/prepare.py", "practice_files"),
    ("plan/prepare.py", "_collision"),
    ("plan/views.py", "name"),
    ("plan/planner.py", "plan"),
    ("layout/timeline.py", "label_boxes"),
    ("render/review.py", "_box_distance"),
    # Parting two edges drawn on one line: it happens only where Graphviz happens to draw them so.
    ("layout/settle.py", "_offset"),
}
"""Functions of those packages the probes need not call, and why."""


def _functions() -> dict[tuple[str, int], tuple[str, str]]:
    """Every function of the stages the fingerprint stands for, by (file, first line) as a code object gives them
    (a decorated function's from its first decorator), as (file, name)."""
    import ast

    root = Path(fingerprint.__file__).resolve().parents[1]
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for stage in _STAGES:
        for path in sorted((root / stage).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                out[(name, first)] = (name, node.name)
    return out


def test_the_probes_call_every_function_of_the_drawing_stages() -> None:
    """A change to a function no probe calls would leave the fingerprint, and so a stale `output/`, as it was
    while `check` passes: each function of the stages is called by the probes, or is listed with the reason."""
    import functools
    import gc
    import sys
    from types import FrameType

    root = str(Path(fingerprint.__file__).resolve().parents[1]) + "/"
    called: set[tuple[str, int]] = set()

    def note(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(root):
            called.add((frame.f_code.co_filename.removeprefix(root), frame.f_code.co_firstlineno))

    for cached in gc.get_objects():  # what earlier tests left in memory would spare the probes some calls
        if isinstance(cached, functools._lru_cache_wrapper) and cached.__module__.startswith("generator."):
            cached.cache_clear()
    sys.setprofile(note)
    try:
        fingerprint.render_probes(fallback=None)
    finally:
        sys.setprofile(None)
    functions = _functions()
    missing = sorted(where for key, where in functions.items() if key not in called and where not in _NOT_PROBED)
    assert not missing, f"no probe calls these (add a probe that does, or list them with a reason): {missing}"
    stale = sorted(_NOT_PROBED - set(functions.values()))
    assert not stale, f"listed, but no such function: {stale}"


def test_the_shipped_fingerprint_is_what_the_probes_render_now() -> None:
    """The package ships the accepted fingerprint, so a new install need not render the probes: it must be what
    they render (a change to a picture is accepted with `make accept`, as the goldens are)."""
    shipped = fingerprint.shipped_fingerprint()
    assert shipped is not None, f"no {fingerprint.SHIPPED.name}: run `make accept`"
    assert shipped[1] == fingerprint.compute_fingerprint(), "the probes draw differently now: run `make accept`"


def test_a_new_install_takes_the_shipped_fingerprint_only_for_its_own_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # nothing cached, as on a new machine
    code, value = "a" * 64, "b" * 64
    shipped = tmp_path / "fingerprint.json"
    shipped.write_text(f'{{"code": "{code}", "fingerprint": "{value}"}}\n', encoding="utf-8")
    monkeypatch.setattr(fingerprint, "SHIPPED", shipped)
    monkeypatch.setattr(fingerprint, "compute_fingerprint", lambda: "c" * 64)
    try:
        monkeypatch.setattr(fingerprint, "code_hash", lambda: code)
        fingerprint.render_fingerprint.cache_clear()
        assert fingerprint.render_fingerprint() == value  # the probes were not rendered
        monkeypatch.setattr(fingerprint, "code_hash", lambda: "d" * 64)  # the code changed since it was accepted
        fingerprint.render_fingerprint.cache_clear()
        assert fingerprint.render_fingerprint() == "c" * 64
        shipped.write_text("{not json", encoding="utf-8")
        assert fingerprint.shipped_fingerprint() is None
    finally:
        fingerprint.render_fingerprint.cache_clear()
