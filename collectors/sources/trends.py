"""Google Trends through pytrends: interest of every tracked term, consistently scaled per run.

pytrends builds the payloads and parses the answers; the transport is our HttpClient (pytrends' own
retries crash with urllib3 2, and its URLs are fixed to trends.google.com). Values are relative within
one request, so all terms go in one request when they fit (five), else in batches that repeat one anchor
term and are rescaled by it. A 429 is a normal outcome: the run records it and stored data stays.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import duckdb
import pandas as pd
from pytrends.request import TrendReq

from collectors import clock, interchange, store
from collectors.config import Database
from collectors.errors import InputFileError, PayloadError
from collectors.http import HttpClient, base_url
from collectors.source import Context, Outcome, ProjectField, Rung, Series, Signal, Source
from collectors.store import Observation

NAME = "trends"
API_URL_ENV = "ECOTRENDS_TRENDS_URL"
DEFAULT_API_URL = "https://trends.google.com"
MAX_TERMS_PER_REQUEST = 5
COLLECT_TIMEFRAME = "today 5-y"  # weekly points for the last five years
BACKFILL_TIMEFRAMES = ("all", COLLECT_TIMEFRAME)  # monthly since 2004, then weekly
REQUEST_INTERVAL_SECONDS = 5.0
METRIC = "interest"
# The search term; its series is stored under it, so two projects may not share one. A project added by
# `track` is asked under its name.
TERM_FIELD = ProjectField("trends_term", r"\S(.*\S)?", "a search term", required=True, unique=True, from_name=True)


def make_client() -> HttpClient:
    return HttpClient(min_interval=REQUEST_INTERVAL_SECONDS, max_attempts=3)


class _TrendsSession(TrendReq):
    """pytrends' protocol over our HTTP client and base URL; the constructor makes no request."""

    def __init__(self, client: HttpClient, hl: str = "en-US", tz: int = 360) -> None:
        self.client = client
        self.base = base_url(API_URL_ENV, DEFAULT_API_URL)
        self.tz, self.hl, self.geo = tz, hl, ""
        self.kw_list: list[str] = []
        self.timeout, self.proxies, self.retries, self.backoff_factor = (10, 60), "", 0, 0
        self.proxy_index, self.requests_args = 0, {}
        self.cookies: dict[str, str] | None = None
        self.token_payload: dict = {}
        self.interest_over_time_widget: dict = {}
        self.interest_by_region_widget: dict = {}
        self.related_topics_widget_list: list = []
        self.related_queries_widget_list: list = []
        self.headers = {"accept-language": hl}

    def _url(self, url: str) -> str:
        return url.replace(DEFAULT_API_URL, self.base, 1)

    def GetGoogleCookie(self) -> dict[str, str]:
        # Google answers this page with 404 yet sets the cookie (as recorded); pytrends ignores the status too.
        response = self.client.get(f"{self.base}/trends/explore/?geo={self.hl[-2:]}", allow_statuses=frozenset({404}))
        return {name: value for name, value in response.cookies.items() if name == "NID"}

    def _get_data(self, url: str, method: str = "get", trim_chars: int = 0, **kwargs: object) -> dict:
        if self.cookies is None:
            self.cookies = self.GetGoogleCookie()
        response = self.client.request(
            method.upper(), self._url(url), headers=self.headers, cookies=self.cookies, **kwargs
        )
        content_type = response.headers.get("Content-Type", "")
        if not any(kind in content_type for kind in ("application/json", "javascript")):
            raise PayloadError(f"Google Trends answered {content_type or 'no content type'}, not JSON")
        try:
            return json.loads(response.text[trim_chars:])
        except ValueError:
            raise PayloadError("Google Trends answer is not valid JSON after its prefix") from None


@dataclass(frozen=True)
class Batch:
    terms: tuple[str, ...]
    number: int
    count: int
    anchor: str | None


def plan_batches(terms: Sequence[str]) -> list[Batch]:
    """One request for up to five terms; beyond that, batches of the anchor (first term) plus four."""
    terms = list(dict.fromkeys(terms))
    if len(terms) <= MAX_TERMS_PER_REQUEST:
        return [Batch(tuple(terms), 1, 1, None)]
    anchor, rest = terms[0], terms[1:]
    size = MAX_TERMS_PER_REQUEST - 1
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    return [Batch((anchor, *chunk), n, len(chunks), anchor) for n, chunk in enumerate(chunks, start=1)]


