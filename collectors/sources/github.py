"""GitHub: daily snapshots of repository counters, and the retained-star history walked once then kept current.

Endpoints: GET /repos/{owner}/{repo} (stargazers_count, forks, subscribers_count, open issues, created_at)
and GET /repos/{owner}/{repo}/stargazers/history (weeks newest first, stars given per day that still exist).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import requests

from collectors import clickhouse, clock, config, store
from collectors.errors import PayloadError, SourceError
from collectors.http import HttpClient, base_url
from collectors.source import Context, Outcome, Rung, Series, Signal, Source
from collectors.store import Observation

NAME = "github"
API_URL_ENV = "ECOTRENDS_GITHUB_URL"
DEFAULT_API_URL = "https://api.github.com"
HISTORY_PER_PAGE = 30  # the endpoint's maximum
HISTORY_REFRESH_DAYS = 7  # daily exact counts come from the snapshots; the history is refreshed weekly
QUOTA_RESERVE = 2  # requests left unused so a run never ends on a 403
SNAPSHOT_METRICS = {
    "stars": "stargazers_count",
    "forks": "forks_count",
    "watchers": "subscribers_count",  # watchers_count is the star count
    "open_issues": "open_issues_count",  # open issues plus open pull requests
}
HISTORY_METRIC = "stars_given_retained"
GHARCHIVE_URL_ENV = "ECOTRENDS_CLICKHOUSE_URL"
DEFAULT_GHARCHIVE_URL = "https://play.clickhouse.com"
GHARCHIVE_USER = "play"
GHARCHIVE_METRIC = "stars_given_gharchive"  # gross star events per day; unstars are invisible
GHARCHIVE_CUTOFF = date(2025, 5, 23)  # GH Archive lost most star events after this day
GHARCHIVE_START = date(2011, 2, 12)  # the first GH Archive file
WINDOW_DAYS = 900  # under the 1,000-row result cap


def make_client() -> HttpClient:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    token = config.secret("GITHUB_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return HttpClient(headers=headers)


def api_url() -> str:
    return base_url(API_URL_ENV, DEFAULT_API_URL)


# --- network only -------------------------------------------------------------------------------------


def fetch_repo(client: HttpClient, repo: str) -> dict:
    response = client.get(f"{api_url()}/repos/{repo}")
    payload = _json(response)
    if not isinstance(payload, dict):
        raise PayloadError(f"GET /repos/{repo}: expected a JSON object, got {type(payload).__name__}")
    return payload


def fetch_history_page(client: HttpClient, repo: str, page: int) -> tuple[list[dict], bool]:
    """One page of weeks (newest first) and whether a next page exists."""
    response = client.get(
        f"{api_url()}/repos/{repo}/stargazers/history", params={"per_page": HISTORY_PER_PAGE, "page": page}
    )
    payload = _json(response)
    if not isinstance(payload, list):
        raise PayloadError(f"GET /repos/{repo}/stargazers/history page {page}: expected a JSON array")
    return payload, "next" in response.links


def quota_remaining(client: HttpClient) -> int | None:
    last = client.last_response
    value = last.headers.get("x-ratelimit-remaining") if last is not None else None
    return int(value) if value and value.isdigit() else None


def _json(response: requests.Response) -> object:
    try:
        return response.json()
    except ValueError:
        raise PayloadError(f"{response.url}: answer is not JSON ({response.text[:80]!r})") from None


# --- parsing (pure) -------------------------------------------------------------------------------------


def parse_repo(payload: object, repo: str, day: date) -> tuple[list[Observation], date]:
    """Snapshot observations for `day` and the creation date; raises PayloadError on a missing field."""
    origin = f"GET {DEFAULT_API_URL}/repos/{repo}"
    if not isinstance(payload, dict):
        raise PayloadError(f"{origin}: expected a JSON object, got {type(payload).__name__}")
    rows = []
    for metric, field in SNAPSHOT_METRICS.items():
        value = payload.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise PayloadError(f"GET /repos/{repo}: field {field!r} is {value!r}, expected a non-negative integer")
        rows.append(Observation(NAME, repo, metric, day, None, value, origin))
    created = payload.get("created_at")
    try:
        created_on = datetime.strptime(str(created), "%Y-%m-%dT%H:%M:%SZ").date()
    except ValueError:
        raise PayloadError(f"GET /repos/{repo}: created_at {created!r} is not an ISO-8601 UTC time") from None
    return rows, created_on


def parse_history(weeks: object, repo: str, today: date) -> list[Observation]:
    """Daily retained stars from the weekly rows; days after `today` (the partial week) are left out."""
    origin = f"GET {DEFAULT_API_URL}/repos/{repo}/stargazers/history"
    if not isinstance(weeks, list):
        raise PayloadError(f"{origin}: expected a JSON array of weeks, got {type(weeks).__name__}")
    rows = []
    for item in weeks:
        if not isinstance(item, dict):
            raise PayloadError(f"{origin}: week entry {item!r} is not an object")
        week, days, total = item.get("week"), item.get("days"), item.get("total")
        if isinstance(week, bool) or not isinstance(week, int) or not isinstance(days, list) or len(days) != 7:
            raise PayloadError(f"{origin}: week entry {item!r} lacks 'week' or 7 'days'")
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in days):
            raise PayloadError(f"{origin}: week {week} has non-count days {days!r}")
        if isinstance(total, int) and total != sum(days):
            raise PayloadError(f"{origin}: week {week} total {total} is not the sum of its days {days!r}")
        try:
            start = datetime.fromtimestamp(week, UTC).date()
        except (OverflowError, OSError, ValueError):
            raise PayloadError(f"{origin}: week {week} is not a Unix time") from None
        for offset, stars in enumerate(days):
            day = start + timedelta(days=offset)
            if day <= today:
                rows.append(Observation(NAME, repo, HISTORY_METRIC, day, 1, stars, origin))
    return rows


# --- database only ---------------------------------------------------------------------------------------


def save(conn: duckdb.DuckDBPyConnection, rows: list[Observation], run_id: int | None = None) -> int:
    return store.upsert_observations(conn, rows, run_id)


# --- joined ----------------------------------------------------------------------------------------------


def collect(ctx: Context) -> Outcome:
    """Snapshot every repository first (the exact daily series), then walk or refresh star histories."""
    outcome = Outcome()
    today = clock.today()
    repos = [p.github for p in ctx.projects]
    ctx.progress.add_total(len(repos) * 2)

    for repo in repos:
        if outcome.gave_up:
            break
        with ctx.progress.task(f"{repo} snapshot"):
            try:
                rows, created_on = parse_repo(fetch_repo(ctx.client, repo), repo, today)
                with store.connect(ctx.db) as conn:
                    outcome.rows_written += save(conn, rows, ctx.run_id)
                    origin = f"GET {DEFAULT_API_URL}/repos/{repo}"
                    store.record_event(conn, NAME, repo, "created", created_on, origin)
                outcome.succeeded()
            except SourceError as exc:
                outcome.fail(repo, exc)

    for repo in repos:
        if outcome.gave_up:
            break
        with ctx.progress.task(f"{repo} history"):
            try:
                if _update_history(ctx, repo, today, outcome):
                    outcome.succeeded()  # a history not due today is no success: alone, it cannot make a run partial
            except SourceError as exc:
                outcome.fail(f"{repo} star history", exc)
    return outcome


def _update_history(ctx: Context, repo: str, today: date, outcome: Outcome) -> bool:
    """Walk the whole history once (resumable), then re-read only the pages newer than the last refresh; whether
    any page was read."""
    with store.connect(ctx.db) as conn:
        complete = store.get_state(conn, NAME, repo, "history_complete") == "yes"
        next_page = int(store.get_state(conn, NAME, repo, "history_next_page") or 1)
        refreshed = store.get_state(conn, NAME, repo, "history_refreshed_on")
    if complete and refreshed and (today - date.fromisoformat(refreshed)).days < HISTORY_REFRESH_DAYS:
        return False
    # Pages shift by one week as time passes: resume one page early so no week is skipped.
    page = 1 if complete else max(1, next_page - 1)
    stop_before = date.fromisoformat(refreshed) - timedelta(days=7) if complete and refreshed else None
    first_page = page
    while True:
        remaining = quota_remaining(ctx.client)
        if remaining is not None and remaining <= QUOTA_RESERVE:
            ctx.progress.note(f"{repo} history paused at page {page}: GitHub quota left {remaining}")
            return page > first_page
        weeks, has_next = fetch_history_page(ctx.client, repo, page)
        if page == 1 and not weeks:
            raise PayloadError(f"{repo}: star history page 1 is empty; an existing repository always has weeks")
        rows = parse_history(weeks, repo, today)
        oldest = min((row.date for row in rows), default=None)
        with store.connect(ctx.db) as conn:
            outcome.rows_written += save(conn, rows, ctx.run_id)
            done = not has_next or (stop_before is not None and oldest is not None and oldest <= stop_before)
            if done:
                store.set_state(conn, NAME, repo, "history_complete", "yes")
                store.set_state(conn, NAME, repo, "history_refreshed_on", today.isoformat())
                store.set_state(conn, NAME, repo, "history_next_page", "1")
            else:
                store.set_state(conn, NAME, repo, "history_next_page", str(page + 1))
        if done:
            return True
        page += 1


# --- backfill from GH Archive ----------------------------------------------------------------------------


def fetch_gharchive_window(client: HttpClient, names: list[str], first: date, end: date) -> clickhouse.Answer:
    base = base_url(GHARCHIVE_URL_ENV, DEFAULT_GHARCHIVE_URL)
    array = "[" + ",".join("'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'" for name in names) + "]"
    params = {"names": array, "d0": first.isoformat(), "d1": end.isoformat()}
    return clickhouse.query(client, base, GHARCHIVE_USER, "gharchive_daily_stars", params)


def parse_gharchive(
    answer: clickhouse.Answer, repo: str, names: list[str], first: date, end: date
) -> list[Observation]:
    """Star events per day of [first, end), once the answer's totals row proves the rows complete."""
    origin = f"GH Archive github_events WatchEvent on {DEFAULT_GHARCHIVE_URL}; names={','.join(names)}"
    where = f"GH Archive {repo} {first}..{end}"
    return [
        Observation(NAME, repo, GHARCHIVE_METRIC, day, 1, stars, origin)
        for day, stars in clickhouse.complete_days(answer, "day", "stars", first, end, where)
    ]


