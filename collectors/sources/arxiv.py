"""arXiv: papers per calendar month whose metadata mentions each project, and the deep-learning total.

Counts come from opensearch:totalResults with max_results=0, one request every 3 seconds on a single
connection (arXiv's terms of use). Complete months are fetched once; the current month on every run and
the previous month until it has been read after it settled.
"""

from __future__ import annotations

import calendar
import logging
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import duckdb

from collectors import clock, store
from collectors.errors import PayloadError, SourceError
from collectors.http import HttpClient, base_url
from collectors.source import Context, Outcome, ProjectField, Rung, Series, Signal, Source
from collectors.store import Observation

log = logging.getLogger(__name__)

NAME = "arxiv"
# The phrase searched in titles and abstracts; a project added by `track` is searched under its name.
PHRASE_FIELD = ProjectField("arxiv_phrase", r"\S(.*\S)?", "a phrase", required=True, from_name=True)
API_URL_ENV = "ECOTRENDS_ARXIV_URL"
DEFAULT_API_URL = "https://export.arxiv.org"
QUERY_PATH = "/api/query"
REQUEST_INTERVAL_SECONDS = 3.0
# The deep-learning categories: the denominator, and the scope of every mention count.
DEEP_LEARNING_CATEGORIES = ("cs.LG", "cs.CV", "cs.CL", "cs.AI", "cs.NE", "stat.ML")
DENOMINATOR_SUBJECT = "deep-learning"
FIRST_RUN_MONTHS = 12  # `collect` looks back a year; `backfill` goes back to 2015
BACKFILL_START = date(2015, 1, 1)
SETTLED_AFTER_DAY = 3  # the previous month is final once read on or after this day of the next month
ZERO_RETRIES = 2
ZERO_RETRY_PAUSE_SECONDS = 10.0
IMPLAUSIBLE_ZERO_MEAN = 10  # papers a month: below this, an empty month can be real

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def make_client() -> HttpClient:
    return HttpClient(min_interval=REQUEST_INTERVAL_SECONDS, headers={"Accept": "application/atom+xml"})


# --- queries and parsing (pure) --------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def category_clause() -> str:
    return "(" + " OR ".join(f"cat:{category}" for category in DEEP_LEARNING_CATEGORIES) + ")"


def search_query(phrase: str | None, month: date) -> str:
    """The arXiv query for one month: the phrase (or none, for the denominator) in the DL categories."""
    first, last = month_bounds(month)
    window = f"submittedDate:[{first:%Y%m%d}0000 TO {last:%Y%m%d}2359]"
    parts = [f'all:"{phrase}"'] if phrase else []
    return " AND ".join([*parts, category_clause(), window])


