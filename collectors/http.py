"""One HTTP client for every source: timeouts, a User-Agent, polite pacing, bounded retries and a time budget.

Retries cover 429, 5xx and dropped connections, honour Retry-After and GitHub's rate-limit reset, and give up
with a named error rather than sleeping past what a cron run should wait. A host that refuses the connection or
does not resolve is given up on at once (offline); a call with no usable answer within the source's budget
(config.source_budget, 90 s) stops the source for the run.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from collectors import __version__, clock, config
from collectors.errors import (
    AuthError,
    NotFoundError,
    OfflineError,
    OutOfTimeError,
    PayloadError,
    RateLimitedError,
    SourceError,
    SourceStoppedError,
    TransientError,
)

log = logging.getLogger(__name__)

USER_AGENT = f"ecotrends/{__version__} (+https://github.com/ecotrends/ecotrends; adoption data research)"
TIMEOUT = (10, 60)  # connect, read seconds
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 2.0
MAX_WAIT_SECONDS = 120.0  # longer waits end the run for this source; the next cron run continues
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def pause(seconds: float) -> None:
    """Every wait goes through here, so tests can replace it and never sleep."""
    time.sleep(seconds)


def base_url(env_var: str, default: str) -> str:
    """The service's scheme and host, overridable for mirrors, proxies and local test servers."""
    return config.service_url(env_var, default)


