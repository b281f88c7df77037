"""The ecotrends command: collect on a schedule, report status. Exit codes cron can act on.

0 all sources succeeded, 1 some failed (partial), 2 usage or configuration error (or a run in progress),
130 interrupted (Ctrl-C), 141 the reader of the output went away (`ecotrends claims check | head`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from collectors import sources
from collectors.claims import VERDICTS
from collectors.config import Database
from collectors.sharing import commands as sharing

if TYPE_CHECKING:
    import duckdb

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
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
    commands = {
        "collect": _collect, "backfill": _collect, "status": _status, "import": _import, "export": _export,
        "claims": _claims, "seed": _seed, "shell": _shell, "track": _track, "untrack": _untrack,
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


def _collect(db: Database, args: argparse.Namespace) -> int:
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


TRACK_LATER = "arXiv mentions and Google Trends interest follow on the next ecotrends collect (cron)"


def _track(db: Database, args: argparse.Namespace) -> int:
    """Resolve every argument first; store them all, or (one refused) none; then fetch their history."""
    from collectors import inputs, runner, store, tracked
    from collectors.projects import load_projects
    from collectors.resolve import Clients, Refused, Resolver

    if args.list or not args.projects:
        return _list_tracked(db)
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
            store.refresh_summaries(conn)
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


def _untrack(db: Database, args: argparse.Namespace) -> int:
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
            store.refresh_summaries(conn)
    for project_id in ids:
        print(f"untracked {project_id}: no longer collected; its {kept.get(project_id, 0):,} stored observations stay")
    return EXIT_OK


def _list_tracked(db: Database) -> int:
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


def _import(db: Database, args: argparse.Namespace) -> int:
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


def _seed(db: Database, args: argparse.Namespace) -> int:
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


def _claims(db: Database, args: argparse.Namespace) -> int:
    from collectors import claims, inputs, store
    from collectors.errors import InputFileError

    if args.claims_command != "check":
        return _extract(db, args) if args.claims_command == "extract" else sharing.report(db, args)
    articles, registered = claims.load_register()  # a malformed register fails here with file, claim and field
    # A read: it never waits for a writer, nor writes a read-only store. Where the stored register is not this one
    # and the store cannot be brought up to date now, the verdicts are computed on it without being stored.
    left_as_is = inputs.prepare_if_free(db)
    if left_as_is and not store.exists(db):
        raise InputFileError(f"{db}: no database to check against ({left_as_is}); create it with: ecotrends seed")
    with store.connect(db, read_only=True) as conn:
        checks = (
            inputs.judge_unregistered(conn, articles, registered)
            if left_as_is
            else conn.execute("select verdict, claim_id, explanation from claim_checks").df()
        )
    if left_as_is:
        print(f"ecotrends: verdicts of {claims.CLAIMS_FILE.name} computed without storing them ({left_as_is}); "
              "the app shows them after the next write (collect, import, seed)", file=sys.stderr)  # fmt: skip
    chosen = checks if args.verdict is None else checks[checks["verdict"].isin(args.verdict)]
    rows = chosen.sort_values(["verdict", "claim_id"])[["verdict", "claim_id", "explanation"]].itertuples(index=False)
    for verdict, claim_id, explanation in rows:
        print(f"{verdict:<13} {claim_id}\n{'':<14}{explanation}")
    return EXIT_OK


def _extract(db: Database, args: argparse.Namespace) -> int:
    """Candidates of one article as register TOML on stdout; with --check, their verdicts (nothing is stored)."""
    from collectors import catalogue, claims, inputs, store
    from collectors.claims import proposals
    from collectors.claims.extraction import Extractor
    from collectors.errors import InputFileError
    from collectors.projects import load_projects

    content, name = proposals.read_article(args.article)
    named = []
    if store.exists(db):  # any catalogue or tracked project is recognised too
        with store.connect(db, read_only=True) as conn:
            named = catalogue.named_projects(conn)
    proposal = proposals.propose(Extractor(load_projects(), named), content, name, args.article_id)
    candidates = proposal.candidates
    register = proposals.register_toml(proposal.article, proposal.entries, [c.confidence for c in candidates])
    undated = sum(not c.period_start for c in candidates)
    print(f"{len(candidates)} candidate claim(s) from {args.article}: "
          f"{sum(c.kind == 'uncheckable' for c in candidates)} uncheckable, {undated} without a period "
          f"(written commented out)", file=sys.stderr)  # fmt: skip
    if not args.check:
        print(register, end="")
        return EXIT_OK
    if not store.exists(db):
        raise InputFileError(f"{db}: no database to check against; create it with: ecotrends seed")
    articles, dated = claims.parse_register(register, f"the candidates of {args.article}")
    inputs.prepare_if_free(db)  # the views as this checkout defines them, where that costs no wait; nothing is stored
    with store.connect(db, read_only=True) as conn:
        checks = inputs.judge_unregistered(conn, articles, dated)
    for row in checks.itertuples():
        print(f"{row.verdict:<16} {row.claim_id}\n{'':<17}{row.statement}\n{'':<17}{row.explanation}")
    return EXIT_OK


def _export(db: Database, args: argparse.Namespace) -> int:
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


def _shell(db: Database, args: argparse.Namespace) -> int:
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


def _status(db: Database, args: argparse.Namespace | None = None) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
