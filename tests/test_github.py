from datetime import date
from pathlib import Path

import pytest
import responses

from collectors.config import Project
from collectors.sources import github
from tests.collect_helpers import run, searched_as
from tests.conftest import add_recording, load_recording, query

REPOS = ["tensorflow/tensorflow", "pytorch/pytorch", "jax-ml/jax", "keras-team/keras", "Lightning-AI/pytorch-lightning"]


def only(projects, *ids: str) -> list[Project]:
    return [p for p in projects if p.id in ids]


def add_snapshots(mock: responses.RequestsMock, repos=REPOS) -> None:
    for repo in repos:
        add_recording(mock, f"github/repo_{repo.replace('/', '_')}.json")


def add_jax_history(mock: responses.RequestsMock) -> None:
    for page in range(1, 16):
        add_recording(mock, f"github/history_jax-ml_jax_p{page}.json")


def test_snapshot_stores_counters_and_creation_date(db: Path, projects, mock_http, frozen_now):
    add_snapshots(mock_http, ["pytorch/pytorch"])
    add_recording(mock_http, "github/history_tensorflow_tensorflow_p1.json")  # not asked for
    body = load_recording("github/repo_pytorch_pytorch.json")["response"]["body_json"]
    mock_http.add("GET", "https://api.github.com/repos/pytorch/pytorch/stargazers/history", status=500)

    result = run(github, db, only(projects, "pytorch"))

    row = query(db, "select stars, forks, watchers, open_issues from github_stars_daily where date = '2026-11-22'")
    fields = ("stargazers_count", "forks_count", "subscribers_count", "open_issues_count")
    assert row == [tuple(body[field] for field in fields)]
    assert body["watchers_count"] == body["stargazers_count"], "the legacy watchers field is the star count"
    assert query(db, "select created_on from github_repositories") == [(date(2016, 8, 13),)]
    assert result.status == "partial" and "star history" in result.error


def test_full_star_history_walk_then_incremental_runs(db: Path, projects, mock_http, frozen_now):
    add_snapshots(mock_http, ["jax-ml/jax"])
    add_jax_history(mock_http)
    jax = only(projects, "jax")

    first = run(github, db, jax)

    assert first.status == "ok", first.error
    assert first.requests_made == 1 + 15
    total, oldest, newest = query(
        db, "select max(retained_stars_cumulative), min(date), max(date) from github_star_history"
    )[0]
    assert total == 36502  # the sum of every page's weekly totals
    assert oldest == date(2018, 10, 21)  # the creation week
    assert newest == date(2026, 11, 22)  # no rows for the days after "today" in the partial week
    assert (
        query(db, "select count(*) from observations where metric = 'stars_given_retained'")[0][0]
        == (newest - oldest).days + 1
    )

    second = run(github, db, jax)
    assert second.status == "ok"
    assert second.requests_made == 1, "the history is walked once, then refreshed weekly"
    assert second.rows_written == 0, "the same snapshot again changes nothing"


def test_interrupted_history_walk_resumes_where_it_stopped(db: Path, projects, mock_http, frozen_now):
    add_snapshots(mock_http, ["tensorflow/tensorflow"])
    add_recording(mock_http, "github/history_tensorflow_tensorflow_p1.json")
    add_recording(mock_http, "github/history_tensorflow_tensorflow_p2.json")
    tensorflow = only(projects, "tensorflow")

    first = run(github, db, tensorflow)  # page 3 is not served: the walk breaks there
    assert first.status == "partial"
    assert "page=3" in first.error
    stored = query(db, "select count(*) from observations where metric = 'stars_given_retained'")[0][0]
    assert stored > 0

    mock_http.calls.reset()
    run(github, db, tensorflow)
    asked = [call.request.url for call in mock_http.calls if "history" in call.request.url]
    assert asked[0].endswith("page=2"), "resumes one page early, never from page 1"


def test_unknown_repository_fails_alone(db: Path, projects, mock_http, frozen_now):
    add_recording(mock_http, "github/repo_not_found.json")
    add_snapshots(mock_http, ["jax-ml/jax"])
    add_jax_history(mock_http)
    ghost = Project("ghost", "Ghost", "nosuchowner/nosuchrepo", ("ghost",), source_fields=searched_as("ghost"))

    result = run(github, db, [ghost, *only(projects, "jax")])

    assert result.status == "partial"
    assert "nosuchowner/nosuchrepo" in result.error and "not found" in result.error
    assert query(db, "select count(*) from github_stars_daily where repo = 'jax-ml/jax'") == [(1,)]


def test_bad_token_is_named_and_never_shown(db: Path, projects, mock_http, frozen_now, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_canarycanarycanary")
    add_recording(mock_http, "github/bad_credentials.json")
    mock_http.add("GET", "https://api.github.com/repos/tensorflow/tensorflow/stargazers/history", status=401)

    result = run(github, db, only(projects, "tensorflow"))

    assert result.status == "failed"
    assert "credentials refused" in result.error and "GITHUB_TOKEN" in result.error
    assert mock_http.calls[0].request.headers["Authorization"] == "Bearer ghp_canarycanarycanary"
    dumped = str(query(db, "select * from collection_run")) + str(query(db, "select * from observation"))
    assert "canary" not in dumped


def test_exhausted_quota_stops_without_sleeping_an_hour(db: Path, projects, mock_http, frozen_now, no_waiting):
    add_recording(mock_http, "github/rate_limited.json")
    mock_http.add(
        "GET",
        "https://api.github.com/repos/pytorch/pytorch/stargazers/history",
        status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"},
    )

    result = run(github, db, only(projects, "pytorch"))

    assert result.status == "failed", "every request refused and nothing written is a failure, not partial"
    assert "rate limited" in result.error
    assert no_waiting == [], "waits longer than the bound are not slept"
    assert query(db, "select count(*) from observation") == [(0,)]


def test_parse_history_rejects_inconsistent_weeks():
    with pytest.raises(github.PayloadError, match="not the sum"):
        github.parse_history([{"week": 1763856000, "total": 5, "days": [1, 0, 0, 0, 0, 0, 0]}], "a/b", date(2030, 1, 1))
