-- Collection runs and the freshness of each source.
create or replace view collection_runs as
select
    run_id,
    source,
    command,
    started_at,
    finished_at,
    case when status = 'running' and finished_at is null then 'running or interrupted' else status end as status,
    rows_written,
    requests_made,
    error,
    date_diff('second', started_at, coalesce(finished_at, started_at)) as duration_seconds
from collection_run;

comment on view collection_runs is 'Every run of every source: when, outcome, rows written, requests made and the error text of a failure.';
comment on column collection_runs.run_id is 'Run number.';
comment on column collection_runs.source is 'Source collected (github, pypi, arxiv, trends, or an import).';
comment on column collection_runs.command is 'collect, backfill or import.';
comment on column collection_runs.started_at is 'Start (UTC).';
comment on column collection_runs.finished_at is 'End (UTC); null while running or when the process was killed.';
comment on column collection_runs.status is 'ok, partial (some subjects failed), failed, or running or interrupted.';
comment on column collection_runs.rows_written is 'Observations inserted or changed.';
comment on column collection_runs.requests_made is 'HTTP requests sent, retries included.';
comment on column collection_runs.error is 'What went wrong, for partial and failed runs.';
comment on column collection_runs.duration_seconds is 'Seconds from start to end.';

create or replace view source_freshness as
with last_ok as (
    select source, max(finished_at) as last_success
    from collection_run
    where status in ('ok', 'partial') and command = 'collect'
    group by source
),
last_run as (
    select source, arg_max(status, started_at) as last_status, arg_max(error, started_at) as last_error,
        max(started_at) as last_started
    from collection_run
    group by source
),
stored as (
    select source, count(*) as observations, max(date) as newest_date
    from observation
    group by source
)
select
    coalesce(r.source, s.source) as source,
    o.last_success,
    date_diff('hour', o.last_success, now()::timestamp) as hours_since_success,
    r.last_started,
    r.last_status,
    r.last_error,
    coalesce(s.observations, 0) as observations,
    s.newest_date
from last_run as r
full outer join stored as s on s.source = r.source
left join last_ok as o on o.source = coalesce(r.source, s.source);

comment on view source_freshness is 'Per source: the last successful collection, its age, the last run''s outcome and what is stored.';
comment on column source_freshness.source is 'Source name.';
comment on column source_freshness.last_success is 'End of the last collect run that finished ok or partial (UTC).';
comment on column source_freshness.hours_since_success is 'Hours since last_success.';
comment on column source_freshness.last_started is 'Start of the most recent run of any kind.';
comment on column source_freshness.last_status is 'Outcome of the most recent run.';
comment on column source_freshness.last_error is 'Error text of the most recent run, if any.';
comment on column source_freshness.observations is 'Observations stored for the source.';
comment on column source_freshness.newest_date is 'Newest date among them.';
