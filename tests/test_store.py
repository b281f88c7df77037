from datetime import date
from pathlib import Path

import pytest

from collectors import inputs, store
from collectors.errors import ConfigError, LockedError
from collectors.store import Observation
from tests.conftest import query

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
    assert versions == [(v,) for v, _, _ in store.migrations()]


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
