-- The project series whose subjects changed (collectors.inputs.write_projects; the relation previous_subject
-- holds project_subject as it was before): every series of a project that gained, lost or moved a subject is
-- derived again whole, from the series its subjects hold now (series_summary lists them without a scan). A
-- project that lost all its subjects only has its rows removed. Appended to pending_project_series, as in
-- touched_by_batch.sql.
create or replace temp table refiled_project as
select project_id
from (
    (select project_id, source, subject from previous_subject
     except select project_id, source, subject from project_subject)
    union all
    (select project_id, source, subject from project_subject
     except select project_id, source, subject from previous_subject)
)
group by project_id;

delete from project_observation
where project_id in (select project_id from refiled_project);

insert into pending_project_series
select s.project_id, s.source, m.metric, coalesce(m.window_days, 0)::integer as window_days,
    date '0001-01-01' as cut
from project_subject as s
join series_summary as m on m.source = s.source and m.subject = s.subject
where s.project_id in (select project_id from refiled_project)
group by all;

drop table refiled_project;

drop table previous_subject;
