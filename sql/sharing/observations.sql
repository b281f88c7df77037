-- Raw points of some metrics of one source under the given subjects (a chart's projects): filtered on the stored
-- subjects themselves, so that DuckDB skips the row groups of other series.
select subject, metric, date, window_days, value, origin
from observation
where source = $source
    and metric in (select unnest($metrics::varchar[]))
    and subject in (select unnest($subjects::varchar[]))
order by subject, date
