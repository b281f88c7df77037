"""ecotrends collectors: GitHub, PyPI, arXiv and Google Trends signals into DuckDB."""

__version__ = "0.1.0"
