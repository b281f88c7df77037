"""PyPI: daily downloads with and without mirrors (PyPI Stats /overall) and each package's first release.

PyPI Stats keeps 180 days and allows 30 requests a minute per IP, so one /overall call per package per
run (both categories in one answer) at one call every 2.1 seconds. The first release date comes from the
PyPI JSON API once per package.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb

from collectors import clickhouse, clock, store
from collectors.errors import PayloadError, RateLimitedError, SourceError
from collectors.http import HttpClient, base_url, json_object
from collectors.source import Context, Outcome, Rung, Series, Signal, Source
from collectors.store import Observation

NAME = "pypi"
STATS_URL_ENV = "ECOTRENDS_PYPISTATS_URL"
DEFAULT_STATS_URL = "https://pypistats.org"
PYPI_URL_ENV = "ECOTRENDS_PYPI_URL"
DEFAULT_PYPI_URL = "https://pypi.org"
STATS_INTERVAL_SECONDS = 2.1  # 30 requests per minute per IP
CLICKPY_URL_ENV = "ECOTRENDS_CLICKPY_URL"
DEFAULT_CLICKPY_URL = "https://sql-clickhouse.clickhouse.com"
CLICKPY_USER = "demo"
CLICKPY_METRIC = "downloads_clickpy"  # all downloads, mirrors included: close to with_mirrors
BACKFILL_START = date(2016, 1, 1)  # the BigQuery download log begins in 2016
WINDOW_DAYS = 900  # under the 1,000-row result cap
REFETCH_DAYS = 14  # ClickPy reloads bad days: the last two weeks are read again
CATEGORY_METRICS = {"with_mirrors": "downloads_with_mirrors", "without_mirrors": "downloads_without_mirrors"}


def make_client() -> HttpClient:
    return HttpClient(min_interval=STATS_INTERVAL_SECONDS, headers={"Accept": "application/json"})


# --- network only -------------------------------------------------------------------------------------


def fetch_overall(client: HttpClient, package: str) -> dict:
    response = client.get(f"{base_url(STATS_URL_ENV, DEFAULT_STATS_URL)}/api/packages/{package}/overall")
    return json_object(response, f"/api/packages/{package}/overall")


def fetch_release_info(client: HttpClient, package: str) -> dict:
    response = client.get(f"{base_url(PYPI_URL_ENV, DEFAULT_PYPI_URL)}/pypi/{package}/json")
    return json_object(response, f"/pypi/{package}/json")


# --- parsing (pure) -------------------------------------------------------------------------------------


def parse_overall(payload: object, package: str) -> list[Observation]:
    """Daily rows of both categories; an empty answer for a known package is refused as an outage."""
    origin = f"GET {DEFAULT_STATS_URL}/api/packages/{package}/overall"
    if not isinstance(payload, dict):
        raise PayloadError(f"{origin}: expected a JSON object, got {type(payload).__name__}")
    data = payload.get("data")
    if payload.get("type") != "overall_downloads" or not isinstance(data, list):
        raise PayloadError(f"{origin}: not an overall_downloads answer (type={payload.get('type')!r})")
    if not data:
        raise PayloadError(f"{origin}: no rows; PyPI Stats returned an empty series, stored data kept")
    rows = []
    for item in data:
        try:
            metric = CATEGORY_METRICS[item["category"]]
            day = date.fromisoformat(item["date"])
            downloads = item["downloads"]
        except (KeyError, TypeError, ValueError):
            raise PayloadError(f"{origin}: malformed row {item!r}") from None
        if not isinstance(downloads, int) or isinstance(downloads, bool) or downloads < 0:
            raise PayloadError(f"{origin}: downloads {downloads!r} on {item.get('date')} is not a count")
        rows.append(Observation(NAME, package, metric, day, 1, downloads, origin))
    return rows


def parse_first_release(payload: object, package: str) -> tuple[date, str] | None:
    """Day of the earliest file upload and its version; None when no file was ever uploaded."""
    releases = payload.get("releases") if isinstance(payload, dict) else None
    if not isinstance(releases, dict):
        raise PayloadError(f"/pypi/{package}/json: no 'releases' object")
    earliest: tuple[datetime, str] | None = None
    for version, files in releases.items():
        if not isinstance(files, list) or not all(isinstance(file, dict) for file in files):
            raise PayloadError(f"/pypi/{package}/json: release {version} is not a list of files")
        for file in files:
            stamp = file.get("upload_time_iso_8601") or file.get("upload_time")
            if not stamp:
                continue
            try:
                when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).replace(tzinfo=None)
            except ValueError:
                raise PayloadError(f"/pypi/{package}/json: release {version} has upload time {stamp!r}") from None
            if earliest is None or when < earliest[0]:
                earliest = (when, version)
    return (earliest[0].date(), earliest[1]) if earliest else None


# --- database only ---------------------------------------------------------------------------------------


def save(conn: duckdb.DuckDBPyConnection, rows: list[Observation], run_id: int | None = None) -> int:
    return store.upsert_observations(conn, rows, run_id)


# --- joined ----------------------------------------------------------------------------------------------


def collect(ctx: Context) -> Outcome:
    outcome = Outcome()
    packages = [package for project in ctx.projects for package in project.pypi]
    ctx.progress.add_total(len(packages))
    with store.connect(ctx.db) as conn:
        known_releases = {
            row[0]
            for row in conn.execute(
                "select subject from subject_event where source = 'pypi' and event = 'first_release'"
            ).fetchall()
        }
    for package in packages:
        if outcome.gave_up:
            break
        with ctx.progress.task(package):
            try:
                rows = parse_overall(fetch_overall(ctx.client, package), package)
                with store.connect(ctx.db) as conn:
                    outcome.rows_written += save(conn, rows, ctx.run_id)
                if package not in known_releases:
                    _record_first_release(ctx, package)
                outcome.succeeded()
            except SourceError as exc:
                outcome.fail(package, exc)
    return outcome


def _record_first_release(ctx: Context, package: str) -> None:
    first = parse_first_release(fetch_release_info(ctx.client, package), package)
    if first is None:
        return
    day, version = first
    with store.connect(ctx.db) as conn:
        store.record_event(
            conn,
            NAME,
            package,
            "first_release",
            day,
            f"GET {DEFAULT_PYPI_URL}/pypi/{package}/json (release {version})",
        )


# --- backfill from ClickPy -----------------------------------------------------------------------------


def fetch_clickpy_months(client: HttpClient, package: str, first: date, end: date) -> list[Observation]:
    """Monthly downloads for [first, end), both month starts: one query (a row a month, 120 for ten years, under the
    1,000-row cap) whose totals row proves the rows complete. Each month is dated on its last day, its window the
    month's days, so it compares per day with the daily points."""
    base = base_url(CLICKPY_URL_ENV, DEFAULT_CLICKPY_URL)
    params = {"pkg": package, "d0": first.isoformat(), "d1": end.isoformat()}
    answer = clickhouse.query(client, base, CLICKPY_USER, "clickpy_monthly_downloads", params)
    where = f"ClickPy {package} months {first}..{end}"
    origin = (
        f"ClickPy pypi.pypi_downloads_per_day ({DEFAULT_CLICKPY_URL}) summed by month; all downloads, mirrors included"
    )
    months = clickhouse.complete_days(answer, "month", "downloads", first, end, where, "months")
    return [
        Observation(NAME, package, CLICKPY_METRIC, clock.month_end(m), clock.month_end(m).day, downloads, origin)
        for m, downloads in months
    ]


