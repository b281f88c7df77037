"""The curated inputs and declarations, mirrored into the database on every start: the tracked projects
(data/projects.toml) and their subjects per source, what each source declares about its series
(collectors/sources/), the methodology breaks (data/methodology_breaks.csv) and the claims register
(data/claims.toml). The CLI and the runner call init_db; each file is validated on load, and an error names
the file, the entry and the field.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from collectors import catalogue, curated_csv, schema, sources, store, tracked
from collectors.claims import CLAIMS_FILE, Article, Claim, load_register
from collectors.config import REPO_ROOT, Database, Project
from collectors.errors import ConfigError, LockedError
from collectors.projects import load_projects

log = logging.getLogger(__name__)

BREAKS_FILE = REPO_ROOT / "data" / "methodology_breaks.csv"
_BREAK_COLUMNS = ("date", "source", "metric", "subject", "title", "description", "reference")


INPUTS_DIGEST_KEY = ("inputs", "", "digest")  # collector_state row: which inputs the database mirrors


def init_db(path: Database, projects: Sequence[Project] | None = None) -> None:
    """Create or migrate the database and load the curated inputs and the sources' declarations.

    Every command starts here, so a database that already mirrors the same SQL, projects, declarations,
    breaks and claims is left untouched (a read of one row instead of rewriting views and tables)."""
    projects = load_projects() if projects is None else projects
    digest = inputs_digest(projects)
    if is_current(path, digest):
        return
    with store.connect(path) as conn:
        schema.apply_schema(conn)
        sync_projects(conn, projects)
        sync_sources(conn)
        sync_breaks(conn)
        try:
            sync_claims(conn)
        except ConfigError as exc:  # a broken register must not stop collection; the old one stays
            log.error("claims register not loaded, the previous one is kept: %s", exc)
        # The summaries (what the app reads, the claims page's verdicts among them) follow the inputs just mirrored:
        # a read command that prepared the database here leaves the app showing the register it checked.
        schema.refresh_summaries(conn)
        store.set_state(conn, *INPUTS_DIGEST_KEY, digest)


def is_current(path: Database, digest: str) -> bool:
    """Whether the database mirrors these inputs already (read-only: a read command may ask)."""
    if not store.exists(path):
        return False
    with store.connect(path, read_only=True) as conn:
        has_state = conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and table_name = 'collector_state'"
        ).fetchone()[0]
        return bool(has_state) and store.get_state(conn, *INPUTS_DIGEST_KEY) == digest


def prepare_if_free(path: Database, projects: Sequence[Project] | None = None) -> str | None:
    """init_db for a read command: done only when it costs no wait and writes nothing it may not, so that reading
    never waits for a writer (a cron collect) nor fails on a read-only copy. Returns why the database was left as
    it is (the reader then computes what it needs without storing it), or None when it mirrors the inputs."""
    projects = load_projects() if projects is None else projects
    if is_current(path, inputs_digest(projects)):
        return None
    if not store.writable(path):
        return f"{path} is read-only"
    try:
        with store.run_lock(path):
            init_db(path, projects)
    except LockedError:
        return "another ecotrends run is writing to it"
    return None


def inputs_digest(projects: Sequence[Project]) -> str:
    """A digest of everything init_db mirrors: the SQL, the projects, what the sources declare, breaks, claims."""
    digest = hashlib.sha256(repr(list(projects)).encode())
    for source in sources.registry().values():
        subjects = [source.subjects(project) for project in projects]
        digest.update(repr((source.name, source.series, source.signal, source.fill, subjects)).encode())
    for file in [*sorted(store.SQL_DIR.rglob("*.sql")), BREAKS_FILE, CLAIMS_FILE]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def sync_projects(conn: duckdb.DuckDBPyConnection, projects: Sequence[Project]) -> None:
    """Mirror data/projects.toml, and the subjects each source files a project under, in one transaction."""
    with store.transaction(conn):
        write_projects(conn, projects)


# Keys declared by sources (the arXiv phrase, the Trends term) that the project table keeps as columns of their own
NAMED_COLUMNS = ("arxiv_phrase", "trends_term")


def write_projects(conn: duckdb.DuckDBPyConnection, projects: Sequence[Project]) -> None:
    """sync_projects inside the caller's transaction. The projects added by `ecotrends track` (tracked_project) are
    filed after the curated ones and the shipped catalogue's after both: a subject two projects name is filed under
    the curated one, else the tracked one, else the first."""
    claimed = [*projects, *tracked.projects(conn, projects)]
    listed = [*claimed, *catalogue.projects(conn, claimed)]
    filed = {
        (source.name, subject): project.id
        for project in reversed(listed)
        for source in sources.registry().values()
        for subject in source.subjects(project)
    }
    subjects = pd.DataFrame(
        [(project_id, source, subject) for (source, subject), project_id in filed.items()],
        columns=["project_id", "source", "subject"],
    )
    conn.execute("create or replace temp table previous_subject as select * from project_subject")
    conn.execute("delete from project_subject")
    conn.execute("delete from project_package")
    conn.execute("delete from project")
    conn.executemany(
        "insert into project values (?, ?, ?, ?, ?, ?)",
        [[p.id, p.name, p.github, *map(p.name_under, NAMED_COLUMNS), p.color] for p in projects],
    )
    conn.executemany(
        "insert into project_package values (?, ?)",
        [[p.id, package] for p in projects for package in p.pypi],
    )
    conn.register("incoming_subjects", subjects)
    try:
        conn.execute("insert into project_subject select project_id, source, subject from incoming_subjects")
    finally:
        conn.unregister("incoming_subjects")
    # the projects whose subjects changed have their series derived again when the transaction ends
    store.note_project_series(conn, "touched_by_refiling.sql", {})


def sync_sources(conn: duckdb.DuckDBPyConnection) -> None:
    """Mirror what the sources declare: their series, the evidence rungs they offer, their headlines."""
    registry = sources.registry().values()
    with store.transaction(conn):
        conn.execute("create or replace temp table previous_series as select * from source_series")
        for table in ("source_series", "source_rung", "source_signal", "source_fill"):
            conn.execute(f"delete from {table}")
        conn.executemany(
            "insert into source_fill values (?, ?)", [[source.name, "\n".join(source.fill)] for source in registry]
        )
        conn.executemany(
            "insert into source_series values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [source.name, s.key, s.metric, s.label, s.unit, s.is_count, s.per_days, *s.windows, s.share_of,
                 s.denominator_metric, s.denominator_subject]
                for source in registry
                for s in source.series
            ],
        )  # fmt: skip
        conn.executemany(
            "insert into source_rung values (?, ?, ?, ?, ?, ?)",
            [
                [rung.claim_source, rung.claim_metric, rung.rung, source.name, s.key, rung.label]
                for source in registry
                for s in source.series
                for rung in s.judges
            ],
        )
        conn.executemany(
            "insert into source_signal values (?, ?, ?, ?, ?, ?)",
            [
                [source.signal.name, source.name, source.signal.title, source.signal.claim_metric,
                 source.signal.stale_after_days, "\n".join(source.fill)]
                for source in registry
                if source.signal is not None
            ],
        )  # fmt: skip
        # a share declared, dropped or re-based: the project series it derives from are derived again
        store.note_project_series(conn, "touched_by_shares.sql", {})


def sync_breaks(conn: duckdb.DuckDBPyConnection, path: Path = BREAKS_FILE) -> None:
    """Load the curated table of methodology breaks; a malformed file names the line and the field."""
    breaks = curated_csv.curated_rows(path, _BREAK_COLUMNS, ConfigError)
    rows = [[row[column] for column in _BREAK_COLUMNS] for row in breaks]
    with store.transaction(conn):
        conn.execute("delete from methodology_break")
        conn.executemany("insert into methodology_break values (?, ?, ?, ?, ?, ?, ?)", rows)


def sync_claims(conn: duckdb.DuckDBPyConnection, path: Path = CLAIMS_FILE) -> None:
    """Mirror the register into claim_article and claim, in one transaction."""
    articles, claims = load_register(path)
    with store.transaction(conn):
        conn.execute("delete from claim")
        conn.execute("delete from claim_article")
        _insert_register(conn, articles, claims)


def judge_unregistered(conn: duckdb.DuckDBPyConnection, articles: Sequence[Article], claims: Sequence[Claim]
                       ) -> pd.DataFrame:  # fmt: skip
    """The claim_checks rows of claims that are not in the register (an article being checked), computed
    on the stored data without storing anything: works on a read-only connection (sql/unregistered_claims.sql)."""
    with unregistered(conn, articles, claims):
        return conn.execute("select * from claim_checks order by ordinal").df()


@contextlib.contextmanager
def unregistered(conn: duckdb.DuckDBPyConnection, articles: Sequence[Article], claims: Sequence[Claim]
                 ) -> Iterator[None]:  # fmt: skip
    """Within it, the claim views of `conn` (claim_checks, claim_evidence) judge these claims instead of the
    register's; nothing is stored."""
    conn.execute((store.SQL_DIR / "unregistered_claims.sql").read_text(encoding="utf-8"))
    try:
        _insert_register(conn, articles, claims)
        yield
    finally:
        conn.execute("drop table if exists temp.claim; drop table if exists temp.claim_article")


def _insert_register(conn: duckdb.DuckDBPyConnection, articles: Sequence[Article], claims: Sequence[Claim]) -> None:
    """One statement per table: the Check page judges an article on every edit, and a statement per claim cost
    more than judging them."""
    _insert_rows(conn, "claim_article", [
        [a.id, a.file, a.title, a.author, a.published, a.published_basis] for a in articles
    ])  # fmt: skip
    _insert_rows(conn, "claim", [
        [c.id, ordinal, c.article, c.location, c.statement, c.kind, list(c.subjects), list(c.alternatives), c.top,
         list(c.relative_to), c.source, c.metric, c.period_start, c.period_end, c.claimed_value, c.claimed_month,
         c.unit, c.tolerance, c.direction, c.unmeasured, c.check, c.reason, c.proxy, list(c.contradicts)]
        for ordinal, c in enumerate(claims, start=1)
    ])  # fmt: skip


def _insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: list[list[object]]) -> None:
    if rows:
        row = "(" + ", ".join("?" for _ in rows[0]) + ")"
        conn.execute(f"insert into {table} values " + ", ".join(row for _ in rows), [v for r in rows for v in r])
