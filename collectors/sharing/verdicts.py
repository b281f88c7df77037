"""Verdicts in words, the same on every page and in every report: names, icons, the numbers that decide a claim
and an article's summary line."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from collectors.sharing.frames import day, human


@dataclass(frozen=True)
class Verdict:
    name: str
    label: str
    icon: str
    meaning: str


# The one list of verdicts and their names: the Overview, Claims and Compare pages and the reports all say them so.
VERDICTS = (
    Verdict("supported", "supported", "✅", "the data agrees within the claim's tolerance"),
    Verdict("partly_supported", "partly supported", "☑️", "the measured part holds; the rest is not measured"),
    Verdict("inaccurate", "inaccurate", "🟠", "right direction, but the number or date is off"),
    Verdict("contradicted", "contradicted", "❌", "the data says otherwise"),
    Verdict("no_data", "no data", "⏳", "checkable, but the evidence covers less than half of the period"),
    Verdict("uncheckable", "uncheckable", "➖", "no collected source can check it"),
)
VERDICT = {v.name: v for v in VERDICTS}


def verdict_label(name: str) -> str:
    """'✅ supported': the same words for a verdict on every page."""
    verdict = VERDICT.get(name)
    return f"{verdict.icon} {verdict.label}" if verdict else name


def decisive(claim: pd.Series) -> str:
    """The numbers that decide a claim, in a few words."""
    measured, claimed = claim["measured_value"], claim["claimed_value"]
    when = f" ({day(claim['decisive_date'])})" if pd.notna(claim["decisive_date"]) else ""
    if claim["verdict"] in ("uncheckable", "no_data"):
        return ""
    if claim["kind"] == "release_date":
        return f"claimed {claimed:.0f}; decisive milestone{when}"
    if claim["kind"] == "share":
        return f"claimed {claimed:g}%; measured {measured:.1f}%"
    if claim["kind"] == "value":
        return f"claimed {human(claimed)}; measured {human(measured)}{when}"
    if claim["kind"] == "growth":
        return f"{measured:+.1f}% over the period{when}"
    return f"judged on data up to{when}" if when else ""


def summary_line(claims: pd.DataFrame) -> str:
    """'10 claims: 3 supported, 3 partly supported, 1 no data, 3 uncheckable.'"""
    counts = claims["verdict"].value_counts()
    parts = [f"{counts[v.name]} {v.label}" for v in VERDICTS if counts.get(v.name)]
    return f"{len(claims)} claims: " + ", ".join(parts) + "."
