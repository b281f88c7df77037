"""AppTest: every page renders on an empty and on a populated database; key interactions behave."""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import pages, queries, reader, sql_console, transforms
from collectors import inputs, interchange, schema, seed, store
from collectors.sources import trends
from collectors.store import Observation
from tests.collect_helpers import searched_as
from tests.conftest import RECORDED_NOW, stopped_clock

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app" / "streamlit_app.py")
PAGES = [page.name for page in pages.PAGES]


@pytest.fixture
def app_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ECOTRENDS_DB", str(path))
    queries.st.cache_data.clear()
    return path


@pytest.fixture(scope="module")
def populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped history (the seed) plus a Trends website export, an arXiv series and a collected star count,
    built once; each test gets its own copy."""
    tmp_path = tmp_path_factory.mktemp("populated")
    app_db = tmp_path / "template.duckdb"
    with stopped_clock(RECORDED_NOW):
        inputs.init_db(app_db)
        seed.load(app_db)
        rows = "".join(
            f"arxiv,{p},papers_mentioning,2023-{m:02d}-28,28,{n},test\n"
            for m in (1, 2)
            for p, n in (("pytorch", 140), ("tensorflow", 45))
        ) + "".join(f"arxiv,deep-learning,papers_total,2023-{m:02d}-28,28,10000,test\n" for m in (1, 2))
        extra = tmp_path / "extra.csv"
        extra.write_text("source,subject,metric,date,window_days,value,origin\n" + rows)
        interchange.import_files(app_db, [extra])
        trends.import_exports(app_db, [Path(__file__).parent / "fixtures" / "trends" / "multiTimeline.csv"])
        with store.connect(app_db) as conn:
            star = Observation("github", "pytorch/pytorch", "stars", date(2026, 11, 20), None, 99000, "test")
            store.upsert_observations(conn, [star])
            schema.refresh_summaries(conn)  # as every collection run does when it ends
    return app_db


@pytest.fixture
def populated(app_db: Path, populated_template: Path) -> Path:
    shutil.copy(populated_template, app_db)
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


CURATED = ["Apache MXNet", "JAX", "Keras", "PyTorch", "PyTorch Lightning", "TensorFlow"]
# What each page shows on the populated database: its title, its headings, and each chart's y axis with the
# projects drawn (the behaviour tests below check the figures themselves).
SHOWN = {
    "overview": ("Overview", ["Who leads", "Latest figures", "Freshness", "Claims"], []),
    "compare": ("Compare", [], [("stars", CURATED)]),
    "claims": ("Claims", ["Report cards", "Evidence", "Contradictions between articles",
                          "☑️ partly supported: Since its release TensorFlow has grown into a leading power in machine "
                          "learning\\."], [("stars", CURATED)]),
    "check": ("Check an article", [], []),
    "arxiv": ("Research mentions", ["arXiv papers mentioning each project, per month",
                                    "Share among the chosen projects (arXiv)",
                                    "Share of all deep-learning papers (arXiv)",
                                    "Conference papers mentioning each framework (full text, yearly)",
                                    "Denominator: deep-learning papers per month"],
              [("papers per 30 days", ["PyTorch", "TensorFlow"]), ("% of their mentions", ["PyTorch", "TensorFlow"]),
               ("% of papers in cs.LG, cs.CV, cs.CL, cs.AI, cs.NE, stat.ML", ["PyTorch", "TensorFlow"]),
               ("papers per year", ["PyTorch", "TensorFlow"])]),
    "github": ("GitHub", ["Stars shown on each day"], [("stars", CURATED)]),
    "pypi": ("PyPI downloads", ["Downloads per 30 days (top-PyPI lists, monthly)"],
             [("downloads per 30 days", CURATED)]),
    "trends": ("Google Trends interest", ["Interest, export 2021-11-21..2026-11-15 (weekly)"],
               [("interest (0-100)", ["PyTorch", "TensorFlow"])]),
    "data": ("Data", ["Collection runs", "Coverage and gaps per series", "Download a view", "SQL console (read-only)"],
             []),
}  # fmt: skip


def charts_of(at: AppTest) -> list[tuple[str, list[str]]]:
    """Each chart's y-axis title and the sorted names of its lines."""
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [(f["layout"]["yaxis"]["title"]["text"], sorted(t["name"] for t in f["data"])) for f in figures]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_a_populated_database_shows_its_data(populated: Path, page: str):
    at = render(page)
    title, headings, charts = SHOWN[page]
    assert [t.value for t in at.title] == [title]
    assert [h.value for h in (*at.header, *at.subheader)] == headings
    assert charts_of(at) == charts
    assert not at.error or page == "overview"


