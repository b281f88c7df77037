"""Faults injected per source through a local fake API: bounded retries, recorded failures, no data lost."""

from __future__ import annotations

import json
import shutil
import socket
from datetime import datetime
from pathlib import Path

import pytest

from collectors import cli, http, inputs, sources, store
from tests.conftest import query, stopped_clock
from tests.fakeapi import FakeAPI, services_of

NOW = datetime(2023, 12, 10, 8, 0)  # inside the recorded arXiv months
SOURCES = [source.name for source in sources.collecting()]  # every source `ecotrends collect` asks
COMMON = ("429_retry_after", "429", "500", "502", "503", "hang", "reset", "truncated_json", "html_200", "empty")
OWN_FAULTS = {"github": ("403_rate_limit", "403_secondary"), "arxiv": ("arxiv_error_200",)}
# On the fake's day the newest conda month is not published: its answer is a 404, and a truncated 404 is still a
# 404 (a truncated file is refused in tests/test_conda.py).
NOT_APPLICABLE = {("conda", "truncated_json")}
SCENARIOS = [
    (source, fault)
    for source in SOURCES
    for fault in (*COMMON, *OWN_FAULTS.get(source, ()))
    if (source, fault) not in NOT_APPLICABLE
]
MAX_REQUESTS_UNDER_FAULT = 40  # retries are bounded and a source stops after three outages in a row
REPORT = Path(__file__).parent / "screenshots" / "reliability.json"
RESULTS: list[dict] = []


@pytest.fixture(scope="module")
def fake_api():
    with FakeAPI() as api:
        yield api


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, fake_api: FakeAPI, clock_at) -> FakeAPI:
    for variable, url in fake_api.env().items():
        monkeypatch.setenv(variable, url)
    clock_at(NOW)
    monkeypatch.setattr(http, "TIMEOUT", (0.5, 0.5))  # the "hang" fault waits longer than this
    fake_api.faults.clear()
    return fake_api


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeAPI) -> Path:
    """A database filled by one clean run of every source through the fake API."""
    fake_api.faults.clear()  # whatever an earlier test left
    db = tmp_path_factory.mktemp("baseline") / "base.duckdb"
    with pytest.MonkeyPatch.context() as patch, stopped_clock(NOW):
        for variable, url in fake_api.env().items():
            patch.setenv(variable, url)
        patch.setattr(http, "pause", lambda seconds: None)
        assert cli.main(["collect", "--db", str(db), "--no-progress"]) == cli.EXIT_OK
    return db


def stored(db: Path, source: str) -> list[tuple]:
    return query(
        db, "select subject, metric, date, window_days, value from observation where source = ? order by all", [source]
    )


@pytest.mark.parametrize(("source", "fault"), SCENARIOS, ids=[f"{s}-{f}" for s, f in SCENARIOS])
def test_fault_is_recorded_bounded_and_loses_nothing(baseline: Path, offline: FakeAPI, tmp_path: Path, source, fault):
    db = tmp_path / "db.duckdb"
    shutil.copy(baseline, db)
    before = {s: stored(db, s) for s in SOURCES}
    offline.faults[source] = fault
    offline.requests.clear()

    code = cli.main(["collect", "--db", str(db), "--no-progress"])

    runs = dict(
        query(
            db,
            "select source, status from collection_runs where run_id > (select max(run_id) - ? from collection_runs)",
            [len(SOURCES)],
        )
    )
    error = query(db, "select error from collection_runs where source = ? order by run_id desc limit 1", [source])[0][0]
    faulted_requests = sum(offline.requests[service] for service in services_of(source))
    RESULTS.append(
        {
            "source": source,
            "fault": fault,
            "exit": code,
            "status": runs[source],
            "requests": faulted_requests,
            "lost": before[source] != stored(db, source),
        }
    )
    assert code == cli.EXIT_PARTIAL
    assert runs[source] in ("failed", "partial") and error
    assert {s: runs[s] for s in SOURCES if s != source} == {s: "ok" for s in SOURCES if s != source}
    assert stored(db, source) == before[source], "stored values are left exactly as they were"
    assert 0 < faulted_requests <= MAX_REQUESTS_UNDER_FAULT