def backfill(ctx: Context) -> Outcome:
    """Gross stars given per day from GH Archive, from the repository's creation up to the cutoff."""
    outcome = Outcome()
    client = HttpClient(min_interval=clickhouse.QUERY_INTERVAL_SECONDS, max_attempts=3, budget=ctx.client.budget)
    try:
        for project in ctx.projects:
            if outcome.gave_up:
                break
            repo = project.github
            try:
                _backfill_repo(ctx, client, repo, [repo, *project.github_former_names], outcome)
                outcome.succeeded()
            except SourceError as exc:
                outcome.fail(f"{repo} GH Archive", exc)
    finally:
        ctx.client.requests_made += client.requests_made
    return outcome


def _backfill_repo(ctx: Context, client: HttpClient, repo: str, names: list[str], outcome: Outcome) -> None:
    with store.connect(ctx.db) as conn:
        through = store.get_state(conn, NAME, repo, "gharchive_through")
        created = conn.execute(
            "select date from subject_event where source = ? and subject = ? and event = 'created'", [NAME, repo]
        ).fetchone()
    if ctx.since:
        first = date.fromisoformat(ctx.since)
    elif through:
        first = date.fromisoformat(through)
    else:
        first = created[0].replace(day=1) if created else GHARCHIVE_START
    windows = clickhouse.date_windows(max(first, GHARCHIVE_START), GHARCHIVE_CUTOFF, WINDOW_DAYS)
    ctx.progress.add_total(len(windows))
    clickhouse.backfill_windows(
        ctx,
        outcome,
        windows,
        lambda start, end: parse_gharchive(fetch_gharchive_window(client, names, start, end), repo, names, start, end),
        (NAME, repo, GHARCHIVE_METRIC),
        "gharchive_through",
        f"GH Archive {repo}",
    )


