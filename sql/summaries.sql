-- Summary tables the app reads, rebuilt after every collection, backfill and import
-- (collectors.store.refresh_summaries). They are snapshots of the views for speed: on three million
-- observations the views take up to a second, these tables answer in milliseconds. Query the views for
-- the live truth; these are internal and may lag a running collection by one run.

create or replace table series_summary as
with points as (
    select source, subject, metric, window_days, date, collected_at,
        date - lag(date) over (partition by source, subject, metric, window_days order by date) as gap
    from observation
)
select source, subject, metric, nullif(window_days, 0) as window_days, count(*) as points,
    min(date) as first_date, max(date) as last_date, coalesce(max(gap), 0) as largest_gap_days,
    max(collected_at) as last_collected
from points
group by source, subject, metric, window_days
order by source, subject, metric, window_days;

create or replace table project_overview as
with stars as (
    select p.project_id, o.date, o.value
    from observation as o
    join project as p on lower(p.github_repo) = lower(o.subject)
    where o.source = 'github' and o.metric = 'stars' and o.window_days = 0
),
latest as (
    select project_id, max(date) as stars_date, arg_max(value, date) as stars_now
    from stars
    group by project_id
),
month_ago as (
    select l.project_id, s.value as stars_30d_ago
    from latest as l
    asof join stars as s on s.project_id = l.project_id and l.stars_date - 30 >= s.date
),
year_ago as (
    select l.project_id, s.value as stars_year_ago
    from latest as l
    asof join stars as s on s.project_id = l.project_id and l.stars_date - 365 >= s.date
),
star_trend as (
    select s.project_id, list(s.value order by s.date) as stars_trend
    from stars as s
    join latest as l using (project_id)
    where s.date > l.stars_date - 180
    group by s.project_id
),
daily_downloads as (
    select pp.project_id, o.date, sum(o.value) as downloads
    from observation as o
    join project_package as pp on pp.package = o.subject
    where o.source = 'pypi' and o.metric = 'downloads_without_mirrors' and o.window_days = 1
    group by pp.project_id, o.date
),
downloads as (
    select project_id,
        sum(downloads) filter (where date > newest - 30) as downloads_30d,
        sum(downloads) filter (where date <= newest - 30 and date > newest - 60) as downloads_prev_30d,
        list(downloads order by date) filter (where date > newest - 180) as downloads_trend
    from (select *, max(date) over () as newest from daily_downloads)
    group by project_id
),
arxiv as (
    select subject as project_id, sum(value) as mentions_12m
    from observation
    where source = 'arxiv' and metric = 'papers_mentioning'
        and date > (select max(date) from observation where source = 'arxiv' and metric = 'papers_mentioning')
                   - interval 12 month
    group by subject
),
trends as (
    select p.project_id, arg_max(o.value, o.date) as interest_now, max(o.date) as interest_week
    from observation as o
    join project as p on lower(p.trends_term) = lower(o.subject)
    where o.source = 'trends' and o.metric = 'interest' and o.window_days = 7
    group by p.project_id
)
select p.project_id, p.name, p.color,
    l.stars_now, l.stars_date, l.stars_now - m.stars_30d_ago as stars_gain_30d,
    l.stars_now - y.stars_year_ago as stars_gain_1y, st.stars_trend,
    d.downloads_30d, d.downloads_30d / nullif(d.downloads_prev_30d, 0) - 1 as downloads_growth, d.downloads_trend,
    a.mentions_12m, a.mentions_12m / nullif(sum(a.mentions_12m) over (), 0) as arxiv_share_12m,
    t.interest_now, t.interest_week
from project as p
left join latest as l using (project_id)
left join month_ago as m using (project_id)
left join year_ago as y using (project_id)
left join star_trend as st using (project_id)
left join downloads as d using (project_id)
left join arxiv as a using (project_id)
left join trends as t using (project_id)
order by p.project_id;

create or replace table trends_requests as
select timeframe, resolution, batch, max(collected_at) as collected, count(*) as points
from trends_interest
group by all;

create or replace table claim_checks_snapshot as
select * from claim_checks;
