"""Stack Overflow: questions asked per calendar month under each project's tag, and the tag's running total.

The Stack Exchange API 2.3 counts without listing: `/questions` with `filter=total` and a date range answers
`{"total": N}` in one request. The quota is per day and per IP (300 requests, 10,000 with STACKEXCHANGE_KEY),
so every request is counted against the `quota_remaining` the API last reported and the run stops before the
quota runs dry; the months it could not ask wait for the next run. A `backoff` in an answer is obeyed before the
next request, and errors come as JSON (`error_id`, `error_name`, `error_message`), usually with HTTP 400.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime

import duckdb

from collectors import clock, config, store
from collectors.errors import AuthError, PayloadError, RateLimitedError, SourceError, TransientError
from collectors.http import HttpClient, base_url, json_object
from collectors.source import Context, Outcome, ProjectField, Rung, Series, Signal, Source
from collectors.store import Observation

log = logging.getLogger(__name__)

NAME = "stackoverflow"
API_URL_ENV = "ECOTRENDS_STACKEXCHANGE_URL"
DEFAULT_API_URL = "https://api.stackexchange.com"
KEY_ENV = "STACKEXCHANGE_KEY"
SITE = "stackoverflow"
REQUEST_INTERVAL_SECONDS = 0.2  # the API asks for at most 30 requests a second; we stay far below
QUOTA_RESERVE = 10  # requests left unused, for the user's own calls the same day
FIRST_RUN_MONTHS = 12  # `collect` looks back a year; `backfill` goes back to the tag's first question
MAX_TAGS_PER_REQUEST = 100  # /tags/{tags}/info takes up to 100 tags separated by ';'
RETRY_ERRORS = frozenset({"internal_error", "temporarily_unavailable"})
KEY_ERRORS = frozenset({"access_token_required", "invalid_access_token", "access_denied", "key_required"})
# One tag per project: a question carrying two tags of the same project would count twice.
TAG_FIELD = ProjectField("stackoverflow_tag", r"[a-z0-9#+.][a-z0-9#+.-]*", "a Stack Overflow tag (lower case)")
_SECONDS = re.compile(r"(\d+) seconds")


def make_client() -> HttpClient:
    # 400 is how the API says "error": its JSON body names the error, which _payload turns into a named error.
    return HttpClient(min_interval=REQUEST_INTERVAL_SECONDS, headers={"Accept-Encoding": "gzip"})


# --- queries and parsing (pure) --------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[int, int]:
    """The month as the API's fromdate and todate: Unix seconds of its first and of its last second (UTC)."""
    first = datetime(month.year, month.month, 1, tzinfo=UTC)
    days = clock.month_end(month).day
    return int(first.timestamp()), int(first.timestamp()) + days * 86_400 - 1


def api_error(payload: dict) -> SourceError | None:
    """The named error an error answer stands for, or None when the answer is not an error."""
    if "error_id" not in payload:
        return None
    name = str(payload.get("error_name", ""))
    message = f"Stack Exchange {name} (error {payload['error_id']}): {payload.get('error_message', '')}"
    if name == "throttle_violation":
        wait = _SECONDS.search(str(payload.get("error_message", "")))
        hours = f"; the API allows more in {int(wait.group(1)) / 3600:.1f} h" if wait else ""
        return RateLimitedError(f"{message}{hours}; stored data left as it was, the next run continues")
    if name in KEY_ERRORS:
        return AuthError(f"{message}; check {KEY_ENV}")
    if name in RETRY_ERRORS:
        return TransientError(message)
    return SourceError(message)


def parse_total(payload: dict) -> int:
    total = payload.get("total")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise PayloadError(f"Stack Exchange answer has no count in 'total' ({str(payload)[:120]!r})")
    return total


def parse_tag_counts(payload: dict) -> dict[str, int]:
    items = payload.get("items")
    if not isinstance(items, list):
        raise PayloadError(f"Stack Exchange tag answer has no 'items' list ({str(payload)[:120]!r})")
    counts: dict[str, int] = {}
    for item in items:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("count"), int)
        ):
            raise PayloadError(f"Stack Exchange tag item without name and count: {str(item)[:120]!r}")
        counts[item["name"]] = item["count"]
    return counts


