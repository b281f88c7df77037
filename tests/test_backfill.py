"""Backfill from ClickPy and GH Archive against recorded ClickHouse answers, plus arXiv and Trends history."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import responses

from collectors import cli, clickhouse, inputs, store
from collectors.config import Project
from collectors.sources import github, pypi
from tests import fakeapi
from tests.collect_helpers import run, searched_as
from tests.conftest import FIXTURES, add_recording, load_recording, query

TORCH = Project("pytorch", "PyTorch", "pytorch/pytorch", ("torch",), source_fields=searched_as("pytorch"))
JAX = Project(
    "jax", "JAX", "jax-ml/jax", ("jax",), source_fields=searched_as("jax"), github_former_names=("google/jax",)
)
# A new package's whole history in two queries: the months before the last 900 days, then those days.
TORCH_WINDOWS = ["torch_months_2016-01-01_2024-07-01.json", "torch_2024-07-01_2026-11-22.json"]
TENSORFLOW = Project(
    "tensorflow", "TF", "tensorflow/tensorflow", ("tensorflow",), source_fields=searched_as("tensorflow")
)


def serve_torch(mock: responses.RequestsMock, windows=TORCH_WINDOWS) -> None:
    for name in windows:
        add_recording(mock, f"clickpy/{name}")


def answer_of(name: str) -> dict:
    return json.loads(load_recording(name)["response"]["body_text"])


def backfill(db, projects, module, since=None):
    from collectors import runner

    inputs.init_db(db, projects)
    [result] = runner.run_sources([module.SOURCE], db, projects, interactive=False, command="backfill", since=since)
    return result


def test_clickpy_backfill_takes_two_queries_months_then_days(db: Path, mock_http, frozen_now):
    serve_torch(mock_http)

    result = backfill(db, [TORCH], pypi)

    assert result.status == "ok", result.error
    assert result.requests_made == 2, "one monthly and one daily query, each proven complete by its totals row"
    first, last, days = query(
        db, "select min(date), max(date), count(*) from pypi_downloads_daily where downloads_clickpy is not null"
    )[0]
    assert (first, last) == (date(2024, 7, 1), date(2026, 11, 21))
    months, daily = (answer_of(f"clickpy/{name}") for name in TORCH_WINDOWS)
    assert days == len(daily["data"]) == daily["totals"]["days"] == (last - first).days + 1
    # each month dated on its last day, over its days: compared per day with the daily points
    assert query(
        db,
        "select min(date), max(date), count(*), bool_and(window_days = day(date)) from observations "
        "where metric = 'downloads_clickpy' and window_days > 1",
    ) == [(date(2018, 12, 31), date(2024, 6, 30), months["totals"]["months"], True)]
    total = months["totals"]["downloads"] + daily["totals"]["downloads"]
    assert query(db, "select sum(value) from observations where metric = 'downloads_clickpy'") == [(total,)]
    bodies = [call.request.body.decode() for call in mock_http.calls]
    assert all("{pkg:String}" in body and "WITH TOTALS" in body for body in bodies), "bound parameters, totals"
    assert "toStartOfMonth(date)" in bodies[0] and "GROUP BY month" in bodies[0]
    assert all("user=demo" in call.request.url for call in mock_http.calls)


def test_monthly_points_judge_claims_on_the_clickpy_rung(db: Path, mock_http, frozen_now):
    """The ladder takes monthly and daily ClickPy points alike: windows of 1 to 31 days."""
    serve_torch(mock_http)
    backfill(db, [TORCH], pypi)
    assert query(db, "select min_window, max_window from evidence_ladder where metric = 'downloads_clickpy'") == [
        (1, 31)
    ]


def test_months_with_stored_days_are_not_counted_twice(db: Path, mock_http, frozen_now):
    """A store backfilled by 900-day windows before keeps its days; the monthly query adds only the other months."""
    add_recording(mock_http, "clickpy/torch_2018-06-19_2020-12-05.json")
    inputs.init_db(db, [TORCH])
    rows = pypi.fetch_clickpy_window(pypi.make_clickpy_client(), "torch", date(2018, 6, 19), date(2020, 12, 5))
    with store.connect(db) as conn:
        store.upsert_observations(conn, rows)
    mock_http.reset()
    serve_torch(mock_http)

    assert backfill(db, [TORCH], pypi, since="2016-01-01").status == "ok"

    assert query(
        db,
        "select count(*) from observations where metric = 'downloads_clickpy' and window_days > 1 "
        "and date between '2018-06-01' and '2020-12-31'",
    ) == [(0,)]
    assert query(
        db,
        "select min(date) from observations where metric = 'downloads_clickpy' and window_days > 1 "
        "and date > '2020-12-31'",
    ) == [(date(2021, 1, 31),)]


def test_interrupted_backfill_resumes_and_never_refetches_stored_windows(db: Path, mock_http, frozen_now):
    serve_torch(mock_http, TORCH_WINDOWS[:1])  # the daily query is not served: the run breaks there
    first = backfill(db, [TORCH], pypi)
    assert first.status == "partial"
    mock_http.reset()
    serve_torch(mock_http, TORCH_WINDOWS[1:])

    second = backfill(db, [TORCH], pypi)

    assert second.status == "ok", second.error
    asked = {call.request.url for call in mock_http.calls}
    assert not any("param_d0=2016-01-01" in url for url in asked)
    assert query(db, "select count(*) from observations where metric = 'downloads_clickpy'")[0][0] > 900


def test_window_whose_rows_fall_short_of_its_totals_is_refused_and_not_stored(db: Path, mock_http, clock_at):
    clock_at(datetime(2025, 6, 19, 12))  # the recorded window is the 900 days before this day: one daily query
    recording = add_recording(mock_http, "clickpy/truncated.json")
    answer = json.loads(recording["response"]["body_text"])
    assert sum(row["downloads"] for row in answer["data"]) < answer["totals"]["downloads"]

    result = backfill(db, [TENSORFLOW], pypi, since="2023-01-01")

    assert result.status == "failed"
    assert "612 daily rows sum to 350,894,922 but the totals row counts 900 days and 538,128,562" in result.error
    assert "cut short" in result.error and "nothing of this window was stored" in result.error
    assert result.requests_made == 1
    assert query(db, "select count(*) from observations") == [(0,)]


def test_window_read_only_in_part_is_refused_although_rows_match_totals(db: Path, mock_http, clock_at):
    clock_at(datetime(2025, 6, 19, 12))
    recording = add_recording(mock_http, "clickpy/truncated_read.json")
    answer = json.loads(recording["response"]["body_text"])
    assert sum(row["downloads"] for row in answer["data"]) == answer["totals"]["downloads"]

    result = backfill(db, [TENSORFLOW], pypi, since="2023-01-01")

    assert result.status == "failed"
    assert "read 16,384 of the 24,576 rows it planned to read" in result.error
    assert "nothing of this window was stored" in result.error
    assert query(db, "select count(*) from observations") == [(0,)]


def test_rows_that_do_not_count_the_totals_days_are_refused():
    answer = answer_of("clickpy/torch_2025-11-09_2026-11-22.json")
    twice = {**answer, "data": answer["data"] + answer["data"][-1:], "rows": answer["rows"] + 1}
    parsed = clickhouse.parse_answer(json.dumps(twice), None, "test")
    with pytest.raises(clickhouse.PayloadError, match="out of order"):
        clickhouse.complete_days(parsed, "date", "downloads", date(2025, 11, 9), date(2026, 11, 22), "test")
    short_days = {**answer, "totals": {**answer["totals"], "days": answer["totals"]["days"] + 1}}
    parsed = clickhouse.parse_answer(json.dumps(short_days), None, "test")
    with pytest.raises(clickhouse.PayloadError, match=r"378 daily rows sum to .* but the totals row counts 379 days"):
        clickhouse.complete_days(parsed, "date", "downloads", date(2025, 11, 9), date(2026, 11, 22), "test")


def test_exception_in_a_200_body_is_refused_and_nothing_stored(db: Path, mock_http, clock_at):
    clock_at(datetime(2025, 11, 9, 12))  # the recorded window is the 900 days before this day: one daily query
    recording = load_recording("clickpy/exception_midstream.json")
    with pytest.raises(clickhouse.PayloadError, match="TIMEOUT_EXCEEDED"):
        clickhouse.parse_answer(recording["response"]["body_text"], None, "test")
    add_recording(mock_http, "clickpy/exception_midstream.json")
    jax = Project("jax", "JAX", "jax-ml/jax", ("jax",), source_fields=searched_as("jax"))

    result = backfill(db, [jax], pypi, since="2023-05-24")

    assert result.status == "failed" and "TIMEOUT_EXCEEDED" in result.error
    assert query(db, "select count(*) from observations") == [(0,)]


def test_exception_key_of_older_servers_and_a_cut_document_are_refused():
    answer = answer_of("clickpy/torch_2025-11-09_2026-11-22.json")
    older = {"meta": answer["meta"], "data": answer["data"][:3], "rows": 3, "exception": "Code: 159. Timeout"}
    with pytest.raises(clickhouse.PayloadError, match="failed while streaming"):
        clickhouse.parse_answer(json.dumps(older), None, "test")
    text = load_recording("clickpy/torch_2025-11-09_2026-11-22.json")["response"]["body_text"]
    with pytest.raises(clickhouse.PayloadError, match="not one JSON document"):
        clickhouse.parse_answer(text[: len(text) // 2], None, "test")
    without_totals = {key: value for key, value in answer.items() if key != "totals"}
    with pytest.raises(clickhouse.PayloadError, match="no totals row"):
        clickhouse.parse_answer(json.dumps(without_totals), None, "test")


def test_quota_exceeded_stops_the_backfill_for_the_hour(db: Path, mock_http, frozen_now):
    recording = load_recording("clickpy/error_500.json")
    mock_http.add("POST", "https://sql-clickhouse.clickhouse.com/", status=500, body=recording["response"]["body_text"])
    keras = Project("keras", "Keras", "keras-team/keras", ("keras", "tf-keras"), source_fields=searched_as("keras"))

    result = backfill(db, [keras], pypi)

    assert result.status == "failed" and "quota exceeded" in result.error
    assert result.requests_made == 1, "no retries against a quota, and the next package is not tried"


def test_result_at_the_row_cap_is_treated_as_cut_short():
    answer = answer_of("clickpy/torch_2025-11-09_2026-11-22.json")
    capped = {**answer, "data": answer["data"][:1] * 1000, "rows": 1000}
    with pytest.raises(clickhouse.PayloadError, match="result cap"):
        clickhouse.parse_answer(json.dumps(capped), None, "test")


def test_gharchive_backfill_counts_star_events_under_all_names_up_to_the_cutoff(db: Path, mock_http, frozen_now):
    for path in sorted((FIXTURES / "gharchive").glob("jax_*.json")):
        add_recording(mock_http, f"gharchive/{path.name}")
    with store.connect(db) as conn:
        store.record_event(conn, "github", "jax-ml/jax", "created", date(2018, 10, 25), "test")

    result = backfill(db, [JAX], github)

    assert result.status == "ok", result.error
    assert result.requests_made == 3
    assert "google%2Fjax" in mock_http.calls[0].request.url
    served = [answer_of(f"gharchive/{path.name}") for path in sorted((FIXTURES / "gharchive").glob("jax_*.json"))]
    assert query(db, "select sum(value) from observations where metric = 'stars_given_gharchive'") == [
        (sum(a["totals"]["stars"] for a in served),)
    ]
    first, last = query(db, "select min(date), max(date) from github_star_events_daily")[0]
    assert first >= date(2018, 10, 1) and last < date(2025, 5, 23)
    assert backfill(db, [JAX], github).requests_made == 0, "done windows are not fetched again"


def test_gharchive_window_cut_short_is_refused_like_clickpy(db: Path, mock_http, frozen_now):
    name = "gharchive/jax_2023-09-05_2025-05-23.json"
    answer = answer_of(name)
    cut = {**answer, "data": answer["data"][:-10], "rows": answer["rows"] - 10}  # totals still count every day
    add_recording(mock_http, name, body=fakeapi.clickhouse_json(cut))

    result = backfill(db, [JAX], github, since="2023-09-05")

    assert result.status == "failed" and "cut short" in result.error
    assert query(db, "select count(*) from observations where metric = 'stars_given_gharchive'") == [(0,)]


def test_cli_backfill_requires_a_source(capsys):
    assert cli.main(["backfill"]) == cli.EXIT_USAGE
    assert cli.main(["backfill", "--source", "pypi", "--since", "2016-13-01"]) == cli.EXIT_USAGE


def test_arxiv_backfill_covers_every_month_since_2015(db: Path, mock_http, clock_at):
    from collectors.sources import arxiv
    from tests.test_arxiv import serve_months

    clock_at(datetime(2023, 12, 10))
    asked = serve_months(mock_http)
    pytorch = [Project("pytorch", "PyTorch", "pytorch/pytorch", ("torch",), source_fields=searched_as("pytorch"))]
    result = backfill(db, pytorch, arxiv, since="2022-06-01")
    assert result.status == "ok", result.error
    assert len(set(asked)) == 2 * 19  # mentions and denominator, 2022-06 .. 2023-12
    assert run(arxiv, db, pytorch).requests_made == 2, "then only the current month"