SOURCE = Source(
    name=NAME,
    on_track=("collect",),  # what `ecotrends track` fetches of a new project
    title="GitHub",
    subjects=lambda project: [project.github] if project.github else [],
    series=(
        Series("stars", "stars", "GitHub stars (daily snapshots where collected, archived lists before)", "stars",
               judges=(Rung("github", "stars", 1, "daily star counts (stargazers_count as GitHub showed it: "
                            "collected snapshots and archived daily lists)"),)),
        Series("forks", "forks", "GitHub forks (daily snapshots where collected, archived lists before)", "forks"),
        Series("stars_retained", HISTORY_METRIC, "GitHub stars still there, by the day they were given", "stars",
               is_count=True, windows=(1, 1), chart=False),
        Series("stars_gharchive", GHARCHIVE_METRIC, "GitHub stars given per day in GH Archive (gross)", "stars",
               is_count=True, windows=(1, 1),
               judges=(Rung("github", "stars", 2, "stars given per day in GH Archive (gross: unstars are "
                            "invisible)"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("collect --source github", "backfill --source github"),
    base_urls={API_URL_ENV: DEFAULT_API_URL, GHARCHIVE_URL_ENV: DEFAULT_GHARCHIVE_URL},
    signal=Signal("stars", "GitHub stars", "stars", stale_after_days=7, order=1),
    page="github.py",
    icon="⭐",
)  # fmt: skip
