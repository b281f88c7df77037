"""A claim's evidence as a chart: the points it was judged on, over the claimed period, with the claim drawn on
it; the Claims page draws the same values with plotly."""

from __future__ import annotations

import pandas as pd

from collectors.sharing.chart import Chart
from collectors.sharing.frames import day, human

# A release claim's evidence: each subject's milestones (project_milestones), as the Claims page and the reports
# draw them: name -> (label, plotly symbol, matplotlib marker).
MILESTONES = {
    "repository_created": ("repository created", "circle-open", "o"),
    "first_public_release": ("first public release", "star", "*"),
    "first_pypi_upload": ("first PyPI upload", "square", "s"),
}


def is_release(claim: pd.Series) -> bool:
    """Whether a claim is judged on milestones (a release date, or which project came first) rather than a series."""
    return claim["kind"] == "release_date" or claim["metric"] == "created"


def milestones_of(claim: pd.Series, stones: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the claim's subjects."""
    subjects = [s.strip() for s in str(claim["subject"]).split(",")]
    return stones[stones["project_id"].isin(subjects)] if not stones.empty else stones


def milestone_chart(
    claim: pd.Series, stones: pd.DataFrame, names: dict[str, str], palette: dict[str, str]
) -> Chart | None:
    """A release claim's chart: its subjects' milestones, the claimed period shaded; None when none is stored."""
    stones = milestones_of(claim, stones)
    if stones.empty:
        return None
    period = (claim["period_start"], claim["period_end"]) if pd.notna(claim["period_start"]) else None
    return Chart(
        frame=pd.DataFrame(columns=["project_id", "date", "value"]), names=names, palette=palette,
        title="Evidence: repository creation, first public release, first PyPI upload", y_title="", period=period,
        footnote=f"Claimed period {day(claim['period_start'])} to {day(claim['period_end'])}, shaded. "
        "Drawn by ecotrends.", events=stones, markers={k: (v[0], v[2]) for k, v in MILESTONES.items()},
    )  # fmt: skip


def evidence_values(claim: pd.Series, points: pd.DataFrame) -> tuple[pd.DataFrame, str, str]:
    """The evidence points as the values charted (a share in percent, a count per its unit), the y axis title
    and the evidence's label."""
    frame = points.copy()
    label = str(frame["label"].iloc[0])
    is_share = frame["denominator"].notna().all() and str(claim["metric"]).startswith("share")
    if is_share:
        frame["value"] = 100 * frame["value"] / frame["denominator"]
        return frame, "% of all papers", label
    frame["value"] = frame["per_day"] * frame["unit_days"]
    unit = claim["unit"] if isinstance(claim["unit"], str) and claim["unit"] not in ("percent", "year") else "value"
    return frame, ("stars" if claim["metric"] == "stars" else unit) + (frame["unit_label"].iloc[0] or ""), label


def evidence_chart(
    claim: pd.Series, points: pd.DataFrame, names: dict[str, str], palette: dict[str, str], breaks: pd.DataFrame
) -> Chart | None:
    """The chart of a claim's evidence, or None when no point was stored for it."""
    if points.empty:
        return None
    frame, y_title, label = evidence_values(claim, points)
    prefix = "Proxy, not a check" if claim["verdict"] == "uncheckable" else "Evidence"
    level = None
    if claim["kind"] == "value" and pd.notna(claim["claimed_value"]):
        level = (float(claim["claimed_value"]), f"claimed {human(claim['claimed_value'])}")
    period = (claim["period_start"], claim["period_end"]) if pd.notna(claim["period_start"]) else None
    return Chart(
        frame=frame, names=names, palette=palette, title=f"{prefix}: {label}"[:110], y_title=y_title,
        footnote=f"Claimed period {day(claim['period_start'])} to {day(claim['period_end'])}, shaded. "
        f"Points from {day(frame['date'].min())} to {day(frame['date'].max())}. Drawn by ecotrends.",
        breaks=breaks, period=period, level=level,
    )  # fmt: skip
