"""Claims: a report card per article, each claim with its verdict, the decisive numbers and its evidence chart."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import queries, reader, ui
from collectors.sharing import evidence as sharing_evidence
from collectors.sharing import judging, report
from collectors.sharing.chart import Chart
from collectors.sharing.evidence import evidence_values
from collectors.sharing.verdicts import decisive, summary_line

JUDGED = ("supported", "partly_supported", "inaccurate", "contradicted")


def evidence_chart(claim: pd.Series) -> tuple[go.Figure, Chart] | None:
    """The points the claim was judged on (or its proxy), over the claimed period, with the claim drawn on it."""
    points = queries.claim_evidence(db, claim["claim_id"])
    if points.empty:
        return None
    frame, y_title, label = evidence_values(claim, points)
    figure = ui.line_chart(frame, palette, names, y_title)
    figure.add_vrect(
        x0=claim["period_start"], x1=claim["period_end"], fillcolor="gray", opacity=0.12, line_width=0,
        annotation_text="claimed period", annotation_position="top left",
    )  # fmt: skip
    if claim["kind"] == "value" and pd.notna(claim["claimed_value"]):
        figure.add_hline(y=claim["claimed_value"], line_dash="dot", line_color="black",
                         annotation_text=f"claimed {ui.human(claim['claimed_value'])}")  # fmt: skip
    prefix = "Proxy, not a check" if claim["verdict"] == "uncheckable" else "Evidence"
    figure.update_layout(title={"text": f"{prefix}: {label}", "font": {"size": 13}})
    breaks = queries.breaks(db, claim["evidence_source"], claim["evidence_metric"])
    ui.mark_breaks(figure, breaks, frame["date"].min(), frame["date"].max())
    image = sharing_evidence.evidence_chart(claim, points, names, palette, breaks)
    return figure, image


def article_report(article_id: str) -> bytes:
    """One article's fact-check report as self-contained HTML: the file `ecotrends claims report ID` writes."""
    claims = checks[checks["article_id"] == article_id]
    address = judging.address(article_id, claims["article_file"].iloc[0])
    return report.html(judging.gather(queries.reads(db), claims, address)).encode()


def milestone_chart(claim: pd.Series) -> tuple[go.Figure, Chart] | None:
    """Release claims: each subject's dated milestones, with the claimed period shaded."""
    subjects = [s.strip() for s in claim["subject"].split(",")]
    stones = sharing_evidence.milestones_of(claim, queries.milestones(db))
    if stones.empty:
        return None
    figure = go.Figure()
    for milestone, (text, symbol, _) in sharing_evidence.MILESTONES.items():
        rows = stones[stones["milestone"] == milestone]
        figure.add_trace(
            go.Scatter(
                x=rows["date"], y=rows["project_id"].map(names), mode="markers", name=text,
                marker={"symbol": symbol, "size": 14, "color": [palette.get(p) for p in rows["project_id"]]},
                customdata=rows["origin"].to_numpy().reshape(-1, 1),
                hovertemplate="%{x|%Y-%m-%d}: " + text + "<br><span style='font-size:10px'>%{customdata[0]}</span>"
                "<extra></extra>",
            )
        )  # fmt: skip
    figure.add_vrect(
        x0=claim["period_start"], x1=claim["period_end"], fillcolor="gray", opacity=0.15, line_width=0,
        annotation_text="claimed", annotation_position="top left",
    )  # fmt: skip
    figure.update_layout(
        height=120 + 60 * len(subjects), margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=True,
        legend={"orientation": "h", "y": -0.3}, xaxis_title="date", yaxis_title="",
    )  # fmt: skip
    return figure, sharing_evidence.milestone_chart(claim, stones, names, palette)


db = str(reader.database())
st.title("Claims")
st.caption(
    "What five articles comparing TensorFlow and PyTorch claim about adoption, each claim judged on the best "
    "evidence stored. Pick a claim to see the series it was judged on."
)
checks = queries.claim_checks(db)
if checks.empty:
    ui.empty_state("The claims register is not loaded yet.", "seed", "claims check")
    st.stop()
projects = queries.projects(db)
names = dict(zip(projects["project_id"], projects["name"], strict=True))
palette = ui.colors(projects)

articles = list(dict.fromkeys(checks["article"]))
verdicts = [v.name for v in ui.VERDICTS]
subjects = sorted({s.strip() for row in checks["involves"] for s in row.split(",")})
ui.url_choices("article", articles, [])
ui.url_choices("verdict", verdicts, [])
ui.url_choices("subject", subjects, [])
with st.sidebar:
    chosen_articles = st.multiselect("Article", articles, key="article")
    chosen_verdicts = st.multiselect("Verdict", verdicts, key="verdict", format_func=ui.verdict_label)
    chosen_subjects = st.multiselect(
        "Subject", subjects, key="subject", format_func=lambda s: names.get(s, s), help="any project a claim involves"
    )
