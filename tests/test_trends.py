import json
from datetime import date
from pathlib import Path

import pytest

from collectors.sources import trends
from tests.collect_helpers import run
from tests.conftest import add_recording, load_recording, query

TERMS = ["tensorflow", "pytorch", "jax", "keras", "pytorch lightning"]


def serve_5y(mock) -> None:
    add_recording(mock, "trends/nid_cookie.json")
    add_recording(mock, "trends/explore_5y.json")
    add_recording(mock, "trends/multiline_5y.json")


def timeline() -> list[dict]:
    body = load_recording("trends/multiline_5y.json")["response"]["body_text"]
    return json.loads(body[5:])["default"]["timelineData"]


def test_all_terms_in_one_request_with_timeframe_and_batch(db: Path, projects, mock_http, frozen_now):
    serve_5y(mock_http)

    result = run(trends, db, projects)

    assert result.status == "ok", result.error
    assert result.requests_made == 3  # cookie, explore, multiline
    points = timeline()
    complete = [p for p in points if not p.get("isPartial")]
    assert query(db, "select count(*) from trends_interest") == [(len(complete) * len(TERMS),)]
    first = complete[0]
    start = date.fromtimestamp(int(first["time"]))
    rows = query(
        db,
        "select term, interest, resolution, timeframe, batch, anchor, period_end - period_start "
        "from trends_interest where period_start = ? order by term",
        [start],
    )
    expected = dict(zip(TERMS, first["value"], strict=True))
    assert [(r[0], r[1]) for r in rows] == sorted(expected.items())
    assert {r[2:] for r in rows} == {("week", "today 5-y", "1/1", None, 6)}


def test_rerun_of_the_same_answer_writes_nothing(db: Path, projects, mock_http, frozen_now):
    serve_5y(mock_http)
    run(trends, db, projects)
    assert run(trends, db, projects).rows_written == 0


def test_429_is_recorded_and_stored_data_stays(db: Path, projects, mock_http, frozen_now, no_waiting):
    serve_5y(mock_http)
    run(trends, db, projects)
    before = query(db, "select count(*), sum(value) from observation")
    mock_http.reset()
    add_recording(mock_http, "trends/nid_cookie.json")
    add_recording(mock_http, "trends/too_many_requests.json")

    result = run(trends, db, projects)

    assert result.status == "failed"
    assert "429" in result.error
    assert no_waiting, "backed off before giving up"
    assert query(db, "select count(*), sum(value) from observation") == before
    assert query(db, "select status, error is not null from collection_runs order by run_id desc limit 1") == [
        ("failed", True)
    ]


def test_more_than_five_terms_are_chained_through_an_anchor():
    batches = trends.plan_batches(["a", "b", "c", "d", "e", "f", "g"])
    assert [b.terms for b in batches] == [("a", "b", "c", "d", "e"), ("a", "f", "g")]
    assert {b.anchor for b in batches} == {"a"}
    assert trends.plan_batches(TERMS)[0].anchor is None


def test_anchor_scale_puts_batches_on_one_scale():
    day = date(2024, 1, 6)
    reference = [trends.Observation("trends", "a", "interest", day, 7, 50, "x")]
    later = [trends.Observation("trends", "a", "interest", day, 7, 100, "x")]
    assert trends.anchor_scale(later, reference) == 0.5
    with pytest.raises(trends.PayloadError, match="anchor"):
        trends.anchor_scale([trends.Observation("trends", "a", "interest", day, 7, 0, "x")], reference)


def test_empty_timeline_is_an_error_not_an_empty_series(mock_http):
    add_recording(mock_http, "trends/nid_cookie.json")
    add_recording(mock_http, "trends/explore_5y.json")
    recording = load_recording("trends/multiline_5y.json")
    empty = ')]}\',\n{"default":{"timelineData":[],"averages":[]}}'
    mock_http.add("GET", recording["request"]["url"], body=empty, content_type="application/json; charset=utf-8")
    with pytest.raises(trends.PayloadError, match="no timeline"):
        trends.fetch_interest(trends.make_client(), TERMS, "today 5-y")
