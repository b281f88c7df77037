""".ci/run: a system tool the tests need that cannot be installed fails CI, naming it, instead of letting its
tests skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_ci_fails_naming_the_tools_it_cannot_install(tmp_path: Path):
    """Chromium and faketime absent, apt-get failing: exit 1 with their names, and the suite is not started."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "id"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    stub(bin_dir, "apt-get", "exit 100")  # as apt-get does when a package cannot be found or fetched
    stub(bin_dir, "make", f": > {tmp_path / 'make-ran'}")
    done = subprocess.run(
        [shutil.which("bash"), str(ROOT / ".ci" / "run")],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1, done.stderr
    assert "missing chromium faketime" in done.stderr
    assert not (tmp_path / "make-ran").exists(), "the tests do not run without their tools"


def test_ci_runs_the_readmes_test_command_when_every_tool_is_there(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "id"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for tool in ("chromium", "faketime", "initdb"):
        stub(bin_dir, tool, "exit 0")
    stub(bin_dir, "make", f'echo "$@" > {tmp_path / "make-ran"}')
    done = subprocess.run(
        [shutil.which("bash"), str(ROOT / ".ci" / "run")], env={"PATH": str(bin_dir)}, capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "make-ran").read_text() == "test\n"
