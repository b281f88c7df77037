"""Runs sources side by side, each recorded in collection_run; one failing never stops the others."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from collectors import schema, store
from collectors.config import Database, DuckLake, Project, collected
from collectors.errors import EcotrendsError
from collectors.source import Context, Outcome, Source

log = logging.getLogger("ecotrends")


class Progress:
    """Per-source progress: a tqdm bar on a terminal, plain log lines under cron."""

    _lock = threading.Lock()
    _positions = 0

    def __init__(self, source: str, interactive: bool) -> None:
        self.source = source
        self._bar = None
        if interactive:
            from tqdm import tqdm

            with Progress._lock:
                position = Progress._positions
                Progress._positions += 1
            self._bar = tqdm(desc=source, total=0, position=position, leave=True, file=sys.stderr, unit="step")

    def add_total(self, steps: int) -> None:
        if self._bar is not None:
            self._bar.total = (self._bar.total or 0) + steps
            self._bar.refresh()

    @contextmanager
    def task(self, message: str) -> Iterator[None]:
        """Announce a step before it starts, so a hang or a failure shows what was under way; count it when done."""
        if self._bar is not None:
            self._bar.set_postfix_str(message[:40])
        else:
            log.info("%s: %s", self.source, message)
        try:
            yield
        finally:
            if self._bar is not None:
                self._bar.update(1)

    def note(self, message: str) -> None:
        """Something worth telling that is not a step of its own."""
        if self._bar is not None:
            self._bar.write(f"{self.source}: {message}", file=sys.stderr)
        else:
            log.info("%s: %s", self.source, message)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@dataclass
class SourceResult:
    source: str
    status: str
    rows_written: int
    requests_made: int
    error: str | None


def run_source(
    source: Source,
    db: Database,
    projects: Sequence[Project],
    interactive: bool,
    command: str = "collect",
    entry: Callable[[Context], Outcome] | None = None,
    since: str | None = None,
    budget: float | None = None,
) -> SourceResult:
    """Run one source and record it; never raises, so the other sources carry on. `budget`: the seconds a
    request may go without a usable answer before the source stops (default: config.source_budget)."""
    name = source.name
    try:
        with store.connect(db) as conn:
            run_id = store.start_run(conn, name, command)
        client = source.make_client()
        if budget is not None:
            client.budget = budget
    except Exception as exc:  # the run could not even be recorded (a locked or broken store): say so, go on
        log.error("%s could not start: %s", name, exc)
        return SourceResult(name, "failed", 0, 0, f"could not start: {exc}")
    progress = Progress(name, interactive)
    outcome = Outcome()
    error: str | None = None
    try:
        ctx = Context(
            db=db,
            projects=projects,
            client=client,
            progress=progress,
            run_id=run_id,
            command=command,
            since=since,
        )
        outcome = (entry or source.collect)(ctx)
        status = outcome.status
        error = "; ".join(outcome.errors) or None
    except EcotrendsError as exc:
        status, error = "failed", str(exc)
        log.error("%s failed: %s", name, exc)
    except Exception as exc:  # a bug must not stop the other sources; keep the trace in the log
        status, error = "failed", f"unexpected {type(exc).__name__}: {exc}"
        log.error("%s failed unexpectedly:\n%s", name, traceback.format_exc())
    finally:
        progress.close()
    try:
        with store.connect(db) as conn:
            store.finish_run(conn, run_id, status, outcome.rows_written, client.requests_made, error)
    except Exception as exc:  # the next run closes a run left open (collection_runs shows it)
        log.error("%s: could not record the end of run %s: %s", name, run_id, exc)
    log.info("%s: %s, %d rows written, %d requests", name, status, outcome.rows_written, client.requests_made)
    return SourceResult(name, status, outcome.rows_written, client.requests_made, error)


def run_sources(
    chosen: Sequence[Source],
    db: Database,
    projects: Sequence[Project],
    interactive: bool,
    command: str = "collect",
    since: str | None = None,
    budget: float | None = None,
) -> list[SourceResult]:
    """Run the sources concurrently (the wall time is close to the slowest source alone) on a database the
    caller has prepared (inputs.init_db), holding their run lock; archived projects are not asked for. A
    source stops when a request goes `budget` seconds without a usable answer, so a hung service costs the
    run that long at most."""
    Progress._positions = 0  # one terminal line per source of this run
    projects = collected(projects)
    close_interrupted(db, [source.name for source in chosen])
    with ThreadPoolExecutor(max_workers=max(1, len(chosen))) as pool:
        futures = [
            pool.submit(
                run_source,
                source,
                db,
                projects,
                interactive,
                command,
                source.backfill if command == "backfill" else None,
                since,
                budget,
            )
            for source in chosen
        ]
        results = [future.result() for future in futures]
    with store.connect(db) as conn:
        schema.refresh_summaries(conn)
    return results


def close_interrupted(db: Database, names: Sequence[str]) -> None:
    """Runs a killed process left open are closed as interrupted by the next run that holds their lock: a
    file's lock covers every source, a lake's the sources of this run."""
    with store.connect(db) as conn:
        closed = store.close_interrupted_runs(conn, names if isinstance(db, DuckLake) else None)
    for run_id, source, started_at in closed:
        log.warning("%s: run %d, started %s UTC, was interrupted (its process ended); closed", source, run_id,
                    f"{started_at:%Y-%m-%d %H:%M:%S}")  # fmt: skip


def run_entries(
    plan: Sequence[tuple[Source, str]], db: Database, projects: Sequence[Project], interactive: bool, command: str
) -> list[SourceResult]:
    """Run each (source, "collect" or "backfill") of the plan side by side, each recorded as a run of `command`
    (`ecotrends track` fetching a new project's history); one failing never stops the others."""
    Progress._positions = 0
    close_interrupted(db, [source.name for source, _ in plan])
    with ThreadPoolExecutor(max_workers=max(1, len(plan))) as pool:
        futures = [
            pool.submit(run_source, source, db, projects, interactive, command,
                        source.backfill if entry == "backfill" else source.collect)
            for source, entry in plan
        ]  # fmt: skip
        results = [future.result() for future in futures]
    with store.connect(db) as conn:
        schema.refresh_summaries(conn)
    return results
