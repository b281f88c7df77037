-- A key that the batch about to be merged (the relation incoming_batch, one source's rows or all when $source is
-- null) holds more than once, if any. The observation table keeps no key index (migration 013), so MERGE would
-- insert both rows; collectors.store.merge_batch refuses such a batch instead.
select b.source, b.subject, b.metric, b.date::date as date, b.window_days::integer as window_days, count(*) as rows
from incoming_batch as b
where $source::varchar is null or b.source = $source
group by all
having count(*) > 1
limit 1
