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
