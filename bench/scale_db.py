"""Build the benchmark's scale database: 200 projects, ten years of daily data in every source.

Every generated row is marked synthetic in `origin`; the file lives apart from the real database.
Run: .venv/bin/python bench/scale_db.py [--out bench/results/scale.duckdb] [--projects 200] [--years 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors import inputs, store
from collectors.config import Project

ORIGIN = "synthetic benchmark row (bench/scale_db.py)"


def scale_projects(count: int) -> list[Project]:
    return [
        Project(f"p{i:03d}", f"Project {i:03d}", f"org{i:03d}/repo{i:03d}", (f"pkg{i:03d}",), f"phrase {i:03d}",
                f"term {i:03d}")
        for i in range(count)
    ]  # fmt: skip


def build(path: Path, projects: int = 200, years: int = 10) -> dict[str, float]:
    """Generate the rows inside DuckDB (fast, deterministic) through the real schema; returns timings."""
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    inputs.init_db(path, scale_projects(projects))
    days = years * 365
    with store.connect(path) as conn:
        conn.execute(
            f"""
            insert into observation
            with p as (select range as i from range({projects})),
                 d as (select (date '2026-11-21' - range::integer) as day from range({days}))
            -- GitHub: a daily star level and daily retained stars given
            select 'github', format('org{{:03d}}/repo{{:03d}}', i, i), 'stars', day, 0,
                   1000 + i * 50 + (date '2026-11-21' - day) * -1 + {days}, '{ORIGIN}', now()::timestamp, null
            from p, d
            union all
            select 'github', format('org{{:03d}}/repo{{:03d}}', i, i), 'stars_given_retained', day, 1,
                   (hash(i, day) % 20)::double, '{ORIGIN}', now()::timestamp, null
            from p, d
            -- PyPI: daily downloads without mirrors
            union all
            select 'pypi', format('pkg{{:03d}}', i), 'downloads_without_mirrors', day, 1,
                   (10000 + hash(i, day) % 5000)::double, '{ORIGIN}', now()::timestamp, null
            from p, d
            -- Trends: daily interest
            union all
            select 'trends', format('term {{:03d}}', i), 'interest', day, 1, (hash(day, i) % 101)::double,
                   '{ORIGIN}', now()::timestamp, null
            from p, d
            """
        )
        conn.execute(
            f"""
            insert into observation
            with p as (select range as i from range({projects})),
                 m as (select last_day(date '2026-10-01' - to_months(range)) as month_end from range({years * 12}))
            select 'arxiv', format('p{{:03d}}', i), 'papers_mentioning', month_end, day(month_end),
                   (hash(i, month_end) % 300)::double, '{ORIGIN}', now()::timestamp, null
            from p, m
            union all
            select 'arxiv', 'deep-learning', 'papers_total', month_end, day(month_end), 12000, '{ORIGIN}',
                   now()::timestamp, null
            from m
            """
        )
        store.refresh_summaries(conn)
        conn.execute("checkpoint")
        rows = conn.execute("select count(*) from observation").fetchone()[0]
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/results/scale.duckdb"))
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = build(args.out, args.projects, args.years)
    print(f"{result['rows']:,} observations in {result['seconds']:.1f} s, {result['bytes'] / 1e6:.0f} MB: {args.out}")
