-- Keep project_observation (migration 015) for the series pending_project_series names (project_id, source,
-- stored metric, window_days, cut; sql/project_series/touched_by_*.sql), when the writing transaction ends: the
-- rows of those series from the cut on are derived again from observation, with the shares the source declares on
-- them, and replace the stored ones. A project published as several packages (TensorFlow) counts their sum on each
-- day; a project's only subject is copied without grouping. Rows go in sorted by project, so that a project's
-- series sit in few row groups and a read of one project skips the rest.
create or replace temp table touched_project_series as
select project_id, source, metric, window_days, min(cut) as cut
from pending_project_series
group by all;

drop table pending_project_series;

-- the stored rows of those series and of the shares derived from them
delete from project_observation as p
using (
    select project_id, source, metric, window_days, cut
    from touched_project_series
    union all
    select t.project_id, t.source, d.metric, t.window_days, t.cut
    from touched_project_series as t
    join source_series as d on d.source = t.source and d.share_of = t.metric
) as t
where p.project_id = t.project_id and p.source = t.source and p.metric = t.metric
    and p.window_days = t.window_days and p.date >= t.cut;

-- the subjects of the touched projects, and how many each project has in that source
create or replace temp table touched_subject as
select s.project_id, s.source, s.subject, count(*) over (partition by s.project_id, s.source) as packages
from project_subject as s
semi join (select distinct project_id, source from touched_project_series) as t
    on t.project_id = s.project_id and t.source = s.source;

-- a project's only subject in a source: its rows as they are. Each statement reads observation once: a relation
-- read twice in one statement is held whole in memory, beyond the writers' limit on a bulk load.
insert into project_observation
select s.project_id, o.source, o.metric, o.date, o.window_days, o.value, null::double, o.origin
from observation as o
join touched_subject as s on s.source = o.source and s.subject = o.subject and s.packages = 1
join touched_project_series as t
    on t.project_id = s.project_id and t.source = o.source and t.metric = o.metric
    and t.window_days = o.window_days and o.date >= t.cut
order by s.project_id, o.source, o.metric, o.date;

-- a project published as several packages (TensorFlow): their sum on each day
insert into project_observation
select s.project_id, o.source, o.metric, o.date, o.window_days, sum(o.value), null::double,
    min(o.origin) || case when count(*) > 1 then format(' (and {} more packages)', count(*) - 1) else '' end
from observation as o
join touched_subject as s on s.source = o.source and s.subject = o.subject and s.packages > 1
join touched_project_series as t
    on t.project_id = s.project_id and t.source = o.source and t.metric = o.metric
    and t.window_days = o.window_days and o.date >= t.cut
group by s.project_id, o.source, o.metric, o.date, o.window_days
order by s.project_id, o.source, o.metric, o.date;

-- a share the source declares: its mentions (summed as above) over all papers of the same window; the value stays
-- a count and the denominator comes along. The denominators first, a few hundred rows: joined to observation
-- within the statement, DuckDB would hash the mentions' side instead.
create or replace temp table share_denominator as
select d.source, d.metric, d.share_of, a.date, a.window_days, a.value
from source_series as d
join observation as a
    on a.source = d.source and a.subject = d.denominator_subject and a.metric = d.denominator_metric
where d.share_of is not null;

-- the shares to derive: each touched mentions series' days from its cut on that have a denominator (a small relation
-- that the scan of observation probes; joined inside the insert, DuckDB paired every touched series with every
-- month first and probed all of observation with that, 23 s for a daily write at 100 million observations)
create or replace temp table touched_share as
select t.project_id, t.source, t.metric, t.window_days, a.metric as share_metric, a.date, a.value as denominator
from touched_project_series as t
join share_denominator as a
    on a.source = t.source and a.share_of = t.metric and a.window_days = t.window_days and a.date >= t.cut;

insert into project_observation
select s.project_id, o.source, x.share_metric, o.date, o.window_days, sum(o.value), any_value(x.denominator),
    min(o.origin) || case when count(*) > 1 then format(' (and {} more packages)', count(*) - 1) else '' end
from observation as o
join touched_subject as s on s.source = o.source and s.subject = o.subject
join touched_share as x
    on x.project_id = s.project_id and x.source = o.source and x.metric = o.metric
    and x.window_days = o.window_days and x.date = o.date
group by s.project_id, o.source, x.share_metric, o.date, o.window_days;

drop table touched_subject;

drop table share_denominator;

drop table touched_share;

drop table touched_project_series;
