"""A local stand-in for every API ecotrends talks to, built from the recorded fixtures, with injectable faults.

It listens on 127.0.0.1 only, answers in each API's recorded format at the real paths (the collectors reach
it through the ECOTRENDS_*_URL overrides), and stops by itself after a bounded number of requests or seconds.
A fault set for a source applies to every request of that source until it is cleared.
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyarrow as pa
import pyarrow.parquet as pq

from collectors import clock, sources

FIXTURES = Path(__file__).parent / "fixtures"
MAX_REQUESTS = 20_000
MAX_SECONDS = 900
HANG_SECONDS = 1.5
STALL_SECONDS = 600  # "stall": no answer until the fake closes (bounded); a client must give up on its own
TRICKLE_INTERVAL = 0.2  # "trickle": the recorded answer, one byte every this many seconds
TAB = "\t"
FAULTS = (
    "429_retry_after", "429", "403_rate_limit", "403_secondary", "500", "502", "503", "hang", "stall", "trickle",
    "reset",
    "truncated_json", "html_200", "arxiv_error_200", "empty", "clickhouse_row_limit", "clickhouse_exception",
)  # fmt: skip
# Every service the fake stands in for, named after the ECOTRENDS_*_URL variable its source declares
# (collectors/sources/), and the source that reads it.
ENV = {
    variable.removeprefix("ECOTRENDS_").removesuffix("_URL").lower(): variable
    for source in sources.registry().values()
    for variable in source.base_urls
}
SERVICE_SOURCE = {
    variable.removeprefix("ECOTRENDS_").removesuffix("_URL").lower(): source.name
    for source in sources.registry().values()
    for variable in source.base_urls
}


def services_of(source: str) -> list[str]:
    """The services a source's requests go to (PyPI: PyPI Stats, the PyPI JSON API and ClickPy)."""
    return [service for service, owner in SERVICE_SOURCE.items() if owner == source]


def recording(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded_body(rec: dict) -> bytes:
    response = rec["response"]
    text = json.dumps(response["body_json"]) if "body_json" in response else response["body_text"]
    return text.encode()


class _QuietServer(ThreadingHTTPServer):
    """Dropped connections are a fault this server injects on purpose: count them, print nothing."""

    daemon_threads = True
    dropped = 0

    def handle_error(self, request: object, client_address: object) -> None:
        self.dropped += 1


class FakeAPI:
    """latency: seconds added to every answer; limits: source -> (requests, per seconds), enforced like the
    real services (429, or GitHub's 403 with x-ratelimit-remaining 0)."""

    def __init__(
        self,
        latency: float = 0.0,
        limits: dict[str, tuple[int, float]] | None = None,
        tags_like: dict[str, str] | None = None,
    ) -> None:
        self.latency = latency
        # Stack Overflow tags beyond the recorded ones, each answered with the numbers of a recorded tag
        self.tags_like = tags_like or {}
        self.limits = limits or {}
        self._history: dict[str, list[float]] = {}
        self.limited: Counter[str] = Counter()
        self.faults: dict[str, str] = {}
        self.requests: Counter[str] = Counter()
        self.headers_seen: list[dict[str, str]] = []
        self.months = json.loads((FIXTURES / "arxiv" / "months_2023.json").read_text())
        self.questions = json.loads((FIXTURES / "stackoverflow" / "months.json").read_text())["months"]
        self.feed = recording("arxiv/count_ok.json")["response"]["body_text"]
        self._started = time.monotonic()
        self.closing = threading.Event()  # set on exit: stalled and trickling answers end at once
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"api": self})
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()

    def env(self) -> dict[str, str]:
        return {variable: self.url for variable in ENV.values()}

    def admit(self, source: str) -> int | None:
        """Remaining quota after this request, or None when the source's limit refuses it."""
        if source not in self.limits:
            return 1_000
        allowed, window = self.limits[source]
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._history.get(source, []) if now - t < window]
            if len(recent) >= allowed:
                self._history[source] = recent
                self.limited[source] += 1
                return None
            recent.append(now)
            self._history[source] = recent
            return allowed - len(recent)

    def count(self, source: str) -> None:
        with self._lock:
            self.requests[source] += 1
            total = sum(self.requests.values())
        if total > MAX_REQUESTS or time.monotonic() - self._started > MAX_SECONDS:
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            raise RuntimeError("fake API request or time bound reached")


