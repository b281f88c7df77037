"""PyPI: daily downloads with and without mirrors (PyPI Stats /overall) and each package's first release.

PyPI Stats keeps 180 days and allows 30 requests a minute per IP, so one /overall call per package per
run (both categories in one answer) at one call every 2.1 seconds. The first release date comes from the
PyPI JSON API once per package.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import requests

from collectors import store
from collectors.errors import PayloadError, SourceError
from collectors.http import HttpClient, base_url
from collectors.runner import Context, Outcome
from collectors.store import Observation

SOURCE = "pypi"
STATS_URL_ENV = "ECOTRENDS_PYPISTATS_URL"
DEFAULT_STATS_URL = "https://pypistats.org"
PYPI_URL_ENV = "ECOTRENDS_PYPI_URL"
DEFAULT_PYPI_URL = "https://pypi.org"
STATS_INTERVAL_SECONDS = 2.1  # 30 requests per minute per IP
CATEGORY_METRICS = {"with_mirrors": "downloads_with_mirrors", "without_mirrors": "downloads_without_mirrors"}


def make_client() -> HttpClient:
    return HttpClient(min_interval=STATS_INTERVAL_SECONDS, headers={"Accept": "application/json"})


# --- network only -------------------------------------------------------------------------------------


def fetch_overall(client: HttpClient, package: str) -> dict:
    response = client.get(f"{base_url(STATS_URL_ENV, DEFAULT_STATS_URL)}/api/packages/{package}/overall")
    return _json_object(response, f"/api/packages/{package}/overall")


def fetch_release_info(client: HttpClient, package: str) -> dict:
    response = client.get(f"{base_url(PYPI_URL_ENV, DEFAULT_PYPI_URL)}/pypi/{package}/json")
    return _json_object(response, f"/pypi/{package}/json")


def _json_object(response: requests.Response, what: str) -> dict:
    try:
        payload = response.json()
    except ValueError:
        raise PayloadError(f"{what}: answer is not JSON ({response.text[:80]!r})") from None
    if not isinstance(payload, dict):
        raise PayloadError(f"{what}: expected a JSON object")
    return payload


# --- parsing (pure) -------------------------------------------------------------------------------------


def parse_overall(payload: dict, package: str) -> list[Observation]:
    """Daily rows of both categories; an empty answer for a known package is refused as an outage."""
    origin = f"GET {DEFAULT_STATS_URL}/api/packages/{package}/overall"
    data = payload.get("data")
    if payload.get("type") != "overall_downloads" or not isinstance(data, list):
        raise PayloadError(f"{origin}: not an overall_downloads answer (type={payload.get('type')!r})")
    if not data:
        raise PayloadError(f"{origin}: no rows; PyPI Stats returned an empty series, stored data kept")
    rows = []
    for item in data:
        try:
            metric = CATEGORY_METRICS[item["category"]]
            day = date.fromisoformat(item["date"])
            downloads = item["downloads"]
        except (KeyError, TypeError, ValueError):
            raise PayloadError(f"{origin}: malformed row {item!r}") from None
        if not isinstance(downloads, int) or isinstance(downloads, bool) or downloads < 0:
            raise PayloadError(f"{origin}: downloads {downloads!r} on {item.get('date')} is not a count")
        rows.append(Observation(SOURCE, package, metric, day, 1, downloads, origin))
    return rows


def parse_first_release(payload: dict, package: str) -> tuple[date, str] | None:
    """Day of the earliest file upload and its version; None when no file was ever uploaded."""
    releases = payload.get("releases")
    if not isinstance(releases, dict):
        raise PayloadError(f"/pypi/{package}/json: no 'releases' object")
    earliest: tuple[datetime, str] | None = None
    for version, files in releases.items():
        for file in files or []:
            stamp = file.get("upload_time_iso_8601") or file.get("upload_time")
            if not stamp:
                continue
            try:
                when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).replace(tzinfo=None)
            except ValueError:
                raise PayloadError(f"/pypi/{package}/json: release {version} has upload time {stamp!r}") from None
            if earliest is None or when < earliest[0]:
                earliest = (when, version)
    return (earliest[0].date(), earliest[1]) if earliest else None


# --- database only ---------------------------------------------------------------------------------------


def save(conn: duckdb.DuckDBPyConnection, rows: list[Observation], run_id: int | None = None) -> int:
    return store.upsert_observations(conn, rows, run_id)


# --- joined ----------------------------------------------------------------------------------------------


def collect(ctx: Context) -> Outcome:
    outcome = Outcome()
    packages = [package for project in ctx.projects for package in project.pypi]
    ctx.progress.add_total(len(packages))
    with store.connect(ctx.db) as conn:
        known_releases = {
            row[0]
            for row in conn.execute(
                "select subject from subject_event where source = 'pypi' and event = 'first_release'"
            ).fetchall()
        }
    for package in packages:
        try:
            rows = parse_overall(fetch_overall(ctx.client, package), package)
            with store.connect(ctx.db) as conn:
                outcome.rows_written += save(conn, rows, ctx.run_id)
            if package not in known_releases:
                _record_first_release(ctx, package)
        except SourceError as exc:
            outcome.fail(package, exc)
        ctx.progress.step(package)
    return outcome


def _record_first_release(ctx: Context, package: str) -> None:
    first = parse_first_release(fetch_release_info(ctx.client, package), package)
    if first is None:
        return
    day, version = first
    with store.connect(ctx.db) as conn:
        store.record_event(
            conn,
            SOURCE,
            package,
            "first_release",
            day,
            f"GET {DEFAULT_PYPI_URL}/pypi/{package}/json (release {version})",
        )
