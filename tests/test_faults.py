"""The mistakes and accidents real users meet: each one a located one-line error and exit status 1 (2 for usage),
never a traceback, a hang, a lost file or a silently replaced one. One test per reproduction."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import errors_of

from generator.analysis.estimates import estimate
from generator.analysis.lint import lint, paths
from generator.build import io
from generator.build.lock import build_lock
from generator.build.preview import build_snapshot
from generator.cli import main
from generator.frontend.model import Design
from generator.plan.prepare import read_design
from generator.writeup.markdown import escape_md

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "generator" / "build" / "probes"
GOOD = (
    "title: Good\ncomponents: [{id: a, kind: client}, {id: b, kind: service}]\n"
    "flows:\n  - {id: f, steps: ['a -> b: GET']}\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def shell(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- accepted, then a traceback -------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\\b", "\\a", "\\0", "\\uFFFE", "\\x1b", "\\uD800"])
def test_control_and_xml_invalid_characters_are_refused_where_they_are(char: str) -> None:
    found = errors_of(f'title: "x{char}y"\ncomponents: [{{id: a}}]\n')
    assert len(found) == 1 and found[0].startswith("d.yaml:1:8: error: the text holds")


def test_a_control_character_in_a_key_is_refused_too() -> None:
    found = errors_of('title: T\ncomponents: [{id: a}]\nestimates: {"bad\\bkey": 1}\n')
    assert found and found[0].startswith("d.yaml:3:")


def test_a_stage_with_no_steps_is_refused() -> None:
    found = errors_of("title: T\ncomponents: [{id: a}]\nstages:\n  - {id: s, title: S, add: [a], steps: []}\n")
    assert found == ["d.yaml:4:40: error: 'steps': needs at least one entry"]


@pytest.mark.dot
def test_a_stage_removing_what_earlier_steps_used_still_draws(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        title: B
        components: [{id: x}, {id: y}]
        stages:
          - {id: s1, title: S1, add: [x, y], steps: ["x -> y: go"]}
          - {id: s2, title: S2, remove: [y]}
        """
    )
    (tmp_path / "b.yaml").write_text(text)
    out = shell("build", "b.yaml", "--out", "out", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "b" / "stage-2-s2.svg").is_file()


@pytest.mark.parametrize(
    "values",
    [
        {"record_size": "1e308 EB", "writes_per_day": "1M", "retention": "1 year"},
        {"key_alphabet": 62, "key_length": 1_000_000, "writes_per_day": "1M", "retention": "1 year"},
        {"writes_per_day": 10**400},
        {"writes_per_day": 1e99, "read_write_ratio": 1e99, "read_size": "1 TB"},
    ],
)
def test_estimates_too_large_to_compute_are_located_errors(values: dict[str, Any]) -> None:
    report = estimate(values)
    assert report.errors and all("too large" in e.message for e in report.errors)
    body = "\n".join(f"  {k}: {v}" for k, v in values.items())
    found = errors_of(f"title: T\ncomponents: [{{id: a}}]\nestimates:\n{body}\n")
    assert found and all(line.startswith("d.yaml:") and "too large" in line for line in found)


def test_the_preview_shows_huge_estimates_as_an_error_not_a_crash(tmp_path: Path) -> None:
    raw = b"title: T\ncomponents: [{id: a}]\nestimates: {record_size: 1e308 EB, writes_per_day: 1M}\n"
    fragment, files, ok = build_snapshot(raw, path=tmp_path / "d.yaml", theme=None)
    assert not ok and files == {} and "too large" in fragment


@pytest.mark.dot
def test_a_file_name_that_is_not_utf8_is_reported_and_the_others_build(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    designs.mkdir()
    (designs / "good.yaml").write_text(GOOD)
    fd = os.open(os.fsencode(designs) + b"/caf\xe9.yaml", os.O_WRONLY | os.O_CREAT)
    os.write(fd, GOOD.encode())
    os.close(fd)
    for command in (["build", "designs"], ["check", "designs"]):
        out = shell(*command, cwd=tmp_path)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "the file name is not UTF-8" in out.stderr
    assert (tmp_path / "output" / "good" / "overview.svg").is_file()


# --- faults as one-line errors ---------------------------------------------------------------------------------


def test_a_full_disk_or_read_only_folder_is_one_line_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code, words in (
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "not writable"),
        (errno.EACCES, "not writable"),
    ):

        def refuse(*args: Any, code: int = code, **kw: Any) -> Any:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(io.OutputWriteError, match=words):
            io.write_if_changed(tmp_path / "a" / "b.svg", b"<svg/>")
        monkeypatch.undo()
        assert not [p for p in (tmp_path / "a").iterdir()], "the temporary file is removed"


