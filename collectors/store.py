"""The store: connections, idempotent upserts, run records and the run lock (collectors/schema.py lays it out).

The store is a DuckDB file, or a DuckLake shared by a team (collectors/lake.py); both hold the same tables
and views, written by the same SQL. Connections are opened for one short unit of work and closed again, so
that the app (another process) can read between a collector's writes: DuckDB admits one writing process at
a time to a file, and a lake's writers take turns through its write lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from collectors import clock, lake
from collectors.config import REPO_ROOT, Database, DuckLake
from collectors.errors import LockedError, RefusedBatchError

log = logging.getLogger(__name__)
T = TypeVar("T")
SQL_DIR = REPO_ROOT / "sql"
# DuckDB's memory for a process writing the file (issue 26): a daily collect stays under 500 MB at 30 million rows;
# bigger work (an import, the summaries' rebuild) spills to disk beside the file instead of growing with the data.
WRITER_MEMORY_LIMIT = "160MB"
# A bulk load (the shipped seed, an import) holds all its rows uncommitted in one transaction, and DuckDB keeps a
# transaction's own rows in memory: 160 MB ran out loading the seed's 5.7 million rows with their project series.
BULK_MEMORY_LIMIT = "512MB"
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
    """One transaction: committed when the block ends, rolled back whole when it raises. The project series its
    writes touched are derived again just before the commit (keep_project_series)."""
    conn.execute("begin transaction")
    try:
        yield conn
        keep_project_series(conn)
    except BaseException:
        _touched_project_series.discard(id(conn))
        conn.execute("rollback")
        raise
    conn.execute("commit")


# Connections (by id) whose open transaction touched project series not yet derived again. A connection closed
# with its id here (a merge outside a transaction) only costs a later connection given the same id an empty derive.
_touched_project_series: set[int] = set()


def note_project_series(conn: duckdb.DuckDBPyConnection, script: str, params: dict[str, object]) -> None:
    """Run sql/project_series/SCRIPT, which appends the project series a write touched to pending_project_series,
    for keep_project_series to derive when the transaction ends."""
    run_script(conn, "project_series/pending.sql", {})
    run_script(conn, f"project_series/{script}", params)
    _touched_project_series.add(id(conn))


def keep_project_series(conn: duckdb.DuckDBPyConnection) -> None:
    """Derive the pending project series again (project_observation), once however many batches touched them. The
    pending table is laid out first: a connection given the id of a closed one that noted series has none."""
    if id(conn) in _touched_project_series:
        run_script(conn, "project_series/pending.sql", {})
        run_script(conn, "project_series/derive.sql", {})
        _touched_project_series.discard(id(conn))


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
def connect(db: Database, read_only: bool = False, wait_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for one unit of work, waiting while another process holds the write lock.

    Within a process, units of work on one file take turns: DuckDB's instance cache is not safe against
    threads opening and closing the same file at once, and writes are short anyway.
    """
    if isinstance(db, DuckLake):
        with lake.connect(db, read_only, wait_seconds) as conn:
            yield conn
        return
    path = Path(db)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    with _path_lock(path), _open(path, read_only, wait_seconds) as conn:
        yield conn


