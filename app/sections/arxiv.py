"""Research: arXiv metadata mentions per month, their shares, and the conference-paper series (full text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import queries, transforms, ui

db, projects, chosen = ui.source_page("Research mentions", "seed", "backfill --source arxiv")
frames = queries.series_group(db, ("arxiv", "arxiv_share"), chosen)
mentions = frames["arxiv"]
several = not mentions.empty and mentions["project_id"].nunique() > 1
share = transforms.share_of_total(mentions, is_count=True)[0] if several else pd.DataFrame()
papers = queries.series(db, "papers", chosen)
breaks = queries.breaks(db, "arxiv", "papers_mentioning")
ui.panels(
    [
        ui.Panel(mentions, "arXiv papers mentioning each project, per month", "papers per 30 days",
                 "no arXiv months", ("backfill --source arxiv",), per_days=30),
        ui.Panel(share, "Share among the chosen projects (arXiv)", "% of their mentions", "no arXiv months",
                 ("backfill --source arxiv",), caption="Months in which every chosen project has a count."),
        ui.Panel(frames["arxiv_share"], "Share of all deep-learning papers (arXiv)",
                 "% of papers in cs.LG, cs.CV, cs.CL, cs.AI, cs.NE, stat.ML", "no arXiv months",
                 ("backfill --source arxiv",)),
        ui.Panel(papers, "Conference papers mentioning each framework (full text, yearly)", "papers per year",
                 "no conference-paper series", ("seed",), per_days=365,
                 caption="Accepted papers of NeurIPS, ICLR, ICML, CVPR, ECCV, ICCV, ACL, EMNLP and NAACL whose full "
                 "text mentions PyTorch and not TensorFlow, or the reverse (Horace He's data; 2022: ICLR submissions "
                 "only). A different basis from arXiv metadata."),
    ],
    projects,
    {"arXiv papers mentioning each project, per month": breaks},
)  # fmt: skip
denominator = queries.arxiv_denominator(db)
if not denominator.empty:
    st.subheader("Denominator: deep-learning papers per month")
    st.bar_chart(denominator, x="month", y="papers_total", height=240)
st.caption(
    "arXiv counts are papers whose title, abstract or comments name the project (metadata only, never full text), in "
    "the deep-learning categories: papers that name a framework, not all papers that use it."
)
