-- Keep series_summary with a write (collectors.store.merge_batch): the series the batch touches (the relation
-- batch_series, sql/batch_series.sql) are summarised again. Rows before the batch's first day (the cut) are
-- unchanged, so when the series' largest gap ends before the cut, the stored gap still holds for them and only the
-- rows from the cut on are put in date order; otherwise ($whole, a new series, or a gap reaching past the cut:
-- points written into it) the whole series is.
create or replace temp table touched_series as
with summarised as (
    select t.*, s.largest_gap_days, s.largest_gap_ends, s.last_collected,
        $whole::boolean or s.source is null or s.largest_gap_ends >= t.first_day as whole
    from batch_series as t
    left join series_summary as s
        on s.source = t.source and s.subject = t.subject and s.metric = t.metric
        and coalesce(s.window_days, 0) = t.window_days
)
select source, subject, metric, window_days,
    case when whole then date '0001-01-01' else first_day end as cut,
    case when not whole then largest_gap_days end as kept_gap,
    case when not whole then largest_gap_ends end as kept_gap_ends,
    case when not whole then last_collected end as kept_collected
from summarised;

create or replace temp table touched_summary as
with series_rows as (
    select t.source, t.subject, t.metric, t.window_days, t.cut, o.date, o.collected_at
    from observation as o
    join touched_series as t
        on t.source = o.source and t.subject = o.subject and t.metric = o.metric and t.window_days = o.window_days
),
before_cut as (
    -- one pass, no sort: how many points, from when, and the last day before the cut
    select source, subject, metric, window_days, count(*) filter (where date < cut) as points,
        max(date) filter (where date < cut) as last_date, min(date) as first_date
    from series_rows
    group by all
),
from_cut as (
    select r.source, r.subject, r.metric, r.window_days, r.date, r.collected_at,
        -- the first row after the cut is a gap from the last row before it
        r.date - coalesce(lag(r.date) over (partition by r.source, r.subject, r.metric, r.window_days order by r.date),
            p.last_date) as gap
    from series_rows as r
    join before_cut as p using (source, subject, metric, window_days)
    where r.date >= r.cut
),
after_cut as (
    select source, subject, metric, window_days, count(*) as points, max(date) as last_date,
        max(collected_at) as last_collected, coalesce(max(gap), 0) as gap, arg_max(date, gap) as gap_ends
    from from_cut
    group by all
)
select p.source, p.subject, p.metric, nullif(p.window_days, 0) as window_days,
    p.points + coalesce(a.points, 0) as points, p.first_date, coalesce(a.last_date, p.last_date) as last_date,
    greatest(coalesce(t.kept_gap, 0), coalesce(a.gap, 0)) as largest_gap_days,
    greatest(t.kept_collected, a.last_collected) as last_collected,
    case when coalesce(a.gap, 0) > coalesce(t.kept_gap, 0) then a.gap_ends else t.kept_gap_ends end
        as largest_gap_ends
from before_cut as p
join touched_series as t using (source, subject, metric, window_days)
left join after_cut as a using (source, subject, metric, window_days);

delete from series_summary as s
using touched_series as t
where s.source = t.source and s.subject = t.subject and s.metric = t.metric
    and coalesce(s.window_days, 0) = t.window_days;

insert into series_summary by name
select * from touched_summary;

drop table touched_summary;

drop table touched_series;
