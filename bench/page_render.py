"""Page render: the real app on the scale database in headless Chromium, time until each page's charts
and tables are drawn.

Run: .venv/bin/python bench/page_render.py [--scale 3m|30m] [--db PATH] [--repeat 3]
Needs Debian's chromium (`apt-get install chromium`). Target: under 2 seconds per page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scale_db  # noqa: E402

from app.pages import PAGES  # noqa: E402  the router's own list of pages

TARGET_SECONDS = 2.0
DRAWN = """() => {
  if (document.querySelector("[data-testid='stStatusWidget']")) return false;
  const main = document.querySelector("[data-testid='stMainBlockContainer']");
  if (!main || !main.querySelector('h1')) return false;
  const charts = [...main.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.every(c => c.querySelector('.main-svg'));
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_db.add_scale_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("no chromium: apt-get install chromium")
    db = scale_db.ensure(args.scale, args.db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "ECOTRENDS_DB": str(db.resolve())},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/_stcore/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/")
            page.wait_for_function(DRAWN, timeout=120_000)  # warm-up: the server's first script run
            print(f"| page | first load s | median s ({args.repeat} loads) | target {TARGET_SECONDS:.0f} s |")
            print("|---|---:|---:|---|")
            for app_page in PAGES:
                name = app_page.name
                times = []
                for attempt in range(args.repeat + 1):
                    started = time.perf_counter()
                    page.goto(f"{url}/{app_page.url_path}", wait_until="commit")
                    page.wait_for_function(DRAWN, timeout=120_000)
                    times.append(time.perf_counter() - started)
                    del attempt
                median = statistics.median(times[1:])
                print(
                    f"| {name} | {times[0]:.2f} | {median:.2f} | {'met' if max(times) < TARGET_SECONDS else 'MISSED'} |"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
