"""``blueprint check``: whether the output folder is exactly what a build would write, judged by hashes alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.io import display_path
from generator.build.survey import survey
from generator.errors import BlueprintError

__all__ = ["CheckReport", "StaleOutputError", "run_check"]


class StaleOutputError(BlueprintError):
    """The output folder is not what a build would write; the message names every stale design and file (so it
    prints as it is, without click's ``Error:``)."""

    located = True


@dataclass
class CheckReport:
    """What a check found: the problems of each design, in design order, and of the index."""

    out_dir: Path
    designs: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)
    index: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the output folder is up to date."""
        return not self.problems and not self.index

    def summary(self) -> str:
        """One line when all is well, else one line per problem and a last line saying how to fix them."""
        out = display_path(self.out_dir)
        plural = "s" if self.designs != 1 else ""
        if self.ok:
            return f"{out}/ is up to date ({self.designs} design{plural})"
        lines = [f"{name}: {problem}" for name, problems in self.problems.items() for problem in problems]
        lines.extend(f"{out}/README.md (the index): {problem}" for problem in self.index)
        what = []
        if self.problems:
            what.append(f"{len(self.problems)} of {self.designs} design{plural}")
        if self.index:
            what.append("the index")
        strays = all("(a stray file" in problem for problems in self.problems.values() for problem in problems)
        if strays and not self.index:
            lines.append(f"{out}/ holds files no build writes ({' and '.join(what)}); remove the stray files")
        else:
            lines.append(f"{out}/ is stale ({' and '.join(what)}); run 'blueprint build' to refresh it")
        return "\n".join(lines)


def run_check(paths: Sequence[Path], *, out_dir: Path, theme: str | None = None) -> CheckReport:
    """Compare the output folder with what a build of ``paths`` would write, without rendering anything.

    A design is up to date when the hash of its bytes, path, theme and the render fingerprint matches
    the manifest, every output file recorded there holds the recorded bytes, and its folder holds nothing else.

    Args:
        paths: Design files and folders, as given to ``blueprint build``.
        out_dir: The output folder.
        theme: The theme override the build uses, if any.

    Returns:
        The report; ``report.ok`` tells whether all is well.
    """
    state = survey(paths, out_dir=out_dir, theme=theme)
    report = CheckReport(out_dir=out_dir, designs=len(state.found))
    out = display_path(out_dir)
    for src in state.found:
        problems = state.problems(src)
        problems.extend(
            f"{out}/{rel} is not produced by the build (a stray file: the build leaves it alone; remove it)"
            for rel in state.strays(src)
        )
        if problems:
            report.problems[display_path(src.path)] = problems
    for ident, entry in state.orphans():
        report.problems[entry.source] = [f"the design file is gone but its outputs remain in {out}/{ident}/"]
    for error in state.errors:
        report.problems.setdefault(error.location.path, []).append(error.message)
    report.index = state.index_problems()
    return report
