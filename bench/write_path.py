"""Write path: rows per second for an upsert batch and for `ecotrends import` of the real snapshot,
and the database file's size per million observations.

Run: .venv/bin/python bench/write_path.py [--rows 1000000]
The snapshot import is skipped when ../shared/snapshot/observations/ is absent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from collectors import clock, inputs, interchange, store

SNAPSHOT = Path(__file__).resolve().parents[2] / "shared" / "snapshot" / "observations"


def synthetic_batch(rows: int, version: int) -> pd.DataFrame:
    """Daily counts for rows/3650 subjects over ten years, marked synthetic in origin."""
    subjects = max(1, rows // 3650)
    days = [date(2016, 1, 1) + timedelta(days=i) for i in range(rows // subjects)]
    frame = pd.DataFrame(
        {
            "source": "synthetic",
            "subject": [f"s{i % subjects:04d}" for i in range(subjects * len(days))],
            "metric": "count",
            "date": [days[i // subjects] for i in range(subjects * len(days))],
            "window_days": 1,
            "value": [float(i + version) for i in range(subjects * len(days))],
            "origin": "synthetic benchmark row (bench/write_path.py)",
        }
    )
    frame["collected_at"] = clock.utc_now()
    frame["run_id"] = None
    return frame


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print("| operation | rows | seconds | rows per second |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "write.duckdb"
        inputs.init_db(db)
        first = synthetic_batch(args.rows, 0)
        with store.connect(db) as conn:
            for label, frame in (("upsert, new rows", first), ("upsert, same rows (no change)", first),
                                 ("upsert, every value changed", synthetic_batch(args.rows, 1))):  # fmt: skip
                seconds, written = timed(lambda frame=frame: store.upsert_observations(conn, frame))
                print(
                    f"| {label} ({written:,} written) | {len(frame):,} | {seconds:.2f} | {len(frame) / seconds:,.0f} |"
                )
            conn.execute("checkpoint")
            rows = conn.execute("select count(*) from observation").fetchone()[0]
        size = db.stat().st_size
        files = sorted(SNAPSHOT.glob("*.csv"))
        if files:
            snapshot_db = Path(folder) / "snapshot.duckdb"
            inputs.init_db(snapshot_db)
            seconds, written = timed(lambda: interchange.import_files(snapshot_db, files))
            print(f"| ecotrends import ../shared/snapshot/observations ({len(files)} files) | {written:,} | "
                  f"{seconds:.2f} | {written / seconds:,.0f} |")  # fmt: skip
        else:
            print("| ecotrends import of the snapshot | skipped: ../shared/snapshot/observations is absent | | |")
    print(f"\ndatabase file: {size / 1e6:.1f} MB for {rows:,} observations = {size / rows * 1e6 / 1e6:.1f} MB "
          "per million observations (after checkpoint)")  # fmt: skip


if __name__ == "__main__":
    main()
