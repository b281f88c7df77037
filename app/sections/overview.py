"""Overview: one row per tracked project across the four signals, source freshness, claim verdicts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import queries, ui


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
    newest = f", newest {row.newest_date:%Y-%m-%d}" if pd.notna(row.newest_date) else ""
    return "; ".join(parts) + f"; {ui.human(row.observations)} observations{newest}"


db = str(queries.database())
st.title("Overview")
st.caption("Every tracked project across GitHub, PyPI, arXiv and Google Trends, beside what the articles claim.")

projects = queries.projects(db)
if projects.empty:
    ui.empty_state(
        f"The database at `{db}` holds no data yet.",
        ".venv/bin/ecotrends collect\n# or, for real history to explore at once:\n"
        ".venv/bin/ecotrends import ../shared/snapshot/observations/*.csv",
    )
    st.stop()

summary = queries.overview(db)
table = pd.DataFrame(
    {
        "Project": summary["name"],
        "Stars": summary["stars_now"].map(ui.human),
        "as of": summary["stars_date"],
        "Stars +30d": summary["stars_gain_30d"].map(ui.human),
        "Stars +1y": summary["stars_gain_1y"].map(ui.human),
        "Stars, 180 days": summary["stars_trend"],
        "Downloads 30d": summary["downloads_30d"].map(ui.human),
        "vs previous 30d": summary["downloads_growth"].map(lambda v: ui.percent(v, signed=True)),
        "Downloads, 180 days": summary["downloads_trend"],
        "arXiv share 12m": summary["arxiv_share_12m"].map(ui.percent),
        "Trends (latest week)": summary["interest_now"].map(ui.human),
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Stars, 180 days": st.column_config.LineChartColumn(width="small"),
        "Downloads, 180 days": st.column_config.LineChartColumn(width="small"),
    },
)
st.caption(
    "Stars: the latest daily snapshot of stargazers_count. Downloads: PyPI Stats without mirrors, summed over "
    "each project's packages. arXiv share: the project's share of all tracked projects' metadata mentions over the "
    "last 12 collected months. Trends: 0-100, relative within the latest request. — means not collected yet."
)

left, right = st.columns(2)
with left:
    st.subheader("Freshness")
    fresh = queries.freshness(db)
    if fresh.empty:
        ui.empty_state("No collection has run yet.", ".venv/bin/ecotrends collect")
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
        columns = st.columns(5)
        for column, verdict in zip(
            columns, ("supported", "inaccurate", "contradicted", "no_data", "uncheckable"), strict=True
        ):
            column.metric(verdict.replace("_", " "), int(counts.get(verdict, 0)))
        st.page_link("sections/claims.py", label="See every claim with its evidence", icon="🔎")
