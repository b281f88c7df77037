"""DuckLake beside the single file, in one run: page query times, the write rate, and two writers at once.

Run: .venv/bin/python bench/lake.py [--scale 3m|30m|100m] [--repeat 5] [--rows 100000] [--pages-only]
Starts a throwaway PostgreSQL (Debian's postgresql; tests/postgres.py) for the catalog and keeps the lake's data
under a temp directory. The scale data are bench/scale_db.py's database (built when absent), copied into the lake;
the two collectors read the recorded answers of every API from the test suite's replay (tests/fakeapi.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import query_latency
import scale_db
import write_path

from collectors import config, inputs, lake, store
from collectors.config import DuckLake
from tests import postgres
from tests.fakeapi import FakeAPI

ROOT = Path(__file__).resolve().parents[1]

# One writer process: upserts `batches` batches of `rows` rows of its own source, as a collector's units of work.
# Each batch is moved `rows` days on, so that no two batches share a key: every row written must land.
WRITER = """
import sys
from collectors import config, store
sys.path.insert(0, "bench")
import write_path
db, source, batches, rows = config.database(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for batch in range(batches):
    frame = write_path.synthetic_batch(rows, batch).assign(source=source)
    frame["date"] = frame["date"] + __import__("pandas").Timedelta(days=rows * batch)
    with store.connect(db) as conn:
        store.upsert_observations(conn, frame, guard_zeros=False)
"""


def tables_of(conn: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return [row[0] for row in conn.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main' order by 1",
        [database],
    ).fetchall()]  # fmt: skip


def load_scale_rows(file: Path, lake_db: DuckLake) -> float:
    """Copy every table of the scale file into the lake in one transaction, so that the pages read the same rows
    on both (observations, tracked projects and their subjects, the catalogue, the summaries); returns seconds.

    The tables are copied generically, by name: a table the file gains is copied without a change here, and one
    the lake lacks (or holds alone) stops the run. The row counts of every table are checked equal after."""
    inputs.init_db(lake_db, scale_db.load_projects())  # the lake's schema; its rows are replaced below
    started = time.perf_counter()
    with store.connect(lake_db) as conn:
        conn.execute(f"attach '{file}' as scale (read_only)")
        tables = tables_of(conn, "scale")
        if tables != tables_of(conn, lake.ALIAS):
            raise SystemExit(f"{file} and the lake hold different tables: "
                             f"{sorted(set(tables) ^ set(tables_of(conn, lake.ALIAS)))}")  # fmt: skip
        with store.transaction(conn):
            for table in tables:
                conn.execute(f'delete from "{table}"')
                conn.execute(f'insert into "{table}" by name select * from scale."{table}"')
        count = "select count(*) from {}"
        differ = {table: (conn.execute(count.format(f'scale."{table}"')).fetchone()[0],
                          conn.execute(count.format(f'"{table}"')).fetchone()[0]) for table in tables}  # fmt: skip
        conn.execute("detach scale")
    differ = {table: counts for table, counts in differ.items() if counts[0] != counts[1]}
    if differ:
        raise SystemExit(f"rows (file, lake) differ after the copy: {differ}")
    return time.perf_counter() - started


def page_calls(db: config.Database) -> dict[str, list[Callable[[], object]]]:
    """The page queries of bench/query_latency.py, naming db as the app names its store."""
    os.environ["ECOTRENDS_DB"] = config.spec(db)
    from app import queries

    return query_latency.page_queries(queries)


def page_times(stores: dict[str, config.Database], repeat: int) -> dict[str, dict[str, float]]:
    """Median ms of every page's queries on every store; each page is timed on the stores one after the other,
    so that a machine shared with other work loads them alike. A store named "... per query" is read with a
    snapshot per query (the app before its reads on a lake shared one snapshot per burst)."""
    from app import reader

    calls = {name: page_calls(db) for name, db in stores.items()}
    times: dict[str, dict[str, float]] = {name: {} for name in stores}
    for page in calls[next(iter(stores))]:
        for name in stores:
            reader.READER.close()
            reader.Reader.LAKE_SNAPSHOT_PER_BURST = not name.endswith("per query")
            times[name][page] = query_latency.median_ms(lambda c=calls[name][page]: [call() for call in c], repeat)
    reader.READER.close()
    reader.Reader.LAKE_SNAPSHOT_PER_BURST = True
    return times


def plain_scan_ms(db: config.Database, repeat: int) -> float:
    with store.connect(db, read_only=True) as conn:
        return query_latency.median_ms(
            lambda: conn.execute("select count(*), sum(value) from observation").fetchall(), repeat
        )


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


def reading_while(db: config.Database, work: Callable[[], list[int]]) -> tuple[list[int], list[float]]:
    """Run work() while this process serves the Overview page's queries from db over and over; returns
    work's exit codes and the page's times."""
    from app import queries, reader

    os.environ["ECOTRENDS_DB"] = config.spec(db)
    reader.READER.close()
    overview = query_latency.page_queries(queries)["Overview"]
    read_ms, done = [], threading.Event()

    def reader() -> None:
        while not done.is_set():
            read_ms.append(query_latency.median_ms(lambda: [call() for call in overview], 1))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        codes = work()
    finally:
        done.set()
        thread.join()
    return codes, read_ms


def two_collectors(lake_db: DuckLake, file: Path, env: dict[str, str]) -> dict[str, object]:
    """The issue's acceptance run: `ecotrends collect --source github` and `--source pypi` as two processes into
    one lake while the app reads it, against one process collecting both into a file from the same answers."""

    def collect(db: config.Database, *names: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "collectors", "--db", config.spec(db), "collect", "--no-progress"]
        return subprocess.Popen([*command, *(f"--source={name}" for name in names)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL)  # fmt: skip

    started = time.perf_counter()
    codes, read_ms = reading_while(
        lake_db, lambda: [writer.wait() for writer in (collect(lake_db, "github"), collect(lake_db, "pypi"))]
    )
    seconds = time.perf_counter() - started
    assert collect(file, "github", "pypi").wait() == 0, "the file's collect failed"
    key = "select source, subject, metric, date, window_days, value from observation where source in ('github', 'pypi')"
    with store.connect(lake_db, read_only=True) as conn:
        in_lake = set(conn.execute(key).fetchall())
    with store.connect(file, read_only=True) as conn:
        in_file = set(conn.execute(key).fetchall())
    return {
        "exit codes (github, pypi)": ", ".join(map(str, codes)), "rows the file holds": len(in_file),
        "rows lost in the lake": len(in_file - in_lake), "rows only in the lake": len(in_lake - in_file),
        "seconds, both collectors": seconds, "Overview reads meanwhile": len(read_ms),
        "Overview median ms meanwhile": statistics.median(read_ms) if read_ms else float("nan"),
    }  # fmt: skip


def two_bulk_writers(db: DuckLake, batches: int, rows: int) -> dict[str, object]:
    """Two processes upsert batches of different sources at once (snapshot conflicts retried) while the app reads."""
    started = time.perf_counter()
    codes, read_ms = reading_while(db, lambda: [writer.wait() for writer in [
        subprocess.Popen([sys.executable, "-c", WRITER, config.spec(db), source, str(batches), str(rows)], cwd=ROOT)
        for source in ("writer_a", "writer_b")
    ]])  # fmt: skip
    seconds = time.perf_counter() - started
    with store.connect(db, read_only=True) as conn:
        landed = conn.execute("select count(*) from observation where source in ('writer_a', 'writer_b')").fetchone()[0]
    expected = 2 * batches * rows
    return {
        "exit codes": ", ".join(map(str, codes)), "rows written": expected, "rows lost": expected - landed,
        "seconds": seconds, "rows per second": expected / seconds, "Overview reads meanwhile": len(read_ms),
        "Overview median ms meanwhile": statistics.median(read_ms) if read_ms else float("nan"),
    }  # fmt: skip


def print_table(title: str, values: dict[str, object]) -> None:
    print(f"\n| {title} | value |\n|---|---:|")
    for label, value in values.items():
        print(f"| {label} | {value:,.1f} |" if isinstance(value, float) else f"| {label} | {value:,} |"
              if isinstance(value, int) else f"| {label} | {value} |")  # fmt: skip


def quiet_streamlit() -> None:
    from app import queries  # noqa: F401 (its import makes the loggers quieted here)

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("streamlit")]:
        logging.getLogger(name).setLevel(logging.ERROR)  # bare mode warns on every cached call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_db.add_scale_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per upsert batch")
    parser.add_argument("--pages-only", action="store_true", help="the pages' times alone, no writes")
    args = parser.parse_args()
    file = scale_db.ensure(args.scale, args.db)
    quiet_streamlit()
    with tempfile.TemporaryDirectory() as folder, postgres.throwaway_server() as server:
        lake_db = DuckLake(server.create_database("bench"), f"{folder}/lake/")
        load_seconds = load_scale_rows(file, lake_db)
        with store.connect(file, read_only=True) as conn:
            rows = conn.execute("select count(*) from observation").fetchone()[0]
        print(f"{rows:,} observations ({file}); the lake took {load_seconds:.1f} s to load them "
              f"({rows / load_seconds:,.0f} rows/s)\n")  # fmt: skip

        stores = {"file": file, "lake, a snapshot per query": lake_db, "lake": lake_db}
        scans = {name: plain_scan_ms(db, args.repeat) for name, db in stores.items()}
        pages = page_times(stores, args.repeat)
        checks = {name: claim_checks_ms(db, args.repeat) for name, db in stores.items()}
        print("| page (all its queries), median ms | file | DuckLake, a snapshot per query | lake / file | "
              "DuckLake, a snapshot per page | lake / file |\n|---|---:|---:|---:|---:|---:|")  # fmt: skip
        rows_of = {"plain scan (count, sum)": scans, **{page: {n: pages[n][page] for n in stores} for page in
                   pages["file"]}, "claim_checks view, full": checks}  # fmt: skip
        for label, ms in rows_of.items():
            lakes = " | ".join(f"{ms[n]:.1f} | {ms[n] / ms['file']:.1f}" for n in list(stores)[1:])
            print(f"| {label} | {ms['file']:.1f} | {lakes} |")
        if args.pages_only:
            lake.close_all()
            return

        print(f"\n| upsert of {args.rows:,} rows | file rows/s | DuckLake rows/s |\n|---|---:|---:|")
        fresh = Path(folder) / "write.duckdb"
        inputs.init_db(fresh)
        write_lake = DuckLake(server.create_database("writes"), f"{folder}/writes/")
        inputs.init_db(write_lake)
        rates = {"file": write_rates(fresh, args.rows), "lake": write_rates(write_lake, args.rows)}
        for label in rates["file"]:
            print(f"| {label} | {rates['file'][label]:,.0f} | {rates['lake'][label]:,.0f} |")

        with FakeAPI() as api:
            collect_lake = DuckLake(server.create_database("collect"), f"{folder}/collect/")
            collect_file = Path(folder) / "collect.duckdb"
            for db in (collect_lake, collect_file):
                inputs.init_db(db)
            print_table(
                "two `ecotrends collect` processes (github, pypi), one lake, the app reading",
                two_collectors(collect_lake, collect_file, {**os.environ, **api.env()}),
            )
        print_table(
            f"two writer processes, 10 batches of {args.rows // 10:,} rows each, one lake, the app reading",
            two_bulk_writers(write_lake, batches=10, rows=args.rows // 10),
        )
        lake.close_all()


if __name__ == "__main__":
    main()
