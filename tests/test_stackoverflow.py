import json
from datetime import date, datetime
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from collectors.errors import AuthError, PayloadError, RateLimitedError, TransientError
from collectors.sources import stackoverflow
from tests.collect_helpers import run
from tests.conftest import FIXTURES, add_recording, load_recording, query

API = "https://api.stackexchange.com/2.3"
MONTHS = json.loads((FIXTURES / "stackoverflow" / "months.json").read_text())["months"]
TAGS_URL = load_recording("stackoverflow/tags_info.json")["request"]["url"]


@pytest.fixture
def december_2023(clock_at):
    clock_at(datetime(2023, 12, 10, 8, 0))


def serve_months(mock: responses.RequestsMock, quota: int | None = None) -> list[dict]:
    """Answer every filter=total query from months.json, in the recorded {"total": N} shape."""
    asked: list[dict] = []

    def answer(request):
        q = {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}
        asked.append(q)
        assert q["filter"] == "total" and q["site"] == "stackoverflow"
        month = datetime.utcfromtimestamp(int(q["fromdate"])).strftime("%Y-%m")
        return 200, {}, json.dumps({"total": MONTHS[q["tagged"]].get(month, 0)})

    mock.add_callback("GET", f"{API}/questions", callback=answer, content_type="application/json")
    return asked


def test_month_bounds_are_the_first_and_last_second_of_the_month_in_utc():
    assert stackoverflow.month_bounds(date(2023, 1, 1)) == (1672531200, 1675209599)
    assert stackoverflow.month_bounds(date(2024, 2, 1))[1] - stackoverflow.month_bounds(date(2024, 2, 1))[0] == (
        29 * 86_400 - 1
    )


def test_recorded_month_url_is_exactly_what_the_collector_sends(mock_http, no_waiting):
    recording = add_recording(mock_http, "stackoverflow/questions_total.json")
    api = stackoverflow.Api(stackoverflow.make_client())
    assert api.questions_in("pytorch", date(2023, 1, 1)) == 1187
    assert mock_http.calls[0].request.url == recording["request"]["url"]
    assert mock_http.calls[0].request.headers["Accept-Encoding"] == "gzip"


def test_gzip_bodies_are_read_and_quota_is_tracked(mock_http):
    add_recording(mock_http, "stackoverflow/tags_info.json")
    api = stackoverflow.Api(stackoverflow.make_client())
    counts = api.tag_counts(["tensorflow", "pytorch", "jax", "keras", "pytorch-lightning"])
    assert counts == {"tensorflow": 83512, "keras": 42760, "pytorch": 26418, "jax": 1392, "pytorch-lightning": 712}
    assert api.quota_remaining == 287


def test_first_question_gives_the_backfill_start(mock_http):
    add_recording(mock_http, "stackoverflow/first_question_jax.json")
    assert stackoverflow.Api(stackoverflow.make_client()).first_question("jax") == date(2019, 3, 19)


def test_errors_are_named_from_the_error_wrapper():
    throttle = stackoverflow.api_error(load_recording("stackoverflow/throttle_violation.json")["response"]["body_json"])
    assert (
        isinstance(throttle, RateLimitedError) and "throttle_violation" in str(throttle) and "14.5 h" in str(throttle)
    )
    assert isinstance(stackoverflow.api_error({"error_id": 405, "error_name": "key_required"}), AuthError)
    assert isinstance(
        stackoverflow.api_error({"error_id": 503, "error_name": "temporarily_unavailable"}), TransientError
    )
    assert stackoverflow.api_error({"total": 3}) is None
    with pytest.raises(PayloadError, match="no count"):
        stackoverflow.parse_total({"items": []})


