"""tools/need.sh, which make runs to install what pip cannot: one clear line when something is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEED = ROOT / "tools" / "need.sh"


def need(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path} if path is not None else None
    shell = shutil.which("sh") or "/bin/sh"
    return subprocess.run([shell, str(NEED), *args], capture_output=True, text=True, env=env, check=False)


def test_the_script_parses() -> None:
    assert subprocess.run(["sh", "-n", str(NEED)], capture_output=True, check=False).returncode == 0


def test_an_unknown_tool_is_refused() -> None:
    result = need("nonsense")
    assert result.returncode == 2 and "unknown tool nonsense" in result.stderr


def test_a_missing_tool_without_apt_is_one_line_naming_the_install_command(tmp_path: Path) -> None:
    # No dot, no apt-get on this PATH: whoever runs it gets the command to type, and nothing else.
    (tmp_path / "id").write_text("#!/bin/sh\necho 1000\n")
    (tmp_path / "id").chmod(0o755)
    result = need("graphviz", path=str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "blueprint: graphviz fontconfig is missing; install it with: "
        "sudo apt-get install graphviz fontconfig (macOS: brew install graphviz)"
    ]
