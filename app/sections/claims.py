"""Claims: every registered claim with its verdict, the evidence chart and contradictions side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import queries, ui

VERDICT_ICONS = {"supported": "✅", "inaccurate": "🟠", "contradicted": "❌", "no_data": "⏳", "uncheckable": "➖"}
SERIES_FOR = {(s.source, s.metric): s.key for s in queries.SERIES}

db = str(queries.database())
st.title("Claims")
st.caption("What five articles claim about TensorFlow and PyTorch adoption, each claim set against the data.")
checks = queries.claim_checks(db)
if checks.empty:
    ui.empty_state("The claims register is not loaded yet.", ".venv/bin/ecotrends claims check")
    st.stop()

articles = sorted(checks["article"].unique())
verdicts = list(VERDICT_ICONS)
subjects = sorted({s.strip() for row in checks["subject"] for s in row.split(",")})
ui.url_choices("article", articles, [])
ui.url_choices("verdict", verdicts, [])
ui.url_choices("subject", subjects, [])
with st.sidebar:
    chosen_articles = st.multiselect("Article", articles, key="article")
    chosen_verdicts = st.multiselect("Verdict", verdicts, key="verdict")
    chosen_subjects = st.multiselect("Subject", subjects, key="subject")
ui.keep_in_url("article", "verdict", "subject")

shown = checks
if chosen_articles:
    shown = shown[shown["article"].isin(chosen_articles)]
if chosen_verdicts:
    shown = shown[shown["verdict"].isin(chosen_verdicts)]
if chosen_subjects:
    shown = shown[shown["subject"].map(lambda s: any(x.strip() in chosen_subjects for x in s.split(",")))]

counts = shown["verdict"].value_counts()
for column, verdict in zip(st.columns(len(verdicts)), verdicts, strict=True):
    column.metric(f"{VERDICT_ICONS[verdict]} {verdict.replace('_', ' ')}", int(counts.get(verdict, 0)))

table = shown.assign(verdict=shown["verdict"].map(lambda v: f"{VERDICT_ICONS[v]} {v}"))
st.dataframe(
    table[
        ["verdict", "statement", "article", "subject", "period_start", "period_end", "claimed_value", "measured_value"]
    ],
    hide_index=True,
    width="stretch",
)
if shown.empty:
    st.stop()

ids = list(shown["claim_id"])
statements = dict(zip(shown["claim_id"], shown["statement"], strict=True))
ui.url_choice("claim", ids, ids[0])
claim_id = st.selectbox("Claim", ids, key="claim", format_func=statements.get)
ui.keep_in_url("claim")
claim = shown.set_index("claim_id").loc[claim_id]

st.subheader(f"{VERDICT_ICONS[claim['verdict']]} {claim['verdict'].replace('_', ' ')}: {ui.plain(claim['statement'])}")
st.markdown(ui.plain(claim["explanation"]))
st.caption(
    ui.plain(
        f"From “{claim['article']}” ({claim['author']}, {claim['published']}; file {claim['article_file']}), "
        f"{claim['location']}. How it is checked: {claim['check_method']}"
    )
)


def evidence_chart(claim: pd.Series) -> go.Figure | None:
    """The measured series over the claim's period, with the claimed value drawn on it."""
    key = SERIES_FOR.get((claim["source"], claim["metric"]))
    if claim["source"] == "pypi":
        key = "downloads"
    if key is None:
        return None
    subjects = tuple(s.strip() for s in claim["subject"].split(","))
    start = pd.Timestamp(claim["period_start"]) - pd.Timedelta(days=180)
    end = pd.Timestamp(claim["period_end"]) + pd.Timedelta(days=180)
    frame = queries.series(db, key, subjects)
    if frame.empty and key == "downloads":
        for fallback in ("downloads_mirrors", "downloads_clickpy", "downloads_snapshot"):
            frame = queries.series(db, fallback, subjects)
            if not frame.empty:
                key = fallback
                break
    if frame.empty:
        return None
    spec = queries.SERIES_BY_KEY[key]
    frame = frame[(frame["date"] >= start) & (frame["date"] <= end)].copy()
    if frame.empty:
        return None
    if spec.is_count:
        frame["value"] = ui.per_day_values(frame)
    projects = queries.projects(db)
    names = dict(zip(projects["project_id"], projects["name"], strict=True))
    figure = ui.line_chart(frame, ui.colors(projects), names, spec.unit + (" per day" if spec.is_count else ""))
    figure.add_vrect(
        x0=claim["period_start"],
        x1=claim["period_end"],
        fillcolor="gray",
        opacity=0.12,
        line_width=0,
        annotation_text="claimed period",
        annotation_position="top left",
    )
    if claim["kind"] == "value" and pd.notna(claim["claimed_value"]):
        figure.add_hline(
            y=claim["claimed_value"],
            line_dash="dot",
            line_color="black",
            annotation_text=f"claimed {ui.human(claim['claimed_value'])}",
        )
    ui.mark_breaks(figure, queries.breaks(db, claim["source"], spec.metric), start, end)
    return figure


if claim["verdict"] == "uncheckable":
    st.info("No collected source can check this claim, so there is no chart.")
elif claim["kind"] == "release_date" or claim["metric"] == "created":
    st.info("Release-date claims are checked against dates, not a series: see the explanation above.")
else:
    figure = evidence_chart(claim)
    if figure is None:
        ui.empty_state(
            "The series behind this claim is not collected for its period yet.",
            f".venv/bin/ecotrends backfill --source {claim['source']}",
        )
    else:
        st.plotly_chart(figure, width="stretch")

st.subheader("Contradictions between articles")
pairs = queries.contradictions(db)
if pairs.empty:
    st.caption("No contradictions registered.")
for row in pairs.itertuples():
    left, right = st.columns(2)
    left.markdown(f"{VERDICT_ICONS[row.verdict]} **{ui.plain(row.statement)}**  \n_{ui.plain(row.article)}_")
    right.markdown(
        f"{VERDICT_ICONS[row.other_verdict]} **{ui.plain(row.other_statement)}**  \n_{ui.plain(row.other_article)}_"
    )
    st.divider()
