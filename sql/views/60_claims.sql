-- Claims: each registered claim judged on the best evidence there is. Named steps, each a view:
--   evidence_ladder    which series can judge a claim's metric, best first
--   claim_subjects     the projects a claim involves: its subjects, the alternatives of a rank, the
--                      frameworks a growth must outpace
--   claim_evidence     every point of every rung for those projects in the claimed period
--   claim_coverage     how much of the period each rung covers; the rung chosen for the claim
--   claim_statistics   per project on the chosen rung: range, mean, quarters, totals, decisive dates
--   claim_verdicts     the verdict, the measured value and the sentence that explains them
--   claim_checks       what a reader reads: the claim, its article and its verdict
-- Coverage, statistics and crossings are also table macros over a named evidence relation (claim_coverage_of,
-- claim_statistics_of, claim_crossings_of), so that claim_verdicts computes the evidence once.

-- Numbers for people: thousands separators for large values, two decimals for small ones.
create or replace macro fmt_number(x) as
    case when abs(x) >= 100 then format('{:,}', round(x)::bigint) else printf('%.2f', x) end;

-- A fraction as a percentage for people: 0.0002 reads "0.02%", not "0.0%".
create or replace macro fmt_share(x) as
    case when abs(x) >= 0.1 then printf('%.0f%%', 100 * x) when abs(x) >= 0.01 then printf('%.1f%%', 100 * x)
         else printf('%.2f%%', 100 * x) end;

-- The days a claimed rate spans ("downloads per week": 7). A count (downloads, questions) is judged as a rate:
-- its mean per day over the period, times these days; a count claimed without a rate cannot be judged.
create or replace macro claim_rate_days(unit) as
    case when unit like '% per day' then 1.0 when unit like '% per week' then 7.0
         when unit like '% per month' then 30.4375 when unit like '% per year' then 365.25 end;

-- The part of a claimed period the evidence must cover before a verdict other than no_data is given.
create or replace macro min_coverage() as 0.5;

create or replace view evidence_ladder as
select
    r.claim_source,
    r.claim_metric,
    r.rung,
    s.source,
    s.metric,
    s.min_window,
    s.max_window,
    not s.is_count as is_level,
    case when s.is_count then s.per_days else 1 end as unit_days,
    case when not s.is_count then ''
         when s.per_days = 1 then ' per day'
         when s.per_days = 365 then ' per year'
         else format(' per {} days', s.per_days) end as unit_label,
    r.label
from source_rung as r
join source_series as s on s.source = r.source and s.key = r.key;

comment on view evidence_ladder is 'For each metric a claim can name, the series that can judge it, best first (rung 1), as the sources declare them (collectors/sources/). A claim is judged on the first rung whose data covers at least half of the claimed period for every project it involves.';
comment on column evidence_ladder.claim_source is 'Source named by the claim in data/claims.toml.';
comment on column evidence_ladder.claim_metric is 'Metric named by the claim.';
comment on column evidence_ladder.rung is 'Preference: 1 is the best evidence.';
comment on column evidence_ladder.source is 'Source of the series on this rung.';
comment on column evidence_ladder.metric is 'Metric of the series on this rung (see project_series).';
comment on column evidence_ladder.min_window is 'Shortest window of the points used, in days (0 for levels).';
comment on column evidence_ladder.max_window is 'Longest window of the points used, in days.';
comment on column evidence_ladder.is_level is 'True for levels (stars, interest), false for counts over windows (compared per day).';
comment on column evidence_ladder.label is 'What the series is, as the explanations name it.';
comment on column evidence_ladder.unit_days is 'Counts are compared per day and shown per this many days (1, 30, 365).';
comment on column evidence_ladder.unit_label is 'The unit counts are shown in, for example '' per year''; empty for levels.';

create or replace view claim_subjects as
select claim_id, unnest(subjects) as project_id, 'subject' as role, unnest(range(1, len(subjects) + 1)) as position
from claim
union all
select claim_id, unnest(alternatives), 'alternative', null
from claim
union all
select claim_id, unnest(relative_to), 'relative_to', null
from claim;

comment on view claim_subjects is 'The projects a claim involves (a name that is not a tracked project has no series): its subjects (in order), the alternatives a rank claim is measured against, and the frameworks a growth claim must outpace.';
comment on column claim_subjects.claim_id is 'Claim id.';
comment on column claim_subjects.project_id is 'Project id.';
comment on column claim_subjects.role is 'subject, alternative or relative_to.';
comment on column claim_subjects.position is 'Position among the subjects (1 is the one the claim is about); null for the others.';

