"""Build the benchmark's scale database: the tracked projects with their shipped history, and beside them
synthetic projects with ten years of daily data in every source.

`--scale 3m`, `30m` or `100m`: 200, 2,000 or 6,400 synthetic projects (about 3, 30 or 94 million synthetic
observations, beside the 5.7 million of the shipped history and catalogue). The real projects and their seed stay
in, so the claims are judged on real evidence among millions of other rows (their verdicts must match a database
holding the seed alone). Every generated row is marked synthetic in `origin`; the file lives apart from the real
database.

Run: .venv/bin/python bench/scale_db.py [--scale 3m|30m|100m] [--out PATH]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from collectors import inputs, schema, seed, store, tracked
from collectors.config import Project
from collectors.projects import load_projects

ORIGIN = "synthetic benchmark row (bench/scale_db.py)"
LAST_DAY = "2026-11-21"
SCALES = {"3m": 200, "30m": 2000, "100m": 6400}  # synthetic projects; ten years of daily data each
# Rows are generated and inserted this many projects at a time (about 365,000 rows a statement): a bounded chunk,
# so the build's memory does not grow with the scale.
PROJECTS_PER_CHUNK = 100
RESULTS = Path(__file__).resolve().parent / "results"

# One statement per source and chunk of projects, so that a build holds one chunk's rows in memory at a time. Rows
# come ordered by subject and day, as a backfill writes them. {days}, {last} and {origin} are filled in by Python;
# the doubled braces become the placeholders of DuckDB's format().
DAILY = {
    "github stars": """
        select 'github', format('org{{:04d}}/repo{{:04d}}', i, i), 'stars', day, 0,
               1000 + i * 50 + {days} - (date '{last}' - day), '{origin}', now()::timestamp, null""",
    "github stars given": """
        select 'github', format('org{{:04d}}/repo{{:04d}}', i, i), 'stars_given_retained', day, 1,
               (hash(i, day) % 20)::double, '{origin}', now()::timestamp, null""",
    "pypi downloads": """
        select 'pypi', format('pkg{{:04d}}', i), 'downloads_without_mirrors', day, 1,
               (10000 + hash(i, day) % 5000)::double, '{origin}', now()::timestamp, null""",
    "trends interest": """
        select 'trends', format('project {{:04d}}', i), 'interest', day, 1, (hash(day, i) % 101)::double,
               '{origin}', now()::timestamp, null""",
}
MONTHLY = """
    select 'arxiv', format('p{{:04d}}', i), 'papers_mentioning', month_end, day(month_end),
           (hash(i, month_end) % 300)::double, '{origin}', now()::timestamp, null
    from p, m
    union all
    -- the denominator of the arXiv shares: all deep-learning papers of the month
    select 'arxiv', 'deep-learning', 'papers_total', month_end, day(month_end), 12000, '{origin}',
           now()::timestamp, null
    from m"""


def synthetic_projects(count: int) -> list[Project]:
    """Projects as `ecotrends track` adds them: their arXiv phrase and Trends term are their name in lower case."""
    return [tracked.project_of(f"p{i:04d}", f"Project {i:04d}", f"org{i:04d}/repo{i:04d}", (f"pkg{i:04d}",), {})
            for i in range(count)]  # fmt: skip


def track_synthetic(path: Path, count: int) -> None:
    """File the synthetic projects as tracked ones (tracked_project, then project_subject), as `ecotrends track`
    would: the pages, the catalogue search and project_series then read them like a team's tracked projects."""
    curated = load_projects()
    with store.connect(path) as conn, store.transaction(conn):
        tracked.save(conn, [tracked.Tracked(p, ORIGIN) for p in synthetic_projects(count)])
        inputs.write_projects(conn, curated)


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def insert_chunk(conn: duckdb.DuckDBPyConnection, rows_sql: str) -> None:
    """Insert one chunk of generated rows (new keys: no MERGE needed), and their series into series_summary and
    project_observation as the store's writers keep them."""
    conn.execute(
        f"create or replace temp table incoming_batch as select * from ({rows_sql}) as generated(source, subject, "
        "metric, date, window_days, value, origin, collected_at, run_id)"
    )
    conn.execute("insert into observation select * from incoming_batch")
    store.keep_derived_tables(conn, None, whole=False)
    store.keep_project_series(conn)
    conn.execute("drop table incoming_batch")


def build(path: Path, projects: int = 200, years: int = 10) -> dict[str, float]:
    """Generate the rows inside DuckDB (fast, deterministic) through the real schema; returns what it cost."""
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    inputs.init_db(path, load_projects())
    seed.load(path)
    track_synthetic(path, projects)
    days = years * 365
    fill = {"days": days, "last": LAST_DAY, "origin": ORIGIN}
    with store.connect(path) as conn:
        for statement in DAILY.values():
            for first in range(0, projects, PROJECTS_PER_CHUNK):
                last = min(projects, first + PROJECTS_PER_CHUNK)
                insert_chunk(
                    conn,
                    f"""
                    with p as (select range as i from range({first}, {last})),
                         d as (select (date '{LAST_DAY}' - range::integer) as day from range({days}))
                    {statement.format(**fill)}
                    from p, d
                    order by i, day
                    """,
                )
        insert_chunk(
            conn,
            f"""
            with p as (select range as i from range({projects})),
                 m as (select last_day(date '2026-10-01' - to_months(range)) as month_end from range({years * 12}))
            {MONTHLY.format(**fill)}
            """,
        )
        schema.refresh_summaries(conn)
        conn.execute("checkpoint")
        rows = conn.execute("select count(*) from observation").fetchone()[0]
    return {
        "rows": rows, "seconds": time.perf_counter() - started, "bytes": path.stat().st_size,
        "peak_mb": peak_memory_mb(),
    }  # fmt: skip


def default_path(scale: str) -> Path:
    return RESULTS / ("scale.duckdb" if scale == "3m" else f"scale-{scale}.duckdb")


def ensure(scale: str, path: Path | None = None) -> Path:
    """The scale database of this size, built first when it is absent (the other benchmarks call this)."""
    path = path or default_path(scale)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"building the {scale} scale database (bench/scale_db.py)…", file=sys.stderr)
        build(path, SCALES[scale])
    return path


def add_scale_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=sorted(SCALES), default="3m", help="size of the scale database")
    parser.add_argument("--db", type=Path, help="scale database to use (default: bench/results/ by --scale)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="3m")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    out = args.out or default_path(args.scale)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = build(out, SCALES[args.scale], args.years)
    print(
        f"{result['rows']:,} observations in {result['seconds']:.1f} s, {result['bytes'] / 1e6:.0f} MB, "
        f"peak memory {result['peak_mb']:.0f} MB: {out}"
    )
