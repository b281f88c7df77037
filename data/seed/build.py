"""Rebuild data/seed/observations.parquet from the snapshot of public archives it was made from.

    .venv/bin/python data/seed/build.py SNAPSHOT_DIR

SNAPSHOT_DIR holds `observations/{github,pypi,conference_papers}.csv` (the interchange format) and the raw
extract `github_stars_daily.csv`. What is taken from each, and why, is in data/seed/PROVENANCE.md. The
dated facts (data/seed/events.csv) are curated by hand with a reference per row and are not built here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from collectors import interchange

SEED = Path(__file__).resolve().parent
INTERCHANGE_FILES = ("github.csv", "pypi.csv", "conference_papers.csv")
BEST_OF = "ml-tooling/best-of-ml-python"
# best-of's tensorflow/tensorflow counts run 1.8k-2.8k above EvanLi's from 2021 on: mixing them would draw
# steps that are not in the data, so that repository keeps its EvanLi series alone.
BEST_OF_LEFT_OUT = {"tensorflow/tensorflow"}


def best_of_gap_rows(raw: pd.DataFrame, evanli_days: set[tuple[str, str]]) -> pd.DataFrame:
    """Stars from the best-of-ml-python history on the days EvanLi's top-100 lists missed the repository.

    Only stars: best-of's fork counts alternate between two levels in 2023-2024 (see PROVENANCE.md).
    """
    rows = raw[(raw["source_repo"] == BEST_OF) & ~raw["repo"].isin(BEST_OF_LEFT_OUT)]
    rows = rows[[(d, r) not in evanli_days for d, r in zip(rows["date"], rows["repo"], strict=True)]]
    branch = rows["on_default_branch"].map({True: "", False: "; tagged update branch, not merged"})
    return pd.DataFrame(
        {
            "source": "github",
            "subject": rows["repo"],
            "metric": "stars",
            "date": pd.to_datetime(rows["date"]).dt.date,
            "window_days": 0,
            "value": rows["stars"].astype(float),
            "origin": BEST_OF + " " + rows["source_path"] + "@" + rows["source_commit"].str[:10] + branch,
        }
    )


def build(snapshot: Path) -> pd.DataFrame:
    frame = interchange.read_files([snapshot / "observations" / name for name in INTERCHANGE_FILES])
    frame = frame.drop(columns=["collected_at"])
    github = frame[frame["source"] == "github"]
    evanli_days = {(d.isoformat(), s) for d, s in zip(github["date"], github["subject"], strict=True)}
    raw = pd.read_csv(snapshot / "github_stars_daily.csv", dtype={"date": str})
    frame = pd.concat([frame, best_of_gap_rows(raw, evanli_days)], ignore_index=True)
    frame = frame.sort_values(["source", "subject", "metric", "date", "window_days"], ignore_index=True)
    # The interchange format: window_days is empty for a level, as `ecotrends export` writes it.
    frame["window_days"] = frame["window_days"].astype("Int64").where(frame["window_days"] > 0)
    return frame


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    frame = build(Path(argv[0]))
    frame.to_parquet(SEED / "observations.parquet", index=False, compression="zstd")
    counts = frame.groupby("source").size().to_dict()
    print(f"wrote {len(frame):,} observations to {SEED / 'observations.parquet'}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
