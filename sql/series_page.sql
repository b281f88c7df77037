-- One page of the Data page's coverage table: the series of series_summary that match its filters ($source and
-- $project exactly, $text anywhere in the subject or the metric, each '' for any), in the chosen $ordering, $limit
-- rows from $offset, with the total that match. The total comes back on a row of nulls when the page is past the
-- end, so the page can say how far the series go. Only the page's rows are joined to their project. `matching` is
-- not materialized: scanning the summary twice (count, page) is cheaper than copying it.
with matching as not materialized (
    select s.source, s.subject, s.metric, s.window_days, s.points, s.first_date, s.last_date, s.largest_gap_days
    from series_summary as s
    where ($source = '' or s.source = $source)
        and ($project = '' or (s.source, s.subject) in (
            -- `$project <> ''` lets DuckDB drop this scan when no project is asked for
            select source, subject from project_subject
            where $project <> '' and project_id in ($project, lower($project))
        ))
        and ($text = '' or contains(lower(s.subject), lower($text)) or contains(lower(s.metric), lower($text)))
),

total as (
    select count(*) as total from matching
),

-- one branch per ordering, the others dropped as the plan is made ($ordering is a constant by then): a plain
-- ORDER BY lets DuckDB's top-N skip most of the summary on the first pages, which an ORDER BY on CASE does not
page as (
    (select * from matching where $ordering = 'name'
        order by source, subject, metric, window_days nulls first limit $limit offset $offset)
    union all
    (select * from matching where $ordering = 'largest gap'
        order by largest_gap_days desc, source, subject, metric, window_days nulls first limit $limit offset $offset)
    union all
    (select * from matching where $ordering = 'stalest'
        order by last_date, source, subject, metric, window_days nulls first limit $limit offset $offset)
    union all
    (select * from matching where $ordering = 'most points'
        order by points desc, source, subject, metric, window_days nulls first limit $limit offset $offset)
),

final as (
    select page.source, page.subject, p.project_id as project, page.metric, page.window_days, page.points,
        page.first_date, page.last_date, page.largest_gap_days, total.total
    from total
    left join page on true
    left join project_subject as p on p.source = page.source and p.subject = page.subject
)

select *
from final
order by
    case when $ordering = 'largest gap' then largest_gap_days end desc nulls last,
    case when $ordering = 'stalest' then last_date end asc nulls last,
    case when $ordering = 'most points' then points end desc nulls last,
    source, subject, metric, window_days nulls first
