"""Query latency on the scale database: every published view, and the queries behind every app page.

Run: .venv/bin/python bench/query_latency.py [--scale 3m|30m] [--db PATH] [--repeat 5]
Builds the scale database first when it is absent (bench/scale_db.py). Prints the median of repeated runs
beside a plain scan of the same rows; the target is every page's queries together under 100 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_db

from collectors import store
from collectors.claims import CLAIMS_FILE

TARGET_MS = 100.0
ONE_PROJECT = "select * from project_series where project_id = ?"


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def page_queries(queries) -> dict[str, list[Callable[[], object]]]:
    """The uncached queries each page of app/pages.py runs on its first load, as the page calls them: the
    default projects (the eight most-starred), the default series and request, the first claim's evidence, and on
    "Check an article" the whole register judged as if it were a new article's claims."""
    from app import ui

    db = os.environ["ECOTRENDS_DB"]  # the page names its store by this text, as the app does
    q = {name: getattr(queries, name).__wrapped__ for name in (
        "projects", "freshness", "headlines", "signals", "latest_stars", "claim_checks", "series", "series_group",
        "breaks", "claim_evidence", "milestones", "judge_register", "star_history", "star_events", "arxiv_denominator",
        "trends_requests", "trends_series", "holdings", "recent_runs", "series_per_source", "series_page",
        "published_views", "find_projects", "chosen_projects", "catalogue_size",
    )}  # fmt: skip
    found = q["find_projects"](db, "polars")
    picked = (*found["project_id"].head(1), "pandas", "duckdb", "fastapi")
    chosen = tuple(ui.default_projects(db, list(q["projects"](db)["project_id"])))
    checks = q["claim_checks"](db)
    judged = checks[checks["evidence_source"].notna()].iloc[0]
    register = CLAIMS_FILE.read_text(encoding="utf-8")
    requests = q["trends_requests"](db)
    request = requests.iloc[0] if not requests.empty else None

    def head() -> list[Callable[[], object]]:
        """What every source page reads first: the projects, the star counts that rank the default ones, the
        catalogue projects a link chose and the search box's count."""
        return [lambda: q["projects"](db), lambda: q["latest_stars"](db), lambda: q["chosen_projects"](db, ()),
                lambda: q["catalogue_size"](db)]

    def breaks(source: str, *metrics: str) -> list[Callable[[], object]]:
        return [lambda metric=metric: q["breaks"](db, source, metric) for metric in metrics]

    return {
        "Overview": [lambda: q["projects"](db), lambda: q["freshness"](db), lambda: q["headlines"](db),
                     lambda: q["signals"](db), lambda: q["claim_checks"](db)],
        "Compare": [*head(), lambda: q["series"](db, "stars", chosen), *breaks("github", "stars"),
                    lambda: q["claim_checks"](db)],
        "Compare, catalogue projects found by search": [
            *head(), lambda: q["find_projects"](db, "polars"), lambda: q["chosen_projects"](db, picked),
            lambda: q["series"](db, "stars", picked), lambda: q["series"](db, "downloads_snapshot", picked),
            *breaks("github", "stars"), lambda: q["claim_checks"](db)],
        "Claims": [lambda: q["claim_checks"](db), lambda: q["projects"](db),
                   lambda: q["claim_evidence"](db, judged["claim_id"]),
                   *breaks(judged["evidence_source"], judged["evidence_metric"]), lambda: q["milestones"](db)],
        "Check an article": [lambda: q["projects"](db), lambda: q["judge_register"](db, register)],
        "GitHub": [*head(), lambda: q["series"](db, "stars", chosen), lambda: q["star_history"](db, chosen),
                   lambda: q["star_events"](db, chosen),
                   *breaks("github", "stars", "stars_given_retained", "stars_given_gharchive")],
        "PyPI": [*head(), lambda: q["series_group"](db, ("downloads", "downloads_mirrors", "downloads_clickpy",
                                                         "downloads_snapshot"), chosen),
                 *breaks("pypi", "downloads_without_mirrors", "downloads_with_mirrors", "downloads_clickpy",
                         "downloads")],
        "arXiv": [*head(), lambda: q["series_group"](db, ("arxiv", "arxiv_share"), chosen),
                  lambda: q["series"](db, "papers", chosen), *breaks("arxiv", "papers_mentioning"),
                  lambda: q["arxiv_denominator"](db)],
        "Trends": [*head(), lambda: q["trends_requests"](db), *breaks("trends", "interest"),
                   *([lambda: q["trends_series"](db, request["timeframe"], request["resolution"], chosen)]
                     if request is not None else [])],
        "Data": [lambda: q["series_per_source"](db), lambda: q["recent_runs"](db),
                 lambda: q["series_page"](db, "", "", "", "name", 1), lambda: q["published_views"](db)],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_db.add_scale_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--views", default="", help="comma-separated views to evaluate in full (default: every one)")
    parser.add_argument("--pages-only", action="store_true", help="the pages' queries alone, no view in full")
    args = parser.parse_args()
    db = scale_db.ensure(args.scale, args.db)
    os.environ["ECOTRENDS_DB"] = str(db)
    from app import queries

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("streamlit")]:
        logging.getLogger(name).setLevel(logging.ERROR)  # bare mode warns on every cached call

    with store.connect(db, read_only=True) as conn:
        rows = conn.execute("select count(*) from observation").fetchone()[0]
        scan = median_ms(lambda: conn.execute("select count(*), sum(value) from observation").fetchall(), args.repeat)
        views = sorted(r[0] for r in conn.execute(
            "select view_name from duckdb_views() where not internal and comment is not null").fetchall())  # fmt: skip
        if args.views or args.pages_only:  # a view in full costs seconds at 100 million rows
            views = [v for v in views if v in args.views.split(",")]
        view_ms = {v: median_ms(lambda v=v: conn.execute(f'select count(*) from (select * from "{v}")').fetchall(),
                                args.repeat) for v in views}  # fmt: skip
        one_project = {  # every row of one project, fetched: a curated one, and the last synthetic or catalogue one
            project: median_ms(lambda p=project: conn.execute(ONE_PROJECT, [p]).fetchall(), args.repeat)
            for project in ("pytorch", conn.execute("select max(project_id) from project_subject").fetchone()[0])
        }

    print(f"scale database: {rows:,} observations, {db.stat().st_size / 1e6:,.0f} MB ({db})")
    print(f"plain scan of every observation (count, sum): {scan:.1f} ms\n")
    print("| published view (full evaluation) | median ms | x plain scan |\n|---|---:|---:|")
    for view, ms in sorted(view_ms.items(), key=lambda item: -item[1]):
        print(f"| {view} | {ms:.1f} | {ms / scan:.1f} |")

    for project, ms in one_project.items():
        print(f"| project_series of one project ({project}), every row fetched | {ms:.1f} | {ms / scan:.1f} |")

    print(f"\n| page | queries | median ms (all its queries) | target {TARGET_MS:.0f} ms |\n|---|---:|---:|---|")
    for page, calls in page_queries(queries).items():
        ms = median_ms(lambda calls=calls: [call() for call in calls], args.repeat)
        print(f"| {page} | {len(calls)} | {ms:.1f} | {'met' if ms < TARGET_MS else 'MISSED'} |")


if __name__ == "__main__":
    main()
