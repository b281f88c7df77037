"""Run a source the way the CLI does, against recorded responses, into a real DuckDB file."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from collectors import inputs, runner
from collectors.runner import SourceResult


def run(module: ModuleType, db: Path, projects, command: str = "collect") -> SourceResult:
    """As `ecotrends collect --source` does: prepare the database, run the source, rebuild the summaries."""
    inputs.init_db(db, projects)
    [result] = runner.run_sources([module.SOURCE], db, projects, interactive=False, command=command)
    return result


def searched_as(phrase: str, term: str | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A curated project's names under the keys the arXiv and Trends sources declare (its phrase and its term)."""
    return (("arxiv_phrase", (phrase,)), ("trends_term", (term or phrase,)))
