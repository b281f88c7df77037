-- The dated facts of `ecotrends export` (NAME.events.csv beside the observations), in the order they are
-- imported: a repository's creation, its first public release, a package's first upload. Parameters: the sources
-- and the subjects to keep (empty lists keep every one).
select source, subject, event, date, origin, collected_at
from subject_event
where (len(?::varchar[]) = 0 or list_contains(?::varchar[], source))
    and (len(?::varchar[]) = 0 or list_contains(?::varchar[], subject))
order by source, subject, event
