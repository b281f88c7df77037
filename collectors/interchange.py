"""Import and export observations in the interchange format, and import Google Trends website exports.

Every file is read and checked whole before anything is written; the rows of all files then go in one
transaction, so a bad file never leaves half an import behind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from collectors import clock, curated_csv, store
from collectors.config import Database
from collectors.errors import InputFileError

COLUMNS = ("source", "subject", "metric", "date", "window_days", "value", "origin")
OPTIONAL_COLUMNS = ("collected_at",)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def read_observations(path: Path) -> pd.DataFrame:
    """Read one interchange file (CSV or Parquet) and validate every row; raises InputFileError."""
    suffix = path.suffix.lower()
    if not path.is_file():
        problem = "is a directory, not a file" if path.is_dir() else "no such file"
        raise InputFileError(f"{path}: {problem}")
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise InputFileError(f"{path}: not a readable Parquet file ({exc})") from None
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        header = list(frame.columns)
        first_line = 1  # Parquet rows are numbered from 1
    elif suffix == ".csv":
        header, records = _read_csv(path)
        first_line = 2  # line 1 is the header
    else:
        raise InputFileError(f"{path}: unknown file type {suffix!r}; expected .csv or .parquet")
    _check_header(path, header)
    return _validate(path, records, first_line)


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    header, rows = curated_csv.records(path)
    return header, [row for _, row in rows]


def read_file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _check_header(path: Path, header: Sequence[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise InputFileError(
            f"{path}: line 1: wrong columns (missing {missing or 'none'}, unexpected {unknown or 'none'}); "
            f"expected {','.join(COLUMNS)}[,collected_at]"
        )


def _validate(path: Path, records: list[dict], first_line: int) -> pd.DataFrame:
    rows, seen = [], {}
    has_collected = bool(records) and "collected_at" in records[0]
    for offset, record in enumerate(records):
        line = first_line + offset

        def bad(problem: str, line: int = line) -> InputFileError:
            return InputFileError(f"{path}: line {line}: {problem}")

        source, subject, metric, origin = (_text(record.get(c)) for c in ("source", "subject", "metric", "origin"))
        if not source or not _NAME.match(source):
            raise bad(f"source {record.get('source')!r} is not a name (letters, digits, _ . -)")
        if not subject:
            raise bad("subject is empty")
        if not metric or not _NAME.match(metric):
            raise bad(f"metric {record.get('metric')!r} is not a name (letters, digits, _ . -)")
        if not origin:
            raise bad("origin is empty: every observation keeps its provenance")
        day = parse_date(record.get("date"))
        if day is None:
            raise bad(f"date {record.get('date')!r} is not an ISO date YYYY-MM-DD")
        window = _window(record.get("window_days"))
        if window is None:
            raise bad(f"window_days {record.get('window_days')!r} is not empty or a whole number of days >= 1")
        value = parse_number(record.get("value"))
        if value is None:
            raise bad(f"value {record.get('value')!r} is not a number")
        if value < 0:
            raise bad(f"value {value:g} is negative")
        key = (source, subject, metric, day, window)
        if key in seen:
            raise bad(f"duplicate observation {source}/{subject}/{metric} on {day} (first on line {seen[key]})")
        seen[key] = line
        collected = _timestamp(record.get("collected_at")) if has_collected else None
        if has_collected and record.get("collected_at") not in (None, "") and collected is None:
            raise bad(f"collected_at {record.get('collected_at')!r} is not an ISO timestamp")
        rows.append((source, subject, metric, day, window, value, origin, collected))
    return pd.DataFrame(rows, columns=[*COLUMNS, "collected_at"])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _window(value: object) -> int | None:
    """0 for a level (empty), the window length for a count, None when invalid."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or _text(value) == "":
        return 0
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 1 else None


def parse_number(value: object) -> float | None:
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _timestamp(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    try:
        return datetime.fromisoformat(_text(value)).replace(tzinfo=None)
    except ValueError:
        return None


def read_files(paths: Sequence[Path]) -> pd.DataFrame:
    """Read and validate every file, and refuse an observation that two files both carry."""
    frames = [read_observations(Path(p)) for p in paths]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*COLUMNS, "collected_at"])
    duplicated = frame.duplicated(subset=["source", "subject", "metric", "date", "window_days"], keep=False)
    if duplicated.any():
        duplicate = frame[duplicated].iloc[0]
        raise InputFileError(
            f"{', '.join(map(str, paths))}: the same observation {duplicate['source']}/{duplicate['subject']}/"
            f"{duplicate['metric']} on {duplicate['date']} is in more than one file"
        )
    return frame