class HttpClient:
    """A requests session with pacing, retries and a time budget; counts every request it sends.

    Every call ends within `budget` seconds of its first attempt, its retries, waits and transfers included
    (a hung or trickling server, a name lookup that stalls, a Retry-After beyond it). A call out of time, or a
    host that cannot be reached at all, stops the client: every later request of the run fails at once with
    the same reason, so a source asks nothing more whatever its loops look like.
    """

    def __init__(
        self,
        min_interval: float = 0.0,
        headers: Mapping[str, str] | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        max_wait: float = MAX_WAIT_SECONDS,
        sleep: Callable[[float], None] | None = None,
        burst: int = 1,
        budget: float | None = None,
    ) -> None:
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if headers:
            self.session.headers.update(headers)
        self.min_interval = min_interval
        self.burst = burst  # requests sent back to back before pacing starts; one more each min_interval
        self._tokens = float(burst)
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self.budget = config.source_budget() if budget is None else budget  # seconds a call may take in all
        self.sleep = sleep or (lambda seconds: pause(seconds))
        self.requests_made = 0
        self._last_request = float("-inf")
        self.last_response: requests.Response | None = None
        self.stopped: SourceStoppedError | None = None  # why this client asks nothing more in this run

    def request(
        self, method: str, url: str, *, allow_statuses: frozenset[int] = frozenset(), **kwargs: Any
    ) -> requests.Response:
        """Send with retries; return a 2xx response (or one in allow_statuses), else raise a named error."""
        if self.stopped is not None:
            raise type(self.stopped)(str(self.stopped))
        kwargs.setdefault("timeout", TIMEOUT)
        shown = requests.Request(method, url, params=kwargs.get("params")).prepare().url  # for messages
        self._pace()  # politeness comes before the budget: the budget is time spent waiting on the service
        deadline = time.monotonic() + self.budget
        last_status: str | None = None  # the last unusable answer, for the message when time runs out
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                self._pace(deadline, method, shown, last_status)
            if time.monotonic() >= deadline:
                raise self._out_of_time(method, shown, last_status)
            self.requests_made += 1
            try:
                response = self._send(method, url, deadline, kwargs)
                self.last_response = response
            except _Expired:
                raise self._out_of_time(method, shown, last_status) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                cause, retryable = connection_failure(exc)
                if not retryable:
                    host, detail = urlsplit(url).netloc, cause.removeprefix("cannot connect: ")
                    raise self._stop(OfflineError(f"offline: cannot reach {host} ({detail})")) from None
                if attempt == self.max_attempts:
                    raise TransientError(f"{method} {shown}: {cause} (after {attempt} attempts)") from None
                self._wait(BACKOFF_SECONDS * 2 ** (attempt - 1), deadline, method, shown, last_status)
                continue

            if response.ok or response.status_code in allow_statuses:
                return response
            wait = rate_limit_wait(response)
            if wait is not None or response.status_code in RETRY_STATUSES:
                if wait is None:
                    wait = BACKOFF_SECONDS * 2 ** (attempt - 1)
                if wait > self.max_wait:
                    raise RateLimitedError(
                        f"{method} {shown}: rate limited (HTTP {response.status_code}); the source asks to wait "
                        f"{wait:.0f} s, more than {self.max_wait:.0f} s; stored data left as it was"
                    )
                if attempt == self.max_attempts:
                    kind = RateLimitedError if response.status_code in (403, 429) else TransientError
                    raise kind(f"{method} {shown}: HTTP {response.status_code} after {attempt} attempts")
                last_status = f"HTTP {response.status_code}"
                self._wait(wait, deadline, method, shown, last_status)
                continue
            raise error_for(method, shown, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def hold(self, seconds: float, why: str) -> None:
        """Wait as a service asked outside HTTP's own headers (Stack Exchange's `backoff`), within the budget."""
        if seconds > self.budget:
            raise self._stop(OutOfTimeError(f"{why} asks to wait {seconds:.0f} s, more than the {self.budget:g} s "
                                            "budget; stopped, the next run continues"))  # fmt: skip
        self.sleep(seconds)

    def _send(self, method: str, url: str, deadline: float, kwargs: dict[str, Any]) -> requests.Response:
        """Send and read the whole answer in a helper thread, and wait for it no later than the deadline.

        requests' read timeout is per read, so a server that trickles a byte now and then (or a stalled name
        lookup) would hold the caller indefinitely. The helper holds no database state: the source's writes
        happen between calls, in its own thread, so giving up here cannot leave a write half done. An abandoned
        helper ends at its own (clamped) timeouts, or at once when its socket is shut under it.
        """
        remaining = max(0.01, deadline - time.monotonic())
        timeout = kwargs["timeout"]
        parts = timeout if isinstance(timeout, tuple) else (timeout,)
        clamped = tuple(min(part, remaining + 1) for part in parts)  # the deadline comes first; then the helper ends
        clamped = clamped if isinstance(timeout, tuple) else clamped[0]
        box: dict[str, Any] = {}
        done = threading.Event()

        def transfer() -> None:
            try:
                response = self.session.request(method, url, **{**kwargs, "timeout": clamped, "stream": True})
                box["response"] = response
                response.content  # noqa: B018 - reads the whole body here, under the deadline
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=transfer, name=f"{threading.current_thread().name}-http", daemon=True).start()
        if not done.wait(remaining):
            if "response" in box:
                _cut(box["response"])
            raise _Expired
        if "error" in box:
            raise box["error"]
        return box["response"]

    def _pace(
        self, deadline: float | None = None, method: str = "", shown: str = "", last_status: str | None = None
    ) -> None:
        """A token bucket: `burst` requests at once, then one each min_interval (burst 1: a plain interval)."""
        if self.min_interval <= 0:
            self._last_request = time.monotonic()
            return
        gap = time.monotonic() - self._last_request
        self._tokens = min(float(self.burst), self._tokens + gap / self.min_interval)
        if self._tokens < 1:
            seconds = (1 - self._tokens) * self.min_interval
            if deadline is not None and time.monotonic() + seconds > deadline:
                raise self._out_of_time(method, shown, last_status, seconds)
            self.sleep(seconds)
            self._tokens = 1.0
        self._tokens -= 1
        self._last_request = time.monotonic()

    def _wait(self, seconds: float, deadline: float, method: str, shown: str, last_status: str | None) -> None:
        if time.monotonic() + seconds > deadline:  # the wait alone would pass the budget: give up now
            raise self._out_of_time(method, shown, last_status, seconds)
        log.info("waiting %.1f s before retrying %s", seconds, shown)
        self.sleep(seconds)

    def _out_of_time(
        self, method: str, shown: str, last_status: str | None, wait: float | None = None
    ) -> OutOfTimeError:
        if last_status is None:  # hung, trickling, timing out or dropping the connection: nothing came back
            what = f"no answer for {self.budget:g} s"
        else:
            asked = f", {wait:.0f} s more to wait" if wait else ""
            what = f"no usable answer within {self.budget:g} s (last: {last_status}{asked})"
        return self._stop(OutOfTimeError(f"{method} {shown}: {what}; stopped, the next run continues"))

    def _stop(self, error: SourceStoppedError) -> SourceStoppedError:
        """Remember why, so every later request fails alike; the caller logs and records it once."""
        self.stopped = error
        return error