def fetch_interest(client: HttpClient, terms: Sequence[str], timeframe: str) -> pd.DataFrame:
    session = _TrendsSession(client)
    try:
        session.build_payload(list(terms), timeframe=timeframe)
        frame = session.interest_over_time()
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:  # pytrends' own parsing
        raise PayloadError(f"Google Trends answer has an unexpected shape ({type(exc).__name__}: {exc})") from None
    if frame.empty:
        raise PayloadError(f"Google Trends returned no timeline for {list(terms)} ({timeframe})")
    return frame


def window_days(start: date, step_days: int) -> int:
    if step_days <= 1:
        return 1
    if step_days <= 7:
        return 7
    return calendar.monthrange(start.year, start.month)[1]


def parse_frame(frame: pd.DataFrame, batch: Batch, timeframe: str) -> list[Observation]:
    """Rows for complete periods (the partial last period is left out), dated on the period's last day."""
    if "isPartial" in frame.columns:
        frame = frame[~frame["isPartial"].astype(bool)]
    days = [ts.date() for ts in pd.to_datetime(frame.index)]
    if len(days) < 2:
        raise PayloadError(f"Google Trends returned {len(days)} complete period(s) for {timeframe}")
    step = min((b - a).days for a, b in pairwise(days))
    origin = (
        f"pytrends interest_over_time; timeframe={timeframe}; geo=worldwide; batch={batch.number}/{batch.count}; "
        f"anchor={batch.anchor or ''}; terms={','.join(batch.terms)}"
    )
    rows = []
    for term in batch.terms:
        if term not in frame.columns:
            raise PayloadError(f"Google Trends answer has no column for {term!r}")
        for start, value in zip(days, frame[term].tolist(), strict=True):
            width = window_days(start, step)
            end = start + timedelta(days=width - 1)
            rows.append(Observation(NAME, term, METRIC, end, width, float(value), origin))
    return rows


def anchor_scale(anchor_rows: list[Observation], reference: list[Observation]) -> float:
    """Factor that puts a batch on the first batch's scale, from the anchor term present in both."""
    ours = sum(row.value for row in anchor_rows)
    theirs = sum(row.value for row in reference)
    if ours <= 0:
        raise PayloadError("anchor term has no interest in a batch; batches cannot be put on one scale")
    return theirs / ours


@dataclass(frozen=True)
class Request:
    """The request whose scale a stored point has: its values compare only with others of the same request."""

    timeframe: str
    batch: str  # '1/2', or an export's file name
    anchor: str | None
    terms: tuple[str, ...]


def requests_frame(points: Iterable[tuple[Observation, Request]]) -> pd.DataFrame:
    """One row per point: the request it was scaled in."""
    return pd.DataFrame(
        [
            (row.subject, row.date, row.window_days, r.timeframe, r.batch, r.anchor, ",".join(r.terms))
            for row, r in points
        ],
        columns=["term", "date", "window_days", "timeframe", "batch", "anchor", "terms"],
    )


def write_requests(conn: duckdb.DuckDBPyConnection, requests: pd.DataFrame, replace_timeframe: bool) -> None:
    """Store each point's request, inside the caller's transaction. A collected timeframe replaces the points
    of earlier runs of the same timeframe that this run no longer has, so one scale holds per timeframe."""
    conn.register("incoming_requests", requests)
    try:
        if replace_timeframe:
            conn.execute(
                """
                delete from observation as o
                using trends_request as r
                where o.source = ? and o.metric = ? and r.term = o.subject and r.date = o.date
                    and r.window_days = o.window_days
                    and (r.term, r.timeframe) in (select distinct term, timeframe from incoming_requests)
                    and (o.subject, o.date, o.window_days) not in (
                        select term, date::date, window_days from incoming_requests
                    )
                """,
                [NAME, METRIC],
            )
        conn.execute(
            """
            merge into trends_request as r
            using (select term, date::date as date, window_days, timeframe, batch, anchor, terms
                   from incoming_requests) as n
            on r.term = n.term and r.date = n.date and r.window_days = n.window_days
            when matched then update set timeframe = n.timeframe, batch = n.batch, anchor = n.anchor, terms = n.terms
            when not matched then insert values (n.term, n.date, n.window_days, n.timeframe, n.batch, n.anchor, n.terms)
            """
        )
    finally:
        conn.unregister("incoming_requests")


