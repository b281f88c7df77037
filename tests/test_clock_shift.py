"""The date-sensitive tests again, with the whole system clock moved: no test may depend on today's date.

Every test already runs on the recordings' day (conftest's recorded_clock). What that cannot move is the
clock of other processes and of DuckDB's SQL (now(), current_date): faketime moves those too, so a test
that compares a recorded time with the real clock fails here, on the day it is written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKETIME = shutil.which("faketime")
DATE_SENSITIVE = (
    "test_http.py", "test_github.py", "test_pypi.py", "test_arxiv.py", "test_trends.py", "test_backfill.py",
    "test_cli.py", "test_interchange.py", "test_store.py", "test_seed.py", "test_app.py", "test_stackoverflow.py",
    "test_conda.py", "test_input_refusals.py",
)  # fmt: skip
# A year ahead, everything date-sensitive; a few days back (before the recordings), what compares a recorded time
# with the clock: the HTTP client, the collectors that date their requests, the CLI.
SHIFTS = {
    "+400 days": DATE_SENSITIVE,
    "-3 days": ("test_http.py", "test_github.py", "test_pypi.py", "test_cli.py", "test_stackoverflow.py"),
}

pytestmark = [
    pytest.mark.skipif(FAKETIME is None, reason="faketime is not installed (.ci/run installs Debian's faketime)"),
    pytest.mark.skipif("ECOTRENDS_CLOCK_SHIFT" in os.environ, reason="already running under a shifted clock"),
]


def test_date_sensitive_tests_pass_with_the_clock_moved():
    """Both shifts run side by side (the machine has two cores); each runs its files in one process."""
    runs = {
        shift: subprocess.Popen(
            [
                FAKETIME,
                shift,
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-n",
                "0",  # one process per shift: the two shifts already share the machine's cores
                "-x",
                *(str(ROOT / "tests" / name) for name in files),
            ],
            env={**os.environ, "ECOTRENDS_CLOCK_SHIFT": shift},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
        )
        for shift, files in SHIFTS.items()
    }
    failed = {}
    for shift, run in runs.items():
        out, _ = run.communicate(timeout=900)
        if run.returncode != 0:
            failed[shift] = out[-4000:]
    assert failed == {}, "\n".join(f"with the clock moved by {shift}:\n{out}" for shift, out in failed.items())
