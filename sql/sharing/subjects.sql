-- Which stored subject belongs to which project, per source.
select project_id, source, subject from project_subject
