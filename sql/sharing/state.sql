-- What a report was judged on: per source, its stored points, its newest day and how it was last filled.
select s.source, sum(s.points) as points, max(s.last_date) as newest_date,
    any_value(r.last_success) as last_success, any_value(r.last_import_command) as last_import_command
from series_summary as s
left join source_runs as r using (source)
group by s.source
order by s.source
