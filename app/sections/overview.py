"""Overview: who leads on each signal and since when, one row per project, source freshness, claim verdicts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import queries, ui
from collectors import clock

# A latest value older than this many days is flagged as stale: each signal has its own cadence.
STALE_AFTER_DAYS = {"stars": 7, "downloads": 45, "research": 400, "interest": 14}
FILL = {
    "stars": ("collect --source github",),
    "downloads": ("collect --source pypi", "backfill --source pypi"),
    "research": ("backfill --source arxiv",),
    "interest": ("collect --source trends",),
}
SIGNAL_TITLES = {"stars": "GitHub stars", "downloads": "PyPI downloads", "research": "Research mentions",
                 "interest": "Search interest"}  # fmt: skip


def freshness_line(row: object) -> str:
    """How fresh a source is: its last collection, else its last import (the shipped history or a file)."""
    parts = [f"**{ui.plain(row.source)}**"]
    if pd.notna(row.hours_since_success):
        parts.append(f"collected {row.hours_since_success} h ago")
    if pd.notna(row.last_import):
        what = "shipped history loaded" if row.last_import_command == "seed" else "imported"
        parts.append(f"{what} {row.last_import:%Y-%m-%d %H:%M} UTC ({ui.human(row.last_import_rows)} rows)")
    if len(parts) == 1:
        parts.append("never collected")
    newest = f", newest {ui.day(row.newest_date)}" if pd.notna(row.newest_date) else ""
    return "; ".join(parts) + f"; {ui.human(row.observations)} observations{newest}"


def as_of(value: object, signal: str) -> str:
    """The day of a latest value, flagged when it is older than the signal's cadence allows."""
    if value is None or pd.isna(value):
        return "—"
    age = (clock.today() - pd.Timestamp(value).date()).days
    return ui.day(value) + (" ⚠ stale" if age > STALE_AFTER_DAYS[signal] else "")


def headline(row: object, names: dict[str, str]) -> str:
    """One computed line per signal: the leader, its value, the runner-up, since when it leads."""
    unit = row.unit_label or ""
    leader, second = names.get(row.leader, row.leader), names.get(row.second, row.second)
    since = (
        f"since records began ({ui.day(row.leads_since)})"
        if row.since_records_began
        else f"since {ui.day(row.leads_since)}"
    )
    line = (
        f"**{SIGNAL_TITLES[row.signal]}**: {ui.plain(leader)} leads with {ui.human(row.leader_value * row.unit_days)}"
        f"{unit} on {ui.day(row.as_of)}"
    )
    if pd.notna(row.second):
        line += f", ahead of {ui.plain(second)} ({ui.human(row.second_value * row.unit_days)})"
    return f"{line}, {since}. _Basis: {ui.plain(row.basis)}._"


db = str(queries.database())
st.title("Overview")
st.caption(
    "Every tracked project across GitHub, PyPI, research papers and Google Trends, beside what the articles claim."
)

projects = queries.projects(db)
if projects.empty:
    ui.empty_state(
        f"The database at `{db}` holds no data yet. Load the real history shipped with ecotrends (no network "
        "needed), then bring it up to date:",
        "seed",
        "collect",
    )
    st.stop()

fresh = queries.freshness(db)
ui.shipped_history_note(fresh)
names = dict(zip(projects["project_id"], projects["name"], strict=True))

st.subheader("Who leads")
lines = queries.headlines(db)
shown = set(lines["signal"]) if not lines.empty else set()
if not lines.empty:
    lines = lines.set_index("signal").loc[[s for s in SIGNAL_TITLES if s in shown]].reset_index()
for row in lines.itertuples():
    st.markdown(headline(row, names))
missing = [signal for signal in SIGNAL_TITLES if signal not in shown]
if missing:
    commands = [command for signal in missing for command in FILL[signal]]
    st.caption(
        f"No data yet for: {', '.join(SIGNAL_TITLES[s].lower() for s in missing)}. "
        f"Fill with `{'`, `'.join(ui.hint(c) for c in commands)}`."
    )

summary = queries.overview(db).sort_values("stars_now", ascending=False, na_position="last")
table = pd.DataFrame(
    {
        "Project": summary["name"],
        "Stars": summary["stars_now"].map(ui.human),
        "stars as of": summary["stars_date"].map(lambda v: as_of(v, "stars")),
        "Stars +30d": summary["stars_gain_30d"].map(ui.human),
        "Stars +1y": summary["stars_gain_1y"].map(ui.human),
        "Stars, last year": summary["stars_trend"],
        "Downloads per 30 days": summary["downloads_30d"].map(ui.human),
        "downloads as of": summary["downloads_date"].map(lambda v: as_of(v, "downloads")),
        "vs a month before": summary["downloads_growth"].map(lambda v: ui.percent(v, signed=True)),
        "Downloads, last year": summary["downloads_trend"],
        "Research share": summary["research_share"].map(ui.percent),
        "research as of": summary["research_date"].map(lambda v: as_of(v, "research")),
        "Trends (latest)": summary["interest_now"].map(ui.human),
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Stars, last year": st.column_config.LineChartColumn(width="small"),
        "Downloads, last year": st.column_config.LineChartColumn(width="small"),
    },
)


def basis_of(column: str) -> str:
    """The series a column of the table rests on, named as the evidence ladder names it."""
    values = summary[column].dropna() if column in summary else pd.Series(dtype=str)
    return ui.plain(values.iloc[0]) if not values.empty else "none stored yet"


st.caption(
    "Stars: the latest count GitHub showed. Downloads: the latest 30 days on the best series stored "
    f"({basis_of('downloads_basis')}), summed over each project's packages. Research share: each project's part of "
    f"the tracked projects' mentions over the latest year ({basis_of('research_basis')}). ⚠ stale: the latest value "
    "is older than the signal's cadence. — means not stored yet."
)

left, right = st.columns(2)
with left:
    st.subheader("Freshness")
    if fresh.empty:
        ui.empty_state("No collection has run yet.", "collect")
    else:
        for row in fresh.itertuples():
            if row.last_status in ("failed", "partial"):
                failure = f"Last {row.last_command} **{row.last_status}**: {ui.plain(row.last_error)}"
                st.error(f"{freshness_line(row)}. {failure}", icon="⚠️")
            else:
                st.markdown(freshness_line(row))
with right:
    st.subheader("Claims")
    checks = queries.claim_checks(db)
    if checks.empty:
        st.info("No claims registered.")
    else:
        counts = checks["verdict"].value_counts()
        for column, verdict in zip(st.columns(3) + st.columns(3), ui.VERDICTS, strict=True):
            column.metric(ui.verdict_label(verdict.name), int(counts.get(verdict.name, 0)), help=verdict.meaning)
        st.page_link("sections/claims.py", label="Read each article's report card", icon="🔎")
