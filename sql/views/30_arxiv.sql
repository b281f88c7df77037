-- arXiv: monthly counts of papers whose metadata mentions each project, beside the denominator.
create or replace view arxiv_mentions_monthly as
with mentions as (
    select subject as project_id, date, window_days, value, origin
    from observation
    where source = 'arxiv' and metric = 'papers_mentioning'
),
totals as (
    select date, window_days, value
    from observation
    where source = 'arxiv' and metric = 'papers_total' and subject = 'deep-learning'
),
framework_sum as (
    select date, sum(value) as mentions_all_projects
    from mentions
    group by date
)
select
    m.project_id,
    date_trunc('month', m.date)::date as month,
    m.value::bigint as papers_mentioning,
    t.value::bigint as papers_total,
    m.value / nullif(t.value, 0) as share_of_deep_learning,
    m.value / nullif(f.mentions_all_projects, 0) as share_of_tracked_mentions,
    m.origin
from mentions as m
left join totals as t on t.date = m.date and t.window_days = m.window_days
left join framework_sum as f on f.date = m.date;

comment on view arxiv_mentions_monthly is 'Papers per calendar month whose arXiv metadata (title, abstract, comments) mentions the project, within the deep-learning categories cs.LG, cs.CV, cs.CL, cs.AI, cs.NE and stat.ML, beside the total of those categories.';
comment on column arxiv_mentions_monthly.project_id is 'Tracked project whose arXiv phrase was searched.';
comment on column arxiv_mentions_monthly.month is 'First day of the calendar month of submission (GMT).';
comment on column arxiv_mentions_monthly.papers_mentioning is 'opensearch:totalResults for the phrase in that month: metadata mentions, not full-text use.';
comment on column arxiv_mentions_monthly.papers_total is 'Papers submitted in the deep-learning categories that month (the denominator).';
comment on column arxiv_mentions_monthly.share_of_deep_learning is 'papers_mentioning / papers_total.';
comment on column arxiv_mentions_monthly.share_of_tracked_mentions is 'This project''s share of the mentions of all tracked projects that month (papers naming two projects count for both).';
comment on column arxiv_mentions_monthly.origin is 'The arXiv API query that produced the count.';
