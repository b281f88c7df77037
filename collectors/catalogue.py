"""The catalogue: tens of thousands of real projects beyond data/projects.toml, with their history, shipped in
data/seed/catalogue/ (built by data/seed/build_catalogue.py from public archives; PROVENANCE.md says how).

Loaded with the seed, its projects are filed in project_subject beside the curated ones, so that Compare, the
source pages and the claims reach any of them. A curated project always wins: a catalogue entry that shares its
id, repository or a package with one is left out. Nothing here collects: `ecotrends track` does that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from collectors import config, store
from collectors.config import Project, catalogue_dir

SEARCH_LIMIT = 12


def projects_file() -> Path:
    return catalogue_dir() / "projects.parquet"


def observations_file() -> Path:
    return catalogue_dir() / "observations.parquet"


def files() -> list[Path]:
    """The shipped catalogue files (none in a checkout that leaves the catalogue out)."""
    return [path for path in (projects_file(), observations_file()) if path.exists()]


def sources_in() -> list[str]:
    """The sources the catalogue holds rows of (each is loaded under a seed run of its own)."""
    if not observations_file().exists():
        return []
    query = f"select distinct source from read_parquet({_literal(observations_file())}) order by source"
    return [row[0] for row in duckdb.sql(query).fetchall()]


def load(conn: duckdb.DuckDBPyConnection, run_ids: dict[str, int]) -> dict[str, int]:
    """Replace the catalogue's projects and upsert its observations (each source under its run), inside the
    caller's transaction, reading the Parquet files in DuckDB: millions of rows never pass through pandas. A stored
    point is replaced only when a seed run put it there: collected and imported values always win."""
    if len(files()) < 2:  # a checkout without the catalogue: the curated history alone
        return {}
    replaceable = store.seed_runs(conn)
    projects_path, observations_path = _literal(projects_file()), _literal(observations_file())
    conn.execute("delete from catalogue_project")
    conn.execute(
        "insert into catalogue_project select project_id, name, github_repo, pypi, conda, github_former_names, "
        f"created, lists, basis from read_parquet({projects_path})"
    )
    written = dict.fromkeys(run_ids, 0)
    if "github" in run_ids:
        events = creation_events(conn, run_ids["github"])
        for source, count in store.upsert_events(conn, events, store.SEED_ONLY).items():
            written[source] = written.get(source, 0) + count
    parts = conn.execute(f"select distinct source, metric from read_parquet({observations_path}) order by all")
    for source, metric in parts.fetchall():  # one series kind at a time: a bounded batch, a bounded peak of memory
        batch = conn.sql(
            "select source, subject, metric, date::date as date, coalesce(window_days, 0)::integer as window_days, "
            "value::double as value, origin, current_timestamp::timestamp as collected_at, "
            f"{int(run_ids[source])}::bigint as run_id from read_parquet({observations_path}) "
            f"where source = {_literal(source)} and metric = {_literal(metric)}"
        )
        batch.create_view("incoming_batch", replace=True)
        try:
            written[source] += store.merge_batch(conn, source, replaceable)
        finally:
            conn.execute("drop view if exists incoming_batch")
    return written


def creation_events(conn: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """The creation day of each catalogue repository the best-of lists recorded (GitHub's created_at), as the
    dated facts release claims are judged on."""
    return conn.execute(_sql("catalogue_creation_events.sql"), {"run_id": run_id}).df()


def projects(conn: duckdb.DuckDBPyConnection, curated: Sequence[Project]) -> list[Project]:
    """The catalogue's projects as Project entries, less those a curated project already covers (same id,
    repository, former repository name or package)."""
    if not _has_table(conn):
        return []
    rows = conn.execute(
        "select project_id, name, github_repo, pypi, conda, github_former_names from catalogue_project "
        "order by project_id"
    ).fetchall()
    found = (Project(id=project_id, name=name, github=repo or "", pypi=tuple(pypi), curated=False,
                     github_former_names=tuple(former), source_fields=(("conda", tuple(conda)),) if conda else ())
             for project_id, name, repo, pypi, conda, former in rows)  # fmt: skip
    return config.not_covered(found, curated)


def search(conn: duckdb.DuckDBPyConnection, text: str, limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Projects whose name, repository or PyPI package matches `text`, best match first (sql/find_projects.sql)."""
    text = text.strip().lower()
    return conn.execute(_sql("find_projects.sql"), {"text": text, "package": pep503(text), "limit": limit}).df()


def pep503(name: str) -> str:
    """A PyPI name as PyPI compares names: lower case, runs of -, _ and . as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _has_table(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and table_name = 'catalogue_project'"
        ).fetchone()[0]
    )


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


PROMINENT_STARS = 5_000  # a project this starred or downloaded is meant by its plain name in an article
PROMINENT_DOWNLOADS = 1_000_000  # per 30 days


def named_projects(conn: duckdb.DuckDBPyConnection) -> list:
    """Every known project beyond the curated ones, for the claim extractor: the most starred and downloaded first,
    so that a name two projects share means the better-known one (sql/find_projects.sql ranks the same way)."""
    from collectors.claims.extraction import Named

    if not _has_table(conn) or not conn.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and table_name = 'project_directory'"
    ).fetchone()[0]:
        return []
    rows = conn.execute(_sql("catalogue_named_projects.sql"),
                        {"prominent_stars": PROMINENT_STARS, "prominent_downloads": PROMINENT_DOWNLOADS}).fetchall()
    return [Named(pid, name, repo, tuple(pypi), bool(prominent)) for pid, name, repo, pypi, prominent in rows]


def _sql(name: str) -> str:
    return (store.SQL_DIR / name).read_text(encoding="utf-8")
