"""Import and export observations in the interchange format, and import Google Trends website exports.

Every file is read and checked whole before anything is written; the rows of all files then go in one
transaction, so a bad file never leaves half an import behind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from collectors import clock, curated_csv, schema, store
from collectors.config import Database
from collectors.errors import InputFileError

COLUMNS = ("source", "subject", "metric", "date", "window_days", "value", "origin")
OPTIONAL_COLUMNS = ("collected_at",)
# Dated facts (a repository's creation, a first release) travel in a file of their own beside the observations:
# the release-date claims are judged on them.
EVENT_COLUMNS = ("source", "subject", "event", "date", "origin")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# The views read counts and levels as BIGINT: a larger value would make them fail for every reader.
LARGEST_VALUE = 2**63 - 1
# A date after today is refused; one day of slack, because a day in UTC+14 is still tomorrow in UTC.
FUTURE_SLACK = timedelta(days=1)


def latest_importable_date() -> date:
    """The last date an import may carry: tomorrow, by the one clock (tests move it)."""
    return clock.today() + FUTURE_SLACK

# (source, metric) of the series that count whole things, with what they count: sources.whole_number_series()
WholeNumbers = Mapping[tuple[str, str], str]


def read_observations(path: Path, not_after: date | None = None) -> pd.DataFrame:
    """Read one interchange file (CSV or Parquet) and validate every row; raises InputFileError. With
    `not_after`, a date after it is refused (an import's; the shipped history's dates are curated)."""
    header, records, first_line = _records(path)
    _check_header(path, header)
    return _validate(path, records, first_line, not_after)


def _records(path: Path) -> tuple[list[str], list[dict], int]:
    """The header, the records and the line (or row) number of the first record, of a CSV or Parquet file."""
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
    return header, records, first_line


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    header, rows = curated_csv.records(path)
    return header, [row for _, row in rows]


def read_file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _check_header(path: Path, header: Sequence[str], columns: Sequence[str] = COLUMNS) -> None:
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in (*columns, *OPTIONAL_COLUMNS)]
    if missing or unknown:
        raise InputFileError(
            f"{path}: line 1: wrong columns (missing {missing or 'none'}, unexpected {unknown or 'none'}); "
            f"expected {','.join(columns)}[,collected_at]"
        )


def _is_events(header: Sequence[str]) -> bool:
    return "event" in header and "metric" not in header


def _validate_events(path: Path, records: list[dict], first_line: int, not_after: date | None) -> pd.DataFrame:
    """Dated facts, each named and dated, with its provenance; one fact per source, subject and event."""
    rows, seen = [], {}
    for offset, record in enumerate(records):
        line = first_line + offset
        source, subject, event, origin = (_text(record.get(c)) for c in ("source", "subject", "event", "origin"))
        problem = None
        day = parse_date(record.get("date"))
        if not source or not _NAME.match(source):
            problem = f"source {record.get('source')!r} is not a name (letters, digits, _ . -)"
        elif not subject:
            problem = "subject is empty"
        elif not event or not _NAME.match(event):
            problem = f"event {record.get('event')!r} is not a name (letters, digits, _ . -)"
        elif not origin:
            problem = "origin is empty: every fact keeps its provenance"
        elif day is None:
            problem = f"date {record.get('date')!r} is not an ISO date YYYY-MM-DD"
        elif not_after is not None and day > not_after:
            problem = f"date {day} is in the future (today is {not_after - FUTURE_SLACK} in UTC)"
        elif (source, subject, event) in seen:
            problem = f"duplicate event {source}/{subject}/{event} (first on line {seen[source, subject, event]})"
        if problem:
            raise InputFileError(f"{path}: line {line}: {problem}")
        seen[source, subject, event] = line
        collected = _timestamp(record.get("collected_at")) if record.get("collected_at") not in (None, "") else None
        rows.append((source, subject, event, day, origin, collected))
    return pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "collected_at"])


def _validate(
    path: Path, records: list[dict], first_line: int, not_after: date | None = None, whole: WholeNumbers | None = None
) -> pd.DataFrame:
    rows, seen = [], {}
    whole = whole or {}
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
        if not_after is not None and day > not_after:
            raise bad(f"date {day} is in the future (today is {not_after - FUTURE_SLACK} in UTC)")
        window = _window(record.get("window_days"))
        if window is None:
            raise bad(f"window_days {record.get('window_days')!r} is not empty or a whole number of days >= 1")
        value = parse_number(record.get("value"))
        if value is None:
            raise bad(f"value {record.get('value')!r} is not a number")
        if value < 0:
            raise bad(f"value {value:g} is negative")
        if value > LARGEST_VALUE:
            raise bad(f"value {record.get('value')} is larger than a series can hold ({LARGEST_VALUE:,} at most)")
        if (source, metric) in whole and not value.is_integer():
            raise bad(f"value {value:g} of {source} {metric} is not a whole number (it counts {whole[source, metric]})")
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


@dataclass(frozen=True)
class Files:
    """What the files of one import hold: observations, and dated facts (the files named *.events.*)."""

    observations: pd.DataFrame
    events: pd.DataFrame


def read_files(paths: Sequence[Path], whole: WholeNumbers | None = None) -> Files:
    """Read and validate every file for an import (observations, or events by their columns), and refuse an
    observation or a fact that two files both carry, or a fraction of a series in `whole`."""
    not_after = latest_importable_date()
    frames, event_frames = [], []
    for path in map(Path, paths):
        header, records, first_line = _records(path)
        if _is_events(header):
            _check_header(path, header, EVENT_COLUMNS)
            event_frames.append(_validate_events(path, records, first_line, not_after))
        else:
            _check_header(path, header)
            frames.append(_validate(path, records, first_line, not_after, whole))
    events = (
        pd.concat(event_frames, ignore_index=True)
        if event_frames
        else pd.DataFrame(columns=[*EVENT_COLUMNS, "collected_at"])
    )
    twice = events.duplicated(subset=["source", "subject", "event"], keep=False)
    if twice.any():
        fact = events[twice].iloc[0]
        raise InputFileError(
            f"{', '.join(map(str, paths))}: the same event {fact['source']}/{fact['subject']}/{fact['event']} is in "
            "more than one file"
        )
    return Files(_observations_once(paths, frames), events)


def _observations_once(paths: Sequence[Path], frames: list[pd.DataFrame]) -> pd.DataFrame:
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

    With keep_collected, a stored value is replaced only where the seed (or, for an import, an earlier import)
    put it: the seed never replaces collected or imported values, `import --keep-collected` never collected ones.
    A run per source lets `ecotrends status` and the app show each source's import beside its collections.
    A failure marks the runs failed and leaves the stored data as it was.
    """
    replace_only = (store.SEED_ONLY if command == "seed" else store.NOT_COLLECTED) if keep_collected else None
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
        given = events["collected_at"] if "collected_at" in events else pd.Series(None, index=events.index)
        events = events.assign(collected_at=given.where(given.notna(), now), run_id=events["source"].map(run_ids))
    bulk_written: dict[str, int] = {}

    def then_all(conn: duckdb.DuckDBPyConnection) -> None:
        if then is not None:
            then(conn)
        if bulk is not None:
            bulk_written.update(bulk(conn, {source: run_ids[source] for source in bulk_sources}))

    try:
        with store.connect(db) as conn:
            conn.execute(f"set memory_limit = '{store.BULK_MEMORY_LIMIT}'")
            written = store.write_import(conn, frame, guard_zeros, replace_only, events, then_all)
            for source, count in bulk_written.items():
                written[source] = written.get(source, 0) + count
            schema.refresh_summaries(conn)
    except Exception as exc:
        with store.connect(db) as conn:
            for run_id in run_ids.values():
                store.finish_run(conn, run_id, "failed", 0, 0, str(exc))
        raise
    with store.connect(db) as conn:
        for source, run_id in run_ids.items():
            store.finish_run(conn, run_id, "ok", written.get(source, 0), 0)
    return written


