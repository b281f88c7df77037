"""A fact-check report of one article, written as one self-contained HTML file (its charts inline as data: URIs,
no script, nothing fetched; readable on a phone, printable) or as Markdown with its chart images beside it."""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from collectors.sharing.chart import render
from collectors.sharing.frames import day, human
from collectors.sharing.judging import Judged
from collectors.sharing.verdicts import VERDICT, decisive, verdict_label

CHART_SIZE = (760, 420)
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; line-height: 1.45;
       max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
blockquote { margin: 0.5rem 0; padding: 0.25rem 0.75rem; border-left: 4px solid #999; background: #f5f5f5; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; font-size: 0.92rem; }
dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; display: block; margin: 0.5rem 0; }
.verdict { font-weight: bold; } .meta, footer { color: #555; font-size: 0.88rem; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.claim { break-inside: avoid; page-break-inside: avoid; }
  img { max-height: 9cm; }
  a { color: inherit; text-decoration: none; }
}
"""


def facts(claim: pd.Series) -> list[tuple[str, str]]:
    """The lines printed under a claim: verdict, decisive numbers and dates, coverage, origin of the evidence."""
    rows = [("Verdict", f"{verdict_label(claim['verdict'])} ({VERDICT[claim['verdict']].meaning})"
             if claim["verdict"] in VERDICT else str(claim["verdict"]))]  # fmt: skip
    numbers = decisive(claim)
    if numbers:
        rows.append(("Decisive numbers", numbers))
    if pd.notna(claim["claimed_value"]):
        rows.append(("Claimed", _number(claim["claimed_value"], claim["unit"])))
    if pd.notna(claim["measured_value"]):
        rows.append(("Measured", _number(claim["measured_value"], claim["unit"])))
    if pd.notna(claim["decisive_date"]):
        rows.append(("Decisive date", day(claim["decisive_date"])))
    if pd.notna(claim["period_start"]):
        rows.append(("Claimed period", f"{day(claim['period_start'])} to {day(claim['period_end'])}"))
    if pd.notna(claim["coverage"]):
        rows.append(("Coverage", f"{claim['coverage'] * 100:.0f}% of the period has evidence"))
    if isinstance(claim["evidence"], str):
        origin = f"{claim['evidence']} ({claim['evidence_source']} {claim['evidence_metric']}"
        rows.append(("Evidence", origin + (f", rung {claim['rung']})" if pd.notna(claim["rung"]) else ")")))
    rows.append(("Explanation", _text(claim["explanation"])))
    rows.append(("How it is checked", _text(claim["check_method"])))
    return rows


def _number(value: float, unit: object) -> str:
    """A claimed or measured number as people read it: a year as a year, a percentage with its sign, a large
    count both rounded and exact (65.2K, 65,210)."""
    if unit == "year":
        return f"{value:.0f}"
    if unit == "percent":
        return f"{value:.1f}%"
    exact = f" ({value:,.0f})" if abs(value) >= 1000 else ""
    return f"{human(value)}{exact}" + (f" {unit}" if isinstance(unit, str) and unit else "")


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _state_lines(judged: Judged) -> list[str]:
    """The database state: per source its points, newest day, and whether it was collected or only shipped."""
    lines = []
    for row in judged.state.itertuples():
        how = "collected " + day(row.last_success) if pd.notna(row.last_success) else (
            f"last filled by {row.last_import_command}" if isinstance(row.last_import_command, str) else "")
        lines.append(f"{row.source}: {int(row.points):,} points up to {day(row.newest_date)}" + (f", {how}" if how
                                                                                                  else ""))  # fmt: skip
    return lines


def _meta(judged: Judged) -> list[tuple[str, str]]:
    return [("Author", judged.author), ("Published", judged.published), ("Address", judged.address)]


def html(judged: Judged) -> str:
    """The report as one HTML file with nothing outside it."""
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Fact check: {escape(judged.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Fact check: {escape(judged.title)}</h1>",
        "<dl class='meta'>" + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in _meta(judged)) + "</dl>",
        f"<p class='summary'><strong>{escape(judged.summary)}</strong></p>",
    ]  # fmt: skip
    for _, claim in judged.checks.iterrows():
        parts.append(f"<section class='claim' id='{escape(claim['claim_id'])}'>")
        parts.append(f"<h2><span class='verdict'>{escape(verdict_label(claim['verdict']))}</span></h2>")
        parts.append(f"<blockquote>{escape(claim['statement'])}</blockquote>")
        parts.append(f"<p class='meta'>{escape(_text(claim['location']))} · claim {escape(claim['claim_id'])}</p>")
        parts.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in facts(claim)) + "</dl>")
        chart = judged.charts.get(claim["claim_id"])
        if chart is not None:
            data = base64.b64encode(render(chart, "svg", *CHART_SIZE)).decode("ascii")
            parts.append(f"<img alt='{escape(chart.title)}' src='data:image/svg+xml;base64,{data}'>")
        parts.append("</section>")
    parts.append("<footer><h2>What this was judged on</h2><p>")
    parts.append(f"Data cut-off: {day(judged.cutoff)}. ecotrends {escape(judged.version)}.</p>")
    parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in _state_lines(judged)) + "</ul></footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def markdown(judged: Judged, folder: str) -> tuple[str, dict[str, bytes]]:
    """The report as GitHub Markdown and its chart images by file name, to be written into `folder` beside it."""
    images: dict[str, bytes] = {}
    lines = [f"# Fact check: {_md(judged.title)}", ""]
    lines += [f"- **{k}:** {_md(v)}" for k, v in _meta(judged)]
    lines += ["", f"**{_md(judged.summary)}**", ""]
    for _, claim in judged.checks.iterrows():
        lines += [f"## {verdict_label(claim['verdict'])}", "", f"> {_md(claim['statement'])}", ""]
        lines += [f"- **{k}:** {_md(v)}" for k, v in facts(claim)]
        chart = judged.charts.get(claim["claim_id"])
        if chart is not None:
            name = f"{claim['claim_id']}.svg"
            images[name] = render(chart, "svg", *CHART_SIZE)
            lines += ["", f"![{_md(chart.title)}]({folder}/{name})"]
        lines.append("")
    lines += ["## What this was judged on", "", f"Data cut-off: {day(judged.cutoff)}. ecotrends {judged.version}.", ""]
    lines += [f"- {_md(line)}" for line in _state_lines(judged)]
    return "\n".join(lines) + "\n", images


def _md(text: str) -> str:
    """Text made inert for Markdown: no HTML, links or emphasis from the article's words."""
    return escape(str(text)).replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("`", "\\`")
