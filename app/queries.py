"""Every query the app runs, read-only and cached; pages draw, they do not query.

A collector in another process holds DuckDB's write lock only for short writes, so a read waits briefly
for it instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from collectors import store
from collectors.config import db_path

CACHE_SECONDS = 60
LOCK_WAIT_SECONDS = 15.0


def database() -> Path:
    return db_path()


def read(sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one read-only query; an absent or uninitialised database reads as empty."""
    path = database()
    if not path.exists():
        return pd.DataFrame()
    with store.connect(path, read_only=True, wait_seconds=LOCK_WAIT_SECONDS) as conn:
        has_schema = conn.execute("select count(*) from duckdb_views() where view_name = 'observations'").fetchone()[0]
        if not has_schema:
            return pd.DataFrame()
        return conn.execute(sql, params or []).df()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner="Reading the database…")
def holdings(db: str) -> pd.DataFrame:
    """One row per stored series: how many points, from when to when, from which origin."""
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
def recent_runs(db: str, limit: int = 50) -> pd.DataFrame:
    return read("select * from collection_runs order by run_id desc limit ?", [limit])
