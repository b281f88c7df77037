"""Read-only queries to public ClickHouse services over HTTPS, with the checks their limits demand.

These services cap results and answer with HTTP 200 when they cut a result short or fail mid-stream, so
every answer is checked: each line must be JSON, no exception block may follow, the row count must stay
under the cap, and callers compare a window's rows with its separately queried total.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from collectors import store
from collectors.config import REPO_ROOT
from collectors.errors import PayloadError, RateLimitedError, SourceError
from collectors.http import HttpClient

if TYPE_CHECKING:
    from collectors.runner import Context, Outcome
    from collectors.store import Observation

QUERY_DIR = REPO_ROOT / "sql" / "remote"
RESULT_ROW_CAP = 1000  # max_result_rows of the public profiles; a full page may have been cut
QUERY_INTERVAL_SECONDS = 61.0  # the demo quota is 60 queries an hour per IP


def load_query(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8").strip()


def query(client: HttpClient, base: str, user: str, name: str, params: dict[str, str]) -> list[dict]:
    """POST one named query with bound parameters; returns its JSONEachRow rows after every check."""
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
    return parse_rows(text, f"{base} {name}")


def parse_rows(text: str, where: str) -> list[dict]:
    if "__exception__" in text or "DB::Exception" in text:
        message = next((line for line in text.splitlines() if "DB::Exception" in line), "exception in the body")
        raise PayloadError(f"{where}: the server failed while streaming (HTTP 200): {message.strip()[:300]}")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise PayloadError(f"{where}: line {number} of the answer is not JSON: {line[:80]!r}") from None
        if not isinstance(row, dict) or "exception" in row:
            raise PayloadError(f"{where}: line {number} is an error or not an object: {line[:200]!r}")
        rows.append(row)
    if len(rows) >= RESULT_ROW_CAP:
        raise PayloadError(f"{where}: {len(rows)} rows reached the result cap; the answer may be cut short")
    return rows


def as_int(value: object, where: str) -> int:
    """64-bit integers arrive as numbers or, on older servers, as quoted strings."""
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
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
) -> None:
    """Fetch and store window by window, moving the resume cursor only after a window is safely stored."""
    source, subject, metric = series
    for start, end in windows:
        with ctx.progress.task(f"{label} {start}..{end}"):
            rows = fetch_rows(start, end)
            with store.connect(ctx.db) as conn:
                store.refuse_empty_window(conn, source, subject, metric, end, rows, f"{label} {start}..{end}")
                outcome.rows_written += store.upsert_observations(conn, rows, ctx.run_id)
                store.set_state(conn, source, subject, state_key, end.isoformat())
