"""What a fact-check report says, gathered from the store: an article's claims with their verdicts, each claim's
evidence chart, the data's cut-off day, and the ecotrends version and database state the verdicts were judged on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

import duckdb
import pandas as pd

from collectors import claims, inputs
from collectors.errors import InputFileError
from collectors.sharing import frames
from collectors.sharing.chart import Chart
from collectors.sharing.evidence import evidence_chart, is_release, milestone_chart
from collectors.sharing.series import Read, dated, reader, sql
from collectors.sharing.verdicts import summary_line


@dataclass
class Judged:
    """One article judged: what the report prints, in order."""

    title: str
    author: str
    published: str
    address: str
    checks: pd.DataFrame  # claim_checks rows, in the article's order
    charts: dict[str, Chart] = field(default_factory=dict)  # claim id -> its evidence chart
    state: pd.DataFrame = field(default_factory=pd.DataFrame)  # per source: points, newest day, how filled
    cutoff: date | None = None  # the newest day of the data the claims were judged on
    version: str = ""

    @property
    def summary(self) -> str:
        return summary_line(self.checks) if not self.checks.empty else "no claims."


def version() -> str:
    """The installed ecotrends release."""
    try:
        return metadata.version("ecotrends")
    except metadata.PackageNotFoundError:
        return "unknown"


def address(article_id: str, file: str) -> str:
    """Where a registered article is: its entry in the register and the file it was read from."""
    return f"data/claims.toml, article {article_id} (file {file})"


def unregistered(conn: duckdb.DuckDBPyConnection, register: str, where: str) -> Judged:
    """An article's proposed claims (register text, the dated ones) judged on the store without storing them."""
    found, dated_claims = claims.parse_register(register, f"the candidates of {where}")
    with inputs.unregistered(conn, found, dated_claims):
        checks = conn.execute("select * from claim_checks order by ordinal").df()
        judged = gather(reader(conn), checks, where)
    if checks.empty and found:
        judged.title, judged.author, judged.published = found[0].title, found[0].author, found[0].published
    return judged


def judge(conn: duckdb.DuckDBPyConnection, target: str) -> Judged:
    """An article of the register by its id, else an article file or URL whose claims are proposed and judged
    without being stored (as `ecotrends claims extract --check` does)."""
    read = reader(conn)
    articles, _ = claims.load_register()
    by_id = {article.id: article for article in articles}
    if target in by_id:
        checks = read(sql("article_checks"), {"article_id": target})
        return gather(read, checks, address(target, by_id[target].file))
    if not re.match(r"https?://", target, re.I) and not Path(target).is_file():
        known = ", ".join(sorted(by_id))
        raise InputFileError(f"{target}: neither an article id of the register ({known}) nor a file or URL")
    from collectors import catalogue
    from collectors.claims import proposals
    from collectors.claims.extraction import Extractor
    from collectors.projects import load_projects

    content, name = proposals.read_article(target)
    proposal = proposals.propose(Extractor(load_projects(), catalogue.named_projects(conn)), content, name)
    return unregistered(conn, proposals.register_toml(proposal.article, proposal.entries), target)


def gather(read: Read, checks: pd.DataFrame, address: str) -> Judged:
    """A report's content for claim_checks rows of one article (the Claims and Check pages pass their own)."""
    offered = read(sql("projects"), {"chosen": sorted({s.strip() for row in checks["involves"] for s in row.split(",")})
                                     if not checks.empty else []})  # fmt: skip
    names = dict(zip(offered["project_id"], offered["name"], strict=True))
    palette = frames.colors(offered)
    charts = {}
    charted = [row.claim_id for row in checks.itertuples() if isinstance(row.evidence, str)]
    evidence = dated(read(sql("claim_evidence"), {"claim_ids": charted})) if charted else pd.DataFrame()
    releases = [row.claim_id for row in checks.itertuples() if is_release(checks.loc[row.Index])]
    stones = dated(read(sql("milestones"), {})) if releases else pd.DataFrame()
    for claim_id in releases:
        drawn = milestone_chart(checks.loc[checks["claim_id"] == claim_id].iloc[0], stones, names, palette)
        if drawn is not None:
            charts[claim_id] = drawn
    for claim_id in charted:
        claim = checks.loc[checks["claim_id"] == claim_id].iloc[0]
        points = evidence[evidence["claim_id"] == claim_id].reset_index(drop=True) if not evidence.empty else evidence
        breaks = read(sql("breaks"), {"source": claim["evidence_source"], "metric": claim["evidence_metric"]})
        drawn = evidence_chart(claim, points, names, palette, breaks)
        if drawn is not None:
            charts[claim_id] = drawn
    state = read(sql("state"), {})
    used = {s for s in [*checks.get("evidence_source", []), *checks.get("source", [])] if isinstance(s, str)}
    newest = state.loc[state["source"].isin(used), "newest_date"].dropna() if not state.empty else pd.Series()
    first = checks.iloc[0] if not checks.empty else pd.Series(dtype=object)
    return Judged(
        title=str(first.get("article", "")), author=str(first.get("author", "")),
        published=str(first.get("published", "")), address=address, checks=checks, charts=charts, state=state,
        cutoff=pd.Timestamp(newest.max()).date() if not newest.empty else None, version=version(),
    )  # fmt: skip