def _cut(response: requests.Response) -> None:
    """Shut an abandoned answer's socket, so the helper thread's blocked read returns at once. Closing the
    response instead would wait for the helper's read to finish: it holds the reader's lock."""
    connection = getattr(response.raw, "connection", None)
    with contextlib.suppress(Exception):
        connection.sock.shutdown(socket.SHUT_RDWR)


class _Expired(Exception):
    """The helper thread did not bring the answer before the deadline."""


def _http_date(text: str | None) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(text or "").timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def rate_limit_wait(response: requests.Response) -> float | None:
    """Seconds the server asks us to wait, from Retry-After or an exhausted GitHub quota; None if none.

    Reset instants are measured from the answer's own Date header when it has one: the wait is what the
    server meant, whatever this machine's clock says (a skewed clock, or a replayed recording).
    """
    server_now = _http_date(response.headers.get("Date"))
    reference = server_now if server_now is not None else clock.epoch()
    retry_after = (response.headers.get("Retry-After") or "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    when = _http_date(retry_after) if retry_after else None
    if when is not None:
        return max(0.0, when - reference)
    if response.headers.get("x-ratelimit-remaining") == "0" and response.status_code in (403, 429):
        reset = response.headers.get("x-ratelimit-reset", "")
        if reset.isdigit():
            return max(1.0, float(reset) - reference)
    if response.status_code == 403 and "secondary rate limit" in response.text.lower():
        return 60.0
    return None


_POOL_PREFIX = re.compile(r"^(?:None|\w*(?:Connection|ConnectionPool)\(host='[^']*', port=\d+\)): ")


def connection_failure(exc: requests.RequestException) -> tuple[str, bool]:
    """The root cause of a failed connection in words, and whether retrying can help.

    requests wraps urllib3's MaxRetryError around the real reason; the reason is what a user can act on
    ("Failed to resolve 'api.github.com'"). A name that does not resolve, a refused connection and an
    unreachable network will not change in a few seconds either (no network, a typo in a base URL, a service
    that is down), so they are not retried. A connection dropped mid-answer, or a timeout, is.
    """
    reason: BaseException = exc
    for _ in range(8):  # requests -> MaxRetryError -> the reason urllib3 gave up for
        inner = getattr(reason, "reason", None)
        if not isinstance(inner, BaseException) and reason.args and isinstance(reason.args[0], BaseException):
            inner = reason.args[0]
        if not isinstance(inner, BaseException) or inner is reason:
            break
        reason = inner
    text = _POOL_PREFIX.sub("", str(reason)) or type(reason).__name__
    # NewConnectionError covers refused, unreachable and (its subclass) unresolved; it must be tested before the
    # timeouts, which urllib3 makes it a subclass of.
    if isinstance(reason, urllib3.exceptions.NewConnectionError) or "Failed to resolve" in text:
        return f"cannot connect: {text}", False
    if isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
        return f"timed out: {text}", True
    return f"cannot connect: {text}", True


def error_for(method: str, url: str, response: requests.Response) -> SourceError:
    """A named error for a final non-retryable answer; never includes request headers (the token)."""
    status = response.status_code
    detail = _short_body(response)
    if status == 404:
        return NotFoundError(f"{method} {url}: not found (HTTP 404){detail}")
    if status == 401:
        return AuthError(f"{method} {url}: credentials refused (HTTP 401){detail}; check GITHUB_TOKEN")
    return SourceError(f"{method} {url}: HTTP {status}{detail}")


def _short_body(response: requests.Response) -> str:
    text = " ".join(response.text.split())[:200]
    return f": {text}" if text else ""


def json_object(response: requests.Response, what: str) -> dict:
    """The answer's JSON object, or a PayloadError naming what was asked (an HTML error page, truncated JSON)."""
    try:
        payload = response.json()
    except ValueError:
        raise PayloadError(f"{what}: answer is not JSON ({response.text[:80]!r})") from None
    if not isinstance(payload, dict):
        raise PayloadError(f"{what}: expected a JSON object")
    return payload
