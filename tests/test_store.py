from datetime import date, timedelta
from pathlib import Path

import pytest

from collectors import clock, inputs, schema, store
from collectors.errors import ConfigError, LockedError, RefusedBatchError
from collectors.store import Observation
from tests.conftest import RECORDED_NOW, query, stopped_clock

PUBLISHED_VIEWS = {
    "observations",
    "tracked_projects",
    "github_stars_daily",
    "github_star_history",
    "github_repositories",
    "pypi_downloads_daily",
    "pypi_project_downloads_daily",
    "pypi_first_releases",
    "arxiv_mentions_monthly",
    "trends_interest",
    "collection_runs",
    "source_freshness",
    "methodology_breaks",
    "github_star_events_daily",
    "project_series",
    "project_milestones",
    "evidence_ladder",
    "claim_coverage",
    "claim_verdicts",
    "claim_checks",
    "claim_contradictions",
    "series_breaks",
    "source_runs",
}


def stars(day: str, value: float, origin: str = "test") -> Observation:
    return Observation("github", "pytorch/pytorch", "stars", date.fromisoformat(day), None, value, origin)


def test_schema_applies_idempotently_and_records_its_version(db: Path):
    inputs.init_db(db)
    inputs.init_db(db)
    versions = query(db, "select version from schema_version")
    assert versions == [(v,) for v, _, _ in schema.migrations()]


def test_every_published_view_and_column_has_a_comment(db: Path):
    """Every view in sql/views/ is published: each one and each of its columns says what it is."""
    views = dict(query(db, "select view_name, comment from duckdb_views() where not internal and not temporary"))
    assert set(views) >= PUBLISHED_VIEWS
    assert [name for name, comment in views.items() if not comment] == []
    missing = query(
        db,
        "select table_name, column_name from duckdb_columns() where table_name in (select unnest(?)) "
        "and (comment is null or comment = '')",
        [sorted(views)],
    )
    assert missing == []


def test_upsert_updates_in_place_and_reruns_write_nothing(db: Path):
    with store.connect(db) as conn:
        assert store.upsert_observations(conn, [stars("2026-01-01", 10), stars("2026-01-02", 11)]) == 2
        assert store.upsert_observations(conn, [stars("2026-01-01", 10), stars("2026-01-02", 11)]) == 0
        assert store.upsert_observations(conn, [stars("2026-01-02", 12)]) == 1
    assert query(db, "select date::varchar, value from observations order by date") == [
        ("2026-01-01", 10.0),
        ("2026-01-02", 12.0),
    ]
    assert query(db, "select window_days from observations") == [(None,), (None,)]


def test_zeros_over_real_levels_are_refused_and_nothing_is_written(db: Path):
    with store.connect(db) as conn:
        store.upsert_observations(conn, [stars("2026-01-01", 10)])
        with pytest.raises(store.RefusedBatchError, match="replace 1 stored non-zero"):
            store.upsert_observations(conn, [stars("2026-01-01", 0), stars("2026-01-03", 14)])
    assert query(db, "select date::varchar, value from observations") == [("2026-01-01", 10.0)]


