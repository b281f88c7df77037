"""Google Trends: interest per term, with the timeframe and batch that scaled it."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("Google Trends interest", ".venv/bin/ecotrends collect --source trends")
requests = queries.trends_requests(db)
if requests.empty:
    ui.empty_state(
        "No Google Trends data yet. Google often answers pytrends with 429; a Trends website export works too.",
        ".venv/bin/ecotrends collect --source trends\n.venv/bin/ecotrends backfill --source trends\n"
        ".venv/bin/ecotrends import --trends-csv multiTimeline.csv",
    )
    st.stop()
labels = [
    f"{r.timeframe} · {r.resolution} · batch {r.batch} · collected {r.collected:%Y-%m-%d}"
    for r in requests.itertuples()
]
choice = st.selectbox(
    "Request (values are comparable only within one)", range(len(labels)), format_func=labels.__getitem__
)
request = requests.iloc[choice]
frame = queries.trends_series(db, request["timeframe"], request["resolution"], chosen)
ui.series_panel(
    frame,
    projects,
    f"Interest, {request['timeframe']} ({request['resolution']}ly)",
    "interest (0-100)",
    queries.breaks(db, "trends", "interest"),
    "No values for the chosen projects in this request.",
    ".venv/bin/ecotrends collect --source trends",
)
st.caption("0-100 relative to the peak of all terms in the request; values shown as <1 by Google are stored as 0.")