def test_schema_to_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    code, out = run("schema", "--out", str(tmp_path / "taken"))
    assert code in (1, 2) and "Traceback" not in out
    code, out = (
        run("schema", "--out", str(tmp_path / "file" / "schema.json"))
        if (tmp_path / "file").write_text("x")
        else (0, "")
    )
    assert code == 1 and "cannot write" in out and "Traceback" not in out


@pytest.mark.dot
def test_a_manifest_that_is_a_folder_or_nested_without_end(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(GOOD)
    manifest = tmp_path / "out" / ".blueprint" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("[" * 200_000 + "]" * 200_000)
    out = shell("build", "d.yaml", "--out", "out", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    manifest.unlink()
    manifest.mkdir()
    out = shell("build", "d.yaml", "--out", "out", cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "cannot write out/.blueprint/manifest.json: a folder is in the way" in out.stderr


@pytest.mark.dot
def test_a_stray_link_to_an_empty_folder_breaks_nothing(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(GOOD)
    assert shell("build", "d.yaml", "--out", "out", cwd=tmp_path).returncode == 0
    (tmp_path / "empty").mkdir()
    (tmp_path / "out" / "d" / "link").symlink_to(tmp_path / "empty")
    out = shell("build", "d.yaml", "--out", "out", "--force", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    out = shell("check", "d.yaml", "--out", "out", cwd=tmp_path)
    assert out.returncode == 1 and "out/d/link is not produced by the build" in out.stderr
    assert (tmp_path / "out" / "d" / "link").is_symlink() and (tmp_path / "empty").is_dir()


# --- processes --------------------------------------------------------------------------------------------------


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.dot
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_killing_the_build_takes_its_workers_with_it(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    shutil.copytree(ROOT / "designs", designs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "designs", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the build started its workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and _state(w) != "Z"]
    assert not alive, "no worker outlives its build"


def test_a_second_build_into_the_same_folder_waits_then_says_why(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(GOOD)
    (tmp_path / "out").mkdir()
    with build_lock(tmp_path / "out"):
        out = shell("build", "d.yaml", "--out", "out", cwd=tmp_path, env={"BLUEPRINT_LOCK_WAIT": "0.5"})
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "another blueprint build is writing to out/" in out.stderr
    assert "waiting for another blueprint build" in out.stderr


def test_builds_into_two_new_folders_do_not_wait_for_each_other(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(GOOD)
    with build_lock(tmp_path / "out" / "a"):
        out = shell("build", "d.yaml", "--out", "out/b", cwd=tmp_path, env={"BLUEPRINT_LOCK_WAIT": "0.5"})
    assert out.returncode == 0, out.stderr
    assert "waiting" not in out.stderr
    assert (tmp_path / "out" / "b" / "d" / "overview.svg").is_file()
    assert not (tmp_path / "out" / "a").exists(), "a build that writes nothing leaves no folder behind"


# --- cliffs -----------------------------------------------------------------------------------------------------


def test_dot_has_a_time_budget_and_the_message_says_what_to_do(tmp_path: Path) -> None:
    slow = tmp_path / "bin" / "dot"
    slow.parent.mkdir()
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    (tmp_path / "d.yaml").write_text(GOOD)
    env = {"PATH": f"{slow.parent}{os.pathsep}{os.environ['PATH']}", "BLUEPRINT_DOT_TIMEOUT": "1"}
    start = time.monotonic()
    out = shell("build", "d.yaml", "--out", "out", "--jobs", "1", cwd=tmp_path, env=env)
    assert time.monotonic() - start < 25, "stopped, not waited for"
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "d.yaml: Graphviz took more than 1 s to lay out a view and was stopped" in out.stderr
    assert "views: {flows: true}" in out.stderr


def test_the_cycle_rule_looks_at_each_distinct_call_once(monkeypatch: pytest.MonkeyPatch) -> None:
    components = [{"id": f"c{i}", "kind": "service"} for i in range(30)]
    steps = [f"c{(i * 7) % 30} -> c{(i * 11 + 3) % 30}: s{i}" for i in range(30_000)]
    design = Design.model_validate(
        {"id": "big", "title": "Big", "components": components, "flows": [{"id": "f", "steps": steps}]}
    )
    calls = []
    real = paths.route
    monkeypatch.setattr("generator.analysis.lint.architecture.route", lambda *a: calls.append(1) or real(*a))
    lint(design)
    distinct = len({(s.split(" -> ")[0], s.split(" -> ")[1].split(":")[0]) for s in steps})
    assert 0 < len(calls) <= distinct < 1_000, "work grows with distinct calls, not with 30,000 steps"


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: no disk used
    code, out = run("validate", str(huge))
    assert code == 1 and "the file is 3,000,000,000 bytes; designs are limited to 1,000,000" in out


# --- wrong acceptances ------------------------------------------------------------------------------------------


def test_true_is_not_a_number() -> None:
    found = errors_of("title: T\ncomponents: [{id: a, replicas: true}]\n")
    assert found == [
        "d.yaml:2:32: error: a number is expected here, not true (YAML reads true, yes and on as booleans)"
    ]
    report = estimate({"record_size": True})
    assert report.errors and "not true" in report.errors[0].message


def test_design_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: Shop\n" + GOOD)
    (tmp_path / "b.yaml").write_text("id: shop\n" + GOOD)
    code, out = run("validate", str(tmp_path))
    assert code == 1 and "differ only in case" in out


@pytest.mark.parametrize("name", ["CON", "nul", "Aux", "com1", "LPT9"])
def test_names_windows_keeps_for_devices_are_refused(name: str) -> None:
    found = errors_of(f"id: {name}\n" + GOOD)
    assert found and "a name Windows keeps for a device" in found[0]
    found = errors_of(GOOD + f"  - {{id: {name}, steps: ['b -> a']}}\n")
    assert found and found[0].startswith("d.yaml:5:") and f"flow '{name}'" in found[0]


def test_course_file_errors_are_located() -> None:
    from generator.errors import DesignError
    from generator.frontend.course import course_diagnostics, parse_course

    with pytest.raises(DesignError) as caught:
        parse_course(b'title = "T"\n\n[lessons]\n1 = "A"\n2 = \n', path="c.toml")
    assert str(caught.value).startswith("c.toml:5:")
    with pytest.raises(DesignError) as caught:
        parse_course(b'title = "T"\nintro = "x"\nparts = "nope"\n', path="c.toml")
    assert str(caught.value).startswith("c.toml:3:1:")
    found = course_diagnostics(
        b'title = "T"\norder = ["a", "url-shortner"]\n', path="c.toml", designs={"a", "url-shortener"}
    )
    assert [str(d) for d in found] == [
        "c.toml:2:15: error: order names 'url-shortner', which is no design (did you mean 'url-shortener'?)"
    ]


def test_validate_on_a_folder_without_designs_fails(tmp_path: Path) -> None:
    code, out = run("validate", str(tmp_path))
    assert code == 1 and "no design files" in out


# --- one bad file blocks none -----------------------------------------------------------------------------------


@pytest.mark.dot
def test_an_invalid_design_is_reported_and_the_valid_ones_build_and_lint(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    designs.mkdir()
    (designs / "good.yaml").write_text(GOOD)
    (designs / "bad.yaml").write_text("title: Bad\ncomponents: []\n")
    out = shell("build", "designs", cwd=tmp_path)
    assert out.returncode == 1 and "designs/bad.yaml:2:13: error: 'components': needs at least one entry" in out.stderr
    assert "built 2 designs into output/: 1 rendered" in out.stderr
    assert (tmp_path / "output" / "good" / "overview.svg").is_file()
    out = shell("lint", "designs", cwd=tmp_path)
    assert out.returncode == 1 and "designs/good.yaml:" in out.stdout and "designs/bad.yaml:2:13" in out.stdout
    assert "1 design reviewed" in out.stdout and "1 design invalid" in out.stdout


# --- Markdown injection -----------------------------------------------------------------------------------------


@pytest.mark.dot
def test_a_pipe_in_an_api_path_keeps_the_table_whole(tmp_path: Path) -> None:
    text = GOOD + "api:\n  - {method: GET, path: '/a|b<script>x</script>|c', summary: s}\n"
    record, found = read_design(text.encode(), path="d.yaml", default_id="d")
    assert record is not None, found
    from generator.writeup.pages import design_markdown

    markdown = design_markdown(record, source="d.yaml")
    row = next(line for line in markdown.splitlines() if line.startswith("| `GET"))
    cells = [c for c in row.split("|") if c.strip() and not c.endswith("\\")]
    assert row.count("\\|") == 2 and len(row.replace("\\|", "").split("|")) == 6, row
    assert "<script>" not in markdown.replace("`", "") or "`GET /a\\|b<script>x</script>\\|c`" in row, cells


def test_text_that_would_start_a_block_stays_text() -> None:
    assert escape_md("1986. A great year.") == "1986\\. A great year."
    assert escape_md("---") == "\\---" and escape_md("+ plus") == "\\+ plus" and escape_md("2) two") == "2\\) two"


# --- review blind spots -----------------------------------------------------------------------------------------


def test_review_blind_spots() -> None:
    def codes(text: str) -> list[str]:
        record, found = read_design(text.encode(), path="d.yaml", default_id="d")
        assert record is not None, found
        return [f.code for f in record.findings]

    ws = (
        "title: T\ncomponents: [{id: c, kind: client}, {id: ws, kind: websocket}]\n"
        "flows:\n  - {id: f, steps: ['c ~> ws: frame', 'ws ~> c: frame']}\n"
    )
    assert codes(ws).count("BP110") == 1, "one WebSocket server is a single point of failure"
    assert "BP112" not in codes(ws), "frames over a live connection need no queue"
    batch = textwrap.dedent(
        """\
        title: T
        components:
          - {id: u, kind: client}
          - {id: lb, kind: load_balancer, replicas: 2}
          - {id: app, kind: service, replicas: 3}
          - {id: job, kind: analytics}
        flows:
          - {id: f, steps: ['u -> lb: GET', 'lb -> app: route', 'job -> app: read access logs']}
        """
    )
    assert "BP119" not in codes(batch), "a batch job reading each instance's logs bypasses nothing"


# --- messages ---------------------------------------------------------------------------------------------------


def test_limits_count_characters_and_plurals_agree(tmp_path: Path) -> None:
    found = errors_of("title: T\ncomponents: [{id: a, label: " + "x" * 201 + "}]\n")
    assert found[0].endswith(
        "'label' is 201 characters long; the most is 200 (shorten it: a long label makes a picture nobody can read"
        " on a slide)"
    )
    (tmp_path / "d.yaml").write_text(GOOD)
    _, out = run("lint", str(tmp_path / "d.yaml"))
    assert "1 design reviewed" in out and ("1 warning," in out or "warnings," in out)
    assert "1 designs" not in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_named_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, out = run("validate", str(fifo))
    assert code == 1 and "a named pipe (FIFO), not a design file or a folder" in out


def test_escape_sequences_from_a_design_are_never_obeyed_by_the_terminal(tmp_path: Path) -> None:
    name = tmp_path / "\x1b[31mred.yaml"
    name.write_text("title: [\n")
    code, out = run("validate", str(name))
    assert code == 1 and "\x1b" not in out and "\\x1b[31mred.yaml" in out


def test_an_internal_bug_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import validate as command

    def broken(paths: Any) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("generator.build.loading.load_all", broken)
    result = CliRunner().invoke(main, ["validate", "x.yaml"])
    assert result.exit_code == 70 and "blueprint hit a bug (ZeroDivisionError: boom)" in result.output
    assert command is not None
