"""`ecotrends chart`, `ecotrends badge` and `ecotrends claims report`: their arguments and handlers, registered
from collectors/cli.py. A bad project, series or date is one line on stderr, exit 2, and no file is written."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from collectors import sources
from collectors.commands import EXIT_OK
from collectors.config import Database

if TYPE_CHECKING:
    import duckdb

CHART_SUFFIXES = (".svg", ".png")
REPORT_SUFFIXES = (".html", ".md")


def badge_signals() -> tuple[str, ...]:
    """The Overview's signals a badge can show (stars, downloads, ...): asked of the registry only when a badge is
    drawn, since importing every source costs a second that other commands should not pay."""
    return tuple(source.signal.name for source in sources.registry().values() if source.signal)


def register(sub: argparse._SubParsersAction, claims_sub: argparse._SubParsersAction,
             add_db: Callable[[argparse.ArgumentParser], None]) -> None:  # fmt: skip
    """Add the chart and badge commands, and `claims report`."""
    chart = sub.add_parser("chart", help="draw the Compare chart of projects as an SVG or PNG image (no browser)")
    add_db(chart)
    chart.add_argument("projects", nargs="+", metavar="PROJECT", help="project ids, names or owner/repo")
    chart.add_argument("--series", default="stars", help="the series, as Compare's ?series= (default: stars)")
    chart.add_argument("--since", help="first day shown, YYYY-MM-DD")
    chart.add_argument("--until", help="last day shown, YYYY-MM-DD")
    chart.add_argument("--log", action="store_true", help="a logarithmic value axis")
    chart.add_argument("--index", action="store_true", help="each project indexed to 100 at its first point")
    chart.add_argument("--align", choices=("launch",), help="days since each repository's creation on the x axis")
    chart.add_argument("--width", type=int, default=900, help="pixels (default 900)")
    chart.add_argument("--height", type=int, default=500, help="pixels (default 500)")
    chart.add_argument("-o", "--output", type=Path, required=True, help="chart.svg or chart.png")
    badge = sub.add_parser("badge", help="a shields-style SVG badge with a project's latest value and its date")
    add_db(badge)
    badge.add_argument("project", help="a project id, name or owner/repo")
    badge.add_argument("--series", default="stars", help="stars, downloads or another Overview signal (default: stars)")
    badge.add_argument("-o", "--output", type=Path, required=True, help="badge.svg")
    report = claims_sub.add_parser(
        "report", help="a fact-check report of one article: self-contained HTML, or Markdown with its images"
    )
    add_db(report)
    report.add_argument("article", help="an article id of the register, or an article's .txt/.md/.html file or URL")
    report.add_argument("-o", "--output", type=Path, required=True, help="report.html or report.md")


def _day(text: str | None, option: str) -> date | None:
    from collectors.errors import InputFileError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputFileError(f"{option} {text!r} is not a date YYYY-MM-DD") from None


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    from collectors.errors import InputFileError

    if path.suffix.lower() not in allowed:
        raise InputFileError(f"{path}: the file name must end in {' or '.join(allowed)}")
    return path.suffix.lower()[1:]


@contextlib.contextmanager
def _reading(db: Database) -> Iterator[duckdb.DuckDBPyConnection]:
    """Reads on the store, its views brought up to date where that costs no wait; no store is one line."""
    from collectors import inputs, store
    from collectors.errors import InputFileError

    if not store.exists(db):
        raise InputFileError(f"{db}: no database; create it with: ecotrends seed")
    inputs.prepare_if_free(db)
    with store.connect(db, read_only=True) as conn:
        yield conn


def _write(path: Path, data: bytes | str) -> None:
    """Write the whole file or nothing: a half-written image is never left behind."""
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_bytes(data.encode() if isinstance(data, str) else data)
    temporary.replace(path)


def chart(db: Database, args: argparse.Namespace) -> int:
    from collectors.errors import InputFileError
    from collectors.sharing import compare
    from collectors.sharing.chart import render
    from collectors.sharing.series import reader

    fmt = _suffix(args.output, CHART_SUFFIXES)
    if not (50 <= args.width <= 10_000 and 50 <= args.height <= 10_000):
        raise InputFileError("--width and --height are pixels between 50 and 10000")
    request = compare.Request(
        tuple(args.projects), args.series, _day(args.since, "--since"), _day(args.until, "--until"),
        log=args.log, index=args.index, align=args.align == "launch",
    )  # fmt: skip
    with _reading(db) as conn:
        try:
            drawn = compare.compare_chart(reader(conn), request)
        except compare.ChartError as exc:
            raise InputFileError(str(exc)) from None
    _write(args.output, render(drawn, fmt, args.width, args.height))
    shown = ", ".join(drawn.names.get(p, p) for p in sorted(set(drawn.frame["project_id"])))
    print(f"wrote {args.output} ({drawn.title}: {shown})", file=sys.stderr)
    return EXIT_OK


def badge(db: Database, args: argparse.Namespace) -> int:
    from collectors.errors import InputFileError
    from collectors.sharing import badge as badges
    from collectors.sharing.compare import ChartError, chosen_projects
    from collectors.sharing.series import reader

    _suffix(args.output, (".svg",))
    if args.series not in badge_signals():
        raise InputFileError(f"unknown series {args.series!r}: one of {', '.join(badge_signals())}")
    with _reading(db) as conn:
        try:
            (project_id,), offered = chosen_projects(reader(conn), (args.project,))
            name = offered.set_index("project_id").at[project_id, "name"]
            latest = badges.latest(reader(conn), project_id, name, args.series)
        except ChartError as exc:
            raise InputFileError(str(exc)) from None
    _write(args.output, badges.svg(latest))
    print(f"wrote {args.output} ({latest.label}: {latest.message})", file=sys.stderr)
    return EXIT_OK


def report(db: Database, args: argparse.Namespace) -> int:
    from collectors.sharing import judging
    from collectors.sharing import report as reports

    fmt = _suffix(args.output, REPORT_SUFFIXES)
    with _reading(db) as conn:
        judged = judging.judge(conn, args.article)
    if fmt == "html":
        _write(args.output, reports.html(judged))
    else:
        folder = args.output.with_name(args.output.stem + "_files")
        text, images = reports.markdown(judged, folder.name)
        folder.mkdir(exist_ok=True)
        for name, data in images.items():
            _write(folder / name, data)
        _write(args.output, text)
    print(f"wrote {args.output}: {judged.title}; {judged.summary}", file=sys.stderr)
    return EXIT_OK
