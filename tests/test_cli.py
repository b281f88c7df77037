import subprocess
import sys
from pathlib import Path

import pytest

from collectors import cli, store
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
    assert statuses == {"github": "ok", "pypi": "ok", "arxiv": "ok", "trends": "failed"}
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
