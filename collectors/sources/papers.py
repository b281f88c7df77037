"""Conference papers: how many accepted papers of the major ML conferences mention each framework in their
full text, per year (Horace He's data, shipped in data/seed/). Nothing collects it: it is loaded with the seed or
with `ecotrends import`, and stored under each framework's project id."""

from __future__ import annotations

from collectors.source import Rung, Series, Source

NAME = "papers"
DENOMINATOR_SUBJECT = "all"  # every paper of the venues of a year
LABEL = "conference papers whose full text mentions the framework and not its rival (yearly)"

SOURCE = Source(
    name=NAME,
    title="Conference papers",
    subjects=lambda project: [project.id] if project.curated else [],
    series=(
        Series("papers", "papers_mentioning", "Conference papers mentioning, full text (yearly)", "papers",
               is_count=True, per_days=365, windows=(365, 366),
               judges=(Rung("arxiv", "papers_mentioning", 2, LABEL), Rung(NAME, "papers_mentioning", 1, LABEL))),
        Series("papers_share", "share_of_papers", "Share of conference papers mentioning, full text (yearly)",
               "% of papers", windows=(365, 366), share_of="papers_mentioning",
               denominator_metric="papers_total", denominator_subject=DENOMINATOR_SUBJECT,
               judges=(Rung("arxiv", "share_of_deep_learning", 2, "share of conference papers whose full text "
                            "mentions the framework (yearly)"),)),
    ),
    fill=("seed", "import papers.csv"),
)  # fmt: skip
