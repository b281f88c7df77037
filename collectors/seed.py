"""The history shipped with ecotrends (data/seed/): real archived figures and dated facts, loaded into a new
or empty database so that the app answers on its first start, without network.

Seeded points keep their origin and are recorded as `seed` runs. Collected and imported values always
win: loading the seed again only fills what is missing and corrects points the seed itself put there.
data/seed/PROVENANCE.md says where every series comes from.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from collectors import catalogue, curated_csv, inputs, interchange, store
from collectors.config import REPO_ROOT, Database
from collectors.errors import InputFileError
from collectors.projects import load_projects

SEED_DIR = REPO_ROOT / "data" / "seed"
OBSERVATIONS = SEED_DIR / "observations.parquet"
EVENTS = SEED_DIR / "events.csv"
EVENT_COLUMNS = ("source", "subject", "event", "date", "origin")
STATE_KEY = ("seed", "", "version")  # collector_state row holding the version of the seed last loaded


def version() -> str:
    """A short digest of the shipped files: a new seed (after a pull) is loaded again, once."""
    digest = hashlib.sha256()
    for path in (OBSERVATIONS, EVENTS, *catalogue.files()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_events(path: Path = EVENTS) -> pd.DataFrame:
    """The curated dated facts; a malformed row names the file, the line and the field."""
    return pd.DataFrame(curated_csv.curated_rows(path, EVENT_COLUMNS, InputFileError), columns=list(EVENT_COLUMNS))


def status(db: Database) -> str | None:
    """Why the seed should be loaded into this database, or None when it holds this seed already."""
    if not store.exists(db):
        return "the database does not exist yet"
    with store.connect(db, read_only=True) as conn:
        tables = {
            row[0]
            for row in conn.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        if "observation" not in tables:
            return "the database is empty"
        if not conn.execute("select exists (select 1 from observation)").fetchone()[0]:
            return "the database holds no observations"
        loaded = store.get_state(conn, *STATE_KEY) if "collector_state" in tables else None
    if loaded != version():
        return f"it holds {'no seed' if loaded is None else 'seed ' + loaded}, not seed {version()}"
    return None


def load(db: Database) -> dict[str, int]:
    """Load the shipped history in one transaction; returns observations inserted or changed per source."""
    frame = interchange.read_observations(OBSERVATIONS)
    events = read_events()
    projects = load_projects()

    def load_catalogue(conn: duckdb.DuckDBPyConnection, run_ids: dict[str, int]) -> dict[str, int]:
        written = catalogue.load(conn, run_ids)
        inputs.write_projects(conn, projects)  # file the catalogue's projects before the summaries are rebuilt
        return written

    written = interchange.load_frame(
        db, frame, command="seed", keep_collected=True, events=events,
        bulk_sources=catalogue.sources_in(), bulk=load_catalogue,
    )  # fmt: skip
    with store.connect(db) as conn:
        store.set_state(conn, *STATE_KEY, version())
    return written


def newest_dates() -> dict[str, date]:
    """The last day of each seeded source: the app says the shipped history ends there."""
    frame = pd.read_parquet(OBSERVATIONS, columns=["source", "date"])
    return {source: pd.Timestamp(day).date() for source, day in frame.groupby("source")["date"].max().items()}
