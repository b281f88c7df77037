-- Methodology breaks, and the stored series each one affects.
create or replace view methodology_breaks as
select date, source, metric, subject, title, description, reference
from methodology_break;

comment on view methodology_breaks is 'Known breaks in the data (data/methodology_breaks.csv): on this date the way a series is counted changed.';
comment on column methodology_breaks.date is 'First day counted the new way.';
comment on column methodology_breaks.source is 'Source of the affected series.';
comment on column methodology_breaks.metric is 'Affected metric, a glob pattern (* matches anything).';
comment on column methodology_breaks.subject is 'Affected subject, a glob pattern.';
comment on column methodology_breaks.title is 'Short name of the change.';
comment on column methodology_breaks.description is 'What changed.';
comment on column methodology_breaks.reference is 'Where the change is documented.';

create or replace view series_breaks as
with series as (
    select distinct source, subject, metric, window_days
    from observation
)
select
    s.source,
    s.subject,
    s.metric,
    nullif(s.window_days, 0) as window_days,
    b.date,
    b.title,
    b.description,
    b.reference
from series as s
join methodology_break as b
    on b.source = s.source and s.metric glob b.metric and s.subject glob b.subject;

comment on view series_breaks is 'Each stored series joined with the methodology breaks that affect it.';
comment on column series_breaks.source is 'Source of the series.';
comment on column series_breaks.subject is 'Subject of the series.';
comment on column series_breaks.metric is 'Metric of the series.';
comment on column series_breaks.window_days is 'Window of the series (null for levels).';
comment on column series_breaks.date is 'First day counted the new way.';
comment on column series_breaks.title is 'Short name of the change.';
comment on column series_breaks.description is 'What changed.';
comment on column series_breaks.reference is 'Where the change is documented.';
