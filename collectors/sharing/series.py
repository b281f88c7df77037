"""The series a chart draws, read the same way by the app's pages and by the chart images: the registry's series,
a project's packages summed, a share as a percentage of its denominator. Queries are in sql/sharing/."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import duckdb
import pandas as pd

from collectors import sources, store
from collectors.source import Series

# Runs one parameterised select (its text, its named parameters) on the store and returns its rows.
Read = Callable[[str, dict], pd.DataFrame]

# Every series a source offers for charts, in registry order: adding a source adds its series here.
SERIES: tuple[Series, ...] = tuple(
    series for source in sources.registry().values() for series in source.series if series.chart
)
SERIES_BY_KEY = {series.key: series for series in SERIES}


def reader(conn: duckdb.DuckDBPyConnection) -> Read:
    """Reads on one DuckDB connection (the commands'; the app reads through app/reader.py)."""
    return lambda text, params: conn.execute(text, params).df()


@cache
def sql(name: str) -> str:
    """The text of sql/sharing/<name>.sql."""
    return (store.SQL_DIR / "sharing" / f"{name}.sql").read_text(encoding="utf-8")


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its `date` column as timestamps (DuckDB gives dates as objects)."""
    if not frame.empty:
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def observations(
    read: Read, mapping: pd.DataFrame, source: str, metrics: tuple[str, ...], project_ids: tuple[str, ...]
) -> pd.DataFrame:
    """Raw points of some metrics of one source for the chosen projects, each row with its project_id;
    `mapping` is project_subject (which stored subject belongs to which project)."""
    if mapping.empty:
        return pd.DataFrame()
    chosen = mapping[(mapping["source"] == source) & mapping["project_id"].isin(project_ids)]
    if chosen.empty:
        return pd.DataFrame()
    frame = read(sql("observations"), {"source": source, "metrics": list(metrics), "subjects": list(chosen["subject"])})
    if frame.empty:
        return frame
    owner = dict(zip(chosen["subject"], chosen["project_id"], strict=True))
    frame["project_id"] = frame["subject"].map(owner)
    return frame


def per_project(read: Read, spec: Series, frame: pd.DataFrame) -> pd.DataFrame:
    """One value per project and date: a project's packages summed; a share as a percentage of its denominator."""
    if frame.empty:
        return pd.DataFrame()
    frame = (
        frame.groupby(["project_id", "date", "window_days"], as_index=False)
        .agg(value=("value", "sum"), origin=("origin", "first"))
        .sort_values(["project_id", "date"])
    )
    if spec.share_of:
        totals = read(
            sql("denominator"),
            {"source": spec.source, "metric": spec.denominator_metric, "subject": spec.denominator_subject},
        )
        if totals.empty:
            return pd.DataFrame()
        frame = frame.merge(totals, on=["date", "window_days"], how="inner")
        frame["value"] = 100 * frame["value"] / frame["denominator"]
    return dated(frame)


def series(read: Read, spec: Series, project_ids: tuple[str, ...]) -> pd.DataFrame:
    """Points of one series for the chosen projects: project_id, date, window_days, value, origin."""
    metric = spec.share_of or spec.metric
    raw = observations(read, read(sql("subjects"), {}), spec.source, (metric,), project_ids)
    return per_project(read, spec, raw)