def load_frame(
    db: Database,
    frame: pd.DataFrame,
    command: str = "import",
    guard_zeros: bool = True,
    keep_collected: bool = False,
    events: pd.DataFrame | None = None,
    then: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    bulk_sources: Sequence[str] = (),
    bulk: Callable[[duckdb.DuckDBPyConnection, dict[str, int]], dict[str, int]] | None = None,
) -> dict[str, int]:
    """Write validated rows (and dated facts) in one transaction, recorded as one run per source; returns
    the rows inserted or changed per source. `then` writes what a source keeps beside its rows (the Trends
    request of each point) in the same transaction; `bulk` writes the rows of `bulk_sources` that DuckDB reads
    itself (the shipped catalogue's millions of rows), given each source's run, and returns its counts.

    A run per source lets `ecotrends status` and the app show each source's import beside its collections.
    A failure marks the runs failed and leaves the stored data as it was.
    """
    sources = sorted(
        set(frame["source"]) | (set(events["source"]) if events is not None else set()) | set(bulk_sources)
    )
    with store.connect(db) as conn:
        run_ids = {source: store.start_run(conn, source, command) for source in sources}
    now = clock.utc_now()
    frame = frame.copy()
    frame["collected_at"] = frame["collected_at"].where(frame["collected_at"].notna(), now)
    frame["run_id"] = frame["source"].map(run_ids)
    if events is not None:
        events = events.assign(collected_at=now, run_id=events["source"].map(run_ids))
    bulk_written: dict[str, int] = {}

    def then_all(conn: duckdb.DuckDBPyConnection) -> None:
        if then is not None:
            then(conn)
        if bulk is not None:
            bulk_written.update(bulk(conn, {source: run_ids[source] for source in bulk_sources}))

    try:
        with store.connect(db) as conn:
            written = store.write_import(conn, frame, guard_zeros, keep_collected, events, then_all)
            for source, count in bulk_written.items():
                written[source] = written.get(source, 0) + count
            store.refresh_summaries(conn)
    except Exception as exc:
        with store.connect(db) as conn:
            for run_id in run_ids.values():
                store.finish_run(conn, run_id, "failed", 0, 0, str(exc))
        raise
    with store.connect(db) as conn:
        for source, run_id in run_ids.items():
            store.finish_run(conn, run_id, "ok", written.get(source, 0), 0)
    return written


def import_files(db: Database, paths: Sequence[Path], command: str = "import") -> int:
    """Validate every file, then upsert all rows in one transaction; returns rows inserted or changed."""
    return sum(load_frame(db, read_files(paths), command).values())


def export(db: Database, out: Path, fmt: str, sources: Sequence[str] = (), subjects: Sequence[str] = ()) -> int:
    """Write observations in the interchange format; returns the number of rows written."""
    if fmt not in ("csv", "parquet"):
        raise InputFileError(f"unknown export format {fmt!r}; use csv or parquet")
    with store.connect(db, read_only=True) as conn:
        relation = _export_relation(conn, sources, subjects, integers_as_text=fmt == "csv")
        count = relation.count("*").fetchone()[0]
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            relation.write_csv(str(out), header=True)
        else:
            relation.write_parquet(str(out))
    return int(count)


def _export_relation(
    conn: duckdb.DuckDBPyConnection, sources: Sequence[str], subjects: Sequence[str], integers_as_text: bool
) -> duckdb.DuckDBPyRelation:
    """CSV shows whole numbers without a trailing .0 (as the snapshot files do); Parquet keeps doubles."""
    value = (
        "case when value = trunc(value) and abs(value) < 1e15 then value::bigint::varchar else value::varchar end"
        if integers_as_text
        else "value"
    )
    return conn.sql(
        f"""
        select source, subject, metric, date, window_days, {value} as value, origin, collected_at
        from observations
        where (len(?::varchar[]) = 0 or list_contains(?::varchar[], source))
          and (len(?::varchar[]) = 0 or list_contains(?::varchar[], subject))
        order by source, subject, metric, date, window_days
        """,
        params=[list(sources), list(sources), list(subjects), list(subjects)],
    )