def test_overview_shows_projects_and_verdict_summary(populated: Path):
    at = render("overview")
    assert [tab.label for tab in at.tabs] == ["GitHub stars", "PyPI downloads", "Research mentions", "Search interest"]
    stars, downloads, research = (at.dataframe[i].value.set_index("Project") for i in range(3))
    assert set(stars.index) == {"TensorFlow", "PyTorch", "JAX", "Keras", "PyTorch Lightning", "Apache MXNet"}
    assert stars.at["PyTorch", "Latest"] == "99.0K"
    assert stars.at["PyTorch", "as of"] == "2026-11-20", "a date, not a timestamp; two days old is fresh"
    assert stars.at["JAX", "as of"] == "2025-06-26 ⚠ stale"
    assert downloads.at["PyTorch", "Latest per 30 days"] == "84.5M", "the shipped 30-day windows count"
    assert research.at["PyTorch", "share of the tracked, last year"] == "75.7%", "arXiv months stored: 140 of 185"
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["✅ supported"]) > 0 and int(labels["➖ uncheckable"]) == 32


def test_overview_headlines_are_computed_from_the_data(populated: Path):
    text = " ".join(m.value for m in render("overview").markdown)
    assert "**GitHub stars**: TensorFlow leads with 197.2K on 2026-08-22, ahead of PyTorch" in text
    assert "since records began (2018-12-18)" in text
    assert "**PyPI downloads**: PyTorch leads with 84.5M per 30 days on 2026-03-31" in text
    assert "since 2024-05-01" in text
    assert "**Research mentions**: PyTorch leads" in text


def test_the_shipped_history_is_announced_with_its_last_day(populated: Path):
    notes = " ".join(m.value for m in render("overview").info)
    assert "real history shipped with ecotrends" in notes and "github up to 2026-11-20" in notes
    assert ".venv/bin/ecotrends collect" in notes


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
    reader.READER.close()  # the app process never writes; this test does, so it lets go of the file first
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
    # the 28-day arXiv window ending 2023-01-28 is drawn at its middle, 2023-01-14
    assert min(xs) == (date(2023, 1, 14) - date(2016, 8, 13)).days, "days since the repository's creation"
    assert at.query_params["show"] in ("values", ["values"]), "the URL follows the last change, not the one before"
    assert not at.exception


