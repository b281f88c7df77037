-- Summary tables the app reads, rebuilt after every collection, backfill and import
-- (collectors.store.refresh_summaries). They are snapshots of the views for speed: on three million
-- observations the views take up to a second, these tables answer in milliseconds. Query the views for
-- the live truth; these are internal and may lag a running collection by one run. series_summary is not rebuilt
-- here: the writers keep it with every batch they merge (migration 014).

-- The signals the Overview shows (one per source that declares one), each on one rung of the evidence ladder for all
-- projects: the best
-- rung that holds at least two projects (the shipped history has only the 30-day PyPI windows; a collected
-- database has PyPI Stats days). Counts are per day here and shown per the rung's unit.
create or replace table signal_points as
with signals as (
    select signal, source as claim_source, claim_metric, title from source_signal
),
candidates as (
    select s.signal, s.title, l.rung, l.label, l.unit_days, l.unit_label, l.is_level, p.project_id, p.date,
        p.window_days, p.value, p.origin
    from signals as s
    join evidence_ladder as l on l.claim_source = s.claim_source and l.claim_metric = s.claim_metric
    -- the curated projects alone: the catalogue's are searched for, not ranked on the Overview
    join (select * from project_observation where project_id in (select project_id from project)) as p
        on p.source = l.source and p.metric = l.metric and p.window_days between l.min_window and l.max_window
),
chosen as (
    select signal, min(rung) as rung
    from (select signal, rung from candidates group by signal, rung having count(distinct project_id) >= 2)
    group by signal
)
select c.signal, c.title, c.rung, c.label, c.unit_days, c.unit_label, c.is_level, c.project_id, c.date,
    c.window_days, c.value,
    case when c.is_level then c.value else c.value / greatest(c.window_days, 1) end as per_day,
    c.origin
from candidates as c
join chosen using (signal, rung)
order by c.signal, c.project_id, c.date;

