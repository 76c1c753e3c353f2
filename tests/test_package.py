"""The package is publishable: metadata, licence, a built wheel and sdist that twine accepts, the version tag."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_metadata_names_a_free_distribution_a_licence_and_the_command() -> None:
    assert PROJECT["name"] == "blueprint-diagrams"
    assert PROJECT["scripts"]["blueprint"] == "generator.cli:main"
    assert PROJECT["entry-points"]["mkdocs.plugins"]["blueprint"] == "generator.docs.mkdocs:BlueprintPlugin"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert {"Homepage", "Source", "Issues"} <= set(PROJECT["urls"])
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in PROJECT["classifiers"])


def test_the_readme_and_hooks_name_the_release_tag() -> None:
    tag = f"v{PROJECT['version']}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"rev: (\S+)", readme) == [tag]
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "args: [designs, --out, output]" in hooks and "entry: blueprint check\n" in hooks
    ci = (ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8")
    assert "pip install ." not in ci and f"blueprint-diagrams=={PROJECT['version']}" in ci
    assert "upload-sarif@v3" in ci


@pytest.mark.slow
def test_the_built_distributions_pass_twine_check(tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("twine")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    files = sorted(tmp_path.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"], files
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # The wheel holds every file of the package: the render fingerprint, for one, renders the probe designs.
    import zipfile

    with zipfile.ZipFile(next(f for f in files if f.suffix == ".whl")) as wheel:
        shipped = set(wheel.namelist())
    package = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generator").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert not package - shipped, f"left out of the wheel: {sorted(package - shipped)}"


@pytest.mark.slow
def test_the_hooks_run_from_another_repository_with_pre_commit_try_repo(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs blueprint from this repository into its own environment, as a user's
    `.pre-commit-config.yaml` would, and runs the validate hook on a repository holding only designs."""
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is a dev dependency (pip install -e '.[dev]')")
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this checkout to be a git repository")
    user = tmp_path / "designs-only"
    (user / "designs").mkdir(parents=True)
    (user / "designs" / "good.yaml").write_text("title: Good\ncomponents:\n  - {id: web, kind: service}\n")
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
           "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=user, check=True, env=env)
    subprocess.run([*git, "add", "."], cwd=user, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "designs"], cwd=user, check=True, env=env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        command = [str(pre_commit), "try-repo", str(ROOT), "blueprint-validate", "--all-files"]
        return subprocess.run(command, cwd=user, env=env, capture_output=True, text=True, timeout=900)

    ok = try_repo()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"blueprint validate\.+Passed", ok.stdout), ok.stdout
    (user / "designs" / "bad.yaml").write_text("title: Bad\ncomponents:\n  - {id: web, kind: servce}\n")
    subprocess.run([*git, "add", "."], cwd=user, check=True, env=env)
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "designs/bad.yaml:3:" in failed.stdout and "did you mean 'service'" in failed.stdout, failed.stdout
