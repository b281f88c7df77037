"""PyPI: daily downloads with and without mirrors, their 30-day rolling mean, and the ClickPy history."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("PyPI downloads", ".venv/bin/ecotrends collect --source pypi")
rolling = 30 if st.sidebar.toggle("30-day rolling mean", value=True) else 1
log = st.sidebar.toggle("Log scale", value=True)
panels = (
    ("downloads", "Daily downloads without mirrors (PyPI Stats)", ".venv/bin/ecotrends collect --source pypi"),
    ("downloads_mirrors", "Daily downloads with mirrors (PyPI Stats)", ".venv/bin/ecotrends collect --source pypi"),
    ("downloads_clickpy", "Daily downloads since 2016 (ClickPy, mirrors included)",
     ".venv/bin/ecotrends backfill --source pypi"),
    ("downloads_snapshot", "Imported top-PyPI snapshots (per day over each window)",
     ".venv/bin/ecotrends import ../shared/snapshot/observations/pypi.csv"),
)  # fmt: skip
frames = queries.series_group(db, tuple(key for key, _, _ in panels), chosen)
for key, title, command in panels:
    ui.series_panel(
        frames[key],
        projects,
        title,
        "downloads per day",
        queries.breaks(db, "pypi", queries.SERIES_BY_KEY[key].metric),
        f"No {title.lower()} yet.",
        command,
        per_day=True,
        rolling=rolling if key != "downloads_snapshot" else 1,
        log=log,
    )
st.caption(
    "Summed over each project's packages (data/projects.toml). Without mirrors drops bandersnatch, z3c.pypimirror, "
    "Artifactory and devpi. PyPI stopped counting .metadata fetches on 2026-08-24: every series steps down there."
)
