-- Claims, step 2 of 8: the evidence.
--   claim_evidence   view: every point of every rung (claim_rungs) for the projects a claim involves in the
--                    claimed period, read from the claimed projects' rows of project_observation only

create or replace view claim_evidence as
with reads as (
    -- what each rung of a claim reads for each project the claim involves: one series of project_series (a
    -- share's rows carry the mentions and their denominator)
    select
        r.claim_id, r.rung, s.project_id, s.role, s.position, r.is_level, r.unit_days, r.unit_label, r.source,
        r.metric, r.min_window, r.max_window, r.kind, r.period_start, r.period_end
    from claim_rungs as r
    join claim_subjects as s using (claim_id)
),
points as (
    -- the claimed projects' rows alone: project_observation is stored sorted by project, and a few distinct ids
    -- reach the scan as a list of values (DuckDB's dynamic_or_filter_threshold), so it skips the row groups of the
    -- others; without `distinct` only their range would, most of the table
    select p.project_id, p.source, p.metric, p.date, p.window_days, p.value, p.denominator, p.origin
    from project_observation as p
    where p.project_id in (select distinct project_id from claim_subjects)
)
select
    r.claim_id, r.rung, r.project_id, r.role, r.position, r.is_level, r.unit_days, r.unit_label,
    p.date, p.window_days, p.value, p.denominator, p.origin,
    case when r.is_level then p.value else p.value / greatest(p.window_days, 1) end as per_day,
    -- a count belongs to the period when the middle of its window does
    p.date - (greatest(p.window_days, 1) - 1) // 2 between r.period_start and r.period_end as in_period
from reads as r
join points as p
    on p.project_id = r.project_id and p.source = r.source and p.metric = r.metric
    and p.window_days between r.min_window and r.max_window
    and p.date <= r.period_end + 366
    -- a crossover is dated from the whole history before the period; the other kinds need the period only
    and (r.kind = 'crossover' or p.date >= r.period_start);

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
