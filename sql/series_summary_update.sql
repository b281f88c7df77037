-- Keep series_summary with a write (collectors.store.merge_batch): the rows of the series the relation
-- incoming_batch touches ($source's alone unless it is null) are forgotten, then recomputed from observation.
delete from series_summary as s
using (
    select distinct b.source, b.subject, b.metric, b.window_days::integer as window_days
    from incoming_batch as b
    where $source::varchar is null or b.source = $source
) as t
where s.source = t.source and s.subject = t.subject and s.metric = t.metric
    and coalesce(s.window_days, 0) = t.window_days;

insert into series_summary
select * from series_summary_of('incoming_batch', $source::varchar);
