"""End to end: the real app under `streamlit run`, driven in headless Chromium, every page opened."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from app.pages import PAGES
from collectors import inputs, seed, store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "tests" / "screenshots"
FAILED_RUN_ERROR = (
    "tensorflow/tensorflow: GET https://api.github.com/repos/tensorflow/tensorflow: cannot connect: "
    "Failed to resolve 'api.github.com' ([Errno -3] Temporary failure in name resolution); not retried"
)
FAILED_RUN_SHOWN = re.compile(r"Last (collect|backfill|import|seed) (failed|partial)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("browser") / "app.duckdb"
    inputs.init_db(db)
    seed.load(db)  # what `make app` loads into a new database
    with store.connect(db) as conn:  # a failed collection whose error names a URL, as offline runs do
        run_id = store.start_run(conn, "github", "collect")
        store.finish_run(conn, run_id, "failed", 0, 1, FAILED_RUN_ERROR)
    port = free_port()
    env = {**os.environ, "ECOTRENDS_DB": str(db)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def chromium_page(height: int = 1000, downloads: bool = False) -> Iterator:
    """A page of headless Chromium 1400 px wide; the browser is closed however the test ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": height}, accept_downloads=downloads)
        finally:
            browser.close()


def test_every_page_renders_without_errors_in_chromium(app_url: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    with chromium_page() as page:
        for app_page in PAGES:
            name = app_page.name
            page.goto(f"{app_url}/{app_page.url_path}", wait_until="domcontentloaded")
            page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
            page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=60_000)
            page.wait_for_timeout(500)
            errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").all_inner_texts()
            errors = [e for e in errors if not FAILED_RUN_SHOWN.search(e)]  # failed runs are data, not page errors
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            if errors:
                failures.append((name, errors))
    assert failures == [], failures


def settled(page) -> None:
    """Wait until Streamlit has finished the run a click started."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=60_000)


def type_into(page, label: str, text: str) -> None:
    """Type into the text or number field of that label and press Enter, as a person does, then wait for the run."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    settled(page)


def chart(page, expression: str) -> object:
    """Evaluate an expression on the first Plotly figure of the page (`figure` is its DOM node)."""
    return page.evaluate(f"() => {{ const figure = document.querySelector('.js-plotly-plot'); return {expression}; }}")


def shown_within(page, probe: Callable[[], object], expected: object) -> object:
    """What probe() reads once it equals `expected`, or after a few seconds what it reads then: a click ignored
    keeps showing the old value, while a busy machine only takes longer to show the new one."""
    deadline = time.monotonic() + 15
    value = probe()
    while value != expected and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        value = probe()
    return value


