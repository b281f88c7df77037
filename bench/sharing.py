"""Sharing: time to draw a chart image (SVG and PNG, through `ecotrends chart`'s code path), a badge, and a
fact-check report of each register article (HTML and Markdown), on the shipped history.

Run: .venv/bin/python bench/sharing.py [--db PATH] [--repeat 5]
Without --db the shipped history is seeded into bench/results/sharing.duckdb first (about 16 s, offline).
Prints a Markdown table: the median and the slowest of the runs, in seconds. In process: the command's own
start-up (Python, imports: about 1 s) is measured once, separately, as a whole `ecotrends chart` process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors import claims, inputs, seed, store  # noqa: E402
from collectors.sharing import badge, chart, compare, judging, report  # noqa: E402
from collectors.sharing.series import reader  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and slowest wall time of `repeat` runs of `work` (after one untimed warm-up)."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database to read (default: the shipped history, seeded once)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = args.db
    if db is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        db = RESULTS / "sharing.duckdb"
        if not db.exists():
            inputs.init_db(db)
            seed.load(db)
    inputs.prepare_if_free(db)
    rows: list[tuple[str, float, float]] = []
    with store.connect(db, read_only=True) as conn:
        read = reader(conn)
        views = {
            "chart: pytorch tensorflow, stars (2 × 2,500 points)": compare.Request(("pytorch", "tensorflow"), "stars"),
            "chart: 5 projects, stars, --log": compare.Request(
                ("pytorch", "tensorflow", "jax", "keras", "mxnet"), "stars", log=True
            ),
            "chart: pytorch tensorflow, downloads_snapshot (monthly windows)": compare.Request(
                ("pytorch", "tensorflow"), "downloads_snapshot"
            ),
        }
        for name, request in views.items():
            drawn = compare.compare_chart(read, request)
            reading = timed(lambda r=request: compare.compare_chart(read, r), args.repeat)
            rows.append((f"{name}: read the view", *reading))
            for fmt in chart.FORMATS:
                drawing = timed(lambda d=drawn, f=fmt: chart.render(d, f), args.repeat)
                rows.append((f"{name}: draw {fmt.upper()}", *drawing))
        rows.append(("badge: pytorch stars (read and draw)", *timed(
            lambda: badge.svg(badge.latest(read, "pytorch", "PyTorch", "stars")), args.repeat)))  # fmt: skip
        articles, _ = claims.load_register()
        for article in articles:
            judged = judging.judge(conn, article.id)
            judging_time = timed(lambda a=article.id: judging.judge(conn, a), args.repeat)
            size = f"{len(judged.checks)} claims, {len(judged.charts)} charts"
            rows.append((f"report {article.id} ({size}): read and judge", *judging_time))
            rows.append((f"report {article.id}: write HTML", *timed(lambda j=judged: report.html(j), args.repeat)))
            rows.append((f"report {article.id}: write Markdown and images",
                         *timed(lambda j=judged: report.markdown(j, "files"), args.repeat)))  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        command = [str(ROOT / ".venv" / "bin" / "ecotrends"), "--db", str(db), "chart", "pytorch", "tensorflow",
                   "-o", str(Path(folder) / "x.svg")]  # fmt: skip
        rows.append(("`ecotrends chart pytorch tensorflow -o x.svg`, whole process", *timed(
            lambda: subprocess.run(command, check=True, capture_output=True), args.repeat)))  # fmt: skip
        command = [str(ROOT / ".venv" / "bin" / "ecotrends"), "--db", str(db), "claims", "report", "indepth-comparison",
                   "-o", str(Path(folder) / "r.html")]  # fmt: skip
        rows.append(("`ecotrends claims report indepth-comparison -o r.html`, whole process", *timed(
            lambda: subprocess.run(command, check=True, capture_output=True), args.repeat)))  # fmt: skip
    print(f"| step ({args.repeat} runs) | median s | slowest s |\n|---|---:|---:|")
    for name, median, slowest in rows:
        print(f"| {name} | {median:.3f} | {slowest:.3f} |")


if __name__ == "__main__":
    main()