def save(
    conn: duckdb.DuckDBPyConnection, rows: list[Observation], requests: dict[str, Request], run_id: int | None = None
) -> int:
    """Store a run's points with their requests in one transaction, replacing the stored series of each term's
    timeframe. Trends values are relative, so "<1" (stored as 0) may replace a small value: no zero guard."""
    frame = store.observations_frame(rows, clock.utc_now(), run_id)
    if frame.empty:
        return 0
    with store.transaction(conn):
        write_requests(conn, requests_frame((row, requests[row.subject]) for row in rows), replace_timeframe=True)
        written = store.upsert_frame(conn, frame, guard_zeros=False)
        store.summarise_series(conn, frame)  # the replaced timeframe's removed points leave the summary too
        return written


def collect(ctx: Context) -> Outcome:
    return collect_timeframes(ctx, [COLLECT_TIMEFRAME])


def backfill(ctx: Context) -> Outcome:
    """Monthly interest since 2004 and weekly interest for the last five years, each consistently scaled."""
    timeframes = BACKFILL_TIMEFRAMES
    if ctx.since:
        timeframes = (f"{ctx.since} {clock.today().isoformat()}", COLLECT_TIMEFRAME)
    return collect_timeframes(ctx, timeframes)


def collect_timeframes(ctx: Context, timeframes: Sequence[str]) -> Outcome:
    outcome = Outcome()
    batches = plan_batches([term for project in ctx.projects for term in project.names(TERM_FIELD.key)])
    ctx.progress.add_total(len(batches) * len(timeframes))
    for timeframe in timeframes:
        rows: list[Observation] = []
        reference: list[Observation] = []
        requests: dict[str, Request] = {}
        for batch in batches:
            with ctx.progress.task(f"{timeframe} batch {batch.number}/{batch.count}"):
                frame = fetch_interest(ctx.client, batch.terms, timeframe)
                batch_rows = parse_frame(frame, batch, timeframe)
                if batch.anchor:
                    anchor_rows = [row for row in batch_rows if row.subject == batch.anchor]
                    if batch.number == 1:
                        reference = anchor_rows
                    else:
                        scale = anchor_scale(anchor_rows, reference)
                        batch_rows = [
                            replace(row, value=round(row.value * scale, 2))
                            for row in batch_rows
                            if row.subject != batch.anchor
                        ]
                rows.extend(batch_rows)
                request = Request(timeframe, f"{batch.number}/{batch.count}", batch.anchor, batch.terms)
                requests.update({row.subject: request for row in batch_rows if row.subject not in requests})
        with store.connect(ctx.db) as conn:
            outcome.rows_written += save(conn, rows, requests, ctx.run_id)
    return outcome


# --- the website's own export (multiTimeline.csv), the fallback when pytrends is refused -------------------

_EXPORT_HEADER = re.compile(r"^(?P<term>.+): \((?P<geo>.+)\)$")
_EXPORT_STEPS = {"Day": 1, "Week": 7, "Month": 31}


