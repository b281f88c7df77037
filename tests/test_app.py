"""AppTest: every page renders on an empty and on a populated database; key interactions behave."""

import base64
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app import queries
from collectors import interchange, store
from collectors.store import Observation
from tests.conftest import SHARED

APP = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")
PAGES = ("overview", "compare", "claims", "github", "pypi", "arxiv", "trends", "data")
SNAPSHOT = SHARED / "snapshot" / "observations"


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ECOTRENDS_DB", str(path))
    queries.st.cache_data.clear()
    return path


@pytest.fixture
def populated(app_db: Path, tmp_path: Path) -> Path:
    """Real history through the importer (the snapshot) plus a Trends website export and an arXiv series."""
    store.init_db(app_db)
    files = sorted(SNAPSHOT.glob("*.csv")) if SNAPSHOT.exists() else []
    rows = "".join(
        f"arxiv,{p},papers_mentioning,2023-{m:02d}-28,28,{n},test\n"
        for m in (1, 2)
        for p, n in (("pytorch", 140), ("tensorflow", 45))
    ) + "".join(f"arxiv,deep-learning,papers_total,2023-{m:02d}-28,28,10000,test\n" for m in (1, 2))
    extra = tmp_path / "extra.csv"
    extra.write_text("source,subject,metric,date,window_days,value,origin\n" + rows)
    interchange.import_files(app_db, [*files, extra])
    interchange.import_trends_export(app_db, Path(__file__).parent / "fixtures" / "trends" / "multiTimeline.csv")
    with store.connect(app_db) as conn:
        store.upsert_observations(
            conn, [Observation("github", "pytorch/pytorch", "stars", date(2026, 11, 20), None, 99000, "test")]
        )
        store.refresh_summaries(conn)  # as every collection run does when it ends
    return app_db


def render(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"sections/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_database_says_how_to_fill_it(app_db: Path, page: str):
    at = render(page)
    text = " ".join(m.value for m in at.info)
    assert "ecotrends" in text, f"{page}: empty state names the command that fills it"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_a_populated_database(populated: Path, page: str):
    at = render(page)
    assert not at.error or page == "overview"


def test_overview_shows_projects_and_verdict_summary(populated: Path):
    at = render("overview")
    table = at.dataframe[0].value
    assert set(table["Project"]) == {"TensorFlow", "PyTorch", "JAX", "Keras", "PyTorch Lightning"}
    assert table.set_index("Project").at["PyTorch", "Stars"] == "99.0K"
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["supported"]) > 0 and int(labels["uncheckable"]) == 31


def test_compare_choices_are_kept_in_the_url(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/compare.py")
    at.query_params["projects"] = "pytorch,tensorflow"
    at.query_params["series"] = "arxiv"
    at.run()
    assert not at.exception
    assert at.multiselect[0].value == ["pytorch", "tensorflow"]
    links = at.get("page_link")
    assert any("claim=" in (link.proto.query_string or "") for link in links), "each claim opens from Compare"
    at.radio[0].set_value("share of total").run()
    queries._READER.close()  # the app process never writes; this test does, so it lets go of the file first
    with store.connect(populated) as conn:
        store.record_event(conn, "github", "pytorch/pytorch", "created", date(2016, 8, 13), "test")
    queries.st.cache_data.clear()
    at.radio[0].set_value("values").run()
    at.toggle[1].set_value(True).run()  # align by launch date
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    pytorch = next(trace for trace in figure["data"] if trace["name"] == "PyTorch")
    xs = pytorch["x"]
    if isinstance(xs, dict):  # plotly ships numeric arrays as base64 typed arrays
        xs = np.frombuffer(base64.b64decode(xs["bdata"]), dtype=xs["dtype"])
    assert min(xs) == (date(2023, 1, 28) - date(2016, 8, 13)).days, "days since the repository's creation"
    assert at.query_params["show"] in ("share of total", ["share of total"])
    assert not at.exception


def test_claims_filters_by_verdict_and_shows_the_explanation(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    verdict_filter = next(m for m in at.multiselect if m.label == "Verdict")
    verdict_filter.set_value(["uncheckable"]).run()
    shown = at.dataframe[0].value
    assert len(shown) == 31 and shown["verdict"].str.contains("uncheckable").all()
    assert any("Not checkable" in m.value for m in at.markdown)


def test_sql_console_is_read_only_and_locked_down(populated: Path, tmp_path: Path):
    assert queries.console("select count(*) as n from observations")["n"][0] > 0
    refused = [
        "create table x as select 1",
        "insert into project values ('a','a','a/a','a','a',null)",
        f"attach '{tmp_path / 'other.duckdb'}' as other",
        "install httpfs",
        "load httpfs",
        f"copy (select 1) to '{tmp_path / 'out.csv'}'",
        f"select * from read_csv('{populated}')",
        "set enable_external_access = true",
        "select * from read_text('/etc/passwd')",
    ]
    for sql in refused:
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do; the point is that none succeeds
            queries.console(sql)
    assert not (tmp_path / "out.csv").exists()


def test_runaway_query_is_stopped(populated: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(queries, "CONSOLE_TIMEOUT_SECONDS", 0.5)
    with pytest.raises(TimeoutError):
        queries.console("select count(*) from range(100000000000) as a")


def test_human_numbers():
    from app.ui import human

    assert [human(65200), human(1_400_000), human(12), human(None), human(float("nan"))] == [
        "65.2K",
        "1.4M",
        "12",
        "—",
        "—",
    ]
