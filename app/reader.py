"""The app's reads: one read-only connection reused for a burst of page queries, then closed.

A collector in another process holds DuckDB's write lock only for short writes, so a read waits briefly for it
instead of failing. Every read names its store (the page's `db`), so a changed ECOTRENDS_DB is another store.
On a DuckLake the burst's reads share one snapshot (one read transaction): the catalog is asked for the snapshot
once per burst, not once per query.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import duckdb
import pandas as pd

from collectors import config, store
from collectors.config import Database, DuckLake

LOCK_WAIT_SECONDS = 15.0


def database() -> Database:
    """The store the app reads: $ECOTRENDS_DB, else data/ecotrends.duckdb."""
    return config.database()


def store_of(db: str | Database) -> Database:
    """The store a page names by its text (what the caches key on)."""
    return config.database(db) if isinstance(db, str) and db else (db or database())


class Reader:
    """One read-only connection reused for a burst of page queries, then closed.

    Opening the file costs about 15 ms, more than most queries, so a page's queries share a connection.
    It is closed after a short idle time, and at the latest after a few seconds, because a process holding
    the file even read-only keeps a collector from taking DuckDB's write lock. On a lake the connection holds
    one read transaction: a DuckLake query outside one opens a catalog transaction and a snapshot of its own
    before listing the files of every table it reads (those lists are asked again by every query, in a
    transaction or not; docs/deploying.md). A page therefore sees the lake as it was when its burst began, at
    most MAX_OPEN_SECONDS old, as one page of the file does.
    """

    IDLE_SECONDS = 0.5
    MAX_OPEN_SECONDS = 1.0
    WRITER_WINDOW_SECONDS = 0.3  # after a forced close, reads wait this long so a waiting writer gets in
    LAKE_SNAPSHOT_PER_BURST = True  # bench/lake.py turns it off to measure a snapshot per query beside it

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._path: Database | None = None
        self._opened = 0.0
        self._ready = False
        self._timer: threading.Timer | None = None
        self._reopen_after = 0.0

    def query(self, path: Database, sql: str, params: list | dict | None) -> pd.DataFrame:
        return self.run(path, lambda conn: conn.execute(sql, params or []).df())

    def run(self, path: Database, work: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]) -> pd.DataFrame:
        """Do one piece of read-only work on the shared connection; an unprepared file reads as empty."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._conn is None or self._path != path:
                self._close()
                self._let_writers_in(path)
                self._conn = store.open_connection(path, read_only=True, wait_seconds=LOCK_WAIT_SECONDS)
                self._path, self._opened = path, time.monotonic()
                if isinstance(path, DuckLake) and self.LAKE_SNAPSHOT_PER_BURST:
                    self._conn.execute("begin transaction")  # one snapshot for the burst: see the class docstring
                ready = self._conn.execute(
                    "select count(*) from duckdb_tables() where database_name = current_database() "
                    "and table_name in ('project_signals', 'series_summary')"
                ).fetchone()[0]
                self._ready = ready == 2  # else no ecotrends run has finished writing this file yet
            try:
                return work(self._conn) if self._ready else pd.DataFrame()
            except duckdb.Error:
                self._close()  # a failed query aborts a lake's read transaction: the next read starts afresh
                raise
            finally:
                if time.monotonic() - self._opened > self.MAX_OPEN_SECONDS or store.writer_waiting(path):
                    self._close()
                    self._reopen_after = time.monotonic() + self.WRITER_WINDOW_SECONDS
                else:
                    self._timer = threading.Timer(self.IDLE_SECONDS, self.close)
                    self._timer.daemon = True
                    self._timer.start()

    def _let_writers_in(self, path: Database) -> None:
        """Before opening: a short pause after a forced close, and none while a writer waits for the lock."""
        time.sleep(max(0.0, self._reopen_after - time.monotonic()))
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while store.writer_waiting(path) and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            if isinstance(self._path, DuckLake):
                self._end_read_transaction(self._conn)
            self._conn.close()
        self._conn, self._path = None, None

    @staticmethod
    def _end_read_transaction(conn: duckdb.DuckDBPyConnection) -> None:
        """End a lake's read transaction before closing: closing with it open rolls back inside DuckDB, where a
        catalog connection lost meanwhile (PostgreSQL restarted) aborts the whole process instead of raising."""
        with contextlib.suppress(duckdb.Error):  # none open (a failed read ended it), or the catalog is gone
            conn.execute("rollback")


READER = Reader()


def read(db: str | Database, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Run one read-only query on the store `db`; an absent or uninitialised database reads as empty."""
    path = store_of(db)
    if not store.exists(path):
        return pd.DataFrame()
    return READER.query(path, sql, params)


def run(db: str | Database, work: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]) -> pd.DataFrame:
    """Do one piece of read-only work on the shared connection of the store `db`."""
    path = store_of(db)
    if not store.exists(path):
        return pd.DataFrame()
    return READER.run(path, work)
