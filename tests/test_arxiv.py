import json
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from collectors.sources import arxiv
from tests.collect_helpers import run
from tests.conftest import FIXTURES, add_recording, load_recording, query

API = "https://export.arxiv.org/api/query"
MONTHS = json.loads((FIXTURES / "arxiv" / "months_2023.json").read_text())
TEMPLATE = load_recording("arxiv/count_ok.json")["response"]["body_text"]


def feed(total: int) -> str:
    return re.sub(
        r"<opensearch:totalResults>\d+</opensearch:totalResults>",
        f"<opensearch:totalResults>{total}</opensearch:totalResults>",
        TEMPLATE,
    )


def serve_months(mock: responses.RequestsMock, overrides: dict | None = None) -> list[str]:
    """Answer every count query from months_2023.json, rendered in the recorded feed's exact format."""
    asked: list[str] = []

    def answer(request):
        q = parse_qs(urlparse(request.url).query)
        assert q["max_results"] == ["0"] and q["start"] == ["0"]
        search = q["search_query"][0]
        asked.append(search)
        phrase = re.search(r'all:"([^"]+)"', search)
        month = re.search(r"submittedDate:\[(\d{4})(\d{2})01", search)
        key = f"{month.group(1)}-{month.group(2)}"
        series = phrase.group(1) if phrase else "__denominator__"
        total = (overrides or {}).get((series, key), MONTHS[series].get(key, 0))
        return 200, {"Content-Type": "application/atom+xml; charset=UTF-8"}, feed(total)

    mock.add_callback("GET", API, callback=answer)
    return asked


@pytest.fixture
def december_2023(clock_at):
    clock_at(datetime(2023, 12, 10, 8, 0))


def test_query_is_the_phrase_in_the_deep_learning_categories_for_one_month():
    assert arxiv.search_query("pytorch lightning", date(2024, 2, 1)) == (
        'all:"pytorch lightning" AND (cat:cs.LG OR cat:cs.CV OR cat:cs.CL OR cat:cs.AI OR cat:cs.NE OR cat:stat.ML) '
        "AND submittedDate:[202402010000 TO 202402292359]"
    )


def test_recorded_query_url_is_exactly_what_the_collector_sends(db, projects, mock_http, december_2023):
    recording = add_recording(mock_http, "arxiv/count_ok.json")
    client = arxiv.make_client()
    assert arxiv.fetch_total(client, arxiv.search_query("pytorch", date(2023, 1, 1))) == 143
    assert mock_http.calls[0].request.url == recording["request"]["url"]


def test_first_run_counts_a_year_of_months_with_the_denominator(db: Path, projects, mock_http, december_2023):
    asked = serve_months(mock_http)

    result = run(arxiv, db, projects)

    assert result.status == "ok", result.error
    assert len(set(asked)) == 12 * 6, "twelve months of five phrases and the denominator"
    assert result.requests_made == len(asked) == 12 * 6, "zeros of a small series are believed at once"
    rows = query(
        db,
        "select papers_mentioning, papers_total, share_of_deep_learning from arxiv_mentions_monthly "
        "where project_id = 'pytorch' and month = '2023-01-01'",
    )
    expected_share = MONTHS["pytorch"]["2023-01"] / MONTHS["__denominator__"]["2023-01"]
    assert rows == [(MONTHS["pytorch"]["2023-01"], MONTHS["__denominator__"]["2023-01"], pytest.approx(expected_share))]
    window = query(
        db,
        "select date::varchar, window_days from observations where subject = 'pytorch' "
        "and date between '2023-02-01' and '2023-02-28'",
    )
    assert window == [("2023-02-28", 28)]


def test_later_runs_fetch_only_the_current_month_once_the_previous_settled(db, projects, mock_http, december_2023):
    serve_months(mock_http)
    run(arxiv, db, projects)
    mock_http.calls.reset()

    second = run(arxiv, db, projects)

    assert second.requests_made == 6, "one request per project plus the denominator"
    assert all("202312010000" in call.request.url.replace("%5B", "[") for call in mock_http.calls)