ui.keep_in_url("article", "verdict", "subject")

shown = checks
if chosen_articles:
    shown = shown[shown["article"].isin(chosen_articles)]
if chosen_verdicts:
    shown = shown[shown["verdict"].isin(chosen_verdicts)]
if chosen_subjects:
    shown = shown[shown["involves"].map(lambda s: any(x.strip() in chosen_subjects for x in s.split(",")))]

counts = shown["verdict"].value_counts()
for column, verdict in zip(st.columns(3) + st.columns(3), ui.VERDICTS, strict=True):
    column.metric(ui.verdict_label(verdict.name), int(counts.get(verdict.name, 0)), help=verdict.meaning)

if shown.empty:
    filters = [f"{name}: {', '.join(values)}" for name, values in
               (("articles", chosen_articles), ("verdicts", [ui.VERDICT[v].label for v in chosen_verdicts]),
                ("subjects", chosen_subjects)) if values]  # fmt: skip
    st.info(f"No claim matches all of these filters together ({'; '.join(filters)}). Remove one to see more.")
    st.stop()

st.header("Report cards")
for article, claims in shown.groupby("article", sort=False):
    first = claims.iloc[0]
    with st.expander(f"{article}: {summary_line(claims)}", expanded=len(chosen_articles) == 1):
        st.caption(ui.plain(f"{first['author']}, {first['published']}; checked from the file {first['article_file']}."))
        st.download_button(
            "Fact-check report (HTML)", data=functools.partial(article_report, first["article_id"]),
            file_name=f"{first['article_id']}-fact-check.html", mime="text/html", key=f"report_{first['article_id']}",
            on_click="ignore", icon=":material/download:",
            help="One self-contained file: every claim of the article with its verdict, numbers and evidence chart "
            "(the same as: ecotrends claims report " + first["article_id"] + ")",
        )  # fmt: skip
        for claim in claims.itertuples():
            numbers = decisive(pd.Series(claim._asdict()))
            st.page_link(
                "sections/claims.py",
                label=f"{ui.verdict_label(claim.verdict)} · {claim.statement}" + (f" · {numbers}" if numbers else ""),
                query_params={"claim": claim.claim_id},
            )

st.header("Evidence")
ids = list(shown["claim_id"])
# The page opens on a judged claim with a series chart, else any judged claim (release claims chart milestones).
judged = shown[shown["verdict"].isin(JUDGED)]
with_series = judged[~judged["kind"].isin(["release_date"]) & (judged["metric"] != "created")]
with_chart = list(with_series["claim_id"]) + list(judged["claim_id"])
# Two articles can make the same claim: the article tells them apart in the list.
statements = {row.claim_id: f"{row.statement} ({row.article_id})" for row in shown.itertuples()}
ui.url_choice("claim", ids, with_chart[0] if with_chart else ids[0])
claim_id = st.selectbox("Claim", ids, key="claim", format_func=statements.get)
ui.keep_in_url("claim")
claim = shown.set_index("claim_id").loc[claim_id].copy()
claim["claim_id"] = claim_id

st.subheader(f"{ui.verdict_label(claim['verdict'])}: {ui.plain(claim['statement'])}")
st.markdown(ui.plain(claim["explanation"]))
st.caption(
    ui.plain(
        f"From “{claim['article']}” ({claim['author']}, {claim['published']}), {claim['location']}. "
        f"How it is checked: {claim['check_method']}"
    )
)
figure = image = None
if sharing_evidence.is_release(claim):
    figure, image = milestone_chart(claim) or (None, None)
elif claim["verdict"] == "uncheckable" and not isinstance(claim["proxy"], str):
    st.info("No collected source can check this claim, and it names no proxy: there is nothing to chart.")
else:
    figure, image = evidence_chart(claim) or (None, None)
if figure is not None:
    st.plotly_chart(figure, width="stretch")
    ui.chart_downloads(image, f"evidence-{claim_id}", "evidence", link=True)
elif claim["verdict"] != "uncheckable":
    source = claim["source"] if claim["source"] != "none" else "github"
    ui.empty_state("The series behind this claim is not stored for its period yet.", f"backfill --source {source}")

st.header("Contradictions between articles")
pairs = queries.contradictions(db)
if pairs.empty:
    st.caption("No contradictions registered.")
for row in pairs.itertuples():
    left, right = st.columns(2)
    left.markdown(f"{ui.verdict_label(row.verdict)} **{ui.plain(row.statement)}**  \n_{ui.plain(row.article)}_")
    right.markdown(
        f"{ui.verdict_label(row.other_verdict)} **{ui.plain(row.other_statement)}**  \n_{ui.plain(row.other_article)}_"
    )
    st.divider()
