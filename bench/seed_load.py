"""What a fresh clone's first `make app` costs: `ecotrends seed` into a new database, with the whole shipped
catalogue, timed and its peak memory read from the kernel (the budget: 30 s and 2 GB on two cores).

Run: .venv/bin/python bench/seed_load.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECOTRENDS = ROOT / ".venv" / "bin" / "ecotrends"
BUDGET_SECONDS, BUDGET_MB = 30.0, 2048.0


def one_load(folder: Path, index: int) -> tuple[float, float, float]:
    """Seconds, peak resident MB of the process, and the database's size in MB."""
    db = folder / f"seed-{index}.duckdb"
    env = {k: v for k, v in os.environ.items() if k not in ("ECOTRENDS_CATALOGUE", "ECOTRENDS_DB")}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([str(ECOTRENDS), "--db", str(db), "seed"], check=True, env=env, capture_output=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far, in KB
    return seconds, max(peak, before) / 1024, db.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_load(Path(tmp), i) for i in range(args.repeat)]
    seconds = [r[0] for r in runs]
    print("| measure | min | median | max | budget |\n|---|---:|---:|---:|---:|")
    print(f"| seed into a new file, s | {min(seconds):.1f} | {statistics.median(seconds):.1f} | {max(seconds):.1f} | "
          f"{BUDGET_SECONDS:.0f} |")  # fmt: skip
    print(f"| peak memory, MB | | {max(r[1] for r in runs):,.0f} | | {BUDGET_MB:,.0f} |")
    print(f"| database size, MB | | {runs[-1][2]:,.0f} | | |")


if __name__ == "__main__":
    sys.exit(main())
