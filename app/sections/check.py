"""Check an article: paste it, upload it or give its URL; its adoption claims are proposed, judged at once on the
stored data, corrected by the reader, and downloaded in the register's format. Nothing is stored."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app import queries, reader, ui
from collectors import claims, sources
from collectors.claims import proposals
from collectors.claims.extraction import Extractor
from collectors.errors import ConfigError, InputFileError
from collectors.projects import load_projects
from collectors.sharing import judging, report

SOURCES = ("paste", "upload", "url")
SOURCE_LABELS = {"paste": "Paste the text", "upload": "Upload a file", "url": "Fetch a URL"}
KINDS = ("value", "share", "comparison", "growth", "release_date", "uncheckable", "rank", "crossover")
# The columns a reader corrects; the rest (id, check, tolerance, ...) ride along unseen.
EDITABLE = ("accept", "kind", "subjects", "source", "metric", "period_start", "period_end", "claimed_value",
            "claimed_month", "unit", "direction")  # fmt: skip
SHOWN = ("accept", "statement", *EDITABLE[1:], "confidence", "location", "reason")


@st.cache_resource(show_spinner="Reading the catalogue's names…", ttl=600)
def extractor(db: str) -> Extractor:
    """The curated projects and every catalogue or tracked one, by their names (built once: 52,000 projects)."""
    return Extractor(load_projects(), queries.named_projects(db))


@st.cache_data(show_spinner="Reading the article…", max_entries=20)
def candidates_of(content: str, name: str, db: str) -> tuple[claims.Article, pd.DataFrame]:
    """The article's entry and its candidates as register entries, one row each, all accepted to begin with."""
    proposal = proposals.propose(extractor(db), content, name)
    rows = [{**entry, "subjects": ", ".join(entry["subjects"]), "accept": True, "confidence": candidate.confidence}
            for candidate, entry in zip(proposal.candidates, proposal.entries, strict=True)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(dict.fromkeys([*SHOWN, "id", "check", "tolerance", "unmeasured"])))
    frame["claimed_month"] = frame["claimed_month"].astype("Int64")
    frame["claimed_value"] = frame["claimed_value"].astype("Float64")
    return proposal.article, frame


def entry_of(row: pd.Series, proposed_id: str, article_id: str) -> dict:
    """An edited row back as a register entry: empty cells dropped, subjects a list, whole numbers as ints."""
    entry = {}
    for key, value in row.items():
        if key in ("accept", "confidence") or value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        if isinstance(value, str) and not value.strip():
            continue
        entry[key] = value
    entry["article"] = article_id
    entry["id"] = article_id + str(row["id"]).removeprefix(proposed_id)  # the article's id, then the claim's
    entry["subjects"] = [s.strip() for s in str(row["subjects"]).split(",") if s.strip()]
    if "claimed_month" in entry:
        entry["claimed_month"] = int(entry["claimed_month"])
    if "claimed_value" in entry:
        entry["claimed_value"] = float(entry["claimed_value"])
    return entry