def read_export(path: Path) -> tuple[list[Observation], Request]:
    """Read a Google Trends website export: the points and the one request (the file) they were scaled in."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        text = interchange.read_file_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    lines = text.splitlines()
    if len(lines) < 4 or not lines[0].startswith("Category:") or lines[1].strip():
        raise InputFileError(
            f"{path}: line 1: not a Google Trends export (expected 'Category: …', a blank line, then a header)"
        )
    table = list(csv.reader(lines[2:]))
    header, data = table[0], [r for r in table[1:] if any(cell.strip() for cell in r)]
    step = _EXPORT_STEPS.get(header[0].strip())
    if step is None:
        raise InputFileError(f"{path}: line 3: first column {header[0]!r} is not Day, Week or Month")
    terms = []
    for column in header[1:]:
        match = _EXPORT_HEADER.match(column.strip())
        if not match:
            raise InputFileError(f"{path}: line 3: column {column!r} is not '<term>: (<region>)'")
        terms.append((match.group("term"), match.group("geo")))
    if not data:
        raise InputFileError(f"{path}: no data rows")
    periods = []
    for offset, cells in enumerate(data):
        line = 4 + offset
        if len(cells) != len(header):
            raise InputFileError(f"{path}: line {line}: {len(cells)} fields, the header has {len(header)}")
        start = interchange.parse_date(cells[0] if step != 31 else f"{cells[0]}-01")
        if start is None:
            raise InputFileError(f"{path}: line {line}: {cells[0]!r} is not a {header[0].strip().lower()} date")
        if start > interchange.latest_importable_date():
            raise InputFileError(f"{path}: line {line}: {start} is in the future (today is {clock.today()} in UTC)")
        if start + timedelta(days=window_days(start, step) - 1) > clock.today():
            continue  # the period is not over: left out, as pytrends' partial last period is
        values = []
        for cell in cells[1:]:
            cell = cell.strip()
            number = 0.0 if cell == "<1" else interchange.parse_number(cell)
            if number is None or number < 0 or number > 100:
                raise InputFileError(f"{path}: line {line}: interest {cell!r} is not 0-100 or <1")
            values.append(number)
        periods.append((start, values))
    if not periods:
        raise InputFileError(f"{path}: no complete period (every one ends after today, {clock.today()})")
    first, last = periods[0][0], periods[-1][0]
    request = Request(f"export {first}..{last}", path.name, None, tuple(term for term, _ in terms))
    rows = []
    for index, (term, geo) in enumerate(terms):
        origin = (
            f"Google Trends website export {path.name}; timeframe={request.timeframe}; geo={geo}; "
            f"batch={path.name}; anchor=; terms={','.join(request.terms)}"
        )
        for start, values in periods:
            width = window_days(start, step)
            end = start + timedelta(days=width - 1)
            rows.append(Observation(NAME, term, METRIC, end, width, values[index], origin))
    return rows, request


@dataclass(frozen=True)
class Exports:
    """Website exports read whole and put on the stored scale: the rows to write and the request of each."""

    frame: pd.DataFrame
    requests: pd.DataFrame


def read_exports(db: Database, paths: Sequence[Path]) -> Exports:
    """Read website exports (every file whole) and put each on the scale of the stored points of its resolution,
    through a term both carry; where two files cover the same term and period, the later file wins.

    Values are relative within one request, so an export stored as it is beside pytrends' points would put two
    scales in one chart. An export that shares no term and period with the stored points is refused."""
    reference = stored_interest(db)
    points: dict[tuple, tuple[Observation, Request]] = {}
    for path in paths:
        rows, request = read_export(Path(path))
        rows, request = on_stored_scale(Path(path), rows, request, reference)
        points.update({(row.subject, row.date, row.window_days): (row, request) for row in rows})
        accepted = pd.DataFrame([(r.subject, r.date, r.window_days, r.value) for r in rows], columns=reference.columns)
        reference = pd.concat([reference, accepted]).drop_duplicates(["term", "date", "window_days"], keep="last")
    frame = store.observations_frame([row for row, _ in points.values()], clock.utc_now(), None)
    return Exports(frame, requests_frame(points.values()))


def load_exports(db: Database, exports: Exports, keep_collected: bool = False) -> dict[str, int]:
    """Store exports read by read_exports, recorded as an import run of this source, with each point's request."""
    return interchange.load_frame(
        db, exports.frame, guard_zeros=False, keep_collected=keep_collected,
        then=lambda conn: write_requests(conn, exports.requests, replace_timeframe=False),
    )  # fmt: skip


def import_exports(db: Database, paths: Sequence[Path], keep_collected: bool = False) -> dict[str, int]:
    """Import website exports as one batch, on the stored scale; rows inserted or changed."""
    return load_exports(db, read_exports(db, paths), keep_collected)


