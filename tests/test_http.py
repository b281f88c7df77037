import socket
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import responses
import urllib3

from collectors import __version__
from collectors.errors import ConfigError, NotFoundError, OfflineError, OutOfTimeError, RateLimitedError
from collectors.http import HttpClient, rate_limit_wait
from collectors.sources import arxiv, github, pypi, trends
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


def test_github_reset_header_is_honoured_within_bounds(mock_http, no_waiting, clock_at):
    clock_at(datetime(2026, 11, 22, 6, 0, 0))  # 1795327200 in Unix seconds; the answer has no Date header
    mock_http.add("GET", URL, status=403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795327230"})
    mock_http.add("GET", URL, json={})
    HttpClient().get(URL)
    assert no_waiting == [30.0]


@pytest.mark.parametrize("local_clock", [datetime(2026, 11, 22, 6, 0, 42), datetime(2031, 1, 1), datetime(2020, 1, 1)])
def test_reset_is_measured_from_the_answers_own_date_whatever_the_local_clock(local_clock, clock_at):
    """The recording says Date 06:00:42 and reset 06:31:57: a 1,875 s wait, on any day the suite runs."""
    clock_at(local_clock)
    recording = load_recording("github/rate_limited.json")
    response = requests.Response()
    response.status_code = recording["response"]["status"]
    response.headers.update(recording["response"]["headers"])
    assert rate_limit_wait(response) == 1875.0


def test_secondary_rate_limit_recording_waits_its_retry_after(mock_http, no_waiting):
    recording = load_recording("github/secondary_rate_limit.json")
    response = requests.Response()
    response.status_code = recording["response"]["status"]
    response.headers.update(recording["response"]["headers"])
    response._content = str(recording["response"].get("body_json") or recording["response"].get("body_text")).encode()
    assert rate_limit_wait(response) == 60.0


def connection_error(reason: Exception) -> requests.ConnectionError:
    """What requests raises: its ConnectionError around urllib3's MaxRetryError around the real reason."""
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", reason))


def test_a_refused_connection_is_offline_at_once_and_the_client_asks_nothing_more(mock_http, no_waiting):
    refused = urllib3.exceptions.NewConnectionError(
        "HTTPSConnection(host='example.test', port=443)", "Failed to establish a new connection: [Errno 111] refused"
    )
    mock_http.add("GET", URL, body=connection_error(refused))
    client = HttpClient()
    with pytest.raises(OfflineError) as raised:
        client.get(URL)
    assert str(raised.value) == (
        "offline: cannot reach example.test (Failed to establish a new connection: [Errno 111] refused)"
    )
    assert client.requests_made == 1 and no_waiting == [], "no retry, no backoff"
    with pytest.raises(OfflineError, match=r"offline: cannot reach example\.test"):
        client.get(URL + "/next")
    assert client.requests_made == 1 and len(mock_http.calls) == 1, "a stopped client sends nothing"


def test_a_dropped_connection_is_still_retried(mock_http, no_waiting):
    mock_http.add("GET", URL, body=requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")))
    mock_http.add("GET", URL, json={"ok": True})
    assert HttpClient().get(URL).json() == {"ok": True}
    assert no_waiting == [2.0]


def test_a_name_that_does_not_resolve_is_named_and_not_retried(mock_http, no_waiting):
    unresolved = urllib3.exceptions.NameResolutionError(
        "api.github.com",
        "HTTPSConnection(host='api.github.com', port=443)",
        socket.gaierror(-3, "Temporary failure in name resolution"),
    )
    mock_http.add("GET", URL, body=connection_error(unresolved))
    client = HttpClient()
    with pytest.raises(
        OfflineError,
        match=r"^offline: cannot reach example\.test \(Failed to resolve 'api\.github\.com' \(\[Errno -3\]",
    ):
        client.get(URL)
    assert client.requests_made == 1 and no_waiting == [], "no backoff for a DNS failure"


def test_a_wait_past_the_budget_is_not_slept(mock_http, no_waiting):
    mock_http.add("GET", URL, status=503, headers={"Retry-After": "10"})
    client = HttpClient(budget=8)
    with pytest.raises(OutOfTimeError, match=r"no usable answer within 8 s \(last: HTTP 503, 10 s more to wait\)"):
        client.get(URL)
    assert no_waiting == [] and client.requests_made == 1
    with pytest.raises(OutOfTimeError):
        client.get(URL)
    assert client.requests_made == 1, "a client out of time sends nothing more"


def test_a_backoff_the_service_asks_for_in_its_body_is_bounded_by_the_budget(no_waiting):
    client = HttpClient(budget=5)
    client.hold(4, "Stack Exchange's backoff")
    with pytest.raises(OutOfTimeError, match="Stack Exchange's backoff asks to wait 30 s, more than the 5 s budget"):
        client.hold(30, "Stack Exchange's backoff")
    assert no_waiting == [4]


def test_the_budget_comes_from_the_environment_and_a_bad_one_is_refused(monkeypatch):
    assert HttpClient().budget == 90
    monkeypatch.setenv("ECOTRENDS_SOURCE_BUDGET", "2.5")
    assert HttpClient().budget == 2.5 and HttpClient(budget=7).budget == 7
    monkeypatch.setenv("ECOTRENDS_SOURCE_BUDGET", "soon")
    with pytest.raises(ConfigError, match=r"ECOTRENDS_SOURCE_BUDGET='soon': not a positive number of seconds"):
        HttpClient()


class _SlowServer(ThreadingHTTPServer):
    """127.0.0.1 only; every handler ends when the server closes (at most 20 s)."""

    daemon_threads = True

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, threading.Event], None]) -> None:
        self.closing = threading.Event()
        closing = self.closing

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer(self, closing)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/x"

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.shutdown()
        self.server_close()


def _never_answers(handler: BaseHTTPRequestHandler, closing: threading.Event) -> None:
    closing.wait(20)


def _answers_a_byte_at_a_time(handler: BaseHTTPRequestHandler, closing: threading.Event) -> None:
    body = b'{"ok": true}' + b" " * 200  # 20 s at 0.1 s a byte: each read is quick, the answer never ends in time
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    _a_byte_at_a_time(handler, closing, body)


def _headers_a_byte_at_a_time(handler: BaseHTTPRequestHandler, closing: threading.Event) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Slow: " + b"x" * 200
    _a_byte_at_a_time(handler, closing, head)


def _a_byte_at_a_time(handler: BaseHTTPRequestHandler, closing: threading.Event, data: bytes) -> None:
    """Send `data` one byte every 0.1 s, until it is sent, the test ends or the client hangs up."""
    for byte in data:
        if closing.wait(0.1):
            return
        try:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        except OSError:
            return


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (_never_answers, r"no answer for 1 s"),
        (_answers_a_byte_at_a_time, r"no answer for 1 s"),
        (_headers_a_byte_at_a_time, r"no answer for 1 s"),
    ],
    ids=["hang", "trickled-body", "trickled-headers"],
)
def test_a_server_that_hangs_or_trickles_is_given_up_on_at_the_budget(answer, message):
    """requests' read timeout (60 s here) is per read; the budget bounds the whole call. Without it these servers
    answer in full after 20 s, and the call would succeed."""
    with _SlowServer(answer) as server:
        client = HttpClient(budget=1)
        with pytest.raises(OutOfTimeError, match=rf"^GET {server.url}: {message}; stopped"):
            client.get(server.url)
        with pytest.raises(OutOfTimeError):
            client.get(server.url)
        assert client.requests_made == 1


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
