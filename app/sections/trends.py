"""Google Trends: interest per term, with the timeframe and batch that scaled it."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("Google Trends interest", "collect --source trends")
requests = queries.trends_requests(db)
if requests.empty:
    ui.empty_state(
        "No Google Trends data yet (none ships with ecotrends: no public archive of these terms was found). Google "
        "often answers pytrends with 429; a Trends website export works too.",
        "collect --source trends",
        "backfill --source trends",
        "import --trends-csv multiTimeline.csv",
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
title = f"Interest, {request['timeframe']} ({request['resolution']}ly)"
ui.panels(
    [ui.Panel(frame, title, "interest (0-100)", "no values in this request", ("collect --source trends",))],
    projects,
    {title: queries.breaks(db, "trends", "interest")},
)
st.caption("0-100 relative to the peak of all terms in the request; values shown as <1 by Google are stored as 0.")