def stored_interest(db: Database) -> pd.DataFrame:
    """Every stored Trends point: the scale an export is put on."""
    columns = ["term", "date", "window_days", "value"]
    if not store.exists(db):
        return pd.DataFrame(columns=columns)
    with store.connect(db, read_only=True) as conn:
        frame = conn.execute(
            "select subject as term, date, window_days, value from observation where source = ? and metric = ?",
            [NAME, METRIC],
        ).df()
    frame["date"] = [pd.Timestamp(day).date() for day in frame["date"]]
    return frame[columns]


def resolution(window: int) -> str:
    return "day" if window <= 1 else "week" if window <= 7 else "month"


def on_stored_scale(
    path: Path, rows: list[Observation], request: Request, reference: pd.DataFrame
) -> tuple[list[Observation], Request]:
    """An export's rows rescaled to the stored points of the same resolution through an anchor term that both have
    in shared periods (the stored anchor's points are kept, as a batch of pytrends keeps the first batch's); the
    rows unchanged where nothing of that resolution is stored. InputFileError when no anchor can be found."""
    step = resolution(rows[0].window_days or 0)
    stored = reference[[resolution(int(w)) == step for w in reference["window_days"]]]
    if stored.empty:
        return rows, request
    periods = {(row.date, row.window_days) for row in rows}
    shared = stored[[(day, int(w)) in periods for day, w in zip(stored["date"], stored["window_days"], strict=True)]]
    if shared.empty:
        raise InputFileError(
            f"{path}: its {step}ly periods ({min(periods)[0]}..{max(periods)[0]}) share none with the "
            f"{len(stored):,} stored {step}ly Trends points ({stored['date'].min()}..{stored['date'].max()}), so its "
            "scale cannot be matched to theirs; export a timeframe that overlaps them"
        )
    anchors = shared[shared["term"].isin(request.terms)].groupby("term")["value"].sum().sort_values(ascending=False)
    exported = {(row.subject, row.date, row.window_days): row.value for row in rows}
    for anchor, theirs in anchors.items():
        common = shared[shared["term"] == anchor]
        common_periods = list(zip(common["date"], common["window_days"].astype(int), strict=True))
        ours = sum(exported[(anchor, day, window)] for day, window in common_periods)
        if ours > 0 and theirs > 0:
            break
    else:
        others = ", ".join(sorted(set(shared["term"])))
        raise InputFileError(
            f"{path}: line 3: none of its terms ({', '.join(request.terms)}) has stored {step}ly interest in its "
            f"periods, which hold {others}: add one of those to the export, so that it can be put on their scale"
        )
    scale, kept = theirs / ours, set(common_periods)
    rows = [row for row in rows if not (row.subject == anchor and (row.date, row.window_days) in kept)]
    if scale == 1:
        return rows, request  # already on that scale (the same export imported again): its rows as they are
    note = f"; anchor={anchor}; scale={scale:.6g} (put on the stored {step}ly points through {anchor})"
    rescaled = [
        replace(row, value=round(row.value * scale, 2), origin=row.origin.replace("; anchor=;", ";") + note)
        for row in rows
    ]
    return rescaled, replace(request, anchor=anchor)


SOURCE = Source(
    name=NAME,
    title="Google Trends",
    subjects=lambda project: list(project.names(TERM_FIELD.key)),
    project_fields=(TERM_FIELD,),
    series=(
        Series("trends", METRIC, "Google Trends interest", "interest (0-100)", windows=(7, 7),
               whole_numbers=False,
               judges=(Rung(NAME, METRIC, 1, "Google Trends interest, weekly (one request)"),)),
        Series("trends_monthly", METRIC, "Google Trends interest, monthly", "interest (0-100)", windows=(28, 31),
               whole_numbers=False, chart=False,
               judges=(Rung(NAME, METRIC, 2, "Google Trends interest, monthly (one request)"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("collect --source trends", "backfill --source trends", "import --trends-csv multiTimeline.csv"),
    base_urls={API_URL_ENV: DEFAULT_API_URL},
    signal=Signal("interest", "Search interest", METRIC, stale_after_days=14, order=6),
    page="trends.py",
    icon="🔍",
)  # fmt: skip
