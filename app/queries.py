"""Every query the app runs, read-only and cached; pages draw, they do not query.

A collector in another process holds DuckDB's write lock only for short writes, so a read waits briefly
for it instead of failing. Cached functions take the database path so that a changed ECOTRENDS_DB is a
different cache entry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from collectors import store
from collectors.config import db_path

CACHE_SECONDS = 60
LOCK_WAIT_SECONDS = 15.0
CONSOLE_TIMEOUT_SECONDS = 5.0
CONSOLE_MAX_ROWS = 10_000


@dataclass(frozen=True)
class Series:
    """A chartable series of claim_series: one value per project and date."""

    key: str
    label: str
    source: str
    metric: str
    unit: str
    is_count: bool  # counts over a window (downloads, papers) vs levels (stars, interest)


DOWNLOADS = "downloads"
SERIES = (
    Series("stars", "GitHub stars (daily snapshots)", "github", "stars", "stars", False),
    Series("downloads", "PyPI downloads without mirrors (daily)", "pypi", "downloads_without_mirrors", DOWNLOADS,
           True),
    Series("downloads_mirrors", "PyPI downloads with mirrors (daily)", "pypi", "downloads_with_mirrors", DOWNLOADS,
           True),
    Series("downloads_clickpy", "PyPI downloads, ClickPy history (daily)", "pypi", "downloads_clickpy", DOWNLOADS,
           True),
    Series("downloads_snapshot", "PyPI downloads, imported top-PyPI snapshots (~30-day windows)", "pypi", "downloads",
           "downloads", True),
    Series("arxiv", "arXiv papers mentioning (monthly)", "arxiv", "papers_mentioning", "papers", True),
    Series("arxiv_share", "arXiv share of deep-learning papers (monthly)", "arxiv", "share_of_deep_learning", "share",
           False),
    Series("trends", "Google Trends interest", "trends", "interest", "interest", False),
    Series("papers", "Conference papers mentioning (imported, yearly)", "papers", "papers_mentioning", "papers", True),
)  # fmt: skip
SERIES_BY_KEY = {s.key: s for s in SERIES}


def database() -> Path:
    return db_path()


def read(sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one read-only query; an absent or uninitialised database reads as empty."""
    path = database()
    if not path.exists():
        return pd.DataFrame()
    with store.connect(path, read_only=True, wait_seconds=LOCK_WAIT_SECONDS) as conn:
        if not conn.execute("select count(*) from duckdb_views() where view_name = 'claim_checks'").fetchone()[0]:
            return pd.DataFrame()
        return conn.execute(sql, params or []).df()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Reading the database…")
def projects(db: str) -> pd.DataFrame:
    return read("select project_id, name, github_repo, trends_term, color from project order by project_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Reading the database…")
