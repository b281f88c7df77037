"""DuckLake beside the single file, in one run: page query times, the write rate, and two writers at once.

Run: .venv/bin/python bench/lake.py [--projects 200] [--years 10] [--repeat 5] [--rows 100000]
Starts a throwaway PostgreSQL (Debian's postgresql; tests/postgres.py) for the catalog and keeps the lake's data
under a temp directory. The scale data are bench/scale_db.py's synthetic rows, loaded into both stores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import query_latency
import scale_db
import write_path

from collectors import config, inputs, lake, store
from collectors.config import DuckLake
from tests import postgres

ROOT = Path(__file__).resolve().parents[1]

# One writer process: upserts `batches` batches of `rows` rows of its own source, as a collector's units of work.
WRITER = """
import sys
from collectors import config, store
sys.path.insert(0, "bench")
import write_path
db, source, batches, rows = config.database(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for batch in range(batches):
    frame = write_path.synthetic_batch(rows, batch).assign(source=source)
    frame["date"] = frame["date"] + __import__("pandas").Timedelta(days=3650 * batch)
    with store.connect(db) as conn:
        store.upsert_observations(conn, frame, guard_zeros=False)
"""


def load_scale_rows(file: Path, lake_db: DuckLake, projects: int) -> float:
    """Copy the scale file's observations into the lake in one transaction; returns seconds."""
    inputs.init_db(lake_db, scale_db.scale_projects(projects))
    started = time.perf_counter()
    with store.connect(lake_db) as conn:
        conn.execute(f"attach '{file}' as scale (read_only)")
        conn.execute("insert into observation select * from scale.observation")
        conn.execute("detach scale")
        store.refresh_summaries(conn)
    return time.perf_counter() - started


def page_times(db: config.Database, repeat: int) -> dict[str, float]:
    os.environ["ECOTRENDS_DB"] = config.spec(db)
    from app import queries

    queries._READER.close()
    return {
        page: query_latency.median_ms(lambda calls=calls: [call() for call in calls], repeat)
        for page, calls in query_latency.page_queries(queries).items()
    }


def claim_checks_ms(db: config.Database, repeat: int) -> float:
    with store.connect(db, read_only=True) as conn:
        return query_latency.median_ms(lambda: conn.execute("select * from claim_checks").fetchall(), repeat)


def write_rates(db: config.Database, rows: int) -> dict[str, float]:
    """Rows per second of one upsert of new rows, the same rows again, and every value changed."""
    first, changed = write_path.synthetic_batch(rows, 0), write_path.synthetic_batch(rows, 1)
    rates = {}
    with store.connect(db) as conn:
        for label, frame in (("new rows", first), ("same rows", first), ("every value changed", changed)):
            seconds, _ = write_path.timed(lambda frame=frame: store.upsert_observations(conn, frame))
            rates[label] = len(frame) / seconds
    return rates


def two_writers(db: DuckLake, batches: int, rows: int, repeat: int) -> dict[str, float]:
    """Two processes write different sources at once while this one reads the Overview's queries."""
    from app import queries

    os.environ["ECOTRENDS_DB"] = config.spec(db)
    overview = query_latency.page_queries(queries)["Overview"]
    read_ms, done = [], threading.Event()

    def reader() -> None:
        while not done.is_set():
            read_ms.append(query_latency.median_ms(lambda: [call() for call in overview], 1))

    thread = threading.Thread(target=reader)
    started = time.perf_counter()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, config.spec(db), source, str(batches), str(rows)], cwd=ROOT)
        for source in ("writer_a", "writer_b")
    ]
    thread.start()
    codes = [writer.wait() for writer in writers]
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    with store.connect(db, read_only=True) as conn:
        landed = conn.execute("select count(*) from observation where source in ('writer_a', 'writer_b')").fetchone()[0]
    expected = 2 * batches * rows
    return {
        "exit codes": max(codes), "rows written": expected, "rows lost": expected - landed, "seconds": seconds,
        "rows per second": expected / seconds, "page reads": len(read_ms),
        "Overview median ms while writing": statistics.median(read_ms) if read_ms else float("nan"),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per upsert batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, postgres.throwaway_server() as server:
        file = Path(folder) / "scale.duckdb"
        built = scale_db.build(file, projects=args.projects, years=args.years)
        lake_db = DuckLake(server.create_database("bench"), f"{folder}/lake/")
        load_seconds = load_scale_rows(file, lake_db, args.projects)
        rows = built["rows"]
        print(f"{rows:,} observations ({args.projects} projects x {args.years} years); "
              f"file {built['seconds']:.1f} s to build, lake {load_seconds:.1f} s to load "
              f"({rows / load_seconds:,.0f} rows/s)\n")  # fmt: skip

        pages = {"file": page_times(file, args.repeat), "lake": page_times(lake_db, args.repeat)}
        print("| page (all its queries) | file median ms | DuckLake median ms |\n|---|---:|---:|")
        for page in pages["file"]:
            print(f"| {page} | {pages['file'][page]:.1f} | {pages['lake'][page]:.1f} |")
        checks = {name: claim_checks_ms(db, args.repeat) for name, db in (("file", file), ("lake", lake_db))}
        print(f"| claim_checks view, full | {checks['file']:.1f} | {checks['lake']:.1f} |")

        print(f"\n| upsert of {args.rows:,} rows | file rows/s | DuckLake rows/s |\n|---|---:|---:|")
        fresh = Path(folder) / "write.duckdb"
        inputs.init_db(fresh)
        write_lake = DuckLake(server.create_database("writes"), f"{folder}/writes/")
        inputs.init_db(write_lake)
        rates = {"file": write_rates(fresh, args.rows), "lake": write_rates(write_lake, args.rows)}
        for label in rates["file"]:
            print(f"| {label} | {rates['file'][label]:,.0f} | {rates['lake'][label]:,.0f} |")

        concurrent = two_writers(write_lake, batches=10, rows=args.rows // 10, repeat=args.repeat)
        print("\n| two writer processes, different sources, one lake, the app reading | value |\n|---|---:|")
        for label, value in concurrent.items():
            print(f"| {label} | {value:,.1f} |" if isinstance(value, float) else f"| {label} | {value:,} |")
        lake.close_all()


if __name__ == "__main__":
    main()
