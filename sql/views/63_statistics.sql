-- Claims, step 4 of 8: the numbers of the chosen rung.
--   first_quarter_mean, last_quarter_mean  macros: the mean of the first and last quarter of a list
--   claim_statistics_of(chosen_table)      table macro: per claim and project on the chosen rung (a relation
--                                          shaped like claim_chosen_evidence): range, mean, quarters, totals,
--                                          decisive dates
--   claim_statistics                       view: the same over claim_chosen_evidence

-- The mean of the first and of the last quarter of a series' values (in date order), the quarters as ntile(4)
-- cuts them: n // 4 values each, the first n % 4 quarters one more; under four values, one value each.
create or replace macro first_quarter_mean(series) as
    list_avg(series[1:len(series) // 4 + (len(series) % 4 > 0)::integer]);
create or replace macro last_quarter_mean(series) as
    list_avg(series[len(series) - greatest(len(series) // 4, 1) + 1:]);

create or replace macro claim_statistics_of(chosen_table) as table
with points as (
    select e.*, c.claimed_value
    from query_table(chosen_table) as e
    join claim as c using (claim_id)
    where e.in_period
),
per_project as (
    select
        claim_id, project_id,
        any_value(role) as role,
        any_value(position) as position,
        any_value(rung) as rung,
        bool_or(is_level) as is_level,
        any_value(unit_days) as unit_days,
        any_value(unit_label) as unit_label,
        count(*) as points,
        min(value) as min_value, arg_min(date, value) as min_date,
        max(value) as max_value, arg_max(date, value) as max_date,
        -- per-day values in date order: the means below add them in that order, so they come out the same to the
        -- last digit however the rows reached the aggregate (a file, a lake, one thread or two)
        list(per_day order by date, per_day) as per_day_by_date,
        sum(value) as total_value,
        sum(denominator) as total_denominator,
        min(date) as first_date,
        max(date) as last_date,
        min(date) filter (where value >= claimed_value) as first_reached,
        min(origin) as first_origin,
        -- a distinct count beside the ordered list above would make DuckDB sort per group (twice as slow)
        len(list_distinct(list(origin))) as origins
    from points
    group by claim_id, project_id
),
means as (
    select
        *,
        list_avg(per_day_by_date) as mean_per_day,
        first_quarter_mean(per_day_by_date) as first_quarter_mean,
        last_quarter_mean(per_day_by_date) as last_quarter_mean
    from per_project
)
select
    claim_id, project_id, role, position, rung, is_level, unit_days, unit_label, points, min_value, min_date,
    max_value, max_date, mean_per_day, total_value, total_denominator, first_date, last_date, first_quarter_mean,
    last_quarter_mean,
    100 * (last_quarter_mean - first_quarter_mean) / nullif(first_quarter_mean, 0) as change_percent,
    first_reached,
    first_origin || case when origins > 1 then format(' (and {} more)', origins - 1) else '' end as origin
from means;

create or replace view claim_statistics as
select * from claim_statistics_of('claim_chosen_evidence');

comment on view claim_statistics is 'Per claim and project, on the chosen rung and within the claimed period: range, mean per day, totals, the means of the first and last quarter of the points, the change between them, and the first day a level reached the claimed value.';
comment on column claim_statistics.claim_id is 'Claim id.';
comment on column claim_statistics.project_id is 'Project.';
comment on column claim_statistics.role is 'subject, alternative or relative_to.';
comment on column claim_statistics.position is 'Position among the claim''s subjects.';
comment on column claim_statistics.rung is 'Rung of the evidence ladder the numbers come from.';
comment on column claim_statistics.is_level is 'True for levels, false for counts.';
comment on column claim_statistics.unit_days is 'Days of the unit counts are shown in (mean_per_day times this).';
comment on column claim_statistics.unit_label is 'The unit counts are shown in.';
comment on column claim_statistics.points is 'Points in the period.';
comment on column claim_statistics.min_value is 'Smallest value.';
comment on column claim_statistics.min_date is 'Day of the smallest value.';
comment on column claim_statistics.max_value is 'Largest value.';
comment on column claim_statistics.max_date is 'Day of the largest value.';
comment on column claim_statistics.mean_per_day is 'Mean level, or mean count per day.';
comment on column claim_statistics.total_value is 'Sum of the values (counts: the total over the period).';
comment on column claim_statistics.total_denominator is 'For shares: all papers over the period.';
comment on column claim_statistics.first_date is 'First point in the period.';
comment on column claim_statistics.last_date is 'Last point in the period.';
comment on column claim_statistics.first_quarter_mean is 'Mean (per day) of the first quarter of the points.';
comment on column claim_statistics.last_quarter_mean is 'Mean (per day) of the last quarter of the points.';
comment on column claim_statistics.change_percent is 'Change from the first to the last quarter, in percent.';
comment on column claim_statistics.first_reached is 'First day the value reached the claimed value (value claims).';
comment on column claim_statistics.origin is 'Provenance of the numbers.';