# Faults a budget bounds (issue 24 §1): a service that never answers, one that sends a byte now and then, and a
# host that refuses the connection. With `--budget 1` each source stops after one request.
BUDGET_FAULTS = ("stall", "trickle", "refused")
BUDGET_SCENARIOS = [(source, fault) for source in SOURCES for fault in BUDGET_FAULTS]


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("source", "fault"), BUDGET_SCENARIOS, ids=[f"{s}-{f}" for s, f in BUDGET_SCENARIOS])
def test_a_hung_or_unreachable_source_stops_within_its_budget(
    baseline: Path, offline: FakeAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source, fault
):
    db = tmp_path / "db.duckdb"
    shutil.copy(baseline, db)
    before = {s: stored(db, s) for s in SOURCES}
    monkeypatch.setattr(http, "TIMEOUT", (10, 60))  # requests' own timeouts, as shipped: only the budget cuts in
    if fault == "refused":
        port = closed_port()
        for variable in sources.get(source).base_urls:
            monkeypatch.setenv(variable, f"http://127.0.0.1:{port}")
    else:
        offline.faults[source] = fault
    offline.requests.clear()

    code = cli.main(["collect", "--db", str(db), "--no-progress", "--budget", "1"])

    runs = dict(query(db, "select source, status from collection_runs where command = 'collect' and run_id > "
                          "(select max(run_id) - ? from collection_runs)", [len(SOURCES)]))  # fmt: skip
    error, requests_made, seconds = query(
        db,
        "select error, requests_made, epoch(finished_at - started_at) from collection_run where source = ? "
        "order by run_id desc limit 1",
        [source],
    )[0]
    lost = before[source] != stored(db, source)
    RESULTS.append({"source": source, "fault": f"{fault}, budget 1 s", "exit": code, "status": runs[source],
                    "requests": requests_made, "seconds": round(seconds, 2), "lost": lost})  # fmt: skip
    assert code == cli.EXIT_PARTIAL
    assert runs[source] == "failed"
    if fault == "refused":
        assert error.startswith(f"offline: cannot reach 127.0.0.1:{port} (") and "; " not in error, "one line"
    else:
        assert "no answer for 1 s; stopped, the next run continues" in error
    assert requests_made == 1, "the source asks nothing more once stopped"
    assert {s: runs[s] for s in SOURCES if s != source} == {s: "ok" for s in SOURCES if s != source}
    assert stored(db, source) == before[source], "stored values are left exactly as they were"


@pytest.mark.parametrize(
    ("arguments", "environment", "said"),
    [
        (["--budget", "0"], None, "argument --budget: '0' is not a positive number of seconds"),
        (["--budget", "soon"], None, "argument --budget: 'soon' is not a positive number of seconds"),
        ([], "-5", "ECOTRENDS_SOURCE_BUDGET='-5': not a positive number of seconds (default 90)"),
    ],
)
def test_a_budget_that_is_not_a_positive_number_is_refused_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, arguments, environment, said
):
    if environment is not None:
        monkeypatch.setenv("ECOTRENDS_SOURCE_BUDGET", environment)
    db = tmp_path / "db.duckdb"

    assert cli.main(["collect", "--db", str(db), "--no-progress", *arguments]) == cli.EXIT_USAGE

    assert said in capsys.readouterr().err
    assert not db.exists(), "nothing ran"


def test_runs_a_killed_process_left_open_are_closed_as_interrupted_by_the_next_run(
    baseline: Path, offline: FakeAPI, tmp_path: Path, clock_at
):
    db = tmp_path / "db.duckdb"
    shutil.copy(baseline, db)
    clock_at(datetime(2023, 12, 10, 8, 30))  # after the baseline's runs
    with store.connect(db) as conn:  # as a collect killed with SIGKILL leaves them
        killed = [store.start_run(conn, "github", "collect"), store.start_run(conn, "conda", "backfill")]
    assert {status for (status,) in query(db, "select status from collection_runs where run_id in (?, ?)", killed)} == {
        "running or interrupted"
    }
    noticed = datetime(2023, 12, 10, 9, 30)
    clock_at(noticed)

    assert cli.main(["collect", "--db", str(db), "--no-progress", "--source", "github"]) == cli.EXIT_OK

    closed = query(db, "select status, finished_at, error, duration_seconds from collection_runs "
                       "where run_id in (?, ?) order by run_id", killed)  # fmt: skip
    reason = "interrupted: its process ended before the run finished (noticed by the next run)"
    assert closed == [("interrupted", noticed, reason, None)] * 2, "a file's lock covers every source"
    last = query(db, "select last_status from source_runs where source = 'conda'")
    assert last == [("interrupted",)]