def test_collect_stores_the_last_year_of_months_and_the_running_totals(db, projects, mock_http, december_2023):
    add_recording(mock_http, "stackoverflow/tags_info.json")
    asked = serve_months(mock_http)

    result = run(stackoverflow, db, projects)

    assert result.status == "ok" and result.requests_made == 1 + 5 * 12
    assert {q["tagged"] for q in asked} == {"tensorflow", "pytorch", "jax", "keras", "pytorch-lightning"}
    rows = query(
        db,
        "select month, questions, questions_to_date, project_id from stackoverflow_questions_monthly "
        "where tag = 'pytorch' order by month",
    )
    assert rows[0][:2] == (date(2022, 12, 1), MONTHS["pytorch"]["2022-12"])
    assert rows[-1][0] == date(2023, 11, 1) and rows[-1][3] == "pytorch"  # the running month is not complete
    assert rows[-1][2] == sum(MONTHS["pytorch"][f"{m}"] for m in ["2022-12"] + [f"2023-{i:02d}" for i in range(1, 12)])
    assert query(db, "select questions_total from stackoverflow_tag_totals where tag = 'tensorflow'") == [(83512,)]


def test_a_stored_month_is_not_asked_again(db, projects, mock_http, december_2023):
    add_recording(mock_http, "stackoverflow/tags_info.json")
    serve_months(mock_http)
    run(stackoverflow, db, projects)
    add_recording(mock_http, "stackoverflow/tags_info.json")
    asked = serve_months(mock_http)

    result = run(stackoverflow, db, projects)

    assert result.status == "ok" and asked == [] and result.requests_made == 1


def test_backfill_starts_at_each_tags_first_question_and_stops_before_the_quota_runs_dry(
    db, projects, mock_http, december_2023
):
    add_recording(mock_http, "stackoverflow/tags_info.json")  # quota_remaining 287
    sent = []

    def answer(request):
        sent.append(request.url)
        if "filter=total" in request.url:
            return 200, {}, json.dumps({"total": 5})
        first = load_recording("stackoverflow/first_question_jax.json")["response"]["body_json"]
        return 200, {}, json.dumps({**first, "quota_remaining": 287 - len(sent)})  # the quota as the API counts

    mock_http.add_callback("GET", f"{API}/questions", callback=answer, content_type="application/json")

    result = run(stackoverflow, db, projects, command="backfill")

    stored = query(db, "select count(*), min(date) from observation where metric = 'questions'")[0]
    # 1 tag request, then for each tag its first question and its months since 2019-03, until 10 requests are left
    assert result.status == "partial" and "quota nearly spent" in result.error
    assert result.requests_made == 287 - stackoverflow.QUOTA_RESERVE + 1
    assert stored[1] == date(2019, 3, 31) and stored[0] == result.requests_made - 1 - 5


def test_backoff_is_obeyed_before_the_next_request(db, projects, mock_http, december_2023, no_waiting):
    add_recording(mock_http, "stackoverflow/tags_info_backoff.json")
    serve_months(mock_http)

    run(stackoverflow, db, projects)

    assert 10 in no_waiting


def test_throttle_violation_stops_the_run_and_keeps_what_is_stored(db, projects, mock_http, december_2023):
    add_recording(mock_http, "stackoverflow/tags_info.json")
    serve_months(mock_http)
    run(stackoverflow, db, projects)
    before = query(db, "select * from observation where source = 'stackoverflow' and metric = 'questions' order by all")
    add_recording(mock_http, "stackoverflow/throttle_violation.json", url=TAGS_URL)

    result = run(stackoverflow, db, projects)

    assert result.status == "failed" and "throttle_violation" in result.error and result.requests_made == 1
    assert query(
        db, "select * from observation where source = 'stackoverflow' and metric = 'questions' order by all"
    ) == (before)


def test_an_unknown_tag_is_named(db, projects, mock_http, december_2023):
    recording = load_recording("stackoverflow/tags_info.json")
    body = recording["response"]["body_json"]
    body["items"] = [item for item in body["items"] if item["name"] != "jax"]
    add_recording(mock_http, "stackoverflow/tags_info.json", body=json.dumps(body))
    serve_months(mock_http)

    result = run(stackoverflow, db, projects)

    assert result.status == "partial" and "no tag 'jax'" in result.error


def test_the_key_is_sent_when_set(mock_http, monkeypatch):
    monkeypatch.setenv("STACKEXCHANGE_KEY", "k3y")
    add_recording(mock_http, "stackoverflow/questions_total.json", url=f"{API}/questions")
    stackoverflow.Api(stackoverflow.make_client()).questions_in("pytorch", date(2023, 1, 1))
    assert parse_qs(urlparse(mock_http.calls[0].request.url).query)["key"] == ["k3y"]
