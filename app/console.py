"""The SQL console's query, run in a process of its own so that no query can take the app's memory or time.

The app starts `python -m app.console` per query and reads the answer as an Arrow stream. Inside, DuckDB
gets a memory limit, two threads and no spilling to disk, and the process an address-space ceiling as a
backstop; the connection is read-only with external access off and its configuration locked. The app
kills the process when it outlives the time limit, so the limit holds even where DuckDB cannot be
interrupted (while it materialises a result).
"""

from __future__ import annotations

import json
import resource
import sys
import threading

MEMORY_LIMIT = "512MB"
THREADS = 2
ADDRESS_SPACE_BYTES = 2 * 1024**3  # virtual memory ceiling of the worker: libraries plus the DuckDB limit
BATCH_ROWS = 1_000
EXIT_QUERY_ERROR, EXIT_TIMEOUT, EXIT_TOO_LARGE = 3, 4, 5


def run(request: dict) -> int:
    """Answer one request ({db, sql, timeout, max_rows, max_bytes}): Arrow stream on stdout, or a message
    on stderr and a non-zero exit code."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    import duckdb
    import pyarrow as pa

    from collectors import config, lake, store

    db = config.database(request["db"], request.get("data_path"))
    conn = store.open_connection(db, read_only=True, wait_seconds=request["timeout"])
    if store.is_lake(conn):  # the lake's own data files stay readable; nothing else on disk or the network
        conn.execute("set allowed_directories = ?", [[lake.stored_data_path(conn)]])
    for setting in (
        f"set memory_limit = '{MEMORY_LIMIT}'",
        f"set threads = {THREADS}",
        "set temp_directory = ''",  # a runaway sort fails at the memory limit instead of filling the disk
        "set enable_external_access = false",
        "set autoload_known_extensions = false",
        "set autoinstall_known_extensions = false",
        "set lock_configuration = true",
    ):
        conn.execute(setting)
    timer = threading.Timer(request["timeout"], conn.interrupt)
    timer.start()
    try:
        reader = conn.execute(request["sql"]).fetch_record_batch(BATCH_ROWS)
        batches, rows, size = [], 0, 0
        for batch in reader:
            batch = batch.slice(0, request["max_rows"] - rows)
            batches.append(batch)
            rows, size = rows + batch.num_rows, size + batch.nbytes
            if size > request["max_bytes"]:
                limit = request["max_bytes"] // 2**20
                print(f"the result is larger than {limit} MB; narrow the query", file=sys.stderr)
                return EXIT_TOO_LARGE
            if rows >= request["max_rows"]:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema)
    except duckdb.InterruptException:
        print(f"stopped after {request['timeout']:.0f} s", file=sys.stderr)
        return EXIT_TIMEOUT
    except (duckdb.Error, MemoryError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_QUERY_ERROR
    finally:
        timer.cancel()
    with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as writer:
        writer.write_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(run(json.load(sys.stdin)))
