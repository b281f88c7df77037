"""Collecting: `ecotrends collect` and `backfill` run the sources side by side; `status` says how fresh each is."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from collectors import sources
from collectors.commands import EXIT_OK, EXIT_PARTIAL
from collectors.config import Database


def collect(db: Database, args: argparse.Namespace) -> int:
    from collectors import config, inputs, runner, store, tracked
    from collectors.errors import ConfigError
    from collectors.projects import load_projects

    budget = config.source_budget(args.budget)  # a bad ECOTRENDS_SOURCE_BUDGET is refused before anything runs
    projects = load_projects(Path(args.projects) if args.projects else None)
    able = sources.collecting() if args.command == "collect" else sources.backfilling()
    chosen = [sources.get(name) for name in args.source] if args.source else able
    unable = [source.name for source in chosen if source not in able]
    if unable:
        raise ConfigError(f"{', '.join(unable)}: nothing to {args.command} (filled by ecotrends seed or import)")
    interactive = sys.stderr.isatty() and not args.no_progress
    with store.run_lock(db, [source.name for source in chosen]):
        inputs.init_db(db, projects)
        projects = [*projects, *tracked.load(db, projects)]  # the curated projects, then those added by track
        results = runner.run_sources(
            chosen, db, projects, interactive, command=args.command, since=getattr(args, "since", None), budget=budget
        )
    for result in results:
        line = f"{result.source}: {result.status}, {result.rows_written} rows, {result.requests_made} requests"
        print(line + (f" ({result.error})" if result.error and result.status != "ok" else ""), file=sys.stderr)
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_PARTIAL


def status(db: Database, args: argparse.Namespace | None = None) -> int:
    from collectors import store, tracked

    if not store.exists(db):
        print(f"No database at {db} yet. Run: ecotrends collect", file=sys.stderr)
        return EXIT_OK
    with store.connect(db, read_only=True) as conn:
        frame = conn.execute("select * from source_freshness order by source").df()
    if frame.empty:
        print("The database holds no runs yet. Run: ecotrends collect")
        return EXIT_OK
    header = f"{'source':<10} {'last collected (UTC)':<20} {'age':>6}  {'last run':<24} {'rows':>9}  {'newest':<10}"
    print(f"{header}  imported")
    for row in frame.itertuples():
        collected = f"{row.last_success:%Y-%m-%d %H:%M}" if _present(row.last_success) else "never"
        age = f"{row.hours_since_success:.0f}h" if _present(row.hours_since_success) else "-"
        last_run = f"{row.last_command} {row.last_status}" if _present(row.last_command) else "-"
        newest = f"{row.newest_date:%Y-%m-%d}" if _present(row.newest_date) else "-"
        imported = (
            f"{row.last_import_command} {row.last_import:%Y-%m-%d %H:%M}, {row.last_import_rows:,.0f} rows"
            if _present(row.last_import)
            else "-"
        )
        line = f"{row.source:<10} {collected:<20} {age:>6}  {last_run:<24} {row.observations:>9,}  {newest:<10}"
        print(f"{line}  {imported}")
        if _present(row.last_error) and row.last_status != "ok":
            print(f"{'':<10} last error: {row.last_error[:300]}")
    with store.connect(db, read_only=True) as conn:
        added = tracked.read(conn)
    if added:
        print(f"\nprojects added by ecotrends track ({len(added)}), collected beside data/projects.toml:")
        for item in added:
            print(f"  {item.line()}")
    return EXIT_OK


def _present(value: object) -> bool:
    import pandas as pd

    return value is not None and not pd.isna(value)
