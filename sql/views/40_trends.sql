-- Google Trends: interest per term, with the request (timeframe, batch, anchor) that scaled it.
create or replace view trends_interest as
select
    o.subject as term,
    p.project_id,
    o.date - (o.window_days - 1) as period_start,
    o.date as period_end,
    case when o.window_days = 1 then 'day' when o.window_days = 7 then 'week' else 'month' end as resolution,
    o.value::integer as interest,
    r.timeframe,
    r.batch,
    r.anchor,
    o.origin,
    o.collected_at
from observation as o
left join trends_request as r on r.term = o.subject and r.date = o.date and r.window_days = o.window_days
left join project_subject as p on p.source = 'trends' and p.subject = o.subject
where o.source = 'trends' and o.metric = 'interest';

comment on view trends_interest is 'Google Trends interest (0-100) per term and period. Values are relative within one request: compare only rows with the same timeframe and batch, or batches chained through their anchor term.';
comment on column trends_interest.term is 'Search term.';
comment on column trends_interest.project_id is 'Tracked project with this Trends term.';
comment on column trends_interest.period_start is 'First day of the period (Trends dates weekly rows on the Sunday starting the week).';
comment on column trends_interest.period_end is 'Last day of the period.';
comment on column trends_interest.resolution is 'day, week or month, as Google chose for the timeframe.';
comment on column trends_interest.interest is 'Interest relative to the peak of all terms in the request (100); values shown as <1 are stored as 0.';
comment on column trends_interest.timeframe is 'pytrends timeframe of the request, for example today 5-y or all.';
comment on column trends_interest.batch is 'Which request of a run produced the value (k/n); batches of more than five terms share an anchor term.';
comment on column trends_interest.anchor is 'Term repeated in every batch to put batches on one scale; null when one request held all terms.';
comment on column trends_interest.origin is 'Full provenance of the request.';
comment on column trends_interest.collected_at is 'When the request was made.';
