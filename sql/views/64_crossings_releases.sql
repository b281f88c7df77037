-- Claims, step 5 of 8: crossings and release dates.
--   claim_crossings_of(chosen_table)
--                     table macro: for comparisons and crossovers on the chosen rung (a relation shaped like
--                     claim_chosen_evidence), the first subject's lead over the second on their common days and
--                     the day it overtook the second for good
--   claim_crossings   view: the same over claim_chosen_evidence
--   claim_releases    view: the dated milestones release-date and "younger than" claims are judged on

create or replace macro claim_crossings_of(chosen_table) as table
with sides as (
    select e.claim_id, e.position, e.date, e.per_day, e.in_period
    from query_table(chosen_table) as e
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
select * from claim_crossings_of('claim_chosen_evidence');

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
with claimed as (
    select claim_id, subjects from claim where kind = 'release_date' or metric = 'created'
),
dated as (
    -- the subjects the milestones of these claims' first two subjects are stored under: each project's
    -- repositories and packages, and the project itself for its first public release
    select project_id, source, subject
    from project_subject
    where source in ('github', 'pypi') and project_id in (select unnest(subjects[1:2]) from claimed)
    union all
    -- (a project dated by several claims repeats here: the maxima and minima below do not mind)
    select unnest(subjects[1:2]), 'release', unnest(subjects[1:2])
    from claimed
),
milestones as (
    -- project_milestones (55_project_series.sql) for these projects alone, in one join: it dates every tracked
    -- project, some 40 operators and 10 ms of every claim check
    select d.project_id, e.source, e.date, e.origin
    from dated as d
    join subject_event as e on e.source = d.source and e.subject = d.subject
    where (e.source = 'github' and e.event = 'created') or (e.source = 'release' and e.event = 'first_public_release')
        or (e.source = 'pypi' and e.event in ('first_upload', 'first_release'))
)
select
    c.claim_id,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.source = 'github') as created_on,
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.source = 'github') as created_origin,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.source = 'release') as released_on,
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.source = 'release') as released_origin,
    -- the first PyPI upload of any of the project's packages
    min(m.date) filter (where m.project_id = c.subjects[1] and m.source = 'pypi') as uploaded_on,
    arg_min(m.origin, m.date) filter (where m.project_id = c.subjects[1] and m.source = 'pypi') as uploaded_origin,
    -- for "A is younger than B": each one's first public release, else its repository's creation
    coalesce(
        max(m.date) filter (where m.project_id = c.subjects[1] and m.source = 'release'),
        max(m.date) filter (where m.project_id = c.subjects[1] and m.source = 'github')
    ) as first_born,
    coalesce(
        max(m.date) filter (where m.project_id = c.subjects[2] and m.source = 'release'),
        max(m.date) filter (where m.project_id = c.subjects[2] and m.source = 'github')
    ) as second_born
from claimed as c
left join milestones as m on list_contains(c.subjects[1:2], m.project_id)
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
