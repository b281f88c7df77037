-- Google Trends values are relative within the request that produced them: the request's timeframe, batch and
-- anchor term are stored beside each point, as columns. Points stored before this table existed kept them in
-- their origin text, read here once.
create table if not exists trends_request (
    term varchar not null,
    date date not null,
    window_days integer not null,
    timeframe varchar not null,   -- pytrends timeframe ('today 5-y', 'all', a date range) or 'export a..b'
    batch varchar not null,       -- which request of a run ('1/2'), or the export's file name
    anchor varchar,               -- the term repeated in every batch to put them on one scale; null if one request
    terms varchar not null,       -- every term of the request, comma separated
    primary key (term, date, window_days)
);

insert into trends_request
select
    subject, date, window_days,
    regexp_extract(origin, 'timeframe=([^;]*)', 1),
    regexp_extract(origin, 'batch=([^;]*)', 1),
    nullif(regexp_extract(origin, 'anchor=([^;]*)', 1), ''),
    regexp_extract(origin, 'terms=([^;]*)', 1)
from observation
where source = 'trends' and metric = 'interest' and origin like '%timeframe=%';