def open_connection(db: Database, read_only: bool = False, wait_seconds: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the store, waiting while another process holds DuckDB's file lock; the caller closes it.

    A writer that has to wait raises a flag beside the file, so that readers (the app) let go and stay
    away until it is in: without it, a busy app could keep a collector waiting for ever. A lake's readers
    never hold writers up.
    """
    if isinstance(db, DuckLake):
        return lake.cursor(db, read_only)
    path = Path(db)
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
    if not read_only:
        conn.execute(f"set memory_limit = '{WRITER_MEMORY_LIMIT}'")
    return conn


def exists(db: Database) -> bool:
    """Whether the store is there yet: the file, or a lake in its catalog database."""
    return lake.exists(db) if isinstance(db, DuckLake) else Path(db).exists()


def writable(db: Database) -> bool:
    """Whether ecotrends may write this file: it (or, when new, its folder) is writable, and someone may write it.
    A file whose write permissions were all removed (chmod a-w) is read-only even for root, who could."""
    if isinstance(db, DuckLake):
        return True
    path = Path(db)
    target = path if path.exists() else path.parent
    while not target.exists():  # a new file in a folder still to be made
        target = target.parent
    folder = target if target.is_dir() else target.parent
    return all(os.access(item, os.W_OK) and item.stat().st_mode & 0o222 for item in {target, folder})


def writer_waiting(db: Database) -> bool:
    """Whether a live process is waiting to write this file (a flag left by a killed process is ignored)."""
    if isinstance(db, DuckLake):
        return False
    path = Path(db)
    for flag in path.parent.glob(f"{path.name}.writer-waiting.*"):
        try:
            os.kill(int(flag.name.rsplit(".", 1)[1]), 0)
            return True
        except (ValueError, ProcessLookupError):
            with contextlib.suppress(OSError):  # a read-only folder keeps it; it is ignored all the same
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


def is_lake(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection works in a DuckLake (rather than a DuckDB file)."""
    return conn.execute(
        "select type = 'ducklake' from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]


def observations_frame(rows: Iterable[Observation], collected_at: datetime, run_id: int | None) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(r.source, r.subject, r.metric, r.date, r.window_days or 0, float(r.value), r.origin) for r in rows],
        columns=["source", "subject", "metric", "date", "window_days", "value", "origin"],
    )
    frame["collected_at"] = collected_at
    frame["run_id"] = run_id
    return frame


OBSERVATION_KEY = ["source", "subject", "metric", "date", "window_days"]


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
    return in_transaction(conn, lambda: upsert_frame(conn, frame, guard_zeros))


