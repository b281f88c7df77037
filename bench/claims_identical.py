"""Claim views of two revisions of sql/views/ on one database: identical rows, columns and comments, and timing.

Run: .venv/bin/python bench/claims_identical.py [--base REV] [--db PATH] [--repeat 20]
The database (default: the shipped history, seeded into a temporary file) is copied twice; one copy gets the views
of REV (default HEAD~1), the other those of the working tree. Every claim view that REV publishes is dumped from
both to CSV (claim_checks as `select claim_id, verdict, explanation, *`), with its column names, types and
comments, and the files are compared byte for byte. Then `select * from claim_checks` runs REPEAT times on each,
interleaved. Exits 1 when any file differs.
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from collectors import inputs, schema, seed, store

ROOT = Path(__file__).resolve().parents[1]
VIEW = re.compile(r"^create or replace view (\w+)", re.M)
CHECKS = "select claim_id, verdict, explanation, * from claim_checks order by claim_id"


def views_of(rev: str, into: Path) -> Path:
    """sql/ as the working tree has it, with sql/views/ as revision rev had it."""
    shutil.copytree(store.SQL_DIR, into, ignore=shutil.ignore_patterns("views"))
    (into / "views").mkdir()
    names = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:sql/views"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()  # fmt: skip
    for name in names:
        text = subprocess.run(["git", "show", f"{rev}:sql/views/{name}"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout  # fmt: skip
        (into / "views" / name).write_text(text, encoding="utf-8")
    return into


def connect(db: Path, sql_dir: Path, copy: Path) -> duckdb.DuckDBPyConnection:
    shutil.copy(db, copy)
    store.SQL_DIR = sql_dir
    conn = duckdb.connect(str(copy))
    schema.apply_schema(conn)
    return conn


def dump(conn: duckdb.DuckDBPyConnection, views: list[str], out: Path) -> None:
    out.mkdir()
    conn.execute(f"copy ({CHECKS}) to '{out}/claim_checks_by_id.csv'")
    for view in views:
        conn.execute(f"copy (select * from {view} order by all) to '{out}/{view}.csv'")
    conn.execute(f"""copy (select table_name, column_index, column_name, data_type, comment from duckdb_columns()
        where table_name in (select unnest(?)) order by all) to '{out}/columns.csv'""", [views])  # fmt: skip
    conn.execute(f"""copy (select view_name, comment from duckdb_views() where view_name in (select unnest(?))
        order by all) to '{out}/views.csv'""", [views])  # fmt: skip
    conn.execute(f"""copy (select * from column_comments where view_name in (select unnest(?)))
        to '{out}/column_comments.csv'""", [views])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="revision whose sql/views/ is compared (default HEAD~1)")
    parser.add_argument("--db", type=Path, help="database to compare on (default: the shipped history)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="claims-identical-"))
    db = args.db
    if db is None:
        db = work / "seeded.duckdb"
        inputs.init_db(db)
        seed.load(db)
    working_tree = store.SQL_DIR
    base = connect(db, views_of(args.base, work / "base-sql"), work / "base.duckdb")
    head = connect(db, working_tree, work / "head.duckdb")
    # the claim views the base revision publishes (the database may hold others, from the working tree's init)
    views = sorted(name for file in (work / "base-sql" / "views").glob("6*.sql")
                   for name in VIEW.findall(file.read_text(encoding="utf-8")))  # fmt: skip
    dump(base, views, work / "base")
    dump(head, views, work / "head")
    files = sorted(p.name for p in (work / "base").iterdir())
    _, differ, missing = filecmp.cmpfiles(work / "base", work / "head", files, shallow=False)
    verdicts = head.execute("select verdict, count(*) from claim_checks group by all order by all").fetchall()
    print(f"| compared | {args.base} against the working tree, on {db} |\n|---|---|")
    print(f"| files (views: {len(views)}) | {len(files)}: {len(differ + missing)} differ |")
    print(f"| verdicts | {', '.join(f'{n} {v}' for v, n in verdicts)} |")
    times: dict[str, list[float]] = {"base": [], "head": []}
    for conn in (base, head):
        conn.execute("select * from claim_checks").fetchall()
    for i in range(args.repeat):
        for label, conn in [("base", base), ("head", head)][:: 1 if i % 2 else -1]:
            started = time.perf_counter()
            conn.execute("select * from claim_checks").fetchall()
            times[label].append((time.perf_counter() - started) * 1000)
    for label, values in times.items():
        print(f"| claim_checks, {label} | median {statistics.median(values):.1f} ms, min {min(values):.1f} ms |")
    if differ or missing:
        print(f"\ndiffer: {differ + missing} (dumps in {work})")
        sys.exit(1)


if __name__ == "__main__":
    main()