def source_of(method: str, path: str, query: dict) -> str:
    if path.startswith("/repos/"):
        return "github"
    if path.startswith("/api/packages/"):
        return "pypistats"
    if path.startswith("/pypi/"):
        return "pypi"
    if path == "/api/query":
        return "arxiv"
    if path.startswith("/trends/"):
        return "trends"
    if path.startswith("/2.3/"):
        return "stackexchange"
    if path.startswith("/conda/monthly/"):
        return "conda"
    if method == "POST" and path == "/":
        return "clickpy" if query.get("user") == ["demo"] else "clickhouse"
    return "unknown"


class _Handler(BaseHTTPRequestHandler):
    api: FakeAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parsed = urlparse(self.path)
        query = parse_qs(parsed.query)
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length).decode() if length else ""
        source = source_of(method, parsed.path, query)
        self.api.count(source)
        self.api.headers_seen.append(dict(self.headers))
        fault = self.api.faults.get(source) or self.api.faults.get(SERVICE_SOURCE.get(source, ""))
        if self.api.latency:
            time.sleep(self.api.latency)
        remaining = self.api.admit(source)
        if remaining is None:
            if source == "github":
                reset = str(int(clock.epoch()) + int(self.api.limits[source][1]))
                self._send(403, {"Content-Type": "application/json", "x-ratelimit-remaining": "0",
                                 "x-ratelimit-reset": reset}, b'{"message": "API rate limit exceeded"}')  # fmt: skip
            else:
                self._send(429, {"Content-Type": "text/html"}, b"<html>429 Too Many Requests</html>")
            return
        status, headers, body = self._answer(source, parsed.path, query, sent)
        if status == 200 and self.headers.get("Range"):
            status, headers, body = byte_range(self.headers["Range"], headers, body)
        if source == "github" and source in self.api.limits:
            headers = {k: v for k, v in headers.items() if k.lower() != "x-ratelimit-remaining"}
            headers["x-ratelimit-remaining"] = str(remaining)
        if fault:
            outcome = self._fault(fault, source, status, headers, body)
            if outcome is None:
                return
            status, headers, body = outcome
        self._send(status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "content-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # --- the recorded answers -------------------------------------------------------------------------

    def _answer(self, source: str, path: str, query: dict, sent: str) -> tuple[int, dict, bytes]:
        if source == "github":
            return self._github(path, query)
        if source in ("pypistats", "pypi"):
            package = path.split("/")[3] if source == "pypistats" else path.split("/")[2]
            name = f"pypi/overall_{package}.json" if source == "pypistats" else f"pypi/pypi_json_{package}.json"
            if not (FIXTURES / name).exists():
                name = "pypi/overall_not_found.json" if source == "pypistats" else "pypi/pypi_json_not_found.json"
            return self._recorded(name)
        if source == "arxiv":
            search = query["search_query"][0]
            phrase = re.search(r'all:"([^"]+)"', search)
            month = re.search(r"submittedDate:\[(\d{4})(\d{2})01", search)
            series = self.api.months.get(phrase.group(1) if phrase else "__denominator__", {})
            total = series.get(f"{month.group(1)}-{month.group(2)}", 0) if month else 0
            body = re.sub(r"<opensearch:totalResults>\d+<", f"<opensearch:totalResults>{total}<", self.api.feed)
            return 200, {"Content-Type": "application/atom+xml; charset=UTF-8"}, body.encode()
        if source == "trends":
            if path.startswith("/trends/explore"):
                return self._recorded("trends/nid_cookie.json")
            span = (
                "all" if "2004" in "".join(query.get("req", [])) or '"all"' in "".join(query.get("req", [])) else "5y"
            )
            kind = "explore" if path == "/trends/api/explore" else "multiline"
            return self._recorded(f"trends/{kind}_{span}.json")
        if source == "stackexchange":
            return self._stackexchange(path, query)
        if source == "conda":
            month = path.rsplit("/", 1)[-1].removesuffix(".parquet")
            if month > LATEST_CONDA_MONTH:
                return self._recorded("conda/not_published.json")
            return 200, {"Content-Type": "binary/octet-stream"}, conda_month_file(month)
        if source == "clickpy":
            # Every package gets torch's recorded days: a recorded window as recorded, any other window (daily or by
            # month) computed from the recorded days in ClickHouse's layout.
            d0, d1 = query["param_d0"][0], query["param_d1"][0]
            monthly = "toStartOfMonth" in sent
            name = f"clickpy/torch_{'months_' if monthly else ''}{d0}_{d1}.json"
            if (FIXTURES / name).exists():
                return self._recorded(name)
            return clickpy_answer(monthly, d0, d1)
        if source == "clickhouse":
            # Every repository gets jax's recorded windows; other windows match no row.
            name = f"gharchive/jax_{query['param_d0'][0]}_{query['param_d1'][0]}.json"
            if (FIXTURES / name).exists():
                return self._recorded(name)
            status, headers, body = self._recorded(UNRECORDED_GHARCHIVE)
            return status, headers, clickhouse_empty(body)
        return 404, {"Content-Type": "text/plain"}, b"unknown path"

    def _github(self, path: str, query: dict) -> tuple[int, dict, bytes]:
        parts = path.strip("/").split("/")
        repo = f"{parts[1]}_{parts[2]}"
        if len(parts) == 3:
            name = f"github/repo_{repo}.json"
            return self._recorded(name if (FIXTURES / name).exists() else "github/repo_not_found.json")
        page = int(query.get("page", ["1"])[0])  # every repository gets jax's 15 recorded pages
        return self._recorded(f"github/history_jax-ml_jax_p{min(page, 15)}.json")

    def _stackexchange(self, path: str, query: dict) -> tuple[int, dict, bytes]:
        """Tag totals and the first question from the recordings; monthly totals from months.json."""
        if path.startswith("/2.3/tags/"):
            status, headers, body = self._recorded("stackoverflow/tags_info.json")
            wanted = path.split("/")[3].split(";")
            payload = json.loads(body)
            recorded = {item["name"]: item for item in payload["items"]}
            payload["items"] = [
                {**recorded[self.api.tags_like.get(name, name)], "name": name}
                for name in wanted
                if self.api.tags_like.get(name, name) in recorded
            ]
            return status, headers, json.dumps(payload).encode()
        if query.get("filter") == ["total"]:
            month = datetime.fromtimestamp(int(query["fromdate"][0]), UTC).strftime("%Y-%m")
            tag = query["tagged"][0]
            total = self.api.questions.get(self.api.tags_like.get(tag, tag), {}).get(month, 0)
            return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps({"total": total}).encode()
        return self._recorded("stackoverflow/first_question_jax.json")

    def _recorded(self, name: str) -> tuple[int, dict, bytes]:
        rec = recording(name)
        return rec["response"]["status"], dict(rec["response"].get("headers", {})), recorded_body(rec)

    # --- faults ---------------------------------------------------------------------------------------

    def _fault(self, fault: str, source: str, status: int, headers: dict, body: bytes) -> tuple | None:
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if fault == "429_retry_after":
            return 429, {"Retry-After": "1", "Content-Type": "text/html"}, b"<a>Too Many Requests</a>"
        if fault == "429":
            return 429, {"Content-Type": "text/html"}, b"<html><title>429 Too Many Requests</title></html>"
        if fault == "403_rate_limit":
            reset = str(int(clock.epoch()) + 3600)
            return (
                403,
                {**json_type, "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
                json.dumps({"message": "API rate limit exceeded for 127.0.0.1."}).encode(),
            )
        if fault == "403_secondary":
            return (
                403,
                {**json_type, "retry-after": "60"},
                json.dumps(
                    {
                        "message": "You have exceeded a secondary rate limit. "
                        "Please wait a few minutes before you try again."
                    }
                ).encode(),
            )
        if fault in ("500", "502", "503"):
            return int(fault), {"Content-Type": "text/html"}, f"<html>{fault}</html>".encode()
        if fault == "hang":
            time.sleep(HANG_SECONDS)
            return status, headers, body
        if fault == "stall":  # a service that accepts the connection and never answers
            self.api.closing.wait(STALL_SECONDS)
            self.close_connection = True
            return None
        if fault == "trickle":  # every byte arrives within any read timeout, the answer never ends in time
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for byte in body:
                if self.api.closing.wait(TRICKLE_INTERVAL):
                    break
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:  # the client gave up and closed the connection
                    break
            self.close_connection = True
            return None
        if fault == "reset":
            self.close_connection = True
            self.connection.shutdown(2)  # drop the connection without an answer
            return None
        if fault == "truncated_json":
            return status, headers, body[: max(1, len(body) // 2)]
        if fault == "html_200":
            return (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                b"<html><body><h1>Service Unavailable</h1></body></html>",
            )
        if fault == "arxiv_error_200":
            return 200, headers, recorded_body(recording("arxiv/error_feed_http200.json"))
        if fault == "empty":
            return 200, headers, _empty(source, body)
        if fault == "clickhouse_row_limit":
            answer = json.loads(body)
            row = (answer["data"] or [{"date": "2020-01-01", "downloads": 1, "days": 1}])[0]
            return 200, headers, clickhouse_json({**answer, "data": [row] * 1000, "rows": 1000}).encode()
        if fault == "clickhouse_exception":
            text = (
                body.decode()[: len(body) // 2]
                + "\r\n__exception__\r\ntag\r\nCode: 159. DB::Exception: Timeout exceeded (TIMEOUT_EXCEEDED)\n"
            )
            return 200, headers, text.encode()
        raise ValueError(f"unknown fault {fault}")


UNRECORDED_GHARCHIVE = "gharchive/jax_2018-10-01_2021-03-19.json"  # emptied for other windows
LATEST_CONDA_MONTH = "2023-10"  # the fake publishes up to this month: on its day (2023-12-10) November is not out


@functools.cache
def conda_month_file(month: str) -> bytes:
    """The recorded-format monthly file, its `time` column set to the month asked for."""
    table = pq.read_table(FIXTURES / "conda" / "2023-11.parquet")
    time = pa.array([month] * table.num_rows).dictionary_encode().cast(table.schema.field("time").type)
    sink = io.BytesIO()
    pq.write_table(table.set_column(0, "time", time), sink, compression="snappy", row_group_size=5000)
    return sink.getvalue()


def byte_range(spec: str, headers: dict, body: bytes) -> tuple[int, dict, bytes]:
    """An S3-style answer to a Range request: 206 with Content-Range (suffix ranges too), 416 past the end."""
    first_text, _, last_text = spec.removeprefix("bytes=").partition("-")
    if not first_text:
        first, last = max(0, len(body) - int(last_text)), len(body) - 1
    else:
        first, last = int(first_text), min(int(last_text or len(body) - 1), len(body) - 1)
    if first >= len(body):
        return 416, {"Content-Type": "application/xml"}, b"<Error><Code>InvalidRange</Code></Error>"
    return 206, {**headers, "Content-Range": f"bytes {first}-{last}/{len(body)}"}, body[first : last + 1]


def clickhouse_json(answer: dict) -> str:
    """A FORMAT JSON answer laid out byte for byte as ClickHouse's JSONRowOutputFormat writes it: tab indents,
    a blank line between meta, data, totals, rows and statistics (checked against ClickHouse 26.9's output)."""

    def fields(row: dict, indent: int) -> str:
        return ",\n".join(TAB * indent + f'"{name}": {json.dumps(value)}' for name, value in row.items())

    def objects(items: list[dict]) -> str:
        return ",\n".join(TAB * 2 + "{\n" + fields(item, 3) + "\n" + TAB * 2 + "}" for item in items)

    parts = [
        '{\n\t"meta":\n\t[\n' + objects(answer["meta"]) + "\n\t]",
        '\t"data":\n\t[\n' + objects(answer["data"]) + "\n\t]",
    ]
    if "totals" in answer:
        parts.append('\t"totals":\n\t{\n' + fields(answer["totals"], 2) + "\n\t}")
    parts.append(f'\t"rows": {answer["rows"]}')
    if "statistics" in answer:
        parts.append('\t"statistics":\n\t{\n' + fields(answer["statistics"], 2) + "\n\t}")
    return ",\n\n".join(parts) + "\n}\n"


CLICKPY_TEMPLATE = "clickpy/torch_2025-11-09_2026-11-22.json"  # headers of a recorded answer
GRANULE_ROWS = 8192  # ClickHouse reads whole granules: rows read are a multiple of this


@functools.cache
def torch_days() -> dict[str, int]:
    """Every day of torch's recorded ClickPy windows: the days any computed answer is made of."""
    days: dict[str, int] = {}
    for path in sorted((FIXTURES / "clickpy").glob("torch_2*.json")):
        for row in json.loads(recording(f"clickpy/{path.name}")["response"]["body_text"])["data"]:
            days[row["date"]] = int(row["downloads"])
    return days


def clickpy_answer(monthly: bool, d0: str, d1: str) -> tuple[int, dict, bytes]:
    """The answer of sql/remote/clickpy_daily_downloads.sql (or _monthly_) for [d0, d1) from torch's recorded days,
    in the recorded answers' layout and headers, its summary saying the whole planned read was done."""
    days = {day: value for day, value in torch_days().items() if d0 <= day < d1}
    if monthly:
        months: dict[str, int] = {}
        for day, value in days.items():
            months[day[:7] + "-01"] = months.get(day[:7] + "-01", 0) + value
        key, count = "month", "months"
        data = [{"month": m, "downloads": v, "months": 1} for m, v in sorted(months.items())]
    else:
        key, count = "date", "days"
        data = [{"date": d, "downloads": v, "days": 1} for d, v in sorted(days.items())]
    read = max(1, -(-len(days) // GRANULE_ROWS)) * GRANULE_ROWS
    answer = {
        "meta": [{"name": key, "type": "Date"}, {"name": "downloads", "type": "Int64"},
                 {"name": count, "type": "UInt64"}],
        "data": data,
        "totals": {key: "1970-01-01", "downloads": sum(days.values()), count: len(data)},
        "rows": len(data),
        "statistics": {"elapsed": 0.041, "rows_read": read, "bytes_read": read * 23},
    }  # fmt: skip
    rec = recording(CLICKPY_TEMPLATE)
    headers = dict(rec["response"]["headers"])
    summary = json.loads(headers["X-ClickHouse-Summary"])
    summary.update(read_rows=str(read), total_rows_to_read=str(read), read_bytes=str(read * 23))
    headers["X-ClickHouse-Summary"] = json.dumps(summary, separators=(",", ":"))
    return 200, headers, clickhouse_json(answer).encode()


def clickhouse_empty(body: bytes) -> bytes:
    """The same query's answer when no row matched: no data, totals of zero (the key column at its default)."""
    answer = json.loads(body)
    totals = {name: 0 if isinstance(value, int) else "1970-01-01" for name, value in answer["totals"].items()}
    return clickhouse_json({**answer, "data": [], "totals": totals, "rows": 0}).encode()


def _empty(source: str, body: bytes) -> bytes:
    """A well-formed answer with no data where data is expected."""
    if source == "arxiv":
        return re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>0<", body)
    if source == "trends":
        text = body.decode()
        if text.startswith(")]}',"):
            return b')]}\',\n{"default":{"timelineData":[],"averages":[]}}'
        return body
    if source == "pypistats":
        return json.dumps({"data": [], "package": "x", "type": "overall_downloads"}).encode()
    if source == "github":
        return b"[]" if body.lstrip().startswith(b"[") else b"{}"
    if source in ("clickpy", "clickhouse"):
        return clickhouse_empty(body)
    return b"{}"
