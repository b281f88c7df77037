"""A daily collection's writes into the scale database, in a process of their own so that its peak memory is the
write's: one new day for every synthetic series (what a daily `ecotrends collect` of every project upserts, one
batch per source as the collectors write them), the same batches again (a rerun: nothing written), then the
summaries the app reads refreshed, as every collect ends.

Run: .venv/bin/python bench/daily_write.py [--scale 3m|30m|100m] [--db PATH]
It adds the day after the database's last to its synthetic series (run it on a copy to keep the build as it was).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_db

from collectors import schema, store

SYNTHETIC_SUBJECT = "org[0-9]{4}/repo[0-9]{4}|pkg[0-9]{4}|project [0-9]{4}|p[0-9]{4}"  # bench/scale_db.py's names
# The synthetic projects' series of one source moved on by a day, from series_summary (reading every row for the
# last values would cost the process more memory than the write it measures).
NEXT_DAY = """
select s.source, s.subject, s.metric, s.last_date + 1 as date, coalesce(s.window_days, 0) as window_days,
    s.points + 1.0 as value, ? as origin, now()::timestamp as collected_at, null::bigint as run_id
from series_summary as s
where s.source = ? and regexp_full_match(s.subject, '{SYNTHETIC_SUBJECT}')
""".replace("{SYNTHETIC_SUBJECT}", SYNTHETIC_SUBJECT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_db.add_scale_arguments(parser)
    args = parser.parse_args()
    db = scale_db.ensure(args.scale, args.db)
    print("| step | rows | seconds | peak memory of the process, MB |\n|---|---:|---:|---:|")
    with store.connect(db) as conn:
        sources = [r[0] for r in conn.execute("select distinct source from series_summary order by 1").fetchall()]
        batches = {source: conn.execute(NEXT_DAY, [scale_db.ORIGIN, source]).df() for source in sources}
        print(f"| read the day's rows to write | {sum(map(len, batches.values())):,} | | "
              f"{scale_db.peak_memory_mb():,.0f} |")  # fmt: skip
        for label in ("upsert a new day, one batch per source", "upsert the same again (rerun)"):
            started = time.perf_counter()
            written = sum(store.upsert_observations(conn, frame) for frame in batches.values())
            print(f"| {label} ({written:,} written) | {sum(map(len, batches.values())):,} | "
                  f"{time.perf_counter() - started:.2f} | {scale_db.peak_memory_mb():,.0f} |")  # fmt: skip
        started = time.perf_counter()
        schema.refresh_summaries(conn)
        print(f"| refresh the summaries | | {time.perf_counter() - started:.2f} | {scale_db.peak_memory_mb():,.0f} |")


if __name__ == "__main__":
    main()
