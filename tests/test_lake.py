"""A team's store on DuckLake (PostgreSQL catalog, Parquet data): every command, the same answers as a file,
locks that hold across processes, and writers of different sources landing side by side."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from app import queries, sql_console
from app import reader as app_reader
from collectors import cli, config, inputs, interchange, lake, runner, schema, seed, sources, store
from collectors.config import DuckLake
from collectors.errors import ConfigError, LockedError
from collectors.store import Observation
from tests.collect_helpers import searched_as
from tests.conftest import RECORDED_NOW, stopped_clock
from tests.fakeapi import FakeAPI

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2023, 12, 10, 8, 0)  # inside the recorded arXiv months, as in the fault suite


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """Every API answered from the recordings on 127.0.0.1, for this process and the ones it starts."""
    with FakeAPI() as api:
        for variable, url in api.env().items():
            monkeypatch.setenv(variable, url)
        yield api


def spec(db: DuckLake) -> list[str]:
    """The CLI arguments that name this lake."""
    return ["--db", config.spec(db), "--data-path", db.data_path or ""]


def rows(db: config.Database, sql: str) -> list[tuple]:
    with store.connect(db, read_only=True) as conn:
        return conn.execute(sql).fetchall()


# --- naming the store -------------------------------------------------------------------------------------


def test_a_lake_is_named_by_its_catalog_and_its_password_is_never_shown(monkeypatch: pytest.MonkeyPatch):
    db = config.database("ducklake:postgres:dbname=eco host=db1 password=s3cret", "/srv/lake")
    assert db == DuckLake("dbname=eco host=db1 password=s3cret", "/srv/lake")
    assert "s3cret" not in str(db) and str(db) == "ducklake:postgres:dbname=eco host=db1 password=***"
    assert config.spec(db) == "ducklake:postgres:dbname=eco host=db1 password=s3cret"
    monkeypatch.setenv("ECOTRENDS_DB", "ducklake:postgres:dbname=eco")
    monkeypatch.setenv("ECOTRENDS_DATA_PATH", "s3://bucket/lake/")
    assert config.database() == DuckLake("dbname=eco", "s3://bucket/lake/")
    assert config.database("other.duckdb") == Path("other.duckdb")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("ducklake:postgres:", "name the catalog database"),
        ("ducklake:metadata.ducklake", "catalog in PostgreSQL"),
        ("md:ecotrends", "MotherDuck is not built in"),
    ],
)
def test_a_store_that_cannot_be_used_is_refused_with_the_reason(value: str, says: str, capsys):
    with pytest.raises(ConfigError, match=says):
        config.database(value)
    assert cli.main(["--db", value, "status"]) == cli.EXIT_USAGE
    assert says in capsys.readouterr().err


def test_the_lake_schema_is_the_files_schema_without_what_a_lake_cannot_hold():
    for _, name, file in schema.migrations():
        portable = lake.portable_ddl(file.read_text(encoding="utf-8")).lower()
        for construct in ("primary key", "check (", "create sequence", "nextval", "on conflict", "insert or"):
            assert construct not in portable, f"{name}: {construct}"
    assert (
        lake.portable_ddl(
            "create table t (a integer primary key, b integer not null check (b in (1, (2))), c varchar default 'x',"
            "\n    primary key (a, b)\n);"
        )
        == "create table t (a integer, b integer not null, c varchar default 'x'\n);"
    )


def test_column_comments_are_split_out_with_their_text():
    sql = "create view v as select 1 as a;\ncomment on view v is 'V';\ncomment on column v.a is 'it''s a';\n"
    rest, found = lake.column_comments(sql)
    assert found == [("v", "a", "it's a")]
    assert rest == "create view v as select 1 as a;\ncomment on view v is 'V';\n"


# --- the same answers as a file ---------------------------------------------------------------------------


def seed_lake(db: DuckLake) -> DuckLake:
    with stopped_clock(RECORDED_NOW):
        inputs.init_db(db)
        seed.load(db)
    return db


def published(db: config.Database) -> dict[str, object]:
    """What a user of the store sees: views and their comments, column comments, every observation, verdicts."""
    return {
        "views": rows(db, "select view_name, comment from duckdb_views() where database_name = current_database() "
                          "and not internal order by view_name"),
        "columns": rows(db, "select * from column_comments"),
        "observations": rows(db, "select * exclude (collected_at) from observations order by all"),
        "checks": rows(db, "select * from claim_checks order by all"),
        "events": rows(db, "select * exclude (collected_at) from subject_event order by all"),
    }  # fmt: skip


def test_a_seeded_lake_publishes_what_a_seeded_file_does(seeded_lake: DuckLake, seeded: Path):
    lake = seeded_lake
    on_lake, on_file = published(lake), published(seeded)
    for key in on_file:
        assert on_lake[key] == on_file[key], key
    assert len(on_lake["views"]) > 30 and len(on_lake["columns"]) > 250 and len(on_lake["checks"]) > 60
    assert seed.status(lake) is None, "the lake holds this seed"


EDGE_ARTICLE = """
[[article]]
id = "a"
file = "a.txt"
title = "Claims at the edge of their tolerance"
author = "tester"
published = "2023-12"
published_basis = "test"
"""


def edge_claim(claim_id: str, kind: str, claimed: float, **fields: str) -> str:
    fields = {"subjects": '["pytorch"]', "source": '"github"', "metric": '"stars"', **fields}
    lines = [f"{key} = {value}" for key, value in fields.items()]
    return (
        f'[[claim]]\nid = "{claim_id}"\narticle = "a"\nlocation = "t"\nstatement = "s"\ncheck = "c"\n'
        f'kind = "{kind}"\nperiod_start = "2023-01-01"\nperiod_end = "2023-12-31"\nclaimed_value = {claimed}\n'
        f"tolerance = 0.1\n" + "\n".join(lines) + "\n"
    )


# Stars from 60,000 to 70,000 and a 72% share; each pair of claims sits just inside and just outside an edge of
# the verdict rules (tolerance 10%: 7,000 above 70,000, 6,000 below 60,000, 8 points around 72%; contradicted
# beyond half the value), so a rule that differs on the lake changes a verdict.
EDGE_OBSERVATIONS = "source,subject,metric,date,window_days,value,origin\n" + "".join(
    f"github,pytorch/pytorch,stars,2023-{m:02d}-01,,{60000 + 10000 * (m - 1) // 11},t\n"
    f"arxiv,pytorch,papers_mentioning,2023-{m:02d}-28,28,72,t\narxiv,tensorflow,papers_mentioning,2023-{m:02d}-28,28,28,t\n"
    for m in range(1, 13)
)
SHARE = {"subjects": '["pytorch", "tensorflow"]', "source": '"arxiv"', "metric": '"papers_mentioning"'}
EDGE_CLAIMS = {
    "above-in": ("value", 77000, {}, "supported"),
    "above-out": ("value", 77100, {}, "inaccurate"),
    "below-in": ("value", 54000, {}, "supported"),
    "below-out": ("value", 53900, {}, "inaccurate"),
    "far-in": ("value", 104000, {}, "inaccurate"),
    "far-out": ("value", 106000, {}, "contradicted"),
    "share-in": ("share", 79.9, SHARE, "supported"),
    "share-out": ("share", 80.2, SHARE, "inaccurate"),
}


def test_verdicts_at_the_edge_of_their_tolerance_are_the_same_on_a_lake_as_on_a_file(lake: DuckLake, tmp_path):
    """The shipped history puts no claim near an edge; these do, so a verdict rule that differs on the lake
    (where the views are rewritten to fit it) shows."""
    observations, register = tmp_path / "edge.csv", tmp_path / "claims.toml"
    observations.write_text(EDGE_OBSERVATIONS)
    register.write_text(EDGE_ARTICLE + "".join(
        edge_claim(claim_id, kind, claimed, **fields) for claim_id, (kind, claimed, fields, _) in EDGE_CLAIMS.items()
    ))  # fmt: skip
    file = tmp_path / "file.duckdb"
    checks = {}
    for db in (file, lake):
        inputs.init_db(db)
        interchange.import_files(db, [observations])
        with store.connect(db) as conn:
            inputs.sync_claims(conn, register)
        checks[db] = rows(db, "select claim_id, verdict, measured_value, explanation from claim_checks order by all")
    assert checks[lake] == checks[file]
    assert {claim_id: verdict for claim_id, verdict, *_ in checks[lake]} == {
        claim_id: verdict for claim_id, (*_, verdict) in EDGE_CLAIMS.items()
    }


def test_collect_from_every_source_lands_in_a_lake_as_in_a_file(lake: DuckLake, tmp_path: Path, projects, fake_api):
    projects = projects[:2]  # every source, every code path; two projects keep it quick
    file = tmp_path / "file.duckdb"
    for db in (file, lake):
        with stopped_clock(NOW):
            inputs.init_db(db, projects)
            results = runner.run_sources(sources.collecting(), db, projects, interactive=False)
        assert {r.status for r in results} == {"ok"}, [(r.source, r.error) for r in results]
    assert published(lake)["observations"] == published(file)["observations"]
    assert rows(lake, "select source, status from collection_runs order by source") == rows(
        file, "select source, status from collection_runs order by source"
    )
    with stopped_clock(NOW):
        again = runner.run_sources(sources.collecting(), lake, projects, interactive=False)
    assert sum(r.rows_written for r in again) == 0, "a rerun over the same answers writes nothing"


def test_export_moves_a_file_into_a_lake_and_back_with_identical_observations(lake: DuckLake, seeded: Path, tmp_path):
    out, back = tmp_path / "from-file.parquet", tmp_path / "from-lake.parquet"
    assert cli.main(["--db", str(seeded), "export", "--format", "parquet", str(out)]) == cli.EXIT_OK
    assert cli.main([*spec(lake), "import", str(out)]) == cli.EXIT_OK
    assert cli.main([*spec(lake), "export", "--format", "parquet", str(back)]) == cli.EXIT_OK
    before, after = pd.read_parquet(out), pd.read_parquet(back)
    assert len(before) > 40_000
    pd.testing.assert_frame_equal(before, after)


def test_claims_check_and_status_read_a_lake(seeded_lake: DuckLake, seeded: Path, capsys):
    lake = seeded_lake
    assert cli.main([*spec(lake), "claims", "check"]) == cli.EXIT_OK
    on_lake = capsys.readouterr().out
    assert cli.main(["--db", str(seeded), "claims", "check"]) == cli.EXIT_OK
    assert on_lake == capsys.readouterr().out and "contradicted" in on_lake
    assert cli.main([*spec(lake), "status"]) == cli.EXIT_OK
    assert "seed ok" in capsys.readouterr().out


def test_a_missing_lake_is_reported_not_created(lake: DuckLake, capsys):
    assert not store.exists(lake)
    assert cli.main([*spec(lake), "status"]) == cli.EXIT_OK
    assert "No database at ducklake:postgres:" in capsys.readouterr().err
    assert not store.exists(lake), "status created nothing"
    without_path = DuckLake(lake.dsn)
    assert cli.main(["--db", config.spec(without_path), "seed"]) == cli.EXIT_USAGE
    assert "a new lake needs a place for its data files" in capsys.readouterr().err


def test_an_unreachable_catalog_is_named_in_one_line(capsys):
    dead = "ducklake:postgres:dbname=eco host=127.0.0.1 port=1 user=nobody connect_timeout=2"
    assert cli.main(["--db", dead, "status"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "cannot reach the catalog database" in err and "Traceback" not in err


# --- locks and concurrent writers -------------------------------------------------------------------------

HOLD_RUN_LOCK = """
import sys, time
from collectors import config, store
db = config.database(sys.argv[1])
with store.run_lock(db, sys.argv[2:]):
    print("held", flush=True)
    time.sleep(120)
