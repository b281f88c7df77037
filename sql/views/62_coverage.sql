-- Claims, step 3 of 8: coverage, the chosen rung and its points.
--   claim_coverage_of(evidence_table)         table macro: how much of the period each rung of a named evidence
--                                             relation covers, and the rung chosen for each claim
--   claim_coverage                            view: the same over claim_evidence
--   claim_chosen_evidence_of(evidence_table)  table macro: the chosen rung of each claim with its coverage and its
--                                             points, from a named evidence relation
--   claim_chosen_evidence                     view: the same over claim_evidence; what the steps after it read
--                                             (statistics, crossings, verdicts), each once
-- The steps after claim_evidence are table macros over a named relation, so that claim_verdicts evaluates the
-- evidence and its coverage once (a materialized CTE handed to each step by name, through query_table) while
-- claim_coverage, claim_statistics and claim_crossings stay views a user can query on their own.

create or replace macro claim_coverage_of(evidence_table) as table
with spans as (
    -- the days each project's points of a rung span in the period (a count's window from its first day), before
    -- they are cut to the period below, where the claim's rungs are joined anyway
    select claim_id, rung, project_id, min(date - greatest(window_days, 1) + 1) as first_day, max(date) as last_day
    from query_table(evidence_table)
    where in_period
    group by claim_id, rung, project_id
),
clipped as (
    select
        r.claim_id, r.rung, r.label, r.source, r.metric, r.is_proxy, r.period_start, r.period_end, cs.project_id,
        s.project_id is not null as has_points,
        greatest(s.first_day, r.period_start) as covered_from,
        least(s.last_day, r.period_end) as covered_to
    from claim_rungs as r
    join claim_subjects as cs on cs.claim_id = r.claim_id
    left join spans as s on s.claim_id = r.claim_id and s.rung = r.rung and s.project_id = cs.project_id
),
per_rung as (
    -- a rung covers a claim as far as it covers its worst-covered project (a proxy: its best-covered one)
    select
        claim_id, rung, label, source as evidence_source, metric as evidence_metric,
        case when any_value(is_proxy)
                 then max(case when has_points then covered_to - covered_from + 1 else 0 end)
             else min(case when has_points then covered_to - covered_from + 1 else 0 end) end
            / (any_value(period_end) - any_value(period_start) + 1) as coverage,
        max(covered_from) filter (where has_points) as covered_from,
        min(covered_to) filter (where has_points) as covered_to,
        list(project_id order by project_id) filter (where not has_points) as missing
    from clipped
    group by claim_id, rung, label, source, metric
)
select
    *,
    rung = coalesce(
        min(rung) filter (where coverage >= min_coverage()) over (partition by claim_id),
        first_value(rung) over (partition by claim_id order by coverage desc, rung)
    ) as chosen
from per_rung;

create or replace view claim_coverage as
select * from claim_coverage_of('claim_evidence');

comment on view claim_coverage is 'How much of each claim''s period each rung of the evidence ladder covers (for the worst-covered project the claim involves), and the rung chosen: the first that covers at least half of the period, else the one that covers most.';
comment on column claim_coverage.claim_id is 'Claim id.';
comment on column claim_coverage.rung is 'Rung of the evidence ladder.';
comment on column claim_coverage.label is 'What the rung''s series is.';
comment on column claim_coverage.evidence_source is 'Source of the rung''s series.';
comment on column claim_coverage.evidence_metric is 'Metric of the rung''s series (in project_series).';
comment on column claim_coverage.coverage is 'Share of the claimed period covered, 0 to 1.';
comment on column claim_coverage.covered_from is 'First day covered for every project.';
comment on column claim_coverage.covered_to is 'Last day covered for every project.';
comment on column claim_coverage.missing is 'Projects with no point of this rung in the period.';
comment on column claim_coverage.chosen is 'True for the rung the claim is judged on.';

-- The chosen rung of each claim, its coverage beside each of its points; a claim whose chosen rung has no point
-- has one row, without a point.
create or replace macro claim_chosen_evidence_of(evidence_table) as table
select
    v.claim_id, v.rung, v.label, v.evidence_source, v.evidence_metric, v.coverage, v.covered_from, v.covered_to,
    v.missing, e.project_id, e.role, e.position, e.is_level, e.unit_days, e.unit_label, e.date, e.window_days,
    e.value, e.denominator, e.origin, e.per_day, e.in_period
from claim_coverage_of(evidence_table) as v
left join query_table(evidence_table) as e using (claim_id, rung)
where v.chosen;

create or replace view claim_chosen_evidence as
with evidence as materialized (
    select * from claim_evidence
)
select * from claim_chosen_evidence_of('evidence');

comment on view claim_chosen_evidence is 'The rung each claim is judged on (see claim_coverage) with its coverage, beside every point of that rung for the projects the claim involves (one row without a point when the rung has none): what claim_statistics, claim_crossings and claim_verdicts read.';
comment on column claim_chosen_evidence.claim_id is 'Claim id.';
comment on column claim_chosen_evidence.rung is 'The chosen rung of the evidence ladder.';
comment on column claim_chosen_evidence.label is 'What the rung''s series is.';
comment on column claim_chosen_evidence.evidence_source is 'Source of the rung''s series.';
comment on column claim_chosen_evidence.evidence_metric is 'Metric of the rung''s series (in project_series).';
comment on column claim_chosen_evidence.coverage is 'Share of the claimed period the rung covers, 0 to 1.';
comment on column claim_chosen_evidence.covered_from is 'First day covered for every project.';
comment on column claim_chosen_evidence.covered_to is 'Last day covered for every project.';
comment on column claim_chosen_evidence.missing is 'Projects with no point of this rung in the period.';
comment on column claim_chosen_evidence.project_id is 'Project the point belongs to (null: the rung has no point).';
comment on column claim_chosen_evidence.role is 'subject, alternative or relative_to.';
comment on column claim_chosen_evidence.position is 'Position among the claim''s subjects.';
comment on column claim_chosen_evidence.is_level is 'True for levels, false for counts.';
comment on column claim_chosen_evidence.unit_days is 'Days of the unit counts are shown in.';
comment on column claim_chosen_evidence.unit_label is 'The unit counts are shown in.';
comment on column claim_chosen_evidence.date is 'Day of the level, or last day of the count''s window.';
comment on column claim_chosen_evidence.window_days is '0 for a level, else the window length.';
comment on column claim_chosen_evidence.value is 'The value as stored (for a share: the mentions).';
comment on column claim_chosen_evidence.denominator is 'For a share: all papers of the window.';
comment on column claim_chosen_evidence.origin is 'Provenance of the value.';
comment on column claim_chosen_evidence.per_day is 'Levels as they are; counts divided by their window.';
comment on column claim_chosen_evidence.in_period is 'Whether the point (the middle of its window) lies in the claimed period.';