def parse_total(xml_text: str) -> int:
    """opensearch:totalResults of a feed; an error feed (HTTP 200 with an Error entry) raises PayloadError."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise PayloadError(f"arXiv answer is not XML: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise PayloadError(f"arXiv answer is not an Atom feed (root {root.tag!r})")
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id", "")
        if "api/errors" in entry_id or entry.findtext(f"{ATOM}title", "").strip() == "Error":
            message = " ".join(entry.findtext(f"{ATOM}summary", "").split())
            raise PayloadError(f"arXiv error feed: {message or entry_id}")
    total = root.findtext(f"{OPENSEARCH}totalResults")
    if total is None or not total.strip().isdigit():
        raise PayloadError(f"arXiv feed has no numeric opensearch:totalResults ({total!r})")
    return int(total.strip())


# --- network only -------------------------------------------------------------------------------------


def fetch_total(client: HttpClient, query: str) -> int:
    response = client.get(
        base_url(API_URL_ENV, DEFAULT_API_URL) + QUERY_PATH,
        params=[("search_query", query), ("start", "0"), ("max_results", "0")],
    )
    return parse_total(response.text)


# --- planning and database ---------------------------------------------------------------------------


def months_to_fetch(conn: duckdb.DuckDBPyConnection, subject: str, metric: str, start: date, today: date) -> list[date]:
    """Months missing from the store, the current month, and the previous month until it has settled."""
    stored = {
        row[0]: row[1]
        for row in conn.execute(
            "select date, collected_at from observation where source = ? and subject = ? and metric = ?",
            [NAME, subject, metric],
        ).fetchall()
    }
    current = today.replace(day=1)
    previous = (current - timedelta(days=1)).replace(day=1)
    wanted = []
    for month in clock.months_between(start, current):
        _, last = month_bounds(month)
        collected = stored.get(last)
        if (
            collected is None
            or month == current
            or (month == previous and collected.date() < current.replace(day=SETTLED_AFTER_DAY))
        ):
            wanted.append(month)
    return wanted


def observation_for(subject: str, metric: str, month: date, value: int, query: str) -> Observation:
    first, last = month_bounds(month)
    origin = f"GET {DEFAULT_API_URL}{QUERY_PATH}?search_query={query}&max_results=0 (opensearch:totalResults)"
    return Observation(NAME, subject, metric, last, (last - first).days + 1, value, origin)


def save(conn: duckdb.DuckDBPyConnection, rows: list[Observation], run_id: int | None = None) -> int:
    return store.upsert_observations(conn, rows, run_id)


# --- joined ----------------------------------------------------------------------------------------------


def collect(ctx: Context) -> Outcome:
    today = clock.today()
    start = clock.add_months(today.replace(day=1), -(FIRST_RUN_MONTHS - 1))
    return _collect_since(ctx, start, today)


def backfill(ctx: Context) -> Outcome:
    """Every month since --since (default 2015-01) at the polite rate; months already stored are skipped,
    so an interrupted backfill continues where it stopped."""
    since = date.fromisoformat(ctx.since) if ctx.since else BACKFILL_START
    return _collect_since(ctx, since.replace(day=1), clock.today())


def _collect_since(ctx: Context, start: date, today: date) -> Outcome:
    outcome = Outcome()
    series = [(DENOMINATOR_SUBJECT, "papers_total", None)] + [
        (project.id, "papers_mentioning", project.name_under(PHRASE_FIELD.key)) for project in ctx.projects
    ]
    with store.connect(ctx.db) as conn:
        plan = [(s, m, phrase, months_to_fetch(conn, s, m, start, today)) for s, m, phrase in series]
    ctx.progress.add_total(sum(len(months) for *_, months in plan))
    for subject, metric, phrase, months in plan:
        for month in months:
            if outcome.gave_up:
                return outcome
            query = search_query(phrase, month)
            with ctx.progress.task(f"{subject} {month:%Y-%m}"):
                try:
                    value = _believable_total(ctx, subject, metric, month, query)
                    with store.connect(ctx.db) as conn:
                        observation = observation_for(subject, metric, month, value, query)
                        outcome.rows_written += save(conn, [observation], ctx.run_id)
                    outcome.succeeded()
                except SourceError as exc:
                    outcome.fail(f"{subject} {month:%Y-%m}", exc)
    return outcome


def _believable_total(ctx: Context, subject: str, metric: str, month: date, query: str) -> int:
    """A zero where counts were stored (the same month, or >= 10 a month before) is suspect: it is asked
    again after a pause and refused if it persists. Other zeros are real (a phrase before its framework
    existed, a small series) and are believed at once, which keeps backfills of early years cheap."""
    value = fetch_total(ctx.client, query)
    if value:
        return value
    _, last = month_bounds(month)
    with store.connect(ctx.db) as conn:
        same_month, recent_mean = conn.execute(
            """
            select max(value) filter (where date = ?), avg(value) filter (where date < ?)
            from observation
            where source = ? and subject = ? and metric = ? and date between ? and ?
            """,
            [last, month, NAME, subject, metric, clock.add_months(month, -3), last],
        ).fetchone()
    if (same_month or 0) <= 0 and (recent_mean or 0) < IMPLAUSIBLE_ZERO_MEAN:
        return 0
    for _ in range(ZERO_RETRIES):
        ctx.client.sleep(ZERO_RETRY_PAUSE_SECONDS)
        value = fetch_total(ctx.client, query)
        if value:
            return value
    raise PayloadError(
        f"arXiv returned 0 papers {ZERO_RETRIES + 1} times where {int(same_month or recent_mean)} were counted "
        "before; treated as a transient outage, stored data kept"
    )


SOURCE = Source(
    name=NAME,
    title="arXiv",
    subjects=lambda project: [project.id] if project.names(PHRASE_FIELD.key) else [],
    project_fields=(PHRASE_FIELD,),
    series=(
        Series("arxiv", "papers_mentioning", "arXiv papers mentioning (monthly)", "papers", is_count=True,
               per_days=30, windows=(28, 31),
               judges=(Rung(NAME, "papers_mentioning", 1, "arXiv papers whose metadata names the framework "
                            "(deep-learning categories, monthly)"),)),
        Series("arxiv_share", "share_of_deep_learning", "arXiv share of deep-learning papers (monthly)",
               "% of deep-learning papers", windows=(28, 31),
               share_of="papers_mentioning", denominator_metric="papers_total", denominator_subject=DENOMINATOR_SUBJECT,
               judges=(Rung(NAME, "share_of_deep_learning", 1, "share of arXiv deep-learning papers whose metadata "
                            "names the framework (monthly)"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("backfill --source arxiv",),
    base_urls={API_URL_ENV: DEFAULT_API_URL},
    signal=Signal("research", "Research mentions", "papers_mentioning", stale_after_days=400, order=3),
    page="arxiv.py",
    icon="📄",
)  # fmt: skip
