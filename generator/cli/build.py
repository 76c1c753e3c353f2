"""``blueprint build``: render designs into the output folder, only what changed."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.main import OUT, PATHS, THEME, jobs_option, main
from generator.errors import printable

__all__ = ["build"]


@main.command(short_help="Build diagrams and write-ups, rendering only what changed.")
@PATHS
@OUT
@THEME
@jobs_option("rendered")
@click.option("--force", is_flag=True, help="Render every design, even those whose outputs are up to date.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line per design when not on a terminal.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Then build the course website into this folder, as `blueprint site PATHS --out DIR --from OUT` does, "
    "from what this build just prepared.",
)
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    theme: str | None,
    jobs: int | None,
    force: bool,
    verbose: bool,
    site_dir: Path | None,
) -> None:
    """Build diagrams (SVG, PNG) and Markdown write-ups for design files or folders (default: designs/).

    Only designs whose file, theme or blueprint itself changed since the last build are rendered again, and
    only files whose bytes changed are rewritten. With --site, the website follows (when the build succeeds).
    """
    from generator.build.progress import make_progress
    from generator.build.run import AfterRender, run_build

    keeper: AfterRender | None = None
    if site_dir is not None:
        from generator.site.cache import page_keeper

        keeper = page_keeper
    designs = list(paths) or [Path("designs")]
    report = run_build(
        designs,
        out_dir=out_dir,
        theme=theme,
        jobs=jobs,
        force=force,
        progress=make_progress(verbose=verbose),
        say=lambda line: click.echo(line, err=True),
        after=keeper,
    )
    click.echo(printable(report.summary()))
    if site_dir is not None:
        from generator.site.build import build_site

        click.echo(printable(build_site(designs, out_dir=site_dir, built=out_dir, theme=theme, jobs=jobs).summary()))
