"""Data: collection runs and their errors, coverage and gaps, downloads of any view, a read-only SQL console."""

from __future__ import annotations

import io
from math import ceil

import streamlit as st

from app import queries, reader, sql_console, ui
from app.queries import SERIES_ORDERINGS, SERIES_PAGE_ROWS

# The view offered first: the verdicts, which every database holds (the shipped history judges every claim).
DEFAULT_VIEW = "claim_checks"
# The first and last day of a series, in both coverage tables
SPAN_COLUMNS = {
    "first_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "last_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
}


def _turn_page(by: int) -> None:
    """The pager's buttons: run before the page, so the page number's field shows the new page."""
    st.session_state["page"] = st.session_state.get("page", 1) + by


db = str(reader.database())
st.title("Data")
st.caption(f"Database: `{db}`")

per_source = queries.series_per_source(db)
if per_source.empty:
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
st.caption("Per source first, then every series a page at a time: its points, its span and its largest gap.")
st.dataframe(
    per_source,
    hide_index=True,
    width="stretch",
    column_config={**SPAN_COLUMNS, "last_collected": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)

sources = ["", *per_source["source"]]
ui.url_choice("source", sources, "")
ui.url_text("project")
ui.url_text("find")
ui.url_choice("order", list(SERIES_ORDERINGS), "name")
ui.url_number("page", 1, 1, 10**9)
by_source, by_project, by_text, by_order = st.columns(4)
source = by_source.selectbox("Source", sources, key="source", format_func=lambda s: s or "every source")
project = by_project.text_input("Project", key="project", placeholder="a project id, e.g. pytorch")
text = by_text.text_input("Subject or metric contains", key="find")
ordering = by_order.selectbox("Order", list(SERIES_ORDERINGS), key="order", format_func=SERIES_ORDERINGS.get)
filters = (source, project.strip(), text.strip(), ordering)
if st.session_state.get("_series_filters", filters) != filters:
    st.session_state["page"] = 1  # another filter or order starts at its first page
st.session_state["_series_filters"] = filters

page = st.session_state["page"]
rows, total = queries.series_page(db, source, project, text, ordering, page)
last_page = max(1, ceil(total / SERIES_PAGE_ROWS))
if total and rows.empty:  # a link, or a number typed, past the end
    st.warning(f"Page {page:,} is past the end: {total:,} series fill {last_page:,} pages. The last page is shown.")
    page = st.session_state["page"] = last_page
    rows, total = queries.series_page(db, source, project, text, ordering, page)
if not total:
    asked = [f"source {source}" if source else "", f"project “{project.strip()}”" if project.strip() else "",
             f"subject or metric containing “{text.strip()}”" if text.strip() else ""]  # fmt: skip
    st.info(ui.plain(f"No series matches {', '.join(a for a in asked if a)}: widen the filters."))
else:
    first = (page - 1) * SERIES_PAGE_ROWS + 1
    st.caption(
        f"Series {first:,}–{first + len(rows) - 1:,} of {total:,} (page {page:,} of {last_page:,}), "
        f"ordered by {SERIES_ORDERINGS[ordering]}."
    )
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            **SPAN_COLUMNS,
            "window_days": st.column_config.NumberColumn(help="empty for a level (a count at one moment)"),
            "project": st.column_config.TextColumn(help="empty for a series of no project (a denominator)"),
        },
    )
    previous, number, following = st.columns([1, 2, 1], vertical_alignment="bottom")
    previous.button("Previous page", on_click=_turn_page, args=(-1,), disabled=page <= 1, width="stretch")
    number.number_input("Page", min_value=1, max_value=last_page, step=1, key="page")
    following.button("Next page", on_click=_turn_page, args=(1,), disabled=page >= last_page, width="stretch")
ui.keep_in_url("source", "project", "find", "order", "page")

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