def in_transaction(conn: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Run work in one transaction. On a lake, a commit that lost a race with another writer of the same table
    (one outside ecotrends' write lock, such as a maintenance job) is retried whole, a few times."""
    attempt = 0
    while True:
        attempt += 1
        try:
            with transaction(conn):
                return work()
        except duckdb.TransactionException as exc:
            if not lake.is_conflict(exc) or attempt >= lake.MAX_CONFLICT_ATTEMPTS:
                raise
            pause = lake.conflict_pause(attempt)
            log.warning("write conflict in the lake (attempt %d), retrying in %.2f s: %s", attempt, pause, exc)
            time.sleep(pause)


def upsert_frame(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, guard_zeros: bool = True) -> int:
    """upsert_observations inside the caller's own transaction (with what it writes beside the rows)."""
    return sum(_upsert(conn, frame, guard_zeros, by_source=False).values())


def write_import(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    guard_zeros: bool = True,
    replace_only: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    then: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dict[str, int]:
    """Upsert a frame holding several sources, and dated facts, in one transaction; rows inserted or changed
    per source (imports record one run per source, so each source's freshness shows its own import). `then`
    runs last in the same transaction.

    With replace_only, a stored point or fact is replaced only if a run of one of those commands put it there:
    the shipped seed replaces only its own (SEED_ONLY), `import --keep-collected` the seed's and imports'.
    """
    if frame.empty and (events is None or events.empty):
        return {}

    def work() -> dict[str, int]:
        written = _upsert(conn, frame, guard_zeros, by_source=True, replace_only=replace_only)
        if events is not None and not events.empty:
            for source, count in upsert_events(conn, events, replace_only).items():
                written[source] = written.get(source, 0) + count
        if then is not None:
            then(conn)
        return written

    return in_transaction(conn, work)


SEED_ONLY = ("seed",)  # the shipped history replaces only what it put there itself
NOT_COLLECTED = ("seed", "import")  # import --keep-collected replaces only the seed's and imports' values


def runs_of(conn: duckdb.DuckDBPyConnection, commands: Sequence[str] | None) -> list[int] | None:
    """The runs of these commands, whose points a write may replace; None (any run) without commands."""
    if commands is None:
        return None
    return [
        row[0]
        for row in conn.execute(
            "select run_id from collection_run where list_contains(?::varchar[], command)", [list(commands)]
        ).fetchall()
    ]


def seed_runs(conn: duckdb.DuckDBPyConnection, keep_collected: bool = True) -> list[int] | None:
    """The runs that loaded the shipped seed: with keep_collected, only their points may be replaced."""
    return runs_of(conn, SEED_ONLY if keep_collected else None)


def _upsert(
    conn: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    guard_zeros: bool,
    by_source: bool,
    replace_only: Sequence[str] | None = None,
) -> dict[str, int]:
    """Runs inside the caller's transaction. MERGE, not ON CONFLICT, so that a lake (which holds no keys) runs
    the same statement; a batch's repeated key keeps its last row, as a key would."""
    if frame.empty:
        return {}
    frame = frame.drop_duplicates(subset=OBSERVATION_KEY, keep="last")
    sources = sorted(frame["source"].unique()) if by_source else [None]
    replaceable = runs_of(conn, replace_only)
    changed: dict[str, int] = {}
    conn.register("incoming_batch", frame)
    try:
        if guard_zeros:
            _refuse_zeroing(conn)
        for source in sources:
            changed[source or ""] = merge_batch(conn, source, replaceable)
    finally:
        conn.unregister("incoming_batch")
    return changed


def merge_batch(conn: duckdb.DuckDBPyConnection, source: str | None, replaceable: list[int] | None) -> int:
    """Upsert the relation `incoming_batch` (one source's rows, or all when source is None) into observation;
    rows inserted or changed. With `replaceable`, a stored point is replaced only if one of those runs wrote it.

    The table keeps no key index (migration 013: an ART index of 100 million keys does not fit in memory), so the
    key stays unique by this check of the batch and by writers taking turns."""
    repeated = conn.execute((SQL_DIR / "batch_repeated_key.sql").read_text(encoding="utf-8"), {"source": source})
    if key := repeated.fetchone():
        raise RefusedBatchError(
            f"refused a batch holding the observation {'/'.join(map(str, key[:5]))} {key[5]} times; "
            "stored data left as it was"
        )
    changed = int(
        conn.execute(
            """
            merge into observation as o
            using (
                select b.source, b.subject, b.metric, b.date::date as date, b.window_days::integer as window_days,
                    b.value::double as value, b.origin, b.collected_at::timestamp as collected_at,
                    b.run_id::bigint as run_id
                from incoming_batch as b
                where ?::varchar is null or b.source = ?
            ) as b
            on o.source = b.source and o.subject = b.subject and o.metric = b.metric and o.date = b.date
                and o.window_days = b.window_days
            when matched and (o.value <> b.value or o.origin <> b.origin)
                and (?::bigint[] is null or list_contains(?::bigint[], o.run_id)) then update set
                value = b.value, origin = b.origin, collected_at = b.collected_at, run_id = b.run_id
            when not matched then insert
                values (b.source, b.subject, b.metric, b.date, b.window_days, b.value, b.origin, b.collected_at,
                    b.run_id)
            """,
            [source, source, replaceable, replaceable],
        ).fetchone()[0]
    )
    if changed:
        keep_derived_tables(conn, source, whole=False)
    return changed


def keep_derived_tables(conn: duckdb.DuckDBPyConnection, source: str | None, whole: bool) -> None:
    """Bring the tables the writers keep up to date for the relation incoming_batch, for the series it touched
    from its first day on (whole with `whole`): series_summary now, project_observation when the transaction ends."""
    run_script(conn, "batch_series.sql", {"source": source})
    run_script(conn, "series_summary_update.sql", {"whole": whole})
    note_project_series(conn, "touched_by_batch.sql", {"whole": whole})
    conn.execute("drop table batch_series")


def summarise_series(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Recompute the kept tables' rows of the frame's series whole: for a write that removed points besides
    merging (a Trends timeframe replaced), which merge_batch alone would not notice when nothing else changed."""
    conn.register("incoming_batch", frame)
    try:
        keep_derived_tables(conn, None, whole=True)
    finally:
        conn.unregister("incoming_batch")


def run_script(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run the statements of sql/NAME in order, each with the named parameters it uses."""
    for statement in (SQL_DIR / name).read_text(encoding="utf-8").split(";\n"):
        code = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
        if code.strip():
            conn.execute(code, {key: value for key, value in params.items() if f"${key}" in code})


def upsert_events(
    conn: duckdb.DuckDBPyConnection, events: pd.DataFrame, replace_only: Sequence[str] | None
) -> dict[str, int]:
    """Dated facts per source, inside the caller's transaction; facts inserted or changed per source. With
    replace_only, a stored fact is replaced only if a run of one of those commands wrote it."""
    changed: dict[str, int] = {}
    replaceable = runs_of(conn, replace_only)
    conn.register("incoming_events", events.drop_duplicates(subset=["source", "subject", "event"], keep="last"))
    try:
        for source in sorted(events["source"].unique()):
            changed[source] = conn.execute(
                """
                merge into subject_event as s
                using (
                    select e.source, e.subject, e.event, e.date::date as date, e.origin,
                        e.collected_at::timestamp as collected_at, e.run_id::bigint as run_id
                    from incoming_events as e
                    where e.source = ?
                ) as e
                on s.source = e.source and s.subject = e.subject and s.event = e.event
                when matched and (s.date <> e.date or s.origin <> e.origin)
                    and (?::bigint[] is null or list_contains(?::bigint[], s.run_id)) then update set
                    date = e.date, origin = e.origin, collected_at = e.collected_at, run_id = e.run_id
                when not matched then insert
                    values (e.source, e.subject, e.event, e.date, e.origin, e.collected_at, e.run_id)
                """,
                [source, replaceable, replaceable],
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
        merge into subject_event as s
        using (select ?::varchar as source, ?::varchar as subject, ?::varchar as event, ?::date as date,
                   ?::varchar as origin, ?::timestamp as collected_at) as e
        on s.source = e.source and s.subject = e.subject and s.event = e.event
        when matched and (s.date <> e.date or s.origin <> e.origin) then update set
            date = e.date, origin = e.origin, collected_at = e.collected_at, run_id = null
        when not matched then insert values (e.source, e.subject, e.event, e.date, e.origin, e.collected_at, null)
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
        merge into collector_state as s
        using (select ?::varchar as source, ?::varchar as subject, ?::varchar as key, ?::varchar as value,
                   ?::timestamp as updated_at) as n
        on s.source = n.source and s.subject = n.subject and s.key = n.key
        when matched then update set value = n.value, updated_at = n.updated_at
        when not matched then insert values (n.source, n.subject, n.key, n.value, n.updated_at)
        """,
        [source, subject, key, value, clock.utc_now()],
    )


def start_run(conn: duckdb.DuckDBPyConnection, source: str, command: str) -> int:
    """Record a run as started; its id is the next number (a lake has no sequences, and writers take turns)."""

    def insert() -> int:
        run_id = conn.execute("select coalesce(max(run_id), 0) + 1 from collection_run").fetchone()[0]
        conn.execute(
            "insert into collection_run (run_id, source, command, started_at, status) values (?, ?, ?, ?, 'running')",
            [run_id, source, command, clock.utc_now()],
        )
        return run_id

    return in_transaction(conn, insert)


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


def close_interrupted_runs(conn: duckdb.DuckDBPyConnection, sources: Sequence[str] | None) -> list[tuple]:
    """Close the runs a killed process left `running` as `interrupted`, at the time this run noticed them;
    returns (run_id, source, started_at) of each. Call it holding the run lock of these sources (None: every
    source, as a file's one lock is): then no live process can still be running them."""
    noticed = clock.utc_now()

    def close() -> list[tuple]:
        found = conn.execute(
            "select run_id, source, started_at from collection_run where status = 'running' and finished_at is null "
            "and (?::varchar[] is null or list_contains(?::varchar[], source)) order by run_id",
            [sources, sources],
        ).fetchall()
        for run_id, _, _ in found:
            conn.execute(
                "update collection_run set status = 'interrupted', finished_at = ?, error = ? where run_id = ?",
                [noticed, "interrupted: its process ended before the run finished (noticed by the next run)", run_id],
            )
        return found

    return in_transaction(conn, close)


@contextmanager
def run_lock(db: Database, sources: Sequence[str] | None = None) -> Iterator[None]:
    """Hold the run lock for a whole run of these sources (None: a run that writes the whole store); a second
    run fails at once. A file has one lock for every run; a lake one per source, held from any machine."""
    if isinstance(db, DuckLake):
        with lake.run_lock(db, sources):
            yield
        return
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
