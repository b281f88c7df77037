"""The shipped catalogue: thousands of real projects with history, their identities, the search, and the rule that
curated projects and collected values always win."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from collectors import catalogue, config, inputs, seed, store
from collectors.store import Observation
from tests.conftest import CATALOGUE_FIXTURE, query

ROOT = Path(__file__).resolve().parents[1]
NAMED = ("pandas", "polars", "duckdb", "fastapi", "flask", "django")


def build_module():
    spec = importlib.util.spec_from_file_location("build_catalogue", ROOT / "data" / "seed" / "build_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_catalogue", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_shipped_catalogue_answers_for_thousands_of_projects_offline(monkeypatch, tmp_path: Path):
    """The real data/seed/catalogue/, loaded as `make app` loads it: at least 1,000 repositories with stars and 5,000
    packages with downloads, and 2025 stars and downloads for the projects users ask about first."""
    monkeypatch.setenv("ECOTRENDS_CATALOGUE", str(config.DEFAULT_CATALOGUE))
    db = tmp_path / "full.duckdb"
    inputs.init_db(db)
    seed.load(db)
    repos, packages = query(
        db, "select count(*) filter (where stars is not null), count(*) filter (where downloads_30d is not null) "
        "from project_directory",
    )[0]  # fmt: skip
    assert repos >= 1000 and packages >= 5000, (repos, packages)
    in_2025 = query(
        db,
        "select project_id, metric, count(*) from project_series where project_id in (select unnest(?)) "
        "and year(date) = 2025 and metric in ('stars', 'downloads') group by all order by all",
        [list(NAMED)],
    )
    assert {(p, m) for p, m, n in in_2025 if n >= 10} == {(p, m) for p in NAMED for m in ("stars", "downloads")}
    verdicts = dict(query(db, "select verdict, count(*) from claim_checks group by verdict"))
    expected = {"supported": 18, "partly_supported": 4, "inaccurate": 3, "contradicted": 1, "uncheckable": 32,
                "no_data": 5}  # fmt: skip
    assert verdicts == expected, "the catalogue changes no verdict of the register"
    headline_projects = {row[0] for row in query(db, "select distinct project_id from signal_points")}
    assert headline_projects <= {row[0] for row in query(db, "select project_id from project")}


def test_every_catalogue_row_names_its_archive_and_every_project_its_basis(seeded: Path):
    unnamed = query(seeded, "select count(*) from observation where origin not like '% %'")[0][0]
    assert unnamed == 0
    bases = {row[0].split(":")[0] for row in query(seeded, "select basis from known_projects where not curated")}
    assert bases <= {"best-of", "curated link", "repository only (EvanLi/Github-Ranking)",
                     "package only (hugovk/top-pypi-packages)"}  # fmt: skip


def test_a_curated_project_wins_its_id_repository_and_packages(monkeypatch, tmp_path: Path):
    """A catalogue entry that names a curated project's repository or package is left out; its rows stay stored
    under the curated project."""
    entries = pd.read_parquet(CATALOGUE_FIXTURE / "projects.parquet")
    clash = entries.iloc[:2].copy()
    clash["project_id"] = ["torch-copy", "pytorch"]
    clash["github_repo"] = ["pytorch/pytorch", "someone/else"]
    clash["pypi"] = [["torch-copy"], ["other-package"]]
    folder = tmp_path / "catalogue"
    folder.mkdir()
    pd.concat([entries, clash]).to_parquet(folder / "projects.parquet")
    (folder / "observations.parquet").write_bytes((CATALOGUE_FIXTURE / "observations.parquet").read_bytes())
    monkeypatch.setenv("ECOTRENDS_CATALOGUE", str(folder))
    db = tmp_path / "clash.duckdb"
    inputs.init_db(db)
    seed.load(db)
    owners = query(db, "select distinct project_id from project_subject where subject = 'pytorch/pytorch'")
    assert owners == [("pytorch",)]
    known = dict(query(db, "select project_id, curated from known_projects where project_id in ('pytorch', "
                           "'torch-copy', 'polars')"))  # fmt: skip
    assert known == {"pytorch": True, "polars": False}


def test_loading_the_catalogue_again_never_overwrites_collected_values(seeded: Path):
    with store.connect(seeded) as conn:
        day, value = conn.execute("select date, value from observation where source = 'github' and subject = "
                                  "'pola-rs/polars' and metric = 'stars' and year(date) = 2025 order by date limit 1"
                                  ).fetchone()  # fmt: skip
        key = ("github", "pola-rs/polars", "stars", day)
        shipped = (value,)
        run_id = store.start_run(conn, "github", "collect")
        store.upsert_observations(conn, [Observation(*key, None, shipped[0] + 7, "GET /repos/pola-rs/polars")], run_id)
    written = seed.load(seeded)
    assert written.get("github", 0) == 0 and written.get("bestof", 0) == 0, "a second load changes nothing"
    assert query(seeded, "select value, origin from observation where source = 'github' and subject = "
                         "'pola-rs/polars' and metric = 'stars' and date = ?", [day]) == [
        (shipped[0] + 7, "GET /repos/pola-rs/polars")
    ]


@pytest.mark.parametrize(
    ("text", "first"),
    [("polars", "polars"), ("Polars", "polars"), ("pola-rs/polars", "polars"), ("scikit_learn", "scikit-learn"),
     ("SCIKIT.LEARN", "scikit-learn"), ("torch", "pytorch"), ("freecodecamp", "freecodecamp/freecodecamp"),
     ("pallets/fl", "flask"), ("htt", "httpx")],
)  # fmt: skip
def test_search_finds_a_project_by_any_of_its_names(seeded: Path, text: str, first: str):
    with store.connect(seeded, read_only=True) as conn:
        found = catalogue.search(conn, text)
    assert found["project_id"].iloc[0] == first, found[["project_id", "name", "github_repo"]].to_string()


def test_search_puts_exact_names_before_prefixes_and_finds_nothing_for_nonsense(seeded: Path):
    with store.connect(seeded, read_only=True) as conn:
        assert catalogue.search(conn, "no-such-project-anywhere").empty
        found = catalogue.search(conn, "requests")
    assert found["project_id"].iloc[0] == "requests"
    with store.connect(seeded, read_only=True) as conn:
        found = catalogue.search(conn, "a", limit=5)
    assert len(found) == 5


# --- the identity rule (data/seed/build_catalogue.py) ---------------------------------------------------------


def best_of_rows(*rows: dict) -> pd.DataFrame:
    defaults = {"updated_github_id": "", "pypi_id": "", "conda_id": "", "created_at": "", "date": "2024-01-04",
                "list": "ml-tooling/best-of-python", "origin": "test"}  # fmt: skip
    return pd.DataFrame([{**defaults, **row} for row in rows])


def test_a_best_of_list_naming_repository_and_package_together_links_them():
    build = build_module()
    entries, ambiguous = build.identities(best_of_rows(
        {"name": "Polars", "github_id": "pola-rs/polars", "pypi_id": "polars", "conda_id": "conda-forge/polars",
         "created_at": "2020-05-13 07:45:04.000"},
    ))  # fmt: skip
    entry = entries["pola-rs/polars"]
    assert (entry.packages, entry.conda, entry.created) == ({"polars"}, {"polars"}, "2020-05-13")
    assert ambiguous == []


def test_a_renamed_repository_is_filed_under_its_new_name():
    build = build_module()
    entries, _ = build.identities(best_of_rows(
        {"name": "fastapi", "github_id": "tiangolo/fastapi", "pypi_id": "fastapi", "date": "2023-01-05"},
        {"name": "fastapi", "github_id": "tiangolo/fastapi", "updated_github_id": "fastapi/fastapi",
         "pypi_id": "fastapi", "date": "2024-09-26"},
    ))  # fmt: skip
    assert list(entries) == ["fastapi/fastapi"]
    assert entries["fastapi/fastapi"].former == {"tiangolo/fastapi"}


def test_a_package_two_repositories_claim_is_listed_not_guessed():
    build = build_module()
    entries, ambiguous = build.identities(best_of_rows(
        {"name": "records", "github_id": "kennethreitz/records", "pypi_id": "records"},
        {"name": "records", "github_id": "kennethreitz-archive/records", "pypi_id": "records"},
    ))  # fmt: skip
    assert all(not entry.packages for entry in entries.values())
    assert [(a["name"], a["candidates"]) for a in ambiguous] == [
        ("records", "kennethreitz-archive/records;kennethreitz/records")
    ]


def test_a_name_match_alone_links_nothing():
    """A repository and a package of the same name, with no list naming them together, stay two projects."""
    build = build_module()
    entries, _ = build.identities(best_of_rows({"name": "duckdb", "github_id": "duckdb/duckdb"}))
    assert entries["duckdb/duckdb"].packages == set()


def test_the_shipped_catalogue_files_fit_the_budget():
    sizes = sum(path.stat().st_size for path in config.DEFAULT_CATALOGUE.iterdir())
    assert sizes <= 30 * 2**20, f"{sizes / 2**20:.1f} MB"
    frame = duckdb.sql(f"select * from read_parquet('{config.DEFAULT_CATALOGUE / 'observations.parquet'}') limit 1")
    assert frame.columns == ["source", "subject", "metric", "date", "window_days", "value", "origin"]


def test_claims_about_catalogue_projects_are_judged_on_their_evidence(seeded: Path):
    """A register may name any catalogue project: its stars, downloads and creation are judged as the curated
    projects' are (tests/fixtures/catalogue/dataframes_register.toml; DuckDB's repository has no creation date in
    the archives, so its release claim has no data)."""
    from collectors import claims

    articles, proposed = claims.parse_register(
        (CATALOGUE_FIXTURE / "dataframes_register.toml").read_text(encoding="utf-8"), "dataframes_register.toml"
    )
    with store.connect(seeded, read_only=True) as conn:
        checks = inputs.judge_unregistered(conn, articles, proposed).set_index("claim_id")
    assert checks.loc["df-polars-stars", "verdict"] == "supported"
    assert "polars ranged from 31,329 (2025-01-12)" in checks.loc["df-polars-stars", "explanation"]
    assert checks.loc["df-pandas-more-downloads", "verdict"] == "supported"
    assert checks.loc["df-duckdb-release", "verdict"] == "no_data"
    milestones = dict(query(seeded, "select project_id, date from project_milestones where project_id in "
                                    "('polars', 'fastapi') and milestone = 'repository_created'"))  # fmt: skip
    assert milestones == {"polars": date(2020, 5, 13), "fastapi": date(2018, 12, 8)}


def test_a_checkout_without_the_catalogue_still_loads_the_curated_history(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("ECOTRENDS_CATALOGUE", str(tmp_path / "none"))
    db = tmp_path / "bare.duckdb"
    inputs.init_db(db)
    written = seed.load(db)
    assert written["github"] > 0 and "bestof" not in written
    assert query(db, "select count(*) from catalogue_project") == [(0,)]