def test_second_run_lock_fails_at_once(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    with store.run_lock(db), pytest.raises(LockedError, match="another ecotrends run"), store.run_lock(db):
        pass
    with store.run_lock(db):  # released after the first run
        pass


def test_breaks_are_loaded_and_joined_to_the_series_they_affect(db: Path):
    with store.connect(db) as conn:
        store.upsert_observations(
            conn, [Observation("pypi", "torch", "downloads_without_mirrors", date(2026, 8, 24), 1, 5, "t")]
        )
    rows = query(db, "select subject, date::varchar, title from series_breaks")
    assert rows == [("torch", "2026-08-24", "PyPI stops counting .metadata fetches")]
    assert query(db, "select count(*) >= 8 from methodology_breaks") == [(True,)]


def test_malformed_breaks_file_names_line_and_field(db: Path, tmp_path: Path):
    bad = tmp_path / "breaks.csv"
    bad.write_text(inputs.BREAKS_FILE.read_text().splitlines()[0] + "\n2026-13-01,pypi,*,*,t,d,r\n")
    with store.connect(db) as conn, pytest.raises(ConfigError, match="line 2: field 'date'"):
        inputs.sync_breaks(conn, bad)


def test_observation_keeps_no_key_index_and_a_batch_repeating_a_key_is_refused(db: Path):
    """Migration 013: no ART index (it held 14.7 GB for 30 million keys); the MERGE refuses a batch repeating a
    key instead, which an index would have refused, so no point is ever stored twice."""
    inputs.init_db(db)
    kinds = query(db, "select constraint_type from duckdb_constraints() where table_name = 'observation'")
    assert ("PRIMARY KEY",) not in kinds and ("UNIQUE",) not in kinds
    frame = store.observations_frame([stars("2026-01-01", 10), stars("2026-01-01", 11)], clock.utc_now(), None)
    with store.connect(db) as conn:
        conn.register("incoming_batch", frame)
        with pytest.raises(RefusedBatchError, match="2 times"):
            store.merge_batch(conn, "github", None)
        assert store.merge_batch(conn, "pypi", None) == 0  # another source's rows are not this batch's
    assert query(db, "select count(*) from observation where source = 'github' and subject = 'pytorch/pytorch'") == [
        (0,)
    ]


def test_migration_013_keeps_every_row_of_an_existing_database(tmp_path: Path):
    """A database made before migration 013 (primary key on observation) keeps every row, sorted by the key."""
    db = tmp_path / "before-013.duckdb"
    with store.connect(db) as conn:  # the tables as migrations 1 to 12 left them (today's views need later ones)
        conn.execute("create table schema_version (version integer primary key, name varchar not null, "
                     "applied_at timestamp not null default current_timestamp)")  # fmt: skip
        for version, name, file in schema.migrations():
            if version < 13:
                conn.execute(file.read_text(encoding="utf-8"))
                conn.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
        conn.execute(  # as that version's writer left them: in the order written
            "insert into observation values ('pypi', 'torch', 'downloads', '2026-01-01', 1, 5, 't', now(), null), "
            "('github', 'pytorch/pytorch', 'stars', '2026-01-02', 0, 11, 'test', now(), null), "
            "('github', 'pytorch/pytorch', 'stars', '2026-01-01', 0, 10, 'test', now(), null)"
        )
    assert ("PRIMARY KEY",) in query(
        db, "select constraint_type from duckdb_constraints() where table_name = 'observation'"
    )
    before = query(db, "select * from observation order by all")
    with store.connect(db) as conn:
        schema.apply_schema(conn)
    assert query(db, "select * from observation") == before  # in key order: github before pypi, days in order
    assert query(db, "select max(version) from schema_version") == [(schema.migrations()[-1][0],)]
    assert query(db, "select source, points, first_date::varchar from series_summary order by source") == [
        ("github", 2, "2026-01-01"),
        ("pypi", 1, "2026-01-01"),
    ]  # migration 014 summarised the rows already there
    with store.connect(db) as conn:  # upserts stay idempotent without the key
        assert store.upsert_observations(conn, [stars("2026-01-01", 10), stars("2026-01-02", 12)]) == 1
    assert query(db, "select count(*) from observation") == [(3,)]


def test_series_summary_follows_every_write_without_a_rebuild(db: Path):
    """Migration 014: the writers keep series_summary for the series they touch (appends from the cut on,
    points written into the largest gap, values changed, a new series), always equal to summarising every row."""
    inputs.init_db(db)
    whole = """
        select source, subject, metric, nullif(window_days, 0), count(*), min(date), max(date),
            coalesce(max(gap), 0), max(collected_at)
        from (select *, date - lag(date) over (partition by source, subject, metric, window_days order by date) as gap
              from observation)
        group by all order by all"""
    kept = """
        select source, subject, metric, window_days, points, first_date, last_date, largest_gap_days, last_collected
        from series_summary order by all"""
    writes = [
        [stars("2026-01-01", 10), stars("2026-01-05", 12)],  # a new series: a gap of 4 days
        [stars("2026-01-06", 13), stars("2026-01-07", 14)],  # appended after the gap
        [stars("2026-01-07", 15), stars("2026-01-20", 16)],  # the last day changed, then a larger gap
        [stars("2026-01-03", 11)],  # written into the first gap (no longer the largest)
        [stars("2026-01-12", 11)],  # written into the largest gap: it shrinks to 8 days
        [Observation("pypi", "torch", "downloads", date(2026, 1, 1), 1, 5.0, "t")],
    ]
    for step, batch in enumerate(writes):
        with stopped_clock(RECORDED_NOW + timedelta(minutes=step)), store.connect(db) as conn:
            store.upsert_observations(conn, batch)
        assert query(db, kept) == query(db, whole), f"after write {step}"
    assert query(db, "select largest_gap_days from series_summary where subject = 'pytorch/pytorch'") == [(8,)]