-- What judges each claim: its own source and metric, or for an uncheckable claim the proxy it names
-- ("pypi downloads_without_mirrors"), whose numbers are shown but never turned into a verdict.
create or replace view claim_measure as
select
    claim_id,
    case when kind = 'uncheckable' then split_part(proxy, ' ', 1) else source end as source,
    case when kind = 'uncheckable' then split_part(proxy, ' ', 2) else metric end as metric,
    kind = 'uncheckable' as is_proxy
from claim
where (kind in ('value', 'share', 'comparison', 'rank', 'growth', 'crossover') and metric <> 'created')
    or (kind = 'uncheckable' and proxy is not null);

comment on view claim_measure is 'The series that judges each claim: the claim''s own source and metric, or the proxy an uncheckable claim names (shown, never a verdict).';
comment on column claim_measure.claim_id is 'Claim id.';
comment on column claim_measure.source is 'Source of the measure.';
comment on column claim_measure.metric is 'Metric of the measure.';
comment on column claim_measure.is_proxy is 'True when it is an uncheckable claim''s proxy.';

create or replace view claim_evidence as
with reads as (
    -- what each rung of a claim reads for each project the claim involves: a stored metric (a share reads the
    -- mentions, and its denominator beside them)
    select
        c.claim_id, l.rung, s.project_id, s.role, s.position, l.is_level, l.unit_days, l.unit_label, l.source,
        coalesce(d.share_of, l.metric) as stored_metric, d.denominator_subject, d.denominator_metric,
        l.min_window, l.max_window, c.kind, c.period_start, c.period_end
    from claim as c
    join claim_measure as m using (claim_id)
    join evidence_ladder as l on l.claim_source = m.source and l.claim_metric = m.metric
    join claim_subjects as s on s.claim_id = c.claim_id
    left join source_series as d on d.source = l.source and d.metric = l.metric and d.share_of is not null
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

-- The mean of the first and of the last quarter of a series' values (in date order), the quarters as ntile(4)
-- cuts them: n // 4 values each, the first n % 4 quarters one more; under four values, one value each.
create or replace macro first_quarter_mean(series) as
    list_avg(series[1:len(series) // 4 + (len(series) % 4 > 0)::integer]);
create or replace macro last_quarter_mean(series) as
    list_avg(series[len(series) - greatest(len(series) // 4, 1) + 1:]);

create or replace macro claim_statistics_of(evidence_table, coverage_table) as table
with points as (
    select e.*, c.claimed_value
    from query_table(evidence_table) as e
    join query_table(coverage_table) as v using (claim_id, rung)
    join claim as c using (claim_id)
    where v.chosen and e.in_period
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
with evidence as materialized (
    select * from claim_evidence
),
coverage as materialized (
    select * from claim_coverage_of('evidence')
)
select * from claim_statistics_of('evidence', 'coverage');

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

create or replace macro claim_crossings_of(evidence_table, coverage_table) as table
with chosen as (
    select claim_id, rung from query_table(coverage_table) where chosen
),
sides as (
    select e.claim_id, e.position, e.date, e.per_day, e.in_period
    from query_table(evidence_table) as e
    join chosen using (claim_id, rung)
    join claim as c using (claim_id)
    where c.kind in ('comparison', 'crossover') and e.role = 'subject' and (e.in_period or e.date < c.period_start)
),
leads as (
    -- the first subject's lead over the second on the days both have a point
    select a.claim_id, a.date, a.in_period, a.per_day - b.per_day as lead,
        max(a.date) filter (where a.per_day - b.per_day <= 0) over (partition by a.claim_id) as last_not_ahead
    from sides as a
    join sides as b on b.claim_id = a.claim_id and b.date = a.date and b.position = 2
    where a.position = 1
),
summary as (
    select
        claim_id,
        count(*) filter (where in_period) as common_days,
        count(*) filter (where in_period and lead > 0) as ahead_days,
        min(date) as first_common,
        max(date) as last_common,
        arg_max(lead, date) as last_lead,
        any_value(last_not_ahead) as last_not_ahead,
        -- the day it overtook the second for good: the first common day after the last one it was not ahead
        min(date) filter (where date > last_not_ahead) as overtaken_on
    from leads
    group by claim_id
)
select * from summary;

create or replace view claim_crossings as
with evidence as materialized (
    select * from claim_evidence
),
coverage as materialized (
    select * from claim_coverage_of('evidence')
)
select * from claim_crossings_of('evidence', 'coverage');

comment on view claim_crossings is 'For comparisons and crossovers: on the days both subjects have a point, how often the first led, its lead on the last such day, and the day it overtook the second for good (null if it never did, or led throughout).';
comment on column claim_crossings.claim_id is 'Claim id.';
comment on column claim_crossings.common_days is 'Days in the period with a point for both subjects.';
comment on column claim_crossings.ahead_days is 'Of those, days the first subject was ahead.';
comment on column claim_crossings.first_common is 'First common day (for a crossover: in the whole history up to the period''s end).';
comment on column claim_crossings.last_common is 'Last common day.';
comment on column claim_crossings.last_lead is 'The first subject''s lead on the last common day (per day for counts).';
comment on column claim_crossings.last_not_ahead is 'Last day the first subject was not ahead.';
comment on column claim_crossings.overtaken_on is 'First day after that: the day the first subject overtook the second for good.';

create or replace view claim_releases as
select
    c.claim_id,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created') as created_on,
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created') as created_origin,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release') as released_on,
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release') as released_origin,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_pypi_upload') as uploaded_on,
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_pypi_upload') as uploaded_origin,
    -- for "A is younger than B": each one's first public release, else its repository's creation
    coalesce(
        max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release'),
        max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created')
    ) as first_born,
    coalesce(
        max(m.date) filter (where m.project_id = c.subjects[2] and m.milestone = 'first_public_release'),
        max(m.date) filter (where m.project_id = c.subjects[2] and m.milestone = 'repository_created')
    ) as second_born
from claim as c
left join project_milestones as m on list_contains(c.subjects, m.project_id)
where c.kind = 'release_date' or c.metric = 'created'
group by c.claim_id;

comment on view claim_releases is 'For release-date claims: the subject''s repository creation, first public release and first PyPI upload, with their origins; for "A is younger than B": when each was first released.';
comment on column claim_releases.claim_id is 'Claim id.';
comment on column claim_releases.created_on is 'Day the GitHub repository was created.';
comment on column claim_releases.created_origin is 'Where that date comes from.';
comment on column claim_releases.released_on is 'Day of the first public release.';
comment on column claim_releases.released_origin is 'Where that date comes from, with the version.';
comment on column claim_releases.uploaded_on is 'Day of the first PyPI upload of any of the project''s packages.';
comment on column claim_releases.uploaded_origin is 'Where that date comes from.';
comment on column claim_releases.first_born is 'First subject: first public release, else repository creation.';
comment on column claim_releases.second_born is 'Second subject: first public release, else repository creation.';

create or replace view claim_verdicts as
with evidence as materialized (
    select * from claim_evidence
),
coverage as materialized (
    select * from claim_coverage_of('evidence')
),
chosen as materialized (
    select * from coverage where chosen
),
statistics as materialized (
    select * from claim_statistics_of('evidence', 'coverage')
),
crossings as materialized (
    select * from claim_crossings_of('evidence', 'coverage')
),
releases as materialized (
    select * from claim_releases
),
first_subject as (
    select * from statistics where position = 1
),
second_subject as (
    select * from statistics where position = 2
),
places as (
    -- rank claims: the place of every subject and alternative by mean level or mean count per day
    select s.*, rank() over (partition by s.claim_id, s.role in ('subject', 'alternative') order by s.mean_per_day desc)
        as place, coalesce(c.top_places, len(c.subjects)) as top_places
    from statistics as s
    join claim as c using (claim_id)
),
per_claim as (
    -- what the explanations and verdicts read of all a claim's projects together
    select
        p.claim_id,
        -- share claims: the subjects' totals
        sum(p.total_value) filter (where p.role = 'subject') as subjects_total,
        string_agg(p.project_id || ' ' || fmt_number(p.total_value), ', ' order by p.position)
            filter (where p.role = 'subject') as subject_totals,
        -- an uncheckable claim's proxy numbers, labelled as such
        string_agg(p.project_id || ' ' || fmt_number(p.mean_per_day * p.unit_days) || p.unit_label, ', '
                   order by p.mean_per_day desc) as proxy_values,
        -- rank claims: how many subjects hold the first places, and the standings
        count(*) filter (where p.role = 'subject' and p.place <= p.top_places) as subjects_on_top,
        string_agg(format('{}. {} {}{}', p.place, p.project_id, fmt_number(p.mean_per_day * p.unit_days), p.unit_label),
                   ', ' order by p.place) filter (where p.role in ('subject', 'alternative')) as standings,
        -- growth claims: the fastest growth among the frameworks the subject must outpace
        max(p.change_percent) filter (where p.role = 'relative_to') as rival_change,
        arg_max(format('{} {}', p.project_id, printf('%+.1f%%', p.change_percent)), p.change_percent)
            filter (where p.role = 'relative_to') as rival
    from places as p
    group by p.claim_id
),
fill_hints as (
    -- the commands each source declares, as a reader types them
    select source, 'ecotrends ' || array_to_string(string_split(commands, chr(10)), ', or ecotrends ') as command
    from source_fill
),
breaks as (
    select v.claim_id, string_agg(distinct b.title || ' (' || b.date || ')', '; ') as names
    from chosen as v
    join claim as c using (claim_id)
    join methodology_break as b
        on b.source = v.evidence_source and v.evidence_metric glob b.metric
        and b.date between c.period_start and c.period_end
    group by v.claim_id
),
facts as (
    -- what a verdict and its explanation read, one row per claim: the steps joined once, their columns named
    -- step_column (a_min_value: the first subject's smallest value)
    select
        c.*,
        a.change_percent as a_change_percent,
        a.first_date as a_first_date,
        a.first_quarter_mean as a_first_quarter_mean,
        a.first_reached as a_first_reached,
        a.is_level as a_is_level,
        a.last_date as a_last_date,
        a.last_quarter_mean as a_last_quarter_mean,
        a.max_date as a_max_date,
        a.max_value as a_max_value,
        a.mean_per_day as a_mean_per_day,
        a.min_date as a_min_date,
        a.min_value as a_min_value,
        a.origin as a_origin,
        a.points as a_points,
        a.total_denominator as a_total_denominator,
        a.total_value as a_total_value,
        a.unit_days as a_unit_days,
        a.unit_label as a_unit_label,
        b.mean_per_day as b_mean_per_day,
        b.unit_days as b_unit_days,
        br.names as br_names,
        h.command as h_command,
        pc.standings as pc_standings,
        pc.subjects_on_top as pc_subjects_on_top,
        pc.rival as pc_rival,
        pc.rival_change as pc_rival_change,
        r.created_on as r_created_on,
        r.first_born as r_first_born,
        r.released_on as r_released_on,
        r.released_origin as r_released_origin,
        r.second_born as r_second_born,
        r.uploaded_on as r_uploaded_on,
        pc.proxy_values as pc_proxy_values,
        pc.subject_totals as pc_subject_totals,
        pc.subjects_total as pc_subjects_total,
        v.coverage as v_coverage,
        v.covered_from as v_covered_from,
        v.covered_to as v_covered_to,
        v.evidence_metric as v_evidence_metric,
        v.evidence_source as v_evidence_source,
        v.label as v_label,
        v.missing as v_missing,
        v.rung as v_rung,
        x.ahead_days as x_ahead_days,
        x.common_days as x_common_days,
        x.first_common as x_first_common,
        x.last_common as x_last_common,
        x.last_lead as x_last_lead,
        x.last_not_ahead as x_last_not_ahead,
        x.overtaken_on as x_overtaken_on
    from claim as c
    left join chosen as v using (claim_id)
    left join first_subject as a using (claim_id)
    left join second_subject as b using (claim_id)
    left join crossings as x using (claim_id)
    left join releases as r using (claim_id)
    left join per_claim as pc using (claim_id)
    left join fill_hints as h on h.source = c.source
    left join breaks as br using (claim_id)
),
measured as (
    select *,
        case kind
            when 'value' then
                case when a_is_level then greatest(a_min_value, least(a_max_value, claimed_value))
                     else a_mean_per_day * claim_rate_days(unit) end
            when 'share' then
                100 * a_total_value / nullif(case when metric = 'share_of_deep_learning' then a_total_denominator
                                                  else pc_subjects_total end, 0)
            when 'comparison' then a_mean_per_day
            when 'rank' then a_mean_per_day
            when 'growth' then a_change_percent
            when 'crossover' then x_last_lead
        end as measured_value
    from facts
),
judged as (
    select *,
        case
            when kind = 'uncheckable' then 'uncheckable'
            when kind = 'release_date' then
                case
                    when r_created_on is null and r_released_on is null and r_uploaded_on is null then 'no_data'
                    when r_released_on between period_start and period_end then 'supported'
                    when r_created_on between period_start and period_end
                        or r_uploaded_on between period_start and period_end then 'inaccurate'
                    else 'contradicted'
                end
            when metric = 'created' then
                case
                    when r_first_born is null or r_second_born is null then 'no_data'
                    when r_first_born > r_second_born then 'supported'
                    else 'contradicted'
                end
            when v_coverage is null or v_coverage < min_coverage() or measured_value is null then 'no_data'
            when kind = 'value' then
                case
                    when abs(measured_value - claimed_value) <= tolerance * measured_value then 'supported'
                    when abs(measured_value - claimed_value) < 0.5 * measured_value then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'share' then
                case
                    when abs(measured_value - claimed_value) <= tolerance * claimed_value then 'supported'
                    when metric = 'share_of_deep_learning'
                        and measured_value between claimed_value / 2 and claimed_value * 2 then 'inaccurate'
                    when metric <> 'share_of_deep_learning'
                        and (measured_value - 100.0 / len(subjects)) * (claimed_value - 100.0 / len(subjects)) > 0
                        then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'comparison' then
                case
                    when measured_value > b_mean_per_day then 'supported'
                    when measured_value < b_mean_per_day then 'contradicted'
                    else 'inaccurate'
                end
            when kind = 'rank' then
                case
                    when pc_subjects_on_top = len(subjects) then 'supported'
                    when pc_subjects_on_top > 0 then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'growth' then
                case
                    when a_points < 2 then 'no_data'
                    when direction = 'up' and measured_value > 5 and pc_rival_change >= measured_value
                        then 'inaccurate'
                    when direction = 'up' and measured_value > 5 then 'supported'
                    when direction = 'down' and measured_value < -5 then 'supported'
                    when direction = 'flat' and abs(measured_value) <= 5 then 'supported'
                    when direction = 'up' and measured_value < -5 then 'contradicted'
                    when direction = 'down' and measured_value > 5 then 'contradicted'
                    when direction = 'flat' and abs(measured_value) > 20 then 'contradicted'
                    else 'inaccurate'
                end
            when kind = 'crossover' then
                case
                    when x_last_lead is null then 'no_data'
                    when x_overtaken_on between period_start and period_end then 'supported'
                    when x_overtaken_on < period_start then 'inaccurate'
                    when x_last_not_ahead is null and x_first_common < period_start then 'contradicted'
                    when x_last_not_ahead is null then 'no_data'
                    else 'contradicted'
                end
        end as judged_verdict
    from measured
),
partly as (
    select *, case when judged_verdict = 'supported' and unmeasured is not null then 'partly_supported'
                   else judged_verdict end as verdict
    from judged
)
select
    claim_id,
    verdict,
    measured_value,
    v_rung as rung,
    v_label as evidence,
    v_evidence_source as evidence_source,
    v_evidence_metric as evidence_metric,
    v_coverage as coverage,
    v_covered_from as covered_from,
    v_covered_to as covered_to,
    case
        when kind = 'release_date' then coalesce(
            case when r_released_on between period_start and period_end then r_released_on end,
            case when r_created_on between period_start and period_end then r_created_on end,
            case when r_uploaded_on between period_start and period_end then r_uploaded_on end,
            r_released_on)
        when kind = 'value' and not a_is_level then a_last_date
        when kind = 'value' then coalesce(a_first_reached, case when claimed_value < a_min_value then a_min_date
                                                                   else a_max_date end)
        when kind in ('comparison', 'crossover') then coalesce(x_overtaken_on, x_last_common)
        when kind in ('growth', 'rank', 'share') then a_last_date
    end as decisive_date,
    concat_ws(' ',
        -- what the verdict rests on
        case
            when kind = 'uncheckable' then 'Not checkable with the collected sources: ' || reason || '.'
            when kind = 'release_date' and verdict = 'no_data' then
                format('No dated milestone of {} is stored: run ecotrends seed, or ecotrends collect --source github.',
                       subjects[1])
            when kind = 'release_date' then
                format('{}: repository created {}; first public release {}; first PyPI upload {}.', subjects[1],
                       coalesce(r_created_on::varchar, 'unknown'),
                       coalesce(r_released_on::varchar || ' (' || split_part(r_released_origin, ':', 1) || ')',
                                'unknown'),
                       coalesce(r_uploaded_on::varchar, 'unknown'))
                || format(' The claim places the release in {}..{}', period_start, period_end)
                || case
                       when r_released_on between period_start and period_end
                           then ', which holds the first public release: the meaning of "released".'
                       when r_created_on between period_start and period_end
                           then format(', which holds the repository''s creation ({}) but not the first public release ({}): the claim''s year is that of the repository, not of the release.', r_created_on, r_released_on)
                       when r_uploaded_on between period_start and period_end
                           then format(', which holds the first PyPI upload ({}) but not the first public release ({}).', r_uploaded_on, r_released_on)
                       else ', which holds none of these milestones.'
                   end
            when metric = 'created' and verdict = 'no_data' then
                'Release dates not stored yet: run ecotrends seed.'
            when metric = 'created' then
                format('{} was first released on {}, {} on {} (first public releases; repository creation where none is known).',
                       subjects[1], r_first_born, subjects[2], r_second_born)
            when kind = 'value' and not a_is_level and claim_rate_days(unit) is null then
                format('{} {} is a count over time: the claim''s unit must give its rate (for example "{} per week", not "{}") to be judged.',
                       source, metric, split_part(coalesce(unit, metric), ' ', 1), coalesce(unit, 'no unit'))
            when v_coverage is null or v_coverage = 0 then
                format('No {} data for {} in {}..{}.', source, array_to_string(subjects, ', '),
                       period_start, period_end)
            when v_coverage < min_coverage() then
                format('The best evidence, {}, covers only {}..{} of the claimed {}..{} ({}%); at least {}% is needed.',
                       v_label, v_covered_from, v_covered_to, period_start, period_end,
                       round(100 * v_coverage)::integer, round(100 * min_coverage())::integer)
                || coalesce(' No points at all for ' || array_to_string(v_missing, ', ') || '.', '')
            else format('Judged on {} (rung {} of the evidence ladder), covering {}..{} of the claimed {}..{} ({}%).',
                        v_label, v_rung, v_covered_from, v_covered_to, period_start, period_end,
                        round(100 * v_coverage)::integer)
        end,
        -- the decisive numbers
        case
            when kind in ('uncheckable', 'release_date') or metric = 'created' or verdict = 'no_data' then null
            when kind = 'value' and not a_is_level then
                format('{} averaged {}{} over {}..{} ({} points); the claim says {}{}.', subjects[1],
                       fmt_number(measured_value), regexp_extract(unit, ' per \w+$'), a_first_date, a_last_date,
                       a_points, fmt_number(claimed_value), regexp_extract(unit, ' per \w+$'))
            when kind = 'value' then
                format('{} ranged from {} ({}) to {} ({}); the claim says {}: {}.', subjects[1],
                       fmt_number(a_min_value), a_min_date, fmt_number(a_max_value), a_max_date,
                       fmt_number(claimed_value),
                       case when measured_value = claimed_value then format('first reached on {}', a_first_reached)
                            when claimed_value < a_min_value
                                then format('{} below the lowest value', fmt_share(1 - claimed_value / a_min_value))
                            else format('{} above the highest value', fmt_share(claimed_value / a_max_value - 1))
                       end)
            when kind = 'share' and metric = 'share_of_deep_learning' then
                format('{} was named in {} of {} papers: {}; the claim says {}%.', subjects[1],
                       fmt_number(a_total_value), fmt_number(a_total_denominator),
                       printf('%.2f%%', measured_value), claimed_value)
            when kind = 'share' then
                format('{} had {} of the mentions of {} ({}); the claim says {}%.', subjects[1],
                       printf('%.1f%%', measured_value), array_to_string(subjects, ' and '),
                       pc_subject_totals,
                       claimed_value)
            when kind = 'comparison' then
                format('{} averaged {} against {}{} for {}; ahead on {} of {} common days, the last on {}.',
                       subjects[1], fmt_number(a_mean_per_day * a_unit_days),
                       fmt_number(b_mean_per_day * b_unit_days), a_unit_label, subjects[2], x_ahead_days,
                       x_common_days, x_last_common)
            when kind = 'rank' then
                format('Places by {}: {}; the claim puts {} in the first {}.',
                       case when a_is_level then 'mean level' else 'mean count' end, pc_standings, array_to_string(subjects, ' and '), coalesce(top_places, len(subjects)))
            when kind = 'growth' then
                format('{} went from {}{} (mean of the first quarter of its points, from {}) to {} (the last quarter, up to {}): {}.',
                       subjects[1], fmt_number(a_first_quarter_mean * a_unit_days), a_unit_label, a_first_date,
                       fmt_number(a_last_quarter_mean * a_unit_days), a_last_date, printf('%+.1f%%', measured_value))
                || coalesce(format(' Over the same window: {}{}.', pc_rival,
                                   case when pc_rival_change >= measured_value then ', as fast or faster' else ', slower' end),
                            '')
            when kind = 'crossover' then
                case
                    when x_overtaken_on is not null then format('{} overtook {} on {} and stayed ahead up to {}.',
                                                                subjects[1], subjects[2], x_overtaken_on, x_last_common)
                    when x_last_not_ahead is null then format('{} was ahead of {} on every common day from {} on.',
                                                              subjects[1], subjects[2], x_first_common)
                    else format('{} was not ahead of {} on {}, the last common day.', subjects[1], subjects[2],
                                x_last_common)
                end
        end,
        -- proxies: shown, labelled, never a verdict
        case
            when kind = 'uncheckable' and proxy is not null and v_coverage > 0 then
                format('Proxy, not a check: {} in {}..{}: {}.', v_label, period_start, period_end,
                       pc_proxy_values)
            when kind = 'uncheckable' and proxy is not null then
                format('Proxy ({}): no data in {}..{}.', proxy, period_start, period_end)
        end,
        case when verdict = 'partly_supported' then 'Not measured: ' || unmeasured || '.' end,
        case
            when verdict = 'no_data' and kind not in ('release_date', 'uncheckable') and metric <> 'created'
                then 'Fill it with: ' || coalesce(h_command, 'ecotrends import') || '.'
        end,
        case when a_origin is not null and kind <> 'uncheckable' and verdict <> 'no_data'
             then 'Origin: ' || a_origin || '.' end,
        case when kind = 'release_date' and r_released_on is not null
             then 'Origin of the release date: ' || r_released_origin || '.' end,
        case when br_names is not null then 'Methodology break in the period: ' || br_names || '.' end
    ) as explanation
from partly;

comment on view claim_verdicts is 'The verdict of each claim with the measured value, the evidence it rests on (rung, coverage) and an explanation a reader can verify.';
comment on column claim_verdicts.claim_id is 'Claim id.';
comment on column claim_verdicts.verdict is 'supported, partly_supported, inaccurate, contradicted, uncheckable or no_data.';
comment on column claim_verdicts.measured_value is 'Measured counterpart of the claim (see claim_checks).';
comment on column claim_verdicts.rung is 'Rung of the evidence ladder the verdict rests on.';
comment on column claim_verdicts.evidence is 'The series the verdict rests on.';
comment on column claim_verdicts.evidence_source is 'Source of that series.';
comment on column claim_verdicts.evidence_metric is 'Metric of that series (in project_series).';
comment on column claim_verdicts.coverage is 'Share of the claimed period that series covers, 0 to 1.';
comment on column claim_verdicts.covered_from is 'First day covered.';
comment on column claim_verdicts.covered_to is 'Last day covered.';
comment on column claim_verdicts.decisive_date is 'The day that decides it: a release, the day a level reached the claimed value, the day one framework overtook another, the last day measured.';
comment on column claim_verdicts.explanation is 'The evidence, the numbers, their dates and origin, proxies, what was not measured, and any methodology break.';

create or replace view claim_checks as
select
    c.claim_id,
    c.ordinal,
    a.article_id,
    a.title as article,
    a.file as article_file,
    a.author,
    a.published,
    c.location,
    c.statement,
    c.kind,
    c.source,
    array_to_string(c.subjects, ', ') as subject,
    array_to_string(list_distinct(c.subjects || c.alternatives || c.relative_to), ', ') as involves,
    c.metric,
    c.period_start,
    c.period_end,
    c.claimed_value,
    c.unit,
    case when c.kind = 'release_date' then extract(year from v.decisive_date)::double
         else v.measured_value end as measured_value,
    v.verdict,
    v.evidence,
    v.evidence_source,
    v.evidence_metric,
    v.rung,
    v.coverage,
    v.decisive_date,
    v.explanation,
    c.check_method,
    c.contradicts,
    c.unmeasured,
    c.proxy
from claim as c
join claim_article as a using (article_id)
join claim_verdicts as v using (claim_id);

comment on view claim_checks is 'Each registered claim beside what the data says: the verdict (supported, partly_supported, inaccurate, contradicted, uncheckable, no_data), the evidence it rests on and an explanation a reader can verify.';
comment on column claim_checks.claim_id is 'Claim id in data/claims.toml.';
comment on column claim_checks.ordinal is 'Place of the claim in the register, which follows each article''s reading order.';
comment on column claim_checks.article_id is 'Article id in data/claims.toml.';
comment on column claim_checks.article is 'Title of the article making the claim.';
comment on column claim_checks.article_file is 'File name of the article as it was checked.';
comment on column claim_checks.author is 'Author or site, as far as the article tells.';
comment on column claim_checks.published is 'Publication date as far as the article tells.';
comment on column claim_checks.location is 'Where in the article the claim stands.';
comment on column claim_checks.statement is 'The claim in the project''s words.';
comment on column claim_checks.kind is 'value, share, comparison, rank, growth, crossover, release_date or uncheckable.';
comment on column claim_checks.source is 'Source named by the claim (none when uncheckable).';
comment on column claim_checks.subject is 'Subjects of the claim, comma separated (the first is the one the claim is about).';
comment on column claim_checks.involves is 'Every project the claim involves: its subjects, the alternatives it is ranked against, the frameworks its growth is compared with.';
comment on column claim_checks.metric is 'Metric named by the claim.';
comment on column claim_checks.period_start is 'First day of the period the claim refers to.';
comment on column claim_checks.period_end is 'Last day of that period.';
comment on column claim_checks.claimed_value is 'Number claimed (a year for release dates, percent for shares).';
comment on column claim_checks.unit is 'Unit of claimed_value.';
comment on column claim_checks.measured_value is 'Measured counterpart: nearest value in the period (value), percent (share), mean level or mean per day of the first subject (comparison, rank), percent change (growth), lead on the last common day (crossover), year of the decisive milestone (release date).';
comment on column claim_checks.verdict is 'supported; partly_supported (the measured part holds, the rest is not measured); inaccurate (right direction, off beyond the tolerance); contradicted; uncheckable; no_data (the evidence covers less than half of the period).';
comment on column claim_checks.evidence is 'The series the verdict rests on (a rung of evidence_ladder).';
comment on column claim_checks.evidence_source is 'Source of the series the verdict rests on.';
comment on column claim_checks.evidence_metric is 'Metric of that series (in project_series).';
comment on column claim_checks.rung is 'Rung of the evidence ladder (1 is the best evidence).';
comment on column claim_checks.coverage is 'Share of the claimed period the evidence covers, 0 to 1.';
comment on column claim_checks.decisive_date is 'The day that decides the verdict (see claim_verdicts).';
comment on column claim_checks.explanation is 'The evidence, the numbers, their dates and origin, proxies, what was not measured, and any methodology break.';
comment on column claim_checks.check_method is 'How the claim is checked, from the register.';
comment on column claim_checks.contradicts is 'Claims of other articles that say the opposite.';
comment on column claim_checks.unmeasured is 'The part of the claim no series measures.';
comment on column claim_checks.proxy is 'For an uncheckable claim: the series shown as a proxy.';

create or replace view claim_contradictions as
with checks as materialized (
    select * from claim_checks
)
select
    c.claim_id,
    other.claim_id as other_claim_id,
    c.article,
    other.article as other_article,
    c.statement,
    other.statement as other_statement,
    c.verdict,
    other.verdict as other_verdict
from checks as c
join checks as other on list_contains(c.contradicts, other.claim_id)
where c.claim_id < other.claim_id;

comment on view claim_contradictions is 'Pairs of claims from different articles that contradict each other, each with its verdict.';
comment on column claim_contradictions.claim_id is 'First claim of the pair.';
comment on column claim_contradictions.other_claim_id is 'The claim it contradicts.';
comment on column claim_contradictions.article is 'Article of the first claim.';
comment on column claim_contradictions.other_article is 'Article of the other claim.';
comment on column claim_contradictions.statement is 'First claim in the project''s words.';
comment on column claim_contradictions.other_statement is 'The other claim.';
comment on column claim_contradictions.verdict is 'Verdict of the first claim.';
comment on column claim_contradictions.other_verdict is 'Verdict of the other claim.';
