"""Compare: any projects on any series, with log scale, indexing, alignment, growth, rolling mean and share."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import queries, reader, transforms, ui
from collectors.sharing import compare, frames

TRANSFORMS = ["values", "index to 100", "growth rate", "share of total"]


db = str(reader.database())
st.title("Compare")

if queries.projects(db).empty:
    ui.empty_state("Nothing to compare yet.", "seed", "collect")
    st.stop()
keys = [s.key for s in queries.SERIES]

ui.url_choice("series", keys, "stars")
ui.url_choice("show", TRANSFORMS, "values")
ui.url_number("rolling", 1, 1, 90)
ui.url_flag("log")
ui.url_flag("align")
ui.url_date_range("dates")
chosen, projects = ui.choose_projects(db)
names = dict(zip(projects["project_id"], projects["name"], strict=True))
palette = ui.colors(projects)
with st.sidebar:
    key = st.selectbox("Series", keys, key="series", format_func=lambda k: queries.SERIES_BY_KEY[k].label)
    transform = st.radio("Show", TRANSFORMS, key="show")
    rolling = st.slider("Rolling mean (points)", 1, 90, key="rolling")
    linear_only = transform in ("growth rate", "share of total")  # negative changes, and parts of a whole
    log = st.toggle(
        "Log scale",
        key="log",
        disabled=linear_only,
        help="Not for a share or a growth rate: those are drawn on a linear axis." if linear_only else None,
    )
    align = st.toggle(
        "Align by launch date",
        key="align",
        help="Days since each project's GitHub repository was created (shipped with ecotrends, or collected).",
    )
ui.keep_in_url("series", "show", "rolling", "log", "align")

spec = queries.SERIES_BY_KEY[key]
frame = queries.series(db, key, tuple(chosen)) if chosen else pd.DataFrame()
if frame.empty:
    ui.empty_state(
        f"No {spec.label} stored for the chosen projects.",
        f"collect --source {spec.source}",
        f"backfill --source {spec.source}",
    )
    st.stop()

if spec.is_count:  # a count over its window, per the series' unit (day, 30 days, year)
    frame["value"] = ui.per_unit_values(frame, spec.per_days)
    frame = ui.at_window_middle(frame)
first, last = frame["date"].min().date(), frame["date"].max().date()
start, end = (first, last)
if first < last:  # a slider needs two distinct ends; a single day of data is shown as it is
    chosen_range = st.session_state.get("dates")
    if chosen_range is None or st.session_state.get("date_bounds") == tuple(chosen_range):
        chosen_range = (first, last)  # the whole span, also after the projects or the series change
    st.session_state["dates"] = (max(first, min(chosen_range[0], last)), min(last, max(chosen_range[1], first)))
    st.session_state["date_bounds"] = (first, last)
    start, end = st.slider("Date range", min_value=first, max_value=last, key="dates")
    ui.keep_range_in_url("dates", (first, last))
frame = frame[(frame["date"].dt.date >= start) & (frame["date"].dt.date <= end)].copy()
if frame.empty:
    st.info(f"No point of {spec.label} between {start} and {end}: widen the date range.")
    st.stop()
span_start, span_end = frame["date"].min().date(), frame["date"].max().date()

if rolling > 1:
    frame["value"] = ui.rolling_mean(frame, rolling)
grid_note = ""
if transform == "index to 100":
    frame["value"] = frames.indexed(frame)
elif transform in ("growth rate", "share of total"):
    derive = transforms.growth_rate if transform == "growth rate" else transforms.share_of_total
    frame, periods = derive(frame, spec.is_count)
    grid_note = (
        f" {transform.capitalize()} is computed on {periods} in which every chosen project has a point "
        f"({'the mean per day' if spec.is_count else 'the last value'} of each), so that a project missing on a "
        "day never counts as zero."
    )
    if transform == "growth rate":
        period = periods.removeprefix("calendar ").removesuffix("s")
        grid_note += f" Each change is from the {period} just before: after one without a point the line breaks."
    if frame["value"].dropna().empty:
        st.info(f"The chosen projects share no {periods[:-1]} in which all of them have a point: nothing to compare.")
        st.stop()

launch_note = ""
if align:
    frame, unknown = frames.aligned(frame, queries.launch_dates(db))
    unknown = sorted(names[p] for p in unknown)
    if unknown:
        launch_note = (
            f" Aligned on the first data point, as the repository's creation date is unknown: {', '.join(unknown)}."
        )

unit = {
    "values": spec.axis_title,
    "index to 100": "index (first point = 100)",
    "growth rate": "% change from the previous period",
    "share of total": "% of the chosen projects",
}[transform]
figure = ui.line_chart(frame, palette, names, unit, log=log and not linear_only)
image = compare.words(
    spec, frame, names, palette, (span_start, span_end), unit, log=log and not linear_only, aligned=align,
    shipped_until=queries.shipped_until(db, spec.source), note=grid_note + launch_note,
)  # fmt: skip
if align:
    figure.update_xaxes(title=compare.ALIGNED_AXIS)
else:
    image.breaks = queries.breaks(db, spec.source, spec.metric)
    ui.mark_breaks(figure, image.breaks, pd.Timestamp(start), pd.Timestamp(end))
st.plotly_chart(figure, width="stretch")
ui.chart_downloads(image, f"ecotrends-{key}-" + "-".join(sorted(set(frame["project_id"]))), "compare", link=True)
st.caption(
    f"{spec.label}. Hover a point for its value and provenance. Lines break where a series skips more than three "
    f"of its usual steps.{grid_note}{launch_note}"
)

claims = queries.claim_checks(db)
related = claims[(claims["source"] == spec.source) & (claims["kind"] != "uncheckable")] if not claims.empty else claims
if not related.empty:
    with st.expander(f"Claims about this series ({len(related)})"):
        for row in related.itertuples():
            st.page_link(
                "sections/claims.py",
                label=f"{ui.verdict_label(row.verdict)}: {ui.plain(row.statement)}",
                query_params={"claim": row.claim_id},
            )
