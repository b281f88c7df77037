"""conda: monthly downloads per package and channel from Anaconda's public package data.

Anaconda publishes one Parquet file per month (`conda/monthly/YYYY/YYYY-MM.parquet`, since 2017-01, each month
about mid-way through the next) with a row per channel (`data_source`), package, version, platform and Python
version. The files are large, so they are read with HTTP range requests: the footer, then the `pkg_name` column of
each row group, then the other columns only of the row groups that hold a tracked package. A month that is stored
is never fetched again; the newest month not published yet (a 404 for it alone; a 403 is a failure) ends the run
quietly.

Channels (`data_source`), per the data set's README: `anaconda` (the default channels of repo.anaconda.com, `main`
and `free`), `conda-forge`, `bioconda`, and some anaconda.org channels added over time: `nvidia` (2021-06),
`plotly` (2021-09), `pytorch` and `pytorch-test` (both 2023-01), `pyviz`, `rapidsai`, `rapidsai-nightly`, `rdkit`.
PyTorch's own channel is therefore missing before 2023: its conda downloads jump in January 2023.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from collectors import clock, store
from collectors.errors import NotFoundError, PayloadError, SourceError
from collectors.http import HttpClient, base_url
from collectors.source import Context, Outcome, ProjectField, Rung, Series, Signal, Source
from collectors.store import Observation

log = logging.getLogger(__name__)

NAME = "conda"
FILES_URL_ENV = "ECOTRENDS_CONDA_URL"
DEFAULT_FILES_URL = "https://anaconda-package-data.s3.amazonaws.com"
FIRST_MONTH = date(2017, 1, 1)
FIRST_RUN_MONTHS = 12  # `collect` looks back a year; `backfill` goes back to 2017-01
TAIL_BYTES = 1 << 20  # the first read: the file's last MiB, which holds the footer (and often the last row group)
MIN_READ_BYTES = 256 << 10  # smaller reads are widened: fewer requests for the small column chunks
COLUMNS = ("time", "data_source", "pkg_name", "counts")
PACKAGES_FIELD = ProjectField("conda", r"[a-z0-9_][a-z0-9._-]*", "a conda package", many=True)
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def make_client() -> HttpClient:
    return HttpClient(min_interval=0.1)


# --- reading a remote Parquet file by ranges -----------------------------------------------------------


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file that fetches only the byte ranges read (HTTP Range)."""

    def __init__(self, client: HttpClient, url: str) -> None:
        super().__init__()
        self.client, self.url = client, url
        self.position = 0
        self.bytes_fetched = 0
        self._blocks: list[tuple[int, bytes]] = []
        start, body, self.size = self._fetch(f"bytes=-{TAIL_BYTES}")
        self._blocks.append((start, body))

    def _fetch(self, spec: str) -> tuple[int, bytes, int]:
        # The bucket allows listing, so S3 answers a missing key with 404 (NoSuchKey, as recorded). A 403 is a
        # refusal (a policy, a proxy, a mirror's credentials), never "not published": it fails the month.
        response = self.client.get(self.url, headers={"Range": spec}, allow_statuses=frozenset({404}))
        if response.status_code == 404:
            raise NotFoundError(f"GET {self.url}: HTTP 404 (not published)")
        body = response.content
        self.bytes_fetched += len(body)
        if response.status_code == 200:  # a server that ignores Range sends the whole file
            return 0, body, len(body)
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
        if response.status_code != 206 or not match:
            raise PayloadError(f"GET {self.url} ({spec}): HTTP {response.status_code} without a usable Content-Range")
        first, last, size = (int(part) for part in match.groups())
        if len(body) != last - first + 1:
            raise PayloadError(f"GET {self.url} ({spec}): {len(body)} bytes for a range of {last - first + 1}")
        return first, body, size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        want = min(len(buffer), self.size - self.position)
        if want <= 0:
            return 0
        data = self._read_at(self.position, want)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def _read_at(self, start: int, length: int) -> bytes:
        for block_start, block in self._blocks:
            if block_start <= start and start + length <= block_start + len(block):
                return block[start - block_start : start - block_start + length]
        end = min(self.size, start + max(length, MIN_READ_BYTES)) - 1
        first, body, _ = self._fetch(f"bytes={start}-{end}")
        self._blocks.append((first, body))
        return body[start - first : start - first + length]


def monthly_counts(client: HttpClient, url: str, month: date, packages: list[str]) -> tuple[pa.Table, int]:
    """Downloads per (pkg_name, data_source) in one monthly file, for the given packages; and the bytes read."""
    remote = RangeFile(client, url)
    try:
        parquet = pq.ParquetFile(remote)
    except (pa.ArrowInvalid, OSError) as exc:
        raise PayloadError(f"GET {url}: not a Parquet file ({exc})") from None
    missing = [column for column in COLUMNS if column not in parquet.schema_arrow.names]
    if missing:
        raise PayloadError(f"GET {url}: columns {missing} missing (has {parquet.schema_arrow.names})")
    wanted = pa.array(packages, pa.string())
    parts, rows_in_file = [], 0
    for group in range(parquet.num_row_groups):
        names = parquet.read_row_group(group, columns=["pkg_name"]).column(0).cast(pa.string())
        rows_in_file += len(names)
        mask = pc.is_in(names, value_set=wanted)
        if pc.any(mask).as_py():
            table = parquet.read_row_group(group, columns=list(COLUMNS)).filter(mask)
            parts.append(table.select(list(COLUMNS)).cast(_PLAIN))
    if not rows_in_file:
        raise PayloadError(f"GET {url}: the file holds no rows")
    found = pa.concat_tables(parts) if parts else _PLAIN.empty_table()
    months = set(pc.utf8_slice_codeunits(found.column("time"), 0, 7).to_pylist())
    if months - {f"{month:%Y-%m}"}:
        raise PayloadError(f"GET {url}: rows of {sorted(months)} in the file of {month:%Y-%m}")
    summed = found.group_by(["pkg_name", "data_source"]).aggregate([("counts", "sum")])
    return summed, remote.bytes_fetched


