-- Claims, step 3 of 7: coverage and the chosen rung.
--   claim_coverage_of(evidence_table)  table macro: how much of the period each rung of a named evidence relation
--                                      covers, and the rung chosen for each claim
--   claim_coverage                     view: the same over claim_evidence

-- The steps after claim_evidence are table macros over it, so that claim_verdicts reads the evidence once (a
-- materialized CTE handed to each step by name) while claim_coverage, claim_statistics and claim_crossings stay
-- views a user can query on their own.
create or replace macro claim_coverage_of(evidence_table) as table
with rungs as (
    select c.claim_id, l.rung, l.label, l.source, l.metric, c.period_start, c.period_end, m.is_proxy
    from claim as c
    join claim_measure as m using (claim_id)
    join evidence_ladder as l on l.claim_source = m.source and l.claim_metric = m.metric
),
spans as (
    select
        e.claim_id, e.rung, e.project_id,
        greatest(min(e.date - greatest(e.window_days, 1) + 1), any_value(r.period_start)) as covered_from,
        least(max(e.date), any_value(r.period_end)) as covered_to
    from query_table(evidence_table) as e
    join rungs as r using (claim_id, rung)
    where e.in_period
    group by e.claim_id, e.rung, e.project_id
),
per_rung as (
    -- a rung covers a claim as far as it covers its worst-covered project (a proxy: its best-covered one)
    select
        r.claim_id, r.rung, r.label, r.source as evidence_source, r.metric as evidence_metric,
        case when any_value(r.is_proxy) then max(coalesce(s.covered_to - s.covered_from + 1, 0))
             else min(coalesce(s.covered_to - s.covered_from + 1, 0)) end
            / (any_value(r.period_end) - any_value(r.period_start) + 1) as coverage,
        max(s.covered_from) as covered_from,
        min(s.covered_to) as covered_to,
        list(cs.project_id order by cs.project_id) filter (where s.project_id is null) as missing
    from rungs as r
    join claim_subjects as cs on cs.claim_id = r.claim_id
    left join spans as s on s.claim_id = r.claim_id and s.rung = r.rung and s.project_id = cs.project_id
    group by r.claim_id, r.rung, r.label, r.source, r.metric
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
