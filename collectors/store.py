"""The DuckDB file: schema from sql/, idempotent upserts, run records, cursors and the run lock.

Connections are opened for one short unit of work and closed again, so that the app (another process)
can read between a collector's writes: DuckDB admits one writing process at a time.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from collectors import clock
from collectors.config import REPO_ROOT
from collectors.errors import EcotrendsError, LockedError, RefusedBatchError

log = logging.getLogger(__name__)
SQL_DIR = REPO_ROOT / "sql"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# A level (stars) never legitimately becomes 0; a count batch whose overlap turns mostly to 0 is an outage.
_MAX_ZEROED_SHARE = 0.5


@dataclass(frozen=True)
class Observation:
    source: str
    subject: str
    metric: str
    date: date
    window_days: int | None
    value: float
    origin: str


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back whole when it raises."""
    conn.execute("begin transaction")
    try:
        yield conn
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


_PATH_LOCKS: dict[str, threading.RLock] = {}
_PATH_LOCKS_GUARD = threading.Lock()


def _path_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(key, threading.RLock())


@contextmanager
def connect(path: Path, read_only: bool = False, wait_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one unit of work, waiting while another process holds DuckDB's file lock.

    Within a process, units of work on one file take turns: DuckDB's instance cache is not safe against
    threads opening and closing the same file at once, and writes are short anyway.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    with _path_lock(path), _open(path, read_only, wait_seconds) as conn:
        yield conn


def open_connection(path: Path, read_only: bool = False, wait_seconds: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process holds DuckDB's file lock; the caller closes it.

    A writer that has to wait raises a flag beside the file, so that readers (the app) let go and stay
    away until it is in: without it, a busy app could keep a collector waiting for ever.
    """
    deadline = time.monotonic() + wait_seconds
    flag: Path | None = None
    try:
        while True:
            try:
                conn = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                    raise
                if not read_only and flag is None:
                    flag = Path(f"{path}.writer-waiting.{os.getpid()}")
                    flag.touch()
                time.sleep(0.02 + random.random() * 0.08)
    finally:
        if flag is not None:
            flag.unlink(missing_ok=True)
    conn.execute("set TimeZone = 'UTC'")
    return conn


def writer_waiting(path: Path) -> bool:
    """Whether a live process is waiting to write this file (a flag left by a killed process is ignored)."""
    for flag in Path(path).parent.glob(f"{Path(path).name}.writer-waiting.*"):
        try:
            os.kill(int(flag.name.rsplit(".", 1)[1]), 0)
            return True
        except (ValueError, ProcessLookupError):
            flag.unlink(missing_ok=True)
        except PermissionError:  # alive, owned by another user
            return True
    return False


@contextmanager
def _open(path: Path, read_only: bool, wait_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = open_connection(path, read_only, wait_seconds)
    try:
        yield conn
    finally:
        conn.close()


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for file in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = _MIGRATION_NAME.match(file.name)
        if not match:
            raise EcotrendsError(f"{file}: migration files are named NNN_name.sql")
        found.append((int(match.group(1)), file.stem, file))
    return found


def apply_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Apply pending migrations in order, then (re)create every view. Safe to run on every start."""
    conn.execute(
        "create table if not exists schema_version (version integer primary key, name varchar not null, "
        "applied_at timestamp not null default current_timestamp)"
    )
    applied = {row[0] for row in conn.execute("select version from schema_version").fetchall()}
    for version, name, file in migrations():
        if version in applied:
            continue
        with transaction(conn):
            conn.execute(file.read_text(encoding="utf-8"))
            conn.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
    for file in sorted((SQL_DIR / "views").glob("*.sql")):
        conn.execute(file.read_text(encoding="utf-8"))


SCHEMA_DIGEST_KEY = ("schema", "", "digest")  # collector_state row: which SQL built the summaries


def schema_digest() -> str:
    """A digest of the SQL that shapes what the app reads: when it changes, the summaries are rebuilt."""
    digest = hashlib.sha256()
    for file in [*sorted((SQL_DIR / "views").glob("*.sql")), SQL_DIR / "summaries.sql"]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def refresh_summaries(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the summary tables the app reads (sql/summaries.sql), in one transaction."""
    with transaction(conn):
        conn.execute((SQL_DIR / "summaries.sql").read_text(encoding="utf-8"))
        set_state(conn, *SCHEMA_DIGEST_KEY, schema_digest())


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def observations_frame(rows: Iterable[Observation], collected_at: datetime, run_id: int | None) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(r.source, r.subject, r.metric, r.date, r.window_days or 0, float(r.value), r.origin) for r in rows],
        columns=["source", "subject", "metric", "date", "window_days", "value", "origin"],
    )
    frame["collected_at"] = collected_at
    frame["run_id"] = run_id
    return frame


def upsert_observations(
    conn: duckdb.DuckDBPyConnection,
    rows: Iterable[Observation] | pd.DataFrame,
    run_id: int | None = None,
    guard_zeros: bool = True,
) -> int:
    """Insert or update observations in one transaction; returns how many rows were inserted or changed.

    A point whose value and origin are unchanged is left alone, so a rerun writes nothing. With
    guard_zeros, a batch that would turn stored non-zero values into zeros is refused whole.
    """
    frame = rows if isinstance(rows, pd.DataFrame) else observations_frame(rows, clock.utc_now(), run_id)
    if frame.empty:
        return 0
    with transaction(conn):
        return upsert_frame(conn, frame, guard_zeros)


def upsert_frame(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, guard_zeros: bool = True) -> int:
    """upsert_observations inside the caller's own transaction (with what it writes beside the rows)."""
    return sum(_upsert(conn, frame, guard_zeros, by_source=False).values())


def write_import(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    guard_zeros: bool = True,
    keep_collected: bool = False,
    events: pd.DataFrame | None = None,
    then: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dict[str, int]:
    """Upsert a frame holding several sources, and dated facts, in one transaction; rows inserted or changed
    per source (imports record one run per source, so each source's freshness shows its own import). `then`
    runs last in the same transaction.

    With keep_collected (the shipped seed), a stored point or fact is replaced only if the seed put it
    there: collected and imported values always win over the seed.
    """
    if frame.empty and (events is None or events.empty):
        return {}
    with transaction(conn):
        written = _upsert(conn, frame, guard_zeros, by_source=True, keep_collected=keep_collected)
        if events is not None and not events.empty:
            for source, count in _upsert_events(conn, events, keep_collected).items():
                written[source] = written.get(source, 0) + count
        if then is not None:
            then(conn)
    return written


def _upsert(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    guard_zeros: bool,
    by_source: bool,
    keep_collected: bool = False,
) -> dict[str, int]:
    """Runs inside the caller's transaction."""
    if frame.empty:
        return {}
    sources = sorted(frame["source"].unique()) if by_source else [None]
    changed: dict[str, int] = {}
    conn.register("incoming_batch", frame)
    try:
        if guard_zeros:
            _refuse_zeroing(conn)
        for source in sources:
            count = conn.execute(
                """
                insert into observation
                select b.source, b.subject, b.metric, b.date::date, b.window_days::integer, b.value::double,
                    b.origin, b.collected_at::timestamp, b.run_id::bigint
                from incoming_batch as b
                where (?::varchar is null or b.source = ?)
                    and not (? and exists (
                        select 1 from observation as o
                        where o.source = b.source and o.subject = b.subject and o.metric = b.metric
                            and o.date = b.date::date and o.window_days = b.window_days
                            and (o.run_id is null
                                 or o.run_id not in (select run_id from collection_run where command = 'seed'))
                    ))
                on conflict (source, subject, metric, date, window_days) do update set
                    value = excluded.value,
                    origin = excluded.origin,
                    collected_at = excluded.collected_at,
                    run_id = excluded.run_id
                where observation.value <> excluded.value or observation.origin <> excluded.origin
                """,
                [source, source, keep_collected],
            ).fetchone()[0]
            changed[source or ""] = int(count)
    finally:
        conn.unregister("incoming_batch")
    return changed


def _upsert_events(conn: duckdb.DuckDBPyConnection, events: pd.DataFrame, keep_collected: bool) -> dict[str, int]:
    """Dated facts per source, inside the caller's transaction; facts inserted or changed per source."""
    changed: dict[str, int] = {}
    conn.register("incoming_events", events)
    try:
        for source in sorted(events["source"].unique()):
            changed[source] = conn.execute(
                """
                insert into subject_event
                select e.source, e.subject, e.event, e.date::date, e.origin, e.collected_at::timestamp,
                    e.run_id::bigint
                from incoming_events as e
                where e.source = ? and not (? and exists (
                    select 1 from subject_event as s
                    where s.source = e.source and s.subject = e.subject and s.event = e.event
                        and (s.run_id is null
                             or s.run_id not in (select run_id from collection_run where command = 'seed'))
                ))
                on conflict (source, subject, event) do update set
                    date = excluded.date, origin = excluded.origin, collected_at = excluded.collected_at,
                    run_id = excluded.run_id
                where subject_event.date <> excluded.date or subject_event.origin <> excluded.origin
                """,
                [source, keep_collected],
            ).fetchone()[0]
    finally:
        conn.unregister("incoming_events")
    return changed


def _refuse_zeroing(conn: duckdb.DuckDBPyConnection) -> None:
    overlap, zeroed, zeroed_levels = conn.execute(
        """
        select
            count(*),
            count(*) filter (where b.value = 0 and o.value > 0),
            count(*) filter (where b.value = 0 and o.value > 0 and o.window_days = 0)
        from incoming_batch as b
        join observation as o
            on o.source = b.source and o.subject = b.subject and o.metric = b.metric
            and o.date = b.date::date and o.window_days = b.window_days
        """
    ).fetchone()
    if zeroed_levels or (overlap and zeroed / overlap > _MAX_ZEROED_SHARE):
        raise RefusedBatchError(
            f"refused a batch that would replace {zeroed} stored non-zero value(s) with 0 "
            f"({zeroed_levels} of them levels); stored data left as it was"
        )


def refuse_empty_window(
    conn: duckdb.DuckDBPyConnection, source: str, subject: str, metric: str, end: date, rows: list, where: str
) -> None:
    """An empty answer for a window is an outage when the series already has data up to that window's end."""
    if rows:
        return
    earlier = conn.execute(
        "select count(*) from observation where source = ? and subject = ? and metric = ? and date < ?",
        [source, subject, metric, end],
    ).fetchone()[0]
    if earlier:
        raise RefusedBatchError(f"{where}: no rows for a window of a series with {earlier} stored days; refused")


def record_event(conn: duckdb.DuckDBPyConnection, source: str, subject: str, event: str, day: date, origin: str) -> int:
    changed = conn.execute(
        """
        insert into subject_event values (?, ?, ?, ?, ?, ?, null)
        on conflict (source, subject, event) do update set
            date = excluded.date, origin = excluded.origin, collected_at = excluded.collected_at, run_id = null
        where subject_event.date <> excluded.date or subject_event.origin <> excluded.origin
        """,
        [source, subject, event, day, origin, clock.utc_now()],
    ).fetchone()[0]
    return int(changed)


def get_state(conn: duckdb.DuckDBPyConnection, source: str, subject: str, key: str) -> str | None:
    row = conn.execute(
        "select value from collector_state where source = ? and subject = ? and key = ?",
        [source, subject, key],
    ).fetchone()
    return row[0] if row else None


def set_state(conn: duckdb.DuckDBPyConnection, source: str, subject: str, key: str, value: str) -> None:
    conn.execute(
        """
        insert into collector_state values (?, ?, ?, ?, ?)
        on conflict (source, subject, key) do update set value = excluded.value, updated_at = excluded.updated_at
        """,
        [source, subject, key, value, clock.utc_now()],
    )


def start_run(conn: duckdb.DuckDBPyConnection, source: str, command: str) -> int:
    return conn.execute(
        "insert into collection_run (source, command, started_at, status) values (?, ?, ?, 'running') returning run_id",
        [source, command, clock.utc_now()],
    ).fetchone()[0]


def finish_run(
    conn: duckdb.DuckDBPyConnection,
    run_id: int,
    status: str,
    rows_written: int,
    requests_made: int,
    error: str | None = None,
) -> None:
    conn.execute(
        "update collection_run set finished_at = ?, status = ?, rows_written = ?, requests_made = ?, error = ? "
        "where run_id = ?",
        [clock.utc_now(), status, rows_written, requests_made, error, run_id],
    )


@contextmanager
def run_lock(db: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database for a whole run; a second run fails at once."""
    lock_path = Path(f"{db}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the duration of the run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockedError(
                f"another ecotrends run is already writing to {db} (lock {lock_path} held by {holder}); "
                "this run did nothing"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {clock.utc_now():%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        yield
    finally:
        handle.close()