_PLAIN = pa.schema([("time", pa.string()), ("data_source", pa.string()), ("pkg_name", pa.string()),
                    ("counts", pa.int64())])  # fmt: skip


# --- planning and database ---------------------------------------------------------------------------


def file_path(month: date) -> str:
    return f"/conda/monthly/{month:%Y}/{month:%Y-%m}.parquet"


def months_to_fetch(ctx: Context, packages: list[str], first: date, last: date) -> list[date]:
    """Months from `first` to `last` where a tracked package has no stored total: one file serves them all."""
    with store.connect(ctx.db) as conn:
        stored = conn.execute(
            "select subject, date from observation where source = ? and metric = 'downloads'", [NAME]
        ).fetchall()
    have = set(stored)
    return [month for month in clock.months_between(first, last)
            if any((package, clock.month_end(month)) not in have for package in packages)]  # fmt: skip


def observations(month: date, packages: list[str], summed: pa.Table) -> list[Observation]:
    """Per package: the month's total over every channel and one row per channel. A tracked package missing from
    the file had no downloads that month (the file covers every download of the month)."""
    origin = f"GET {DEFAULT_FILES_URL}{file_path(month)} (sum of counts"
    days = clock.month_end(month).day
    totals = dict.fromkeys(packages, 0)
    rows = []
    for package, channel, downloads in zip(*(summed.column(c).to_pylist() for c in summed.column_names), strict=True):
        totals[package] += downloads
        rows.append(Observation(NAME, package, f"downloads_{channel}", clock.month_end(month), days, downloads,
                                f"{origin}, data_source = '{channel}')"))  # fmt: skip
    rows += [Observation(NAME, package, "downloads", clock.month_end(month), days, total, f"{origin}, all channels)")
             for package, total in totals.items()]  # fmt: skip
    return rows


# --- joined ----------------------------------------------------------------------------------------------


def collect(ctx: Context) -> Outcome:
    return _collect(ctx, clock.add_months(clock.last_complete_month(), -(FIRST_RUN_MONTHS - 1)))


def backfill(ctx: Context) -> Outcome:
    """Every month since 2017-01 (or --since); months already stored are skipped, so it continues where it stopped."""
    since = date.fromisoformat(ctx.since).replace(day=1) if ctx.since else FIRST_MONTH
    return _collect(ctx, max(since, FIRST_MONTH))


def _collect(ctx: Context, first: date) -> Outcome:
    outcome = Outcome()
    packages = sorted({name for project in ctx.projects for name in project.names(PACKAGES_FIELD.key)})
    if not packages:
        ctx.progress.note("no project lists conda packages in data/projects.toml")
        return outcome
    last = clock.last_complete_month()
    months = months_to_fetch(ctx, packages, first, last)
    ctx.progress.add_total(len(months))
    for month in months:
        if outcome.gave_up:
            break
        url = base_url(FILES_URL_ENV, DEFAULT_FILES_URL) + file_path(month)
        with ctx.progress.task(f"{month:%Y-%m}"):
            try:
                summed, fetched = monthly_counts(ctx.client, url, month, packages)
                with store.connect(ctx.db) as conn:
                    outcome.rows_written += store.upsert_observations(
                        conn, observations(month, packages, summed), ctx.run_id
                    )
                log.info("conda %s: %.1f MB read", f"{month:%Y-%m}", fetched / 1e6)
                outcome.succeeded()
            except NotFoundError as exc:
                if month == last:  # the newest month's file appears some weeks into the next month
                    ctx.progress.note(f"{month:%Y-%m} is not published yet; the next run asks again")
                    break
                outcome.fail(f"{month:%Y-%m}", exc)
            except SourceError as exc:
                outcome.fail(f"{month:%Y-%m}", exc)
    return outcome


SOURCE = Source(
    name=NAME,
    on_track=("backfill",),  # what `ecotrends track` fetches of a new project
    title="conda",
    subjects=lambda project: list(project.names(PACKAGES_FIELD.key)),
    series=(
        Series("conda_downloads", "downloads", "conda downloads, every channel (monthly)", "downloads",
               is_count=True, per_days=30, windows=(28, 31),
               judges=(Rung(NAME, "downloads", 1, "conda package downloads per month, every channel in Anaconda's "
                            "package data"),)),
    ),
    collect=collect,
    make_client=make_client,
    backfill=backfill,
    fill=("collect --source conda", "backfill --source conda"),
    base_urls={FILES_URL_ENV: DEFAULT_FILES_URL},
    signal=Signal("conda", "conda downloads", "downloads", stale_after_days=75, order=6),
    project_fields=(PACKAGES_FIELD,),
)  # fmt: skip
