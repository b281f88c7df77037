"""PyPI: downloads with and without mirrors, the ClickPy history and the top-PyPI windows, each per its cadence."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("PyPI downloads", "seed", "collect --source pypi")
rolling = 30 if st.sidebar.toggle("30-day rolling mean of daily series", value=True, key="pypi_rolling") else 1
log = st.sidebar.toggle("Log scale", value=True, key="pypi_log")
PANELS = (
    ("downloads", "Daily downloads without mirrors (PyPI Stats)", ("collect --source pypi",)),
    ("downloads_mirrors", "Daily downloads with mirrors (PyPI Stats)", ("collect --source pypi",)),
    ("downloads_clickpy", "Daily downloads since 2016 (ClickPy, mirrors included)", ("backfill --source pypi",)),
    ("downloads_snapshot", "Downloads per 30 days (top-PyPI lists, monthly)", ("seed",)),
)
frames = queries.series_group(db, tuple(key for key, _, _ in PANELS), chosen)
ui.panels(
    [
        ui.Panel(
            frames[key],
            title,
            queries.SERIES_BY_KEY[key].axis_title,
            "not stored",
            commands,
            per_days=queries.SERIES_BY_KEY[key].per_days,
            rolling=rolling if queries.SERIES_BY_KEY[key].per_days == 1 else 1,
            log=log,
        )
        for key, title, commands in PANELS
    ],
    projects,
    {title: queries.breaks(db, "pypi", queries.SERIES_BY_KEY[key].metric) for key, title, _ in PANELS},
)
st.caption(
    "Summed over each project's packages (data/projects.toml). Without mirrors drops bandersnatch, z3c.pypimirror, "
    "Artifactory and devpi. The top-PyPI lists (hugovk/top-pypi-packages) counted pip downloads only until "
    "2024-11 and all installers after; PyPI stopped counting .metadata fetches on 2026-08-24: the series step there."
)
