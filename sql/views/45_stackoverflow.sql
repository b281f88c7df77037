-- Stack Overflow: questions asked per calendar month under each project's tag, with the running sum, beside the
-- tag's all-time count as the API reported it.
create or replace view stackoverflow_questions_monthly as
with monthly as (
    select subject as tag, date, value, origin
    from observation
    where source = 'stackoverflow' and metric = 'questions'
)
select
    m.tag,
    ps.project_id,
    date_trunc('month', m.date)::date as month,
    m.value::bigint as questions,
    sum(m.value) over (partition by m.tag order by m.date rows between unbounded preceding and current row)::bigint
        as questions_to_date,
    m.origin
from monthly as m
left join project_subject as ps on ps.source = 'stackoverflow' and ps.subject = m.tag;

comment on view stackoverflow_questions_monthly is 'Questions asked per calendar month (UTC) under each tracked project''s Stack Overflow tag, counted today: deleted questions are gone and retagged ones moved, so old months drift a little.';
comment on column stackoverflow_questions_monthly.tag is 'Stack Overflow tag.';
comment on column stackoverflow_questions_monthly.project_id is 'Tracked project whose stackoverflow_tag this is.';
comment on column stackoverflow_questions_monthly.month is 'First day of the calendar month the questions were asked in.';
comment on column stackoverflow_questions_monthly.questions is 'The API''s total for the month (/questions with filter=total).';
comment on column stackoverflow_questions_monthly.questions_to_date is 'Running sum of the stored months: equals the tag''s all-time count only when every month since the first question is stored (ecotrends backfill --source stackoverflow).';
comment on column stackoverflow_questions_monthly.origin is 'The API request that produced the count.';

create or replace view stackoverflow_tag_totals as
select
    o.subject as tag,
    ps.project_id,
    o.date,
    o.value::bigint as questions_total,
    o.origin
from observation as o
left join project_subject as ps on ps.source = 'stackoverflow' and ps.subject = o.subject
where o.source = 'stackoverflow' and o.metric = 'questions_total';

comment on view stackoverflow_tag_totals is 'Each tag''s all-time question count on the day it was read (/tags/{tags}/info): one row per collection day.';
comment on column stackoverflow_tag_totals.tag is 'Stack Overflow tag.';
comment on column stackoverflow_tag_totals.project_id is 'Tracked project whose stackoverflow_tag this is.';
comment on column stackoverflow_tag_totals.date is 'UTC day the count was read.';
comment on column stackoverflow_tag_totals.questions_total is 'Questions carrying the tag, all time (count of the tag item).';
comment on column stackoverflow_tag_totals.origin is 'The API request that produced the count.';
