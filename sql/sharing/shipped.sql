-- The newest day of a source's stored history when that history is only the one shipped with ecotrends (seeded,
-- never collected on this machine); no row otherwise.
select max(s.last_date) as newest_date
from series_summary as s
join source_runs as r using (source)
where s.source = $source and r.last_import_command = 'seed' and r.last_success is null
group by s.source
