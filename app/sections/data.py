"""Data: collection runs and their errors, coverage and gaps, downloads of any view, a read-only SQL console."""

from __future__ import annotations

import io

import streamlit as st

from app import queries, reader, sql_console, ui

# The view offered first: the verdicts, which every database holds (the shipped history judges every claim).
DEFAULT_VIEW = "claim_checks"

db = str(reader.database())
st.title("Data")
st.caption(f"Database: `{db}`")

coverage = queries.coverage(db)
if coverage.empty:
    ui.empty_state(
        f"The database at `{db}` holds no data yet (set ECOTRENDS_DB to read another file).", "seed", "collect"
    )
    st.stop()

st.subheader("Collection runs")
runs = queries.recent_runs(db)
failed = runs[runs["status"].isin(["failed", "partial"])] if not runs.empty else runs
if not failed.empty:
    st.warning(f"{len(failed)} of the last {len(runs)} runs failed or were partial; their errors are below.")
st.dataframe(
    runs.assign(error=runs["error"].fillna("")) if "error" in runs else runs,  # an empty cell, not "None"
    hide_index=True,
    width="stretch",
    column_config={
        "started_at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
        "finished_at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
    },
)

st.subheader("Coverage and gaps per series")
listed = queries.catalogue_series(db)
if not listed.empty:
    counts = ", ".join(f"{row.source} {row.series:,} ({ui.human(row.points)} points)" for row in listed.itertuples())
    st.caption(
        f"The curated projects' series. The shipped catalogue's are not listed here: {counts}. Query them with "
        "`select * from series_summary` in the console, or chart any of them on Compare."
    )
st.dataframe(
    coverage,
    hide_index=True,
    width="stretch",
    column_config={
        "first_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "last_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "window_days": st.column_config.NumberColumn(help="empty for a level (a count at one moment)"),
    },
)

st.subheader("Download a view")
comments = queries.published_views(db).set_index("view_name")["comment"]
ui.url_choice("view", list(comments.index), DEFAULT_VIEW)
view = st.selectbox("View", list(comments.index), key="view")
ui.keep_in_url("view")
st.caption(ui.plain(comments[view]))
if st.button("Prepare downloads"):
    with st.spinner("Reading the view…"):
        frame = queries.view_rows(db, view)
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    st.session_state["prepared_download"] = (view, len(frame), frame.to_csv(index=False), buffer.getvalue())
prepared = st.session_state.get("prepared_download")
if prepared and prepared[0] == view:  # the files stay ready, and their buttons shown, until another view is chosen
    _, rows, csv, parquet = prepared
    st.caption(f"{rows:,} rows.")
    left, right = st.columns(2)
    # on_click="ignore": a download does not rerun the page, so both buttons stay for the next click
    left.download_button("CSV", csv, file_name=f"{view}.csv", mime="text/csv", on_click="ignore")
    right.download_button(
        "Parquet", parquet, file_name=f"{view}.parquet", mime="application/vnd.apache.parquet", on_click="ignore"
    )

st.subheader("SQL console (read-only)")
st.caption(
    "Runs on a read-only connection with external access off and the configuration locked: no writes, no files, "
    f"no network, no extensions; stopped after {sql_console.CONSOLE_TIMEOUT_SECONDS:.0f} s; at most "
    f"{sql_console.CONSOLE_MAX_ROWS:,} rows."
)
sql = st.text_area("Query", value="select * from source_freshness", height=120)
if st.button("Run query"):
    try:
        st.dataframe(sql_console.console(sql, db), hide_index=True, width="stretch")
    except Exception as exc:  # every refusal is shown to the user as text, never as HTML
        st.error(ui.plain(f"{type(exc).__name__}: {exc}"))
