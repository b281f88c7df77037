"""Data in and out: `ecotrends import`, `export`, `seed` (the shipped history) and `shell` (the DuckDB CLI on it)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from collectors import sources
from collectors.commands import EXIT_OK, EXIT_USAGE
from collectors.config import Database


def import_files(db: Database, args: argparse.Namespace) -> int:
    from collectors import inputs, interchange, store

    # Every file is checked whole before anything is written.
    keep = args.keep_collected
    if args.trends_csv:
        from collectors.sources import trends

        with store.run_lock(db):
            inputs.init_db(db)
            exports = trends.read_exports(db, args.files)  # put on the stored scale, which it reads
            collected = interchange.collected_changes(db, exports.frame)
            written = trends.load_exports(db, exports, keep_collected=keep)
    else:
        files = interchange.read_files(args.files, sources.whole_number_series())
        with store.run_lock(db):
            inputs.init_db(db)
            collected = interchange.collected_changes(db, files.observations)
            written = interchange.load_frame(db, files.observations, keep_collected=keep, events=files.events)
    per_source = ", ".join(f"{source} {count:,}" for source, count in written.items())
    print(
        f"imported {len(args.files)} file(s): {sum(written.values()):,} observations and events inserted or changed"
        + (f" ({per_source})" if per_source else ""),
        file=sys.stderr,
    )
    if keep:
        print(f"kept {collected:,} collected value(s) that the files would have changed", file=sys.stderr)
    else:
        print(f"replaced {collected:,} collected value(s) (--keep-collected keeps them)", file=sys.stderr)
    return EXIT_OK


def export(db: Database, args: argparse.Namespace) -> int:
    from collectors import interchange, store

    if not store.exists(db):
        print(f"ecotrends: no database at {db}", file=sys.stderr)
        return EXIT_USAGE
    count = interchange.export(db, args.out, args.format, args.source, args.subject)
    events_out = interchange.events_path(args.out)
    events = interchange.export_events(db, events_out, args.format, args.source, args.subject)
    print(f"exported {count:,} observations to {args.out} and {events:,} events (release dates) to {events_out}; "
          f"import both: ecotrends import {args.out} {events_out}", file=sys.stderr)  # fmt: skip
    return EXIT_OK


def seed(db: Database, args: argparse.Namespace) -> int:
    from collectors import inputs, seed, store
    from collectors.errors import LockedError

    try:
        with store.run_lock(db):
            reason = seed.status(db)
            inputs.init_db(db)  # an upgraded ecotrends brings its schema and summaries up to date here too
            if args.if_needed and reason is None:
                print(f"{db} already holds the shipped history (seed {seed.version()})", file=sys.stderr)
                return EXIT_OK
            written = seed.load(db)
    except LockedError as exc:
        if not args.if_needed:
            raise
        print(f"ecotrends: shipped history not checked now: {exc}", file=sys.stderr)
        return EXIT_OK
    newest = ", ".join(f"{source} up to {day}" for source, day in seed.newest_dates().items())
    print(
        f"loaded the shipped history (seed {seed.version()}) into {db}"
        + (f" because {reason}" if reason else "")
        + f": {sum(written.values()):,} observations inserted or changed ({newest}). Collected and imported values "
        "were left as they were. Bring it up to date with: ecotrends collect; ecotrends backfill --source pypi",
        file=sys.stderr,
    )
    return EXIT_OK


def shell(db: Database, args: argparse.Namespace) -> int:
    """The DuckDB CLI installed beside ecotrends (the same release), on the store, read-only."""
    from collectors import lake
    from collectors.config import DuckLake

    cli_binary = Path(sys.executable).with_name("duckdb")
    if isinstance(db, DuckLake):
        statements = lake.shell_statements(db)
        if args.print:
            print(";\n".join(statements) + ";")
            return EXIT_OK
        command = [str(cli_binary), "-cmd", "; ".join(statements)]
    else:
        if args.print:
            quoted = "'" + str(db).replace("'", "''") + "'"
            print(f"attach {quoted} as ecotrends (read_only);\nuse ecotrends;")
            return EXIT_OK
        command = [str(cli_binary), "-readonly", str(db)]
    if not cli_binary.exists():
        print(f"ecotrends: the DuckDB CLI is not installed at {cli_binary} (pip install duckdb-cli)", file=sys.stderr)
        return EXIT_USAGE
    os.execv(command[0], command)
    return EXIT_OK  # not reached: the CLI replaces this process
