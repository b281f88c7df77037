-- The points some claims were judged on (each its chosen rung), with the period around it, for their charts:
-- one read for all the claims of a report.
with evidence as materialized (
    select * from claim_evidence where claim_id in (select unnest($claim_ids::varchar[]))
)
select e.claim_id, e.project_id, e.date, e.window_days, e.value, e.per_day, e.unit_days, e.unit_label, e.is_level,
    e.denominator, e.origin, e.role, v.label
from evidence as e
join claim_coverage_of('evidence') as v using (claim_id, rung)
where v.chosen
order by e.claim_id, e.project_id, e.date
