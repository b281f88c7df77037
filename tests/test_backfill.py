"""Backfill from ClickPy and GH Archive against recorded ClickHouse answers, plus arXiv and Trends history."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import responses

from collectors import cli, clickhouse, inputs, store
from collectors.config import Project
from collectors.sources import github, pypi
from tests.collect_helpers import run
from tests.conftest import FIXTURES, add_recording, load_recording, query

TORCH = Project("pytorch", "PyTorch", "pytorch/pytorch", ("torch",), "pytorch", "pytorch")
JAX = Project("jax", "JAX", "jax-ml/jax", ("jax",), "jax", "jax", github_former_names=("google/jax",))
TORCH_WINDOWS = sorted(p.name for p in (FIXTURES / "clickpy").glob("torch_2*.json"))


def serve_torch(mock: responses.RequestsMock, windows=TORCH_WINDOWS) -> None:
    """Daily and total answers share a URL; serve them in the order the collector asks (rows, then total)."""
    for name in windows:
        for recorded in (name, name.replace("torch_", "torch_total_")):
            add_recording(mock, f"clickpy/{recorded}")


def backfill(db, projects, module, since=None):
    from collectors import runner

    inputs.init_db(db, projects)
    [result] = runner.run_sources([module.SOURCE], db, projects, interactive=False, command="backfill", since=since)
    return result


def test_clickpy_backfill_stores_every_day_since_the_first_upload(db: Path, mock_http, frozen_now):
    serve_torch(mock_http)

    result = backfill(db, [TORCH], pypi)

    assert result.status == "ok", result.error
    assert result.requests_made == 2 * len(TORCH_WINDOWS)
    first, last, days = query(
        db, "select min(date), max(date), count(*) from pypi_downloads_daily where downloads_clickpy is not null"
    )[0]
    assert (first, last) == (date(2018, 12, 7), date(2026, 11, 21))
    served = sum(len(load_recording(f"clickpy/{n}")["response"]["body_text"].splitlines()) for n in TORCH_WINDOWS)
    assert days == served == (last - first).days + 1
    total = sum(
        json.loads(load_recording(f"clickpy/{n.replace('torch_', 'torch_total_')}")["response"]["body_text"])[
            "downloads"
        ]
        for n in TORCH_WINDOWS
    )
    assert query(db, "select sum(value) from observations where metric = 'downloads_clickpy'") == [(total,)]
    bodies = [call.request.body.decode() for call in mock_http.calls]
    assert all("{pkg:String}" in body for body in bodies), "package names are bound parameters, never spliced"
    assert all("user=demo" in call.request.url for call in mock_http.calls)


def test_interrupted_backfill_resumes_and_never_refetches_stored_windows(db: Path, mock_http, frozen_now):
    serve_torch(mock_http, TORCH_WINDOWS[:2])  # the third window is not served: the run breaks there
    first = backfill(db, [TORCH], pypi)
    assert first.status == "partial"
    mock_http.reset()
    serve_torch(mock_http, TORCH_WINDOWS[2:])

    second = backfill(db, [TORCH], pypi)

    assert second.status == "ok", second.error
    asked = {call.request.url for call in mock_http.calls}
    assert not any("param_d0=2016-01-01" in url or "param_d0=2018-06-19" in url for url in asked)
    assert query(db, "select count(*) from observations where metric = 'downloads_clickpy'")[0][0] > 2500


def test_silently_truncated_window_is_detected_and_not_stored(db: Path, mock_http, frozen_now):
    for name in ("clickpy/truncated.json", "clickpy/truncated_total.json"):
        recording = load_recording(name)
        mock_http.add("POST", recording["request"]["url"], body=recording["response"]["body_text"], status=200)
    tensorflow = Project("tensorflow", "TF", "tensorflow/tensorflow", ("tensorflow",), "tensorflow", "tensorflow")

    result = backfill(db, [tensorflow], pypi, since="2023-01-01")

    assert result.status == "failed"
    assert "cut short" in result.error and "nothing of this window was stored" in result.error
    assert query(db, "select count(*) from observations") == [(0,)]


def test_exception_in_a_200_body_is_an_error(mock_http):
    recording = add_recording(mock_http, "clickpy/exception_midstream.json")
    with pytest.raises(clickhouse.PayloadError, match="TIMEOUT_EXCEEDED"):
        clickhouse.parse_rows(recording["response"]["body_text"], "test")


def test_quota_exceeded_stops_the_backfill_for_the_hour(db: Path, mock_http, frozen_now):
    recording = load_recording("clickpy/error_500.json")
    mock_http.add("POST", "https://sql-clickhouse.clickhouse.com/", status=500, body=recording["response"]["body_text"])
    keras = Project("keras", "Keras", "keras-team/keras", ("keras", "tf-keras"), "keras", "keras")

    result = backfill(db, [keras], pypi)

    assert result.status == "failed" and "quota exceeded" in result.error
    assert result.requests_made == 1, "no retries against a quota, and the next package is not tried"


def test_result_at_the_row_cap_is_treated_as_cut_short():
    body = "\n".join(json.dumps({"date": "2020-01-01", "downloads": 1}) for _ in range(1000))
    with pytest.raises(clickhouse.PayloadError, match="result cap"):
        clickhouse.parse_rows(body, "test")


def test_gharchive_backfill_counts_star_events_under_all_names_up_to_the_cutoff(db: Path, mock_http, frozen_now):
    for path in sorted((FIXTURES / "gharchive").glob("jax_*.json")):
        add_recording(mock_http, f"gharchive/{path.name}")
    with store.connect(db) as conn:
        store.record_event(conn, "github", "jax-ml/jax", "created", date(2018, 10, 25), "test")

    result = backfill(db, [JAX], github)

    assert result.status == "ok", result.error
    assert result.requests_made == 3
    assert "google%2Fjax" in mock_http.calls[0].request.url
    first, last = query(db, "select min(date), max(date) from github_star_events_daily")[0]
    assert first >= date(2018, 10, 1) and last < date(2025, 5, 23)
    assert backfill(db, [JAX], github).requests_made == 0, "done windows are not fetched again"


def test_cli_backfill_requires_a_source(capsys):
    assert cli.main(["backfill"]) == cli.EXIT_USAGE
    assert cli.main(["backfill", "--source", "pypi", "--since", "2016-13-01"]) == cli.EXIT_USAGE


def test_arxiv_backfill_covers_every_month_since_2015(db: Path, mock_http, clock_at):
    from collectors.sources import arxiv
    from tests.test_arxiv import serve_months

    clock_at(datetime(2023, 12, 10))
    asked = serve_months(mock_http)
    pytorch = [Project("pytorch", "PyTorch", "pytorch/pytorch", ("torch",), "pytorch", "pytorch")]
    result = backfill(db, pytorch, arxiv, since="2022-06-01")
    assert result.status == "ok", result.error
    assert len(set(asked)) == 2 * 19  # mentions and denominator, 2022-06 .. 2023-12
    assert run(arxiv, db, pytorch).requests_made == 2, "then only the current month"
