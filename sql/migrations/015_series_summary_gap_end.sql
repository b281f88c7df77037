-- series_summary also records where its largest gap ends (issue 26): a write that only touches a series after that
-- day (a daily collect appending and re-reading its last days) then updates the summary from the touched days
-- alone, without sorting the series' whole history (sql/series_summary_update.sql). Filled once from the rows.
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
