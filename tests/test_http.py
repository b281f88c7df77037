import pytest
import requests
import responses

from collectors import __version__, arxiv, github, pypi, trends
from collectors.errors import NotFoundError, RateLimitedError, TransientError
from collectors.http import HttpClient, rate_limit_wait
from tests.conftest import add_recording, load_recording

URL = "https://example.test/x"


def test_user_agent_names_the_project_and_version(mock_http):
    mock_http.add("GET", URL, json={})
    HttpClient().get(URL)
    assert f"ecotrends/{__version__}" in mock_http.calls[0].request.headers["User-Agent"]


def test_retry_after_is_honoured(mock_http, no_waiting):
    mock_http.add("GET", URL, status=503, headers={"Retry-After": "7"})
    mock_http.add("GET", URL, json={"ok": True})
    assert HttpClient().get(URL).json() == {"ok": True}
    assert no_waiting == [7.0]


def test_github_reset_header_is_honoured_within_bounds(mock_http, no_waiting, monkeypatch):
    monkeypatch.setattr("collectors.http.time.time", lambda: 1_000_000.0)
    mock_http.add("GET", URL, status=403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000030"})
    mock_http.add("GET", URL, json={})
    HttpClient().get(URL)
    assert no_waiting == [30.0]


def test_secondary_rate_limit_recording_waits_its_retry_after(mock_http, no_waiting):
    recording = load_recording("github/secondary_rate_limit.json")
    response = requests.Response()
    response.status_code = recording["response"]["status"]
    response.headers.update(recording["response"]["headers"])
    response._content = str(recording["response"].get("body_json") or recording["response"].get("body_text")).encode()
    assert rate_limit_wait(response) == 60.0


def test_connection_errors_are_retried_then_named(mock_http, no_waiting):
    mock_http.add("GET", URL, body=requests.ConnectionError("reset by peer"))
    with pytest.raises(TransientError, match="ConnectionError after 4 attempts"):
        HttpClient().get(URL)
    assert no_waiting == [2.0, 4.0, 8.0]


def test_long_waits_end_the_run_instead_of_sleeping(mock_http, no_waiting):
    mock_http.add("GET", URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitedError, match="3600 s"):
        HttpClient().get(URL)
    assert no_waiting == []


def test_not_found_is_named(mock_http):
    add_recording(mock_http, "pypi/overall_not_found.json")
    with pytest.raises(NotFoundError, match="nosuchpackage-xyz"):
        pypi.fetch_overall(pypi.make_client(), "nosuchpackage-xyz")


@pytest.mark.parametrize(
    ("module", "variable", "call", "path"),
    [
        (github, "ECOTRENDS_GITHUB_URL", lambda c: github.fetch_repo(c, "a/b"), "/repos/a/b"),
        (pypi, "ECOTRENDS_PYPISTATS_URL", lambda c: pypi.fetch_overall(c, "torch"), "/api/packages/torch/overall"),
        (pypi, "ECOTRENDS_PYPI_URL", lambda c: pypi.fetch_release_info(c, "torch"), "/pypi/torch/json"),
        (arxiv, "ECOTRENDS_ARXIV_URL", lambda c: arxiv.fetch_total(c, "x"), "/api/query"),
    ],
)
def test_base_url_override_replaces_scheme_and_host_only(module, variable, call, path, monkeypatch):
    monkeypatch.setenv(variable, "http://127.0.0.1:8080/")
    with responses.RequestsMock() as mock:
        mock.add("GET", "http://127.0.0.1:8080" + path, body="{}", status=404)
        with pytest.raises(NotFoundError):
            call(module.make_client())
        assert mock.calls[0].request.url.startswith("http://127.0.0.1:8080" + path)


def test_trends_override_keeps_pytrends_paths(monkeypatch, mock_http):
    monkeypatch.setenv("ECOTRENDS_TRENDS_URL", "http://127.0.0.1:9")
    for name in ("nid_cookie", "explore_5y", "multiline_5y"):
        recording = load_recording(f"trends/{name}.json")
        add_recording(
            mock_http,
            f"trends/{name}.json",
            url=recording["request"]["url"].replace("https://trends.google.com", "http://127.0.0.1:9"),
        )
    frame = trends.fetch_interest(
        trends.make_client(), ["tensorflow", "pytorch", "jax", "keras", "pytorch lightning"], "today 5-y"
    )
    assert len(frame) == 261
    assert all(call.request.url.startswith("http://127.0.0.1:9/trends/") for call in mock_http.calls)
