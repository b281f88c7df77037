"""`ecotrends track` / `untrack`: resolution against recorded answers at the real URLs, refusals that store nothing,
and a tracked project's history fetched and then kept current, through the local fake API into a real DuckDB file."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import pytest

from collectors import cli, http
from collectors.config import REPO_ROOT
from tests.conftest import add_recording, query, stopped_clock
from tests.fakeapi import FakeAPI

FAKE_DAY = datetime(2023, 12, 10, 8, 0)  # the fake API's day: conda's months and arXiv's are recorded up to it
TAGS_URL = re.compile(r"https://api\.stackexchange\.com/2\.3/tags/[^/]+/info.*")


def serve_no_tag(mock) -> None:
    """Stack Exchange's answer for tags that do not exist: the recorded tag answer with no items."""
    add_recording(mock, "stackoverflow/tags_info.json", url=TAGS_URL,
                  body='{"items": [], "has_more": false, "quota_max": 300, "quota_remaining": 290}')  # fmt: skip


def fingerprint(db: Path) -> tuple[str, str]:
    """A digest of every table's rows in the database, and of every file under data/: a refusal changes neither."""
    from collectors import store

    with store.connect(db, read_only=True) as conn:
        tables = [row[0] for row in conn.execute(
            "select table_name from duckdb_tables() where database_name = current_database() order by 1"
        ).fetchall()]  # fmt: skip
        rows = hashlib.sha256()
        for table in tables:
            (digest,) = conn.execute(f'select md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), \'\')) '
                                     f'from "{table}" as t').fetchone()  # fmt: skip
            rows.update(f"{table}:{digest}".encode())
    files = hashlib.sha256()
    for path in sorted((REPO_ROOT / "data").rglob("*")):
        if path.is_file() and not path.name.startswith("ecotrends.duckdb"):
            files.update(path.relative_to(REPO_ROOT).as_posix().encode() + path.read_bytes())
    return rows.hexdigest(), files.hexdigest()


# --- resolution ---------------------------------------------------------------------------------------------


def test_track_by_name_from_the_catalogue(seeded: Path, mock_http, capsys):
    add_recording(mock_http, "github/repo_pola-rs_polars.json")
    serve_no_tag(mock_http)

    code = cli.main(["track", "polars", "--db", str(seeded), "--no-fetch"])

    assert code == cli.EXIT_OK, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "polars: polars; repository pola-rs/polars; PyPI polars" in out and "the catalogue (best-of)" in out
    assert query(
        seeded, "select project_id, github_repo, pypi, resolved_from like 'the catalogue%' from tracked_project"
    ) == [("polars", "pola-rs/polars", ["polars"], True)]
    # filed like a curated project: its subjects now belong to it, listed once among the known projects
    filed = set(query(seeded, "select source, subject from project_subject where project_id = 'polars'"))
    assert {("arxiv", "polars"), ("github", "pola-rs/polars"), ("pypi", "polars"), ("trends", "polars")} <= filed
    assert query(seeded, "select basis like 'tracked:%' from known_projects where project_id = 'polars'") == [(True,)]
    assert (REPO_ROOT / "data" / "projects.toml").read_text().count("polars") == 0


def test_track_a_package_through_its_pypi_project_urls(seeded: Path, mock_http, capsys):
    add_recording(mock_http, "pypi/pypi_json_narwhals.json")
    add_recording(mock_http, "github/repo_narwhals-dev_narwhals.json")
    serve_no_tag(mock_http)

    assert cli.main(["track", "pypi:Narwhals", "--db", str(seeded), "--no-fetch"]) == cli.EXIT_OK
    assert "PyPI JSON of narwhals (names narwhals-dev/narwhals)" in capsys.readouterr().out
    assert query(seeded, "select project_id, name, github_repo, pypi from tracked_project") == [
        ("narwhals", "narwhals", "narwhals-dev/narwhals", ["narwhals"])
    ]