def test_previous_month_is_refetched_until_it_settled(db, projects, mock_http, clock_at):
    serve_months(mock_http)
    clock_at(datetime(2023, 12, 1, 8, 0))
    run(arxiv, db, projects)
    clock_at(datetime(2023, 12, 2, 8, 0))
    mock_http.calls.reset()

    assert run(arxiv, db, projects).requests_made == 12  # November not settled yet: read on Dec 1


def test_transient_zero_is_retried_then_refused_over_real_counts(db, projects, mock_http, december_2023, no_waiting):
    serve_months(mock_http)
    pytorch = [p for p in projects if p.id == "pytorch"]
    run(arxiv, db, pytorch)
    mock_http.reset()
    serve_months(mock_http, overrides={("pytorch", "2023-12"): 0})

    result = run(arxiv, db, pytorch)

    assert result.status == "partial" and "transient outage" in result.error
    assert no_waiting.count(arxiv.ZERO_RETRY_PAUSE_SECONDS) == arxiv.ZERO_RETRIES
    december = query(
        db, "select papers_mentioning from arxiv_mentions_monthly where project_id = 'pytorch' and month = '2023-12-01'"
    )
    assert december == [(MONTHS["pytorch"]["2023-12"],)]


@pytest.mark.parametrize("name", ["arxiv/error_feed_http200.json", "arxiv/error_feed.json"])
def test_error_feed_is_an_error_with_arxivs_message(name, mock_http):
    recording = add_recording(mock_http, name)
    client = arxiv.make_client()
    with pytest.raises(arxiv.SourceError, match="max_results must be non-negative"):
        response = client.get(recording["request"]["url"], allow_statuses=frozenset({400}))
        arxiv.parse_total(response.text)


def test_rate_exceeded_is_retried_with_backoff(mock_http, no_waiting):
    recording = add_recording(mock_http, "arxiv/http_429_rate_exceeded.json")
    add_recording(mock_http, "arxiv/count_ok.json")
    client = arxiv.make_client()
    assert arxiv.fetch_total(client, arxiv.search_query("pytorch", date(2023, 1, 1))) == 143
    assert client.requests_made == 2 and recording["response"]["status"] == 429
    assert any(wait >= 2 for wait in no_waiting)


def test_zero_is_believed_for_a_series_without_counts(db, mock_http, december_2023):
    add_recording(mock_http, "arxiv/count_zero.json")
    assert arxiv.parse_total(load_recording("arxiv/count_zero.json")["response"]["body_text"]) == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "arXiv answer is not XML: no element found"),
        ("<html>503</html>", "arXiv answer is not an Atom feed (root 'html')"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'/>", "arXiv feed has no numeric opensearch:totalResults (None)"),
    ],
)
def test_malformed_answers_are_payload_errors(text, says):
    with pytest.raises(arxiv.PayloadError) as error:
        arxiv.parse_total(text)
    assert str(error.value).startswith(says)


ERROR_FEED = load_recording("arxiv/error_feed_http200.json")["response"]["body_text"]
ERROR_ID = "<id>https://arxiv.org/api/errors#max_results_must_be_non-negative</id>"


@pytest.mark.parametrize(
    ("feed", "says"),
    [
        (ERROR_FEED, "arXiv error feed: max_results must be non-negative"),
        (ERROR_FEED.replace("<title>Error</title>", "<title>Oops</title>"), "arXiv error feed: max_results must"),
        (ERROR_FEED.replace(ERROR_ID, "<id>https://arxiv.org/x</id>"), "arXiv error feed: max_results must"),
        (ERROR_FEED.replace("<summary>max_results must be non-negative</summary>", ""),
         "arXiv error feed: https://arxiv.org/api/errors#max_results_must_be_non-negative"),
    ],
)  # fmt: skip
def test_an_error_entry_is_known_by_its_id_or_its_title(feed, says):
    """arXiv marks an error by the entry's id and by its title; either alone is an error, never a count of 1."""
    with pytest.raises(arxiv.PayloadError) as error:
        arxiv.parse_total(feed)
    assert str(error.value).startswith(says)


def test_a_feed_whose_entries_are_papers_gives_its_total():
    papers = ERROR_FEED.replace(ERROR_ID, "<id>http://arxiv.org/abs/2301.00001v1</id>").replace(
        "<title>Error</title>", "<title>A paper</title>"
    )
    assert arxiv.parse_total(papers) == 1