-- One row per project and signal: the latest value (in the signal's unit) and its day, the change over about a
-- month and a year (a gain for levels, a ratio for counts), the project's share of the tracked projects' counts
-- over the signal's latest year, and a year of values for a sparkline.
create or replace table project_signals as
with latest as (
    select signal, project_id, max(date) as as_of, arg_max(per_day, date) as per_day
    from signal_points
    group by signal, project_id
),
earlier as (
    -- the value about a month and a year before the latest one (the nearest point at or before)
    select l.signal, l.project_id,
        (select arg_max(p.per_day, p.date) from signal_points as p
         where p.signal = l.signal and p.project_id = l.project_id and p.date <= l.as_of - 30) as month_before,
        (select arg_max(p.per_day, p.date) from signal_points as p
         where p.signal = l.signal and p.project_id = l.project_id and p.date <= l.as_of - 365) as year_before
    from latest as l
),
trend as (
    select p.signal, p.project_id, list(p.per_day * p.unit_days order by p.date) as trend
    from signal_points as p
    join latest as l using (signal, project_id)
    where p.date > l.as_of - 365
    group by p.signal, p.project_id
),
shares as (
    select p.signal, p.project_id, sum(p.value) / sum(sum(p.value)) over (partition by p.signal) as share
    from signal_points as p
    join (select signal, max(date) as newest from signal_points group by signal) as n using (signal)
    where not p.is_level and p.date > n.newest - 365
    group by p.signal, p.project_id
),
kinds as (
    select signal, any_value(title) as title, any_value(label) as basis, any_value(is_level) as is_level,
        any_value(unit_days) as unit_days, any_value(unit_label) as unit_label
    from signal_points
    group by signal
)
select
    l.signal,
    k.title,
    l.project_id,
    l.per_day * k.unit_days as latest,
    l.as_of,
    case when k.is_level then l.per_day - e.month_before else l.per_day / nullif(e.month_before, 0) - 1 end
        as change_month,
    case when k.is_level then l.per_day - e.year_before else l.per_day / nullif(e.year_before, 0) - 1 end
        as change_year,
    sh.share,
    t.trend,
    k.is_level,
    k.unit_label,
    k.basis
from latest as l
join kinds as k using (signal)
left join earlier as e using (signal, project_id)
left join trend as t using (signal, project_id)
left join shares as sh using (signal, project_id)
order by l.signal, l.project_id;

-- One line per signal, computed: who leads on the newest day with data, since when without a break, and who
-- follows ("PyTorch leads on downloads since 2022-10-01, ahead of TensorFlow").
create or replace table signal_headlines as
with leaders as (
    select signal, date, arg_max(project_id, per_day) as leader, max(per_day) as top,
        count(*) as projects
    from signal_points
    group by signal, date
    having count(*) >= 2
),
latest as (
    select signal, arg_max(leader, date) as leader, max(date) as as_of
    from leaders
    group by signal
),
since as (
    select l.signal,
        -- the first day after the leader was last beaten (a day it has no point does not count against it)
        (select min(x.date) from leaders as x
         where x.signal = l.signal and x.date > coalesce(
             (select max(y.date) from leaders as y
              join signal_points as q on q.signal = y.signal and q.date = y.date and q.project_id = l.leader
              where y.signal = l.signal and y.leader <> l.leader), date '0001-01-01')) as leads_since,
        (select min(date) from leaders as z where z.signal = l.signal) as records_from
    from latest as l
),
runner_up as (
    select p.signal, arg_max(p.project_id, p.per_day) as second, max(p.per_day) as second_value
    from signal_points as p
    join latest as l on l.signal = p.signal and p.date = l.as_of and p.project_id <> l.leader
    group by p.signal
)
select
    l.signal,
    any_value(sp.title) as title,
    any_value(sp.label) as basis,
    any_value(sp.unit_days) as unit_days,
    any_value(sp.unit_label) as unit_label,
    l.leader,
    max(sp.per_day) filter (where sp.project_id = l.leader and sp.date = l.as_of) as leader_value,
    s.leads_since,
    s.leads_since = s.records_from as since_records_began,
    r.second,
    r.second_value,
    l.as_of
from latest as l
join since as s using (signal)
left join runner_up as r using (signal)
join signal_points as sp using (signal)
group by l.signal, l.leader, s.leads_since, s.records_from, r.second, r.second_value, l.as_of
order by l.signal;

create or replace table trends_requests as
select timeframe, resolution, batch, max(collected_at) as collected, count(*) as points
from trends_interest
group by all;

create or replace table claim_checks_snapshot as
select * from claim_checks;

-- Every project ecotrends knows, the curated ones (data/projects.toml) and the shipped catalogue's, with its latest
-- stars and downloads on the best rung of their evidence ladders that holds a point: the project search ranks on
-- these, and the known_projects view publishes them. Downloads are per 30 days, whatever the window.
create or replace table project_directory as
with rungs as (
    select g.signal, l.rung, l.source, l.metric, l.min_window, l.max_window, l.is_level
    from source_signal as g
    join evidence_ladder as l on l.claim_source = g.source and l.claim_metric = g.claim_metric
    where g.signal in ('stars', 'downloads')
),
rows as not materialized (
    -- per project and day (project_observation sums a project's packages per window), counts per 30 days
    select r.signal, r.rung, p.project_id, p.date,
        case when r.is_level then p.value else p.value / greatest(p.window_days, 1) * 30 end as value
    from rungs as r
    join project_observation as p
        on p.source = r.source and p.metric = r.metric and p.window_days between r.min_window and r.max_window
),
last_day as (
    select signal, rung, project_id, max(date) as as_of
    from rows
    group by signal, rung, project_id
),
per_rung as (
    -- the latest day's value, its windows summed: grouping every project's every day first held millions of
    -- groups at once (30 million observations), beyond the writers' memory
    select d.signal, d.rung, d.project_id, d.as_of, sum(r.value) as value
    from last_day as d
    join rows as r on r.signal = d.signal and r.rung = d.rung and r.project_id = d.project_id and r.date = d.as_of
    group by d.signal, d.rung, d.project_id, d.as_of
),
latest as (
    select signal, project_id, arg_min(value, rung) as value, arg_min(as_of, rung) as as_of
    from per_rung
    group by signal, project_id
)
select l.project_id, l.name, l.github_repo, l.pypi, l.curated, l.basis,
    st.value as stars, st.as_of as stars_date, dl.value as downloads_30d, dl.as_of as downloads_date
from known_projects as l
left join latest as st on st.project_id = l.project_id and st.signal = 'stars'
left join latest as dl on dl.project_id = l.project_id and dl.signal = 'downloads'
order by l.project_id;