def parse_first_question(payload: dict) -> date | None:
    """The creation day of the oldest question under a tag (None: the tag has no question)."""
    items = payload.get("items")
    if not isinstance(items, list):
        raise PayloadError(f"Stack Exchange question answer has no 'items' list ({str(payload)[:120]!r})")
    if not items:
        return None
    created = items[0].get("creation_date") if isinstance(items[0], dict) else None
    if not isinstance(created, int):
        raise PayloadError(f"Stack Exchange question without a creation_date: {str(items[0])[:120]!r}")
    return datetime.fromtimestamp(created, UTC).date()


# --- network only -------------------------------------------------------------------------------------


class Api:
    """The Stack Exchange API for one run: one client, the day's quota as last reported, backoff obeyed."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.quota_remaining: int | None = None
        self.backoff_seconds = 0

    def get(self, path: str, params: list[tuple[str, str]]) -> dict:
        if self.backoff_seconds:
            log.info("Stack Exchange asked to back off %d s", self.backoff_seconds)
            self.client.hold(self.backoff_seconds, "Stack Exchange's backoff")
            self.backoff_seconds = 0
        key = config.secret(KEY_ENV)
        params = [*params, ("site", SITE), *([("key", key)] if key else [])]
        response = self.client.get(f"{base_url(API_URL_ENV, DEFAULT_API_URL)}/2.3{path}", params=params,
                                   allow_statuses=frozenset({400, 401, 403, 404}))  # fmt: skip
        payload = json_object(response, f"Stack Exchange {path}")
        if self.quota_remaining is not None:
            self.quota_remaining -= 1
        if isinstance(payload.get("quota_remaining"), int):
            self.quota_remaining = payload["quota_remaining"]
        if isinstance(payload.get("backoff"), int):
            self.backoff_seconds = payload["backoff"]
        error = api_error(payload)
        if error is not None:
            raise error
        if not response.ok:
            raise SourceError(f"GET {path}: HTTP {response.status_code} without a Stack Exchange error body")
        return payload

    @property
    def quota_left(self) -> bool:
        return self.quota_remaining is None or self.quota_remaining > QUOTA_RESERVE

    def tag_counts(self, tags: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for start in range(0, len(tags), MAX_TAGS_PER_REQUEST):
            batch = tags[start : start + MAX_TAGS_PER_REQUEST]
            counts |= parse_tag_counts(self.get(f"/tags/{';'.join(batch)}/info", [("pagesize", "100")]))
        return counts

    def first_question(self, tag: str) -> date | None:
        params = [("pagesize", "1"), ("order", "asc"), ("sort", "creation"), ("tagged", tag)]
        return parse_first_question(self.get("/questions", params))

    def questions_in(self, tag: str, month: date) -> int:
        first, last = month_bounds(month)
        params = [("fromdate", str(first)), ("todate", str(last)), ("tagged", tag), ("filter", "total")]
        return parse_total(self.get("/questions", params))


# --- planning and database ---------------------------------------------------------------------------


def missing_months(conn: duckdb.DuckDBPyConnection, tag: str, first: date, last: date) -> list[date]:
    """Complete months from `first` to `last` not stored yet: a stored month is not asked again."""
    stored = {
        row[0]
        for row in conn.execute(
            "select date from observation where source = ? and subject = ? and metric = 'questions'", [NAME, tag]
        ).fetchall()
    }
    return [month for month in clock.months_between(first, last) if clock.month_end(month) not in stored]


def questions_observation(tag: str, month: date, value: int) -> Observation:
    first, last = month_bounds(month)
    origin = (
        f"GET {DEFAULT_API_URL}/2.3/questions?fromdate={first}&todate={last}&tagged={tag}&site={SITE}"
        "&filter=total (total)"
    )
    return Observation(NAME, tag, "questions", clock.month_end(month), clock.month_end(month).day,
                       value, origin)  # fmt: skip


def total_observation(tag: str, day: date, value: int, tags: list[str]) -> Observation:
    origin = f"GET {DEFAULT_API_URL}/2.3/tags/{';'.join(tags)}/info?site={SITE} (items[].count)"
    return Observation(NAME, tag, "questions_total", day, 0, value, origin)


# --- joined ----------------------------------------------------------------------------------------------


def tags_of(ctx: Context) -> list[str]:
    return [tag for project in ctx.projects for tag in project.names(TAG_FIELD.key)]


def collect(ctx: Context) -> Outcome:
    """Each tag's running total today, and the complete months of the last year that are not stored yet."""
    return _collect(ctx, lambda api, tag: clock.add_months(clock.last_complete_month(), -(FIRST_RUN_MONTHS - 1)))


