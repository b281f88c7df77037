"""DuckLake as the store of a team: catalog in PostgreSQL, data as Parquet, many machines at once.

The extensions come as PyPI packages built for one DuckDB release and are loaded from their files: nothing is
downloaded at run time. A process keeps one in-memory DuckDB per lake with the lake attached (loading costs
about 0.3 s) and hands out a cursor per unit of work.

DuckLake commits optimistically: a delete or update conflicts with any other write to the same table. So every
ecotrends writer holds the lake's write lock, a PostgreSQL advisory lock in the catalog database, for each unit
of work; writers on different machines take turns for milliseconds instead of failing. The run lock is an
advisory lock too, per source, so runs of different sources go side by side. Advisory locks are taken inside an
open transaction (`pg_try_advisory_xact_lock`): the postgres extension pools its connections and resets them
between queries, which would release a session lock at once. A killed process releases its locks.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import random
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from collectors import config
from collectors.config import DuckLake
from collectors.errors import ConfigError, LockedError

log = logging.getLogger(__name__)

ALIAS = "lake"  # the lake's name inside DuckDB; views refer to their tables unqualified, so any name works
LOCKS_ALIAS = "lake_locks"  # the catalog database attached a second time, for advisory locks only
_LOCK_POLL_SECONDS = 0.05
_ATTACH_ATTEMPTS = 5
MAX_CONFLICT_ATTEMPTS = 6  # a transaction that keeps losing commit races is given up after this many tries

_INSTANCES: dict[tuple[DuckLake, bool], duckdb.DuckDBPyConnection] = {}
_INSTANCES_GUARD = threading.Lock()
_WRITERS: dict[DuckLake, threading.RLock] = {}
_WRITE_DEPTH: dict[DuckLake, int] = {}


def extension_file(name: str) -> Path:
    """The extension file shipped by the PyPI package duckdb-extension-<name>, for the running DuckDB."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    package = f"duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}"
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the DuckDB extension {name} is not installed (pip install '{package}')")
    file = Path(next(iter(spec.submodule_search_locations))) / "extensions" / f"v{duckdb.__version__}"
    file = file / f"{name}.duckdb_extension"
    if not file.exists():
        raise ConfigError(f"{file} is missing: the extension must be built for DuckDB {duckdb.__version__} ({package})")
    return file


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach_sql(lake: DuckLake, read_only: bool) -> str:
    options = []
    if lake.data_path:
        options.append(f"data_path {_quote(lake.data_path)}")
    if read_only:
        options.append("read_only")
    suffix = f" ({', '.join(options)})" if options else ""
    return f"attach {_quote('ducklake:postgres:' + lake.dsn)} as {ALIAS}{suffix}"


def _is_remote(path: str | None) -> bool:
    return bool(path) and re.match(r"^[a-z0-9]+://", path or "") is not None


def _load_object_storage(conn: duckdb.DuckDBPyConnection) -> None:
    """httpfs, and an S3 secret from the usual AWS variables (a data path on s3:// or an S3-compatible store)."""
    conn.execute(f"load {_quote(str(extension_file('httpfs')))}")
    settings = config.s3_settings()
    given = ", ".join(f"{key} {_quote(value)}" for key, value in settings.items() if value)
    conn.execute(f"create or replace secret ecotrends_s3 (type s3{', ' if given else ''}{given})")