BACKFILL_NOW = datetime(2026, 11, 22, 12, 0)  # the recorded ClickHouse windows end here
BACKFILLS = {
    # source: (projects file entry, --since that re-reads the last recorded windows, the metric it stores)
    "pypi": ('id = "pytorch"\nname = "PyTorch"\ngithub = "pytorch/pytorch"\npypi = ["torch"]\n', "2023-05-24",
             "downloads_clickpy"),
    "github": ('id = "jax"\nname = "JAX"\ngithub = "jax-ml/jax"\ngithub_former_names = ["google/jax"]\n'
               'pypi = ["jax"]\n', "2023-09-05", "stars_given_gharchive"),
}  # fmt: skip
BACKFILL_FAULTS = ("clickhouse_row_limit", "clickhouse_exception", "truncated_json", "500", "503", "hang", "reset",
                   "empty")  # fmt: skip
BACKFILL_SCENARIOS = [(s, f) for s in BACKFILLS for f in BACKFILL_FAULTS]


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeAPI) -> dict[str, tuple[Path, Path]]:
    """Per backfill source: a database whose history is complete, and the projects file it used."""
    fake_api.faults.clear()  # whatever an earlier test left
    made = {}
    for source, (entry, _, _) in BACKFILLS.items():
        folder = tmp_path_factory.mktemp(f"backfill-{source}")
        projects = folder / "projects.toml"
        projects.write_text(f'[[project]]\n{entry}arxiv_phrase = "x"\ntrends_term = "x"\n')
        db = folder / "db.duckdb"
        with pytest.MonkeyPatch.context() as patch, stopped_clock(BACKFILL_NOW):
            for variable, url in fake_api.env().items():
                patch.setenv(variable, url)
            patch.setattr(http, "pause", lambda seconds: None)
            if source == "github":
                inputs.init_db(db)
                with store.connect(db) as conn:
                    store.record_event(conn, "github", "jax-ml/jax", "created", datetime(2018, 10, 25).date(), "t")
            args = ["backfill", "--db", str(db), "--projects", str(projects), "--source", source, "--no-progress"]
            assert cli.main(args) == cli.EXIT_OK
        made[source] = (db, projects)
    return made


@pytest.mark.parametrize(("source", "fault"), BACKFILL_SCENARIOS, ids=[f"{s}-{f}" for s, f in BACKFILL_SCENARIOS])
def test_backfill_fault_is_recorded_and_loses_nothing(backfilled, offline, clock_at, tmp_path, source, fault):
    base, projects = backfilled[source]
    db = tmp_path / "db.duckdb"
    shutil.copy(base, db)
    _, since, metric = BACKFILLS[source]
    clock_at(BACKFILL_NOW)
    before = query(db, "select subject, date, value from observation where metric = ? order by all", [metric])
    service = "clickpy" if source == "pypi" else "clickhouse"
    offline.faults[service] = fault
    offline.requests.clear()

    args = ["backfill", "--db", str(db), "--projects", str(projects), "--source", source, "--since", since,
            "--no-progress"]  # fmt: skip
    code = cli.main(args)

    status, error = query(db, "select status, error from collection_runs order by run_id desc limit 1")[0]
    after = query(db, "select subject, date, value from observation where metric = ? order by all", [metric])
    RESULTS.append(
        {
            "source": f"{source} backfill",
            "fault": fault,
            "exit": code,
            "status": status,
            "requests": offline.requests[service],
            "lost": after != before,
        }
    )
    assert code == cli.EXIT_PARTIAL
    assert status in ("failed", "partial") and error
    assert after == before, "stored history is left exactly as it was"
    assert 0 < offline.requests[service] <= MAX_REQUESTS_UNDER_FAULT


def test_write_reliability_report():
    """Summarise the fault runs for the README's reliability table (written beside the screenshots)."""
    if not RESULTS:
        pytest.skip("the fault scenarios did not run")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(RESULTS, indent=1))
    assert not any(r["lost"] for r in RESULTS)
