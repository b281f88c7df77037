"""The schema of the store: the migrations that lay out its tables, the published views recreated when their SQL
changes, and the summary tables the app reads. Every writing command brings a store up to date through here."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pandas as pd

from collectors import lake, store
from collectors.errors import EcotrendsError

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, Path]]:
    """The migration files in order, as (version, name, path); a file not named NNN_name.sql is refused."""
    found = []
    for file in sorted((store.SQL_DIR / "migrations").glob("*.sql")):
        match = _MIGRATION_NAME.match(file.name)
        if not match:
            raise EcotrendsError(f"{file}: migration files are named NNN_name.sql")
        found.append((int(match.group(1)), file.stem, file))
    return found


def apply_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Apply pending migrations in order, then (re)create every view when its SQL changed. Safe to run on every
    start.

    A lake gets the same tables without the constraints it cannot hold (lake.portable_ddl), and the views
    without the column comments it cannot hold; the column_comment table publishes those on both."""
    on_lake = store.is_lake(conn)
    ddl = lake.portable_ddl if on_lake else str
    conn.execute(
        ddl(
            "create table if not exists schema_version (version integer primary key, name varchar not null, "
            "applied_at timestamp not null default current_timestamp)"
        )
    )
    applied = {row[0] for row in conn.execute("select version from schema_version").fetchall()}
    pending = [(version, name, file) for version, name, file in migrations() if version not in applied]
    for version, name, file in pending:
        with store.transaction(conn):
            conn.execute(ddl(file.read_text(encoding="utf-8")))
            conn.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
    views = sorted((store.SQL_DIR / "views").glob("*.sql"))
    digest = hashlib.sha256(b"".join(file.read_bytes() for file in views)).hexdigest()[:12]
    if not pending and store.get_state(conn, *VIEWS_DIGEST_KEY) == digest:
        return  # recreating some 40 views and their comments costs seconds on a lake
    comments: list[tuple[str, str, str]] = []
    with store.transaction(conn):  # readers see the old views or the new ones, never a mix
        for file in views:
            sql = file.read_text(encoding="utf-8")
            without_column_comments, found = lake.column_comments(sql)
            conn.execute(without_column_comments if on_lake else sql)
            comments += found
        frame = pd.DataFrame(comments, columns=["view_name", "column_name", "comment"])
        conn.register("view_column_comments", frame)
        try:
            conn.execute("delete from column_comment")
            conn.execute(
                "insert into column_comment select view_name, column_name, row_number() over (), comment "
                "from view_column_comments"
            )
        finally:
            conn.unregister("view_column_comments")
        store.set_state(conn, *VIEWS_DIGEST_KEY, digest)


SCHEMA_DIGEST_KEY = ("schema", "", "digest")  # collector_state row: which SQL built the summaries
VIEWS_DIGEST_KEY = ("schema", "", "views")  # collector_state row: which SQL built the views


def schema_digest() -> str:
    """A digest of the SQL that shapes what the app reads: when it changes, the summaries are rebuilt."""
    digest = hashlib.sha256()
    for file in [*sorted((store.SQL_DIR / "views").glob("*.sql")), store.SQL_DIR / "summaries.sql"]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def refresh_summaries(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the summary tables the app reads (sql/summaries.sql), in one transaction."""
    with store.transaction(conn):
        conn.execute((store.SQL_DIR / "summaries.sql").read_text(encoding="utf-8"))
        store.set_state(conn, *SCHEMA_DIGEST_KEY, schema_digest())
