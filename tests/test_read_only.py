"""Reading never waits for writing (issue 24 §3): claims check, status, export, shell and the app answer while a
collect holds the run lock in another process, and on a read-only copy of the database, writing nothing."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import queries
from collectors import cli, inputs, store
from tests.conftest import query

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app" / "streamlit_app.py")
SHIPPED_VERDICTS = {"supported": 18, "partly_supported": 4, "inaccurate": 3, "contradicted": 1, "uncheckable": 32,
                    "no_data": 5}  # fmt: skip


def register_edited_since(db: Path) -> None:
    """The database mirrors another register than data/claims.toml (one claim fewer, another digest), as after an
    edit of the register: claims check must judge the file's claims, which it cannot store now."""
    with store.connect(db) as conn:
        conn.execute("delete from claim where claim_id = 'tech-matchups-pytorch-stars-2023'")
        store.set_state(conn, *inputs.INPUTS_DIGEST_KEY, "edited since")


def verdict_lines(out: str) -> Counter:
    return Counter(line.split()[0] for line in out.splitlines() if line and not line.startswith(" "))


@pytest.fixture
def run_lock_held(seeded: Path) -> Iterator[Path]:
    """A second process holds the run lock, as `ecotrends collect` does for its whole run."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from collectors import store\n"
         f"with store.run_lock({str(seeded)!r}):\n    print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    yield seeded
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


@pytest.fixture
def read_only_copy(seeded: Path) -> Iterator[Path]:
    """The database in a folder where nothing may be written (chmod a-w on the file and the folder)."""
    register_edited_since(seeded)
    folder = seeded.parent / "read-only"
    folder.mkdir()
    copy = folder / "ecotrends.duckdb"
    copy.write_bytes(seeded.read_bytes())
    copy.chmod(0o444)
    folder.chmod(0o555)
    yield copy
    folder.chmod(0o755)


def snapshot(folder: Path) -> dict[str, str]:
    """What a folder holds, file by file: a command that wrote anything (a lock file, a page) changes it."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def reads(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every read command, each checked for what it shows."""
    assert cli.main(["claims", "check", "--db", str(db)]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert verdict_lines(out) == SHIPPED_VERDICTS, "every claim of data/claims.toml, judged"
    assert "tech-matchups-pytorch-stars-2023" in out
    assert "computed without storing them" in err and len(err.strip().splitlines()) == 1

    assert cli.main(["claims", "check", "--db", str(db), "--verdict", "contradicted"]) == cli.EXIT_OK
    assert verdict_lines(capsys.readouterr().out) == {"contradicted": 1}

    assert cli.main(["status", "--db", str(db)]) == cli.EXIT_OK
    status = capsys.readouterr().out
    assert all(f"{source} " in status for source in ("github", "pypi", "papers"))

    out = tmp_path / "exported" / "all.csv"
    assert cli.main(["export", "--db", str(db), str(out)]) == cli.EXIT_OK
    assert sum(1 for _ in out.open()) > 40_000 and out.with_name("all.events.csv").exists()
    capsys.readouterr()

    shell = subprocess.run(
        [sys.executable, "-m", "collectors", "shell", "--db", str(db)],
        input="select count(*) as claims from claim_checks;", capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert "│     62 │" in shell.stdout, "the stored register's verdicts (one claim fewer), as the database holds them"

    os.environ["ECOTRENDS_DB"] = str(db)
    queries.st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("sections/claims.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "contradicted" in " ".join(str(element.value) for element in [*at.markdown, *at.caption, *at.metric])


def test_reads_answer_while_a_collect_holds_the_run_lock(run_lock_held: Path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ECOTRENDS_DB", str(run_lock_held))
    register_edited_since(run_lock_held)
    reads(run_lock_held, tmp_path, capsys)
    assert query(run_lock_held, "select count(*) from claim") == [(62,)], "the locked database was left as it was"


def test_reads_answer_on_a_read_only_copy_and_write_nothing(read_only_copy: Path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ECOTRENDS_DB", str(read_only_copy))
    before = snapshot(read_only_copy.parent)
    assert not store.writable(read_only_copy)
    reads(read_only_copy, tmp_path, capsys)
    assert snapshot(read_only_copy.parent) == before, "no lock file, no rewritten page"
    assert stat.S_IMODE(read_only_copy.stat().st_mode) == 0o444


def test_claims_check_brings_a_free_writable_database_up_to_date(seeded: Path, capsys):
    """Where it costs no wait, the register is stored as before: the app's Claims page shows what was checked."""
    register_edited_since(seeded)
    assert cli.main(["claims", "check", "--db", str(seeded)]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert verdict_lines(out) == SHIPPED_VERDICTS and err == ""
    assert query(seeded, "select count(*) from claim") == [(63,)]
    assert query(seeded, "select count(*) from claim_checks_snapshot") == [(63,)]
