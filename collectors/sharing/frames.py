"""How a series is prepared for a chart, shared by the app's pages and the chart images: one colour per project,
counts as a rate, windows drawn at their middle, gaps kept, and numbers and days written for people."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Colours for projects without one in data/projects.toml: the rest of the Okabe-Ito palette, then greys, in a
# fixed order so they never change between charts.
FALLBACK_COLORS = ("#F0E442", "#000000", "#999999", "#661100", "#332288", "#44AA99", "#882255", "#117733")


def human(value: float | None, digits: int = 1) -> str:
    """65.2K, 1.4M: numbers for people; an em dash for missing values."""
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold:
            return f"{value / threshold:.{digits}f}{suffix}"
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.{digits}f}"


def day(value: object) -> str:
    """A date as YYYY-MM-DD (never with a time of 00:00:00); an em dash when missing."""
    if value is None or pd.isna(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def colors(projects: pd.DataFrame) -> dict[str, str]:
    """One colour per project id, the same on every chart: a project's own colour (data/projects.toml), else the
    next palette colour no other project on the chart has, in the order the projects come (curated first, then as
    they were chosen), so that adding a project never recolours those already drawn."""
    mapping: dict[str, str] = {}
    own = {row.project_id: row.color for row in projects.itertuples() if isinstance(row.color, str) and row.color}
    free = [color for color in FALLBACK_COLORS if color not in own.values()] or list(FALLBACK_COLORS)
    for index, project_id in enumerate(project_id for project_id in projects["project_id"] if project_id not in own):
        mapping[project_id] = free[index % len(free)]
    return {**mapping, **own}


def with_gaps(group: pd.DataFrame) -> pd.DataFrame:
    """Rows with a missing value wherever the series skips more than three of its usual steps, so the line
    breaks there: archived lists with months missing are drawn with their gaps, not as one daily line."""
    if len(group) < 3 or not np.issubdtype(group["date"].dtype, np.datetime64):
        return group
    steps = group["date"].diff().dt.days
    usual = max(float(steps.median()), 1.0)
    gaps = group.index[(steps > max(3 * usual, 7)).to_numpy()]
    if len(gaps) == 0:
        return group
    breaks = group.loc[gaps].copy()
    breaks["date"] = breaks["date"] - pd.Timedelta(days=1)
    breaks["value"] = np.nan
    return pd.concat([group, breaks]).sort_values("date")


def log_ticks(values: pd.Series) -> tuple[list[float], list[str]]:
    """Ticks 1, 2, 5 times a power of ten across the values, labelled for people (20K, 50K, 100K)."""
    positive = values[values > 0]
    if positive.empty:
        return [], []
    low, high = math.floor(math.log10(positive.min())), math.ceil(math.log10(positive.max()))
    ticks = [m * 10**e for e in range(low, high + 1) for m in (1, 2, 5)]
    ticks = [t for t in ticks if positive.min() / 2 <= t <= positive.max() * 2]
    return ticks, [human(t, 0) if t >= 1000 else f"{t:g}" for t in ticks]


def per_unit_values(frame: pd.DataFrame, per_days: int = 1) -> pd.Series:
    """Counts over windows as a rate per `per_days` days, so that windows of any length share one axis."""
    return frame["value"] / frame["window_days"].where(frame["window_days"] > 0, 1) * per_days


def at_window_middle(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts over windows longer than a day drawn at the middle of their window, the window named in the hover:
    a year of papers belongs to that year, not to the last day of it."""
    long = frame["window_days"] > 1
    if not long.any():
        return frame
    frame = frame.copy()
    length = pd.to_timedelta(frame["window_days"].clip(lower=1) - 1, unit="D")
    window = (frame["date"] - length).dt.strftime("%Y-%m-%d") + ".." + frame["date"].dt.strftime("%Y-%m-%d")
    frame.loc[long, "origin"] = (window + ": " + frame["origin"].fillna(""))[long]
    frame.loc[long, "date"] = (frame["date"] - length / 2).dt.normalize()[long]
    return frame


def rolling_mean(frame: pd.DataFrame, points: int) -> pd.Series:
    """Mean of each project's last `points` points."""
    return frame.groupby("project_id")["value"].transform(lambda s: s.rolling(points, min_periods=1).mean())


def indexed(frame: pd.DataFrame) -> pd.Series:
    """Each project's values as an index, its first positive point = 100."""
    base = frame.groupby("project_id")["value"].transform(lambda s: s[s > 0].iloc[0] if (s > 0).any() else None)
    return 100 * frame["value"] / base


def aligned(frame: pd.DataFrame, launches: dict[str, object]) -> tuple[pd.DataFrame, list[str]]:
    """Dates as days since each project's launch (its repository's creation), and the projects whose launch is
    unknown (aligned on their first point instead)."""
    unknown = sorted(p for p in frame["project_id"].unique() if p not in launches)
    first_points = frame.groupby("project_id")["date"].transform("min")
    launch = pd.to_datetime(frame["project_id"].map(launches)).fillna(first_points)
    frame = frame.copy()
    frame["date"] = (frame["date"] - launch).dt.days
    return frame, unknown