def validated(article: claims.Article, proposed_id: str, rows: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """The accepted rows that form valid claims, and for the others what is wrong, by row."""
    entries, problems = [], []
    for position, (_, row) in enumerate(rows.iterrows(), start=1):
        if not row["accept"]:
            continue
        entry = entry_of(row, proposed_id, article.id)
        try:
            claims.parse_register(proposals.register_toml(article, [entry]), f"row {position}")
        except ConfigError as exc:
            problems.append(str(exc).replace(": claim #1 (", " (", 1))  # each row is checked alone
            continue
        if entry.get("period_start"):
            entries.append(entry)
        else:
            problems.append(f"row {position}: needs a period (period_start and period_end, YYYY-MM-DD)")
    return entries, problems


def article_input() -> tuple[str, str] | None:
    """(content, name) of the article the reader gave, or None."""
    origin = st.radio("Article", SOURCES, key="check_from", format_func=SOURCE_LABELS.get, horizontal=True)
    if origin == "paste":
        text = st.text_area("Article text (plain text, Markdown or HTML)", key="check_text", height=220,
                            placeholder="Paste the article here, then press Ctrl+Enter")  # fmt: skip
        return (text, "pasted text") if text.strip() else None
    if origin == "upload":
        upload = st.file_uploader("Article file", type=["txt", "md", "html", "htm"], key="check_file")
        if upload is None:
            return None
        if upload.size > proposals.MAX_ARTICLE_BYTES:
            st.error(f"{upload.name}: larger than {proposals.MAX_ARTICLE_BYTES // 1_000_000} MB, not an article.")
            return None
        return upload.getvalue().decode("utf-8", errors="replace"), upload.name
    with st.form("check_fetch", border=False):
        url = st.text_input("URL of the article", key="check_url", placeholder="https://…")
        fetch = st.form_submit_button("Fetch")
    if fetch and url.strip():
        try:
            st.session_state["check_fetched"] = (url.strip(), *proposals.read_article(url.strip()))
        except InputFileError as exc:
            st.session_state.pop("check_fetched", None)
            st.error(ui.plain(exc))
            return None
    fetched = st.session_state.get("check_fetched")
    return (fetched[1], fetched[2]) if fetched else None


db = str(reader.database())
st.title("Check an article")
st.caption(
    "Give an article about framework adoption: its claims are proposed with the sentence or table row each comes "
    "from, judged at once on the stored data, and yours to correct. Nothing is stored; download the claims you "
    "accept in the format of data/claims.toml to add them to the register."
)
if queries.projects(db).empty:
    ui.empty_state("There is no stored data to judge claims on yet; the claims are still proposed.", "seed --if-needed")
given = article_input()
if given is None:
    st.info("Paste an article's text, upload a .txt, .md or .html file, or fetch it from its URL.")
    st.stop()
content, name = given
article, frame = candidates_of(content, name, db)
if frame.empty:
    st.info(
        "No adoption claim found: no sentence or table row names a known project with a figure, a date or a trend. "
        "Known are the curated projects of data/projects.toml, the shipped catalogue's and those added by "
        f"`{ui.hint('track NAME')}` (a project is found by its name, owner/repo or PyPI package)."
    )
    st.stop()

digest = hashlib.sha256(content.encode()).hexdigest()[:12]
if st.session_state.get("check_article_for") != digest:  # a new article: its id starts as the proposed one
    st.session_state["check_article_for"] = digest
    st.session_state["check_article_id"] = article.id
proposed_id = article.id
article_id = st.text_input("Article id (every claim id starts with it)", key="check_article_id").strip() or article.id
article = claims.Article(article_id, article.file, article.title, article.author, article.published,
                         article.published_basis)  # fmt: skip
st.caption(ui.plain(f"“{article.title}”, {article.author}, published {article.published} ({article.published_basis})."))

st.header("Candidates")
st.caption(
    "One row per claim. Untick a row to leave it out; correct a cell where the extractor misread the article. "
    "Subjects are project ids separated by commas; periods are dates YYYY-MM-DD."
)
edited = st.data_editor(
    frame,
    key=f"check_editor_{digest}",
    hide_index=True,
    width="stretch",
    column_order=SHOWN,
    disabled=[column for column in SHOWN if column not in EDITABLE],
    column_config={
        "accept": st.column_config.CheckboxColumn("accept", help="include this claim in the check and the download"),
        "kind": st.column_config.SelectboxColumn("kind", options=KINDS, required=True),
        "source": st.column_config.SelectboxColumn("source", options=(*sources.registry(), "none")),
        "claimed_value": st.column_config.NumberColumn("claimed value", format="%g"),
        "claimed_month": st.column_config.NumberColumn("month", min_value=1, max_value=12, step=1),
        "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
        "statement": st.column_config.TextColumn("evidence (as written)", width="large"),
    },
)
entries, problems = validated(article, proposed_id, edited)
for problem in problems:
    st.warning(ui.plain(problem))

st.header("Verdicts")
if not entries:
    st.info("No accepted claim with a period to judge: tick a row, or give it a period.")
    st.stop()
register = proposals.register_toml(article, entries)
checks = queries.judge_register(db, register)
if checks.empty:
    st.info("No verdicts without stored data: load the shipped history first (see above).")
else:
    counts = checks["verdict"].value_counts()
    for column, verdict in zip(st.columns(len(ui.VERDICTS)), ui.VERDICTS, strict=True):
        column.metric(ui.verdict_label(verdict.name), int(counts.get(verdict.name, 0)), help=verdict.meaning)
    st.dataframe(
        pd.DataFrame({
            "verdict": checks["verdict"].map(ui.verdict_label),
            "where": checks["location"],
            "claim": checks["statement"],
            "explanation": checks["explanation"],
            "evidence": checks["evidence"],
        }),
        hide_index=True, width="stretch",
        column_config={"explanation": st.column_config.TextColumn(width="large")},
    )  # fmt: skip
def article_report() -> bytes:
    """The fact-check report of the accepted claims as self-contained HTML (`ecotrends claims report FILE|URL`)."""
    judged = []
    reader.run(db, lambda conn: judged.append(judging.unregistered(conn, register, name)) or pd.DataFrame())
    return report.html(judged[0]).encode()


if not checks.empty:
    st.download_button(
        "Fact-check report (HTML)", data=article_report, file_name=f"{article.id}-fact-check.html", mime="text/html",
        key="check_report", on_click="ignore", icon=":material/download:",
        help="One self-contained file: each claim with its verdict, numbers and evidence chart.",
    )  # fmt: skip
st.download_button(
    f"Download the {len(entries)} accepted claim(s) as TOML",
    data=register,
    file_name=f"{article.id}.toml",
    mime="application/toml",
    help="Append its [[article]] and [[claim]] blocks to data/claims.toml, then run: ecotrends claims check",
)
