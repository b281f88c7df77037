"""Add a project from the app: `ecotrends track` in a process of its own, bounded in time.

A process of its own because the app holds read-only connections to the store, and one process cannot also open it
for writing; the collector's lock and the writer-waiting flag let it in. What it prints is what the page shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from app import reader
from collectors import config
from collectors.config import Database

TRACK_SECONDS = 300  # a new project's history from every source that applies: under a minute measured
COMMAND: Sequence[str] = (sys.executable, "-m", "collectors")  # how the app runs ecotrends (tests put a clock first)
_TRACKING = re.compile(r"^tracking ([^:\s]+): ", re.M)
_PROGRESS_LOG = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (INFO|DEBUG) ")  # the run's log: not for the page


@dataclass(frozen=True)
class Tracking:
    """What `ecotrends track` did: the project ids it stored, and its report (or its refusal) for people."""

    project_ids: tuple[str, ...]
    report: str
    refused: bool


def track(db: Database, text: str) -> Tracking:
    """Resolve, store and fetch the history of one project named as a person types it (name, owner/repo or
    pypi:package); a refusal stores nothing and says why in one line."""
    name = " ".join(text.split())
    if not name:
        return Tracking((), "type a name, owner/repo or pypi:package to track", refused=True)
    args = [*COMMAND, "track", name, "--db", config.spec(db), "--no-progress"]
    env = dict(os.environ)
    if getattr(db, "data_path", None):
        env["ECOTRENDS_DATA_PATH"] = db.data_path
    reader.READER.close()  # the page's own read connection would keep the writer waiting for its lock
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TRACK_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired:
        return Tracking((), f"ecotrends track {name}: not done within {TRACK_SECONDS} s; run it from a shell, or let "
                            "the next ecotrends collect fetch it", refused=True)  # fmt: skip
    lines = [line for line in (done.stdout + "\n" + done.stderr).splitlines() if line.strip()
             and not _PROGRESS_LOG.match(line)]  # fmt: skip
    report = "\n".join(lines)
    ids = tuple(dict.fromkeys(_TRACKING.findall(done.stdout)))
    return Tracking(ids, report or f"ecotrends track exited {done.returncode}", refused=done.returncode != 0)
