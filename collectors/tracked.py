"""Projects added by `ecotrends track`: stored in the database (table tracked_project), never in data/projects.toml.

They live in the store so that a team sharing a DuckLake collects the same projects from every machine. Each is a
Project like a curated one: filed in project_subject by inputs.write_projects and asked for by `ecotrends collect`.
A curated project always wins a shared id, repository or package; a tracked one replaces a catalogue entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from collectors import clock, config, sources, store
from collectors.config import Database, Project


@dataclass(frozen=True)
class Tracked:
    """A resolved project and how its identity was established (shown before fetching, stored beside it)."""

    project: Project
    resolved_from: str

    def line(self) -> str:
        """One line for people: id, name, repository, packages, the names sources declared, how it was resolved."""
        p = self.project
        parts = [f"{p.id}: {p.name}", f"repository {p.github}", f"PyPI {', '.join(p.pypi) or '-'}",
                 *(f"{key} {', '.join(names)}" for key, names in p.source_fields)]  # fmt: skip
        return "; ".join(parts) + f" (resolved from {self.resolved_from})"


def project_of(project_id: str, name: str, repo: str, pypi: Sequence[str],
               fields: Mapping[str, Sequence[str]]) -> Project:  # fmt: skip
    """A tracked project as the collectors see it: its names under the keys sources declare (other packages, a tag),
    and its name in lower case under each key a source fills from the name (a phrase, a search term)."""
    named = {key: (name.lower(),) for key in _keys_from_name()}
    given = {key: tuple(names) for key, names in fields.items() if names}
    return Project(id=project_id, name=name, github=repo, pypi=tuple(pypi),
                   source_fields=tuple(sorted((named | given).items())), curated=False)  # fmt: skip


def _keys_from_name() -> set[str]:
    """The keys whose name a tracked project takes from its own name: derived on reading, never stored."""
    return {field.key for source in sources.registry().values() for field in source.project_fields if field.from_name}


def has_table(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and table_name = 'tracked_project'"
        ).fetchone()[0]
    )


def read(conn: duckdb.DuckDBPyConnection) -> list[Tracked]:
    """Every tracked project, oldest first."""
    if not has_table(conn):
        return []
    rows = conn.execute(
        "select project_id, name, github_repo, pypi, source_fields, resolved_from from tracked_project "
        "order by added_at, project_id"
    ).fetchall()
    return [Tracked(project_of(*row[:4], json.loads(row[4])), row[5]) for row in rows]


def names_under(conn: duckdb.DuckDBPyConnection, project_id: str, key: str) -> list[str]:
    """The names a tracked project has under a source's key (none when it is not tracked)."""
    if not has_table(conn):
        return []
    row = conn.execute("select source_fields from tracked_project where project_id = ?", [project_id]).fetchone()
    return list(json.loads(row[0]).get(key, [])) if row else []


def projects(conn: duckdb.DuckDBPyConnection, curated: Sequence[Project]) -> list[Project]:
    """The tracked projects less those a curated project covers (same id, repository, former name or package)."""
    return config.not_covered((t.project for t in read(conn)), curated)


def load(db: Database, curated: Sequence[Project]) -> list[Project]:
    """The tracked projects `ecotrends collect` asks for beside the curated ones (none before the first track)."""
    if not store.exists(db):
        return []
    with store.connect(db, read_only=True) as conn:
        return projects(conn, curated)


def save(conn: duckdb.DuckDBPyConnection, tracked: Sequence[Tracked]) -> None:
    """Insert or replace the rows, inside the caller's transaction; a re-tracked project keeps its first date."""
    derived = _keys_from_name()
    for item in tracked:
        p = item.project
        given = {key: names for key, names in p.source_fields if key not in derived}
        added = conn.execute("select added_at from tracked_project where project_id = ?", [p.id]).fetchone()
        conn.execute("delete from tracked_project where project_id = ?", [p.id])
        conn.execute(
            "insert into tracked_project values (?, ?, ?, ?, ?, ?, ?)",
            [p.id, p.name, p.github, list(p.pypi), json.dumps(given), item.resolved_from,
             added[0] if added else clock.utc_now()],
        )  # fmt: skip


def remove(conn: duckdb.DuckDBPyConnection, project_ids: Sequence[str]) -> None:
    """Delete the rows, inside the caller's transaction; observations stay."""
    for project_id in project_ids:
        conn.execute("delete from tracked_project where project_id = ?", [project_id])


def find(conn: duckdb.DuckDBPyConnection, text: str) -> str | None:
    """The id of the tracked project named by `text`: its id, name, repository or a package (case-insensitive)."""
    if not has_table(conn):
        return None
    from collectors.catalogue import pep503

    text = text.strip().removeprefix("pypi:").lower()
    row = conn.execute(
        "select project_id from tracked_project where project_id = $t or lower(name) = $t or lower(github_repo) = $t "
        "or list_contains(pypi, $p) order by project_id limit 1",
        {"t": text, "p": pep503(text)},
    ).fetchone()
    return row[0] if row else None
