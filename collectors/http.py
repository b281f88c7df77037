"""One HTTP client for every source: timeouts, a User-Agent, polite pacing and bounded retries.

Retries cover 429, 5xx and connection errors, honour Retry-After and GitHub's rate-limit reset, and
give up with a named error rather than sleeping past what a cron run should wait.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
import urllib3.exceptions

from collectors import __version__, clock, config
from collectors.errors import AuthError, NotFoundError, PayloadError, RateLimitedError, SourceError, TransientError

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
    """A requests session with pacing and retries; counts every request it sends."""

    def __init__(
        self,
        min_interval: float = 0.0,
        headers: Mapping[str, str] | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        max_wait: float = MAX_WAIT_SECONDS,
        sleep: Callable[[float], None] | None = None,
        burst: int = 1,
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
        self.sleep = sleep or (lambda seconds: pause(seconds))
        self.requests_made = 0
        self._last_request = float("-inf")
        self.last_response: requests.Response | None = None

    def request(
        self, method: str, url: str, *, allow_statuses: frozenset[int] = frozenset(), **kwargs: Any
    ) -> requests.Response:
        """Send with retries; return a 2xx response (or one in allow_statuses), else raise a named error."""
        kwargs.setdefault("timeout", TIMEOUT)
        shown = requests.Request(method, url, params=kwargs.get("params")).prepare().url  # for messages
        for attempt in range(1, self.max_attempts + 1):
            self._pace()
            self.requests_made += 1
            try:
                response = self.session.request(method, url, **kwargs)
                self.last_response = response
            except (requests.ConnectionError, requests.Timeout) as exc:
                cause, retryable = connection_failure(exc)
                if not retryable:
                    raise TransientError(f"{method} {shown}: {cause}; not retried") from None
                if attempt == self.max_attempts:
                    raise TransientError(f"{method} {shown}: {cause} (after {attempt} attempts)") from None
                self._wait(BACKOFF_SECONDS * 2 ** (attempt - 1), shown)
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
                self._wait(wait, shown)
                continue
            raise error_for(method, shown, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def _pace(self) -> None:
        """A token bucket: `burst` requests at once, then one each min_interval (burst 1: a plain interval)."""
        if self.min_interval <= 0:
            self._last_request = time.monotonic()
            return
        gap = time.monotonic() - self._last_request
        self._tokens = min(float(self.burst), self._tokens + gap / self.min_interval)
        if self._tokens < 1:
            self.sleep((1 - self._tokens) * self.min_interval)
            self._tokens = 1.0
        self._tokens -= 1
        self._last_request = time.monotonic()

    def _wait(self, seconds: float, url: str) -> None:
        log.info("waiting %.1f s before retrying %s", seconds, url)
        self.sleep(seconds)


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
    ("Failed to resolve 'api.github.com'"). A name that does not resolve will not resolve in a few seconds
    either (no network, a typo in a base URL), so it is not retried.
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
    if isinstance(reason, urllib3.exceptions.NameResolutionError) or "Failed to resolve" in text:
        return f"cannot connect: {text}", False
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return f"cannot connect: {text}", True
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
