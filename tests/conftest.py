"""Shared test helpers: recorded HTTP exchanges served at the URL level, a fixed clock, a real DuckDB file."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responses
import time_machine

from collectors import http, inputs, sources, store
from collectors.config import DuckLake, collected
from collectors.projects import load_projects

FIXTURES = Path(__file__).parent / "fixtures"
# Every test, and every process a test starts, loads a small real subset of the shipped catalogue (14 projects cut
# from data/seed/catalogue/ with all their rows): seeding the whole catalogue costs 15 s. tests/test_catalogue.py
# loads the real one once.
CATALOGUE_FIXTURE = FIXTURES / "catalogue"
os.environ["ECOTRENDS_CATALOGUE"] = str(CATALOGUE_FIXTURE)
# The recordings were made on this day (naive UTC); every test starts its clock here, never at today's date.
RECORDED_NOW = datetime(2026, 11, 22, 12, 0, 0)


def stopped_clock(when: datetime) -> time_machine.travel:
    """The whole process's clock (datetime, date, time.time) stopped at a naive-UTC instant, as a context."""
    return time_machine.travel(when.replace(tzinfo=UTC), tick=False)


def load_recording(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recording_body(recording: dict) -> str:
    response = recording["response"]
    if "body_json" in response:
        return json.dumps(response["body_json"])
    return response["body_text"]


def add_recording(mock: responses.RequestsMock, name: str, url: str | None = None, **override: object) -> dict:
    """Serve one recorded exchange (optionally at another URL or with another status)."""
    recording = load_recording(name)
    response = recording["response"]
    headers = {k: v for k, v in response.get("headers", {}).items() if k.lower() != "content-type"}
    content_type = next(
        (v for k, v in response.get("headers", {}).items() if k.lower() == "content-type"), "text/plain"
    )
    body = override.get("body", recording_body(recording))
    if any(k.lower() == "content-encoding" and v == "gzip" for k, v in headers.items()):
        body = gzip.compress(str(body).encode())  # stored decoded, sent as the service sends it
    mock.add(
        recording["request"]["method"],
        url or recording["request"]["url"],
        body=body,
        status=int(override.get("status", response["status"])),
        headers=headers,
        content_type=content_type,
    )
    return recording


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """No test sleeps: waits are recorded instead, so tests can check the backoff asked for."""
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    return waits


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    overrides = [variable for source in sources.registry().values() for variable in source.base_urls]
    for name in ("GITHUB_TOKEN", "STACKEXCHANGE_KEY", "ECOTRENDS_DB", "ECOTRENDS_PROJECTS", *overrides):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def recorded_clock() -> Iterator[None]:
    """Every test runs on the recordings' day with its clock ticking from there: none depends on the real date.

    time-machine moves datetime, date and time.time for the whole process, so the collectors, the HTTP
    client, the store and the app all read the same moved clock (collectors.clock). Processes a test starts
    keep the real clock; `faketime` runs of the suite (tests/test_clock_shift.py) cover them.
    """
    with time_machine.travel(RECORDED_NOW.replace(tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Stop the clock at a naive-UTC instant; call again to move it."""
    started: list[time_machine.travel] = []

    def stop_at(when: datetime) -> None:
        traveller = stopped_clock(when)
        traveller.start()
        started.append(traveller)

    yield stop_at
    for traveller in reversed(started):
        traveller.stop()


@pytest.fixture
def frozen_now(clock_at: Callable[[datetime], None]) -> datetime:
    clock_at(RECORDED_NOW)
    return RECORDED_NOW


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ecotrends.duckdb"
    inputs.init_db(path)
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the history shipped in data/seed, built once per session (copy it, never write it)."""
    from collectors import seed

    path = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    with stopped_clock(RECORDED_NOW):
        inputs.init_db(path)
        seed.load(path)
    return path


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded database for one test."""
    path = tmp_path / "seeded.duckdb"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def projects():
    return collected(load_projects())  # the five the recordings were made for (MXNet is archived)


@pytest.fixture
def mock_http() -> Iterator[responses.RequestsMock]:
    """Every request must match a recording; an unexpected one fails as a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with store.connect(db, read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A PostgreSQL server for the session, for DuckLake catalogs; the lake tests skip where none is installed."""
    from tests import postgres as pg

    if pg.binaries() is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
    with pg.throwaway_server() as server:
        yield server


@pytest.fixture(scope="session")
def seeded_lake(postgres, tmp_path_factory: pytest.TempPathFactory) -> DuckLake:
    """A DuckLake holding the shipped history, built once per session: for tests that only read it."""
    from collectors import seed

    lake = DuckLake(postgres.create_database("seeded"), str(tmp_path_factory.mktemp("seeded-lake")) + "/")
    with stopped_clock(RECORDED_NOW):
        inputs.init_db(lake)
        seed.load(lake)
    return lake


@pytest.fixture
def lake(postgres, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[DuckLake]:
    """An empty DuckLake of this test's own: a new catalog database, data files under tmp_path."""
    from collectors import lake as lakes

    name = "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    dsn = postgres.create_database(name)
    yield DuckLake(dsn, str(tmp_path / "lake-data") + "/")
    lakes.close_all()
