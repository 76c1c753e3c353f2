"""``blueprint build`` and ``blueprint validate``: load every design, render, write what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DesignError, Diagnostic
from generator.io import display_path, find_designs, inside, write_if_changed
from generator.model import Design

__all__ = ["INDEX_TITLE", "BuildReport", "load_all", "run_build"]

INDEX_TITLE = "System Design Masterclass"


@dataclass
class BuildReport:
    """What a build did."""

    out_dir: Path
    designs: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        plural = "s" if self.designs != 1 else ""
        extra = f", {len(self.removed)} stale removed" if self.removed else ""
        return (
            f"built {self.designs} design{plural} into {display_path(self.out_dir)}/: "
            f"{len(self.written)} written, {self.unchanged} unchanged{extra}"
        )


def load_all(paths: Sequence[Path]) -> list[tuple[Path, Design]]:
    """Load and validate every design file found, reporting the errors of all files at once.

    Raises:
        DesignError: Any file is invalid, or two files share a design id.
    """
    from generator.pipeline import load_design

    errors: list[Diagnostic] = []
    loaded: list[tuple[Path, Design]] = []
    for path in find_designs(paths):
        try:
            loaded.append((path, load_design(path, shown_as=display_path(path))))
        except DesignError as exc:
            errors.extend(exc.diagnostics)
    seen: dict[str, Path] = {}
    for path, design in loaded:
        if design.id in seen:
            from generator.errors import Location

            errors.append(
                Diagnostic(
                    Location(display_path(path)),
                    f"design id '{design.id}' is also used by {display_path(seen[design.id])}",
                    hint="give one of them another 'id:'",
                )
            )
        seen.setdefault(design.id, path)
    if errors:
        raise DesignError(errors)
    return loaded


def run_build(paths: Sequence[Path], *, out_dir: Path, theme: str | None) -> BuildReport:
    """Build every design found under ``paths`` into ``out_dir`` and refresh the index."""
    from generator.pipeline import render_design, render_index

    loaded = load_all(paths)
    report = BuildReport(out_dir=out_dir, designs=len(loaded))
    root = out_dir.resolve().parent
    built = []
    for path, design in loaded:
        try:
            source = path.resolve().relative_to(root).as_posix()
        except ValueError:
            source = path.name
        result = render_design(design, source=source, theme=theme)
        built.append(result)
        for rel, data in sorted(result.files.items()):
            if write_if_changed(inside(out_dir, rel), data):
                report.written.append(rel)
            else:
                report.unchanged += 1
        folder = inside(out_dir, design.id)
        for stale in sorted(folder.iterdir()):
            rel = f"{design.id}/{stale.name}"
            if stale.is_file() and rel not in result.files:
                stale.unlink()
                report.removed.append(rel)
    if built:
        # The index lists every design beside the ones built, so building one file keeps the others listed.
        folders = sorted({path.parent for path, _ in loaded})
        everything = {d.id: d for _, d in load_all(folders)} if folders else {}
        everything.update({b.design.id: b.design for b in built})
        index = render_index(list(everything.values()), title=INDEX_TITLE)
        if write_if_changed(inside(out_dir, "README.md"), index):
            report.written.append("README.md")
        else:
            report.unchanged += 1
    return report
