"""The ecotrends command line: its parser, and one line for each mistake; collectors/commands/ does the work.

Exit codes cron can act on: 0 all sources succeeded, 1 some failed (partial), 2 usage or configuration error (or
a run in progress), 130 interrupted (Ctrl-C), 141 the reader of the output went away (`ecotrends claims check | head`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from collectors import sources
from collectors.claims import VERDICTS
from collectors.commands import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, sharing  # noqa: F401  (cron's codes, named here too)

EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141  # 128 + SIGINT, 128 + SIGPIPE: what shells report for tools
SOURCE_NAMES = tuple(sources.names())  # the registry's names, read without importing the sources


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecotrends",
        description=f"Collect software-adoption signals ({', '.join(SOURCE_NAMES)}) into DuckDB, and judge what "
        "articles claim against them.",
        epilog="Environment: ECOTRENDS_DB (database file or DuckLake), ECOTRENDS_DATA_PATH (a new lake's data), "
        "GITHUB_TOKEN (raises the GitHub limit), ECOTRENDS_*_URL (base URL overrides). See README.md.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request and step")
    db_help = (
        "DuckDB file, or a DuckLake as ducklake:postgres:<libpq connection string> "
        "(default: $ECOTRENDS_DB or data/ecotrends.duckdb)"
    )
    data_path_help = "where a new DuckLake keeps its Parquet files, a directory or s3://... ($ECOTRENDS_DATA_PATH)"
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--data-path", help=data_path_help)
    sub = parser.add_subparsers(dest="command", required=True)

    def add_db(p: argparse.ArgumentParser) -> None:
        # Accepted before or after the command; SUPPRESS keeps a value given before it.
        p.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        p.add_argument("--data-path", default=argparse.SUPPRESS, help=data_path_help)

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
    collect.add_argument("--budget", type=_seconds, metavar="SECONDS", help=BUDGET_HELP)

    backfill = sub.add_parser(
        "backfill", help="fetch the full history of a source (resumable: an interrupted backfill continues)"
    )
    add_db(backfill)
    backfill.add_argument("--source", action="append", choices=SOURCE_NAMES, required=True, help="source to backfill")
    backfill.add_argument("--since", type=_iso_date, help="first day to fetch, YYYY-MM-DD (default: per source)")
    backfill.add_argument("--projects", help="projects file (default: data/projects.toml)")
    backfill.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")
    backfill.add_argument("--budget", type=_seconds, metavar="SECONDS", help=BUDGET_HELP)

    status = sub.add_parser(
        "status", help="per source: last successful run, its age and row counts; the projects added by track"
    )
    add_db(status)

    track = sub.add_parser(
        "track",
        help="add any project (NAME, OWNER/REPO or pypi:PACKAGE) and fetch its whole history; collect keeps it current",
        description="Resolve each project (the shipped catalogue first, else PyPI's JSON and GitHub), show what was "
        "resolved, store it in the database (table tracked_project; data/projects.toml is never written) and fetch "
        "its history from every source that declares what to fetch of a new project (GitHub's star history and "
        "today's counts, PyPI Stats and ClickPy, its packages' and tag's months), in about a minute. arXiv and Google "
        "Trends follow on the next `ecotrends collect`. If any "
        "argument cannot be resolved, nothing is stored (exit 2); exit 1 when a source failed.",
    )
    add_db(track)
    track.add_argument(
        "projects",
        nargs="*",
        metavar="NAME|OWNER/REPO|pypi:PACKAGE",
        help="a catalogue name or id (polars), a repository (pola-rs/polars) or a package (pypi:polars)",
    )
    track.add_argument("--list", action="store_true", help="list the tracked projects and stop")
    track.add_argument("--no-fetch", action="store_true", help="store only; the next ecotrends collect fetches")
    track.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")

    untrack = sub.add_parser("untrack", help="stop collecting projects added by track (their stored observations stay)")
    add_db(untrack)
    untrack.add_argument(
        "projects",
        nargs="+",
        metavar="NAME|OWNER/REPO|pypi:PACKAGE",
        help="a tracked project's id, name, repository or package",
    )

    seed = sub.add_parser(
        "seed",
        help="load the history shipped with ecotrends (data/seed): real archived figures, never over collected data",
    )
    add_db(seed)
    seed.add_argument(
        "--if-needed", action="store_true", help="only when the database is new, empty or holds an older seed"
    )

    imp = sub.add_parser("import", help="import observations (interchange CSV/Parquet) or a Google Trends export")
    add_db(imp)
    imp.add_argument(
        "files", nargs="+", type=Path, help="interchange files (.csv, .parquet): observations or events (*.events.csv)"
    )
    imp.add_argument("--trends-csv", action="store_true", help="the files are Google Trends multiTimeline.csv exports")
    imp.add_argument(
        "--keep-collected",
        action="store_true",
        help="never replace a value a collection stored (collect, backfill, track); by default the files' values "
        "replace them, and how many did is reported",
    )

    claims = sub.add_parser("claims", help="the claims register: check verdicts, or propose claims from an article")
    claims_sub = claims.add_subparsers(dest="claims_command", required=True)
    check = claims_sub.add_parser("check", help="print every claim with its verdict")
    add_db(check)
    check.add_argument(
        "--verdict", action="append", choices=VERDICTS, metavar="VERDICT",
        help=f"only these verdicts (repeatable): {', '.join(VERDICTS)}",
    )  # fmt: skip
    extract = claims_sub.add_parser(
        "extract", help="propose an article's claims in the register's format, or judge them with --check"
    )
    add_db(extract)
    extract.add_argument("article", help="the article: a .txt, .md or .html file, or an http(s) URL")
    extract.add_argument("--article-id", help="id of the article in the register (default: from its title)")
    extract.add_argument("--check", action="store_true", help="print each candidate's verdict on the stored data")

    sharing.register(sub, claims_sub, add_db)  # chart, badge, claims report

    shell = sub.add_parser("shell", help="open the DuckDB CLI on the store, read-only, to query the published views")
    add_db(shell)
    shell.add_argument("--print", action="store_true", help="print the SQL that opens the store instead")

    exp = sub.add_parser(
        "export", help="export observations in the interchange format, and their events (release dates) beside them"
    )
    add_db(exp)
    exp.add_argument("--format", choices=("csv", "parquet"), default="csv")
    exp.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    exp.add_argument("--subject", action="append", default=[], help="only this subject (repeatable)")
    exp.add_argument("out", type=Path, help="file to write")
    return parser


BUDGET_HELP = (
    "give a source up (failed) when a request goes this long without a usable answer, retries and waits "
    "included (default: $ECOTRENDS_SOURCE_BUDGET or 90)"
)


def _seconds(text: str) -> float:
    from collectors.config import positive_seconds

    try:
        return positive_seconds(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds") from None


def _iso_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a user's mistake is one line naming what and where, never a traceback."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader stopped reading (`| head`): stop quietly, as Unix tools do. Point stdout at /dev/null so
        # that Python's own flush at exit does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("ecotrends: interrupted; stored data is as the last finished write left it", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
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

    import duckdb

    from collectors.config import database
    from collectors.errors import ConfigError, InputFileError, LockedError

    try:
        db = database(getattr(args, "db", None), getattr(args, "data_path", None))
    except ConfigError as exc:
        print(f"ecotrends: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from collectors.commands import checking, collecting, moving, tracking

    commands = {
        "collect": collecting.collect, "backfill": collecting.collect, "status": collecting.status,
        "import": moving.import_files, "export": moving.export, "seed": moving.seed, "shell": moving.shell,
        "claims": checking.claims, "track": tracking.track, "untrack": tracking.untrack,
        "chart": sharing.chart, "badge": sharing.badge,
    }  # fmt: skip
    try:
        return commands[args.command](db, args)
    except (ConfigError, LockedError, InputFileError) as exc:
        print(f"ecotrends: {exc}", file=sys.stderr)
    except (duckdb.IOException, duckdb.PermissionException) as exc:
        # Not a DuckDB file, a directory, a file of a newer DuckDB, or no permission: the database is named.
        print(f"ecotrends: cannot open the database {db}: {exc}", file=sys.stderr)
    except BrokenPipeError:
        raise  # not a user's mistake: main() ends quietly
    except OSError as exc:
        where = exc.filename or db
        print(f"ecotrends: {where}: {exc.strerror or exc}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
