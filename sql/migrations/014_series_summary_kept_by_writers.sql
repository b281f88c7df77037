-- series_summary (one row per stored series: points, first and last day, largest gap and where it ends, last
-- collected) becomes a table the writers keep (issue 26): each MERGE into observation recomputes the rows of the
-- series its batch touched (collectors.store.merge_batch, sql/series_summary_update.sql), instead of every
-- collection rebuilding it from every row (19 s and a sort of the whole table at 8.7 million rows). Where the
-- largest gap ends lets a write that touches a series only after that day (a daily collect appending and re-reading
-- its last days) update the summary from the touched days alone. This migration fills it once from the rows.
create or replace table series_summary as
with points as (
    select source, subject, metric, window_days, date, collected_at,
        date - lag(date) over (partition by source, subject, metric, window_days order by date) as gap
    from observation
)
select source, subject, metric, nullif(window_days, 0) as window_days, count(*) as points,
    min(date) as first_date, max(date) as last_date, coalesce(max(gap), 0) as largest_gap_days,
    max(collected_at) as last_collected, arg_max(date, gap) as largest_gap_ends
from points
group by source, subject, metric, window_days
order by source, subject, metric, window_days;
