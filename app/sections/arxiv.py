"""arXiv: monthly metadata mentions, the share among the frameworks and of all deep-learning papers."""

from __future__ import annotations

import streamlit as st

from app import queries, ui

db, projects, chosen = ui.source_page("arXiv mentions", ".venv/bin/ecotrends backfill --source arxiv")
breaks = queries.breaks(db, "arxiv", "papers_mentioning")
command = ".venv/bin/ecotrends backfill --source arxiv   # every month since 2015"
frames = queries.series_group(db, ("arxiv", "arxiv_share"), chosen)
mentions = frames["arxiv"]
ui.series_panel(
    mentions, projects, "Papers mentioning each project, per month", "papers", breaks, "No arXiv counts yet.", command
)
if not mentions.empty:
    share = mentions.copy()
    share["value"] = 100 * share["value"] / share.groupby("date")["value"].transform("sum")
    ui.series_panel(share, projects, "Share among the chosen projects", "% of their mentions", breaks, "", command)
ui.series_panel(
    frames["arxiv_share"],
    projects,
    "Share of all deep-learning papers",
    "% of papers in cs.LG, cs.CV, cs.CL, cs.AI, cs.NE, stat.ML",
    breaks,
    "No arXiv counts yet.",
    command,
)
denominator = queries.arxiv_denominator(db)
st.subheader("Denominator: deep-learning papers per month")
if denominator.empty:
    ui.empty_state("No denominator counts yet.", command)
else:
    st.bar_chart(denominator, x="month", y="papers_total", height=240)
st.caption(
    "Counts of papers whose title, abstract or comments name the project (metadata only, never full text), in the "
    "deep-learning categories. They count papers that name a framework, not all papers that use it."
)
