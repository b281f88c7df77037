"""Read-only queries to public ClickHouse services over HTTPS, with the checks their limits demand.

These services cut results short or fail mid-stream and still answer HTTP 200, so each window is one
`GROUP BY day WITH TOTALS ... FORMAT JSON` query whose answer proves itself (reasoning and sources in
sql/remote/README.md). The totals row is accumulated before the result limits apply, so a result cut leaves
rows that fall short of it; a read cut leaves rows and totals agreeing on part of the table, so the rows read
must also reach the rows the server planned to read (X-ClickHouse-Summary). Exception blocks, `exception` keys,
broken documents and results at the 1,000-row cap are refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from collectors import store
from collectors.config import REPO_ROOT
from collectors.errors import PayloadError, RateLimitedError, SourceError
from collectors.http import HttpClient

if TYPE_CHECKING:
    import duckdb

    from collectors.source import Context, Outcome
    from collectors.store import Observation

QUERY_DIR = REPO_ROOT / "sql" / "remote"
RESULT_ROW_CAP = 1000  # max_result_rows of the public profiles; a full page may have been cut
# The demo quota is 60 queries an hour per IP: a burst of two (a new package's monthly and daily queries at once),
# then one every 62 s, so that no hour ever holds more than 2 + 3600 // 62 = 60 queries.
QUERY_INTERVAL_SECONDS = 62.0
QUERY_BURST = 2
SUMMARY_HEADER = "X-ClickHouse-Summary"
DAYS_COLUMN = "days"  # uniqExact(day) in every query: 1 in each row, the number of distinct days in totals
CUT_SHORT = "the server does that silently with HTTP 200; nothing of this window was stored"


@dataclass(frozen=True)
class Answer:
    """One FORMAT JSON answer of a GROUP BY ... WITH TOTALS query, and what the server says it read."""

    rows: list[dict]
    totals: dict
    rows_read: int | None  # the larger of the body's statistics.rows_read and the summary header's read_rows
    rows_planned: int | None  # the summary header's total_rows_to_read: rows of the granules the plan selected


def load_query(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8").strip()


def query(client: HttpClient, base: str, user: str, name: str, params: dict[str, str]) -> Answer:
    """POST one named query with bound parameters; returns its answer once the format checks pass."""
    url_params = {"user": user, **{f"param_{key}": value for key, value in params.items()}}
    response = client.request(
        "POST", f"{base}/", params=url_params, data=load_query(name).encode(), allow_statuses=frozenset({500})
    )
    text = response.text
    if response.status_code == 500 or text.lstrip().startswith("Code: "):
        message = " ".join(text.split())[:300]
        if "QUOTA_EXCEEDED" in text:
            raise RateLimitedError(f"{base}: hourly query quota exceeded ({message}); the backfill resumes next run")
        raise SourceError(f"{base}: query {name} failed: {message}")
    return parse_answer(text, response.headers.get(SUMMARY_HEADER), f"{base} {name}")


def parse_answer(text: str, summary: str | None, where: str) -> Answer:
    """The rows, totals and read counters of a FORMAT JSON body; anything else is a PayloadError."""
    if "__exception__" in text or "DB::Exception" in text:
        message = next((line for line in text.splitlines() if "DB::Exception" in line), "exception in the body")
        raise PayloadError(f"{where}: the server failed while streaming (HTTP 200): {message.strip()[:300]}")
    try:
        payload = json.loads(text)
    except ValueError:
        raise PayloadError(f"{where}: the answer is not one JSON document (cut short?): {text[:80]!r}") from None
    if not isinstance(payload, dict):
        raise PayloadError(f"{where}: expected a JSON object, got {type(payload).__name__}")
    if "exception" in payload:
        raise PayloadError(f"{where}: the server failed while streaming (HTTP 200): {str(payload['exception'])[:300]}")
    rows, totals = payload.get("data"), payload.get("totals")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise PayloadError(f"{where}: 'data' is not a list of rows")
    if not isinstance(totals, dict):
        raise PayloadError(f"{where}: no totals row, so nothing proves the rows complete")
    if payload.get("rows") != len(rows):
        raise PayloadError(f"{where}: 'rows' says {payload.get('rows')!r} but 'data' holds {len(rows)} rows")
    if len(rows) >= RESULT_ROW_CAP:
        raise PayloadError(f"{where}: {len(rows)} rows reached the result cap; the answer may be cut short")
    statistics = payload.get("statistics")
    counted = _summary(summary)
    reads = [
        _count(statistics.get("rows_read")) if isinstance(statistics, dict) else None,
        _count(counted.get("read_rows")),
    ]
    known = [n for n in reads if n is not None]
    return Answer(rows, totals, max(known) if known else None, _count(counted.get("total_rows_to_read")))


def complete_days(
    answer: Answer,
    day_column: str,
    value_column: str,
    first: date,
    end: date,
    where: str,
    count_column: str = DAYS_COLUMN,
) -> list[tuple[date, int]]:
    """(day, value) for each row of a window [first, end), only once the answer proves the rows complete: the rows
    sum to the totals row's value and number as many as its count_column (distinct days, or months)."""
    if answer.rows_read is not None and answer.rows_planned is not None and answer.rows_read < answer.rows_planned:
        raise PayloadError(
            f"{where}: the server read {answer.rows_read:,} of the {answer.rows_planned:,} rows it planned to read "
            f"(it stops early under read_overflow_mode='break'), so rows and totals cover part of the window: "
            f"the answer was cut short; {CUT_SHORT}"
        )
    days = []
    for row in answer.rows:
        try:
            day = date.fromisoformat(str(row[day_column]))
        except (KeyError, ValueError):
            raise PayloadError(f"{where}: row {row!r} has no {day_column}") from None
        if not first <= day < end or (days and day <= days[-1][0]):
            raise PayloadError(f"{where}: day {day} is outside the window or out of order")
        days.append((day, as_int(row.get(value_column), where)))
    got, counted = sum(value for _, value in days), as_int(answer.totals.get(count_column), where)
    expected = as_int(answer.totals.get(value_column), where)
    if (len(days), got) != (counted, expected):
        raise PayloadError(
            f"{where}: {len(days)} daily rows sum to {got:,} but the totals row counts {counted} days and "
            f"{expected:,}: the answer was cut short; {CUT_SHORT}"
        )
    return days


