"""The ecotrends command: collect on a schedule, report status. Exit codes cron can act on.

0 all sources succeeded, 1 some failed (partial), 2 usage or configuration error (or a run in progress).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
SOURCE_NAMES = ("github", "pypi", "arxiv", "trends")


def source_modules(names: Sequence[str]) -> list:
    """The plain mapping from source name to module, imported lazily so --help stays fast."""
    from collectors import arxiv, github, pypi, trends

    modules = {"github": github, "pypi": pypi, "arxiv": arxiv, "trends": trends}
    return [modules[name] for name in names]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecotrends",
        description="Collect GitHub, PyPI, arXiv and Google Trends adoption signals into DuckDB.",
        epilog="Environment: ECOTRENDS_DB (database file), GITHUB_TOKEN (raises the GitHub limit), "
        "ECOTRENDS_*_URL (base URL overrides). See README.md.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request and step")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="DuckDB file (default: $ECOTRENDS_DB or data/ecotrends.duckdb)")

    collect = sub.add_parser("collect", help="collect the latest data from every source (run it from cron)")
    add_db(collect)
    collect.add_argument(
        "--source",
        action="append",
        choices=SOURCE_NAMES,
        help="collect only this source (repeatable; default: all)",
    )
    collect.add_argument("--projects", help="projects file (default: data/projects.toml)")
    collect.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")

    status = sub.add_parser("status", help="per source: last successful run, its age and row counts")
    add_db(status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from collectors.config import db_path
    from collectors.errors import ConfigError, LockedError

    db = db_path(args.db)
    try:
        if args.command == "collect":
            return _collect(db, args)
        if args.command == "status":
            return _status(db)
    except (ConfigError, LockedError) as exc:
        print(f"ecotrends: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _collect(db: Path, args: argparse.Namespace) -> int:
    from collectors import runner, store
    from collectors.config import load_projects

    projects = load_projects(Path(args.projects) if args.projects else None)
    names = args.source or list(SOURCE_NAMES)
    interactive = sys.stderr.isatty() and not args.no_progress
    with store.run_lock(db):
        results = runner.run_sources(source_modules(names), db, projects, interactive)
    for result in results:
        line = f"{result.source}: {result.status}, {result.rows_written} rows, {result.requests_made} requests"
        print(line + (f" ({result.error})" if result.error and result.status != "ok" else ""), file=sys.stderr)
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_PARTIAL


def _status(db: Path) -> int:
    from collectors import store

    if not db.exists():
        print(f"No database at {db} yet. Run: ecotrends collect", file=sys.stderr)
        return EXIT_OK
    with store.connect(db, read_only=True) as conn:
        rows = conn.execute(
            "select source, last_success, hours_since_success, last_status, observations, newest_date, last_error "
            "from source_freshness order by source"
        ).fetchall()
    if not rows:
        print("The database holds no runs yet. Run: ecotrends collect")
        return EXIT_OK
    print(f"{'source':<10} {'last success (UTC)':<20} {'age':>7} {'last run':<24} {'rows':>9}  newest")
    for source, last_ok, hours, last_status, count, newest, error in rows:
        age = f"{hours}h" if hours is not None else "-"
        when = f"{last_ok:%Y-%m-%d %H:%M}" if last_ok else "never"
        print(f"{source:<10} {when:<20} {age:>7} {last_status or '-':<24} {count:>9}  {newest or '-'}")
        if error and last_status != "ok":
            print(f"{'':<10} last error: {error[:300]}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