def _open_instance(lake: DuckLake, read_only: bool) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(
        ":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    try:
        for name in ("ducklake", "postgres_scanner"):
            conn.execute(f"load {_quote(str(extension_file(name)))}")
        if _is_remote(lake.data_path):
            _load_object_storage(conn)
        for attempt in range(1, _ATTACH_ATTEMPTS + 1):
            try:
                conn.execute(_attach_sql(lake, read_only))
                break
            except duckdb.Error as exc:
                # Two processes creating one new lake race on its catalog tables; the loser finds them made.
                if "Failed to initialize DuckLake" not in str(exc) or attempt == _ATTACH_ATTEMPTS:
                    raise
                time.sleep(0.1 * attempt + random.random() * 0.1)
        stored_path = stored_data_path(conn)
        if _is_remote(stored_path) and not _is_remote(lake.data_path):
            _load_object_storage(conn)
        if not read_only:
            conn.execute(f"attach {_quote(lake.dsn)} as {LOCKS_ALIAS} (type postgres)")
        conn.execute("set TimeZone = 'UTC'")
    except BaseException:
        conn.close()
        raise
    return conn


def stored_data_path(conn: duckdb.DuckDBPyConnection) -> str:
    """Where the attached lake keeps its data files, as its catalog records it."""
    return conn.execute(f"select data_path from ducklake_settings('{ALIAS}')").fetchone()[0]


def _instance(lake: DuckLake, read_only: bool) -> duckdb.DuckDBPyConnection:
    with _INSTANCES_GUARD:
        conn = _INSTANCES.get((lake, read_only))
        if conn is None:
            try:
                conn = _INSTANCES[(lake, read_only)] = _open_instance(lake, read_only)
            except duckdb.Error as exc:
                raise _explained(lake, exc) from exc
        return conn


def _explained(lake: DuckLake, exc: duckdb.Error) -> Exception:
    text = str(exc)
    if "does not exist - and creating a new DuckLake is explicitly disabled" in text:
        return LakeMissingError(f"{lake}: no ecotrends lake there yet; create it with: ecotrends seed")
    if "data_path is not set" in text:
        return ConfigError(
            f"{lake}: a new lake needs a place for its data files: --data-path DIR (or s3://...) "
            "or $ECOTRENDS_DATA_PATH"
        )
    if "DATA_PATH parameter" in text:
        return ConfigError(f"{lake}: {text.splitlines()[0]} (the lake keeps the data path it was created with)")
    if "Unable to connect to Postgres" in text or "connection to server" in text or "could not translate" in text:
        first = next((line.strip() for line in text.splitlines() if line.strip()), text)
        return ConfigError(f"{lake}: cannot reach the catalog database: {first[:300]}")
    return exc


class LakeMissingError(ConfigError):
    """The catalog database is there but holds no lake yet."""


def close_all() -> None:
    """Detach every lake this process opened (tests, and a clean exit of long-lived processes)."""
    with _INSTANCES_GUARD:
        for conn in _INSTANCES.values():
            conn.close()
        _INSTANCES.clear()


def exists(lake: DuckLake) -> bool:
    """Whether the catalog holds a lake; a catalog database that cannot be reached is an error, not False."""
    try:
        _instance(lake, read_only=True)
    except LakeMissingError:
        return False
    return True


def cursor(lake: DuckLake, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection of its own (own transactions, temp tables) to the process's DuckDB with the lake attached;
    the caller closes it. Writers go through connect(), which holds the write lock."""
    conn = _instance(lake, read_only).cursor()
    conn.execute(f"use {ALIAS}")
    return conn


def shell_statements(lake: DuckLake) -> list[str]:
    """The SQL that opens the lake read-only in the DuckDB CLI (`ecotrends shell`), extensions from their files."""
    statements = [f"load {_quote(str(extension_file(name)))}" for name in ("ducklake", "postgres_scanner")]
    if _is_remote(lake.data_path):
        statements.append(f"load {_quote(str(extension_file('httpfs')))}")
    return [*statements, _attach_sql(DuckLake(lake.dsn), read_only=True), f"use {ALIAS}"]


def lock_key(name: str) -> int:
    """A stable 64-bit advisory-lock key for a name (the same on every machine and Python)."""
    return int.from_bytes(hashlib.sha256(f"ecotrends {name}".encode()).digest()[:8], "big", signed=True)


def _try_lock(conn: duckdb.DuckDBPyConnection, name: str, shared: bool = False) -> bool:
    function = "pg_try_advisory_xact_lock_shared" if shared else "pg_try_advisory_xact_lock"
    sql = f"select {function}({lock_key(name)})"
    return bool(conn.execute(f"select * from postgres_query('{LOCKS_ALIAS}', {_quote(sql)})").fetchone()[0])


@contextmanager
def _held(lake: DuckLake) -> Iterator[duckdb.DuckDBPyConnection]:
    """A lease: a cursor whose open transaction holds advisory locks until the block ends."""
    lease = _instance(lake, read_only=False).cursor()
    lease.execute("begin transaction")
    try:
        yield lease
    finally:
        try:
            lease.execute("rollback")
        finally:
            lease.close()


@contextmanager
def connect(lake: DuckLake, read_only: bool = False, wait_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """One unit of work. A writer holds the lake's write lock throughout, waiting up to wait_seconds for it;
    units of work of one process take turns (and may nest) as they do on a file."""
    if read_only:
        conn = cursor(lake, read_only=True)
        try:
            yield conn
        finally:
            conn.close()
        return
    with _INSTANCES_GUARD:
        turn = _WRITERS.setdefault(lake, threading.RLock())
    with turn:
        depth = _WRITE_DEPTH.get(lake, 0)
        _WRITE_DEPTH[lake] = depth + 1
        try:
            if depth:
                conn = cursor(lake)
                try:
                    yield conn
                finally:
                    conn.close()
                return
            with _held(lake) as lease:
                _wait_for(lease, "write", wait_seconds, f"{lake}: another process has held the lake's write lock")
                conn = cursor(lake)
                try:
                    yield conn
                finally:
                    conn.close()
        finally:
            _WRITE_DEPTH[lake] = depth


def _wait_for(lease: duckdb.DuckDBPyConnection, name: str, wait_seconds: float, message: str) -> None:
    deadline = time.monotonic() + wait_seconds
    while not _try_lock(lease, name):
        if time.monotonic() >= deadline:
            raise LockedError(f"{message} for {wait_seconds:.0f} s; this unit of work did nothing")
        time.sleep(_LOCK_POLL_SECONDS * (0.5 + random.random()))


@contextmanager
def run_lock(lake: DuckLake, sources: Sequence[str] | None = None) -> Iterator[None]:
    """Hold the run lock of these sources (None: of the whole store) for a run, from any machine.

    A run of some sources shares the store-wide lock and holds each source's own; a run of the whole store
    (import, seed, claims) holds the store-wide lock alone. A run that cannot have its locks fails at once."""
    with _held(lake) as lease:
        whole = sources is None
        taken = _try_lock(lease, "run", shared=not whole) and all(
            _try_lock(lease, f"run {source}") for source in sources or ()
        )
        if not taken:
            what = "the whole store" if whole else ", ".join(sources or ())
            raise LockedError(
                f"another ecotrends run is already writing {what} in {lake} (a PostgreSQL advisory lock held by a "
                "live process, on this or another machine); this run did nothing"
            )
        yield


def is_conflict(exc: BaseException) -> bool:
    """A commit that lost a race with another writer of the same table: the whole transaction may be retried."""
    text = str(exc)
    return isinstance(exc, duckdb.TransactionException) and (
        "Transaction conflict" in text or "maximum retry count" in text
    )


def conflict_pause(attempt: int) -> float:
    """How long to wait before retry `attempt` (1-based): exponential with jitter, at most about 2 s."""
    return min(2.0, 0.05 * 2**attempt) * (0.5 + random.random())


# DuckLake holds no primary keys, unique or check constraints, indexes or sequences: the same migrations are
# applied without them (ecotrends writes through MERGE and computes run ids, so none is relied on).
_TABLE_KEY = re.compile(r",\s*primary key\s*\([^)]*\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"\s+primary key\b", re.IGNORECASE)
_SEQUENCE = re.compile(r"create sequence[^;]*;", re.IGNORECASE)
_NEXTVAL = re.compile(r"\s+default\s+nextval\s*\([^)]*\)", re.IGNORECASE)
_CHECK = re.compile(r"\s+check\s*\(", re.IGNORECASE)


_COLUMN_COMMENT = re.compile(r"comment on column\s+(\w+)\.(\w+)\s+is\s+'((?:[^']|'')*)'\s*;\s*", re.IGNORECASE)


def column_comments(sql: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Split the `comment on column` statements out of a view file: a lake cannot run them on views, so their
    text goes to the column_comment table instead. Returns the rest of the SQL and (view, column, comment)."""
    found = [(m.group(1), m.group(2), m.group(3).replace("''", "'")) for m in _COLUMN_COMMENT.finditer(sql)]
    return _COLUMN_COMMENT.sub("", sql), found


def portable_ddl(sql: str) -> str:
    """The schema SQL as DuckLake can hold it: constraints, indexes and sequences left out."""
    sql = _SEQUENCE.sub("", _NEXTVAL.sub("", _TABLE_KEY.sub("", sql)))
    sql = _COLUMN_KEY.sub("", sql)
    while match := _CHECK.search(sql):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        sql = sql[: match.start()] + sql[end:]
    return sql