"""


def test_run_locks_are_per_source_across_processes_and_die_with_their_holder(lake: DuckLake):
    inputs.init_db(lake)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_RUN_LOCK, config.spec(lake), "github"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockedError, match="already writing github"), store.run_lock(lake, ["github"]):
            pass
        with pytest.raises(LockedError, match="the whole store"), store.run_lock(lake):
            pass
        with store.run_lock(lake, ["pypi"]):  # another source goes ahead
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # the killed holder's lock goes with its connection, once PostgreSQL has seen the socket close
    deadline = time.monotonic() + 10
    while True:
        try:
            with store.run_lock(lake, ["github"]):
                break
        except LockedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_commit_that_loses_a_race_is_retried_whole(lake: DuckLake):
    inputs.init_db(lake)
    star = Observation("github", "pytorch/pytorch", "stars", date(2026, 1, 1), None, 10, "first")
    with store.connect(lake) as conn:
        store.upsert_observations(conn, [star])
    outsider = lake_cursor = store.open_connection(lake)  # a writer outside ecotrends' write lock
    attempts = []

    def update() -> int:
        attempts.append(1)
        changed = conn.execute("update observation set value = value + 1 where origin = 'first'").fetchone()[0]
        if len(attempts) == 1:
            outsider.execute(
                "insert into observation values ('github', 'jax-ml/jax', 'stars', '2026-01-01', 0, 5, 'x', now(), null)"
            )
        return changed

    with store.connect(lake) as conn:
        assert store.in_transaction(conn, update) == 1
    lake_cursor.close()
    assert len(attempts) == 2, "the first commit conflicted and the second landed"
    assert rows(lake, "select subject, value from observation order by subject") == [
        ("jax-ml/jax", 5.0), ("pytorch/pytorch", 11.0)
    ]  # fmt: skip


def test_two_collectors_of_different_sources_land_at_once_while_the_app_reads(
    lake: DuckLake, seeded: Path, tmp_path: Path, fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch
):
    """The issue's acceptance test: two `ecotrends collect` processes, one lake, the app serving pages."""
    seed_lake(lake)
    monkeypatch.setenv("ECOTRENDS_DB", config.spec(lake))
    queries.st.cache_data.clear()
    env = {**os.environ, **fake_api.env()}
    projects = tmp_path / "projects.toml"
    projects.write_text(
        '[[project]]\nid = "tensorflow"\nname = "TensorFlow"\ngithub = "tensorflow/tensorflow"\n'
        'pypi = ["tensorflow", "tensorflow-cpu"]\narxiv_phrase = "tensorflow"\ntrends_term = "TensorFlow"\n'
        '[[project]]\nid = "pytorch"\nname = "PyTorch"\ngithub = "pytorch/pytorch"\npypi = ["torch"]\n'
        'arxiv_phrase = "pytorch"\ntrends_term = "PyTorch"\n'
    )
    command = [sys.executable, "-m", "collectors", *spec(lake), "collect", "--no-progress", "--projects",
               str(projects), "--source"]  # fmt: skip
    writers = [subprocess.Popen([*command, name], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for name in ("github", "pypi")]  # fmt: skip
    reads, failures, done = [0], [], threading.Event()

    def reader() -> None:
        while not done.is_set():
            for sql in ("select * from source_freshness", "select * from claim_checks_snapshot",
                        "select * from series_summary"):  # fmt: skip
                try:
                    app_reader.read("", sql)
                    reads[0] += 1
                except Exception as exc:  # every failure counts; none may happen
                    failures.append(repr(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        outcomes = [writer.communicate(timeout=300) for writer in writers]
    finally:
        done.set()
        thread.join()
    for writer, (_, err) in zip(writers, outcomes, strict=True):
        assert writer.returncode == cli.EXIT_OK, err
    assert failures == [] and reads[0] > 10

    # 0 rows lost: the lake holds exactly what one process collecting both sources writes into a seeded file.
    file = tmp_path / "file.duckdb"
    shutil.copy(seeded, file)
    both = [sys.executable, "-m", "collectors", "--db", str(file), "collect", "--no-progress", "--projects",
            str(projects), "--source", "github", "--source", "pypi"]  # fmt: skip
    assert subprocess.run(both, cwd=ROOT, env=env, capture_output=True, timeout=300).returncode == cli.EXIT_OK
    assert published(lake)["observations"] == published(file)["observations"]
    assert rows(lake, "select source, status from collection_runs where command = 'collect' order by source") == [
        ("github", "ok"), ("pypi", "ok")
    ]  # fmt: skip


def test_app_pages_render_from_a_lake_as_from_a_file(seeded_lake: DuckLake, seeded: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app import pages

    lake = seeded_lake
    shown: dict[str, list[str]] = {}
    for db in (seeded, lake):
        monkeypatch.setenv("ECOTRENDS_DB", config.spec(db))
        queries.st.cache_data.clear()
        for page in pages.PAGES:
            at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
            at.switch_page(f"sections/{page.name}.py")
            at.run()
            assert not at.exception, (db, page.name, [e.message for e in at.exception])
            text = [m.value for m in at.markdown] + [str(m.value) for m in at.metric]
            shown.setdefault(page.name, []).append(text)
    for page, (on_file, on_lake) in shown.items():
        assert on_lake == on_file, page


def test_the_sql_console_queries_a_lake(seeded_lake: DuckLake, monkeypatch: pytest.MonkeyPatch):
    lake = seeded_lake
    monkeypatch.setenv("ECOTRENDS_DB", config.spec(lake))
    answer = sql_console.console("select count(*) as n from observations where source = 'github'")
    assert answer["n"].iloc[0] > 40_000
    for refused in ("delete from observation", "select * from read_text('/etc/passwd')"):
        with pytest.raises(sql_console.ConsoleError):
            sql_console.console(refused)


def test_a_pages_reads_on_a_lake_share_one_snapshot_until_the_reader_lets_go(lake: DuckLake, monkeypatch):
    """The app's reads of one burst ask the catalog once: a write landing meanwhile shows from the next burst."""
    for timeout in ("IDLE_SECONDS", "MAX_OPEN_SECONDS"):  # the burst lasts until closed, however slow the write
        monkeypatch.setattr(app_reader.Reader, timeout, 600.0)
    inputs.init_db(lake)
    stars = [Observation("github", "pytorch/pytorch", "stars", date(2026, 1, day), None, day, "test") for day in (1, 2)]
    count = "select count(*) as n from observation"
    with store.connect(lake) as conn:
        store.upsert_observations(conn, stars[:1])
    app_reader.READER.close()
    try:
        assert app_reader.read(lake, count)["n"].iloc[0] == 1
        with store.connect(lake) as conn:
            store.upsert_observations(conn, stars[1:])
        assert app_reader.read(lake, count)["n"].iloc[0] == 1, "the burst reads the snapshot it began with"
        app_reader.READER.close()
        assert app_reader.read(lake, count)["n"].iloc[0] == 2
    finally:
        app_reader.READER.close()


def test_a_failed_read_on_a_lake_does_not_fail_the_reads_after_it(lake: DuckLake):
    inputs.init_db(lake)
    app_reader.READER.close()
    try:
        with pytest.raises(duckdb.Error):
            app_reader.read(lake, "select error('a query that fails as it runs')")
        assert app_reader.read(lake, "select count(*) as n from observation")["n"].iloc[0] == 0
    finally:
        app_reader.READER.close()


# A page's reader in a process of its own: it reads, waits for a line, then lets go of the lake.
READ_THEN_CLOSE = """
import sys
from app import reader
from collectors import config
reader.Reader.IDLE_SECONDS = reader.Reader.MAX_OPEN_SECONDS = 600.0
print(len(reader.read(config.database(sys.argv[1], sys.argv[2]), "select * from observation")), flush=True)
sys.stdin.readline()
reader.READER.close()
print("closed", flush=True)
"""


def test_an_app_whose_catalog_connection_died_lets_go_of_the_lake_without_crashing(lake: DuckLake, postgres):
    """Ending a read transaction on a dead catalog connection inside DuckDB aborted the process (C++ terminate)."""
    inputs.init_db(lake)
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    app = subprocess.Popen([sys.executable, "-c", READ_THEN_CLOSE, config.spec(lake), lake.data_path or ""],
                           cwd=ROOT, text=True, **pipes)  # fmt: skip
    try:
        assert app.stdout.readline().strip() == "0"
        dbname = lake.dsn.split()[0].removeprefix("dbname=")
        kill = f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{dbname}'"
        subprocess.run([str(postgres.bindir / "psql"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "ecotrends",
                        "-d", "postgres", "-c", kill], check=True, capture_output=True)  # fmt: skip
        out, err = app.communicate("\n", timeout=120)
    finally:
        app.kill()
    assert (app.returncode, out.strip()) == (0, "closed"), err


def test_lake_extensions_are_loaded_from_the_installed_packages():
    for name in ("ducklake", "postgres_scanner", "httpfs"):
        file = lake.extension_file(name)
        assert file.exists() and f"v{duckdb.__version__}" in str(file)


def test_the_duckdb_cli_opens_a_lake_with_the_statements_shell_prints(seeded_lake: DuckLake, capsys):
    lake = seeded_lake
    assert cli.main([*spec(lake), "shell", "--print"]) == cli.EXIT_OK
    opening = capsys.readouterr().out
    assert "read_only" in opening
    duckdb_cli = Path(sys.executable).with_name("duckdb")
    done = subprocess.run([str(duckdb_cli), "-csv", "-noheader"], input=opening + "select count(*) from claim_checks;",
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 60


def test_backfill_and_a_trends_export_land_in_a_lake_as_in_a_file(lake: DuckLake, tmp_path: Path, mock_http,
                                                                   frozen_now):  # fmt: skip
    from collectors.sources import github, trends
    from tests.conftest import FIXTURES, add_recording

    jax = config.Project(
        "jax", "JAX", "jax-ml/jax", ("jax",), source_fields=searched_as("jax"), github_former_names=("google/jax",)
    )
    file = tmp_path / "file.duckdb"
    for db in (file, lake):
        mock_http.reset()
        for path in sorted((FIXTURES / "gharchive").glob("jax_*.json")):
            add_recording(mock_http, f"gharchive/{path.name}")
        inputs.init_db(db, [jax])
        with store.connect(db) as conn:
            store.record_event(conn, "github", "jax-ml/jax", "created", date(2018, 10, 25), "test")
        [result] = runner.run_sources([github.SOURCE], db, [jax], interactive=False, command="backfill")
        assert result.status == "ok", result.error
        trends.import_exports(db, [FIXTURES / "trends" / "multiTimeline.csv"])
    assert rows(lake, "select count(*) from github_star_events_daily")[0][0] > 100
    assert published(lake)["observations"] == published(file)["observations"]
    requests = "select * from trends_request order by all"
    assert rows(lake, requests) == rows(file, requests)