def backfill(ctx: Context) -> Outcome:
    """Every month since the tag's first question (or --since); a backfill the quota cuts short continues
    where it stopped on the next run, since stored months are not asked again."""
    if ctx.since:
        since = date.fromisoformat(ctx.since).replace(day=1)
        return _collect(ctx, lambda api, tag: since)
    return _collect(ctx, lambda api, tag: api.first_question(tag))


def _collect(ctx: Context, start_of) -> Outcome:
    outcome = Outcome()
    api = Api(ctx.client)
    tags = tags_of(ctx)
    if not tags:
        ctx.progress.note("no project has a stackoverflow_tag in data/projects.toml")
        return outcome
    today = clock.today()
    last_complete = clock.last_complete_month()
    with ctx.progress.task(f"running totals of {len(tags)} tags"):
        try:
            counts = api.tag_counts(tags)
            rows = [total_observation(tag, today, counts[tag], tags) for tag in tags if tag in counts]
            for tag in sorted(set(tags) - set(counts)):
                outcome.fail(tag, PayloadError(f"Stack Overflow has no tag {tag!r}; check data/projects.toml"))
            with store.connect(ctx.db) as conn:
                outcome.rows_written += store.upsert_observations(conn, rows, ctx.run_id)
            outcome.succeeded()
        except SourceError as exc:  # the first request failing says the API is not answering: ask no more
            outcome.fail("tags", exc)
            return outcome
    for tag in tags:
        if outcome.gave_up:
            break
        try:
            start = start_of(api, tag)
        except SourceError as exc:
            outcome.fail(f"{tag} first question", exc)
            continue
        if start is None:
            continue
        with store.connect(ctx.db) as conn:
            months = missing_months(conn, tag, start, last_complete)
        ctx.progress.add_total(len(months))
        rows: list[Observation] = []
        try:
            for month in months:
                if not api.quota_left:
                    outcome.errors.append(
                        f"daily quota nearly spent ({api.quota_remaining} requests left); the months from {tag} "
                        f"{month:%Y-%m} on wait for the next run"
                    )
                    return outcome
                with ctx.progress.task(f"{tag} {month:%Y-%m}"):
                    try:
                        rows.append(questions_observation(tag, month, api.questions_in(tag, month)))
                        outcome.succeeded()
                    except SourceError as exc:
                        outcome.fail(f"{tag} {month:%Y-%m}", exc)
                        if isinstance(exc, RateLimitedError):
                            return outcome
                        if outcome.gave_up:
                            break
        finally:  # the months read so far are kept, however the loop ends
            if rows:
                with store.connect(ctx.db) as conn:
                    outcome.rows_written += store.upsert_observations(conn, rows, ctx.run_id)
    return outcome


SOURCE = Source(
    name=NAME,
    on_track=("backfill",),  # what `ecotrends track` fetches of a new project
    title="Stack Overflow",
    subjects=lambda project: list(project.names(TAG_FIELD.key)),
    series=(
        Series("so_questions", "questions", "Stack Overflow questions under the tag (monthly)", "questions",
               is_count=True, per_days=30, windows=(28, 31),
               judges=(Rung(NAME, "questions", 1, "Stack Overflow questions asked per month under the tag "
                            "(still open or closed, not deleted)"),)),
        Series("so_questions_total", "questions_total", "Stack Overflow questions under the tag, all time",
               "questions",
               judges=(Rung(NAME, "questions_total", 1, "questions under the tag on Stack Overflow, all time "
                            "(the tag's count)"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("collect --source stackoverflow", "backfill --source stackoverflow"),
    base_urls={API_URL_ENV: DEFAULT_API_URL},
    signal=Signal("questions", "Stack Overflow questions", "questions", stale_after_days=75, order=5),
    project_fields=(TAG_FIELD,),
)  # fmt: skip
