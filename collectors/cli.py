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

    backfill = sub.add_parser(
        "backfill", help="fetch the full history of a source (resumable: an interrupted backfill continues)"
    )
    add_db(backfill)
    backfill.add_argument("--source", action="append", choices=SOURCE_NAMES, required=True, help="source to backfill")
    backfill.add_argument("--since", type=_iso_date, help="first day to fetch, YYYY-MM-DD (default: per source)")
    backfill.add_argument("--projects", help="projects file (default: data/projects.toml)")
    backfill.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")

    status = sub.add_parser("status", help="per source: last successful run, its age and row counts")
    add_db(status)

    imp = sub.add_parser("import", help="import observations (interchange CSV/Parquet) or a Google Trends export")
    add_db(imp)
    imp.add_argument("files", nargs="+", type=Path, help="interchange files (.csv or .parquet)")
    imp.add_argument("--trends-csv", action="store_true", help="the files are Google Trends multiTimeline.csv exports")

    claims = sub.add_parser("claims", help="the claims register: check verdicts, or propose claims from an article")
    claims_sub = claims.add_subparsers(dest="claims_command", required=True)
    check = claims_sub.add_parser("check", help="print every claim with its verdict")
    add_db(check)
    check.add_argument("--verdict", action="append", help="only these verdicts (repeatable)")
    extract = claims_sub.add_parser("extract", help="propose candidate claims from an article (text or Markdown)")
    extract.add_argument("file", type=Path, help="the article as plain text or Markdown")

    exp = sub.add_parser("export", help="export observations in the interchange format")
    add_db(exp)
    exp.add_argument("--format", choices=("csv", "parquet"), default="csv")
    exp.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    exp.add_argument("--subject", action="append", default=[], help="only this subject (repeatable)")
    exp.add_argument("out", type=Path, help="file to write")
    return parser


def _iso_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


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
    from collectors.errors import ConfigError, InputFileError, LockedError

    db = db_path(getattr(args, "db", None))
    commands = {
        "collect": _collect, "backfill": _collect, "status": _status, "import": _import, "export": _export,
        "claims": _claims,
    }  # fmt: skip
    try:
        return commands[args.command](db, args)
    except (ConfigError, LockedError, InputFileError) as exc:
        print(f"ecotrends: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _collect(db: Path, args: argparse.Namespace) -> int:
    from collectors import runner, store
    from collectors.config import load_projects

    projects = load_projects(Path(args.projects) if args.projects else None)
    names = args.source or list(SOURCE_NAMES)
    interactive = sys.stderr.isatty() and not args.no_progress
    with store.run_lock(db):
        results = runner.run_sources(
            source_modules(names), db, projects, interactive, command=args.command, since=getattr(args, "since", None)
        )
    for result in results:
        line = f"{result.source}: {result.status}, {result.rows_written} rows, {result.requests_made} requests"
        print(line + (f" ({result.error})" if result.error and result.status != "ok" else ""), file=sys.stderr)
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_PARTIAL


def _import(db: Path, args: argparse.Namespace) -> int:
    from collectors import interchange, store

    with store.run_lock(db):
        store.init_db(db)
        with store.connect(db) as conn:
            run_id = store.start_run(conn, "import", "import")
        try:
            if args.trends_csv:
                written = sum(interchange.import_trends_export(db, path, run_id) for path in args.files)
            else:
                written = interchange.import_files(db, args.files, run_id)
        except Exception as exc:
            with store.connect(db) as conn:
                store.finish_run(conn, run_id, "failed", 0, 0, str(exc))
            raise
        with store.connect(db) as conn:
            store.finish_run(conn, run_id, "ok", written, 0)
    print(f"imported {len(args.files)} file(s): {written} observations inserted or changed", file=sys.stderr)
    return EXIT_OK


def _claims(db: Path, args: argparse.Namespace) -> int:
    from collectors import claims, store
    from collectors.errors import InputFileError

    if args.claims_command == "extract":
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{args.file}: cannot read as UTF-8 text ({exc})") from None
        proposals = claims.propose_claims(text, args.file.name)
        print(claims.proposals_as_toml(proposals, args.file.name))
        print(f"{len(proposals)} candidate claim(s) proposed from {args.file}", file=sys.stderr)
        return EXIT_OK
    claims.load_register()  # a malformed register fails here with file, claim and field
    with store.run_lock(db):
        store.init_db(db)
        with store.connect(db) as conn:
            store.refresh_summaries(conn)  # the app's claims page shows the register just checked
    with store.connect(db, read_only=True) as conn:
        rows = conn.execute(
            "select verdict, claim_id, explanation from claim_checks "
            "where ?::varchar[] is null or list_contains(?::varchar[], verdict) order by verdict, claim_id",
            [args.verdict, args.verdict],
        ).fetchall()
    for verdict, claim_id, explanation in rows:
        print(f"{verdict:<13} {claim_id}\n{'':<14}{explanation}")
    return EXIT_OK


def _export(db: Path, args: argparse.Namespace) -> int:
    from collectors import interchange

    if not db.exists():
        print(f"ecotrends: no database at {db}", file=sys.stderr)
        return EXIT_USAGE
    count = interchange.export(db, args.out, args.format, args.source, args.subject)
    print(f"exported {count} observations to {args.out}", file=sys.stderr)
    return EXIT_OK


def _status(db: Path, args: argparse.Namespace | None = None) -> int:
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
