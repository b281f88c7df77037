"""Overview: who leads on each signal and since when, one row per project, source freshness, claim verdicts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import queries, reader, ui
from collectors import clock, sources

# Each source that gives a headline declares it (collectors/sources/): its title, when its latest value is stale
# (each signal has its own cadence) and the commands that fill it.
SIGNALS = {
    source.signal.name: (source.signal, source.fill)
    for source in sorted(sources.registry().values(), key=lambda s: s.signal.order if s.signal else 0)
    if source.signal
}
SIGNAL_TITLES = {name: signal.title for name, (signal, _) in SIGNALS.items()}


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
    return ui.day(value) + (" ⚠ stale" if age > SIGNALS[signal][0].stale_after_days else "")


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


db = str(reader.database())
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
    commands = [command for signal in missing for command in SIGNALS[signal][1]]
    st.caption(
        f"No data yet for: {', '.join(SIGNAL_TITLES[s].lower() for s in missing)}. "
        f"Fill with `{'`, `'.join(ui.hint(c) for c in commands)}`."
    )


def signal_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One signal's latest figures per project, for people: values with their unit, dates flagged when stale."""
    first = rows.iloc[0]
    level = bool(first["is_level"])
    unit = first["unit_label"] or ""
    columns = {
        "Project": rows["project_id"].map(names).fillna(rows["project_id"]),
        f"Latest{unit}": rows["latest"].map(ui.human),
        "as of": rows["as_of"].map(lambda v: as_of(v, first["signal"])),
    }
    if level:
        columns["+ in a month"] = rows["change_month"].map(ui.human)
        columns["+ in a year"] = rows["change_year"].map(ui.human)
    else:
        columns["vs a month before"] = rows["change_month"].map(lambda v: ui.percent(v, signed=True))
        columns["vs a year before"] = rows["change_year"].map(lambda v: ui.percent(v, signed=True))
        columns["share of the tracked, last year"] = rows["share"].map(ui.percent)
    columns["last year"] = rows["trend"]
    return pd.DataFrame(columns)


figures = queries.signals(db)
present = [signal for signal in SIGNAL_TITLES if not figures.empty and signal in set(figures["signal"])]
if present:
    st.subheader("Latest figures")
    for tab, signal in zip(st.tabs([SIGNAL_TITLES[s] for s in present]), present, strict=True):
        rows = figures[figures["signal"] == signal].sort_values("latest", ascending=False, na_position="last")
        with tab:
            st.dataframe(
                signal_table(rows),
                hide_index=True,
                width="stretch",
                column_config={"last year": st.column_config.LineChartColumn(width="small")},
            )
            st.caption(
                f"Basis: {ui.plain(rows['basis'].iloc[0])}; a project's packages are summed. ⚠ stale: the latest "
                "value is older than this signal's cadence. Counts are compared over their windows per day."
            )
more = queries.catalogue_size(db)
if more:
    st.caption(
        f"These are the curated projects of data/projects.toml. {more:,} more, pandas or Polars, FastAPI or Flask, "
        "are one search away: type a name, owner/repo or PyPI package into **Find any project** on Compare or any "
        "source page."
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
