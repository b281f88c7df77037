"""End to end: the real app under `streamlit run`, driven in headless Chromium, every page opened."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from collectors import interchange, store
from tests.conftest import SHARED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "tests" / "screenshots"
PAGES = ("overview", "compare", "claims", "github", "pypi", "arxiv", "trends", "data")

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
    store.init_db(db)
    snapshot = sorted((SHARED / "snapshot" / "observations").glob("*.csv"))
    if snapshot:
        interchange.import_files(db, snapshot)
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


def test_every_page_renders_without_errors_in_chromium(app_url: str):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name in PAGES:
            page.goto(f"{app_url}/{name}", wait_until="domcontentloaded")
            page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
            page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=60_000)
            page.wait_for_timeout(500)
            errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").all_inner_texts()
            errors = [e for e in errors if "Last run" not in e]  # failed collection runs are data, not page errors
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            if errors:
                failures.append((name, errors))
        browser.close()
    assert failures == [], failures
