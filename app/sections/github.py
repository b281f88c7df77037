"""GitHub: the exact daily star counts beside the star-history endpoint and GH Archive, each labelled."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("GitHub", ".venv/bin/ecotrends collect --source github")
log = st.sidebar.toggle("Log scale", value=False)

ui.series_panel(
    queries.series(db, "stars", chosen),
    projects,
    "Stars shown on each day (daily snapshots)",
    "stars",
    queries.breaks(db, "github", "stars"),
    "No daily star snapshots yet.",
    ".venv/bin/ecotrends collect --source github   # daily from cron",
    log=log,
)
st.caption("stargazers_count as GitHub showed it that day: collected snapshots, plus imported daily archives.")

history = queries.star_history(db, chosen)
ui.series_panel(
    history,
    projects,
    "Retained stars by the day they were given (star history endpoint)",
    "retained stars",
    queries.breaks(db, "github", "stars_given_retained"),
    "The star history has not been walked yet.",
    ".venv/bin/ecotrends collect --source github",
    log=log,
)
st.caption(
    "Running total of stars that still exist, by the day they were given (GET /stargazers/history). Stars later "
    "removed are missing, so this sits below the count shown on a past date: it is not the same series."
)

events = queries.star_events(db, chosen)
ui.series_panel(
    events,
    projects,
    "Stars given per day in GH Archive (gross, 30-day mean)",
    "star events per day",
    queries.breaks(db, "github", "stars_given_gharchive"),
    "No GH Archive history yet.",
    ".venv/bin/ecotrends backfill --source github",
    rolling=30,
)
st.caption("WatchEvents per day from GH Archive: unstars are invisible; most star events are missing after 2025-05-23.")
