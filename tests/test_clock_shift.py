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
COLLECTING = (
    "test_http.py", "test_github.py", "test_pypi.py", "test_arxiv.py", "test_trends.py", "test_backfill.py",
    "test_cli.py", "test_interchange.py", "test_store.py",
)  # fmt: skip
# A year ahead, everything date-sensitive including the app; a few days back, the collectors and the CLI.
SHIFTS = {"+400 days": (*COLLECTING, "test_app.py"), "-3 days": COLLECTING}

pytestmark = [
    pytest.mark.skipif(FAKETIME is None, reason="faketime is not installed (.ci/run installs Debian's faketime)"),
    pytest.mark.skipif("ECOTRENDS_CLOCK_SHIFT" in os.environ, reason="already running under a shifted clock"),
]


@pytest.mark.parametrize("shift", SHIFTS)
def test_date_sensitive_tests_pass_with_the_clock_moved(shift: str):
    files = [str(ROOT / "tests" / name) for name in SHIFTS[shift]]
    done = subprocess.run(
        [FAKETIME, shift, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *files],
        env={**os.environ, "ECOTRENDS_CLOCK_SHIFT": shift},
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, f"with the clock moved by {shift}:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
