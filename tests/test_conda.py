import json
from datetime import date, datetime
from pathlib import Path

import pytest
import responses

from collectors.errors import NotFoundError, PayloadError
from collectors.sources import conda
from tests.collect_helpers import run
from tests.conftest import FIXTURES, add_recording, query
from tests.fakeapi import byte_range, conda_month_file

FILES = "https://anaconda-package-data.s3.amazonaws.com"
EXPECTED = json.loads((FIXTURES / "conda" / "2023-11.json").read_text())["expected"]
TRACKED = ["jax", "keras", "lightning", "pytorch", "pytorch-lightning", "tensorflow"]


def serve_files(
    mock: responses.RequestsMock, latest: str = "2023-11", body=None, later_status: int = 404
) -> list[tuple[str, str]]:
    """Answer range requests for every monthly file up to `latest` as S3 does; later months are not published
    (or, with later_status 403, refused)."""
    asked: list[tuple[str, str]] = []

    def answer(request):
        month = request.url.rsplit("/", 1)[-1].removesuffix(".parquet")
        asked.append((month, request.headers.get("Range", "")))
        if month > latest:
            recording = json.loads((FIXTURES / "conda" / "not_published.json").read_text())["response"]
            return later_status, {}, recording["body_text"].replace("NoSuchKey", "AccessDenied" * (later_status == 403))
        status, headers, content = byte_range(request.headers["Range"], {}, body or conda_month_file(month))
        return status, headers, content

    mock.add_callback("GET", responses.matchers.re.compile(rf"{FILES}/conda/monthly/\d{{4}}/\d{{4}}-\d\d\.parquet"),
                      callback=answer)  # fmt: skip
    return asked


@pytest.fixture
def december_2023(clock_at):
    clock_at(datetime(2023, 12, 10, 8, 0))


def expected_total(package: str) -> int:
    return sum(value for key, value in EXPECTED.items() if key.split("|")[0] == package)


def test_a_month_is_read_by_ranges_and_only_the_row_groups_holding_tracked_packages(mock_http, monkeypatch):
    monkeypatch.setattr(conda, "TAIL_BYTES", 8 << 10)  # the fixture is small: make the reader ask for its parts
    monkeypatch.setattr(conda, "MIN_READ_BYTES", 1 << 10)
    asked = serve_files(mock_http)
    url = f"{FILES}/conda/monthly/2023/2023-11.parquet"

    summed, fetched = conda.monthly_counts(conda.make_client(), url, date(2023, 11, 1), TRACKED)

    found = {f"{p}|{c}": n for p, c, n in zip(*(summed.column(i).to_pylist() for i in range(3)), strict=True)}
    assert found == EXPECTED
    assert asked[0] == ("2023-11", "bytes=-8192") and all(spec.startswith("bytes=") for _, spec in asked)
    assert fetched < 0.8 * len(conda_month_file("2023-11")), "the other row groups' columns are not fetched"


def test_collect_stores_each_package_per_channel_and_in_total(db, projects, mock_http, december_2023):
    asked = serve_files(mock_http)

    result = run(conda, db, projects)

    assert result.status == "ok" and len({month for month, _ in asked}) == 12
    rows = dict(query(db, "select channel, downloads from conda_downloads_monthly where package = 'pytorch' "
                          "and month = '2023-11-01'"))  # fmt: skip
    assert rows == {key.split("|")[1]: value for key, value in EXPECTED.items() if key.startswith("pytorch|")}
    lightning = expected_total("pytorch-lightning") + expected_total("lightning")
    assert query(db, "select downloads from conda_project_downloads_monthly where project_id = 'pytorch-lightning' "
                     "and month = '2023-11-01'") == [(lightning,)]  # fmt: skip
    origin = query(db, "select origin from observation where source = 'conda' and metric = 'downloads' limit 1")[0][0]
    assert origin.startswith(f"GET {FILES}/conda/monthly/")