def _summary(header: str | None) -> dict:
    """X-ClickHouse-Summary as a dict (its numbers are strings); {} when absent or unreadable."""
    try:
        parsed = json.loads(header) if header else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _count(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number >= 0 else None


def as_int(value: object, where: str) -> int:
    """64-bit integers arrive as numbers or, on older servers, as quoted strings."""
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # infinity and NaN too
        raise PayloadError(f"{where}: {value!r} is not an integer") from None
    if number < 0:
        raise PayloadError(f"{where}: negative count {number}")
    return number


def date_windows(first: date, end: date, days: int) -> list[tuple[date, date]]:
    """Consecutive [start, stop) windows of at most `days` days covering [first, end)."""
    windows, start = [], first
    while start < end:
        windows.append((start, min(start + timedelta(days=days), end)))
        start = windows[-1][1]
    return windows


def backfill_windows(
    ctx: Context,
    outcome: Outcome,
    windows: list[tuple[date, date]],
    fetch_rows: Callable[[date, date], list[Observation]],
    series: tuple[str, str, str],
    state_key: str,
    label: str,
    keep: Callable[[duckdb.DuckDBPyConnection, list[Observation]], list[Observation]] | None = None,
) -> None:
    """Fetch and store window by window, moving the resume cursor only after a window is safely stored; `keep`
    chooses, once the answer has passed its checks, which of its rows to store."""
    source, subject, metric = series
    for start, end in windows:
        with ctx.progress.task(f"{label} {start}..{end}"):
            rows = fetch_rows(start, end)
            with store.connect(ctx.db) as conn:
                store.refuse_empty_window(conn, source, subject, metric, end, rows, f"{label} {start}..{end}")
                rows = keep(conn, rows) if keep else rows
                outcome.rows_written += store.upsert_observations(conn, rows, ctx.run_id)
                store.set_state(conn, source, subject, state_key, end.isoformat())
