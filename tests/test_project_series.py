"""project_observation (migration 015), the table behind the published project_series: the writers keep it for
the series each write touches, and it always equals deriving every project series from every row."""

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from collectors import inputs, schema, sources, store
from collectors.projects import load_projects
from collectors.store import Observation
from tests.conftest import RECORDED_NOW, query, stopped_clock

# project_series as it was defined before the table: every project's subjects summed per day over all rows, and
# the shares a source declares beside its mentions
DEFINITION = """
with mapped as (
    select s.project_id, o.source, o.metric, o.date, o.window_days, o.value, o.origin
    from observation as o
    join project_subject as s on s.source = o.source and s.subject = o.subject
),
summed as (
    select project_id, source, metric, date, window_days, sum(value) as value, null::double as denominator,
        min(origin) || case when count(*) > 1 then format(' (and {} more packages)', count(*) - 1) else '' end
            as origin
    from mapped
    group by project_id, source, metric, date, window_days
),
shares as (
    select m.project_id, m.source, d.metric, m.date, m.window_days, m.value, t.value, m.origin
    from summed as m
    join source_series as d on d.source = m.source and d.share_of = m.metric
    join observation as t
        on t.source = d.source and t.subject = d.denominator_subject and t.metric = d.denominator_metric
        and t.date = m.date and t.window_days = m.window_days
)
select * from summed union all select * from shares order by all
"""
KEPT = "select * from project_series order by all"


def point(source: str, subject: str, metric: str, day: str, value: float, window: int | None = None,
          origin: str = "test") -> Observation:  # fmt: skip
    return Observation(source, subject, metric, date.fromisoformat(day), window, value, origin)


def write(db: Path, batch: list[Observation], minute: int) -> None:
    with stopped_clock(RECORDED_NOW + timedelta(minutes=minute)), store.connect(db) as conn:
        store.upsert_observations(conn, batch)


def mentions(day: str, value: float, subject: str = "pytorch") -> Observation:
    return point("arxiv", subject, "papers_mentioning", day, value, 31)


def all_papers(day: str, value: float) -> Observation:
    return point("arxiv", "deep-learning", "papers_total", day, value, 31)


def stars(day: str, value: float) -> Observation:
    return point("github", "pytorch/pytorch", "stars", day, value)


def tensorflow(package: str, day: str, value: float) -> Observation:
    return point("pypi", package, "downloads_without_mirrors", day, value, 1)


WRITES = [
    # a project's packages summed per day: one package first, then a second on the same and on a new day
    [tensorflow("tensorflow", "2026-01-01", 100), tensorflow("tensorflow", "2026-01-02", 110)],
    [tensorflow("tensorflow-gpu", "2026-01-02", 7), tensorflow("tensorflow-gpu", "2026-01-03", 8)],
    # a value changed in the middle of the series
    [tensorflow("tensorflow", "2026-01-01", 101)],
    # mentions before their denominator (no share yet), then the denominator (the shares appear), then changed
    [mentions("2025-12-31", 40), mentions("2026-01-31", 50), mentions("2026-01-31", 9, "tensorflow")],
    [all_papers("2025-12-31", 1000), all_papers("2026-01-31", 1100)],
    [all_papers("2026-01-31", 1200)],
    # a level, and a point written before the first one
    [stars("2026-01-05", 10), stars("2026-01-07", 12)],
    [stars("2026-01-01", 8)],
    # a subject no project is filed under
    [point("github", "nobody/nothing", "stars", "2026-01-01", 1)],
]


def test_project_series_follows_every_write(db: Path):
    for step, batch in enumerate(WRITES):
        write(db, batch, step)
        assert query(db, KEPT) == query(db, DEFINITION), f"after write {step}"
    rows = dict(query(db, "select date::varchar, value from project_series where project_id = 'tensorflow' "
                          "and source = 'pypi' order by date"))  # fmt: skip
    assert rows == {"2026-01-01": 101.0, "2026-01-02": 117.0, "2026-01-03": 8.0}
    share = query(db, "select value, denominator from project_series where project_id = 'pytorch' "
                      "and metric = 'share_of_deep_learning' and date = '2026-01-31'")  # fmt: skip
    assert share == [(50.0, 1200.0)]


