import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collectors import cli, inputs, sources, store
from tests.conftest import add_recording, query
from tests.test_arxiv import serve_months

JAX_ONLY = """
[[project]]
id = "jax"
name = "JAX"
github = "jax-ml/jax"
pypi = ["jax"]
arxiv_phrase = "jax"
trends_term = "jax"
"""


@pytest.fixture
def jax_projects(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    path.write_text(JAX_ONLY)
    return path


def serve_jax(mock) -> None:
    add_recording(mock, "github/repo_jax-ml_jax.json")
    for page in range(1, 16):
        add_recording(mock, f"github/history_jax-ml_jax_p{page}.json")
    add_recording(mock, "pypi/overall_jax.json")
    add_recording(mock, "pypi/pypi_json_jax.json")
    serve_months(mock)
    add_recording(mock, "trends/nid_cookie.json")
    # No explore answer is recorded for "jax" alone: Trends fails, the others must finish.


def test_a_failing_source_never_stops_the_others(tmp_path, jax_projects, mock_http, frozen_now, capsys):
    serve_jax(mock_http)
    db = tmp_path / "e.duckdb"

    code = cli.main(["collect", "--db", str(db), "--projects", str(jax_projects), "--no-progress"])

    assert code == cli.EXIT_PARTIAL
    statuses = dict(query(db, "select source, status from collection_runs"))
    # Sources the project names nothing for (no stackoverflow_tag here) run, ask nothing and succeed.
    assert statuses == {source.name: "ok" for source in sources.collecting()} | {"trends": "failed"}
    assert query(db, "select count(*) > 0 from observations where source = 'arxiv'") == [(True,)]
    assert "trends: failed" in capsys.readouterr().err

    assert cli.main(["status", "--db", str(db)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "github" in out and "last error" in out


def test_all_ok_exits_zero_and_source_can_be_chosen(tmp_path, jax_projects, mock_http, frozen_now):
    serve_jax(mock_http)
    db = tmp_path / "e.duckdb"
    args = ["collect", "--db", str(db), "--projects", str(jax_projects), "--source", "pypi", "--source", "github"]
    assert cli.main(args) == cli.EXIT_OK
    assert {row[0] for row in query(db, "select distinct source from collection_runs")} == {"pypi", "github"}


def test_configuration_error_exits_two_with_the_file_named(tmp_path, capsys):
    bad = tmp_path / "projects.toml"
    bad.write_text(JAX_ONLY.replace('github = "jax-ml/jax"\n', ""))
    assert cli.main(["collect", "--db", str(tmp_path / "e.duckdb"), "--projects", str(bad)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert str(bad) in err and "field 'github' is missing" in err


def test_overlapping_run_exits_at_once(tmp_path, jax_projects, capsys):
    db = tmp_path / "e.duckdb"
    with store.run_lock(db):
        assert cli.main(["collect", "--db", str(db), "--projects", str(jax_projects)]) == cli.EXIT_USAGE
    assert "another ecotrends run is already writing" in capsys.readouterr().err


def test_usage_error_exits_two():
    assert cli.main(["collect", "--source", "myspace"]) == cli.EXIT_USAGE


def test_status_on_a_missing_database_says_how_to_fill_it(tmp_path, capsys):
    assert cli.main(["status", "--db", str(tmp_path / "none.duckdb")]) == cli.EXIT_OK
    assert "ecotrends collect" in capsys.readouterr().err


def test_module_entry_point_has_help():
    done = subprocess.run([sys.executable, "-m", "collectors", "--help"], capture_output=True, text=True, check=True)
    assert "collect" in done.stdout and "status" in done.stdout


def user_errors(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """Mistakes a user makes in the first five minutes: each must be one line naming what is wrong."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    not_duckdb = tmp_path / "notes.txt"
    not_duckdb.write_text("not a database\n")
    db = str(tmp_path / "e.duckdb")
    return {
        "import of a missing file": (["import", "--db", db, "missing.csv"], "missing.csv: no such file"),
        "import of a folder": (["import", "--db", db, str(folder)], "is a directory"),
        "trends export that is missing": (["import", "--db", db, "--trends-csv", "gone.csv"], "gone.csv: no such file"),
        "--db that is not DuckDB": (["status", "--db", str(not_duckdb)], f"cannot open the database {not_duckdb}"),
        "--db that is a folder": (["--db", str(folder), "status"], f"cannot open the database {folder}"),
        "export into an unwritable place": (["export", "--db", str(not_duckdb), "/proc/no/x.csv"], "cannot open"),
        "claims of a missing article": (["claims", "extract", str(tmp_path / "none.md")], "none.md: cannot read"),
        "projects file missing": (["collect", "--db", db, "--projects", "nope.toml"], "nope.toml: file not found"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "import of a missing file", "import of a folder", "trends export that is missing", "--db that is not DuckDB",
        "--db that is a folder", "export into an unwritable place", "claims of a missing article",
        "projects file missing",
    ],
)  # fmt: skip
def test_user_errors_name_the_problem_in_one_line_without_a_traceback(case, tmp_path, capsys):
    args, expected = user_errors(tmp_path)[case]
    assert cli.main(args) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_output_cut_short_by_a_closed_pipe_ends_quietly(tmp_path):
    """`ecotrends claims check | head -1`: the reader leaves early; no BrokenPipeError traceback."""
    db = tmp_path / "e.duckdb"
    inputs.init_db(db)
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # smaller than the output, so the writer is still at it
    reader = subprocess.Popen(
        [sys.executable, "-m", "collectors", "claims", "check", "--db", str(db)],
        stdout=write_end, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert pipe.readline()  # what `head -1` does before it leaves
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == cli.EXIT_BROKEN_PIPE
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_offline_collection_names_the_root_cause_and_gives_up_at_once(tmp_path, jax_projects, monkeypatch, caplog):
    """No network: the DNS failure is the message (in the run record too), and nothing is retried."""
    monkeypatch.setenv("ECOTRENDS_GITHUB_URL", "http://ecotrends-offline.invalid")
    caplog.set_level("INFO")
    db = tmp_path / "e.duckdb"
    started = time.monotonic()
    code = cli.main(["collect", "--db", str(db), "--projects", str(jax_projects), "--source", "github"])
    elapsed = time.monotonic() - started
    assert code == cli.EXIT_PARTIAL
    [(error, requests)] = query(db, "select error, requests_made from collection_runs where source = 'github'")
    assert error.startswith("offline: cannot reach ecotrends-offline.invalid (Failed to resolve 'ecotrends-offline")
    assert requests == 1 and elapsed < 15, "one attempt; the source asks nothing more"
    log = [record.getMessage() for record in caplog.records]
    announced = log.index("github: jax-ml/jax snapshot")
    failed = next(i for i, line in enumerate(log) if "Failed to resolve" in line)
    assert announced < failed, "the step is named before it runs"
