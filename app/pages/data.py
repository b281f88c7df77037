"""Data: what the database holds, the freshness of each source and the latest collection runs."""

from __future__ import annotations

import streamlit as st

from app import queries

db = str(queries.database())
st.title("Data")
st.caption(f"Database: `{db}`")

holdings = queries.holdings(db)
if holdings.empty:
    st.info(
        f"The database at `{db}` holds no data yet. Collect it with `ecotrends collect` "
        "(or `.venv/bin/ecotrends collect` from the checkout); set `ECOTRENDS_DB` to read another file."
    )
    st.stop()

st.subheader("Sources")
st.dataframe(queries.freshness(db), hide_index=True, width="stretch")

st.subheader("Stored series")
st.dataframe(holdings, hide_index=True, width="stretch")

st.subheader("Latest collection runs")
st.dataframe(queries.recent_runs(db), hide_index=True, width="stretch")
