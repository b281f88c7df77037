"""Google Trends through pytrends: interest of every tracked term, consistently scaled per run.

pytrends builds the payloads and parses the answers; the transport is our HttpClient (pytrends' own
retries crash with urllib3 2, and its URLs are fixed to trends.google.com). Values are relative within
one request, so all terms go in one request when they fit (five), else in batches that repeat one anchor
term and are rescaled by it. A 429 is a normal outcome: the run records it and stored data stays.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

import duckdb
import pandas as pd
from pytrends.request import TrendReq

from collectors import clock, store
from collectors.errors import PayloadError
from collectors.http import HttpClient, base_url
from collectors.runner import Context, Outcome
from collectors.store import Observation

SOURCE = "trends"
API_URL_ENV = "ECOTRENDS_TRENDS_URL"
DEFAULT_API_URL = "https://trends.google.com"
MAX_TERMS_PER_REQUEST = 5
COLLECT_TIMEFRAME = "today 5-y"  # weekly points for the last five years
BACKFILL_TIMEFRAMES = ("all", COLLECT_TIMEFRAME)  # monthly since 2004, then weekly
REQUEST_INTERVAL_SECONDS = 5.0
METRIC = "interest"


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
            rows.append(Observation(SOURCE, term, METRIC, end, width, float(value), origin))
    return rows


def anchor_scale(anchor_rows: list[Observation], reference: list[Observation]) -> float:
    """Factor that puts a batch on the first batch's scale, from the anchor term present in both."""
    ours = sum(row.value for row in anchor_rows)
    theirs = sum(row.value for row in reference)
    if ours <= 0:
        raise PayloadError("anchor term has no interest in a batch; batches cannot be put on one scale")
    return theirs / ours


def save(conn: duckdb.DuckDBPyConnection, rows: list[Observation], timeframe: str, run_id: int | None = None) -> int:
    """Replace the stored series of this timeframe for these terms, so one scale holds per timeframe."""
    terms = sorted({row.subject for row in rows})
    replace = (
        """
        delete from observation as o
        where o.source = ? and o.metric = ? and list_contains(?, o.subject) and o.origin like ?
            and not exists (
                select 1 from incoming_batch as b
                where b.subject = o.subject and b.date::date = o.date and b.window_days = o.window_days
            )
        """,
        [SOURCE, METRIC, terms, f"%timeframe={timeframe};%"],
    )
    return store.upsert_observations(conn, rows, run_id, guard_zeros=False, replace=replace)


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
    batches = plan_batches([project.trends_term for project in ctx.projects])
    ctx.progress.add_total(len(batches) * len(timeframes))
    for timeframe in timeframes:
        rows: list[Observation] = []
        reference: list[Observation] = []
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
        with store.connect(ctx.db) as conn:
            outcome.rows_written += save(conn, rows, timeframe, ctx.run_id)
    return outcome
