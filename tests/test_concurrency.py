"""Concurrency, crashes and secrets: the app reads while collectors write, overlapping runs, SIGKILL, tokens."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import reader as app_reader
from collectors import cli, http, inputs, interchange, store
from tests.conftest import query
from tests.fakeapi import FakeAPI

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "tests" / "screenshots" / "concurrency.json"
FINDINGS: dict[str, object] = {}
PAGE_QUERIES = (
    "select * from source_freshness",
    "select * from claim_checks",
    "select * from github_stars_daily order by repo, date",
    "select * from project_series where source = 'github' and metric = 'stars'",
    "select * from collection_runs order by run_id desc limit 200",
)
WRITER = """
import sys, time
from datetime import date, timedelta
from pathlib import Path
from collectors import store
from collectors.store import Observation
db, seconds = Path(sys.argv[1]), float(sys.argv[2])
end, batch = time.monotonic() + seconds, 0
while time.monotonic() < end:
    batch += 1
    rows = [Observation("github", "pytorch/pytorch", "stars", date(2020, 1, 1) + timedelta(days=i), None,
                        1000 + i + batch, "writer loop") for i in range(2000)]
    with store.connect(db) as conn:
        store.upsert_observations(conn, rows)
print(batch)
"""


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)  # fmt: skip


def test_app_queries_keep_answering_while_a_collector_writes(db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ECOTRENDS_DB", str(db))
    writer = run_python(WRITER, str(db), "6")
    loads, failures = [0], []
    lock = threading.Lock()

    def reader() -> None:
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            for sql in PAGE_QUERIES:
                try:
                    app_reader.read("", sql)
                    with lock:
                        loads[0] += 1
                except Exception as exc:  # every failure is counted, none may happen
                    failures.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    FINDINGS["page_loads"] = loads[0]
    FINDINGS["page_load_failures"] = len(failures)
    FINDINGS["writer_batches"] = int(out)
    assert failures == []
    assert loads[0] > 20 and int(out) > 5, "both sides really ran"


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch):
    with FakeAPI() as api:
        for variable, url in api.env().items():
            monkeypatch.setenv(variable, url)
        yield api


def test_second_overlapping_run_exits_at_once_and_the_first_completes(tmp_path: Path, fake_env: FakeAPI):
    projects = tmp_path / "projects.toml"
    projects.write_text(
        '[[project]]\nid = "tf"\nname = "TF"\ngithub = "tensorflow/tensorflow"\n'
        'pypi = ["tensorflow", "tensorflow-cpu", "tensorflow-gpu"]\narxiv_phrase = "tensorflow"\ntrends_term = "tf"\n'
    )
    db = tmp_path / "db.duckdb"
    command = [sys.executable, "-m", "collectors", "collect", "--source", "pypi", "--db", str(db), "--projects",
               str(projects), "--no-progress"]  # fmt: skip
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = Path(f"{db}.lock")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    started = time.monotonic()
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    FINDINGS["second_run_seconds"] = round(time.monotonic() - started, 2)
    assert second.returncode == cli.EXIT_USAGE
    assert "another ecotrends run is already writing" in second.stderr
    assert first.poll() is None, "the first run was still going when the second gave up"
    assert first.wait(timeout=120) == cli.EXIT_OK, first.stderr.read()
    assert query(db, "select status from collection_runs") == [("ok",)]


def synthetic_rows(rows: int) -> str:
    lines = ["source,subject,metric,date,window_days,value,origin"]
    for i in range(rows):
        day = datetime.fromordinal(730120 + i // 100).date()
        lines.append(f"synthetic,series-{i % 100},count,{day},1,{i},synthetic crash-test row")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kill_after", [0.4, 1.2, 2.2, 2.5, 5.0])
def test_sigkill_mid_import_leaves_the_last_complete_state(tmp_path: Path, kill_after: float):
    rows = 150_000
    data = tmp_path / "big.csv"
    data.write_text(synthetic_rows(rows))
    db = tmp_path / "db.duckdb"
    inputs.init_db(db)
    interchange.import_files(db, [_small(tmp_path)])
    command = [sys.executable, "-m", "collectors", "import", "--db", str(db), str(data)]
    victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(kill_after)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    with store.connect(db) as conn:  # opens, replays its WAL, and answers
        conn.execute("checkpoint")
        count = conn.execute("select count(*) from observation where source = 'synthetic'").fetchone()[0]
        duplicates = conn.execute(
            "select count(*) from (select 1 from observation group by source, subject, metric, date, window_days "
            "having count(*) > 1)"
        ).fetchone()[0]
        small = conn.execute("select count(*) from observation where source = 'small'").fetchone()[0]
    FINDINGS.setdefault("crash_trials", []).append({"kill_after_s": kill_after, "rows_after_kill": count})
    assert count in (0, rows), "an import is all or nothing"
    assert duplicates == 0 and small == 3, "what was stored before is intact"

    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == cli.EXIT_OK
    assert query(db, "select count(*) from observation where source = 'synthetic'") == [(rows,)]


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(
        "source,subject,metric,date,window_days,value,origin\n"
        + "".join(f"small,a,n,2020-01-0{d},,{d},before the crash\n" for d in (1, 2, 3))
    )
    return path


def test_token_never_appears_in_logs_errors_database_or_app(
    tmp_path: Path, fake_env: FakeAPI, monkeypatch: pytest.MonkeyPatch, capsys, caplog, clock_at
):
    canary = "ghp_CANARY0123456789abcdefCANARY"
    monkeypatch.setenv("GITHUB_TOKEN", canary)
    clock_at(datetime(2023, 12, 10, 8, 0))
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    monkeypatch.setattr(http, "TIMEOUT", (0.5, 0.5))
    db = tmp_path / "db.duckdb"
    caplog.set_level("DEBUG")
    for fault in (None, "403_rate_limit", "500", "truncated_json", "reset"):
        fake_env.faults.clear()
        if fault:
            fake_env.faults["github"] = fault
        cli.main(["-v", "collect", "--db", str(db), "--no-progress", "--source", "github"])
    assert any(canary in h.get("Authorization", "") for h in fake_env.headers_seen), "the token was really sent"

    outputs = capsys.readouterr()
    dump = []
    with store.connect(db, read_only=True) as conn:
        for (table,) in conn.execute("select table_name from duckdb_tables()").fetchall():
            dump.append(str(conn.execute(f'select * from "{table}"').fetchall()))
    monkeypatch.setenv("ECOTRENDS_DB", str(db))
    rendered = []
    for page in ("overview", "data", "github"):
        at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
        at.switch_page(f"sections/{page}.py")
        at.run()
        texts = [e.value for kind in (at.markdown, at.caption, at.error, at.warning, at.info, at.title) for e in kind]
        rendered.append(str(texts) + str([df.value.to_string() for df in at.dataframe]))
    everything = "\n".join([outputs.out, outputs.err, caplog.text, *dump, *rendered])
    FINDINGS["token_searched_chars"] = len(everything)
    assert canary not in everything
    assert "CANARY" not in everything


def test_app_never_renders_raw_html_from_data(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    hostile = "<img src=x onerror=alert(1)> [click](http://evil.example) **bold**"
    path = tmp_path / "hostile.csv"
    path.write_text(
        "source,subject,metric,date,window_days,value,origin\n"
        f'github,pytorch/pytorch,stars,2023-01-01,,61000,"{hostile}"\n'
        f'github,pytorch/pytorch,stars,2023-12-31,,74000,"{hostile}"\n'
    )  # a whole year, so the claim is judged and its origin shown
    interchange.import_files(db, [path])
    monkeypatch.setenv("ECOTRENDS_DB", str(db))
    sources = "\n".join(p.read_text() for p in (ROOT / "app").rglob("*.py"))
    assert "unsafe_allow_html" not in sources and "st.html" not in sources and "components" not in sources
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
    at.switch_page("sections/claims.py")
    at.query_params["claim"] = "tech-matchups-pytorch-stars-2023"
    at.run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert not re.search(r"(?<!\\)\[click\]\(", shown), "no live link from collected data"
    assert not re.search(r"(?<!\\)<img", shown), "no HTML from collected data"
    assert "\\[click\\]" in shown, "the origin is shown as inert text"


def test_write_concurrency_report():
    if not FINDINGS:
        pytest.skip("nothing measured")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(FINDINGS, indent=1))
    assert os.path.getsize(REPORT) > 2
