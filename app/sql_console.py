"""The SQL console's client: each query runs in a separate, limited process (app/console.py, the worker)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from app.reader import store_of
from collectors import config, store
from collectors.config import REPO_ROOT, Database

CONSOLE_TIMEOUT_SECONDS = 5.0
CONSOLE_START_SECONDS = 3.0  # starting the console's process, on top of its query's time limit
CONSOLE_MAX_ROWS = 10_000
CONSOLE_MAX_BYTES = 64 * 2**20


class ConsoleError(Exception):
    """The console's query failed: the message is DuckDB's, or the limit it ran into."""


def console(sql: str, db: str | Database = "") -> pd.DataFrame:
    """Run a user's query in a separate, limited process (app/console.py) and return at most
    CONSOLE_MAX_ROWS rows.

    Its own process keeps a runaway query from growing the app (memory limit, two threads, an address-space
    ceiling) and lets the time limit hold even where DuckDB cannot be interrupted: the process is killed.
    External access is off and the configuration locked, on a read-only connection: nothing can be written,
    read from files, fetched or loaded.
    """
    import pyarrow as pa

    from app import console as worker

    path = store_of(db)
    if not store.exists(path):
        raise ConsoleError("there is no database yet")
    request = {
        "db": config.spec(path), "data_path": getattr(path, "data_path", None), "sql": sql,
        "timeout": CONSOLE_TIMEOUT_SECONDS, "max_rows": CONSOLE_MAX_ROWS, "max_bytes": CONSOLE_MAX_BYTES,
    }  # fmt: skip
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app.console"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=CONSOLE_TIMEOUT_SECONDS + CONSOLE_START_SECONDS,
            cwd=REPO_ROOT,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"stopped after {CONSOLE_TIMEOUT_SECONDS:.0f} s") from None
    if done.returncode == worker.EXIT_TIMEOUT:
        raise TimeoutError(f"stopped after {CONSOLE_TIMEOUT_SECONDS:.0f} s")
    if done.returncode != 0:
        # DuckDB's message comes first; the hints it adds after a blank line are left out.
        message = done.stderr.decode(errors="replace").strip().split("\n\n")[0]
        raise ConsoleError(message or f"the query process ended with code {done.returncode}")
    return pa.ipc.open_stream(done.stdout).read_pandas()
