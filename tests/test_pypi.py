from datetime import date
from pathlib import Path

import pytest

from collectors.config import Project
from collectors.sources import pypi
from tests.collect_helpers import run, searched_as
from tests.conftest import add_recording, load_recording, query

TENSORFLOW_PACKAGES = ["tensorflow", "tensorflow-cpu", "tensorflow-gpu"]


def tensorflow(projects) -> list[Project]:
    return [p for p in projects if p.id == "tensorflow"]


def add_package(mock, package: str) -> None:
    add_recording(mock, f"pypi/overall_{package}.json")
    add_recording(mock, f"pypi/pypi_json_{package}.json")


def test_daily_downloads_with_and_without_mirrors_and_first_release(db: Path, projects, mock_http, frozen_now):
    for package in TENSORFLOW_PACKAGES:
        add_package(mock_http, package)

    result = run(pypi, db, tensorflow(projects))

    assert result.status == "ok", result.error
    assert result.requests_made == 6
    data = load_recording("pypi/overall_tensorflow.json")["response"]["body_json"]["data"]
    expected = {(d["date"], d["category"]): d["downloads"] for d in data}
    rows = query(
        db,
        "select date::varchar, downloads_with_mirrors, downloads_without_mirrors from pypi_downloads_daily "
        "where package = 'tensorflow' order by date",
    )
    assert len(rows) == 180
    for day, with_mirrors, without in rows:
        assert with_mirrors == expected[(day, "with_mirrors")]
        assert without == expected[(day, "without_mirrors")]
    summed = query(
        db,
        "select downloads_without_mirrors, packages_reported from pypi_project_downloads_daily "
        "where project_id = 'tensorflow' and date = '2026-11-21'",
    )
    assert summed == [(sum(expected_without(p, "2026-11-21") for p in TENSORFLOW_PACKAGES), 3)]
    releases = dict(query(db, "select package, first_release_on from pypi_first_releases"))
    assert releases["tensorflow"] == date(2016, 12, 19)


def expected_without(package: str, day: str) -> int:
    data = load_recording(f"pypi/overall_{package}.json")["response"]["body_json"]["data"]
    return next(d["downloads"] for d in data if d["date"] == day and d["category"] == "without_mirrors")


def test_rerun_writes_nothing_and_skips_known_release_dates(db: Path, projects, mock_http, frozen_now):
    for package in TENSORFLOW_PACKAGES:
        add_package(mock_http, package)
    run(pypi, db, tensorflow(projects))
    mock_http.calls.reset()

    second = run(pypi, db, tensorflow(projects))

    assert second.rows_written == 0
    assert [c.request.url for c in mock_http.calls] == [
        f"https://pypistats.org/api/packages/{p}/overall" for p in TENSORFLOW_PACKAGES
    ]


def test_first_release_ignores_versions_without_files():
    payload = load_recording("pypi/pypi_json_torch.json")["response"]["body_json"]
    assert any(not files for files in payload["releases"].values()), "fixture keeps a version with no files"
    assert pypi.parse_first_release(payload, "torch") == (date(2018, 12, 7), "1.0.0")


def test_first_release_is_the_earliest_upload_by_either_time_field():
    """Files without a time are skipped (not the end of the release); older answers carry only upload_time."""
    payload = {"releases": {
        "0.2": [{"upload_time": "2019-03-01T10:00:00"}],
        "0.1": [{"filename": "no-time.tar.gz"}, {"upload_time_iso_8601": "2018-12-07T18:56:01.123Z"}],
        "0.3": [],
    }}  # fmt: skip
    assert pypi.parse_first_release(payload, "torch") == (date(2018, 12, 7), "0.1")
    assert pypi.parse_first_release({"releases": {"0.2": [{"upload_time": "2019-03-01T10:00:00"}]}}, "x") == (
        date(2019, 3, 1), "0.2"
    )  # fmt: skip
    assert pypi.parse_first_release({"releases": {}}, "x") is None


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({}, "/pypi/torch/json: no 'releases' object"),
        ({"releases": {"1.0": {}}}, "/pypi/torch/json: release 1.0 is not a list of files"),
        ({"releases": {"1.0": [{"upload_time": "soon"}]}}, "/pypi/torch/json: release 1.0 has upload time 'soon'"),
    ],
)
def test_unusable_release_lists_are_refused_with_the_release(payload, says):
    with pytest.raises(pypi.PayloadError) as error:
        pypi.parse_first_release(payload, "torch")
    assert str(error.value) == says


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ([], "expected a JSON object, got list"),
        ({"type": "recent", "data": []}, "not an overall_downloads answer (type='recent')"),
        ({"type": "overall_downloads", "data": {}}, "not an overall_downloads answer (type='overall_downloads')"),
        ({"type": "overall_downloads", "data": [{"date": "2026-01-01"}]}, "malformed row {'date': '2026-01-01'}"),
        ({"type": "overall_downloads", "data": [{"category": "with_mirrors", "date": "2026-01-01", "downloads": True}]},
         "downloads True on 2026-01-01 is not a count"),
    ],
)  # fmt: skip
def test_unusable_daily_answers_are_refused_with_the_reason(payload, says):
    with pytest.raises(pypi.PayloadError) as error:
        pypi.parse_overall(payload, "torch")
    assert str(error.value) == f"GET https://pypistats.org/api/packages/torch/overall: {says}"


def test_unknown_package_fails_alone_with_its_name(db: Path, mock_http, frozen_now):
    add_recording(mock_http, "pypi/overall_not_found.json")
    add_package(mock_http, "jax")
    project = Project("x", "X", "jax-ml/jax", ("nosuchpackage-xyz", "jax"), source_fields=searched_as("x"))

    result = run(pypi, db, [project])

    assert result.status == "partial"
    assert result.error.startswith("nosuchpackage-xyz:") and "not found" in result.error
    assert query(db, "select count(distinct package) from pypi_downloads_daily") == [(1,)]


def test_rate_limit_is_retried_with_backoff(db: Path, mock_http, frozen_now, no_waiting):
    add_recording(mock_http, "pypi/overall_rate_limited.json")
    add_package(mock_http, "torch")
    project = Project("pytorch", "PyTorch", "pytorch/pytorch", ("torch",), source_fields=searched_as("pytorch"))

    result = run(pypi, db, [project])

    assert result.status == "ok", result.error
    assert any(wait >= 2 for wait in no_waiting), "backed off before retrying the 429"


def test_empty_series_is_refused_and_stored_data_kept(db: Path, mock_http, frozen_now):
    add_package(mock_http, "keras")
    project = Project("keras", "Keras", "keras-team/keras", ("keras",), source_fields=searched_as("keras"))
    run(pypi, db, [project])
    before = query(db, "select count(*), sum(value) from observation where source = 'pypi'")

    mock_http.replace(
        "GET",
        "https://pypistats.org/api/packages/keras/overall",
        json={"data": [], "package": "keras", "type": "overall_downloads"},
    )
    result = run(pypi, db, [project])

    assert result.status == "failed" and "empty series" in result.error
    assert query(db, "select count(*), sum(value) from observation where source = 'pypi'") == before
