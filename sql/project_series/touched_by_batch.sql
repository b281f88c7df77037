-- The project series a write touched (collectors.store.merge_batch): the projects whose subjects the batch holds
-- (the relation batch_series, sql/batch_series.sql), per stored metric and window, from the batch's first day on;
-- all of each series with $whole (points were also removed: a Trends timeframe replaced). A batch of a share's
-- denominator (all deep-learning papers of a month) touches every project's mentions of that source from its first
-- day, so their shares are derived again. Appended to pending_project_series, which sql/project_series/derive.sql
-- works off when the transaction ends (collectors.store.transaction): a bulk load of many batches derives each
-- project series once.
insert into pending_project_series
with own as (
    select s.project_id, b.source, b.metric, b.window_days, b.first_day
    from batch_series as b
    join project_subject as s on s.source = b.source and s.subject = b.subject
),
denominator_of as (
    select p.project_id, d.source, d.share_of as metric, b.window_days, b.first_day
    from batch_series as b
    join source_series as d
        on d.source = b.source and d.denominator_subject = b.subject and d.denominator_metric = b.metric
    join (select distinct project_id, source from project_subject) as p on p.source = d.source
)
select project_id, source, metric, window_days,
    case when $whole::boolean then date '0001-01-01' else min(first_day) end as cut
from (select * from own union all select * from denominator_of)
group by project_id, source, metric, window_days;