def test_a_stored_month_is_never_fetched_again(db, projects, mock_http, december_2023):
    serve_files(mock_http)
    run(conda, db, projects)
    asked = serve_files(mock_http)

    result = run(conda, db, projects)

    assert result.status == "ok" and asked == [] and result.requests_made == 0


def test_a_month_not_published_yet_ends_the_run_quietly(db, projects, mock_http, december_2023):
    serve_files(mock_http, latest="2023-10")

    result = run(conda, db, projects)

    assert result.status == "ok" and result.error is None
    assert query(db, "select max(month) from conda_project_downloads_monthly") == [(date(2023, 10, 1),)]


def test_a_403_for_the_newest_month_is_a_failure_not_a_month_not_published(db, projects, mock_http, december_2023):
    serve_files(mock_http, latest="2023-10", later_status=403)

    result = run(conda, db, projects)

    assert result.status == "partial" and "2023-11" in result.error and "HTTP 403" in result.error


def test_only_the_newest_month_may_be_not_published_yet(db, projects, mock_http, december_2023):
    serve_files(mock_http, latest="2023-09")  # on 2023-12-10 October's file is out since mid-November

    result = run(conda, db, projects)

    assert result.status == "partial" and "2023-10" in result.error and "HTTP 404" in result.error
    assert query(db, "select max(month) from conda_project_downloads_monthly") == [(date(2023, 9, 1),)]


def test_an_old_month_missing_is_an_error_named_by_its_month(mock_http):
    serve_files(mock_http, latest="2019-01")
    with pytest.raises(NotFoundError, match=r"2023-11\.parquet"):
        conda.monthly_counts(conda.make_client(), f"{FILES}/conda/monthly/2023/2023-11.parquet", date(2023, 11, 1),
                             TRACKED)  # fmt: skip


def test_a_file_of_another_month_or_not_parquet_is_refused(mock_http):
    serve_files(mock_http, body=b"<html>Service Unavailable</html>")
    with pytest.raises(PayloadError, match="not a Parquet file"):
        conda.monthly_counts(conda.make_client(), f"{FILES}/conda/monthly/2023/2023-11.parquet", date(2023, 11, 1),
                             TRACKED)  # fmt: skip
    mock_http.reset()
    serve_files(mock_http, body=conda_month_file("2023-10"))
    with pytest.raises(PayloadError, match=r"rows of \['2023-10'\] in the file of 2023-11"):
        conda.monthly_counts(conda.make_client(), f"{FILES}/conda/monthly/2023/2023-11.parquet", date(2023, 11, 1),
                             TRACKED)  # fmt: skip


def test_a_truncated_range_is_refused(mock_http):
    def cut(request):
        status, headers, content = byte_range(request.headers["Range"], {}, conda_month_file("2023-11"))
        return status, headers, content[: len(content) // 2]

    mock_http.add_callback("GET", f"{FILES}/conda/monthly/2023/2023-11.parquet", callback=cut)
    with pytest.raises(PayloadError, match="bytes for a range of"):
        conda.monthly_counts(conda.make_client(), f"{FILES}/conda/monthly/2023/2023-11.parquet", date(2023, 11, 1),
                             TRACKED)  # fmt: skip


def test_backfill_starts_in_2017_and_keeps_the_months_it_read(db, projects, mock_http, december_2023):
    serve_files(mock_http)

    result = run(conda, db, projects, command="backfill")

    assert result.status == "ok"
    assert query(db, "select min(month), count(distinct month) from conda_project_downloads_monthly") == [
        (date(2017, 1, 1), 83)
    ]


def test_the_not_published_recording_is_what_s3_answers(mock_http):
    recording = add_recording(mock_http, "conda/not_published.json")
    with pytest.raises(NotFoundError):
        conda.RangeFile(conda.make_client(), recording["request"]["url"])


def test_fixture_has_the_real_columns_in_order():
    import pyarrow.parquet as pq

    names = pq.ParquetFile(Path(FIXTURES / "conda" / "2023-11.parquet")).schema_arrow.names
    assert names == ["time", "data_source", "pkg_name", "pkg_version", "pkg_platform", "pkg_python", "counts"]