def open_options(page):
    """Open the page's first select box; its list of options. A click that lands while a run redraws the box
    is lost (the box is replaced), so opening is tried again: the picking, not the opening, is under test."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    options = page.locator("[role='option']")
    for _ in range(3):
        page.locator("[data-testid='stSelectbox'] button[aria-label='Open']").first.click()
        try:
            options.first.wait_for(state="visible", timeout=5_000)
            return options
        except PlaywrightTimeout:
            settled(page)
    raise AssertionError("the select box did not open in three clicks")


def wait_for_chart(page, expression: str, expected: object) -> object:
    """The chart must show `expected` within a few seconds of the click."""
    return shown_within(page, lambda: chart(page, f"figure && ({expression})"), expected)


def test_controls_answer_every_click_in_chromium(app_url: str):
    """As a person uses the page: each control clicked three times in a row, each click seen on the chart."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        page.goto(f"{app_url}/compare?series=stars&projects=tensorflow,pytorch,keras", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        settled(page)
        sidebar = page.locator("[data-testid='stSidebar']")

        seen = []
        for expected in ("log", "linear", "log"):
            sidebar.locator("label").filter(has_text="Log scale").click()
            settled(page)
            seen.append(wait_for_chart(page, "figure._fullLayout.yaxis.type", expected))
            page.screenshot(path=str(SCREENSHOTS / f"compare-log-{len(seen)}-{expected}.png"))
        assert seen == ["log", "linear", "log"], f"every click on Log scale must show: {seen}"

        counts = []
        for expected in (2, 1):  # remove a project tag, twice
            sidebar.locator("button[aria-label^='Remove ']").first.click()
            settled(page)
            counts.append(wait_for_chart(page, "figure.data.length", expected))
        assert counts == [2, 1], f"every removed tag must leave the chart: {counts}"

        titles = []
        for show, expected in (("share of total", "% of the chosen projects"),
                               ("growth rate", "% change from the previous period"), ("values", "stars")):  # fmt: skip
            sidebar.locator("label").filter(has_text=show).click()
            settled(page)
            titles.append(wait_for_chart(page, "figure._fullLayout.yaxis.title.text", expected))
        assert titles == ["% of the chosen projects", "% change from the previous period", "stars"], titles

        page.goto(f"{app_url}/claims", wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
        settled(page)
        statements = [text.strip() for text in open_options(page).all_inner_texts()]
        page.keyboard.press("Escape")
        picked = []
        for index in (3, 7, 1):  # picked as a person with a keyboard does: type to filter, Enter to choose
            statement = statements[index]
            page.locator("[data-testid='stSelectbox'] input").first.click()
            page.keyboard.type(statement)
            page.keyboard.press("Enter")
            settled(page)
            heading = page.locator("[data-testid='stMainBlockContainer'] h3").first
            picked.append(shown_within(page, lambda h=heading, s=statement: s[:40] in h.inner_text(), True))
        page.screenshot(path=str(SCREENSHOTS / "claims-picked.png"), full_page=True)
        assert picked == [True, True, True], "every claim picked must show at once"


def test_error_texts_show_urls_as_written(app_url: str):
    """An error that names a URL shows it exactly, without the backslashes of Markdown escaping."""
    with chromium_page() as page:
        page.goto(f"{app_url}/", wait_until="domcontentloaded")  # the Overview is the default page
        page.wait_for_selector("[data-testid='stAlertContentError']", timeout=60_000)
        text = " ".join(page.locator("[data-testid='stAlertContentError']").all_inner_texts())
    assert "https://api.github.com/repos/tensorflow/tensorflow" in text
    assert "Failed to resolve 'api.github.com'" in text
    assert "\\" not in text


def metric_values(page) -> dict[str, str]:
    """The verdict counts the page shows: {'✅ supported': '5', ...}."""
    texts = page.locator("[data-testid='stMetric']").all_inner_texts()
    return {text.splitlines()[0].strip(): text.splitlines()[-1].strip() for text in texts if "\n" in text}


def test_a_pasted_article_is_checked_end_to_end_in_chromium(app_url: str, tmp_path: Path):
    """A reader pastes an article, sees its claims judged, switches the input three times, downloads the claims."""
    from collectors import claims

    article = (ROOT / "tests" / "fixtures" / "articles" / "quick-take.txt").read_text(encoding="utf-8")
    with chromium_page(height=1200, downloads=True) as page:
        page.goto(f"{app_url}/check", wait_until="domcontentloaded")
        page.wait_for_selector("textarea", timeout=60_000)
        settled(page)
        page.locator("textarea").fill(article)
        page.locator("textarea").press("Control+Enter")
        page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
        settled(page)
        counts = metric_values(page)
        page.screenshot(path=str(SCREENSHOTS / "check-pasted.png"), full_page=True)
        assert counts["✅ supported"] == "5" and counts["🟠 inaccurate"] == "2", counts

        shown = []
        for label, expected in (("Fetch a URL", "URL of the article"), ("Upload a file", "Article file"),
                                ("Paste the text", "Article text")):  # fmt: skip
            page.locator("[data-testid='stRadio'] label").filter(has_text=label).click()
            settled(page)
            field = page.get_by_text(expected).first
            shown.append(shown_within(page, field.is_visible, True))
        assert shown == [True, True, True], "every switch of the input must show its field"
        page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
        assert metric_values(page) == counts, "back on the pasted text, the same verdicts"

        with page.expect_download() as download:
            page.get_by_role("button", name="Download the 7 accepted claim(s) as TOML").click()
        saved = tmp_path / "claims.toml"
        download.value.save_as(saved)
    articles, registered = claims.load_register(saved)
    assert articles[0].id == "pytorch-vs-tensorflow-a-quick" and len(registered) == 7


def test_any_project_is_found_by_typing_and_stays_in_the_link_in_chromium(app_url: str):
    """As on star-history: type a name into the box, click the match, three times; each lands on the chart and in
    the URL, and the URL opened again shows the same chart."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        page.goto(f"{app_url}/compare?series=stars&projects=pytorch", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        settled(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        traces = []
        for text, name in (("Polars", "polars"), ("pallets/flask", "flask"), ("duckdb", "duckdb")):
            box = sidebar.get_by_role("textbox", name="Find any project")
            box.fill(text)
            box.press("Enter")
            settled(page)
            sidebar.locator("button").filter(has_text=f"+ {name}").first.click()
            settled(page)
            traces.append(wait_for_chart(page, f"figure.data.some(t => t.name === '{name}')", True))
        page.screenshot(path=str(SCREENSHOTS / "compare-found-by-search.png"), full_page=True)
        assert traces == [True, True, True], f"every project found must join the chart: {traces}"
        assert "projects=pytorch%2Cpolars%2Cflask%2Cduckdb" in page.url, page.url

        page.goto(page.url, wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        settled(page)
        names = wait_for_chart(page, "figure.data.map(t => t.name).sort().join(',')", "PyTorch,duckdb,flask,polars")
        assert names == "PyTorch,duckdb,flask,polars", names


def test_both_downloads_stay_after_each_click_in_chromium(app_url: str):
    """Data page: prepared once, CSV and Parquet each download, and stay offered for the next click."""
    with chromium_page(downloads=True) as page:
        page.goto(f"{app_url}/data", wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
        settled(page)
        page.get_by_role("button", name="Prepare downloads").click()
        settled(page)
        downloaded = []
        for label in ("CSV", "Parquet", "CSV", "Parquet"):
            with page.expect_download(timeout=30_000) as download:
                page.locator("[data-testid='stDownloadButton'] button").filter(has_text=label).click()
            downloaded.append(download.value.suggested_filename)
            settled(page)
        page.screenshot(path=str(SCREENSHOTS / "data-downloads.png"), full_page=True)
        assert downloaded == ["claim_checks.csv", "claim_checks.parquet"] * 2, downloaded


def test_data_page_pages_and_filters_series_and_a_reload_keeps_them_in_chromium(app_url: str):
    """Data page: Next page three times, the project filter typed three times, a filter with no match, each shown
    at once in the coverage table's caption and the URL; a reload of the URL shows the same page and filters."""

    def caption() -> str:
        found = page.locator("[data-testid='stCaptionContainer']").filter(has_text=re.compile(r"^Series \d"))
        return found.first.inner_text() if found.count() else ""

    def page_shown() -> str:
        return re.sub(r".*\(page (\d[\d,]*) of.*", r"\1", caption(), flags=re.S)

    with chromium_page(height=1400) as page:
        page.goto(f"{app_url}/data", wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
        settled(page)
        first_page = shown_within(page, lambda: bool(re.search(r" of ([\d,]+) \(page 1 of", caption())), True)
        assert first_page, caption()  # the table's first page, however long a busy machine takes to draw it
        turned = []
        for number in ("2", "3", "4"):
            page.get_by_role("button", name="Next page").click()
            settled(page)
            turned.append(shown_within(page, page_shown, number))
        assert turned == ["2", "3", "4"], turned
        assert "page=4" in page.url, page.url
        page.screenshot(path=str(SCREENSHOTS / "data-page-4.png"), full_page=True)

        counts = []
        for project in ("pytorch", "tensorflow", "jax"):
            type_into(page, "Project", project)
            counts.append(shown_within(page, lambda project=project: caption().startswith("Series 1–") and
                                       f"project={project}" in page.url and page_shown(), "1"))  # fmt: skip
        assert counts == ["1", "1", "1"], (counts, caption(), page.url)
        page.screenshot(path=str(SCREENSHOTS / "data-project-jax.png"), full_page=True)

        type_into(page, "Subject or metric contains", "no-such-series")
        none = page.locator("[data-testid='stAlertContentInfo']").filter(has_text="No series matches")
        assert shown_within(page, lambda: none.count(), 1) == 1
        type_into(page, "Subject or metric contains", "stars")
        kept = shown_within(page, lambda: "find=stars" in page.url and caption().startswith("Series 1–"), True)
        assert kept, (page.url, caption())
        before = caption()
        page.goto(page.url, wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
        settled(page)
        assert shown_within(page, caption, before) == before
        assert page.get_by_label("Project", exact=True).input_value() == "jax"
        page.screenshot(path=str(SCREENSHOTS / "data-reloaded.png"), full_page=True)


def test_every_data_page_control_answers_three_changes_in_a_row_in_chromium(app_url: str):
    """Data page: the source, the order, the text and the page number each changed three times in a row; every
    change shows at once in the coverage table's caption and in the URL."""

    def caption() -> str:
        found = page.locator("[data-testid='stCaptionContainer']").filter(has_text=re.compile(r"^Series \d"))
        return found.first.inner_text() if found.count() else ""

    def pick(index: int, label: str) -> None:
        """Open the index-th select box and click the option. A click that lands while a run redraws the box is
        lost, so opening is tried again (as open_options does): the picking, not the opening, is under test."""
        option = page.get_by_role("option", name=label, exact=True)
        for _ in range(3):
            page.locator("[data-testid='stSelectbox']").nth(index).click()
            if shown_within(page, lambda: option.count() > 0, True):
                break
        option.click()
        settled(page)

    with chromium_page(height=1400) as page:
        page.goto(f"{app_url}/data", wait_until="domcontentloaded")
        page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
        settled(page)
        assert shown_within(page, lambda: bool(re.search(r" of ([\d,]+) \(", caption())), True), caption()
        everything = re.search(r" of ([\d,]+) \(", caption()).group(1)

        totals, previous = {}, everything
        for source in ("github", "pypi", "papers"):
            pick(0, source)
            total = lambda: re.search(r" of ([\d,]+) \(", caption()).group(1)  # noqa: E731
            changed = shown_within(page, lambda: f"source={source}" in page.url and total() != previous, True)  # noqa: B023
            totals[source] = previous = total()
            assert changed, (source, page.url, caption())
        assert len(set(totals.values())) == 3 and everything not in totals.values(), (totals, everything)
        pick(0, "every source")

        orders = []
        for label in ("largest gap first", "oldest last day first", "most points first"):
            pick(1, label)
            orders.append(shown_within(page, lambda label=label: caption().endswith(f"ordered by {label}."), True))
        assert orders == [True, True, True], (orders, caption())
        assert "order=most" in page.url, page.url

        found = []
        for text in ("stars", "forks", "downloads"):
            type_into(page, "Subject or metric contains", text)
            found.append(shown_within(page, lambda text=text: f"find={text}" in page.url and caption() != "", True))
        assert found == [True, True, True], (found, page.url)
        type_into(page, "Subject or metric contains", "")

        numbers = []
        for number in ("3", "5", "2"):
            type_into(page, "Page", number)
            numbers.append(shown_within(page, lambda: re.sub(r".*\(page (\d+) of.*", r"\1", caption(), flags=re.S),
                                        number))  # fmt: skip
        assert numbers == ["3", "5", "2"] and "page=2" in page.url, (numbers, page.url)
        page.screenshot(path=str(SCREENSHOTS / "data-controls.png"), full_page=True)