def url(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def figure_of(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def open_page(section: str, **params: str) -> AppTest:
    """A page of the app opened by its link (`params` as the URL's query), checked to have run without error."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"sections/{section}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def compare_page(**params: str) -> AppTest:
    return open_page("compare", **params)


def widget(at: AppTest, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def test_every_compare_control_answers_three_changes_in_a_row(populated: Path):
    """Each control changed three times in a row; every change must show at once, in the chart and the URL."""
    at = compare_page(series="stars")

    for chosen in (["pytorch"], ["pytorch", "tensorflow"], ["tensorflow"]):
        widget(at, "multiselect", "Projects").set_value(chosen).run()
        names = sorted(trace["name"] for trace in figure_of(at)["data"])
        assert widget(at, "multiselect", "Projects").value == chosen
        assert names == sorted({"pytorch": "PyTorch", "tensorflow": "TensorFlow"}[c] for c in chosen)
        assert url(at, "projects") == ",".join(chosen)

    widget(at, "multiselect", "Projects").set_value(["pytorch", "tensorflow"]).run()
    for scale in (True, False, True):
        widget(at, "toggle", "Log scale").set_value(scale).run()
        assert figure_of(at)["layout"]["yaxis"]["type"] == ("log" if scale else "linear")
        assert url(at, "log") == ("1" if scale else "0")

    for show, axis in (("share of total", "% of the chosen projects"), ("growth rate", "% change"),
                       ("index to 100", "index")):  # fmt: skip
        widget(at, "radio", "Show").set_value(show).run()
        assert figure_of(at)["layout"]["yaxis"]["title"]["text"].startswith(axis)
        assert url(at, "show") == show
        linear_only = show != "index to 100"
        log_scale = widget(at, "toggle", "Log scale")
        assert log_scale.disabled == linear_only, "log scale is offered only where it is drawn"
        assert ("linear axis" in (log_scale.help or "")) == linear_only, "and says why not"
        assert figure_of(at)["layout"]["yaxis"]["type"] == ("linear" if linear_only else "log")

    widget(at, "radio", "Show").set_value("values").run()
    for points in (7, 30, 1):
        widget(at, "slider", "Rolling mean (points)").set_value(points).run()
        assert widget(at, "slider", "Rolling mean (points)").value == points
        assert url(at, "rolling") == str(points)

    for aligned in (True, False, True):
        widget(at, "toggle", "Align by launch date").set_value(aligned).run()
        title = figure_of(at)["layout"].get("xaxis", {}).get("title", {}).get("text") or ""
        assert ("days since" in title) == aligned
        assert url(at, "align") == ("1" if aligned else "0")

    widget(at, "toggle", "Align by launch date").set_value(False).run()
    for series in ("papers", "downloads_snapshot", "stars"):
        widget(at, "selectbox", "Series").set_value(series).run()
        assert widget(at, "selectbox", "Series").value == series
        assert url(at, "series") == series
        assert queries.SERIES_BY_KEY[series].unit in figure_of(at)["layout"]["yaxis"]["title"]["text"]

    first, last = widget(at, "slider", "Date range").value  # the whole span to begin with
    for chosen in ((date(2020, 1, 1), date(2022, 1, 1)), (date(2021, 6, 1), date(2023, 1, 1)), (first, last)):
        widget(at, "slider", "Date range").set_value(chosen).run()
        assert tuple(widget(at, "slider", "Date range").value) == chosen
        shown = [d[:10] for trace in figure_of(at)["data"] for d in trace["x"]]
        assert min(shown) >= chosen[0].isoformat() and max(shown) <= chosen[1].isoformat()
        whole = chosen == (first, last)
        assert url(at, "dates") == (None if whole else f"{chosen[0]}..{chosen[1]}"), "the whole span is left out"


def test_compare_opens_on_the_choices_of_a_shared_link(populated: Path):
    at = compare_page(projects="keras,jax", series="downloads_snapshot", show="index to 100", log="1", rolling="3",
                      dates="2020-01-01..2022-12-31")  # fmt: skip
    assert tuple(widget(at, "slider", "Date range").value) == (date(2020, 1, 1), date(2022, 12, 31))
    shown = [d[:10] for trace in figure_of(at)["data"] for d in trace["x"]]
    assert min(shown) >= "2020-01-01" and max(shown) <= "2022-12-31"
    assert url(at, "dates") == "2020-01-01..2022-12-31"
    assert widget(at, "multiselect", "Projects").value == ["keras", "jax"]
    assert widget(at, "selectbox", "Series").value == "downloads_snapshot"
    assert widget(at, "radio", "Show").value == "index to 100"
    assert widget(at, "toggle", "Log scale").value is True
    assert widget(at, "slider", "Rolling mean (points)").value == 3


def plotted(values: object) -> list:
    """A trace's x or y as a list: plotly ships numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_growth_rate_is_per_calendar_month_and_a_gap_stays_a_gap(populated: Path):
    """The shipped JAX stars skip 2019-08 .. 2020-05: no change is drawn across those eleven months."""
    at = compare_page(projects="jax", series="stars", show="growth rate")
    (trace,) = figure_of(at)["data"]
    points = dict(zip((x[:10] for x in plotted(trace["x"])), plotted(trace["y"]), strict=True))
    assert "2019-07-31" in points and "2020-05-31" not in points
    assert points["2020-06-30"] is None or np.isnan(points["2020-06-30"]), "the month after the gap has no change"
    drawn = sorted(day for day, value in points.items() if value is not None and not np.isnan(value))
    assert drawn and all(points[d] < 85 for d in drawn), "no spike"
    assert any("Each change is from the month just before" in c.value for c in at.caption)


def test_growth_rate_is_from_the_period_just_before_and_never_from_zero():
    days = ["2019-05-15", "2019-06-15", "2019-07-15", "2020-06-15", "2020-07-15", "2020-08-15", "2020-09-15"]
    frame = pd.DataFrame({"project_id": "a", "date": pd.to_datetime(days), "value": [100, 110, 121, 500, 550, 0, 10],
                          "origin": "o"})  # fmt: skip
    grid, periods = transforms.growth_rate(frame, is_count=False)
    assert periods == "calendar months"
    changes = [None if pd.isna(v) else round(v, 6) for v in grid["value"]]
    assert changes == [None, 10.0, 10.0, None, 10.0, -100.0, None]
    assert [d.strftime("%Y-%m-%d") for d in grid["date"]] == [
        "2019-05-31", "2019-06-30", "2019-07-31", "2020-06-30", "2020-07-31", "2020-08-31", "2020-09-30"
    ]  # fmt: skip


def claim_links(at: AppTest) -> list[str]:
    """The claims listed on the report cards, by id (each is a link to its evidence)."""
    return [link.proto.query_string.removeprefix("claim=") for link in at.get("page_link")]


def test_every_claims_control_answers_three_changes_in_a_row(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    claims = queries.claim_checks(str(populated)).set_index("claim_id")
    assert claim_links(at) == list(claims.index), "every claim of every article, in the register's reading order"

    articles = list(dict.fromkeys(claims["article"]))
    for chosen in ([articles[0]], [articles[0], articles[1]], [articles[2]]):
        widget(at, "multiselect", "Article").set_value(chosen).run()
        assert set(claims.loc[claim_links(at), "article"]) == set(chosen)
        assert len(at.expander) == len(chosen)
    widget(at, "multiselect", "Article").set_value([]).run()

    for chosen in (["uncheckable"], ["supported"], ["contradicted", "partly_supported"]):
        widget(at, "multiselect", "Verdict").set_value(chosen).run()
        assert set(claims.loc[claim_links(at), "verdict"]) == set(chosen)
        assert url(at, "verdict") == ",".join(chosen)
    widget(at, "multiselect", "Verdict").set_value([]).run()

    for chosen in (["jax"], ["tensorflow"], ["pytorch-lightning", "pytorch"]):
        widget(at, "multiselect", "Subject").set_value(chosen).run()
        involved = claims.loc[claim_links(at), "involves"]
        assert len(involved) and all(any(x.strip() in chosen for x in row.split(",")) for row in involved)
    widget(at, "multiselect", "Subject").set_value([]).run()

    for claim_id in ("tech-matchups-pytorch-stars-2023", "choosing-guide-two-horse-race", "aftab-2023-tf-release-2015"):
        widget(at, "selectbox", "Claim").set_value(claim_id).run()
        assert widget(at, "selectbox", "Claim").value == claim_id
        assert url(at, "claim") == claim_id
        assert claims.at[claim_id, "statement"][:30] in at.subheader[0].value
        assert at.get("plotly_chart"), f"{claim_id} is shown with its chart"


def test_claims_page_opens_on_a_claim_with_a_chart_and_follows_links(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    first = widget(at, "selectbox", "Claim").value
    assert queries.claim_checks(str(populated)).set_index("claim_id").at[first, "verdict"] != "uncheckable"
    assert at.get("plotly_chart")

    at.query_params["claim"] = "tech-matchups-tf-stars-2023"  # a link from a report card or from Compare
    at.run()
    assert widget(at, "selectbox", "Claim").value == "tech-matchups-tf-stars-2023"


def test_claims_report_card_summarises_each_article(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    labels = [expander.label for expander in at.expander]
    assert len(labels) == 5
    tech = next(label for label in labels if label.startswith("Tech Matchups"))
    assert "claims:" in tech and "supported" in tech


def test_a_filter_that_leaves_nothing_says_why(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.query_params["verdict"] = "contradicted"
    at.query_params["subject"] = "pytorch-lightning"
    at.run()
    assert any("No claim matches all of these filters" in info.value for info in at.info)


def test_claims_filters_by_verdict_and_shows_the_explanation(populated: Path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    widget(at, "multiselect", "Verdict").set_value(["uncheckable"]).run()
    shown = claim_links(at)
    assert len(shown) == 32
    assert any("Not checkable" in m.value for m in at.markdown)


def test_sql_console_is_read_only_and_locked_down(populated: Path, tmp_path: Path):
    """Each escape is refused for its own reason: a refusal for another reason would hide a hole."""
    assert sql_console.console("select count(*) as n from observations")["n"][0] > 0
    readable = tmp_path / "readable.csv"
    readable.write_text("a\n1\n")
    read_only = "attached in read-only mode"
    no_files = "file system operations are disabled by configuration"
    locked = "the configuration has been locked"
    refused = {
        "create table x as select 1": read_only,
        "insert into project values ('a','a','a/a','a','a',null)": read_only,
        f"attach '{tmp_path / 'other.duckdb'}' as other": no_files,
        "install httpfs": no_files,
        "load httpfs": "Loading external extensions is disabled",
        f"copy (select 1) to '{tmp_path / 'out.csv'}'": no_files,
        f"select * from read_csv('{readable}')": no_files,
        "select * from read_text('/etc/passwd')": no_files,
        "set enable_external_access = true": locked,
        # the limits the console runs under cannot be lifted from inside it
        "set memory_limit = '64GB'": locked,
        "reset memory_limit": locked,
        "set threads = 64": locked,
        "set temp_directory = '/tmp'": locked,
        "set allowed_directories = ['/']": locked,
        "set autoload_known_extensions = true": locked,
    }
    for sql, reason in refused.items():
        with pytest.raises(sql_console.ConsoleError) as error:
            sql_console.console(sql)
        assert reason in str(error.value), (sql, str(error.value))
    assert not (tmp_path / "out.csv").exists()


def test_runaway_query_is_stopped_within_its_limit(populated: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sql_console, "CONSOLE_TIMEOUT_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        sql_console.console("select count(*) from range(100000000000) as a")
    assert time.monotonic() - started < 0.5 + sql_console.CONSOLE_START_SECONDS + 2, "killed if not interrupted"


MEMORY_PROBE = """
import resource, sys
from app import pages, queries, reader, sql_console
try:
    sql_console.console("select length(string_agg(repeat('x', 100000), '')) from range(200000)")
    outcome = "answered"
except sql_console.ConsoleError as exc:
    outcome = str(exc)
peaks = [resource.getrusage(who).ru_maxrss * 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(outcome.splitlines()[0], *peaks, sep="\\n")
"""


def test_a_console_query_cannot_take_the_apps_memory(populated: Path):
    """The query that grew the app to 3.4 GB: refused at the memory limit, both processes stay under 1 GB."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "ECOTRENDS_DB": str(populated)},
    )  # fmt: skip
    outcome, app_peak, console_peak = done.stdout.strip().splitlines()[-3:]
    assert outcome.startswith("OutOfMemoryException"), done.stdout + done.stderr
    assert int(app_peak) < 1024**3 and int(console_peak) < 1024**3, (app_peak, console_peak)


def data_page(**params: str) -> AppTest:
    return open_page("data", **params)


def download_buttons(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_data_page_offers_a_view_with_rows_and_its_downloads_stay(populated: Path):
    """On the shipped history the first view offered has rows; once prepared, CSV and Parquet stay offered through
    the page's reruns (another control used, the page run again) until another view is chosen."""
    at = data_page()
    assert widget(at, "selectbox", "View").value == "claim_checks"
    assert download_buttons(at) == []
    widget(at, "button", "Prepare downloads").click().run()
    claims = len(queries.claim_checks(str(populated)))
    assert claims > 60 and any(c.value == f"{claims:,} rows." for c in at.caption)
    assert download_buttons(at) == ["CSV", "Parquet"]
    at.run()
    assert download_buttons(at) == ["CSV", "Parquet"], "the buttons outlive a rerun"
    assert all(b.proto.ignore_rerun for b in at.get("download_button")), "a download does not rerun the page"
    widget(at, "selectbox", "View").set_value("github_stars_daily").run()
    assert download_buttons(at) == [] and url(at, "view") == "github_stars_daily"
    assert widget(data_page(view="github_stars_daily"), "selectbox", "View").value == "github_stars_daily"


def test_data_page_runs_table_shows_an_empty_cell_for_no_error(populated: Path):
    runs = data_page().dataframe[0].value
    assert len(runs) > 0 and runs["status"].eq("ok").any()
    assert runs["error"].map(lambda error: isinstance(error, str)).all(), "an empty cell, not None"
    assert set(runs.loc[runs["status"] == "ok", "error"]) == {""}


def test_streamlit_started_from_the_checkout_sends_no_usage_statistics():
    """`make app` runs Streamlit from the checkout, where .streamlit/config.toml turns its usage statistics off."""
    probe = "from streamlit import config; print(config.get_option('browser.gatherUsageStats'))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_human_numbers():
    from app.ui import human

    assert [human(65200), human(1_400_000), human(12), human(None), human(float("nan"))] == [
        "65.2K",
        "1.4M",
        "12",
        "—",
        "—",
    ]


# --- Check an article ----------------------------------------------------------------------------------------

ARTICLE = (ROOT / "tests" / "fixtures" / "articles" / "quick-take.txt").read_text(encoding="utf-8")
EDITOR = "check_editor_" + hashlib.sha256(ARTICLE.encode()).hexdigest()[:12]  # the candidates' editor, per article


def check_page() -> AppTest:
    at = render("check")
    at.text_area(key="check_text").input(ARTICLE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def verdicts_shown(at: AppTest) -> list[str]:
    return at.dataframe[-1].value["verdict"].tolist()


def test_a_pasted_article_is_judged_at_once_and_nothing_is_stored(populated: Path):
    before = query_claims(populated)
    at = check_page()
    assert verdicts_shown(at) == ["✅ supported", "🟠 inaccurate", "✅ supported", "✅ supported", "🟠 inaccurate",
                                  "✅ supported", "✅ supported"]  # fmt: skip
    shown = at.dataframe[-1].value
    assert "repository's creation" in shown["explanation"].iloc[1]  # PyTorch 2016: its repository, not its release
    assert shown["where"].iloc[2] == "table row 2 (line 7)"
    assert at.text_input(key="check_article_id").value == "pytorch-vs-tensorflow-a-quick"
    assert query_claims(populated) == before


def query_claims(db: Path) -> list[tuple]:
    with store.connect(db, read_only=True) as conn:
        return conn.execute("select claim_id from claim order by claim_id").fetchall()


def test_every_correction_of_a_candidate_takes_effect_three_times_in_a_row(populated: Path):
    at = check_page()
    editor = EDITOR
    corrections = [
        ({0: {"accept": False}}, 6, "🟠 inaccurate"),  # TensorFlow's release left out: six claims judged
        ({0: {"accept": False}, 1: {"period_start": "2017-01-01", "period_end": "2017-12-31"}}, 6, "✅ supported"),
        ({1: {"period_start": "2017-01-01", "period_end": "2017-12-31"}, 3: {"claimed_value": 20000.0}}, 7,
         "✅ supported"),
    ]  # fmt: skip
    for edits, judged, pytorch_release in corrections:
        at.session_state[editor] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        shown = at.dataframe[-1].value
        assert len(shown) == judged, edits
        assert shown[shown["where"] == "table row 1 (line 6)"]["verdict"].tolist()[-1] == pytorch_release
    assert "contradicted" in " ".join(verdicts_shown(at)), "20K stars for PyTorch in 2021 is far below its count"


def test_a_broken_correction_is_named_by_row_and_field_and_left_out(populated: Path):
    at = check_page()
    editor = EDITOR
    at.session_state[editor] = {"edited_rows": {2: {"period_start": "2021-13-01"}}, "added_rows": [],
                                "deleted_rows": []}  # fmt: skip
    at.run()
    assert any("row 3" in w.value and "must be ISO dates" in w.value and "#1" not in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    assert len(at.dataframe[-1].value) == 6


def test_fetching_an_article_offline_says_why(populated: Path):
    at = render("check")
    at.radio(key="check_from").set_value("url").run()
    at.text_input(key="check_url").input("https://ecotrends.invalid/post")
    at.button[0].click().run()
    assert any("cannot connect" in e.value and "ecotrends.invalid" in e.value for e in at.error)


def test_with_many_projects_pages_open_on_the_eight_most_starred(app_db: Path, tmp_path: Path):
    """Hundreds of tracked projects: the pages chart the most-starred eight by default, read from the summary."""
    from app import ui
    from collectors.config import Project

    tracked = [
        Project(f"p{i:02d}", f"P {i}", f"org/p{i:02d}", (f"p{i:02d}",), source_fields=searched_as(f"p {i}"))
        for i in range(12)
    ]
    inputs.init_db(app_db, tracked)
    stars = tmp_path / "stars.csv"
    stars.write_text("source,subject,metric,date,window_days,value,origin\n" + "".join(
        f"github,org/p{i:02d},stars,2026-01-0{day},,{(i * 37) % 12 * 100 + day},test\n"
        for i in range(12) for day in (1, 2)
    ))  # fmt: skip
    interchange.import_files(app_db, [stars])
    ids = [project.id for project in tracked]
    by_stars = sorted(ids, key=lambda p: -((int(p[1:]) * 37) % 12))
    assert ui.default_projects(str(app_db), ids) == by_stars[:8]
    assert ui.default_projects(str(app_db), ids[:5]) == ids[:5], "a few projects: all of them"


def search_for(at: AppTest, text: str) -> list:
    """Type into the sidebar's search box; the buttons it offers, one per project found."""
    widget(at, "text_input", "Find any project").set_value(text).run()
    assert not at.exception, [e.message for e in at.exception]
    return [b for b in at.sidebar.button if b.label.startswith("+ ")]


def test_any_catalogue_project_is_found_added_and_kept_in_the_link_three_times(populated: Path):
    """As star-history's box: type a name, an owner/repo or a PyPI name, click, and it is on the chart and in the
    URL; three projects in a row, each found by a different kind of name."""
    at = compare_page(series="stars", projects="pytorch")
    expected = ["pytorch"]
    for text, project, trace in (("Polars", "polars", "polars"), ("pallets/flask", "flask", "flask"),
                                 ("scikit_learn", "scikit-learn", "scikit-learn")):  # fmt: skip
        found = search_for(at, text)
        assert found, f"nothing found for {text!r}"
        assert found[0].label.startswith(f"+ {trace}"), [b.label for b in found]
        found[0].click().run()
        expected.append(project)
        assert widget(at, "multiselect", "Projects").value == expected
        assert url(at, "projects") == ",".join(expected)
        assert trace in {t["name"] for t in figure_of(at)["data"]}
        assert widget(at, "text_input", "Find any project").value == "", "the box is cleared after a pick"

    shared = compare_page(series="downloads_snapshot", projects=",".join(expected))  # the link, opened again
    assert widget(shared, "multiselect", "Projects").value == expected
    assert {"polars", "flask", "PyTorch"} <= {t["name"] for t in figure_of(shared)["data"]}


def test_a_search_that_finds_nothing_says_how_to_track_the_project(populated: Path):
    at = compare_page(series="stars")
    assert search_for(at, "no-such-project-anywhere") == []
    assert "ecotrends track no-such-project-anywhere" in " ".join(c.value for c in at.sidebar.code)


def test_a_link_naming_an_unknown_project_keeps_the_known_ones(populated: Path):
    at = compare_page(series="stars", projects="pytorch,nosuch/thing,duckdb")
    assert widget(at, "multiselect", "Projects").value == ["pytorch", "duckdb"]


@pytest.mark.parametrize("page", ["github", "pypi"])
def test_source_pages_chart_a_catalogue_project_found_by_search(populated: Path, page: str):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"sections/{page}.py")
    at.run()
    found = search_for(at, "fastapi")
    found[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "fastapi" in widget(at, "multiselect", "Projects").value
    charted = [{t["name"] for t in json.loads(chart.proto.spec)["data"]} for chart in at.get("plotly_chart")]
    assert any("fastapi" in names for names in charted)


def test_adding_a_project_never_recolours_those_already_drawn():
    import pandas as pd

    from app import ui

    curated = pd.DataFrame({"project_id": ["pytorch", "tensorflow"], "color": ["#0072B2", "#E69F00"]})
    before = ui.colors(pd.concat([curated, pd.DataFrame({"project_id": ["flask"], "color": [None]})]))
    after = ui.colors(pd.concat([curated, pd.DataFrame({"project_id": ["flask", "duckdb"], "color": [None, None]})]))
    assert after["flask"] == before["flask"] and after["pytorch"] == "#0072B2"
    assert len(set(after.values())) == 4, "no two projects on a chart share a colour"
