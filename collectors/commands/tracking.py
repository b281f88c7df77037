"""Any project: `ecotrends track` resolves names and fetches their history at once, `untrack` stops collecting them."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING

from collectors import schema, sources
from collectors.commands import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from collectors.config import Database

if TYPE_CHECKING:
    import duckdb


TRACK_LATER = "arXiv mentions and Google Trends interest follow on the next ecotrends collect (cron)"


def track(db: Database, args: argparse.Namespace) -> int:
    """Resolve every argument first; store them all, or (one refused) none; then fetch their history."""
    from collectors import inputs, runner, store, tracked
    from collectors.projects import load_projects
    from collectors.resolve import Clients, Refused, Resolver

    if args.list or not args.projects:
        return list_tracked(db)
    curated = load_projects()
    resolved: dict[str, tracked.Tracked] = {}
    refusals: list[str] = []
    with _reading(db) as conn:
        resolver = Resolver(conn, curated, Clients.make())
        for text in args.projects:
            try:
                found = resolver.resolve(text)
                resolved.setdefault(found.project.id, found)
            except Refused as exc:
                refusals.append(str(exc))
    if refusals:
        for reason in refusals:
            print(f"ecotrends: cannot track {reason}", file=sys.stderr)
        if resolved:
            print(f"ecotrends: nothing stored: {len(refusals)} of {len(args.projects)} arguments refused, so "
                  f"{', '.join(resolved)} was not stored either", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    for item in resolved.values():
        print(f"tracking {item.line()}")
    projects = [item.project for item in resolved.values()]
    # what each source fetches of a new project, as it declares it (Source.on_track), where the project has subjects
    plan = [(source, entry) for source in sources.registry().values() for entry in source.on_track
            if any(source.subjects(project) for project in projects)]  # fmt: skip
    with store.run_lock(db):
        inputs.init_db(db, curated)
        with store.connect(db) as conn:
            with store.transaction(conn):
                tracked.save(conn, list(resolved.values()))
                inputs.write_projects(conn, curated)
            schema.refresh_summaries(conn)
        if args.no_fetch:
            print(f"stored in {db}; the next ecotrends collect fetches them", file=sys.stderr)
            return EXIT_OK
        interactive = sys.stderr.isatty() and not args.no_progress
        results = runner.run_entries(plan, db, projects, interactive, command="track")
    for (_, entry), result in zip(plan, results, strict=True):
        line = f"{result.source} {entry}: {result.status}, {result.rows_written} rows, {result.requests_made} requests"
        print(line + (f" ({result.error})" if result.error and result.status != "ok" else ""), file=sys.stderr)
    print(f"{TRACK_LATER}; GH Archive's star events: ecotrends backfill --source github", file=sys.stderr)
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_PARTIAL


def untrack(db: Database, args: argparse.Namespace) -> int:
    """Remove tracked projects (all named, or none); their observations stay in the store."""
    from collectors import inputs, store, tracked
    from collectors.projects import load_projects

    if not store.exists(db):
        print(f"ecotrends: no database at {db}; nothing is tracked", file=sys.stderr)
        return EXIT_USAGE
    curated = load_projects()
    with store.run_lock(db):
        inputs.init_db(db, curated)
        with store.connect(db) as conn:
            found = {text: tracked.find(conn, text) for text in args.projects}
            unknown = [text for text, project_id in found.items() if project_id is None]
            if unknown:
                print(f"ecotrends: not tracked: {', '.join(unknown)} (ecotrends track --list shows what is); "
                      "nothing removed", file=sys.stderr)  # fmt: skip
                return EXIT_USAGE
            ids = list(dict.fromkeys(found.values()))
            kept = dict(conn.execute(
                "select s.project_id, count(*) from project_subject as s join observation as o "
                "on o.source = s.source and o.subject = s.subject where list_contains(?, s.project_id) group by all",
                [ids],
            ).fetchall())  # fmt: skip
            with store.transaction(conn):
                tracked.remove(conn, ids)
                inputs.write_projects(conn, curated)
            schema.refresh_summaries(conn)
    for project_id in ids:
        print(f"untracked {project_id}: no longer collected; its {kept.get(project_id, 0):,} stored observations stay")
    return EXIT_OK


def list_tracked(db: Database) -> int:
    from collectors import store, tracked

    if not store.exists(db):
        print(f"No database at {db} yet; nothing is tracked. Add a project with: ecotrends track NAME", file=sys.stderr)
        return EXIT_OK
    with store.connect(db, read_only=True) as conn:
        items = tracked.read(conn)
    if not items:
        print("No project added by ecotrends track (data/projects.toml lists the curated ones)", file=sys.stderr)
    for item in items:
        print(item.line())
    return EXIT_OK


def _reading(db: Database) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
    """A read-only connection to the store, or an empty in-memory database when there is none yet."""
    import duckdb

    from collectors import store

    if store.exists(db):
        return store.connect(db, read_only=True)
    return contextlib.closing(duckdb.connect())
