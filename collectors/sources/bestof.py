"""The best-of lists (ml-tooling/best-of-*): what their weekly history files carry beyond stars and forks,
shipped in data/seed/catalogue/ for the repositories they list. Contributors and dependents over time are series
no other source keeps. Nothing collects it: it is loaded with the seed, under each project's repository."""

from __future__ import annotations

from collectors.source import Series, Source

NAME = "bestof"

SOURCE = Source(
    name=NAME,
    title="best-of lists",
    subjects=lambda project: [project.github] if project.github else [],
    series=(
        Series("contributors", "contributors", "GitHub contributors (best-of lists, weekly)", "contributors"),
        Series("dependents", "dependents", "Projects depending on it (best-of lists, weekly)", "dependents"),
        Series("pypi_month", "pypi_downloads_month", "PyPI downloads in the last month (best-of lists, weekly)",
               "downloads a month"),
        Series("conda_total", "conda_downloads_total", "Anaconda package downloads, all time (best-of lists, weekly)",
               "downloads"),
    ),
    fill=("seed",),
)  # fmt: skip