def test_track_a_repository_links_the_package_that_names_it(seeded: Path, mock_http, capsys):
    add_recording(mock_http, "github/repo_astral-sh_uv.json")
    add_recording(mock_http, "pypi/pypi_json_uv.json")
    serve_no_tag(mock_http)

    assert cli.main(["track", "astral-sh/uv", "--db", str(seeded), "--no-fetch"]) == cli.EXIT_OK
    assert "PyPI package uv names the repository" in capsys.readouterr().out
    assert query(seeded, "select project_id, github_repo, pypi from tracked_project") == [
        ("uv", "astral-sh/uv", ["uv"])
    ]


def test_a_package_of_the_same_name_is_not_linked_unless_it_names_the_repository(seeded: Path, mock_http, capsys):
    add_recording(mock_http, "github/repo_facebook_react.json")
    add_recording(mock_http, "pypi/pypi_json_react.json")  # its metadata names another repository
    serve_no_tag(mock_http)

    assert cli.main(["track", "facebook/react", "--db", str(seeded), "--no-fetch"]) == cli.EXIT_OK
    assert query(seeded, "select project_id, github_repo, pypi from tracked_project") == [
        ("facebook/react", "facebook/react", [])
    ]
    assert "no PyPI package of that name names the repository" in capsys.readouterr().out


def test_a_renamed_repository_is_tracked_under_its_name_today(seeded: Path, mock_http, capsys):
    add_recording(mock_http, "github/repo_tiangolo_fastapi_moved.json")  # 301 to /repositories/{id}
    add_recording(mock_http, "github/repo_fastapi_fastapi_by_id.json")
    serve_no_tag(mock_http)

    assert cli.main(["track", "tiangolo/fastapi", "--db", str(seeded), "--no-fetch"]) == cli.EXIT_OK
    assert "GitHub renamed tiangolo/fastapi to fastapi/fastapi" in capsys.readouterr().out
    # the catalogue knows the repository under its name today: its id, packages and conda come with it
    assert query(seeded, "select project_id, github_repo, pypi, source_fields from tracked_project") == [
        ("fastapi", "fastapi/fastapi", ["fastapi"], '{"conda": ["fastapi"]}')
    ]


# --- refusals: exit 2, nothing stored -------------------------------------------------------------------------

