from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors import store
from collectors.store import Observation

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ECOTRENDS_DB", str(path))
    return path


def render() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_database_says_what_is_missing_and_how_to_fill_it(app_db: Path):
    at = render()
    assert "ecotrends collect" in at.info[0].value


def test_populated_database_lists_its_series(app_db: Path):
    store.init_db(app_db)
    with store.connect(app_db) as conn:
        store.upsert_observations(
            conn,
            [Observation("github", "pytorch/pytorch", "stars", date(2023, 1, 1), None, 61332, "test")],
        )
    at = render()
    assert not at.info
    frames = [df.value for df in at.dataframe]
    assert any("pytorch/pytorch" in frame.to_string() for frame in frames)
