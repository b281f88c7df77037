"""Pure transforms of the chart frames: shares and growth rates on a calendar grid every project shares."""

from __future__ import annotations

import pandas as pd


def common_grid(frame: pd.DataFrame, is_count: bool) -> tuple[pd.DataFrame, str]:
    """Each project's series on one calendar grid, keeping only the periods every chosen project has a point in.

    Shares and growth rates are only meaningful on such a grid: a day where one project alone has a point would
    read as 100%, and a gap as a jump. Levels take the period's last value, counts its mean per day.
    """
    steps = frame.sort_values("date").groupby("project_id")["date"].diff().dt.days
    yearly = steps.median() > 60
    period = "Y" if yearly else "M"
    grid = frame.assign(period=frame["date"].dt.to_period(period))
    grid = (
        grid.sort_values("date")
        .groupby(["project_id", "period"], as_index=False)
        .agg(value=("value", "mean" if is_count else "last"), origin=("origin", "last"))
    )
    everyone = grid.groupby("period")["project_id"].transform("nunique") == grid["project_id"].nunique()
    grid = grid[everyone].copy()
    grid["date"] = grid["period"].dt.to_timestamp(how="end").dt.normalize()
    return grid.drop(columns="period"), "calendar years" if yearly else "calendar months"


def share_of_total(frame: pd.DataFrame, is_count: bool) -> tuple[pd.DataFrame, str]:
    """Each project's percentage of the chosen projects' total, per common period (see common_grid)."""
    grid, periods = common_grid(frame, is_count)
    grid["value"] = 100 * grid["value"] / grid.groupby("date")["value"].transform("sum")
    return grid, periods


def growth_rate(frame: pd.DataFrame, is_count: bool) -> tuple[pd.DataFrame, str]:
    """Each project's percent change from the calendar period just before (see common_grid).

    Every change spans one period: after a gap (a period without a common point) there is no change, and the
    period is kept with an empty value so that the line breaks there, instead of eleven months drawn as one step.
    A change from zero has no percentage and is left empty too.
    """
    grid, periods = common_grid(frame, is_count)
    period = grid["date"].dt.to_period("Y" if periods == "calendar years" else "M")
    before = grid.assign(period=period + 1)[["project_id", "period", "value"]].rename(columns={"value": "before"})
    grid = grid.assign(period=period).merge(before, on=["project_id", "period"], how="left")
    grid["value"] = (100 * (grid["value"] / grid["before"] - 1)).where(grid["before"] > 0)
    return grid.drop(columns=["period", "before"]), periods
