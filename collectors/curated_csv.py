"""Reading the curated CSV files (data/methodology_breaks.csv, data/seed/events.csv) and imported ones: UTF-8,
a header, one record a line; a malformed file raises an error naming the file, the line and the field."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from collectors.errors import EcotrendsError, InputFileError


def read_text(path: Path, error: type[EcotrendsError] = InputFileError) -> str:
    """The file as text (a byte-order mark dropped); an unreadable or non-UTF-8 file names its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{path}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None


def records(path: Path, error: type[EcotrendsError] = InputFileError) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and each record with the line it ends on; a record with more fields than the header is refused."""
    reader = csv.DictReader(io.StringIO(read_text(path, error), newline=""))
    if reader.fieldnames is None:
        raise error(f"{path}: empty file; expected a header line")
    rows = []
    for row in reader:
        if None in row:
            raise error(f"{path}: line {reader.line_num}: more fields than the header has")
        rows.append((reader.line_num, row))
    return list(reader.fieldnames), rows


def curated_rows(path: Path, columns: Sequence[str], error: type[EcotrendsError]) -> list[dict]:
    """A curated file with exactly these columns, every field filled and `date` a day: rows of stripped text, the
    date as a date."""
    header, rows = records(path, error)
    if tuple(header) != tuple(columns):
        raise error(f"{path}: line 1: columns must be {','.join(columns)}")
    found = []
    for line, row in rows:
        where = f"{path}: line {line}"
        empty = [column for column in columns if not (row.get(column) or "").strip()]
        if empty:
            raise error(f"{where}: field '{empty[0]}' is empty")
        try:
            day = date.fromisoformat(row["date"].strip())
        except ValueError:
            raise error(f"{where}: field 'date' = {row['date']!r} is not YYYY-MM-DD") from None
        found.append({**{column: row[column].strip() for column in columns}, "date": day})
    return found
