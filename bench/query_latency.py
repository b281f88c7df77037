"""Query latency on the scale database: every published view, and the queries behind every app page.

Run: .venv/bin/python bench/query_latency.py [--db bench/results/scale.duckdb] [--repeat 5]
Builds the scale database first when it is absent (bench/scale_db.py). Prints the median of repeated runs
beside a plain scan of the same rows; the target is every page's queries together under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_db

from collectors import store

TARGET_MS = 100.0
FIVE = tuple(f"p{i:03d}" for i in range(5))


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def page_queries(queries) -> dict[str, list[Callable[[], object]]]:
    """The uncached queries each page runs, as the page calls them (five projects chosen)."""
    q = {name: getattr(queries, name).__wrapped__ for name in (
        "projects", "overview", "freshness", "claim_checks", "subjects", "series", "series_group", "breaks",
        "star_history",
        "star_events", "arxiv_denominator", "trends_requests", "trends_series", "holdings", "recent_runs",
        "coverage", "published_views",
    )}  # fmt: skip
    db = "bench"

    def series(key: str) -> Callable[[], object]:
        return lambda: (q["subjects"](db), q["series"](db, key, FIVE))

    return {
        "Overview": [lambda: q["projects"](db), lambda: q["overview"](db), lambda: q["freshness"](db),
                     lambda: q["claim_checks"](db)],
        "Compare": [lambda: q["projects"](db), series("stars"), lambda: q["breaks"](db, "github", "stars"),
                    lambda: q["claim_checks"](db)],
        "GitHub": [lambda: q["projects"](db), series("stars"), lambda: q["star_history"](db, FIVE),
                   lambda: q["star_events"](db, FIVE), lambda: q["breaks"](db, "github", "stars"),
                   lambda: q["breaks"](db, "github", "stars_given_retained"),
                   lambda: q["breaks"](db, "github", "stars_given_gharchive")],
        "PyPI": [lambda: q["projects"](db), lambda: q["subjects"](db),
                 lambda: q["series_group"](db, ("downloads", "downloads_mirrors", "downloads_clickpy",
                                                "downloads_snapshot"), FIVE),
                 lambda: q["breaks"](db, "pypi", "downloads_without_mirrors")],
        "arXiv": [lambda: q["projects"](db), lambda: q["subjects"](db),
                  lambda: q["series_group"](db, ("arxiv", "arxiv_share"), FIVE),
                  lambda: q["arxiv_denominator"](db), lambda: q["breaks"](db, "arxiv", "papers_mentioning")],
        "Trends": [lambda: q["projects"](db), lambda: q["trends_requests"](db),
                   lambda: q["trends_series"](db, "synthetic", "day", FIVE),
                   lambda: q["breaks"](db, "trends", "interest")],
        "Claims": [lambda: q["claim_checks"](db), lambda: q["projects"](db), series("stars"),
                   lambda: q["breaks"](db, "github", "stars")],
        "Data": [lambda: q["holdings"](db), lambda: q["recent_runs"](db), lambda: q["coverage"](db),
                 lambda: q["published_views"](db)],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("bench/results/scale.duckdb"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print("building the scale database…", file=sys.stderr)
        scale_db.build(args.db)
    os.environ["ECOTRENDS_DB"] = str(args.db)
    from app import queries

    with store.connect(args.db, read_only=True) as conn:
        rows = conn.execute("select count(*) from observation").fetchone()[0]
        scan = median_ms(lambda: conn.execute("select count(*), sum(value) from observation").fetchall(), args.repeat)
        views = sorted(r[0] for r in conn.execute(
            "select view_name from duckdb_views() where not internal and comment is not null").fetchall())  # fmt: skip
        view_ms = {v: median_ms(lambda v=v: conn.execute(f'select count(*) from (select * from "{v}")').fetchall(),
                                args.repeat) for v in views}  # fmt: skip

    print(f"scale database: {rows:,} observations ({args.db})")
    print(f"plain scan of every observation (count, sum): {scan:.1f} ms\n")
    print("| published view (full evaluation) | median ms | x plain scan |\n|---|---:|---:|")
    for view, ms in sorted(view_ms.items(), key=lambda item: -item[1]):
        print(f"| {view} | {ms:.1f} | {ms / scan:.1f} |")

    print(f"\n| page | queries | median ms (all its queries) | target {TARGET_MS:.0f} ms |\n|---|---:|---:|---|")
    for page, calls in page_queries(queries).items():
        ms = median_ms(lambda calls=calls: [call() for call in calls], args.repeat)
        print(f"| {page} | {len(calls)} | {ms:.1f} | {'met' if ms < TARGET_MS else 'MISSED'} |")


if __name__ == "__main__":
    main()