def clickpy_windows(first: date, today: date) -> list[tuple[str, date, date]]:
    """The queries that cover [first, today): the months before the last 900 days in one monthly query, those days
    in one daily query (a stray partial month at `first`, from --since or a resumed backfill, in a daily one)."""
    if (today - first).days <= WINDOW_DAYS:
        return [("daily", first, today)] if first < today else []
    recent = today - timedelta(days=WINDOW_DAYS)
    daily_from = recent if recent.day == 1 else clock.add_months(recent.replace(day=1), 1)
    windows: list[tuple[str, date, date]] = []
    if first < daily_from:
        month_start = first if first.day == 1 else clock.add_months(first.replace(day=1), 1)
        if first < month_start:
            windows.append(("daily", first, month_start))
        if month_start < daily_from:
            windows.append(("monthly", month_start, daily_from))
    start = max(first, daily_from)
    if start < today:
        windows += [("daily", a, b) for a, b in clickhouse.date_windows(start, today, WINDOW_DAYS)]
    return windows


def fetch_clickpy_window(client: HttpClient, package: str, first: date, end: date) -> list[Observation]:
    """Daily downloads for [first, end): one query whose totals row proves the rows complete."""
    base = base_url(CLICKPY_URL_ENV, DEFAULT_CLICKPY_URL)
    params = {"pkg": package, "d0": first.isoformat(), "d1": end.isoformat()}
    answer = clickhouse.query(client, base, CLICKPY_USER, "clickpy_daily_downloads", params)
    where = f"ClickPy {package} {first}..{end}"
    origin = f"ClickPy pypi.pypi_downloads_per_day ({DEFAULT_CLICKPY_URL}); all downloads, mirrors included"
    return [
        Observation(NAME, package, CLICKPY_METRIC, day, 1, downloads, origin)
        for day, downloads in clickhouse.complete_days(answer, "date", "downloads", first, end, where)
    ]


def make_clickpy_client(budget: float | None = None) -> HttpClient:
    return HttpClient(
        min_interval=clickhouse.QUERY_INTERVAL_SECONDS, burst=clickhouse.QUERY_BURST, max_attempts=3, budget=budget
    )


