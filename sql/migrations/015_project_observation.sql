-- project_observation: every series of a tracked project keyed by project id, as project_series publishes it,
-- kept by the writers (issue 26). The view summed each project's packages per day over the whole table at every
-- read: 5.6 s for a user's `select *` at 100 million observations, most of it one aggregation over millions of
-- groups. Each write now derives again the project series it touched (collectors.store.merge_batch,
-- sql/project_series/), and re-filing projects derives the projects whose subjects changed
-- (collectors.inputs.write_projects). This migration fills it once from the rows, sorted by project so that a
-- project's series sit in few row groups.
create table if not exists project_observation (
    project_id varchar not null,
    source varchar not null,
    metric varchar not null,
    date date not null,
    window_days integer not null,
    value double not null,
    denominator double,
    origin varchar not null
);

insert into project_observation
with subjects as (
    select project_id, source, subject, count(*) over (partition by project_id, source) as packages
    from project_subject
),
mapped as (
    select s.project_id, s.packages, o.source, o.metric, o.date, o.window_days, o.value, o.origin
    from observation as o
    join subjects as s on s.source = o.source and s.subject = o.subject
),
own as (
    select project_id, source, metric, date, window_days, value, null::double as denominator, origin
    from mapped
    where packages = 1
    union all
    select project_id, source, metric, date, window_days, sum(value), null::double,
        min(origin) || case when count(*) > 1 then format(' (and {} more packages)', count(*) - 1) else '' end
    from mapped
    where packages > 1
    group by project_id, source, metric, date, window_days
),
shares as (
    select m.project_id, m.source, d.metric, m.date, m.window_days, m.value, t.value as denominator, m.origin
    from own as m
    join source_series as d on d.source = m.source and d.share_of = m.metric
    join observation as t
        on t.source = d.source and t.subject = d.denominator_subject and t.metric = d.denominator_metric
        and t.date = m.date and t.window_days = m.window_days
)
select * from own
union all
select * from shares
order by project_id, source, metric, date;