def holdings(db: str) -> pd.DataFrame:
    """One row per stored series: how many points, from when to when."""
    return read(
        """
        select source, subject, metric, window_days, count(*) as points, min(date) as first_date,
            max(date) as last_date, max(collected_at) as last_collected
        from observations
        group by all
        order by source, subject, metric, window_days
        """
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def freshness(db: str) -> pd.DataFrame:
    return read("select * from source_freshness order by source")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def recent_runs(db: str, limit: int = 200) -> pd.DataFrame:
    return read("select * from collection_runs order by run_id desc limit ?", [limit])


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Loading the series…")
def series(db: str, key: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    """Points of one series for the chosen projects, with a per-day rate for counts over windows."""
    spec = SERIES_BY_KEY[key]
    frame = read(
        """
        select subject as project_id, date, window_days, value, denominator, origin
        from claim_series
        where source = ? and metric = ? and list_contains(?::varchar[], subject)
        order by subject, date
        """,
        [spec.source, spec.metric, list(project_ids)],
    )
    if frame.empty:
        return frame
    if spec.key == "arxiv_share":
        frame["value"] = 100 * frame["value"] / frame["denominator"]
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def breaks(db: str, source: str, metric: str) -> pd.DataFrame:
    """Breaks that affect this source's metric (the table holds glob patterns)."""
    return read(
        "select date, metric, subject, title, reference from methodology_breaks "
        "where source = ? and ? glob metric order by date",
        [source, metric],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Computing the overview…")
def overview(db: str) -> pd.DataFrame:
    return read(
        """
        with stars as (
            select project_id, max_by(stars, date) as stars_now, max(date) as stars_date
            from github_stars_daily where project_id is not null and stars is not null group by project_id
        ),
        stars_points as (
            select g.project_id, s.stars_now, s.stars_date,
                (select g2.stars from github_stars_daily as g2
                 where g2.project_id = g.project_id and g2.date <= s.stars_date - 30 order by g2.date desc limit 1)
                    as stars_30d_ago,
                (select g2.stars from github_stars_daily as g2
                 where g2.project_id = g.project_id and g2.date <= s.stars_date - 365 order by g2.date desc limit 1)
                    as stars_year_ago
            from (select distinct project_id from github_stars_daily where project_id is not null) as g
            join stars as s using (project_id)
        ),
        downloads as (
            select project_id,
                sum(downloads_without_mirrors) filter (where date > newest - 30) as downloads_30d,
                sum(downloads_without_mirrors) filter (where date <= newest - 30 and date > newest - 60)
                    as downloads_prev_30d
            from (select *, max(date) over () as newest from pypi_project_downloads_daily
                  where downloads_without_mirrors is not null)
            group by project_id
        ),
        arxiv as (
            select project_id, sum(papers_mentioning) as mentions_12m,
                sum(papers_mentioning) / nullif(sum(sum(papers_mentioning)) over (), 0) as arxiv_share_12m
            from arxiv_mentions_monthly
            where month > (select max(month) from arxiv_mentions_monthly) - interval 12 month
            group by project_id
        ),
        trends as (
            select project_id, arg_max(interest, period_end) as interest_now, max(period_end) as interest_week
            from trends_interest where project_id is not null and resolution = 'week'
            group by project_id
        )
        select p.project_id, p.name, p.color,
            s.stars_now, s.stars_date, s.stars_now - s.stars_30d_ago as stars_gain_30d,
            s.stars_now - s.stars_year_ago as stars_gain_1y,
            d.downloads_30d, d.downloads_30d / nullif(d.downloads_prev_30d, 0) - 1 as downloads_growth,
            a.mentions_12m, a.arxiv_share_12m, t.interest_now, t.interest_week
        from project as p
        left join stars_points as s using (project_id)
        left join downloads as d using (project_id)
        left join arxiv as a using (project_id)
        left join trends as t using (project_id)
        order by p.project_id
        """
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def sparklines(db: str, days: int = 180) -> pd.DataFrame:
    """Daily star and download lists per project for the overview's sparklines."""
    return read(
        """
        select p.project_id,
            (select list(stars order by date) from github_stars_daily as g
             where g.project_id = p.project_id and g.date > current_date - ?) as stars_trend,
            (select list(downloads_without_mirrors order by date) from pypi_project_downloads_daily as d
             where d.project_id = p.project_id and d.date > current_date - ?) as downloads_trend
        from project as p order by p.project_id
        """,
        [days, days],
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Checking the claims…")
def claim_checks(db: str) -> pd.DataFrame:
    return read("select * from claim_checks order by article, claim_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def contradictions(db: str) -> pd.DataFrame:
    return read("select * from claim_contradictions order by claim_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def coverage(db: str) -> pd.DataFrame:
    """Per series: span, points, and the largest gap between consecutive points."""
    return read(
        """
        with points as (
            select source, subject, metric, window_days, date,
                date - lag(date) over (partition by source, subject, metric, window_days order by date) as gap
            from observations
        )
        select source, subject, metric, window_days, count(*) as points, min(date) as first_date,
            max(date) as last_date, coalesce(max(gap), 0) as largest_gap_days
        from points group by all order by source, subject, metric
        """
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def published_views(db: str) -> pd.DataFrame:
    return read(
        "select view_name, comment from duckdb_views() where not internal and comment is not null order by view_name"
    )


def view_rows(view: str) -> pd.DataFrame:
    """A whole published view for download; the name must be one of published_views()."""
    names = set(published_views(str(database()))["view_name"])
    if view not in names:
        raise ValueError(f"{view!r} is not a published view")
    return read(f'select * from "{view}"')


def console(sql: str) -> pd.DataFrame:
    """Run a user's query on a locked-down read-only connection with a time limit.

    External access is off (no files, no network, no extension installs or loads) and the configuration is
    locked so the query cannot turn it back on; the connection is read-only, so nothing can be written.
    """
    path = database()
    if not path.exists():
        raise ValueError("there is no database yet")
    with store.connect(path, read_only=True, wait_seconds=LOCK_WAIT_SECONDS) as conn:
        conn.execute("set enable_external_access = false")
        conn.execute("set autoload_known_extensions = false")
        conn.execute("set autoinstall_known_extensions = false")
        conn.execute("set lock_configuration = true")
        timer = threading.Timer(CONSOLE_TIMEOUT_SECONDS, conn.interrupt)
        timer.start()
        try:
            result = conn.execute(sql)
            rows = result.fetchmany(CONSOLE_MAX_ROWS)
            columns = [d[0] for d in result.description or []]
        except duckdb.InterruptException:
            raise TimeoutError(f"stopped after {CONSOLE_TIMEOUT_SECONDS:.0f} s") from None
        finally:
            timer.cancel()
    return pd.DataFrame(rows, columns=columns)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def star_history(db: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    frame = read(
        "select project_id, date, retained_stars_cumulative as value, 0 as window_days, "
        "'GET /repos/{owner}/{repo}/stargazers/history' as origin from github_star_history "
        "where list_contains(?::varchar[], project_id) order by project_id, date",
        [list(project_ids)],
    )
    return _dated(frame)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def star_events(db: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    frame = read(
        "select project_id, date, star_events as value, 1 as window_days, origin from github_star_events_daily "
        "where list_contains(?::varchar[], project_id) order by project_id, date",
        [list(project_ids)],
    )
    return _dated(frame)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def arxiv_denominator(db: str) -> pd.DataFrame:
    return read(
        "select date_trunc('month', date)::date as month, value as papers_total from observations "
        "where source = 'arxiv' and metric = 'papers_total' order by month"
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def trends_requests(db: str) -> pd.DataFrame:
    return read(
        "select timeframe, resolution, batch, max(collected_at) as collected, count(*) as points "
        "from trends_interest group by all order by collected desc"
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def trends_series(db: str, timeframe: str, resolution: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    frame = read(
        "select project_id, period_start as date, interest as value, 0 as window_days, origin from trends_interest "
        "where timeframe = ? and resolution = ? and list_contains(?::varchar[], project_id) order by project_id, date",
        [timeframe, resolution, list(project_ids)],
    )
    return _dated(frame)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    if not frame.empty:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame
