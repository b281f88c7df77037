"""Run a source the way the CLI does, against recorded responses, into a real DuckDB file."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from collectors import runner
from collectors.runner import SourceResult


def run(module: ModuleType, db: Path, projects, command: str = "collect") -> SourceResult:
    [result] = runner.run_sources([module], db, projects, interactive=False, command=command)
    return result
