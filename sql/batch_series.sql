-- The series the relation incoming_batch touches ($source's alone unless it is null), each with the batch's first
-- day: what both tables the writers keep are updated from (sql/series_summary_update.sql,
-- sql/project_series/touched_by_batch.sql), grouped once per batch (collectors.store.keep_derived_tables).
create or replace temp table batch_series as
select b.source, b.subject, b.metric, b.window_days::integer as window_days, min(b.date::date) as first_day
from incoming_batch as b
where $source::varchar is null or b.source = $source
group by all;