def import_files(
    db: Database, paths: Sequence[Path], whole: WholeNumbers | None = None, keep_collected: bool = False
) -> int:
    """Validate every file, then upsert all rows and facts in one transaction; returns those inserted or changed."""
    files = read_files(paths, whole)
    return sum(load_frame(db, files.observations, keep_collected=keep_collected, events=files.events).values())


def collected_changes(db: Database, frame: pd.DataFrame) -> int:
    """How many stored values a collection wrote (not the seed, not an import) these rows would change."""
    if frame.empty or not store.exists(db):
        return 0
    sql = (store.SQL_DIR / "collected_changes.sql").read_text(encoding="utf-8")
    with store.connect(db, read_only=True) as conn:
        conn.register("incoming_batch", frame)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.unregister("incoming_batch")


def export(db: Database, out: Path, fmt: str, sources: Sequence[str] = (), subjects: Sequence[str] = ()) -> int:
    """Write observations in the interchange format; returns the number of rows written."""
    if fmt not in ("csv", "parquet"):
        raise InputFileError(f"unknown export format {fmt!r}; use csv or parquet")
    with store.connect(db, read_only=True) as conn:
        relation = _export_relation(conn, sources, subjects, integers_as_text=fmt == "csv")
        count = relation.count("*").fetchone()[0]
        _write(relation, out, fmt)
    return int(count)


def events_path(out: Path) -> Path:
    """Where an export writes its dated facts: beside the observations, as NAME.events.csv (or .parquet)."""
    return out.with_name(f"{out.stem}.events{out.suffix}")


def export_events(db: Database, out: Path, fmt: str, sources: Sequence[str] = (), subjects: Sequence[str] = ()) -> int:
    """Write the dated facts (creation, first release, first upload) in their interchange format; returns how many."""
    if fmt not in ("csv", "parquet"):
        raise InputFileError(f"unknown export format {fmt!r}; use csv or parquet")
    with store.connect(db, read_only=True) as conn:
        relation = conn.sql(
            (store.SQL_DIR / "export_events.sql").read_text(encoding="utf-8"),
            params=[list(sources), list(sources), list(subjects), list(subjects)],
        )
        count = relation.count("*").fetchone()[0]
        _write(relation, out, fmt)
    return int(count)


def _write(relation: duckdb.DuckDBPyRelation, out: Path, fmt: str) -> None:
    """Write an export; a path that cannot be written is named as the problem, not the database."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            relation.write_csv(str(out), header=True)
        else:
            relation.write_parquet(str(out))
    except (OSError, duckdb.IOException, duckdb.PermissionException) as exc:
        raise InputFileError(f"{out}: cannot write the export ({str(exc).splitlines()[0]})") from None


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
