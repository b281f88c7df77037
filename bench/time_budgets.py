"""Time budgets: how long `ecotrends collect` takes when one source hangs, trickles or is unreachable.

Run: .venv/bin/python bench/time_budgets.py [--faults stall,trickle,refused] [--budget SECONDS] [--jobs 3]
Each scenario is a daily `ecotrends collect` of every source, in real time, against a local replay of every API
(tests/fakeapi.py: the recorded answers, 100 ms latency, the real rate limits, every pause really waited), on a
copy of one database a clean first run filled the day before. In each, one source's every request gets the fault:
`stall` (the connection is accepted and never answered), `trickle` (the answer arrives one byte every 0.2 s) or
`refused` (its base URL points at a local port nothing listens on); `all-stall` hangs every source at once.
Scenarios run in parallel processes (--jobs); they mostly wait. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors import cli, clock, config, http, runner, sources  # noqa: E402
from tests.fakeapi import FakeAPI, services_of  # noqa: E402

FIRST_DAY = datetime(2023, 12, 10, 6, 15)  # inside the recorded arXiv months (as bench/collection_cost.py)
NEXT_DAY = datetime(2023, 12, 11, 6, 15)  # the measured runs: the daily run after it
LATENCY = 0.1
REAL_LIMITS = {"pypistats": (30, 60.0), "arxiv": (1, 3.0), "github": (60, 3600.0), "clickpy": (60, 3600.0)}
NAMES = [source.name for source in sources.collecting()]


def at(day: datetime) -> None:
    clock.now = lambda: day.replace(tzinfo=UTC)  # the one clock every collector reads


def build_baseline(db: Path) -> None:
    """The first run, without pauses: what a daily run finds stored."""
    at(FIRST_DAY)
    http.pause = lambda seconds: None
    with FakeAPI() as api:
        os.environ.update(api.env())
        code = cli.main(["collect", "--db", str(db), "--no-progress"])
    if code != cli.EXIT_OK:
        raise SystemExit(f"the baseline run failed (exit {code})")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def one_scenario(baseline: Path, source: str, fault: str, budget: float | None) -> dict:
    """One daily collect with the fault, in this process; per source: seconds, status, requests, error."""
    seconds: dict[str, float] = {}
    original = runner.run_source

    def timed(chosen, *args, **kwargs):
        started = time.monotonic()
        try:
            return original(chosen, *args, **kwargs)
        finally:
            seconds[chosen.name] = time.monotonic() - started

    runner.run_source = timed
    http.pause = time.sleep
    at(NEXT_DAY)
    with tempfile.TemporaryDirectory() as folder, FakeAPI(latency=LATENCY, limits=REAL_LIMITS) as api:
        db = Path(folder) / "db.duckdb"
        shutil.copy(baseline, db)
        os.environ.update(api.env())
        hit = NAMES if source == "all" else [source] if source != "none" else []
        for name in hit:
            if fault == "refused":
                port = closed_port()
                os.environ.update({variable: f"http://127.0.0.1:{port}" for variable in sources.get(name).base_urls})
            else:
                api.faults[name] = fault
        started = time.monotonic()
        code = cli.main(["collect", "--db", str(db), "--no-progress", *(["--budget", str(budget)] if budget else [])])
        wall = time.monotonic() - started
        import duckdb

        with duckdb.connect(str(db), read_only=True) as conn:
            runs = conn.execute(
                "select source, status, requests_made, error from collection_runs where run_id > "
                "(select max(run_id) - ? from collection_runs) order by source",
                [len(NAMES)],
            ).fetchall()
        served = {name: sum(api.requests[service] for service in services_of(name)) for name in NAMES}
    return {
        "source": source,
        "fault": fault,
        "exit": code,
        "wall": wall,
        "runs": {name: {"status": status, "requests": requests, "error": error, "seconds": seconds.get(name),
                        "served": served[name]} for name, status, requests, error in runs},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", default="stall,trickle,refused", help="comma-separated: stall, trickle, refused")
    default = config.DEFAULT_BUDGET_SECONDS
    parser.add_argument("--budget", type=float, help=f"seconds (default: the shipped {default:g})")
    parser.add_argument("--jobs", type=int, default=3, help="scenarios run at once, each in its own process")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # SOURCE:FAULT, run by the parent in a process of its own
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop(config.BUDGET_VARIABLE, None)
    if args.one:
        source, fault = args.one.split(":")
        print(json.dumps(one_scenario(args.baseline, source, fault, args.budget)))
        return

    faults = [fault for fault in args.faults.split(",") if fault]
    scenarios = [("none", "healthy")] + [(name, fault) for fault in faults for name in NAMES]
    if "stall" in faults:
        scenarios.append(("all", "stall"))
    budget = args.budget or config.DEFAULT_BUDGET_SECONDS
    with tempfile.TemporaryDirectory() as folder:
        baseline = Path(folder) / "baseline.duckdb"
        build_baseline(baseline)
        lock = threading.Lock()

        def launch(scenario: tuple[str, str]) -> dict:
            command = [sys.executable, __file__, "--one", ":".join(scenario), "--baseline", str(baseline)]
            done = subprocess.run(command + (["--budget", str(args.budget)] if args.budget else []),
                                  capture_output=True, text=True, timeout=budget * 4 + 600)  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"{scenario}: exit {done.returncode}\n{done.stderr[-2000:]}")
            with lock:
                print(f"done: {scenario[0]} x {scenario[1]}", file=sys.stderr)
            return json.loads(done.stdout.strip().splitlines()[-1])

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(launch, scenarios))
    report(results, budget)


def report(results: list[dict], budget: float) -> None:
    healthy = results[0]
    alone = {name: run["seconds"] for name, run in healthy["runs"].items()}
    print(f"Budget {budget:g} s; a daily `ecotrends collect` of {len(NAMES)} sources in real time (replay latency "
          "100 ms, real rate limits and pauses), one source faulted per run.\n")  # fmt: skip
    print(f"Healthy run: {healthy['wall']:.1f} s in all; per source: "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(alone.items())) + ".\n")  # fmt: skip
    print("| source | fault | its run, s | its status | its requests | whole run, s | slowest healthy source, s | "
          "beyond it, s | exit | its error |")  # fmt: skip
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---|")
    for result in results[1:]:
        hit = NAMES if result["source"] == "all" else [result["source"]]
        others = [run["seconds"] for name, run in result["runs"].items() if name not in hit]
        slowest = max(others) if others else max(alone.values())  # all hung: the healthy run's slowest
        for name in hit:
            run = result["runs"][name]
            error = re.sub(r"http://127\.0\.0\.1:\d+(/[^?: ]*)(\?[^: ]*)?", r"\1", run["error"] or "")  # path alone
            error = error.replace("|", "\\|") if len(error) <= 120 else error[:117].replace("|", "\\|") + "..."
            label = f"{name} (all hung at once)" if result["source"] == "all" else name
            beyond = max(0.0, result["wall"] - slowest)
            print(f"| {label} | {result['fault']} | {run['seconds']:.1f} | {run['status']} | {run['requests']} | "
                  f"{result['wall']:.1f} | {slowest:.1f} | {beyond:.1f} | {result['exit']} | {error} |")  # fmt: skip
    worst = max(result["runs"][name]["seconds"] for result in results[1:]
                for name in (NAMES if result["source"] == "all" else [result["source"]]))  # fmt: skip
    print(f"\nLongest faulted source: {worst:.1f} s (budget {budget:g} s).")


if __name__ == "__main__":
    main()