REFUSALS = {
    "unknown package": (["pypi:nosuchpackage-zzz"], ["pypi/pypi_json_not_found_nosuchpackage-zzz.json"],
                        "PyPI knows no package nosuchpackage-zzz (HTTP 404)"),
    "unknown repository": (["nosuchowner/nosuchrepo"], ["github/repo_not_found.json"],
                           "GitHub knows no such public repository (HTTP 404: unknown or private)"),
    "private repository": (["some-company/internal-tool"], ["github/repo_private.json"],
                           "some-company/internal-tool: GitHub knows no such public repository"),
    "typo": (["polras"], ["pypi/pypi_json_not_found_polras.json"], "did you mean polars (pola-rs/polars)?"),
    "package without a repository": (["pypi:docutils"], ["pypi/pypi_json_docutils.json"],
                                     "PyPI package docutils names no GitHub repository"),
    "malformed": (["not a/valid/argument"], [], "malformed; give a project NAME, OWNER/REPO or pypi:PACKAGE"),
    "curated already": (["pytorch"], [], "already curated as pytorch in data/projects.toml"),
    "one of several": (["polars", "pypi:nosuchpackage-zzz"],
                       ["github/repo_pola-rs_polars.json", "pypi/pypi_json_not_found_nosuchpackage-zzz.json"],
                       "nothing stored: 1 of 2 arguments refused, so polars was not stored either"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_argument_exits_2_and_changes_nothing(case: str, seeded: Path, mock_http, capsys):
    arguments, recordings, reason = REFUSALS[case]
    for name in recordings:
        add_recording(mock_http, name)
    serve_no_tag(mock_http)
    before = fingerprint(seeded)

    code = cli.main(["track", *arguments, "--db", str(seeded)])

    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert reason in err and "Traceback" not in err
    assert all(line.startswith("ecotrends: ") for line in err.splitlines())
    assert fingerprint(seeded) == before


# --- fetching, collecting, untracking -----------------------------------------------------------------------


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, clock_at) -> FakeAPI:
    with FakeAPI() as api:
        for variable, url in api.env().items():
            monkeypatch.setenv(variable, url)
        clock_at(FAKE_DAY)
        monkeypatch.setattr(http, "TIMEOUT", (2, 2))
        yield api


def test_track_fetches_the_history_then_collect_keeps_it_current(tmp_path: Path, fake: FakeAPI, capsys, clock_at):
    db = tmp_path / "store.duckdb"

    assert cli.main(["track", "pypi:polars", "--db", str(db), "--no-progress"]) == cli.EXIT_OK

    err = capsys.readouterr().err
    assert "follow on the next ecotrends collect" in err
    runs = query(db, "select source, command, status from collection_run order by source, run_id")
    assert runs == [("github", "track", "ok"), ("pypi", "track", "ok"), ("pypi", "track", "ok")]
    # the whole star history (jax's recorded pages serve every repository) and today's counters, 180 days of PyPI
    assert query(db, "select count(*) > 1000, min(date) from observation where subject = 'pola-rs/polars' "
                     "and metric = 'stars_given_retained'") == [(True, datetime(2018, 10, 21).date())]  # fmt: skip
    assert query(db, "select value from observation where subject = 'pola-rs/polars' and metric = 'stars'") == [
        (37650,)
    ]
    assert query(db, "select count(*) from observation where subject = 'polars' and source = 'pypi' "
                     "and metric = 'downloads_without_mirrors'") == [(180,)]  # fmt: skip

    clock_at(datetime(2023, 12, 11, 8, 0))
    assert cli.main(["collect", "--db", str(db), "--source", "github", "--no-progress"]) == cli.EXIT_OK
    assert query(db, "select max(date) from observation where subject = 'pola-rs/polars' and metric = 'stars'") == [
        (datetime(2023, 12, 11).date(),)
    ]
    assert cli.main(["status", "--db", str(db)]) == cli.EXIT_OK
    assert "polars: polars; repository pola-rs/polars" in capsys.readouterr().out

    stored = query(db, "select count(*) from observation where subject in ('pola-rs/polars', 'polars')")
    assert cli.main(["untrack", "polars", "--db", str(db)]) == cli.EXIT_OK
    assert "observations stay" in capsys.readouterr().out
    assert query(db, "select count(*) from tracked_project") == [(0,)]
    assert query(db, "select count(*) from observation where subject in ('pola-rs/polars', 'polars')") == stored
    clock_at(datetime(2023, 12, 12, 8, 0))
    assert cli.main(["collect", "--db", str(db), "--source", "github", "--no-progress"]) == cli.EXIT_OK
    assert query(db, "select max(date) from observation where subject = 'pola-rs/polars' and metric = 'stars'") == [
        (datetime(2023, 12, 11).date(),)
    ], "an untracked project is no longer collected"


def test_a_failing_source_still_stores_the_others_and_exits_1(tmp_path: Path, fake: FakeAPI, capsys):
    db = tmp_path / "store.duckdb"
    fake.faults["pypistats"] = "500"

    assert cli.main(["track", "pypi:polars", "--db", str(db), "--no-progress"]) == cli.EXIT_PARTIAL

    assert query(db, "select project_id from tracked_project") == [("polars",)]
    statuses = query(db, "select source, status from collection_run order by run_id")
    assert ("github", "ok") in statuses and ("pypi", "failed") in statuses
    assert query(db, "select count(*) > 0 from observation where subject = 'pola-rs/polars'") == [(True,)]
    assert "pypi collect: failed" in capsys.readouterr().err


def test_untrack_of_an_unknown_project_exits_2(seeded: Path, capsys):
    assert cli.main(["untrack", "nosuch", "--db", str(seeded)]) == cli.EXIT_USAGE
    assert "not tracked: nosuch" in capsys.readouterr().err


def test_track_list_without_a_database(tmp_path: Path, capsys):
    assert cli.main(["track", "--list", "--db", str(tmp_path / "none.duckdb")]) == cli.EXIT_OK
    assert "nothing is tracked" in capsys.readouterr().err


def test_stopped_clock_helper_is_available():
    with stopped_clock(FAKE_DAY):
        assert datetime.now().year == 2023
