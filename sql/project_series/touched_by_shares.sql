-- The project series whose shares changed with the sources' declarations (collectors.inputs.sync_sources; the
-- relation previous_series holds source_series as it was before): a share declared, dropped or given another
-- denominator derives every project's mentions of that source again, with their shares. Appended to
-- pending_project_series, as in touched_by_batch.sql; the shares no longer declared are removed here.
create or replace temp table changed_share as
select source, metric, share_of
from (
    (select source, metric, share_of, denominator_subject, denominator_metric from previous_series
     where share_of is not null
     except select source, metric, share_of, denominator_subject, denominator_metric from source_series
     where share_of is not null)
    union all
    (select source, metric, share_of, denominator_subject, denominator_metric from source_series
     where share_of is not null
     except select source, metric, share_of, denominator_subject, denominator_metric from previous_series
     where share_of is not null)
);

delete from project_observation as p
using changed_share as c
where p.source = c.source and p.metric = c.metric;

insert into pending_project_series
select s.project_id, s.source, m.metric, coalesce(m.window_days, 0)::integer, date '0001-01-01'
from changed_share as c
join series_summary as m on m.source = c.source and m.metric = c.share_of
join project_subject as s on s.source = m.source and s.subject = m.subject
group by all;

drop table changed_share;

drop table previous_series;
