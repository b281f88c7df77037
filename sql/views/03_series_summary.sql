-- series_summary_of(batch, only_source): the series_summary rows (migration 014) of the series that the relation
-- named `batch` (rows with source, subject, metric and window_days; of `only_source` alone unless it is null)
-- touches, recomputed from observation. The writers call it for each batch they merge (sql/series_summary_update.sql),
-- so the summary follows every write without reading the other series.
create or replace macro series_summary_of(batch, only_source) as table
with touched as (
    select distinct b.source, b.subject, b.metric, b.window_days::integer as window_days
    from query_table(batch) as b
    where only_source is null or b.source = only_source
),
points as (
    select o.source, o.subject, o.metric, o.window_days, o.date, o.collected_at,
        o.date - lag(o.date) over (partition by o.source, o.subject, o.metric, o.window_days order by o.date) as gap
    from observation as o
    semi join touched as t
        on t.source = o.source and t.subject = o.subject and t.metric = o.metric and t.window_days = o.window_days
)
select source, subject, metric, nullif(window_days, 0) as window_days, count(*) as points,
    min(date) as first_date, max(date) as last_date, coalesce(max(gap), 0) as largest_gap_days,
    max(collected_at) as last_collected
from points
group by source, subject, metric, window_days;