def test_refiling_projects_derives_their_series_again(db: Path):
    """A project left out of data/projects.toml loses its series; filed again (or re-filed under other
    subjects), it has them back, all in the transaction that changed project_subject."""
    for step, batch in enumerate(WRITES):
        write(db, batch, step)
    projects = load_projects()
    without = [p for p in projects if p.id != "tensorflow"]
    with store.connect(db) as conn:
        inputs.sync_projects(conn, without)
    assert query(db, "select count(*) from project_series where project_id = 'tensorflow'") == [(0,)]
    assert query(db, KEPT) == query(db, DEFINITION)
    fewer = [p if p.id != "tensorflow" else dataclasses.replace(p, pypi=("tensorflow",)) for p in projects]
    with store.connect(db) as conn:
        inputs.sync_projects(conn, fewer)
    assert query(db, "select sum(value) from project_series where project_id = 'tensorflow' "
                     "and source = 'pypi'") == [(211.0,)]  # fmt: skip
    assert query(db, KEPT) == query(db, DEFINITION)
    with store.connect(db) as conn:
        inputs.sync_projects(conn, projects)
    assert query(db, KEPT) == query(db, DEFINITION)


def test_removed_points_and_a_failed_transaction(db: Path):
    """A write that also removes points (a Trends timeframe replaced) re-derives the series whole; a transaction
    that fails after merging leaves the table as it was, and the next write still keeps it."""
    for step, batch in enumerate(WRITES):
        write(db, batch, step)
    before = query(db, KEPT)
    frame = store.observations_frame([tensorflow("tensorflow", "2026-02-01", 1)], RECORDED_NOW, None)
    with store.connect(db) as conn, pytest.raises(RuntimeError), store.transaction(conn):
        store.upsert_frame(conn, frame)
        raise RuntimeError("a failure after the merge")
    assert query(db, KEPT) == before
    frame = store.observations_frame([tensorflow("tensorflow", "2026-01-02", 110)], RECORDED_NOW, None)
    with store.connect(db) as conn, store.transaction(conn):
        conn.execute("delete from observation where subject = 'tensorflow' and date = '2026-01-01'")
        store.summarise_series(conn, frame)
    assert query(db, KEPT) == query(db, DEFINITION)
    assert query(db, "select min(date)::varchar from project_series where project_id = 'tensorflow' "
                     "and source = 'pypi'") == [("2026-01-02",)]  # fmt: skip


def test_a_share_declared_anew_is_derived_for_stored_rows(db: Path, monkeypatch: pytest.MonkeyPatch):
    """The shares follow the sources' declarations: a share no longer declared leaves the table, declared again it
    is derived from the rows already stored."""
    for step, batch in enumerate(WRITES):
        write(db, batch, step)
    registry = sources.registry()
    arxiv = registry["arxiv"]
    without_share = dataclasses.replace(arxiv, series=tuple(s for s in arxiv.series if s.share_of is None))
    monkeypatch.setattr(sources, "registry", lambda: {**registry, "arxiv": without_share})
    with store.connect(db) as conn:
        inputs.sync_sources(conn)
    assert query(db, "select count(*) from project_series where metric = 'share_of_deep_learning'") == [(0,)]
    assert query(db, KEPT) == query(db, DEFINITION)
    monkeypatch.setattr(sources, "registry", lambda: registry)
    with store.connect(db) as conn:
        inputs.sync_sources(conn)
    assert query(db, "select count(*) from project_series where metric = 'share_of_deep_learning'") == [(3,)]
    assert query(db, KEPT) == query(db, DEFINITION)


def test_migration_015_fills_the_table_from_the_rows_already_stored(db: Path):
    """A database from before migration 015 gets project_observation filled once from its rows."""
    for step, batch in enumerate(WRITES):
        write(db, batch, step)
    with store.connect(db) as conn:  # as it was before the migration
        conn.execute("drop view project_series")
        conn.execute("drop table project_observation")
        conn.execute("delete from schema_version where version >= 15")
    with store.connect(db) as conn:
        schema.apply_schema(conn)
    assert query(db, "select count(*) from project_series") == [(len(query(db, DEFINITION)),)]
    assert query(db, KEPT) == query(db, DEFINITION)


def test_a_commit_with_nothing_pending_derives_nothing(db: Path):
    """A connection noted as touching project series without a pending table (its id reused after a close) commits
    as any other; the table is unchanged."""
    write(db, WRITES[0], 0)
    before = query(db, KEPT)
    with store.connect(db) as conn:
        store._touched_project_series.add(id(conn))  # as a closed connection with this id left it
        with store.transaction(conn):
            conn.execute("select 1")
    assert query(db, KEPT) == before