def backfill(ctx: Context) -> Outcome:
    """Downloads since 2016 (or --since) per package in two queries: monthly before the last 900 days, daily for
    them; resumable (the cursor moves only once a query's rows are stored)."""
    outcome = Outcome()
    client = make_clickpy_client(ctx.client.budget)  # the run's time budget holds for its second client too
    today = clock.today()
    since = date.fromisoformat(ctx.since) if ctx.since else BACKFILL_START
    packages = [package for project in ctx.projects for package in project.pypi]
    try:
        for package in packages:
            if outcome.gave_up:
                break
            try:
                _backfill_package(ctx, client, package, since, today, outcome)
                outcome.succeeded()
            except SourceError as exc:
                outcome.fail(package, exc)
                if isinstance(exc, RateLimitedError):
                    break  # the quota is per IP: the other packages would fail too
    finally:
        ctx.client.requests_made += client.requests_made
    return outcome


def _backfill_package(
    ctx: Context, client: HttpClient, package: str, since: date, today: date, outcome: Outcome
) -> None:
    with store.connect(ctx.db) as conn:
        through = store.get_state(conn, NAME, package, "clickpy_through")
    first = since
    if through and not ctx.since:
        # Continue an interrupted backfill where it stopped; once complete, re-read the last two weeks.
        first = max(since, min(date.fromisoformat(through), today - timedelta(days=REFETCH_DAYS)))
    windows = clickpy_windows(first, today)
    ctx.progress.add_total(len(windows))
    for kind, start, end in windows:
        fetch = fetch_clickpy_months if kind == "monthly" else fetch_clickpy_window
        clickhouse.backfill_windows(
            ctx,
            outcome,
            [(start, end)],
            lambda start, end, fetch=fetch: fetch(client, package, start, end),
            (NAME, package, CLICKPY_METRIC),
            "clickpy_through",
            f"ClickPy {package}" + (" by month" if kind == "monthly" else ""),
            keep=lambda conn, rows: _unless_daily_stored(conn, package, rows),
        )


def _unless_daily_stored(conn: duckdb.DuckDBPyConnection, package: str, rows: list[Observation]) -> list[Observation]:
    """Monthly points only for months without stored daily ClickPy points (an earlier backfill by 900-day windows):
    a month is counted once, by its days where they are stored."""
    monthly = [row for row in rows if row.window_days != 1]
    if not monthly:
        return rows
    daily_months = {
        row[0]
        for row in conn.execute(
            "select distinct last_day(date) from observation where source = ? and subject = ? and metric = ? "
            "and window_days = 1",
            [NAME, package, CLICKPY_METRIC],
        ).fetchall()
    }
    return [row for row in rows if row.window_days == 1 or row.date not in daily_months]


WINDOWS_METRIC = "downloads"  # the top-PyPI windows of about 30 days (shipped history or ecotrends import)
SOURCE = Source(
    name=NAME,
    on_track=("collect", "backfill"),  # what `ecotrends track` fetches of a new project
    title="PyPI",
    subjects=lambda project: list(project.pypi),
    series=(
        Series("downloads", "downloads_without_mirrors", "PyPI downloads without mirrors (PyPI Stats, daily)",
               "downloads", is_count=True, windows=(1, 1),
               judges=(Rung(NAME, "downloads_without_mirrors", 1, "PyPI Stats downloads without mirrors (daily)"),)),
        Series("downloads_mirrors", "downloads_with_mirrors", "PyPI downloads with mirrors (PyPI Stats, daily)",
               "downloads", is_count=True, windows=(1, 1),
               judges=(Rung(NAME, "downloads_without_mirrors", 2, "PyPI Stats downloads with mirrors (daily)"),)),
        Series("downloads_clickpy", CLICKPY_METRIC, "PyPI downloads, ClickPy history (daily for the last 900 days "
               "of a backfill, monthly before)", "downloads", is_count=True, windows=(1, 31),
               judges=(Rung(NAME, "downloads_without_mirrors", 3, "ClickPy downloads, daily or monthly (mirrors "
                            "included)"),)),
        Series("downloads_snapshot", WINDOWS_METRIC, "PyPI downloads, top-PyPI windows of about 30 days (monthly)",
               "downloads", is_count=True, per_days=30, windows=(2, 45),
               judges=(Rung(NAME, "downloads_without_mirrors", 4, "top-PyPI download counts over windows of about "
                            "30 days (pip only until 2024-11)"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("collect --source pypi", "backfill --source pypi"),
    base_urls={STATS_URL_ENV: DEFAULT_STATS_URL, PYPI_URL_ENV: DEFAULT_PYPI_URL, CLICKPY_URL_ENV: DEFAULT_CLICKPY_URL},
    signal=Signal("downloads", "PyPI downloads", "downloads_without_mirrors", stale_after_days=45, order=2),
    page="pypi.py",
    icon="📦",
)  # fmt: skip
