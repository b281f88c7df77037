"""The history shipped in data/seed/: loaded into a new database, never over collected values, real and traced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from collectors import cli, seed, store
from collectors.store import Observation
from tests.conftest import CATALOGUE_FIXTURE, query


def test_a_new_database_gets_the_shipped_history_in_one_command(tmp_path: Path, capsys):
    db = tmp_path / "new.duckdb"
    assert cli.main(["seed", "--if-needed", "--db", str(db)]) == cli.EXIT_OK
    assert "loaded the shipped history" in capsys.readouterr().err
    counts = dict(query(db, "select source, count(*) from observation group by source"))
    shipped = pd.read_parquet(seed.OBSERVATIONS)["source"].value_counts().to_dict()
    assert shipped == {"github": 42322, "pypi": 2266, "papers": 24}
    catalogue = pd.read_parquet(CATALOGUE_FIXTURE / "observations.parquet")["source"].value_counts().to_dict()
    assert counts == {source: shipped.get(source, 0) + catalogue.get(source, 0) for source in {*shipped, *catalogue}}
    runs = query(db, "select distinct command from collection_runs")
    assert runs == [("seed",)], "shipped history is recorded as such, never as a collection"

    assert cli.main(["seed", "--if-needed", "--db", str(db)]) == cli.EXIT_OK
    assert "already holds the shipped history" in capsys.readouterr().err


def test_every_shipped_row_keeps_its_origin(seeded: Path):
    unnamed = query(seeded, "select count(*) from observation where origin is null or origin = ''")[0][0]
    assert unnamed == 0
    origins = {row[0] for row in query(seeded, "select distinct split_part(origin, ' ', 1) from observation")}
    archives = {"EvanLi/Github-Ranking", "hugovk/top-pypi-packages", "Chillee/pytorch-vs-tensorflow",
                "ml-tooling/best-of-ml-python", "ml-tooling/best-of-python", "ml-tooling/best-of-web-python",
                "ml-tooling/best-of-python-dev"}  # fmt: skip
    assert origins <= archives
    assert {"EvanLi/Github-Ranking", "hugovk/top-pypi-packages", "Chillee/pytorch-vs-tensorflow"} <= origins
    assert query(seeded, "select count(*) from subject_event where origin = ''")[0][0] == 0


def test_a_known_real_figure_is_shipped(seeded: Path):
    """pytorch/pytorch showed 61,332 stars in EvanLi's list of 2023-01-01."""
    assert query(
        seeded, "select stars from github_stars_daily where repo = 'pytorch/pytorch' and date = '2023-01-01'"
    ) == [(61332,)]
    milestones = dict(query(seeded, "select milestone, date from project_milestones where project_id = 'pytorch'"))
    assert milestones == {
        "repository_created": date(2016, 8, 13),
        "first_public_release": date(2017, 1, 18),
        "first_pypi_upload": date(2017, 2, 16),
    }


def test_loading_again_never_overwrites_collected_values(seeded: Path):
    key = ("github", "pytorch/pytorch", "stars", date(2023, 1, 1))
    with store.connect(seeded) as conn:
        run_id = store.start_run(conn, "github", "collect")
        store.upsert_observations(conn, [Observation(*key, None, 61400, "GET /repos/pytorch/pytorch")], run_id)
        store.record_event(conn, "github", "pytorch/pytorch", "created", date(2016, 8, 13), "GET /repos")
        # a point the seed put there, changed since (an older seed): the seed may correct it
        conn.execute("update observation set value = 1 where subject = 'keras-team/keras' and date = '2023-01-01'"
                     " and metric = 'stars'")  # fmt: skip

    seed.load(seeded)

    assert query(seeded, "select value, origin from observation where subject = ? and date = ? and metric = 'stars'",
                 [key[1], key[3]]) == [(61400, "GET /repos/pytorch/pytorch")]  # fmt: skip
    assert query(seeded, "select origin from subject_event where subject = 'pytorch/pytorch'") == [("GET /repos",)]
    keras = query(seeded, "select value from observation where subject = 'keras-team/keras' and date = '2023-01-01' "
                          "and metric = 'stars'")  # fmt: skip
    assert keras[0][0] > 1, "a seeded point is corrected by the seed"


def test_collected_data_extends_the_shipped_series(seeded: Path):
    with store.connect(seeded) as conn:
        store.upsert_observations(
            conn, [Observation("github", "pytorch/pytorch", "stars", date(2026, 11, 22), None, 104000, "GET /repos")]
        )
    rows = query(seeded, "select date, stars from github_stars_daily where repo = 'pytorch/pytorch' order by date")
    assert rows[-2][0] == date(2026, 8, 22) and rows[-1] == (date(2026, 11, 22), 104000)


def test_the_seed_files_are_small_and_in_the_interchange_format():
    frame = pd.read_parquet(seed.OBSERVATIONS)
    assert list(frame.columns) == ["source", "subject", "metric", "date", "window_days", "value", "origin"]
    assert seed.OBSERVATIONS.stat().st_size < 3 * 2**20
    assert len(seed.read_events()) == 26
