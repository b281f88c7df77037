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
    -- an interrupted run's end is when the next run noticed it, not when it stopped: no duration
    case when status <> 'interrupted' then date_diff('second', started_at, coalesce(finished_at, started_at)) end
        as duration_seconds
from collection_run;

comment on view collection_runs is 'Every run of every source: when, outcome, rows written, requests made and the error text of a failure.';
comment on column collection_runs.run_id is 'Run number.';
comment on column collection_runs.source is 'Source collected or imported (github, pypi, arxiv, trends, or the source name of imported rows).';
comment on column collection_runs.command is 'collect, backfill, import (ecotrends import) or seed (the shipped history).';
comment on column collection_runs.started_at is 'Start (UTC).';
comment on column collection_runs.finished_at is 'End (UTC); null while running or when the process was killed; for an interrupted run, when the next run noticed it.';
comment on column collection_runs.status is 'ok, partial (some subjects failed), failed, interrupted (its process was killed; the next run closed it), or running or interrupted (not closed yet).';
comment on column collection_runs.rows_written is 'Observations inserted or changed.';
comment on column collection_runs.requests_made is 'HTTP requests sent, retries included.';
comment on column collection_runs.error is 'What went wrong, for partial and failed runs.';
comment on column collection_runs.duration_seconds is 'Seconds from start to end; null for an interrupted run.';

-- Per source, from the runs alone: what the app reads beside its stored counts (series_summary).
create or replace view source_runs as
with runs as (
    select *
    from collection_run
    where not (source = 'import' and command = 'import')  -- before 0.2 an import was one run named 'import'
),
last_collect as (
    select source, max(finished_at) as last_success
    from runs
    where status in ('ok', 'partial') and command = 'collect'
    group by source
),
last_import as (
    select source, max(finished_at) as last_import, arg_max(command, finished_at) as last_import_command,
        arg_max(rows_written, finished_at) as last_import_rows
    from runs
    where status = 'ok' and command in ('import', 'seed')
    group by source
),
last_run as (
    select source, max(started_at) as last_started, arg_max(command, started_at) as last_command,
        arg_max(status, started_at) as last_status, arg_max(error, started_at) as last_error
    from runs
    group by source
)
select
    r.source,
    c.last_success,
    r.last_started,
    r.last_command,
    case when r.last_status = 'running' then 'running or interrupted' else r.last_status end as last_status,
    r.last_error,
    i.last_import,
    i.last_import_command,
    i.last_import_rows
from last_run as r
left join last_collect as c using (source)
left join last_import as i using (source);

comment on view source_runs is 'Per source: its last successful collection, its last import or seed load, and the outcome of its most recent run of any kind.';
comment on column source_runs.source is 'Source name.';
comment on column source_runs.last_success is 'End of the last collect run that finished ok or partial (UTC); null if the source was never collected.';
comment on column source_runs.last_started is 'Start of the most recent run of any kind (UTC).';
comment on column source_runs.last_command is 'collect, backfill, import or seed: the command of the most recent run.';
comment on column source_runs.last_status is 'Outcome of the most recent run: ok, partial, failed, interrupted, or running or interrupted.';
comment on column source_runs.last_error is 'Error text of the most recent run, if any.';
comment on column source_runs.last_import is 'End of the last successful import or seed load of this source (UTC).';
comment on column source_runs.last_import_command is 'import (ecotrends import) or seed (the history shipped with ecotrends).';
comment on column source_runs.last_import_rows is 'Observations that import inserted or changed.';

create or replace view source_freshness as
with stored as (
    select source, count(*) as observations, max(date) as newest_date
    from observation
    group by source
)
select
    coalesce(r.source, s.source) as source,
    r.last_success,
    date_diff('hour', r.last_success, now()::timestamp) as hours_since_success,
    r.last_started,
    r.last_command,
    r.last_status,
    r.last_error,
    r.last_import,
    r.last_import_command,
    r.last_import_rows,
    coalesce(s.observations, 0) as observations,
    s.newest_date
from source_runs as r
full outer join stored as s on s.source = r.source;

comment on view source_freshness is 'Per source: the last successful collection and its age, the last import, the last run''s outcome and what is stored.';
comment on column source_freshness.source is 'Source name.';
comment on column source_freshness.last_success is 'End of the last collect run that finished ok or partial (UTC).';
comment on column source_freshness.hours_since_success is 'Hours since last_success.';
comment on column source_freshness.last_started is 'Start of the most recent run of any kind.';
comment on column source_freshness.last_command is 'Command of the most recent run: collect, backfill, import or seed.';
comment on column source_freshness.last_status is 'Outcome of the most recent run.';
comment on column source_freshness.last_error is 'Error text of the most recent run, if any.';
comment on column source_freshness.last_import is 'End of the last successful import or seed load (UTC).';
comment on column source_freshness.last_import_command is 'import or seed.';
comment on column source_freshness.last_import_rows is 'Observations that import inserted or changed.';
comment on column source_freshness.observations is 'Observations stored for the source.';
comment on column source_freshness.newest_date is 'Newest date among them.';
