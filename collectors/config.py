"""Where things are (the checkout, the database) and what a tracked project is; collectors/projects.py reads them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "data" / "ecotrends.duckdb"


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    github: str
    pypi: tuple[str, ...]
    arxiv_phrase: str
    trends_term: str
    color: str | None = None
    github_former_names: tuple[str, ...] = ()
    archived: bool = False  # ended: kept in every view and claim, no longer collected
    # Keys that sources declare for themselves (Source.project_fields), e.g. stackoverflow_tag: (key, names).
    source_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def names(self, key: str) -> tuple[str, ...]:
        """The names given under a source's own key (none when the entry leaves it out)."""
        return dict(self.source_fields).get(key, ())


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database file: --db, else $ECOTRENDS_DB, else data/ecotrends.duckdb in the checkout."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("ECOTRENDS_DB")
    return Path(env) if env else DEFAULT_DB


def collected(projects: list[Project]) -> list[Project]:
    """The projects the collectors ask the sources about: archived ones keep their history, nothing more."""
    return [project for project in projects if not project.archived]
