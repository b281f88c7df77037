-- The interchange format: one row per data point, every source, with its provenance.
create or replace view observations as
select
    source,
    subject,
    metric,
    date,
    nullif(window_days, 0) as window_days,
    value,
    origin,
    collected_at
from observation;

comment on view observations is 'Every stored data point of every source, once, with its provenance (the interchange format of ecotrends import/export).';
comment on column observations.source is 'Where the series comes from: github, pypi, arxiv, trends, or the source name of an imported series.';
comment on column observations.subject is 'What is measured: a repository owner/name, a PyPI package, a project id (arXiv) or a search term (Trends).';
comment on column observations.metric is 'What is counted, for example stars, downloads_without_mirrors, papers_mentioning, interest.';
comment on column observations.date is 'The day of a level, or the last day of the window a count covers (UTC).';
comment on column observations.window_days is 'Null for a level; for a count, how many days it covers (1 = daily, 28-31 = a calendar month, 7 = a week).';
comment on column observations.value is 'The number as the source reported it.';
comment on column observations.origin is 'Provenance: the endpoint or file, and the request parameters that produced the number.';
comment on column observations.collected_at is 'When ecotrends stored or last changed this value (UTC).';
