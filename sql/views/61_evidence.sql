-- Claims, step 2 of 8: the evidence.
--   claim_evidence   view: every point of every rung (claim_rungs) for the projects a claim involves in the
--                    claimed period, read from the claimed projects' rows of observation only

create or replace view claim_evidence as
with reads as (
    -- what each rung of a claim reads for each project the claim involves: a stored metric (a share reads the
    -- mentions, and its denominator beside them)
    select
        r.claim_id, r.rung, s.project_id, s.role, s.position, r.is_level, r.unit_days, r.unit_label, r.source,
        coalesce(d.share_of, r.metric) as stored_metric, d.denominator_subject, d.denominator_metric,
        r.min_window, r.max_window, r.kind, r.period_start, r.period_end
    from claim_rungs as r
    join claim_subjects as s using (claim_id)
    left join source_series as d on d.source = r.source and d.metric = r.metric and d.share_of is not null
),
stored_keys as (
    -- the stored series those are, by subject: the scan of observation reads only these (project_series would
    -- sum every project's packages first, millions of rows for a handful of claims)
    select distinct r.project_id, r.source, p.subject, r.stored_metric as metric
    from reads as r
    join project_subject as p on p.source = r.source and p.project_id = r.project_id
),
denominator_keys as (
    select distinct source, denominator_subject as subject, denominator_metric as metric
    from reads
    where denominator_subject is not null
),
points as (
    -- a project published as several packages (TensorFlow) counts their sum, as in project_series
    select
        k.project_id, o.source, o.metric, o.date, o.window_days,
        sum(o.value) as value,
        min(o.origin) || case when count(*) > 1 then format(' (and {} more packages)', count(*) - 1) else '' end
            as origin
    from observation as o
    join stored_keys as k on k.source = o.source and k.subject = o.subject and k.metric = o.metric
    group by k.project_id, o.source, o.metric, o.date, o.window_days
),
denominators as (
    select o.source, o.subject, o.metric, o.date, o.window_days, o.value
    from observation as o
    join denominator_keys as k on k.source = o.source and k.subject = o.subject and k.metric = o.metric
)
select
    r.claim_id, r.rung, r.project_id, r.role, r.position, r.is_level, r.unit_days, r.unit_label,
    p.date, p.window_days, p.value, t.value as denominator, p.origin,
    case when r.is_level then p.value else p.value / greatest(p.window_days, 1) end as per_day,
    -- a count belongs to the period when the middle of its window does
    p.date - (greatest(p.window_days, 1) - 1) // 2 between r.period_start and r.period_end as in_period
from reads as r
join points as p
    on p.project_id = r.project_id and p.source = r.source and p.metric = r.stored_metric
    and p.window_days between r.min_window and r.max_window
    and p.date <= r.period_end + 366
    -- a crossover is dated from the whole history before the period; the other kinds need the period only
    and (r.kind = 'crossover' or p.date >= r.period_start)
left join denominators as t
    on t.source = r.source and t.subject = r.denominator_subject and t.metric = r.denominator_metric
    and t.date = p.date and t.window_days = p.window_days
-- a share has a point only where all papers of the same window are known
where r.denominator_subject is null or t.value is not null;

comment on view claim_evidence is 'Every point that could judge a claim: per rung of the evidence ladder and per project the claim involves, with the per-day value of counts and whether the point belongs to the claimed period.';
comment on column claim_evidence.claim_id is 'Claim id.';
comment on column claim_evidence.rung is 'Rung of the evidence ladder.';
comment on column claim_evidence.project_id is 'Project the point belongs to.';
comment on column claim_evidence.role is 'subject, alternative or relative_to.';
comment on column claim_evidence.position is 'Position among the claim''s subjects.';
comment on column claim_evidence.is_level is 'True for levels, false for counts.';
comment on column claim_evidence.unit_days is 'Days of the unit counts are shown in.';
comment on column claim_evidence.unit_label is 'The unit counts are shown in.';
comment on column claim_evidence.date is 'Day of the level, or last day of the count''s window.';
comment on column claim_evidence.window_days is '0 for a level, else the window length.';
comment on column claim_evidence.value is 'The value as stored (for a share: the mentions).';
comment on column claim_evidence.denominator is 'For a share: all papers of the window.';
comment on column claim_evidence.origin is 'Provenance of the value.';
comment on column claim_evidence.per_day is 'Levels as they are; counts divided by their window, so windows of different length compare.';
comment on column claim_evidence.in_period is 'Whether the point (the middle of its window) lies in the claimed period.';
