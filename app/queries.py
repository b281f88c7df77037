"""Every query the app runs, read-only and cached; pages draw, they do not query.

Each takes the store it reads (`db`, as the page names it), which is also what its cache entry is keyed on;
app/reader.py holds the connection they share.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.reader import read, run
from collectors import catalogue, claims, clock, inputs, schema, store
from collectors.sharing import series as shared
from collectors.sharing.series import SERIES, SERIES_BY_KEY  # noqa: F401 (the pages' names for them)

CACHE_SECONDS = 60


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def built_by_older_sql(db: str) -> bool:
    """Whether the summaries were built by other SQL than this checkout's (an upgrade not yet applied)."""
    frame = read(
        db,
        "select value from collector_state where source = ? and subject = ? and key = ?", list(schema.SCHEMA_DIGEST_KEY)
    )
    return not frame.empty and frame["value"].iloc[0] != schema.schema_digest()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Reading the database…")
def projects(db: str) -> pd.DataFrame:
    return read(
        db,
        "select project_id, name, github_repo, trends_term, color, true as collected from project order by project_id",
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def chosen_projects(db: str, ids: tuple[str, ...]) -> pd.DataFrame:
    """The catalogue projects among `ids` (a link or a search chose them), as projects() gives the curated ones."""
    if not ids:
        return pd.DataFrame(columns=["project_id", "name", "github_repo", "trends_term", "color", "collected"])
    return read(
        db,
        "select project_id, name, github_repo, null as trends_term, null as color, "
        "starts_with(basis, 'tracked') as collected from project_directory "
        f"where not curated and project_id in ({', '.join('?' for _ in ids)}) order by project_id",
        list(ids),
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def find_projects(db: str, text: str) -> pd.DataFrame:
    """Any known project by name, owner/repo or PyPI name (sql/find_projects.sql), best match first."""
    if not text.strip():
        return pd.DataFrame()
    return run(db, lambda conn: catalogue.search(conn, text))


def named_projects(db: str) -> list:
    """Every catalogue and tracked project by its names, for the claim extractor (Check an article)."""
    found: list = []
    run(db, lambda conn: found.extend(catalogue.named_projects(conn)) or pd.DataFrame())
    return found


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def catalogue_size(db: str) -> int:
    """How many catalogue projects are one search away (beyond the curated ones)."""
    frame = read(db, "select count(*) as n from project_directory where not curated")
    return int(frame["n"].iloc[0]) if not frame.empty else 0


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Reading the database…")
def holdings(db: str) -> pd.DataFrame:
    """One row per stored series: how many points, from when to when (from the summary table)."""
    return read(
        db,
        "select source, subject, metric, window_days, points, first_date, last_date, last_collected "
        "from series_summary order by source, subject, metric, window_days"
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def freshness(db: str) -> pd.DataFrame:
    """Per source: its runs (the source_runs view) beside its stored counts (the summary table, not a full
    scan of observation), with the age of the last collection by the app's clock."""
    frame = read(
        db,
        """
        with stored as (
            select source, sum(points) as observations, max(last_date) as newest_date
            from series_summary
            group by source
        )
        select coalesce(r.source, s.source) as source, r.* exclude (source),
            coalesce(s.observations, 0) as observations, s.newest_date
        from source_runs as r
        full outer join stored as s on s.source = r.source
        order by 1
        """
    )
    if not frame.empty:
        age = pd.Timestamp(clock.utc_now()) - pd.to_datetime(frame["last_success"])
        frame["hours_since_success"] = (age.dt.total_seconds() // 3600).astype("Int64")
    return frame


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def recent_runs(db: str, limit: int = 200) -> pd.DataFrame:
    return read(db, "select * from collection_runs order by run_id desc limit ?", [limit])


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def subjects(db: str) -> pd.DataFrame:
    """Which stored subject belongs to which project, per source (project_subject)."""
    return read(db, shared.sql("subjects"))


def observations_of(db: str, source: str, metric: str | tuple[str, ...], project_ids: tuple[str, ...]) -> pd.DataFrame:
    """Raw points of one metric for the chosen projects (collectors/sharing/series.py reads them)."""
    metrics = (metric,) if isinstance(metric, str) else metric
    return shared.observations(reads(db), subjects(db), source, metrics, project_ids)


def reads(db: str) -> shared.Read:
    """The shared code's way to read this store (collectors/sharing: series, reports)."""
    return lambda sql, params: read(db, sql, params)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Loading the series…")
def series(db: str, key: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    """Points of one series for the chosen projects (summed over a project's packages for PyPI)."""
    return series_group(db, (key,), project_ids)[key]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Loading the series…")
def series_group(db: str, keys: tuple[str, ...], project_ids: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Several series of one source in a single scan (the PyPI page shows four)."""
    specs = [SERIES_BY_KEY[key] for key in keys]
    if len({spec.source for spec in specs}) != 1:
        raise ValueError("series_group reads the series of one source")
    metric_of = {spec.key: spec.share_of or spec.metric for spec in specs}
    raw = observations_of(db, specs[0].source, tuple(sorted(set(metric_of.values()))), project_ids)
    result = {}
    for spec in specs:
        frame = raw[raw["metric"] == metric_of[spec.key]] if not raw.empty else raw
        result[spec.key] = shared.per_project(reads(db), spec, frame)
    return result


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def shipped_until(db: str, source: str) -> object:
    """The newest day of a source's history when it is only the shipped one (a chart image's footnote says so)."""
    from collectors.sharing.compare import shipped_until as shipped

    return shipped(reads(db), source)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def breaks(db: str, source: str, metric: str) -> pd.DataFrame:
    """Breaks that affect this source's metric (the table holds glob patterns)."""
    return read(db, shared.sql("breaks"), {"source": source, "metric": metric})


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Computing the overview…")
def signals(db: str) -> pd.DataFrame:
    """Per project and signal: the latest figures and a year of values (summary table, rebuilt after each run)."""
    return read(db, "select * from project_signals order by signal, project_id")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def latest_stars(db: str) -> pd.DataFrame:
    """Each project's latest star count, most-starred first: what the pages' default choice of projects ranks by
    (without the year of values per project that signals() carries: 40 ms on 2,000 projects)."""
    return read(
        db, "select project_id, latest from project_signals where signal = 'stars' order by latest desc nulls last"
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def headlines(db: str) -> pd.DataFrame:
    """Per signal: who leads on its newest day, since when, and who follows (summary table)."""
    return read(db, "select * from signal_headlines order by signal")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Checking the claims…")
def claim_checks(db: str) -> pd.DataFrame:
    return read(db, "select * from claim_checks_snapshot order by ordinal")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Judging the claims on the stored data…")
def judge_register(db: str, register: str) -> pd.DataFrame:
    """claim_checks rows for the claims of a register's text that is not stored (an article being checked); the
    register is validated as data/claims.toml is, and nothing is written to the database."""
    articles, candidates = claims.parse_register(register, "the claims on this page")
    return run(db, lambda conn: inputs.judge_unregistered(conn, articles, candidates))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Loading the evidence…")
def claim_evidence(db: str, claim_id: str) -> pd.DataFrame:
    """The points a claim was judged on (its chosen rung), with the period around it, for its chart."""
    return _dated(read(db, shared.sql("claim_evidence"), {"claim_ids": [claim_id]}))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def milestones(db: str) -> pd.DataFrame:
    """Every project's dated milestones: repository creation, first public release, first PyPI upload."""
    return _dated(read(db, shared.sql("milestones")))


def contradictions(db: str) -> pd.DataFrame:
    """Pairs of claims that contradict each other, from the claim checks already read."""
    checks = claim_checks(db)
    if checks.empty:
        return checks
    by_id = checks.set_index("claim_id")
    pairs = []
    for row in checks.itertuples():
        for other in row.contradicts if row.contradicts is not None else []:
            if other in by_id.index and row.claim_id < other:
                pairs.append({
                    "claim_id": row.claim_id, "other_claim_id": other, "article": row.article,
                    "other_article": by_id.at[other, "article"], "statement": row.statement,
                    "other_statement": by_id.at[other, "statement"], "verdict": row.verdict,
                    "other_verdict": by_id.at[other, "verdict"],
                })  # fmt: skip
    return pd.DataFrame(pairs)


# How the Data page's coverage table can be ordered: the name sql/series_page.sql knows it by, and the label shown.
SERIES_ORDERINGS = {"name": "source, subject, metric", "largest gap": "largest gap first",
                    "stalest": "oldest last day first", "most points": "most points first"}  # fmt: skip
SERIES_PAGE_ROWS = 50  # a page the eye can scan; the total is shown beside it


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def series_per_source(db: str) -> pd.DataFrame:
    """Per source: its series and points and the days they span (sql/series_per_source.sql)."""
    return read(db, _sql("series_per_source.sql"))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def series_page(
    db: str, source: str, project: str, text: str, ordering: str, page: int, rows: int = SERIES_PAGE_ROWS
) -> tuple[pd.DataFrame, int]:
    """One page (numbered from 1) of the series that match the filters ('' for any), and how many match: the
    paging is done in SQL (sql/series_page.sql), so only the page's rows reach pandas however many are stored."""
    if ordering not in SERIES_ORDERINGS:
        raise ValueError(f"{ordering!r} is not an ordering of the series (one of {', '.join(SERIES_ORDERINGS)})")
    params = {"source": source, "project": project.strip(), "text": text.strip(), "ordering": ordering,
              "limit": rows, "offset": (max(page, 1) - 1) * rows}  # fmt: skip
    frame = read(db, _sql("series_page.sql"), params)
    total = int(frame["total"].iloc[0]) if not frame.empty else 0
    return frame[frame["source"].notna()].drop(columns="total").reset_index(drop=True), total


def _sql(name: str) -> str:
    return (store.SQL_DIR / name).read_text(encoding="utf-8")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def published_views(db: str) -> pd.DataFrame:
    return read(
        db,
        "select view_name, comment from duckdb_views() where database_name = current_database() and not internal "
        "and comment is not null order by view_name"
    )


def view_rows(db: str, view: str) -> pd.DataFrame:
    """A whole published view for download; the name must be one of published_views()."""
    names = set(published_views(db)["view_name"])
    if view not in names:
        raise ValueError(f"{view!r} is not a published view")
    return read(db, f'select * from "{view}"')


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def star_history(db: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    """Running total of retained stars by the day they were given: the github_star_history view, filtered on
    the repositories (its partition key, so DuckDB reads only their rows)."""
    mapping = subjects(db)
    repos = list(mapping[(mapping["source"] == "github") & mapping["project_id"].isin(project_ids)]["subject"])
    if not repos:
        return pd.DataFrame()
    return _dated(
        read(
            db,
            "select project_id, date, retained_stars_cumulative as value, 0 as window_days, origin "
            f"from github_star_history where repo in ({', '.join('?' for _ in repos)}) order by project_id, date",
            repos,
        )
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def star_events(db: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    return _dated(observations_of(db, "github", "stars_given_gharchive", project_ids))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def launch_dates(db: str) -> dict[str, object]:
    """Each project's launch: the creation of its GitHub repository (collected, or shipped in the seed)."""
    frame = read(db, shared.sql("launches"))
    return dict(zip(frame["project_id"], frame["date"], strict=True)) if not frame.empty else {}


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def arxiv_denominator(db: str) -> pd.DataFrame:
    return read(
        db,
        "select date_trunc('month', date)::date as month, value as papers_total from observations "
        "where source = 'arxiv' and metric = 'papers_total' order by month"
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def trends_requests(db: str) -> pd.DataFrame:
    return read(db, "select * from trends_requests order by collected desc")


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def trends_series(db: str, timeframe: str, resolution: str, project_ids: tuple[str, ...]) -> pd.DataFrame:
    frame = read(
        db,
        "select project_id, period_start as date, interest as value, 0 as window_days, origin from trends_interest "
        "where timeframe = ? and resolution = ? and list_contains(?::varchar[], project_id) order by project_id, date",
        [timeframe, resolution, list(project_ids)],
    )
    return _dated(frame)

_dated = shared.dated
