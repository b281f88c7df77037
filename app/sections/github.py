"""GitHub: the star counts shown each day beside the star-history endpoint and GH Archive, each labelled."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("GitHub", "seed", "collect --source github")
log = st.sidebar.toggle("Log scale", value=False, key="github_log")

ui.panels(
    [
        ui.Panel(
            queries.series(db, "stars", chosen),
            "Stars shown on each day",
            "stars",
            "no star counts",
            ("collect --source github   # daily, from cron",),
            log=log,
            caption="stargazers_count as GitHub showed it: collected daily snapshots, and archived daily top-100 lists "
            "before (with their gaps: a repository is missing on days it was not in a list). Points are drawn where "
            "the series is sparse.",
        ),
        ui.Panel(
            queries.star_history(db, chosen),
            "Retained stars by the day they were given (star history endpoint)",
            "retained stars",
            "the star history has not been walked yet",
            ("collect --source github",),
            log=log,
            caption="Running total of stars that still exist, by the day they were given (GET /stargazers/history). "
            "Stars later removed are missing, so this sits below the count shown on a past date.",
        ),
        ui.Panel(
            queries.star_events(db, chosen),
            "Stars given per day in GH Archive (gross, 30-day mean)",
            "star events per day",
            "no GH Archive history",
            ("backfill --source github",),
            rolling=30,
            caption="WatchEvents per day from GH Archive: unstars are invisible; most star events are missing after "
            "2025-05-23.",
        ),
    ],
    projects,
    {
        "Stars shown on each day": queries.breaks(db, "github", "stars"),
        "Retained stars by the day they were given (star history endpoint)": queries.breaks(
            db, "github", "stars_given_retained"
        ),
        "Stars given per day in GH Archive (gross, 30-day mean)": queries.breaks(db, "github", "stars_given_gharchive"),
    },
)
