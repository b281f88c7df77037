-- The Data page's first table: per source, how many series and points it holds and the days they span, from the
-- summary the writers keep (a few thousand times fewer rows than observation, and no join).
select source, count(*) as series, sum(points)::bigint as points, min(first_date) as first_date,
    max(last_date) as last_date, max(last_collected) as last_collected
from series_summary
group by source
order by source
